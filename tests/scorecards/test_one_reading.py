"""One route to the scorecard on PostgreSQL (issue 9, seen 5 and build 7): a moderation or a caseload return
that commits while a publish runs never makes the panels disagree with their Appendix 3 rows.

Publishing reads in one REPEATABLE READ snapshot (``perfsite.one_reading``), builds the audit and caseload
panels from the very roll-ups it recomputed CASE AUDIT 1 and the CASELOAD rows from, and runs again from a
new snapshot when the queued recompute wrote a row after the snapshot began. SQLite serialises writers, so
these tests need PostgreSQL; the last also needs a real Celery worker on Redis (CI sets both).
"""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from audits import computed as audit_computed
from audits.computed import GOOD_OR_ABOVE_CODE
from audits.models import Moderation
from audits.services.moderating import record_moderation
from caseloads import computed as caseload_computed
from caseloads.computed import AVERAGE_CODE, OVER_CODE
from caseloads.models import CaseloadReturn
from caseloads.services.returns import reopen_return, save_return
from indicators.computed import recompute
from indicators.models import IndicatorValue
from perfsite.one_reading import ATTEMPTS
from perfsite.roles import Role
from scorecards import publishing
from scorecards.models import PublishedScorecard
from scorecards.publishing import PublishingError, amend, current_version, publish
from tests.conftest import make_user
from tests.scorecards.conftest import Q3, Q4, completed_audits, grades, make_team, make_worker
from tests.scorecards.test_computed import needs_redis

MARCH = datetime.date(2017, 3, 1)

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers: the race needs PostgreSQL"
)


def rows_by_code(snapshot: dict) -> dict:
    return {row["code"]: row for section in snapshot["sections"] for row in section["rows"]}


def assert_panels_agree_with_rows(snapshot: dict) -> None:
    """The audit panel's headline and previous quarter are CASE AUDIT 1's latest and previous figures; the
    caseload panel's month is CASELOAD 1's (and CASELOAD 2's where both are published)."""
    rows, audit, caseload = rows_by_code(snapshot), snapshot["audit"], snapshot["caseload"]
    row = rows[GOOD_OR_ABOVE_CODE]
    assert Decimal(audit["overall"]["pct"]) == Decimal(row["latest"]["value"])
    assert row["latest"]["period"] == Q4.period_label
    if audit["previous"] and audit["previous"]["audited"]:
        assert Decimal(audit["previous"]["pct"]) == Decimal(row["previous"]["value"])
    average, over = rows.get(AVERAGE_CODE), rows.get(OVER_CODE)
    if caseload["has_data"]:
        assert average["latest"]["period"] == "Mar 2017"
        assert Decimal(caseload["average"]) == Decimal(average["latest"]["value"])
        if caseload["over_pct_display"] not in ("c", "") and over["latest"]["value"] not in (None, "c"):
            assert Decimal(caseload["over_pct_display"].rstrip("%")) == Decimal(over["latest"]["value"])
    else:  # no return for March: its figures are gone from the rows too
        assert average is None or average["latest"]["period"] != "Mar 2017"


class World:
    """40 audits in each of Q3 and Q4 2016/17 (25 good in each, all sent for moderation), a team of 12
    with a submitted March 2017 return, and the computed indicators defined and up to date."""

    def __init__(self):
        self.officer = make_user("one-officer", Role.PERFORMANCE_OFFICER)
        self.moderator = make_user("one-moderator", Role.MODERATOR)
        self.manager = make_user("one-manager", Role.TEAM_MANAGER)
        self.team = make_team("Assessment North")
        self.team.managers.add(self.manager)
        self.workers = [make_worker(self.team) for _ in range(12)]
        self.pending = {}
        for quarter in (Q3, Q4):
            audits = completed_audits(self.team, quarter, grades(good=25, requires_improvement=15))
            self.pending[quarter.slug] = [
                Moderation.objects.create(audit=audit, moderator=self.moderator, sent_at=timezone.now())
                for audit in audits
                if audit.overall_grade == 2
            ]
        self.file_return([14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26])
        recompute()

    def file_return(self, cases: list[int]):
        current = CaseloadReturn.objects.filter(team=self.team, month=MARCH).first()
        return save_return(
            team=self.team,
            month=MARCH,
            expected_version=current.version if current else 0,
            figures={w.pk: c for w, c in zip(self.workers, cases, strict=True)},
            confirmed={w.pk for w in self.workers},
            user=self.manager,
            submit=True,
        )

    def moderate(self, quarter, grade: int = 4) -> None:
        """A moderator re-grades the next good audit of ``quarter`` (its recompute is queued on commit)."""
        moderation = self.pending[quarter.slug].pop()
        record_moderation(moderation=moderation, user=self.moderator, grade=grade, rationale="Plan not reviewed")

    def change_return(self, step: int) -> None:
        """Reopen March's return, or file it again with different figures."""
        current = CaseloadReturn.objects.get(team=self.team, month=MARCH)
        if current.status == "submitted":
            reopen_return(caseload_return=current, user=self.officer, reason="A figure was wrong")
        else:
            self.file_return([14 + (i + step) % 13 for i in range(12)])


