"""import_values checks rows in memory, each distinct cell once: every row is still judged and named.

A cell repeated on many rows is parsed once and remembered, refusals included, so these tests
repeat cells on purpose; a planned figure writes its words only when read, so they read them.
"""

from __future__ import annotations

import pytest

from indicators.imports import plan_import, run_import
from indicators.models import ImportKind, IndicatorValue
from perfsite.imports.preview import Preview
from perfsite.text_limits import FOOTNOTE_MAX
from tests.indicators.conftest import make_indicator

HEADER = "code,series,period_label,period_start,period_end,value,numerator,denominator,status,footnote"


def csv(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


@pytest.fixture
def indicator(db):
    return make_indicator(code="CHECK 1")


def problems(result) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in result.errors]


def test_a_refused_cell_is_named_on_every_row_that_repeats_it(indicator):
    result = plan_import(
        ImportKind.VALUES,
        csv(
            "CHECK 1,actual,Apr 2016,2016-04-01,2016-04-30,abc,,,,",
            "CHECK 1,actual,,2016-05-01,2016-05-31,abc,,,,",
            "CHECK 1,actual,,2016-13-01,2016-06-30,1,,0,,",
            "CHECK 1,actual,,2016-13-01,2016-07-31,1,,0,,",
            "CHECK 1,actual,,2016-08-01,2016-08-31,,,,,",
        ),
        "f.csv",
    )
    not_a_date = "'2016-13-01' is not a date as YYYY-MM-DD (e.g. 2017-03-31)."
    assert problems(result) == [
        (2, "value", "'abc' is not a number."),
        (3, "value", "'abc' is not a number."),
        (4, "period_start", not_a_date),
        (4, "denominator", "cannot be zero."),
        (5, "period_start", not_a_date),
        (5, "denominator", "cannot be zero."),
        (6, "value", "is empty; give a number."),
    ]


def test_a_repeated_good_cell_gives_each_row_its_own_figure(indicator):
    result = run_import(
        ImportKind.VALUES,
        csv(
            "CHECK 1,actual,Apr 2016,2016-04-01,2016-04-30,12.345678,,,,",
            "CHECK 1,target,Apr 2016,2016-04-01,2016-04-30,12.345678,3,4,final,",
            "CHECK 1,actual,May 2016,2016-05-01,2016-05-31,7,3,4,Provisional, a note ",
        ),
        "f.csv",
    )
    assert result.applied and result.new == 3
    stored = IndicatorValue.objects.order_by("period_start", "series")
    assert [(v.series, v.period_label, str(v.value), v.scale, v.status, v.footnote) for v in stored] == [
        ("actual", "Apr 2016", "12.3457", 4, "", ""),
        ("target", "Apr 2016", "12.3457", 4, "final", ""),
        ("actual", "May 2016", "7.0000", 0, "provisional", "a note"),
    ]
    assert [v.source_detail for v in stored] == ["f.csv, row 2", "f.csv, row 3", "f.csv, row 4"]


def test_a_footnote_too_long_is_a_row_problem_and_nothing_is_written(indicator):
    long = "x" * (FOOTNOTE_MAX + 1)
    result = run_import(ImportKind.VALUES, csv(f"CHECK 1,actual,Apr 2016,2016-04-01,2016-04-30,1,,,,{long}"), "f.csv")
    assert problems(result) == [(2, "footnote", f"must be {FOOTNOTE_MAX:,} characters or fewer.")]
    assert not result.applied and not IndicatorValue.objects.exists()


