"""Keeping the audit tallies (``audits.tally_models``) equal to the audits they count.

``refresh_quarters(quarters=...)`` rewrites the given quarters' rows from the audits: per table, one
DELETE and one INSERT ... SELECT ... GROUP BY, whatever the number of audits. Every write that can
change what a completed audit counts as (the historic results import, retention, admin saves, demo
loaders) calls it inside its own transaction, naming the quarters the audits counted in before and
after (and, where only some rounds changed, those rounds), so the roll-ups never read a tally that
disagrees with the audits. A write to one audit (submitting, returning, moderating) calls
``refresh_audit``, which rewrites only that audit's round and team rows of its quarters.
``rebuild_all()`` rewrites every row (``manage.py rebuild_audit_tallies``, the benchmark data).

On PostgreSQL a transaction-scoped advisory lock serialises refreshes: two writers refreshing the same
quarter at once would otherwise both insert its rows and the second would break the unique constraint.
The refresh is each writer's last step, so the lock is held only until its commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps as installed_apps
from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncQuarter

from audits.choices import COMPLETED_STATUSES, GRADE_KEYS
from indicators.quarters import Quarter

# pg_advisory_xact_lock's key for "the audit tallies" (any constant unlikely to clash; "AUDT").
_LOCK_KEY = 0x41554454

_AUDIT_GROUP = ("quarter_start", "round_id", "kind", "team_id", "case_type")
_THEME_GROUP = ("quarter_start", "round_id", "kind", "team_id", "theme")


def quarters_of(*days: datetime.date | None) -> set[Quarter]:
    """The quarters ``days`` fall in (an audit's completion dates before and after a change; None skipped)."""
    return {Quarter.containing(day) for day in days if day is not None}


def _grade_counts(field_name: str) -> dict[str, Count]:
    return {name: Count("pk", filter=Q(**{field_name: value})) for value, name in GRADE_KEYS.items()}


@dataclass(frozen=True)
class _Scope:
    """Which tally rows to rewrite: some quarters (all when None), optionally only some rounds' (and one team's)."""

    quarters: list[Quarter] | None
    round_ids: tuple[int, ...] | None = None
    team_id: int | None = None


def _in_scope(prefix: str, scope: _Scope) -> Q:
    completed = Q(
        **{
            f"{prefix}status__in": COMPLETED_STATUSES,
            f"{prefix}overall_grade__isnull": False,
            f"{prefix}completed_on__isnull": False,
        }
    )
    if scope.round_ids is not None:
        completed &= Q(**{f"{prefix}round_id__in": scope.round_ids})
    if scope.team_id is not None:
        completed &= Q(**{f"{prefix}team_id": scope.team_id})
    quarters = scope.quarters
    if quarters is None:
        return completed
    periods = Q(pk__in=[])
    for quarter in quarters:
        periods |= Q(**{f"{prefix}completed_on__gte": quarter.start, f"{prefix}completed_on__lte": quarter.end})
    return completed & periods


def audit_groups(audit_model, scope: _Scope) -> QuerySet:
    """The AuditTally rows the audits make, as one GROUP BY (columns in ``_AUDIT_GROUP`` order, then counts)."""
    return (
        audit_model._base_manager.filter(_in_scope("", scope))
        .annotate(agreed=Coalesce("moderation__grade", "overall_grade"))
        .values(
            g_quarter_start=TruncQuarter("completed_on"),
            g_round_id=F("round_id"),
            g_kind=F("round__kind"),
            g_team_id=F("team_id"),
            g_case_type=F("case_type"),
        )
        .annotate(
            **_grade_counts("agreed"),
            moderated=Count("pk", filter=Q(moderation__grade__isnull=False)),
            agreed_by_moderator=Count("pk", filter=Q(moderation__grade=F("overall_grade"))),
        )
        .order_by()
    )


def theme_groups(theme_grade_model, scope: _Scope) -> QuerySet:
    """The ThemeTally rows the theme grades of completed audits make, as one GROUP BY."""
    return (
        theme_grade_model._base_manager.filter(_in_scope("audit__", scope), grade__isnull=False)
        .values(
            g_quarter_start=TruncQuarter("audit__completed_on"),
            g_round_id=F("audit__round_id"),
            g_kind=F("audit__round__kind"),
            g_team_id=F("audit__team_id"),
            g_theme=F("theme"),
        )
        .annotate(**_grade_counts("grade"))
        .order_by()
    )


def _insert_select(cursor, tally_model, columns: tuple[str, ...], groups: QuerySet) -> None:
    # The SELECT's columns come out in the order values() then annotate() named them, which is the
    # order written here; the property tests (tests/audits/test_tallies.py) hold the two together.
    sql, params = groups.query.sql_with_params()
    names = ", ".join(connection.ops.quote_name(name) for name in columns)
    cursor.execute(f"INSERT INTO {connection.ops.quote_name(tally_model._meta.db_table)} ({names}) {sql}", params)


def _delete(cursor, tally_model, scope: _Scope) -> None:
    """One DELETE of the scope's rows: derived rows with nothing depending on them, so no per-row signals."""
    where, params = [], []
    if scope.quarters is not None:
        where.append(f"quarter_start IN ({', '.join(['%s'] * len(scope.quarters))})")
        params += [quarter.start for quarter in scope.quarters]
    if scope.round_ids is not None:
        where.append(f"round_id IN ({', '.join(['%s'] * len(scope.round_ids))})")
        params += list(scope.round_ids)
    if scope.team_id is not None:
        where.append("team_id = %s")
        params.append(scope.team_id)
    sql = f"DELETE FROM {connection.ops.quote_name(tally_model._meta.db_table)}"  # noqa: S608 - the model's table  # nosec B608
    cursor.execute(f"{sql} WHERE {' AND '.join(where)}" if where else sql, params)


def _rewrite(models, scope: _Scope) -> None:
    audit_model, theme_grade_model, audit_tally, theme_tally = models
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        for tally in (audit_tally, theme_tally):
            _delete(cursor, tally, scope)
        counts = [*GRADE_KEYS.values()]
        _insert_select(
            cursor,
            audit_tally,
            (*_AUDIT_GROUP, *counts, "moderated", "agreed_by_moderator"),
            audit_groups(audit_model, scope),
        )
        _insert_select(cursor, theme_tally, (*_THEME_GROUP, *counts), theme_groups(theme_grade_model, scope))


def _models(apps=None) -> tuple:
    apps = apps or installed_apps
    return tuple(apps.get_model("audits", name) for name in ("Audit", "ThemeGrade", "AuditTally", "ThemeTally"))


def refresh_quarters(*, quarters: Iterable[Quarter], rounds: Iterable | None = None) -> None:
    """Rewrite ``quarters``' tallies from their completed audits (call it after the write, in its transaction).

    ``rounds`` (rounds or their ids) narrows it to the rows of those rounds, when only their audits changed
    (the historic results import): a recount of those rounds, not of every audit in the quarters."""
    quarters = sorted(set(quarters))
    round_ids = None if rounds is None else tuple(sorted({getattr(r, "pk", r) for r in rounds}))
    if quarters and round_ids != ():
        _rewrite(_models(), _Scope(quarters, round_ids=round_ids))


def refresh_audit(audit, *, counted_on: datetime.date | None = None) -> None:
    """After one audit changed (not its round or team): rewrite only its round's and team's rows of the
    quarters it counted in before (``counted_on``) and after, a few rows whatever the size of the quarter."""
    quarters = sorted(quarters_of(counted_on, audit.completed_on))
    if quarters:
        _rewrite(_models(), _Scope(quarters, round_ids=(audit.round_id,), team_id=audit.team_id))


def rebuild_all(*, apps=None) -> None:
    """Rewrite every tally from the audits (``apps``: a migration's historical app registry)."""
    _rewrite(_models(apps), _Scope(None))
