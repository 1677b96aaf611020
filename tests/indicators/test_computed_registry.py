"""The registry of computed indicators: sources register their codes, one task recomputes the periods of
the days it is given (or every period), and a change queues it only once its transaction commits."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from indicators import computed
from indicators.computed import ComputedSource, recompute, register
from indicators.tasks import queue_recompute, recompute_computed_indicators


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test, the app's own restored afterwards."""
    monkeypatch.setattr(computed, "_sources", {})


def fake_source(label="fake", codes=("FAKE 1", "FAKE 2"), written=None):
    written = [] if written is None else written

    def recompute_period(month):
        written.append(month)
        return 1

    return ComputedSource(
        label=label,
        records=f"{label} records",
        codes=codes,
        period_of=lambda day: day.replace(day=1),
        recompute_period=recompute_period,
        periods=lambda: [datetime.date(2017, 1, 1), datetime.date(2017, 2, 1)],
        define=lambda: written.append("defined"),
    )


def test_the_apps_register_the_three_computed_indicators():
    assert set(computed.registered_codes()) == {"CASE AUDIT 1", "CASELOAD 1", "CASELOAD 2"}
    assert computed.source_of("CASELOAD 2") is computed.source_of("CASELOAD 1")


def test_registering_again_is_harmless_but_a_second_source_for_a_code_is_refused(registry):
    source = fake_source()
    register(source)
    register(source)
    assert computed.registered_codes() == ("FAKE 1", "FAKE 2")
    with pytest.raises(ValueError, match="FAKE 2 is already computed from fake records"):
        register(fake_source(label="other", codes=("FAKE 2",)))


@pytest.mark.parametrize(
    ("codes", "days", "expected"),
    [
        # Two days of one month and one of the next: two periods, each written once for both codes.
        (["FAKE 1"], ["2017-03-02", "2017-03-30", "2017-04-01"], ["2017-03-01", "2017-04-01"]),
        (["FAKE 1", "FAKE 2"], ["2017-03-02"], ["2017-03-01"]),
        # No days: every period the source knows of, after defining its indicators.
        (None, None, ["defined", "2017-01-01", "2017-02-01"]),
    ],
)
def test_recompute_writes_each_period_once(registry, codes, days, expected):
    written = []
    register(fake_source(written=written))
    result = recompute(codes=codes, days=None if days is None else [datetime.date.fromisoformat(d) for d in days])
    assert [str(item) for item in written] == expected
    periods = len([item for item in written if item != "defined"])
    assert result == {"fake": {"periods": periods, "changed": periods}}


def test_an_unknown_code_is_refused(registry):
    with pytest.raises(KeyError, match="NOPE"):
        recompute(codes=["NOPE"])


def test_the_task_is_thin_and_takes_iso_days(registry):
    written = []
    register(fake_source(written=written))
    assert recompute_computed_indicators(codes=["FAKE 1"], days=["2017-05-09"]) == {
        "fake": {"periods": 1, "changed": 1}
    }
    assert written == [datetime.date(2017, 5, 1)]


@pytest.mark.django_db(transaction=True)
def test_a_recompute_is_queued_only_when_the_change_commits(queued_recomputes):
    march = datetime.date(2017, 3, 9)
    with transaction.atomic():
        queue_recompute(codes=["CASELOAD 1"], days=[march, None, march])
        assert queued_recomputes == []  # not before the commit
    assert queued_recomputes == [(("CASELOAD 1",), ("2017-03-09",))]
    with transaction.atomic():
        queue_recompute(codes=["CASELOAD 1"], days=[march])
        transaction.set_rollback(True)
    assert len(queued_recomputes) == 1  # a rolled-back change queues nothing
    queue_recompute(codes=["CASE AUDIT 1"], days=[None])
    assert len(queued_recomputes) == 1  # an audit never completed counts in no quarter
