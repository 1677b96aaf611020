"""The quarter page's RAG totals are cached until a figure changes, and never shown stale.

``indicators.figures_version``: on PostgreSQL a trigger changes the figures' version before every
statement that writes indicators or their values, whoever writes them. Each test below writes in
one way and checks that the totals the page would show (``rag_totals``, through the cache) equal
the rows' own headline RAGs counted afresh in Python.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from indicators.figures_version import VERSION_SQL
from indicators.imports import run_import
from indicators.models import ImportKind, Indicator, IndicatorValue
from indicators.quarter_page import headline_counts, rag_totals, totals_from
from indicators.quarters import Quarter
from indicators.selectors import quarter_rows
from tests.indicators.conftest import add, make_indicator

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite counts the totals from the rows")

Q4 = Quarter.parse("2016-17-q4")
LATEST = ("2017-01-01", "2017-03-31")
YEAR = ("2016-04-01", "2017-03-31")
PREVIOUS = ("2016-10-01", "2016-12-31")


def version() -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL)
        return cursor.fetchone()


def shown_totals():
    return rag_totals(Q4, member_only=False, rows_for_python=lambda: quarter_rows(Q4))


def counted_afresh():
    return totals_from(headline_counts(quarter_rows(Q4)))


@pytest.fixture
def register(db):
    """A target indicator at GREEN (52 against 50) and a tracker at GREEN (51 after 50)."""
    target = make_indicator("TARGET 1", kind="target", polarity="higher")
    add(target, "actual", *LATEST, "52")
    add(target, "target", *YEAR, "50")
    tracker = make_indicator("TRACKER 1", kind="tracker", polarity="higher")
    add(tracker, "actual", *LATEST, "51")
    add(tracker, "actual", *PREVIOUS, "50")
    return target, tracker


def _actual(indicator) -> IndicatorValue:
    return IndicatorValue.objects.get(indicator=indicator, series="actual", period_end=datetime.date(2017, 3, 31))


def save_one_value(target, tracker):
    value = _actual(target)
    value.value, value.scale = Decimal("40"), 0
    value.save()


def update_in_sql(target, tracker):
    IndicatorValue.objects.filter(indicator=tracker, period_end=datetime.date(2017, 3, 31)).update(value=Decimal("40"))


def bulk_update(target, tracker):
    values = [_actual(target), _actual(tracker)]
    for value in values:
        value.value = Decimal("10")
    IndicatorValue.objects.bulk_update(values, ["value"])


def bulk_create(target, tracker):
    IndicatorValue.objects.filter(indicator=target, series="target").delete()
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                indicator=target,
                series="target",
                period_start=datetime.date(2016, 4, 1),
                period_end=datetime.date(2017, 3, 31),
                period_label="2016/17",
                value=Decimal("90"),
                scale=0,
            )
        ]
    )


def delete_a_value(target, tracker):
    IndicatorValue.objects.filter(indicator=tracker, period_end=datetime.date(2016, 12, 31)).delete()


def raw_sql(target, tracker):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE indicators_indicatorvalue SET value = 1 WHERE indicator_id = %s AND series = 'actual'", [target.pk]
        )


def deactivate_an_indicator(target, tracker):
    Indicator.objects.filter(pk=tracker.pk).update(active=False)


def change_a_polarity(target, tracker):
    target.polarity = "lower"
    target.save()


def add_an_indicator(target, tracker):
    added = make_indicator("TARGET 2", kind="target", polarity="lower")
    add(added, "actual", *LATEST, "60")
    add(added, "target", *YEAR, "50")


def import_a_file(target, tracker):
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.create_user("version-officer")
    header = "code,series,period_label,period_start,period_end,value,numerator,denominator,status,footnote"
    data = f"{header}\nTARGET 1,actual,Q4,{LATEST[0]},{LATEST[1]},49.5,,,,\n".encode()
    assert run_import(ImportKind.VALUES, data, "values.csv", user=officer).applied


WRITES = [
    save_one_value,
    update_in_sql,
    bulk_update,
    bulk_create,
    delete_a_value,
    raw_sql,
    deactivate_an_indicator,
    change_a_polarity,
    add_an_indicator,
    import_a_file,
]


@pytest.mark.parametrize("write", WRITES, ids=[write.__name__ for write in WRITES])
def test_every_kind_of_write_shows_at_once_in_the_totals(register, write):
    before = shown_totals()
    assert before == counted_afresh()
    with CaptureQueriesContext(connection) as cached:
        assert shown_totals() == before
    assert len(cached.captured_queries) == 1  # the version only: the totals came from the cache

    write(*register)

    after = counted_afresh()
    assert after != before  # each write above changes a headline RAG (or how many there are)
    assert shown_totals() == after


def test_the_members_totals_are_cached_apart_from_the_officers(register):
    small = make_indicator("SMALL COUNT", kind="tracker", polarity="lower", unit="count")
    add(small, "actual", *LATEST, "3")
    add(small, "actual", *PREVIOUS, "8")
    officer = rag_totals(Q4, member_only=False, rows_for_python=None)
    member = rag_totals(Q4, member_only=True, rows_for_python=None)
    assert officer != member  # a member sees "c" for the small count: not rated
    assert rag_totals(Q4, member_only=False, rows_for_python=None) == officer
    assert rag_totals(Q4, member_only=True, rows_for_python=None) == member


def test_a_rolled_back_write_never_gives_its_version_again(register):
    committed = version()
    with pytest.raises(RuntimeError), transaction.atomic():
        save_one_value(*register)
        rolled_back = version()
        assert rolled_back != committed
        shown_totals()  # cached under the version only this transaction saw
        raise RuntimeError("rolled back")
    assert version() == committed
    assert shown_totals() == counted_afresh()
    # The same write again is a new version: the rolled-back one's cached totals are never read.
    save_one_value(*register)
    assert version() not in (committed, rolled_back)
    assert shown_totals() == counted_afresh()


def test_each_statement_of_one_transaction_is_a_new_version(register):
    target, tracker = register
    with transaction.atomic():
        first = version()
        update_in_sql(target, tracker)
        second = version()
        delete_a_value(target, tracker)
        third = version()
    assert len({first, second, third}) == 3
    assert second[0] == third[0]  # one writing transaction


def test_every_migrate_moves_the_version(register):
    """A migration may change figures in ways the trigger does not see (a column's new type), and the
    cache outlives a deploy: no total counted before a migrate is read after it."""
    from django.apps import apps
    from django.db.models.signals import post_migrate

    before_totals = shown_totals()
    before = version()
    post_migrate.send(
        sender=apps.get_app_config("indicators"),
        app_config=apps.get_app_config("indicators"),
        verbosity=0,
        interactive=False,
        using="default",
        plan=[],
        apps=apps,
    )
    assert version() != before
    with CaptureQueriesContext(connection) as captured:
        assert shown_totals() == before_totals == counted_afresh()
    assert any("count(*)" in q["sql"].lower() for q in captured), "the totals were not counted again"
