"""The quarter page's Appendix 3 rows, written in Python: two table rows per indicator.

A page of 100 indicators has about 1,000 figure cells; as one template include per cell (and per
RAG tag inside it) rendering cost several times the SQL that selects them. Here each row is built
from plain strings: every text from the database goes through ``html.escape`` (what Django's
``escape`` does), figures are written as the template wrote them (``localize`` of a Decimal with
no thousands separator: its digits, with the locale's decimal separator, looked up once), and the
markup is the includes' own, so the page reads the same to people, tests and assistive technology.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from django import template
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe

from perfsite.templatetags.govuk import rag_tag_class

register = template.Library()

_PROVISIONAL = ' <span class="govuk-body-s">(provisional)</span>'
_OUT_OF_DATE = '<br><strong class="govuk-tag govuk-tag--grey">Out of date</strong>'
_TOO_FEW = '<br><strong class="govuk-tag govuk-tag--grey">Too few to rate</strong>'
_MARKER = 987654321
_FOOTNOTE = ' <a class="govuk-link" href="#footnote-{0}">[{0}]<span class="govuk-visually-hidden"> footnote</span></a>'


class RowWriter:
    """Writes rows for one reader (a member sees no source) in one locale (its decimal separator)."""

    def __init__(self, *, member_view: bool):
        self.member_view = member_view
        separator = get_format("DECIMAL_SEPARATOR")
        self.separator = separator if separator != "." else None
        self.rags = {}
        # Sources, periods and notes repeat down a page (a few imports, a few periods): escaped once each.
        self.escaped = {}
        # One reverse() for the page: the detail URL with a marker where each row's id goes.
        self.detail_url = escape(reverse("indicators:detail", args=[_MARKER])).replace(str(_MARKER), "{}")

    def figure(self, value) -> str:
        if isinstance(value, Decimal):
            text = format(value, "f")
            return text.replace(".", self.separator) if self.separator else text
        return escape(str(value))  # "c": a figure hidden from a scrutiny member

    def text(self, text: str) -> str:
        """``escape(text)``, worked out once a page for each distinct text (``appendix_group_rows``)."""
        done = self.escaped.get(text)
        if done is None:
            done = self.escaped[text] = escape(text)
        return done

    def rag(self, rag) -> str:
        tag = self.rags.get(rag)
        if tag is None:
            tag = self.rags[rag] = f'<strong class="govuk-tag {rag_tag_class(rag)}">{escape(str(rag))}</strong>'
        return tag

    def source(self, cell) -> str:
        if self.member_view or not cell.source:
            return ""
        return f' title="Source: {self.text(cell.source)}" data-value-id="{cell.value_id}"'

    def note(self, cell) -> str:
        return f'<br><span class="govuk-body-s">{self.text(cell.note)}</span>' if cell.note else ""

    def comparison(self, cell) -> str:
        """A target, previous-period or year-earlier cell: the figure (or NA) and its RAG."""
        figure = self.figure(cell.value) if cell.value is not None else "NA"
        return (
            f'<td class="govuk-table__cell"{self.source(cell)}>{figure}<br>{self.rag(cell.rag)}{self.note(cell)}</td>'
        )

    def benchmark(self, cell) -> str:
        """A national, regional or neighbours cell: empty when there is no figure."""
        if cell.value is None:
            return f'<td class="govuk-table__cell"{self.source(cell)}></td>'
        body = f"{self.figure(cell.value)}<br>{self.rag(cell.rag)}{self.note(cell)}"
        return f'<td class="govuk-table__cell"{self.source(cell)}>{body}</td>'

    def latest(self, row) -> str:
        cell = row.latest
        if cell.value is None:
            body = "No data"
        else:
            body = "".join(
                (
                    self.figure(cell.value),
                    _PROVISIONAL if cell.status == "provisional" else "",
                    _OUT_OF_DATE if row.out_of_date else "",
                    _TOO_FEW if row.too_few_to_rate else "",
                    self.note(cell),
                )
            )
        return f'<td class="govuk-table__cell govuk-table__cell--numeric"{self.source(cell)}>{body}</td>'

    def description(self, line) -> str:
        row = line.row
        ref = f'<span class="govuk-!-font-weight-bold">{row.ref}.</span> ' if row.ref else ""
        also = f" (Also in {escape(', '.join(row.also_in))})" if row.also_in else ""
        marks = "".join(_FOOTNOTE.format(int(n)) for n in line.footnote_numbers)
        link = self.detail_url.format(int(row.indicator_id))
        return (
            f'<td colspan="9" class="govuk-table__cell">{ref}<a class="govuk-link" href="{link}">'
            f"{escape(row.code)}</a>: {escape(row.description)}{also}{marks}</td>"
        )

    def line(self, line, *, kind: str) -> str:
        """The description row and the figures row of one indicator (``appendix.AppendixLine``)."""
        row = line.row
        headline = row.target if kind == "target" else row.previous
        cells = "".join(
            (
                self.latest(row),
                f'<td class="govuk-table__cell">{self.text(row.latest.period_label)}</td>',
                self.comparison(headline),
                self.comparison(row.twelve_months_earlier),
                self.benchmark(row.national),
                self.benchmark(row.regional),
                self.benchmark(row.statistical_neighbours),
                f'<td class="govuk-table__cell">{self.text(line.benchmark_period)}</td>',
            )
        )
        return (
            f'<tr class="govuk-table__row perfsite-description-row">{self.description(line)}</tr>\n'
            f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{escape(row.code)}</th>'
            f"{cells}</tr>\n"
        )


@register.simple_tag(takes_context=True)
def appendix_group_rows(context, group, kind: str, member_view: bool) -> SafeString:
    """Every row of one theme group of an Appendix 3 table."""
    # One writer for the page's groups (kept for this rendering only), so its escapes and URL are shared.
    writers = context.render_context.setdefault("appendix_row_writers", {})
    writer = writers.get(member_view)
    if writer is None:
        writer = writers[member_view] = RowWriter(member_view=member_view)
    # Every text from the database is escaped above; the rest is this module's own markup.
    return mark_safe("".join(writer.line(line, kind=kind) for line in group.rows))  # noqa: S308  # nosec B308, B703
