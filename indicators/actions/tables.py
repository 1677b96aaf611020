"""The officers' list of performance actions (django-tables2: sortable, CSV/XLSX export)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

STATUS_TAGS = {
    "planned": "govuk-tag--grey",
    "in_progress": "govuk-tag--blue",
    "done": "govuk-tag--green",
    "dropped": "govuk-tag--purple",
}


class ActionTable(tables.Table):
    indicator = tables.Column(verbose_name="Indicator", accessor="indicator__code")
    quarter = tables.Column(verbose_name="Quarter")
    description = tables.Column(verbose_name="What will be done")
    owner = tables.Column(verbose_name="Owner", accessor="owner", order_by=("owner__first_name", "owner__last_name"))
    owner_service = tables.Column(verbose_name="Service")
    due_on = tables.DateColumn(verbose_name="Due", format="j M Y")
    status = tables.Column(verbose_name="Status")
    last_note_on = tables.DateColumn(verbose_name="Last progress note", format="j M Y")
    dropped_reason = tables.Column(verbose_name="Why dropped", visible=False)

    class Meta:
        attrs = {"class": "govuk-table govuk-table--small-text-until-tablet"}
        empty_text = "No performance actions match these filters."
        order_by = ("due_on",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_description(self, value, record):
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>', reverse("indicators:action_detail", args=[record.pk]), value
        )

    def value_description(self, value):
        return value

    def render_owner(self, value):
        return value.get_full_name() or value.username

    def value_owner(self, value):
        return (value.get_full_name() or value.username) if value else ""

    def render_status(self, value, record):
        overdue = ""
        if record.is_overdue(self.today):
            overdue = format_html(' <strong class="govuk-tag {}">Overdue</strong>', "govuk-tag--red")
        return format_html(
            '<strong class="govuk-tag {}">{}</strong>{}',
            STATUS_TAGS.get(record.status, ""),
            record.get_status_display(),
            overdue,
        )

    def value_status(self, value, record):
        return record.get_status_display() + (" (overdue)" if record.is_overdue(self.today) else "")
