"""Keeping each round's status tally (``audits.tally_models.RoundStatusTally``) equal to its audits.

Two ways in, both inside the writer's own transaction:

- ``count_moves(...)``: audits created or moved (drawn, started, submitted, returned, moderated, closed,
  sent for moderation). Each move takes one from the row it left and adds one to the row it reached: an UPDATE a
  row, whatever the size of the round, so submitting costs the same in a round of 50 or 50,000 audits
  (only a round's first audit in a status, which has no row yet, has its round counted again).
- ``recount_rounds(rounds=...)``: a bulk write (the historic results import, retention, an admin save or
  revert) counts those rounds again: one DELETE and one INSERT ... SELECT ... GROUP BY.

``rebuild_round_tallies()`` counts every round again (``manage.py rebuild_audit_tallies``, the demo, the
benchmark's generated data). On PostgreSQL a transaction-scoped advisory lock per round serialises writers
of the same round, taken in round order so two writers never wait on each other: a move could otherwise
land between a recount's DELETE and INSERT, and two recounts insert the same rows. Writers take it last,
after their audits are written and after the audit tallies' lock (``audits.tallies``), so the two locks
are taken in one order everywhere (the services as the bulk writers: no deadlock between an admin save
and a submission in the same round) and held only until their commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps as installed_apps
from django.db import connection, transaction
from django.db.models import Count, F

from audits.choices import AuditStatus

# pg_advisory_xact_lock(key, round id)'s first key for "a round's status tally" ("RNDS").
_LOCK_KEY = 0x524E4453

TO_DO_STATUSES = (AuditStatus.ALLOCATED, AuditStatus.IN_PROGRESS)
FINISHED_STATUSES = (AuditStatus.SUBMITTED, AuditStatus.MODERATED, AuditStatus.CLOSED)


@dataclass(frozen=True)
class Standing:
    """Where an audit counts on its round's tally: its round, its status, and whether it was sent for moderation."""

    round_id: int
    status: str
    sent_for_moderation: bool = False


def standing_of(audit, *, sent_for_moderation: bool = False) -> Standing:
    return Standing(audit.round_id, str(audit.status), sent_for_moderation)


@dataclass(frozen=True)
class RoundProgress:
    """A round's audits by status, as the rounds pages show them."""

    by_status: dict[str, int] = field(default_factory=dict)
    sent_for_moderation: int = 0
    awaiting_moderation: int = 0  # submitted and not yet sent

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def to_do(self) -> int:
        return sum(self.by_status.get(status, 0) for status in TO_DO_STATUSES)

    @property
    def finished(self) -> int:
        return sum(self.by_status.get(status, 0) for status in FINISHED_STATUSES)


def round_progress(round_ids: Iterable[int]) -> dict[int, RoundProgress]:
    """Each round's progress, read from its tally in one query (a round with no audits reads as empty)."""
    from audits.tally_models import RoundStatusTally

    ids = list(round_ids)
    by_status: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    sent: dict[int, int] = dict.fromkeys(ids, 0)
    awaiting: dict[int, int] = dict.fromkeys(ids, 0)
    rows = RoundStatusTally.objects.filter(round_id__in=ids, audits__gt=0).values_list(
        "round_id", "status", "audits", "sent_for_moderation"
    )
    for round_id, status, audits, sent_count in rows:
        by_status[round_id][status] = audits
        sent[round_id] += sent_count
        if status == AuditStatus.SUBMITTED:
            awaiting[round_id] += audits - sent_count
    return {
        pk: RoundProgress(
            by_status={status.value: by_status[pk].get(status.value, 0) for status in AuditStatus},
            sent_for_moderation=sent[pk],
            awaiting_moderation=awaiting[pk],
        )
        for pk in ids
    }


def _table(apps=None) -> str:
    return connection.ops.quote_name((apps or installed_apps).get_model("audits", "RoundStatusTally")._meta.db_table)


def _lock(cursor, round_ids: Iterable[int]) -> None:
    if connection.vendor == "postgresql":
        for round_id in sorted(set(round_ids)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_KEY, round_id])


def count_moves(moves: Iterable[tuple[Standing | None, Standing | None]]) -> None:
    """Count audits moving from one standing to another (None: created or deleted) on their rounds' tallies."""
    deltas: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for before, after in moves:
        for standing, sign in ((before, -1), (after, 1)):
            if standing is not None:
                delta = deltas[(standing.round_id, standing.status)]
                delta[0] += sign
                delta[1] += sign * standing.sent_for_moderation
    changed = sorted((key, delta) for key, delta in deltas.items() if delta != [0, 0])
    if not changed:
        return
    table = _table()
    stale = set()
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor, (round_id for (round_id, _), _ in changed))
        # Rows are taken in (round, status) order, so two writers never wait on each other's.
        for (round_id, status), (audits, sent) in changed:
            cursor.execute(
                f"UPDATE {table} SET audits = audits + %s, sent_for_moderation = sent_for_moderation + %s "  # noqa: S608 - the model's table  # nosec B608
                "WHERE round_id = %s AND status = %s AND audits + %s >= 0 AND sent_for_moderation + %s >= 0 "
                "AND sent_for_moderation + %s <= audits + %s",
                [audits, sent, round_id, status, audits, sent, sent, audits],
            )
            if cursor.rowcount == 0:
                stale.add(round_id)
    if stale:
        # A round's first audit in a status has no row yet, and a row the move would take below nothing means
        # the tally missed a write (audits loaded by SQL): either way that round is counted again, once.
        _recount(tuple(sorted(stale)))


def _recount(round_ids: tuple[int, ...] | None, apps=None) -> None:
    audit_model = (apps or installed_apps).get_model("audits", "Audit")
    audits = audit_model._base_manager.all()
    if round_ids is not None:
        audits = audits.filter(round_id__in=round_ids)
    groups = (
        audits.values(g_round_id=F("round_id"), g_status=F("status"))
        .annotate(g_audits=Count("pk"), g_sent=Count("moderation"))
        .order_by()
    )
    select, params = groups.query.sql_with_params()
    table = _table(apps)
    with transaction.atomic(), connection.cursor() as cursor:
        if round_ids is None:
            if connection.vendor == "postgresql":
                cursor.execute("LOCK TABLE " + table + " IN EXCLUSIVE MODE")
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - the model's table  # nosec B608
        else:
            _lock(cursor, round_ids)
            marks = ", ".join(["%s"] * len(round_ids))
            cursor.execute(f"DELETE FROM {table} WHERE round_id IN ({marks})", list(round_ids))  # noqa: S608  # nosec B608
        cursor.execute(
            f"INSERT INTO {table} (round_id, status, audits, sent_for_moderation) {select}",  # nosec B608
            params,
        )


def recount_rounds(*, rounds: Iterable) -> None:
    """Count ``rounds`` (rounds or their ids) again from their audits (call it after the write, in its transaction)."""
    round_ids = tuple(sorted({getattr(round_, "pk", round_) for round_ in rounds} - {None}))
    if round_ids:
        _recount(round_ids)


def rebuild_round_tallies(*, apps=None) -> None:
    """Count every round again (``apps``: a migration's historical app registry)."""
    _recount(None, apps)
