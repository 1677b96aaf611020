"""django-tables2 tables for the audit pages; querysets come in already select_related."""

from __future__ import annotations

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from audits.models import Audit, AuditAction, Case


def _name(user) -> str:
    if user is None:
        return "\u2013"
    return user.get_full_name() or user.username


class GradeColumn(tables.Column):
    def render(self, value, record, bound_column):
        # tables2 passes a choice field's display text; the tag needs the grade number.
        return render_to_string("audits/_grade.html", {"grade": bound_column.accessor.resolve(record)})


class StatusColumn(tables.Column):
    def render(self, value, record):
        return render_to_string("audits/_status.html", {"status": record.status})


class CaseRefColumn(tables.Column):
    def render(self, value, record):
        return format_html(
            '<a class="govuk-link perfsite-nowrap" href="{}">{}</a>',
            reverse("audits:audit_detail", args=[record.pk]),
            value,
        )


class RoundAuditTable(tables.Table):
    case = CaseRefColumn(accessor="case__case_ref", verbose_name="Case", order_by="case__case_ref")
    team = tables.Column(accessor="team__name", verbose_name="Team")
    case_type = tables.Column(verbose_name="Case type")
    auditor = tables.Column(verbose_name="Auditor", order_by=("auditor__first_name", "auditor__last_name"))
    due_on = tables.DateColumn(format="j M Y", verbose_name="Due")
    status = StatusColumn()
    overall_grade = GradeColumn(verbose_name="Auditor's grade")
    agreed = GradeColumn(verbose_name="Agreed grade")
    moderation = tables.Column(empty_values=(), orderable=False, verbose_name="Moderation")

    class Meta:
        model = Audit
        fields = ()
        sequence = ("case", "team", "case_type", "auditor", "status", "overall_grade", "agreed", "moderation")
        exclude = ("due_on",)
        empty_text = "No audits in this round."

    def render_auditor(self, value):
        return _name(value)

    def render_moderation(self, record):
        moderation = getattr(record, "moderation", None)
        if moderation is None:
            return "\u2013"
        if moderation.is_pending:
            return f"With {_name(moderation.moderator)}"
        return "Agreed" if moderation.grade == record.overall_grade else "Grade changed"


class TeamAuditTable(RoundAuditTable):
    quarter = tables.Column(accessor="round__quarter", verbose_name="Quarter")

    class Meta(RoundAuditTable.Meta):
        sequence = ("case", "team", "case_type", "quarter", "auditor", "status", "agreed", "moderation")
        exclude = ("due_on", "overall_grade")
        empty_text = "No audits of your teams' cases yet."


class ActionTable(tables.Table):
    description = tables.Column(verbose_name="What")
    case = tables.Column(
        accessor="audit__case__case_ref", verbose_name="Case", attrs={"td": {"class": "perfsite-nowrap"}}
    )
    team = tables.Column(accessor="audit__team__name", verbose_name="Team")
    owner = tables.Column(order_by=("owner__first_name", "owner__last_name"))
    due_on = tables.DateColumn(format="j M Y", verbose_name="Due")
    state = tables.Column(empty_values=(), orderable=False, verbose_name="Status")

    class Meta:
        model = AuditAction
        fields = ()
        sequence = ("description", "case", "team", "owner", "due_on", "state")
        empty_text = "No actions match."

    def __init__(self, *args, closer=(None, False, frozenset()), csrf_token="", **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.user_id, self.is_officer, self.managed_team_ids = closer
        self.csrf_token = csrf_token

    def may_close(self, action) -> bool:
        """The same rule as services.actions.may_close, from facts loaded once for the page."""
        return self.is_officer or action.owner_id == self.user_id or action.audit.team_id in self.managed_team_ids

    def render_owner(self, value):
        return _name(value)

    def render_case(self, value, record):
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>', reverse("audits:audit_detail", args=[record.audit_id]), value
        )

    def render_state(self, record):
        return render_to_string(
            "audits/_action_state.html",
            {
                "action": record,
                "today": self.today,
                "can_close": self.may_close(record),
                "csrf_token": self.csrf_token,
            },
        )


class CaseTable(tables.Table):
    case_ref = tables.Column(verbose_name="Case")
    case_type = tables.Column(verbose_name="Case type")
    team = tables.Column(accessor="team__name", verbose_name="Team")
    worker = tables.Column(accessor="worker__name", verbose_name="Allocated worker", default="Unallocated")
    opened_on = tables.DateColumn(format="j M Y", verbose_name="Opened")
    closed_on = tables.DateColumn(format="j M Y", verbose_name="Closed", default="Open")

    class Meta:
        model = Case
        fields = ()
        sequence = ("case_ref", "case_type", "team", "worker", "opened_on", "closed_on")
        empty_text = "No cases match."

    def render_case_ref(self, value, record):
        return format_html(
            '<a class="govuk-link perfsite-nowrap" href="{}">{}</a>',
            reverse("audits:case_detail", args=[record.pk]),
            value,
        )
