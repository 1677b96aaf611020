"""How much free text a person may write in each kind of field, and the two places that enforce it.

Free text was unbounded: an audit's strengths and a footnote each took 1,000,000 characters, and every
save copied them into the change history. Each limit below is generous for what the field is for
(docs/text-limits.md), and is enforced twice: by the form, whose GOV.UK character count
(``templates/govuk/field.html``) tells the user as they type, and by a database constraint
(``length_at_most``), so an import, the admin or a script cannot go round the form.
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

# Audit findings: a theme's evidence, strengths, areas for development, the reason for the grade,
# the moderator's rationale.
AUDIT_FINDING_MAX = 5000
# An action arising from an audit, why an audit is returned, how a round's cases were chosen.
AUDIT_NOTE_MAX = 2000
# A footnote under the quarterly table.
FOOTNOTE_MAX = 1000
# Officer commentary members read beside a key message.
COMMENTARY_MAX = 2000
# The reason for a scorecard amendment, shown to members.
AMENDMENT_REASON_MAX = 1000
# Why a caseload return was reopened.
REOPEN_REASON_MAX = 2000


def length_at_most(field: str, limit: int, *, name: str) -> models.CheckConstraint:
    """A database check that ``field`` holds at most ``limit`` characters."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), limit),
        name=name,
        violation_error_message=f"Keep it to {limit:,} characters or fewer.",
    )


def too_long_message(label: str, limit: int) -> str:
    return f"{label} must be {limit:,} characters or fewer"


def bounded_text(limit: int, *, label: str, rows: int = 4, **kwargs) -> forms.CharField:
    """A textarea field limited to ``limit`` characters, with a message naming it."""
    error_messages = {"max_length": too_long_message(label, limit), **kwargs.pop("error_messages", {})}
    return forms.CharField(
        label=label,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=error_messages,
        **kwargs,
    )
