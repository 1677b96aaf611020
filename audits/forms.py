"""Forms for the audit pages. The submission rules themselves live in ``audits.rules``."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone

from audits import conf
from audits.choices import CaseType, Grade, Theme
from audits.rules import ThemeEntry, theme_evidence_field, theme_grade_field
from audits.services.allocating import display_name
from audits.services.auditing import AuditEntry
from caseloads.models import Team
from indicators.quarters import Quarter
from perfsite.text_limits import AUDIT_FINDING_MAX, AUDIT_NOTE_MAX, bounded_text
from perfsite.widgets import GovukDateInput

GRADE_CHOICES = [(grade.value, f"{grade.value} {grade.label}") for grade in Grade]


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj)


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj)


def _grade_field(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=GRADE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=help_text,
    )


class AuditForm(forms.Form):
    """Every field is optional for a draft; submission applies ``submission_problems``."""

    # Fields are validated as optional (drafts) but shown as needed for submission; never let the
    # browser block a draft with the HTML required attribute.
    use_required_attribute = False
    NEEDED_TO_SUBMIT = ("overall_grade", "strengths", "areas_for_development")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for theme in Theme:
            self.fields[theme_grade_field(theme.value)] = _grade_field(f"{theme.label}: grade")
            self.fields[theme_evidence_field(theme.value)] = bounded_text(
                AUDIT_FINDING_MAX,
                label=f"{theme.label}: evidence",
                required=False,
                help_text="What you saw in the case file that supports the grade.",
            )
        self.fields["overall_grade"] = _grade_field("Overall grade", "Ofsted's four-point scale.")
        self.fields["grade_reason"] = bounded_text(
            AUDIT_FINDING_MAX,
            label="Reason for the overall grade",
            required=False,
            rows=3,
            help_text="Needed when the overall grade is Good or better although a theme is Inadequate.",
        )
        self.fields["strengths"] = bounded_text(
            AUDIT_FINDING_MAX,
            label="Strengths",
            required=False,
            help_text="Record at least one strength or one area for development.",
        )
        self.fields["areas_for_development"] = bounded_text(
            AUDIT_FINDING_MAX, label="Areas for development", required=False
        )

    def for_display(self) -> AuditForm:
        """Show the fields submission needs without "(optional)"; call after validating."""
        needed = [*self.NEEDED_TO_SUBMIT]
        for theme in Theme:
            needed += [theme_grade_field(theme.value), theme_evidence_field(theme.value)]
        for name in needed:
            self.fields[name].required = True
        return self

    @classmethod
    def initial_from(cls, entry: AuditEntry) -> dict:
        initial = {
            "overall_grade": entry.overall_grade,
            "grade_reason": entry.grade_reason,
            "strengths": entry.strengths,
            "areas_for_development": entry.areas_for_development,
        }
        for theme, theme_entry in entry.themes.items():
            initial[theme_grade_field(theme)] = theme_entry.grade
            initial[theme_evidence_field(theme)] = theme_entry.evidence
        return initial

    def entry(self) -> AuditEntry:
        data = self.cleaned_data
        return AuditEntry(
            themes={
                theme.value: ThemeEntry(
                    data.get(theme_grade_field(theme.value)), data.get(theme_evidence_field(theme.value), "").strip()
                )
                for theme in Theme
            },
            overall_grade=data.get("overall_grade"),
            strengths=data.get("strengths", "").strip(),
            areas_for_development=data.get("areas_for_development", "").strip(),
            grade_reason=data.get("grade_reason", "").strip(),
        )

    def theme_fields(self):
        return [
            (theme.label, self[theme_grade_field(theme.value)], self[theme_evidence_field(theme.value)])
            for theme in Theme
        ]


class ActionForm(forms.Form):
    description = bounded_text(
        AUDIT_NOTE_MAX,
        label="What needs to happen",
        rows=3,
        error_messages={"required": "Enter what needs to happen"},
    )
    owner = UserChoiceField(
        queryset=None,
        label="Owner",
        empty_label="Choose the owner",
        help_text="A manager of the team or one of its workers.",
        error_messages={
            "required": "Select the owner of the action",
            "invalid_choice": "Select the owner of the action",
        },
    )
    due_on = forms.DateField(
        label="Due date",
        widget=GovukDateInput,
        help_text="For example, 27 3 2017",
        error_messages={"required": "Enter the due date", "invalid": "Due date must be a real date"},
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        # The hint's example is a date the field accepts: it refuses past dates.
        example = timezone.localdate() + datetime.timedelta(days=28)
        self.fields["due_on"].help_text = f"For example, {example.day} {example.month} {example.year}"

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError("Due date must be today or in the future")
        return due_on


class ModerationForm(forms.Form):
    grade = forms.TypedChoiceField(
        label="Moderated grade",
        choices=GRADE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the moderated grade"},
    )
    rationale = bounded_text(
        AUDIT_FINDING_MAX,
        label="Rationale",
        rows=5,
        help_text="Why you agree or disagree with the auditor's grade.",
        error_messages={"required": "Enter the rationale for the moderated grade"},
    )


class QuarterField(forms.TypedChoiceField):
    """A quarter chosen from a list (``round_quarters``), cleaned to a ``Quarter``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "The financial-year quarter the round audits.")
        kwargs.setdefault(
            "error_messages",
            {"required": "Select the quarter", "invalid_choice": "Select a quarter from the list"},
        )
        super().__init__(coerce=Quarter.parse, **kwargs)


