"""Each round's status tally: equal to a direct count of its audits after any sequence of changes, kept by
every write path that moves an audit, and read by the rounds pages in the same queries at any round size."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from audits.choices import AuditStatus, Grade, RoundKind
from audits.models import Audit, AuditRound, Case, Moderation, RoundStatusTally
from audits.round_tallies import count_moves, rebuild_round_tallies, recount_rounds, round_progress, standing_of
from audits.services.auditing import close_audit, return_to_auditor, save_draft, submit_audit
from audits.services.moderating import record_moderation, send_for_moderation
from audits.services.rounds import create_thematic_round
from caseloads.models import Team
from indicators.quarters import Quarter
from tests.audits.rollup_oracle import assert_round_tallies_follow, direct_round_statuses, tallied_round_statuses
from tests.audits.test_auditing_services import full_entry
from tests.audits.test_query_counts import queries

Q4 = Quarter.parse("2016-17-q4")
ROUNDS = 3
# Statuses a moderation may exist in: sent when submitted, then moderated and closed.
SENDABLE = (AuditStatus.SUBMITTED, AuditStatus.MODERATED, AuditStatus.CLOSED)

audit_specs = st.fixed_dictionaries(
    {"round": st.integers(0, ROUNDS - 1), "status": st.sampled_from(AuditStatus.values), "sent": st.booleans()}
)
changes = st.fixed_dictionaries(
    {
        "what": st.sampled_from(["status", "send", "unsend", "delete", "reround", "create", "recount"]),
        "audit": st.integers(min_value=0),
        "status": st.sampled_from(AuditStatus.values),
        "round": st.integers(0, ROUNDS - 1),
    }
)


class _World:
    """Rounds and audits written straight to the tables, each change told to the tally as a write path would."""

    def __init__(self, specs):
        self.team = Team.objects.create(name="North", service_area="safeguarding")
        self.rounds = [
            AuditRound.objects.create(kind=RoundKind.THEMATIC, quarter=Q4.slug, title=f"R{n}") for n in range(ROUNDS)
        ]
        self.cases = 0
        self.alive: list[Audit] = []
        for spec in specs:
            audit = self._new(self.rounds[spec["round"]], spec["status"])
            if spec["sent"] and spec["status"] in SENDABLE:
                Moderation.objects.create(audit=audit)
        rebuild_round_tallies()

    def _new(self, round_, status) -> Audit:
        self.cases += 1
        case = Case.objects.create(case_ref=f"C-{self.cases:06d}", case_type="cin", team=self.team)
        audit = Audit.objects.create(round=round_, case=case, team=self.team, case_type="cin", status=status)
        self.alive.append(audit)
        return audit

    @staticmethod
    def _standing(audit: Audit):
        audit = Audit.objects.get(pk=audit.pk)
        return standing_of(audit, sent_for_moderation=Moderation.objects.filter(audit=audit).exists())

    def apply(self, change) -> None:
        round_ = self.rounds[change["round"]]
        if change["what"] == "create":
            audit = self._new(round_, change["status"])
            count_moves([(None, self._standing(audit))])
            return
        if change["what"] == "recount":
            recount_rounds(rounds=[round_])
            return
        if not self.alive:
            return
        audit = self.alive[change["audit"] % len(self.alive)]
        before = self._standing(audit)
        sent = before.sent_for_moderation
        if change["what"] == "status" and (not sent or change["status"] in SENDABLE):
            Audit.objects.filter(pk=audit.pk).update(status=change["status"])
        elif change["what"] == "send" and not sent and before.status in SENDABLE:
            Moderation.objects.create(audit=audit)
        elif change["what"] == "unsend":  # the historic results import drops a moderation
            Moderation.objects.filter(audit=audit).delete()
        elif change["what"] == "delete":
            Audit.objects.filter(pk=audit.pk).delete()
            self.alive.remove(audit)
            count_moves([(before, None)])
            return
        elif change["what"] == "reround":  # an admin revert to another round: a bulk write, so a recount
            if not Audit.objects.filter(round=round_, case_id=audit.case_id).exists():
                Audit.objects.filter(pk=audit.pk).update(round=round_)
            recount_rounds(rounds=[before.round_id, round_.pk])
            return
        count_moves([(before, self._standing(audit))])


class TestTheTallyEqualsTheDirectCount(HypothesisTestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(specs=st.lists(audit_specs, max_size=10), edits=st.lists(changes, max_size=8))
    def test_after_any_sequence_of_changes(self, specs, edits):
        world = _World(specs)
        assert tallied_round_statuses() == direct_round_statuses()
        for change in edits:
            world.apply(change)
        assert_round_tallies_follow()
        progress = round_progress(r.pk for r in world.rounds)
        for round_ in world.rounds:
            direct = {s: n for (r, s), (n, _sent) in direct_round_statuses().items() if r == round_.pk}
            assert progress[round_.pk].total == sum(direct.values())
            assert progress[round_.pk].by_status == {s: direct.get(s, 0) for s in AuditStatus.values}
            awaiting = Audit.objects.filter(round=round_, status=AuditStatus.SUBMITTED, moderation__isnull=True)
            assert progress[round_.pk].awaiting_moderation == awaiting.count()


# Through the real write paths ------------------------------------------------------------------


@pytest.fixture
def drawn(build, auditor):
    """A thematic round of three cases drawn through the service, every audit allocated to the auditor."""
    team = build.team("North")
    refs = [build.case(team, case_type="cp").case_ref for _ in range(3)]
    round_ = create_thematic_round(
        quarter=Q4, title="Neglect", case_refs=refs, on=Q4.end, auditors=[auditor], user=auditor
    )
    assert_round_tallies_follow()
    return round_


def test_every_move_of_an_audit_keeps_its_round_s_tally(drawn, auditor, officer, moderator):
    first, second, third = drawn.audits.order_by("pk")
    save_draft(audit=first, user=auditor, entry=full_entry())
    assert_round_tallies_follow()
    for audit in (first, second, third):
        submit_audit(audit=audit, user=auditor, entry=full_entry(Grade.GOOD))
        assert_round_tallies_follow()
    return_to_auditor(audit=third, user=officer, reason="Evidence missing")
    assert_round_tallies_follow()
    [moderation] = send_for_moderation(moderators=[moderator], user=officer, audits=[first])
    assert_round_tallies_follow()
    assert round_progress([drawn.pk])[drawn.pk].awaiting_moderation == 1
    record_moderation(moderation=moderation, user=moderator, grade=Grade.GOOD.value, rationale="Agreed")
    assert_round_tallies_follow()
    for audit in (first, second):
        close_audit(audit=audit, user=officer)
        assert_round_tallies_follow()
    progress = round_progress([drawn.pk])[drawn.pk]
    assert (progress.total, progress.to_do, progress.finished, progress.sent_for_moderation) == (3, 1, 2, 1)
    assert progress.by_status[AuditStatus.CLOSED] == 2


def test_a_move_is_one_update_a_status_whatever_the_round_s_size(drawn, auditor):
    first, second, _third = drawn.audits.order_by("pk")
    save_draft(audit=first, user=auditor, entry=full_entry())  # the round's first audit in progress: its row
    with CaptureQueriesContext(connection) as captured:
        save_draft(audit=second, user=auditor, entry=full_entry())
    tally = [q["sql"] for q in captured if "audits_roundstatustally" in q["sql"]]
    assert len(tally) == 2 and all(sql.startswith("UPDATE") for sql in tally)
    assert not [sql for sql in tally if "audits_audit" in sql]  # no recount of the round


def test_a_move_the_tally_cannot_take_counts_its_round_again(drawn, auditor):
    # Audits loaded by SQL behind the tally's back: the next move finds too few to take one from.
    RoundStatusTally.objects.filter(round=drawn).delete()
    save_draft(audit=drawn.audits.order_by("pk").first(), user=auditor, entry=full_entry())
    assert_round_tallies_follow()


def test_the_rebuild_command_counts_the_rounds_again(drawn):
    RoundStatusTally.objects.update(audits=99)
    out = StringIO()
    call_command("rebuild_audit_tallies", stdout=out)
    assert "1 round status rows." in out.getvalue()
    assert_round_tallies_follow()


def test_deleting_a_round_deletes_its_tally(drawn):
    Audit.objects.filter(round=drawn).delete()
    drawn.delete()
    assert not RoundStatusTally.objects.exists()


# The pages read the tally ---------------------------------------------------------------------


def _grow(build, round_, count, *, auditor):
    team = build.team()
    for n in range(count):
        status = [AuditStatus.ALLOCATED, AuditStatus.IN_PROGRESS, AuditStatus.SUBMITTED][n % 3]
        build.audit(build.case(team), auditor=auditor, round=round_, status=status)


def test_the_rounds_list_reads_the_tally_in_the_same_queries_at_two_round_sizes(
    client, build, officer, auditor, django_assert_num_queries
):
    rounds = [build.round(title=f"Round {n}") for n in range(3)]
    client.force_login(officer)
    url = reverse("audits:round_list")
    for round_ in rounds:
        _grow(build, round_, 3, auditor=auditor)
    small = queries(client, url)
    for round_ in rounds:
        _grow(build, round_, 30, auditor=auditor)
    with django_assert_num_queries(small) as captured:
        response = client.get(url)
    assert not [q["sql"] for q in captured.captured_queries if '"audits_audit"' in q["sql"]]  # no audit counted
    shown = {round_.pk: (p.total, p.to_do, p.finished) for round_, p in response.context["rows"]}
    assert shown == dict.fromkeys((r.pk for r in rounds), (33, 22, 11))
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">33</td>' in response.content.decode()


def test_a_round_s_page_reads_its_progress_from_the_tally(
    client, build, officer, auditor, moderator, django_assert_num_queries
):
    round_ = build.round()
    client.force_login(officer)
    url = reverse("audits:round_detail", args=[round_.pk])
    _grow(build, round_, 3, auditor=auditor)
    small = queries(client, url)
    _grow(build, round_, 30, auditor=auditor)
    build.completed(Grade.GOOD, round=round_, moderator=moderator)
    with django_assert_num_queries(small):
        response = client.get(url)
    progress = response.context["progress"]
    assert (progress.total, progress.sent_for_moderation, progress.awaiting_moderation) == (34, 1, 11)
    html = response.content.decode()
    assert "34: 11 allocated, 11 in progress, 12 submitted, 0 moderated, 0 closed. 1 sent for moderation." in html
    assert "11 submitted audit(s) have not been sent for moderation" in html


def _lock_order(captured) -> list[str]:
    """The advisory locks a transaction took, in order: "audit tallies" and "round", first taking each."""
    from audits import round_tallies, tallies

    taken = []
    for query in captured:
        sql = query["sql"]
        if "pg_advisory_xact_lock" not in sql:
            continue
        name = (
            "round" if str(round_tallies._LOCK_KEY) in sql else "audit tallies" if str(tallies._LOCK_KEY) in sql else ""
        )
        if name and name not in taken:
            taken.append(name)
    return taken


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the advisory locks are PostgreSQL's")
def test_the_services_take_the_two_tally_locks_in_the_bulk_writers_order(drawn, auditor, officer, moderator):
    """Admin saves, retention and the results import take the audit tallies' lock, then the round's; a
    service taking them the other way round deadlocked with them in the same round."""
    first, second, _ = drawn.audits.order_by("pk")
    orders = []
    for audit in (first, second):
        with CaptureQueriesContext(connection) as captured:
            submit_audit(audit=audit, user=auditor, entry=full_entry(Grade.GOOD))
        orders.append(_lock_order(captured))
    with CaptureQueriesContext(connection) as captured:
        return_to_auditor(audit=second, user=officer, reason="Evidence missing")
    orders.append(_lock_order(captured))
    [moderation] = send_for_moderation(moderators=[moderator], user=officer, audits=[first])
    with CaptureQueriesContext(connection) as captured:
        record_moderation(moderation=moderation, user=moderator, grade=Grade.GOOD.value, rationale="Agreed")
    orders.append(_lock_order(captured))
    assert orders == [["audit tallies", "round"]] * 4