def in_another_connection(work) -> None:
    """``work()`` on a thread of its own, so on a connection of its own, committed before this returns."""
    failure = []

    def run():
        try:
            work()
        except BaseException as error:  # handed back to the test below
            failure.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "the other connection did not finish"
    if failure:
        raise failure[0]


@pytest.fixture
def no_queued_recompute(monkeypatch):
    """The worker is slow: nothing recomputes after a change but the publish itself."""
    monkeypatch.setattr(audit_computed, "queue_recompute", lambda **kwargs: None)
    monkeypatch.setattr(caseload_computed, "queue_recompute", lambda **kwargs: None)


def commit_after_first_rollup(monkeypatch, work) -> list:
    """Run ``work`` on another connection right after the publish's first audit roll-up, before the rest
    of its reads; returns the quarters the publish rolled up, in order."""
    original = audit_computed.quarter_rollup
    publisher = threading.current_thread()
    calls = []

    def rollup(**kwargs):
        result = original(**kwargs)
        if threading.current_thread() is publisher:
            calls.append(kwargs["quarter"].slug)
            if len(calls) == 1:
                in_another_connection(work)
        return result

    monkeypatch.setattr(audit_computed, "quarter_rollup", rollup)
    return calls


def commit_once_publishing_began(monkeypatch, work, *, times: int = 1) -> list:
    """Run ``work`` on another connection after each of the first ``times`` attempts of the publish made
    its first read (its snapshot is taken) and before it recomputes (it has locked nothing yet); returns
    one entry per attempt."""
    original = publishing.recompute
    attempts = []

    def recompute_later(**kwargs):
        attempts.append(kwargs)
        if len(attempts) <= times:
            in_another_connection(work)
        return original(**kwargs)

    monkeypatch.setattr(publishing, "recompute", recompute_later)
    return attempts


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_changes_committed_while_publishing_change_neither_the_panels_nor_the_rows(monkeypatch, no_queued_recompute):
    """Before: the previous quarter's figure and the panels were read after the moderation committed, the
    rows' figures before it, and the snapshot froze both."""
    world = World()
    before = {
        q.slug: IndicatorValue.objects.get(indicator__code=GOOD_OR_ABOVE_CODE, series="actual", period_start=q.start)
        for q in (Q3, Q4)
    }
    assert (before[Q3.slug].value, before[Q4.slug].value) == (Decimal("62.5"), Decimal("62.5"))

    def moderate_and_reopen():
        world.moderate(Q3)
        world.moderate(Q4)
        world.change_return(0)

    calls = commit_after_first_rollup(monkeypatch, moderate_and_reopen)
    snapshot = publish(quarter=Q4, user=world.officer).snapshot
    assert calls, "the publish read no audit roll-up"
    assert_panels_agree_with_rows(snapshot)
    # All of it from the state before the changes: one reading, taken when the publish began.
    assert snapshot["audit"]["overall"]["pct"] == "62.5"
    assert snapshot["audit"]["previous"]["pct"] == "62.5"
    assert snapshot["caseload"]["has_data"]
    # The changes did commit; the next publish (an amendment) sees them, again in agreement.
    monkeypatch.undo()
    monkeypatch.setattr(audit_computed, "queue_recompute", lambda **kwargs: None)
    amended = amend(quarter=Q4, user=world.officer, reason="Moderated grades").snapshot
    assert_panels_agree_with_rows(amended)
    assert amended["audit"]["overall"]["pct"] == "60.0"  # 24 of 40
    assert amended["audit"]["previous"]["pct"] == "60.0"
    assert not amended["caseload"]["has_data"]


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_recompute_that_writes_first_sends_the_publish_round_again(monkeypatch):
    """The queued recompute commits a figure after the publish's snapshot began: the publish cannot write
    its older figure over it, so it starts again from a new snapshot and freezes the newer figures."""
    world = World()

    def moderate_and_recompute():
        world.moderate(Q4)
        recompute(codes=[GOOD_OR_ABOVE_CODE], days=[Q4.end])  # what the worker does on commit

    monkeypatch.setattr(audit_computed, "queue_recompute", lambda **kwargs: None)
    attempts = commit_once_publishing_began(monkeypatch, moderate_and_recompute)
    snapshot = publish(quarter=Q4, user=world.officer).snapshot
    assert len(attempts) == 2, "the publish did not start again"
    assert_panels_agree_with_rows(snapshot)
    assert snapshot["audit"]["overall"]["pct"] == "60.0"  # the moderation's figure, 24 of 40
    assert PublishedScorecard.objects.count() == 1


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_publish_that_keeps_conflicting_gives_up_and_writes_nothing(monkeypatch):
    world = World()
    monkeypatch.setattr(audit_computed, "queue_recompute", lambda **kwargs: None)

    def moderate_and_recompute():
        world.moderate(Q4)
        recompute(codes=[GOOD_OR_ABOVE_CODE], days=[Q4.end])

    attempts = commit_once_publishing_began(monkeypatch, moderate_and_recompute, times=10)
    with pytest.raises(PublishingError, match="recomputed while you published") as refused:
        publish(quarter=Q4, user=world.officer)
    assert "could not serialize" in str(refused.value.__cause__)
    assert len(attempts) == ATTEMPTS
    assert not PublishedScorecard.objects.exists()