def test_planned_rows_name_each_figure_and_show_it_before_and_after(indicator):
    run_import(ImportKind.VALUES, csv("CHECK 1,actual,Apr 2016,2016-04-01,2016-04-30,50.5,,,,"), "first.csv")
    plan = plan_import(
        ImportKind.VALUES,
        csv(
            "CHECK 1,actual,Apr 2016,2016-04-01,2016-04-30,61.25,3,500,final,",
            "CHECK 1,national,2016/17,2016-04-01,2017-03-31,48,,,,",
        ),
        "second.csv",
    )
    rows = [(p.row, p.key, p.label, p.before, p.after, p.apply is not None) for p in plan.planned]
    assert rows == [
        (2, "CHECK 1 · Actual · Apr 2016", "Changed", "50.5 (Apr 2016)", "61.25 (Apr 2016) [3/500, final]", True),
        (3, "CHECK 1 · National · 2016/17", "New", "", "48 (2016/17)", True),
    ]
    record = Preview.of(plan, importer=type("Words", (), {"summary": str, "has_changes": bool})()).as_record()
    assert Preview.from_record(record).planned[0].before == "50.5 (Apr 2016)"
    again = plan_import(ImportKind.VALUES, csv("CHECK 1,actual,Apr 2016,2016-04-01,2016-04-30,50.5,,,,"), "third.csv")
    assert [(p.label, p.before, p.after, p.apply) for p in again.planned] == [
        ("Unchanged", "", "50.5 (Apr 2016)", None)
    ]


def test_a_row_of_cells_each_seen_right_before_is_still_judged_as_a_whole(indicator):
    # Every cell of rows 4 to 7 appeared right on rows 2 and 3, so they are checked by look-ups
    # alone; what is wrong is how the cells go together, and each row is still named.
    long_label = "L" * 81
    result = plan_import(
        ImportKind.VALUES,
        csv(
            "CHECK 1,actual,Apr 2016,2016-04-01,2016-04-30,5,0,4,final,",
            "CHECK 1,Target,Apr 2016,2016-04-01,2016-04-30,5,0,4,final,",
            "CHECK 1,actual,Apr 2016,2016-04-30,2016-04-01,5,0,4,final,",
            "CHECK 1,actual,Apr 2016,2016-04-01,2016-04-30,5,4,0,final,",
            "CHECK 1,TARGET,Apr 2016,2016-04-01,2016-04-30,5,0,4,Final,",
            f"CHECK 1,actual,{long_label},2016-05-01,2016-05-31,5,0,4,final,",
            f"CHECK 1,actual,{long_label},2016-06-01,2016-06-30,5,0,4,final,",
            "CHECK 2,actual,Apr 2016,2016-04-01,2016-04-30,5,0,4,final,",
        ),
        "f.csv",
    )
    assert problems(result) == [
        (4, "period_end", "2016-04-01 is before the period starts (2016-04-30)."),
        (5, "denominator", "cannot be zero."),
        (6, "period_start", "row 3 already gives CHECK 1 target for this period."),
        (7, "period_label", "must be 80 characters or fewer."),
        (8, "period_label", "must be 80 characters or fewer."),
        (9, "code", "'CHECK 2' is not an indicator; import it with import_indicators first."),
    ]


def test_rows_that_share_their_cells_share_nothing_else(indicator):
    result = run_import(
        ImportKind.VALUES,
        csv(
            "CHECK 1,actual,Apr,2016-04-01,2016-04-30,5,1,4,,",
            "CHECK 1,target,Apr,2016-04-01,2016-04-30,5,1,4,,",
            "CHECK 1,actual,May,2016-05-01,2016-05-31,5,,,final, note ",
        ),
        "f.csv",
    )
    assert result.applied and result.new == 3
    stored = IndicatorValue.objects.order_by("period_start", "series")
    assert [v.source_detail for v in stored] == ["f.csv, row 2", "f.csv, row 3", "f.csv, row 4"]
    assert [(v.series, v.period_label, str(v.value), v.numerator, v.status, v.footnote) for v in stored] == [
        ("actual", "Apr", "5.0000", 1, "", ""),
        ("target", "Apr", "5.0000", 1, "", ""),
        ("actual", "May", "5.0000", None, "final", "note"),
    ]
