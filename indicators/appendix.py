"""Appendix 3 of a quarter: Table 1 (target indicators) and Table 2 (tracker indicators), built once.

The officer's quarter page, the exports and the members' scorecard all take their tables, their
theme groups, their footnote numbers and their benchmark periods from ``build_appendix``, so a
footnote has the same number wherever it is read.

The footnote rule, as the reference report's Appendix 3 prints its notes [1] to [5]:

- each line of a row's footnotes is a note of its own (one figure's footnote may hold several);
- notes are numbered 1, 2, 3 ... in the order of the rows, across both tables: Table 2 carries on
  from where Table 1 stopped, so no two notes on a page share a number;
- each table lists the notes of its own rows beneath it; a note repeated word for word within a
  table keeps the number it was first given there, and is listed once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from indicators.selectors import IndicatorRow

TABLES = ((1, "target", "Key target indicators"), (2, "tracker", "Key tracker indicators"))


@dataclass(frozen=True)
class AppendixLine:
    row: IndicatorRow
    footnote_numbers: list[int]
    benchmark_period: str


@dataclass
class ThemeGroup:
    theme: str
    rows: list[AppendixLine] = field(default_factory=list)


@dataclass
class AppendixTable:
    number: int
    title: str
    kind: str
    groups: list[ThemeGroup]
    footnotes: list[tuple[int, str]]

    @property
    def is_empty(self) -> bool:
        return not any(group.rows for group in self.groups)

    @property
    def lines(self) -> list[AppendixLine]:
        return [line for group in self.groups for line in group.rows]


def footnote_lines(notes: Sequence[str]) -> list[str]:
    """A row's notes, one per line, blank lines dropped."""
    return [line for note in notes for line in (part.strip() for part in note.splitlines()) if line]


def number_footnotes(tables: Sequence[Sequence[Sequence[str]]]) -> list[tuple[list[list[int]], list[tuple[int, str]]]]:
    """The footnote rule on plain data: for each table (its rows' notes, in order), each row's
    numbers and the table's numbered notes. See the module's docstring."""
    numbered, last = [], 0
    for rows in tables:
        in_table: dict[str, int] = {}
        marks = []
        for notes in rows:
            row_marks = []
            for line in footnote_lines(notes):
                if line not in in_table:
                    last += 1
                    in_table[line] = last
                if in_table[line] not in row_marks:
                    row_marks.append(in_table[line])
            marks.append(row_marks)
        numbered.append((marks, [(number, text) for text, number in in_table.items()]))
    return numbered


def benchmark_period(row: IndicatorRow, region_name: str) -> str:
    """One period when the benchmarks share it, else each with its own, as the report prints them."""
    named = [
        (name, cell.period_label)
        for name, cell in (
            ("England", row.national),
            (region_name, row.regional),
            ("Statistical neighbours", row.statistical_neighbours),
        )
        if not cell.is_empty
    ]
    labels = {label for _, label in named}
    if len(labels) <= 1:
        return next(iter(labels), "")
    return "; ".join(f"{name}: {label}" for name, label in named)


def build_appendix(
    rows: Sequence[IndicatorRow], *, theme_order: Sequence[str], region_name: str
) -> list[AppendixTable]:
    """Split ``rows`` into the two tables, group each by reporting theme (in ``theme_order``; a theme
    not in it after, by name; rows in the order given) and number the footnotes in reading order."""
    position = {name: i for i, name in enumerate(theme_order)}
    grouped = []
    for _, kind, _ in TABLES:
        themes: dict[str, list[IndicatorRow]] = {}
        for row in rows:
            if row.kind == kind:
                themes.setdefault(row.theme, []).append(row)
        grouped.append(sorted(themes.items(), key=lambda item: (position.get(item[0], len(position)), item[0])))
    numbered = number_footnotes([[row.footnotes for _, members in table for row in members] for table in grouped])
    tables = []
    for (number, kind, title), themes, (marks, footnotes) in zip(TABLES, grouped, numbered, strict=True):
        marks_in_order = iter(marks)
        groups = [
            ThemeGroup(
                theme,
                [AppendixLine(row, next(marks_in_order), benchmark_period(row, region_name)) for row in members],
            )
            for theme, members in themes
        ]
        tables.append(AppendixTable(number, title, kind, groups, footnotes))
    return tables


def footnotes_by_indicator(tables: Sequence[AppendixTable]) -> dict[int, str]:
    """Each row's notes as the exports write them, ``[3] The high number ...``, one per line."""
    written = {}
    for table in tables:
        texts = dict(table.footnotes)
        for line in table.lines:
            written[line.row.indicator_id] = "\n".join(f"[{n}] {texts[n]}" for n in line.footnote_numbers)
    return written
