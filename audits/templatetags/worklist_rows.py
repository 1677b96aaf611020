"""The auditor's worklist rows, written in Python: one pass over a page of 50 audits a list.

As template markup each row made a ``{% url %}``, two ``date`` filters and a status and a grade
include (each a template of its own with two filters): rendering two pages of 50 cost several
times the SQL that selects them. Here each row is built from plain strings, with the includes'
markup: every text from the database goes through ``html.escape`` (what Django's ``escape``
does), dates through the ``date`` filter's own formatter, and the audit's URL is reversed once
a page with a marker where each id goes.
"""

from __future__ import annotations

from html import escape

from django import template
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.safestring import SafeString, mark_safe

from audits.choices import GRADE_TAG_CLASSES, STATUS_TAG_CLASSES, AuditStatus, CaseType, Grade

register = template.Library()

_MARKER = 987654321
_DATE = "j M Y"
_NO_DATE = "\u2013"
_CASE_TYPES = dict(CaseType.choices)


def _url(name: str) -> str:
    return escape(reverse(name, args=[_MARKER])).replace(str(_MARKER), "{}")


def _date(value) -> str:
    return format_date(value, _DATE) if value else _NO_DATE


def status_tag(status: str) -> str:
    """``audits/_status.html``: the status's word in its tag colour."""
    try:
        known = AuditStatus(status)
    except ValueError:
        return f'<strong class="govuk-tag govuk-tag--grey">{escape(status)}</strong>'
    return f'<strong class="govuk-tag {STATUS_TAG_CLASSES[known]}">{escape(str(known.label))}</strong>'


def grade_tag(grade) -> str:
    """``audits/_grade.html``: the grade's number and word in its tag colour, or "Not graded"."""
    if not grade:
        return '<span class="govuk-body-s">Not graded</span>'
    known = Grade(int(grade))
    return f'<strong class="govuk-tag {GRADE_TAG_CLASSES[known]}">{int(known)} {escape(str(known.label))}</strong>'


def _case_link(audit, url: str, hidden: str = "") -> str:
    return (
        f'<th scope="row" class="govuk-table__header"><a class="govuk-link perfsite-nowrap" '
        f'href="{url.format(int(audit.pk))}">{escape(audit.case.case_ref)}{hidden}</a></th>'
    )


@register.simple_tag
def to_do_rows(audits, today) -> SafeString:
    """The rows of a page of audits still to complete: case (to the form), team, type, round, due, status."""
    edit = _url("audits:audit_edit")
    rounds: dict[int, str] = {}
    rows = []
    for audit in audits:
        round_name = rounds.get(audit.round_id)
        if round_name is None:
            round_name = rounds[audit.round_id] = escape(audit.round.display_name)
        verb = "start" if audit.status == AuditStatus.ALLOCATED else "continue"
        overdue = (
            ' <strong class="govuk-tag govuk-tag--red">Overdue</strong>'
            if audit.due_on and audit.due_on < today
            else ""
        )
        rows.append(
            '<tr class="govuk-table__row">'
            + _case_link(audit, edit, f'<span class="govuk-visually-hidden">: {verb} the audit</span>')
            + f'<td class="govuk-table__cell">{escape(audit.team.name)}</td>'
            f'<td class="govuk-table__cell">{escape(str(_CASE_TYPES.get(audit.case_type, audit.case_type)))}</td>'
            f'<td class="govuk-table__cell">{round_name}</td>'
            f'<td class="govuk-table__cell">{_date(audit.due_on)}{overdue}</td>'
            f'<td class="govuk-table__cell">{status_tag(audit.status)}</td></tr>'
        )
    # Every text from the database is escaped above; the rest is this module's own markup.
    return mark_safe("\n".join(rows))  # noqa: S308  # nosec B308, B703


@register.simple_tag
def done_rows(audits) -> SafeString:
    """The rows of a page of submitted audits: case (to the audit), team, submitted, the auditor's grade, status."""
    detail = _url("audits:audit_detail")
    rows = [
        '<tr class="govuk-table__row">'
        + _case_link(audit, detail)
        + f'<td class="govuk-table__cell">{escape(audit.team.name)}</td>'
        f'<td class="govuk-table__cell">{_date(audit.completed_on)}</td>'
        f'<td class="govuk-table__cell">{grade_tag(audit.overall_grade)}</td>'
        f'<td class="govuk-table__cell">{status_tag(audit.status)}</td></tr>'
        for audit in audits
    ]
    # Every text from the database is escaped above; the rest is this module's own markup.
    return mark_safe("\n".join(rows))  # noqa: S308  # nosec B308, B703
