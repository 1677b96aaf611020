"""The indicator list as a django-tables2 table over quarter rows (sortable, exportable)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from perfsite.templatetags.govuk import rag_tag_class


def _figure(cell) -> str:
    if cell.value is None:
        return ""
    if isinstance(cell.value, str):  # hidden from a scrutiny member: "c"
        return cell.value
    return format(cell.value, "f")


class IndicatorTable(tables.Table):
    code = tables.Column(verbose_name="PI ref", accessor="code", order_by=("ref_order", "code"))
    description = tables.Column(verbose_name="Description", accessor="description")
    # Shown by the filters rather than as columns; still in the CSV/XLSX download.
    theme = tables.Column(verbose_name="Theme", accessor="theme", visible=False)
    unit = tables.Column(verbose_name="Unit", accessor="unit_label", visible=False)
    kind = tables.Column(verbose_name="Kind", accessor="kind")
    polarity = tables.Column(verbose_name="Better is", accessor="polarity", visible=False)
    latest = tables.Column(
        verbose_name="Latest", accessor="latest_sort", attrs={"td": {"class": "govuk-table__cell--numeric"}}
    )
    latest_period = tables.Column(verbose_name="Period covered", accessor="latest__period_label")
    comparator = tables.Column(verbose_name="Compared with", accessor="headline_label", orderable=False)
    rag = tables.Column(verbose_name="Latest RAG", accessor="headline_rag")

    class Meta:
        attrs = {"class": "govuk-table govuk-table--small-text-until-tablet"}
        empty_text = "No indicators match these filters."
        order_by = ("code",)

    def render_code(self, value, record):
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>', reverse("indicators:detail", args=[record.indicator_id]), value
        )

    def value_code(self, value, record):
        return value

    def render_kind(self, value):
        return value.capitalize()

    def render_latest(self, value, record):
        return _figure(record.latest) or "No data"

    def value_latest(self, value, record):
        return _figure(record.latest)

    def render_rag(self, value):
        return format_html('<strong class="govuk-tag {}">{}</strong>', rag_tag_class(value), value)

    def value_rag(self, value):
        return str(value)
