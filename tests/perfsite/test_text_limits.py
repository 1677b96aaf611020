"""Free text is bounded in forms (with GOV.UK's character count) and in the database, so no path round
the form stores a million characters, nor copies them into history (issue 12, finding 7)."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template import Context, Template

from perfsite import text_limits
from perfsite.text_limits import bounded_text


class NotesForm(forms.Form):
    notes = bounded_text(300, label="Notes", help_text="Anything else", required=False)
    plain = forms.CharField(label="Plain", widget=forms.Textarea, required=False)


def render(form) -> str:
    return Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))


def test_a_bounded_textarea_renders_the_govuk_character_count():
    html = render(NotesForm())
    assert (
        'class="govuk-form-group govuk-character-count" data-module="govuk-character-count" data-maxlength="300"'
        in html
    )
    assert 'class="govuk-textarea govuk-js-character-count"' in html
    assert 'aria-describedby="id_notes-hint id_notes-info"' in html
    assert '<div id="id_notes-info" class="govuk-hint govuk-character-count__message">' in html
    assert " maxlength=" not in html  # the count warns; it never silently cuts pasted text
    # An unbounded textarea is left as it was.
    assert html.count("data-maxlength") == 1 and 'id="id_plain-info"' not in html


def test_the_form_names_the_field_and_its_limit():
    form = NotesForm(data={"notes": "x" * 301})
    assert form.errors["notes"] == ["Notes must be 300 characters or fewer"]
    assert "govuk-textarea--error govuk-js-character-count" in render(form)


def bounded_rows(db):
    """One row of every model with bounded text, and the field and limit to break."""
    from audits.choices import Grade
    from audits.models import AuditAction, Moderation
    from scorecards.models import Commentary
    from tests.audits.conftest import Builder
    from tests.conftest import make_user
    from tests.indicators.conftest import add, make_indicator

    build = Builder()
    audit = build.completed(Grade.GOOD)
    user = make_user("writer")
    indicator = make_indicator()
    yield audit, "strengths", text_limits.AUDIT_FINDING_MAX
    yield audit, "areas_for_development", text_limits.AUDIT_FINDING_MAX
    yield audit, "grade_reason", text_limits.AUDIT_FINDING_MAX
    yield audit.theme_grades.first(), "evidence", text_limits.AUDIT_FINDING_MAX
    yield Moderation.objects.create(audit=audit, moderator=user, grade=2), "rationale", text_limits.AUDIT_FINDING_MAX
    action = AuditAction.objects.create(audit=audit, description="Chase", owner=user, due_on=datetime.date(2017, 4, 1))
    yield action, "description", text_limits.AUDIT_NOTE_MAX
    yield add(indicator, "actual", "2017-01-01", "2017-03-31", "5"), "footnote", text_limits.FOOTNOTE_MAX
    commentary = Commentary.objects.create(
        indicator=indicator,
        quarter="2016-17-q4",
        text="Why",
        author=user,
        updated_at=datetime.datetime.now(datetime.UTC),
    )
    yield commentary, "text", text_limits.COMMENTARY_MAX


@pytest.mark.django_db
def test_the_database_refuses_text_over_each_limit():
    for row, field, limit in bounded_rows(None):
        setattr(row, field, "x" * limit)
        row.save()
        setattr(row, field, "x" * (limit + 1))
        with pytest.raises(ValidationError):
            row.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            row.save()
        setattr(row, field, "")


@pytest.mark.django_db
def test_an_import_or_service_cannot_store_a_long_footnote():
    from indicators.values import upsert_value
    from tests.indicators.conftest import make_indicator

    indicator = make_indicator()
    with pytest.raises(ValidationError, match="footnote must be 1,000 characters or fewer"):
        upsert_value(indicator=indicator, series="actual", period_label="2016/17",
                     period_start=datetime.date(2016, 4, 1), period_end=datetime.date(2017, 3, 31), value="5",
                     footnote="x" * 1001)  # fmt: skip
    assert not indicator.values.exists()
