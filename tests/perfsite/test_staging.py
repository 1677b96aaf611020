"""Bulk writes from plain rows (perfsite.imports.staging): rows and one history row each, on either database.

On PostgreSQL the rows go through a COPYed staging table and set-based SQL; elsewhere through the
ORM's bulk helpers. Both must leave the same rows and history, take the same number of statements
whatever the number of rows, and refuse a clash with a stored key as a whole.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from audits.models import Case
from caseloads.models import Team
from indicators.models import IndicatorValue
from perfsite.imports.staging import insert_rows_with_history, update_rows_with_history, upsert_rows_with_history
from tests.conftest import make_user
from tests.indicators.conftest import make_indicator

FIELDS = ("case_type", "team_id", "worker_id", "opened_on", "closed_on")


@pytest.fixture
def team(db):
    return Team.objects.create(name="North", service_area="safeguarding")


def case_rows(team, count, *, prefix="STAGE", case_type="cin"):
    return [(f"{prefix}-{n:04d}", case_type, team.pk, None, datetime.date(2016, 1, 1 + n), None) for n in range(count)]


def test_inserted_rows_get_keys_their_defaults_and_a_history_row_each_with_its_reason(team):
    officer = make_user("stage-officer")
    insert_rows_with_history(
        Case, ("case_ref", *FIELDS), case_rows(team, 3), reasons=["first", None, "third"], default_user=officer
    )
    stored = list(Case.objects.order_by("case_ref").values_list("pk", "case_ref", "case_type", "opened_on"))
    assert [row[1:] for row in stored] == [(f"STAGE-{n:04d}", "cin", datetime.date(2016, 1, 1 + n)) for n in range(3)]
    history = Case.history.order_by("case_ref")
    assert [(h.id, h.case_ref, h.history_type, h.history_user_id, h.history_change_reason) for h in history] == [
        (stored[0][0], "STAGE-0000", "+", officer.pk, "first"),
        (stored[1][0], "STAGE-0001", "+", officer.pk, None),
        (stored[2][0], "STAGE-0002", "+", officer.pk, "third"),
    ]


def test_a_column_not_given_takes_its_default_and_auto_now_the_time(db):
    indicator = make_indicator(code="STAGE 1")
    start = datetime.date(2016, 4, 1)
    columns = ("indicator_id", "series", "period_start", "period_end", "period_label", "value", "scale")
    insert_rows_with_history(IndicatorValue, columns, [(indicator.pk, "actual", start, start, "Apr 2016", D("5"), 0)])
    value = IndicatorValue.objects.get()
    assert (value.version, value.status, value.footnote, value.source_kind) == (1, "", "", "")
    assert value.updated_at is not None
    assert IndicatorValue.history.get().version == 1


def test_updated_rows_are_written_only_where_they_differ_with_a_history_row_each(team):
    officer = make_user("stage-officer")
    insert_rows_with_history(Case, ("case_ref", *FIELDS), case_rows(team, 3))
    made = list(Case.objects.order_by("case_ref"))
    rows = [
        (made[0].pk, "cp", team.pk, None, made[0].opened_on, None),  # differs
        (made[1].pk, "cin", team.pk, None, made[1].opened_on, None),  # as stored
    ]
    gone = update_rows_with_history(Case, FIELDS, rows, compare=FIELDS, reasons=["why", "unused"], default_user=officer)
    assert gone == set()
    assert list(Case.objects.order_by("case_ref").values_list("case_type", flat=True)) == ["cp", "cin", "cin"]
    changed = Case.history.filter(history_type="~")
    assert [(h.id, h.case_type, h.history_user_id, h.history_change_reason) for h in changed] == [
        (made[0].pk, "cp", officer.pk, "why")
    ]


def test_an_update_bumps_increments_sets_the_shared_columns_and_returns_rows_removed_meanwhile(db):
    indicator = make_indicator(code="STAGE 1")
    officer = make_user("stage-officer")
    start = datetime.date(2016, 4, 1)
    columns = ("indicator_id", "series", "period_start", "period_end", "period_label", "value", "scale")
    insert_rows_with_history(IndicatorValue, columns, [(indicator.pk, "actual", start, start, "Apr 2016", D("5"), 0)])
    value = IndicatorValue.objects.get()
    loaded = datetime.datetime(2017, 1, 2, 3, 4, tzinfo=datetime.UTC)
    gone = update_rows_with_history(
        IndicatorValue,
        ("value", "scale"),
        [(value.pk, D("6.5"), 1), (value.pk + 1000, D("1"), 0)],
        compare=("value", "scale"),
        also={"loaded_at": loaded, "updated_by_id": officer.pk},
        increment=("version",),
    )
    assert gone == {value.pk + 1000}
    value.refresh_from_db()
    assert (value.value, value.scale, value.version, value.loaded_at, value.updated_by) == (
        D("6.5"),
        1,
        2,
        loaded,
        officer,
    )
    assert value.updated_at > loaded
    latest = IndicatorValue.history.filter(history_type="~").get()
    assert (latest.value, latest.version, latest.updated_by_id) == (D("6.5"), 2, officer.pk)


@pytest.mark.parametrize("write", ["insert", "update"])
def test_the_statements_do_not_grow_with_the_rows(team, write):
    def counted(count: int, prefix: str) -> int:
        rows = case_rows(team, count, prefix=prefix)
        if write == "update":
            insert_rows_with_history(Case, ("case_ref", *FIELDS), rows)
            keys = dict(Case.objects.filter(case_ref__startswith=prefix).values_list("case_ref", "pk"))
            rows = [(keys[ref], "cp", *rest) for ref, _type, *rest in rows]
        with CaptureQueriesContext(connection) as captured:
            if write == "insert":
                insert_rows_with_history(Case, ("case_ref", *FIELDS), rows)
            else:
                update_rows_with_history(Case, FIELDS, rows, compare=FIELDS)
        return len(captured)

    # SQLite's bulk helpers write 2,000 rows a statement; 5 and 30 rows are one batch either way.
    assert counted(5, "SMALL") == counted(30, "LARGER")


def test_a_clash_with_a_stored_key_raises_and_writes_nothing(team):
    Case.objects.create(case_ref="STAGE-0001", case_type="cin", team=team, opened_on=datetime.date(2016, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows_with_history(Case, ("case_ref", *FIELDS), case_rows(team, 3))
    assert Case.objects.count() == 1
    assert not Case.history.filter(case_ref="STAGE-0000").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the set-based upsert is PostgreSQL's")
def test_an_upsert_decides_new_changed_and_as_stored_in_sql(team):
    officer = make_user("stage-officer")
    insert_rows_with_history(Case, ("case_ref", *FIELDS), case_rows(team, 2))
    rows = [
        ("STAGE-0000", "cin", team.pk, None, datetime.date(2016, 1, 1), None),  # as stored
        ("STAGE-0001", "cp", team.pk, None, datetime.date(2016, 1, 2), None),  # changed
        ("STAGE-0002", "lac", team.pk, None, datetime.date(2016, 1, 3), None),  # new
    ]
    assert upsert_rows_with_history(Case, "case_ref", FIELDS, rows, default_user=officer) == (1, 1)
    assert list(Case.objects.order_by("case_ref").values_list("case_ref", "case_type")) == [
        ("STAGE-0000", "cin"),
        ("STAGE-0001", "cp"),
        ("STAGE-0002", "lac"),
    ]
    written = Case.history.filter(history_user=officer).order_by("case_ref")
    assert [(h.case_ref, h.case_type, h.history_type) for h in written] == [
        ("STAGE-0001", "cp", "~"),
        ("STAGE-0002", "lac", "+"),
    ]
    assert upsert_rows_with_history(Case, "case_ref", FIELDS, rows, default_user=officer) == (0, 0)
    assert Case.history.filter(history_user=officer).count() == 2
    every_one_changed = [(ref, "early_help", *rest) for ref, _type, *rest in rows]
    assert upsert_rows_with_history(Case, "case_ref", FIELDS, every_one_changed, default_user=officer) == (0, 3)
    assert set(Case.objects.values_list("case_type", flat=True)) == {"early_help"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the set-based upsert is PostgreSQL's")
def test_an_upsert_keeps_a_stored_rows_key_and_writes_history_under_each_rows_key(team):
    # One INSERT ... ON CONFLICT tells a new row from an updated one by its key: a new row keeps
    # the key its staging row drew, an updated one its own.
    insert_rows_with_history(Case, ("case_ref", *FIELDS), case_rows(team, 2))
    stored = dict(Case.objects.values_list("case_ref", "pk"))
    rows = [
        ("STAGE-0000", "cp", team.pk, None, datetime.date(2016, 1, 1), None),  # changed
        ("STAGE-0001", "cin", team.pk, None, datetime.date(2016, 1, 2), None),  # as stored
        *case_rows(team, 2, prefix="FRESH"),  # new
    ]
    with CaptureQueriesContext(connection) as captured:
        assert upsert_rows_with_history(Case, "case_ref", FIELDS, rows) == (2, 1)
    assert sum("ON CONFLICT" in q["sql"] for q in captured) == 1
    cases = dict(Case.objects.values_list("case_ref", "pk"))
    assert {ref: cases[ref] for ref in stored} == stored
    written = Case.history.exclude(history_type="+", case_ref__startswith="STAGE")
    assert sorted((h.case_ref, h.id, h.history_type) for h in written) == [
        ("FRESH-0000", cases["FRESH-0000"], "+"),
        ("FRESH-0001", cases["FRESH-0001"], "+"),
        ("STAGE-0000", stored["STAGE-0000"], "~"),
    ]


def _updates_in_place(table: str) -> tuple[int, int]:
    """(rows updated, of which in place: "HOT", no index entry written) by this transaction so far."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="fillfactor is PostgreSQL's")