@needs_redis
@needs_postgresql
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_moderations_and_returns_at_the_same_time_as_publishing_always_agree():
    """A moderation (and a caseload return) on one connection while an officer publishes on another, with
    the recompute on a real worker through the broker, repeated: every version frozen agrees."""
    from celery.contrib.testing.worker import start_worker

    from perfsite.celery import app

    assert app.conf.task_always_eager is False
    world = World()
    rounds = 8
    ready = threading.Barrier(2, timeout=60)

    def changes():
        for step in range(rounds):
            ready.wait()
            world.moderate(Q4)
            world.change_return(step)

    frozen, failed = [], []

    def other_connection():
        try:
            changes()
        except BaseException as error:  # handed back below
            failed.append(error)
            ready.abort()
        finally:
            connection.close()

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        other = threading.Thread(target=other_connection)
        other.start()
        try:
            for step in range(rounds):
                ready.wait()
                try:
                    if step == 0:
                        frozen.append(publish(quarter=Q4, user=world.officer))
                    else:
                        frozen.append(amend(quarter=Q4, user=world.officer, reason=f"Moderation round {step}"))
                except PublishingError as refused:  # read before the change committed: nothing new to amend
                    assert "Nothing has changed" in str(refused)
        finally:
            other.join(timeout=120)
        assert not failed, failed
        assert not other.is_alive()
    assert frozen and frozen[0].version == 1
    for version in frozen:
        assert_panels_agree_with_rows(version.snapshot)
    # Every change committed; a last amendment (or the last version) shows them all, still in agreement.
    try:
        last = amend(quarter=Q4, user=world.officer, reason="After the last moderation").snapshot
    except PublishingError:
        last = current_version(Q4).snapshot
    assert_panels_agree_with_rows(last)
    assert str(last["audit"]["overall"]["audited"]) == "40"
    assert Decimal(last["audit"]["overall"]["pct"]) == Decimal(25 - rounds) * 100 / 40
    assert last["caseload"]["has_data"]  # filed again at the last step
