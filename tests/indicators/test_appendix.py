"""Appendix 3's one builder (``indicators.appendix``): the footnote rule, table by table, and the grouping."""

from __future__ import annotations

import pytest

from indicators.appendix import build_appendix, footnotes_by_indicator, number_footnotes
from indicators.selectors import Cell
from tests.scorecards.rows import make_row

# (case, the notes of each row, table by table) -> (each row's numbers, table by table; each table's notes)
CASES = [
    ("no notes", [[[]], [[]]], [[[]], [[]]], [[], []]),
    (
        "the reference: [1] and [2] under Table 1, Table 2 carries on at [3]; a figure's note holds two lines",
        [
            [["Previous period data amended"], [], ["Reported as a % target PI again"]],
            [["Status 'not known'\nThe definition was revised"], [], ["Amended / refreshed"]],
        ],
        [[[1], [], [2]], [[3, 4], [], [5]]],
        [
            [(1, "Previous period data amended"), (2, "Reported as a % target PI again")],
            [(3, "Status 'not known'"), (4, "The definition was revised"), (5, "Amended / refreshed")],
        ],
    ),
    (
        "blank lines and spaces are not notes",
        [[["  First \n\n  Second  "]], [[]]],
        [[[1, 2]], [[]]],
        [[(1, "First"), (2, "Second")], []],
    ),
    (
        "a note repeated within a table keeps its number and is listed once",
        [[["Amended"], ["Amended"], ["Final"]], [[]]],
        [[[1], [1], [2]], [[]]],
        [[(1, "Amended"), (2, "Final")], []],
    ),
    (
        "the same note under the other table is that table's own, numbered on",
        [[["Amended"]], [["Amended"]]],
        [[[1]], [[2]]],
        [[(1, "Amended")], [(2, "Amended")]],
    ),
    (
        "one row's notes repeating a line give it one mark",
        [[["Amended", "Amended\nFinal"]]],
        [[[1, 2]]],
        [[(1, "Amended"), (2, "Final")]],
    ),
    ("Table 1 empty: Table 2 starts at 1", [[], [["Only"]]], [[], [[1]]], [[], [(1, "Only")]]),
]


@pytest.mark.parametrize(("case", "tables", "marks", "listed"), CASES, ids=[c[0] for c in CASES])
def test_the_footnote_rule(case, tables, marks, listed):
    numbered = number_footnotes(tables)
    assert [m for m, _ in numbered] == marks
    assert [notes for _, notes in numbered] == listed


def row(code, kind, *, theme="Altogether Better", footnote="", indicator_id, **cells):
    made = make_row(code=code, kind=kind, themes=(theme,), indicator_id=indicator_id, latest="10", **cells)
    if footnote:
        from dataclasses import replace

        made = replace(made, latest=replace(made.latest, footnote=footnote))
    return made


def test_tables_group_by_theme_order_and_number_in_reading_order():
    rows = [
        row("T1", "target", theme="Zeta", footnote="Zeta's note", indicator_id=1),
        row("T2", "target", theme="Alpha", footnote="Alpha's note", indicator_id=2),
        row("K1", "tracker", theme="Alpha", footnote="Tracker note", indicator_id=3),
    ]
    tables = build_appendix(rows, theme_order=["Alpha", "Zeta"], region_name="North East")
    assert [(t.number, t.title, t.kind) for t in tables] == [
        (1, "Key target indicators", "target"),
        (2, "Key tracker indicators", "tracker"),
    ]
    first = tables[0]
    assert [g.theme for g in first.groups] == ["Alpha", "Zeta"]
    # Numbered as read: Alpha's row comes first on the page, so its note is [1].
    assert [(line.row.code, line.footnote_numbers) for line in first.lines] == [("T2", [1]), ("T1", [2])]
    assert tables[1].footnotes == [(3, "Tracker note")]
    assert footnotes_by_indicator(tables) == {2: "[1] Alpha's note", 1: "[2] Zeta's note", 3: "[3] Tracker note"}
    # A theme missing from the order goes after, by name; an empty table is empty.
    alone = build_appendix(rows[:2], theme_order=[], region_name="North East")
    assert [g.theme for g in alone[0].groups] == ["Alpha", "Zeta"] and alone[1].is_empty


@pytest.mark.parametrize(
    ("national", "regional", "expected"),
    [
        ("2015/16", "2015/16", "2015/16"),
        ("2011/12 - 2013/14", "2010/11 - 2012/13", "England: 2011/12 - 2013/14; North East: 2010/11 - 2012/13"),
        (None, "Nov 2016 - Jan 2017", "Nov 2016 - Jan 2017"),
        (None, None, ""),
    ],
)
def test_benchmark_period(national, regional, expected):
    from dataclasses import replace
    from decimal import Decimal

    made = row("B1", "target", indicator_id=1)
    if national:
        made = replace(made, national=Cell(value=Decimal(1), period_label=national))
    if regional:
        made = replace(made, regional=Cell(value=Decimal(1), period_label=regional))
    (line,) = build_appendix([made], theme_order=[], region_name="North East")[0].lines
    assert line.benchmark_period == expected