def test_a_file_changing_every_case_it_wrote_updates_them_in_place(team):
    # The case table keeps room on its pages (perfsite migration 0002): a re-import changing every
    # case writes each one's new version beside the old, with no new index entries.
    opened = datetime.date(2016, 1, 1)
    rows = [(f"FILL-{n:04d}", "cin", team.pk, None, opened, None) for n in range(400)]
    upsert_rows_with_history(Case, "case_ref", FIELDS, rows)
    before = _updates_in_place("audits_case")
    changed = [(ref, "cp", *rest) for ref, _type, *rest in rows]
    assert upsert_rows_with_history(Case, "case_ref", FIELDS, changed) == (0, 400)
    after = _updates_in_place("audits_case")
    assert (after[0] - before[0], after[1] - before[1]) == (400, 400)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="fillfactor is PostgreSQL's")
def test_a_file_changing_every_figure_it_wrote_updates_them_in_place(db):
    indicator = make_indicator("FILL 1")
    start = datetime.date(2001, 1, 1)
    periods = [(start + datetime.timedelta(days=n), start + datetime.timedelta(days=n)) for n in range(400)]
    columns = ("indicator_id", "series", "period_start", "period_end", "period_label", "value", "scale", "status")
    insert_rows_with_history(
        IndicatorValue, columns, [(indicator.pk, "actual", s, e, "day", D("1.5"), 1, "") for s, e in periods]
    )
    stored = list(IndicatorValue.objects.filter(indicator=indicator).values_list("pk", flat=True))
    before = _updates_in_place("indicators_indicatorvalue")
    update_rows_with_history(
        IndicatorValue, ("value",), [(pk, D("2.5")) for pk in stored], compare=("value",), increment=("version",)
    )
    after = _updates_in_place("indicators_indicatorvalue")
    assert (after[0] - before[0], after[1] - before[1]) == (400, 400)
