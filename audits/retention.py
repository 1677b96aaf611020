"""Retention: a closed case, its audits (with their theme grades, moderation and actions) and the change
history of all of them are deleted once ``PERFSITE_RETENTION_YEARS_AFTER_CLOSURE`` years have passed
since the case closed. The rule for data protection officers is in docs/data-protection.md.

A case closed on D is kept through the same date N years later and deleted from the day after
(29 February counts as 28 February in a year without it). Open cases are never deleted. Everything
goes in one transaction, and what was deleted is reported and logged as counts only, never a case
reference or a name. Computed figures already published (the indicator values, published
scorecards) are aggregates and stay.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audits.models import Audit, AuditAction, Case, Moderation, ThemeGrade
from audits.round_tallies import recount_rounds
from audits.tallies import quarters_of, refresh_quarters

logger = logging.getLogger(__name__)

# Ids go to the database in slices, well inside every backend's limit on query parameters.
_SLICE = 500


@dataclass(frozen=True)
class RetentionReport:
    cutoff: datetime.date
    years: int
    dry_run: bool
    records: dict[str, int]
    history: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.records.values()) + sum(self.history.values())

    def lines(self) -> list[str]:
        verb = "would delete" if self.dry_run else "deleted"
        lines = [f"Retention: cases closed before {self.cutoff:%-d %B %Y} ({self.years} years after closure)."]
        lines += [f"{verb} {count} {name}" for name, count in self.records.items()]
        lines += [f"{verb} {count} history rows of {name}" for name, count in self.history.items()]
        return lines


def retention_cutoff(today: datetime.date, years: int) -> datetime.date:
    """Cases closed before this date are past retention on ``today``."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February, in a year that has none
        return today.replace(year=today.year - years, day=28)


def _slices(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _SLICE):
        yield ids[start : start + _SLICE]


def _count(queryset_for, ids: list[int]) -> int:
    return sum(queryset_for(chunk).count() for chunk in _slices(ids))


def _delete(queryset_for, ids: list[int]) -> None:
    for chunk in _slices(ids):
        queryset_for(chunk).delete()


def apply_retention(*, today: datetime.date | None = None, dry_run: bool = False) -> RetentionReport:
    """Delete what is past retention (or, with ``dry_run``, only count it)."""
    years = settings.PERFSITE_RETENTION_YEARS_AFTER_CLOSURE
    cutoff = retention_cutoff(today or timezone.localdate(), years)
    with transaction.atomic():
        case_ids = list(Case.objects.filter(closed_on__lt=cutoff).order_by().values_list("pk", flat=True))
        audit_ids = list(Audit.objects.filter(case_id__in=case_ids).order_by().values_list("pk", flat=True))
        # Audits of these cases deleted earlier by hand still have history naming the case.
        audit_ids_in_history = set(audit_ids)
        for chunk in _slices(case_ids):
            audit_ids_in_history.update(Audit.history.filter(case_id__in=chunk).values_list("id", flat=True))
        audit_ids_in_history = sorted(audit_ids_in_history)

        by_audit = {
            "theme grades": (ThemeGrade, lambda ids: ThemeGrade.objects.filter(audit_id__in=ids)),
            "moderations": (Moderation, lambda ids: Moderation.objects.filter(audit_id__in=ids)),
            "actions": (AuditAction, lambda ids: AuditAction.objects.filter(audit_id__in=ids)),
        }
        records = {"cases": len(case_ids), "audits": len(audit_ids)}
        records |= {name: _count(rows, audit_ids) for name, (_, rows) in by_audit.items()}

        histories = {
            "cases": (lambda ids: Case.history.filter(id__in=ids), case_ids),
            "audits": (lambda ids: Audit.history.filter(id__in=ids), audit_ids_in_history),
        }
        histories |= {
            name: (lambda ids, model=model: model.history.filter(audit_id__in=ids), audit_ids_in_history)
            for name, (model, _) in by_audit.items()
        }
        history = {name: _count(rows, ids) for name, (rows, ids) in histories.items()}

        if not dry_run:
            # Audits first (their grades, moderation and actions go with them), then the cases they
            # protect. Deleting writes a "deleted" history row for each record; the prune after it
            # removes those too, so nothing about the case is left.
            # The quarters the deleted audits counted in are counted again without them.
            counted_in = quarters_of(*Audit.objects.filter(case__closed_on__lt=cutoff).dates("completed_on", "month"))
            rounds = set(Audit.objects.filter(case__closed_on__lt=cutoff).values_list("round_id", flat=True).distinct())
            _delete(lambda ids: Audit.objects.filter(pk__in=ids), audit_ids)
            _delete(lambda ids: Case.objects.filter(pk__in=ids), case_ids)
            for rows, ids in histories.values():
                _delete(rows, ids)
            refresh_quarters(quarters=counted_in)
            recount_rounds(rounds=rounds)

    report = RetentionReport(cutoff=cutoff, years=years, dry_run=dry_run, records=records, history=history)
    logger.info(
        "Retention%s: cutoff %s; %s; history %s",
        " (dry run)" if dry_run else "",
        cutoff.isoformat(),
        ", ".join(f"{name} {count}" for name, count in records.items()),
        ", ".join(f"{name} {count}" for name, count in history.items()),
    )
    return report