def round_quarters(today: datetime.date) -> tuple[list[Quarter], Quarter]:
    """The quarters a round may audit, newest first, and the one to offer first, from the data rather
    than the clock: the quarter after the latest random round, else the quarter of the latest case
    activity. Never a quarter that has not started, so never a sampling date in the future."""
    from django.db.models import Max

    from audits.models import AuditRound, Case

    current = Quarter.containing(today)
    latest = Case.objects.aggregate(opened=Max("opened_on"), closed=Max("closed_on"))
    days = [day for day in latest.values() if day is not None and day <= today]
    data_quarter = Quarter.containing(max(days)) if days else current
    last_round = AuditRound.objects.filter(kind="random").aggregate(quarter=Max("quarter"))["quarter"]
    offered = Quarter.parse(last_round).next() if last_round else data_quarter
    offered = min(offered, current)
    # Two years up to a year past the offered quarter, and the last year up to today's quarter.
    around = set(_quarters_back(min(_quarters_forward(offered, 4), current), 12)) | set(_quarters_back(current, 4))
    return sorted(around, reverse=True), offered


def _quarters_forward(quarter: Quarter, steps: int) -> Quarter:
    for _ in range(steps):
        quarter = quarter.next()
    return quarter


def _quarters_back(quarter: Quarter, count: int) -> list[Quarter]:
    found = []
    for _ in range(count):
        found.append(quarter)
        quarter = quarter.previous()
    return found


