"""The crispy-forms GOV.UK template pack renders GOV.UK markup for every kind of field."""

import datetime

import pytest
from django import forms
from django.template import Context, Template

from perfsite.widgets import GovukDateInput


class EveryWidgetForm(forms.Form):
    name = forms.CharField(label="Name", help_text="As on the case file")
    cases = forms.IntegerField(label="Cases", min_value=0)
    team = forms.ChoiceField(label="Team", choices=[("a", "Assessment"), ("b", "Disability")])
    grade = forms.ChoiceField(
        label="Overall grade",
        widget=forms.RadioSelect,
        choices=[("1", "Outstanding"), ("2", "Good"), ("3", "Requires improvement"), ("4", "Inadequate")],
    )
    themes = forms.MultipleChoiceField(
        label="Themes", widget=forms.CheckboxSelectMultiple, choices=[("s", "Safeguarding"), ("v", "Voice")]
    )
    confirmed = forms.BooleanField(label="I confirm these figures", required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    due_on = forms.DateField(label="Due date", widget=GovukDateInput)


def render(form) -> str:
    return Template('{% load crispy_forms_tags %}{% include "govuk/errors.html" %}{{ form|crispy }}').render(
        Context({"form": form})
    )


def test_unbound_form_renders_govuk_components():
    html = render(EveryWidgetForm())
    assert '<label class="govuk-label" for="id_name">Name</label>' in html
    assert '<div id="id_name-hint" class="govuk-hint">As on the case file</div>' in html
    assert 'class="govuk-input"' in html
    assert 'class="govuk-select"' in html
    assert 'class="govuk-textarea"' in html
    assert 'class="govuk-radios"' in html and 'type="radio"' in html
    assert 'class="govuk-checkboxes"' in html
    assert "govuk-checkboxes--small" in html  # the single confirmation box
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Overall grade</legend>' in html
    assert 'class="govuk-date-input"' in html
    assert html.count("govuk-date-input__input") == 3
    assert "Notes (optional)" in html
    assert "govuk-error-summary" not in html


def test_errors_show_in_summary_and_beside_each_field():
    form = EveryWidgetForm(data={"cases": "-1", "due_on_day": "31", "due_on_month": "2", "due_on_year": "2017"})
    assert not form.is_valid()
    html = render(form)
    assert 'class="govuk-error-summary"' in html
    assert "There is a problem" in html
    # Summary links point at the field (or the first input of a group).
    assert 'href="#id_name"' in html
    assert 'href="#id_grade_0"' in html
    assert 'href="#id_due_on_0"' in html
    assert 'id="id_cases-error" class="govuk-error-message"' in html
    assert "govuk-form-group--error" in html
    assert "govuk-input--error" in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert "Enter a valid date." in html


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("5", "3", "2017"), datetime.date(2017, 3, 5)),
        ((" 05 ", "03", "2017"), datetime.date(2017, 3, 5)),
    ],
)
def test_date_input_parses_day_month_year(parts, expected):
    form = EveryWidgetForm(data=dict(zip(["due_on_day", "due_on_month", "due_on_year"], parts, strict=True)))
    form.is_valid()
    assert form.cleaned_data["due_on"] == expected


def test_date_input_keeps_what_was_typed_when_invalid():
    form = EveryWidgetForm(data={"due_on_day": "31", "due_on_month": "2", "due_on_year": "2017"})
    assert not form.is_valid()
    assert "due_on" in form.errors
    html = render(form)
    assert 'value="31"' in html


def test_date_input_shows_an_initial_date():
    form = EveryWidgetForm(initial={"due_on": datetime.date(2017, 3, 31)})
    html = render(form)
    assert 'value="31"' in html and 'value="3"' in html and 'value="2017"' in html
