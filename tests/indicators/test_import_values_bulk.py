"""import_values writes in bulk: history for every written figure, a constant number of queries,
the same file twice changes nothing, and a clash with another writer refuses the whole file."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.imports import plan_import, run_import
from indicators.imports.bulk import RACED, write_values
from indicators.models import ImportKind, IndicatorValue
from tests.indicators.conftest import make_indicator

HEADER = "code,series,period_label,period_start,period_end,value,numerator,denominator,status,footnote"


def monthly_rows(count: int, *, code: str = "BULK 1", value: str = "50.5") -> bytes:
    lines = [HEADER]
    for n in range(count):
        year, month = 2000 + n // 12, n % 12 + 1
        start = datetime.date(year, month, 1)
        end = datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)
        lines.append(f"{code},actual,{start:%b %Y},{start},{end},{value},,,,")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def indicator(db):
    return make_indicator(code="BULK 1")


@pytest.fixture
def officer(db):
    return get_user_model().objects.create_user("bulk-officer")


def test_new_and_changed_figures_get_history_and_a_second_run_changes_nothing(indicator, officer):
    first = run_import(ImportKind.VALUES, monthly_rows(30), "first.csv", user=officer)
    assert first.applied and (first.new, first.changed) == (30, 0)
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 30
    history = IndicatorValue.history.filter(indicator_id=indicator.pk)
    assert history.filter(history_type="+").count() == 30
    assert set(history.values_list("history_change_reason", "history_user")) == {
        ("Imported from first.csv", officer.pk)
    }
    value = IndicatorValue.objects.get(indicator=indicator, period_start=datetime.date(2000, 1, 1))
    assert (value.figure, value.period_label, value.updated_by) == (D("50.5"), "Jan 2000", officer)

    again = run_import(ImportKind.VALUES, monthly_rows(30), "first.csv", user=officer)
    assert again.applied and (again.new, again.changed, again.unchanged) == (0, 0, 30)
    assert history.count() == 30

    changed = run_import(ImportKind.VALUES, monthly_rows(30, value="61.25"), "second.csv", user=officer)
    assert (changed.new, changed.changed) == (0, 30)
    assert history.filter(history_type="~", history_change_reason="Imported from second.csv").count() == 30
    assert set(IndicatorValue.objects.filter(indicator=indicator).values_list("value", "scale")) == {(D("61.25"), 2)}


@pytest.mark.parametrize("phase", ["new", "changed"])
def test_query_count_does_not_grow_with_the_rows(indicator, officer, phase):
    def counted(rows: int, value: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            result = run_import(ImportKind.VALUES, monthly_rows(rows, value=value), "f.csv", user=officer)
        assert result.applied
        return len(captured)

    # 30 rows (and their history rows, provenance included) fit one insert on SQLite (999 parameters
    # a statement); PostgreSQL takes 2,000 at once.
    if phase == "new":
        small = counted(5, "1")
        IndicatorValue.objects.all().delete()
        assert counted(30, "1") == small
    else:
        counted(30, "1")
        assert counted(5, "2") == counted(30, "3")


def test_a_figure_written_by_someone_else_meanwhile_refuses_the_whole_file(indicator, officer):
    planned = plan_import(ImportKind.VALUES, monthly_rows(3), "f.csv")
    IndicatorValue.objects.create(
        indicator=indicator,
        series="actual",
        period_label="Feb 2000",
        period_start=datetime.date(2000, 2, 1),
        period_end=datetime.date(2000, 2, 29),
        value=D("1"),
        scale=0,
    )
    write_values([p.apply for p in planned.planned], planned, user=officer)
    assert [e.message for e in planned.errors] == [RACED]
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 1