class RoundFormBase(forms.Form):
    quarter = QuarterField()
    sampling_date = forms.DateField(
        label="Sampling date",
        required=False,
        widget=GovukDateInput,
        help_text="Cases open at the end of this day are eligible. Leave empty for the quarter's last day.",
        error_messages={"invalid": "Sampling date must be a real date"},
    )
    due_on = forms.DateField(
        label="Due date",
        required=False,
        widget=GovukDateInput,
        help_text=f"When audits are due. Leave empty for {conf.default_due_days()} days after the sampling date.",
        error_messages={"invalid": "Due date must be a real date"},
    )
    auditors = UserMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each case goes to one of these, never to someone who works on or manages its team.",
        error_messages={"required": "Select at least one auditor"},
    )

    def __init__(self, *args, auditors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditors"].queryset = auditors
        self.initial.setdefault("auditors", list(auditors))
        self.today = timezone.localdate()
        quarters, offered = round_quarters(self.today)
        self.fields["quarter"].choices = [(q.slug, q.label) for q in quarters]
        self.initial.setdefault("quarter", offered.slug)
        example = min(offered.end, self.today)
        self.fields["sampling_date"].help_text = (
            "Cases open at the end of this day are eligible. Leave empty for the quarter's last day, or today "
            f"if the quarter has not ended. For example, {example.day} {example.month} {example.year}."
        )

    def clean(self):
        data = super().clean()
        quarter, on, due = data.get("quarter"), data.get("sampling_date"), data.get("due_on")
        if on and on > self.today:
            self.add_error("sampling_date", "Sampling date must be today or earlier: cases are sampled as they were")
        elif quarter and on and not (quarter.start <= on <= quarter.end):
            self.add_error("sampling_date", f"Sampling date must be in {quarter.label}")
        elif quarter and not on and "sampling_date" not in self.errors:
            data["sampling_date"] = on = min(quarter.end, self.today)
        if due and (on or (quarter.end if quarter else None)) and due < (on or quarter.end):
            self.add_error("due_on", "Due date must be on or after the sampling date")
        return data


class RandomRoundForm(RoundFormBase):
    rate = forms.DecimalField(
        label="Rate (%)",
        initial=conf.default_sample_rate,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        decimal_places=2,
        help_text="Each team gives ceil(rate x its open cases), at least one.",
        error_messages={
            "required": "Enter the rate",
            "invalid": "Rate must be a number",
            "min_value": "Rate must be more than 0",
            "max_value": "Rate must be 100 or less",
        },
    )
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=2**63 - 1,
        help_text="Leave empty for a new random seed. It is recorded, so the draw can be reproduced.",
        error_messages={"invalid": "Seed must be a whole number", "min_value": "Seed must be 0 or more"},
    )

    field_order = ["quarter", "rate", "seed", "sampling_date", "due_on", "auditors"]


class ThematicRoundForm(RoundFormBase):
    title = forms.CharField(
        max_length=120, help_text='For example "neglect".', error_messages={"required": "Enter the title"}
    )
    case_types = forms.MultipleChoiceField(
        label="Case types", required=False, choices=CaseType.choices, widget=forms.CheckboxSelectMultiple
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.active(), required=False, widget=forms.CheckboxSelectMultiple
    )
    case_refs = forms.CharField(
        label="Case references chosen by hand",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line or separated by commas.",
    )

    field_order = ["quarter", "title", "case_types", "teams", "case_refs", "sampling_date", "due_on", "auditors"]

    def clean(self):
        data = super().clean()
        data["case_ref_list"] = [ref for ref in data.get("case_refs", "").replace(",", "\n").split() if ref]
        if not (data.get("case_types") or data.get("teams") or data["case_ref_list"]):
            self.add_error("case_types", "Choose the cases: by case type, by team, or by reference")
        return data


class SendForModerationForm(forms.Form):
    rate = forms.DecimalField(
        label="Sample (%)",
        required=False,
        initial=conf.default_moderation_rate,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        help_text="Of the submitted audits not yet sent. Ignored if you list case references below.",
        error_messages={"invalid": "Sample must be a number", "min_value": "Sample must be more than 0"},
    )
    case_refs = forms.CharField(
        label="Or choose audits by case reference",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line or separated by commas.",
    )
    moderators = UserMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one moderator"},
    )

    def __init__(self, *args, moderators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["moderators"].queryset = moderators

    def clean(self):
        data = super().clean()
        data["case_ref_list"] = [r.upper() for r in data.get("case_refs", "").replace(",", "\n").split() if r]
        if not data["case_ref_list"] and not data.get("rate") and "rate" not in self.errors:
            self.add_error("rate", "Enter the sample percentage or list the case references")
        return data


class ReturnForm(forms.Form):
    reason = bounded_text(
        AUDIT_NOTE_MAX,
        label="Why is the audit being returned?",
        rows=3,
        error_messages={"required": "Enter why the audit is being returned to its auditor"},
    )
