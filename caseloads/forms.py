"""Forms for the return page (one field per worker) and for managing workers."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms

from caseloads import conf
from caseloads.models import CASE_TYPE_FIELDS, CaseType, Employment, Team, WorkerRole
from caseloads.months import add_months, first_of_month, month_long_label, month_slug, months_between
from caseloads.selectors import ReturnRow
from perfsite.text_limits import REOPEN_REASON_MAX, too_long_message
from perfsite.widgets import GovukDateInput

SAVE, SUBMIT = "save", "submit"


def cases_field_name(worker_id: int) -> str:
    return f"cases_{worker_id}"


def confirm_field_name(worker_id: int) -> str:
    return f"confirm_{worker_id}"


def split_field_name(worker_id: int, field: str) -> str:
    return f"split_{worker_id}_{field}"


class ReturnForm(forms.Form):
    """Every worker's cases on one page. ``action`` is "save" (a draft may have gaps) or "submit"."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, rows: list[ReturnRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        ceiling = conf.max_cases()
        for row in rows:
            name = row.worker.name
            self.fields[cases_field_name(row.worker.pk)] = forms.IntegerField(
                label=f"Cases held by {name}",
                required=False,
                min_value=0,
                max_value=ceiling,
                initial=row.cases,
                error_messages={
                    "invalid": f"Enter the cases held by {name} as a whole number, like 12",
                    "min_value": f"The cases held by {name} must be 0 or more",
                    "max_value": f"The cases held by {name} must be {ceiling} or fewer: no figure above "
                    f"{ceiling} can be right, even confirmed",
                },
            )

        for row in rows:
            name = row.worker.name
            for case_type, field in CASE_TYPE_FIELDS.items():
                label = CaseType(case_type).label
                self.fields[split_field_name(row.worker.pk, field)] = forms.IntegerField(
                    label=f"{label} cases held by {name}",
                    required=False,
                    min_value=0,
                    max_value=999,
                    initial=row.split.get(case_type),
                    error_messages={
                        "invalid": f"Enter {name}'s {label.lower()} cases as a whole number, like 3",
                        "min_value": f"{name}'s {label.lower()} cases must be 0 or more",
                        "max_value": f"{name}'s {label.lower()} cases must be 999 or fewer",
                    },
                )

    @property
    def action(self) -> str:
        return SUBMIT if self.data.get("action") == SUBMIT else SAVE

    def clean(self):
        cleaned = super().clean()
        if self.action == SUBMIT:
            for row in self.rows:
                name = cases_field_name(row.worker.pk)
                if name not in self.errors and cleaned.get(name) is None:
                    self.add_error(name, f"Enter the cases held by {row.worker.name}, or 0 if they hold none")
        for row in self.rows:
            total_name = cases_field_name(row.worker.pk)
            parts = [cleaned.get(split_field_name(row.worker.pk, f)) for f in CASE_TYPE_FIELDS.values()]
            given = [p for p in parts if p is not None]
            if not given or total_name in self.errors:
                continue
            total = cleaned.get(total_name)
            first = split_field_name(row.worker.pk, next(iter(CASE_TYPE_FIELDS.values())))
            if total is None:
                self.add_error(total_name, f"Enter the total cases held by {row.worker.name} as well as the split")
            elif sum(given) > total:
                self.add_error(
                    first,
                    f"{row.worker.name}'s cases by case type add up to {sum(given)}, more than their {total} cases",
                )
        return cleaned

    def has_split_data(self) -> bool:
        return any(key.startswith("split_") for key in self.data)

    def splits(self) -> dict[int, dict[str, int | None]]:
        return {
            row.worker.pk: {
                f: self.cleaned_data.get(split_field_name(row.worker.pk, f)) for f in CASE_TYPE_FIELDS.values()
            }
            for row in self.rows
        }

    def split_cells(self, row: ReturnRow):
        return [self[split_field_name(row.worker.pk, f)] for f in CASE_TYPE_FIELDS.values()]

    def figures(self) -> dict[int, int | None]:
        return {row.worker.pk: self.cleaned_data.get(cases_field_name(row.worker.pk)) for row in self.rows}

    def confirmed(self) -> set[int]:
        """Workers whose implausible figure was confirmed, for exactly the figure now entered."""
        confirmed = set()
        for row in self.rows:
            ticked = self.data.get(confirm_field_name(row.worker.pk))
            cases = self.cleaned_data.get(cases_field_name(row.worker.pk))
            if ticked is not None and cases is not None and ticked == str(cases):
                confirmed.add(row.worker.pk)
        return confirmed

    def cell(self, row: ReturnRow):
        return self[cases_field_name(row.worker.pk)]


class ReopenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label="Why are you reopening this return?",
        help_text="The team manager sees this reason. For example: two workers' figures were swapped.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REOPEN_REASON_MAX,
        error_messages={
            "required": "Enter the reason for reopening the return",
            "max_length": too_long_message("The reason", REOPEN_REASON_MAX),
        },
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter the reason for reopening the return")
        return reason


class WorkerDetailsForm(forms.Form):
    name = forms.CharField(label="Full name", max_length=120, error_messages={"required": "Enter the worker's name"})
    role = forms.ChoiceField(
        label="Role", choices=WorkerRole.choices, widget=forms.RadioSelect, error_messages={"required": "Select a role"}
    )
    employment = forms.ChoiceField(
        label="Employment",
        choices=Employment.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select permanent or agency"},
    )
    wte = forms.DecimalField(
        label="WTE (whole-time equivalent)",
        help_text="1.00 for full time, 0.50 for half time. Agency staff count as 1.0 in the figures.",
        min_value=Decimal("0.01"),
        max_value=Decimal("1.00"),
        max_digits=3,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the WTE, from 0.01 to 1.00",
            "invalid": "Enter the WTE as a number, like 0.6",
            "min_value": "The WTE must be at least 0.01",
            "max_value": "The WTE must be 1.00 or less",
            "max_decimal_places": "Enter the WTE with no more than two decimal places",
            "max_digits": "Enter the WTE with no more than two decimal places",
        },
    )


class WorkerAddForm(WorkerDetailsForm):
    staff_number = forms.CharField(
        label="Staff number",
        max_length=30,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
        error_messages={"required": "Enter the staff number"},
    )
    started_on = forms.DateField(
        label="Start date",
        required=False,
        widget=GovukDateInput,
        help_text="For example, 1 9 2016. Leave empty if they have been in post for years.",
        error_messages={"invalid": "Enter the start date as a real date, like 1 9 2016"},
    )

    field_order = ["name", "staff_number", "role", "employment", "wte", "started_on"]


class WorkerMoveForm(forms.Form):
    team = forms.ModelChoiceField(
        label="Move to team",
        queryset=Team.objects.none(),
        empty_label="Choose a team",
        error_messages={"required": "Choose the team to move them to"},
    )

    def __init__(self, *args, current_team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.active().exclude(pk=current_team.pk).order_by("name")


class WorkerEndForm(forms.Form):
    ended_on = forms.DateField(
        label="Last day in the team",
        widget=GovukDateInput,
        help_text="For example, 31 3 2017. They will not appear on returns for months after this day.",
        error_messages={
            "required": "Enter their last day",
            "invalid": "Enter their last day as a real date, like 31 3 2017",
        },
    )


def month_choices(*, until: datetime.date) -> list[tuple[str, str]]:
    """Months a return can be opened for: from the baseline to ``until``, newest first."""
    return [
        (month_slug(m), month_long_label(m))
        for m in reversed(months_between(conf.baseline_month(), first_of_month(until)))
    ]


class OpenReturnForm(forms.Form):
    month = forms.ChoiceField(label="Month", choices=())

    def __init__(self, *args, until: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = month_choices(until=until)
        self.fields["month"].initial = month_slug(add_months(first_of_month(until), -1))
