"""What a scrutiny member may see of an indicator's figures (issue 6, disclosure control).

Every signed-in role reads the indicator pages, scrutiny members included (up to the published
horizon: ``indicators.horizon``), and members see aggregates only: the shared DfE rule
(``perfsite.disclosure``) decides which figures show as ``c``. Two functions apply it, and the
views and exports use nothing else:

- ``member_safe_rows`` (``rows_for(user, rows)``) over a quarter's ``IndicatorRow``s: the list and
  its download, the quarter page and its CSV/JSON/XLSX, an indicator's latest position, and (as
  ``member_safe_rag_history``) its RAG history;
- ``series_figures`` over an indicator's values (its series tables and its trend chart).

The shared rule hides a value that is a small count or rests on one (a rate per 100,000 on 3
cases); on top of it, when a value is hidden, the part of its basis that would pin it down is
hidden too (``0 of c`` is 0%). A hidden figure is never rated: the RAGs of a row whose latest
figure is hidden are NA, and so is a rating against a comparator that is itself hidden.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from indicators import provenance
from indicators.rag import Rag
from indicators.selectors import COMPARATORS, Cell, IndicatorRow, plain_number
from perfsite.disclosure import COUNT, SUPPRESSED, disclosed, is_small_count
from perfsite.roles import is_scrutiny_member_only

Figure = Decimal | str | None


def _basis_part(number: Decimal | None) -> Figure:
    """A numerator or denominator: a whole number from 1 to 5 is a small count."""
    return SUPPRESSED if is_small_count(number, unit=COUNT) else number


def disclosed_figure(
    value: Decimal | None, *, unit: str, numerator: Decimal | None = None, denominator: Decimal | None = None
) -> tuple[Figure, Figure, Figure]:
    """``(value, numerator, denominator)`` as a member may see them."""
    shown_numerator, shown_denominator = _basis_part(numerator), _basis_part(denominator)
    if value is None:
        return None, shown_numerator, shown_denominator
    # The shared rule also hides a value whose numerator or denominator is a small count.
    if disclosed(value, unit=unit, numerator=numerator, denominator=denominator) != SUPPRESSED:
        return value, shown_numerator, shown_denominator
    # The value is hidden: a shown numerator of 0, or a numerator shown beside its denominator,
    # would give it back.
    denominator_shown = shown_denominator not in (None, SUPPRESSED)
    if shown_numerator not in (None, SUPPRESSED) and (shown_numerator == 0 or denominator_shown):
        shown_numerator = SUPPRESSED
    return SUPPRESSED, shown_numerator, shown_denominator


def member_safe_cell(cell: Cell, *, unit: str) -> Cell:
    value, numerator, denominator = disclosed_figure(
        cell.value, unit=unit, numerator=cell.numerator, denominator=cell.denominator
    )
    if value == SUPPRESSED:
        return replace(cell, value=value, numerator=numerator, denominator=denominator, rag=Rag.NA)
    return replace(cell, value=value, numerator=numerator, denominator=denominator)


# What "too few to rate" says when the figure itself is hidden: its base and interval would give the
# hidden counts away (for a few workers, each count over the optimum has an interval of its own).
HIDDEN_BASE_NOTE = "Too few to rate: the numbers are too small to show."


def without_small_base_detail(row):
    """``row`` with its too-few-to-rate note, on the row and on its cells, told without numbers."""
    note = getattr(row, "small_base_note", "")
    if not note:
        return row
    cells = {
        name: replace(row.cell(name), note=HIDDEN_BASE_NOTE)
        for name in ("latest", *COMPARATORS)
        if getattr(row.cell(name), "note", "") == note
    }
    return replace(row, small_base_note=HIDDEN_BASE_NOTE, **cells)


def member_safe_row(row: IndicatorRow) -> IndicatorRow:
    """The row with every figure through the rule and no rating of, or against, a hidden figure."""
    latest = member_safe_cell(row.latest, unit=row.unit)
    cells = {"latest": latest}
    for name in COMPARATORS:
        cell = member_safe_cell(row.cell(name), unit=row.unit)
        if latest.value == SUPPRESSED:
            cell = replace(cell, rag=Rag.NA)
        cells[name] = cell
    safe = replace(row, **cells)
    return without_small_base_detail(safe) if latest.value == SUPPRESSED else safe


def member_safe_rows(rows: Iterable[IndicatorRow]) -> list[IndicatorRow]:
    return [member_safe_row(row) for row in rows]


def member_safe_rag_history(entries: Iterable) -> list:
    """An indicator's RAG history (``trends.RagHistoryRow``s) with each row made member-safe."""
    return [replace(entry, row=member_safe_row(entry.row)) for entry in entries]


def rows_for(user, rows: Iterable[IndicatorRow]) -> list[IndicatorRow]:
    """The rows as ``user`` may see them: member-safe for a scrutiny member, as they are for anyone else."""
    return member_safe_rows(rows) if is_scrutiny_member_only(user) else list(rows)


@dataclass(frozen=True)
class SeriesFigure:
    """One figure of one series, as its reader may see it (series tables and the trend chart)."""

    pk: int
    series: str
    period_label: str
    period_start: datetime.date
    period_end: datetime.date
    figure: Figure
    numerator: Figure
    denominator: Figure
    status: str
    footnote: str
    updated_at: datetime.datetime | None
    updated_by: str  # who last changed it; "" for members, who never see a staff name
    source: str = ""  # indicators.provenance: where it came from and when it was loaded (names no person)


def _changed_by(item) -> str:
    user = item.updated_by
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def series_figures(values: Iterable, *, unit: str, member_only: bool) -> list[SeriesFigure]:
    """An indicator's loaded values (``updated_by`` selected) as their reader may see them."""
    figures = []
    for item in values:
        numerator, denominator = plain_number(item.numerator), plain_number(item.denominator)
        if member_only:
            figure, numerator, denominator = disclosed_figure(
                item.figure, unit=unit, numerator=numerator, denominator=denominator
            )
        else:
            figure = item.figure
        figures.append(
            SeriesFigure(
                pk=item.pk,
                series=item.series,
                period_label=item.period_label,
                period_start=item.period_start,
                period_end=item.period_end,
                figure=figure,
                numerator=numerator,
                denominator=denominator,
                status=item.get_status_display(),
                footnote=item.footnote,
                updated_at=item.updated_at,
                updated_by="" if member_only else _changed_by(item),
                source=provenance.of(item),
            )
        )
    return figures
