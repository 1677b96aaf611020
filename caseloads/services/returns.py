"""Saving, submitting and reopening a caseload return, with an optimistic lock.

The lifecycle (draft, submitted; save figures, submit, reopen, replace) is declared in
``caseloads.lifecycle``; these services move a return only through it. Every change to a
return's status queues the recompute of its month's computed indicators (``caseloads.computed``).

Every change raises ``version`` by one. A save names the version it was based on; if the
return has moved on since, the save is refused with who changed it and when (``StaleReturn``)
and nothing is written, so the first person's figures stay as they saved them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from caseloads import conf, lifecycle, plausibility
from caseloads.computed import recompute_after
from caseloads.lifecycle import InvalidTransition
from caseloads.models import CaseloadLine, CaseloadReturn, ReturnReopening, Team
from caseloads.selectors import last_month_figures, roster
from caseloads.tallies import refresh_tallies
from perfsite.roles import is_performance_officer

__all__ = ["InvalidTransition", "ReturnError", "StaleReturn", "reopen_return", "save_return"]


class ReturnError(Exception):
    """A return could not be changed; the message says why in the user's words."""


class StaleReturn(ReturnError):
    def __init__(self, *, changed_by, changed_at: datetime.datetime | None, version: int):
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.version = version
        who = (changed_by.get_full_name() or changed_by.username) if changed_by else "someone else"
        when = timezone.localtime(changed_at).strftime("%-d %B %Y at %H:%M") if changed_at else "just now"
        super().__init__(
            f"{who} changed this return on {when}, after you opened it. Your changes have not been saved: "
            "reload the return to see theirs, then enter yours again."
        )


@dataclass(frozen=True)
class Flag:
    worker_id: int
    worker_name: str
    reason: str


class ImplausibleFigures(ReturnError):
    def __init__(self, flags: list[Flag]):
        self.flags = flags
        super().__init__("Some figures look implausible: check them and confirm they are right.")


class FigureOverCeiling(ReturnError):
    """A figure above the hard ceiling (``PERFSITE_CASELOAD_MAX_CASES``): no confirmation lets it through."""

    def __init__(self, over: list[tuple[int, str, int]], ceiling: int):
        self.over = over
        self.ceiling = ceiling
        names = ", ".join(f"{name} ({cases})" for _, name, cases in over)
        super().__init__(f"No worker can hold more than {ceiling} cases: correct the figures for {names}.")


class ReturnIncomplete(ReturnError):
    def __init__(self, missing: list[tuple[int, str]]):
        self.missing = missing
        names = ", ".join(name for _, name in missing)
        super().__init__(f"Enter the number of cases for every worker before submitting: {names}.")


@dataclass(frozen=True)
class SaveResult:
    caseload_return: CaseloadReturn
    changed: bool
    submitted: bool


def implausible_flags(*, month: datetime.date, figures: dict[int, int | None], names: dict[int, str]) -> list[Flag]:
    last = last_month_figures(month=month, worker_ids=figures.keys())
    flags = []
    for worker_id, cases in figures.items():
        problem = plausibility.check(cases=cases, last_month=last.get(worker_id))
        if problem is not None:
            flags.append(Flag(worker_id, names.get(worker_id, ""), problem.reason))
    return flags


def _locked_return(*, team: Team, month: datetime.date) -> CaseloadReturn | None:
    return (
        CaseloadReturn.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(team=team, month=month)
        .first()
    )


def _refuse_if_stale(caseload_return: CaseloadReturn | None, expected_version: int) -> None:
    current = caseload_return.version if caseload_return is not None else 0
    if current != expected_version:
        raise StaleReturn(
            changed_by=caseload_return.updated_by if caseload_return else None,
            changed_at=caseload_return.updated_at if caseload_return else None,
            version=current,
        )


def save_return(
    *,
    team: Team,
    month: datetime.date,
    expected_version: int,
    figures: dict[int, int | None],
    confirmed: frozenset[int] | set[int] = frozenset(),
    splits: dict[int, dict[str, int | None]] | None = None,
    user,
    submit: bool = False,
) -> SaveResult:
    """Save a return's figures (worker id -> cases, None = not entered yet) and optionally submit it.

    Who may file is decided by the caller: the return page scopes teams to the user
    (``Team.objects.visible_to``), so a team outside the user's scope never reaches here.

    ``expected_version`` is the version the user's page showed (0 for a return not yet started).
    Figures that look implausible must be listed in ``confirmed`` or nothing is saved.
    ``splits`` (worker id -> {case type field: cases}) replaces the optional split by case type;
    None leaves the saved splits as they are (dropping any that no longer fit the total).
    """
    if month.day != 1:
        raise ValueError("a return's month is the first day of the month")
    with transaction.atomic():
        caseload_return = _locked_return(team=team, month=month)
        _refuse_if_stale(caseload_return, expected_version)
        lifecycle.check_figures_may_change(caseload_return)

        existing = {}
        if caseload_return is not None:
            existing = {line.worker_id: line for line in caseload_return.lines.select_related("worker")}
        if caseload_return is not None and caseload_return.workers_fixed:
            workers = [line.worker for line in existing.values()]
        else:
            workers = roster(team=team, month=month)
        names = {worker.pk: worker.name for worker in workers}
        wanted = {worker.pk: figures.get(worker.pk) for worker in workers}

        ceiling = conf.max_cases()
        over = [(wid, names[wid], cases) for wid, cases in wanted.items() if cases is not None and cases > ceiling]
        if over:
            raise FigureOverCeiling(over, ceiling)
        flags = implausible_flags(month=month, figures=wanted, names=names)
        # A figure confirmed at an earlier save stays confirmed while it is unchanged.
        already = {
            wid for wid, line in existing.items() if line.confirmed_implausible and line.cases == wanted.get(wid)
        }
        unconfirmed = [flag for flag in flags if flag.worker_id not in confirmed and flag.worker_id not in already]
        if unconfirmed:
            raise ImplausibleFigures(unconfirmed)
        if submit:
            missing = [(worker.pk, worker.name) for worker in workers if wanted[worker.pk] is None]
            if missing:
                raise ReturnIncomplete(missing)

        now = timezone.now()
        created = False
        if caseload_return is None:
            caseload_return = _create_return(team=team, month=month, user=user, now=now)
            created = True
        flagged = {flag.worker_id for flag in flags}
        changed = _write_lines(
            caseload_return=caseload_return,
            workers=workers,
            existing=existing,
            wanted=wanted,
            splits=splits,
            flagged=flagged,
            user=user,
            refresh_snapshot=not caseload_return.workers_fixed,
        )
        if not (changed or submit or created):
            return SaveResult(caseload_return, changed=False, submitted=False)

        update_fields = ["version", "updated_at", "updated_by"]
        if not created:
            caseload_return.version += 1
        caseload_return.updated_at = now
        caseload_return.updated_by = user
        if submit:
            lifecycle.submit(caseload_return, user=user, at=now)
            update_fields += ["status", "submitted_at", "submitted_by", "first_submitted_at"]
            caseload_return._change_reason = "Submitted"
        caseload_return._history_user = user
        caseload_return.save(update_fields=update_fields)
        if submit:
            refresh_tallies(returns=[caseload_return])
            recompute_after(caseload_return)
        return SaveResult(caseload_return, changed=changed or created, submitted=submit)


def _create_return(*, team: Team, month: datetime.date, user, now) -> CaseloadReturn:
    caseload_return = CaseloadReturn(team=team, month=month, created_by=user, updated_by=user, updated_at=now)
    caseload_return._history_user = user
    try:
        with transaction.atomic():
            caseload_return.save()
    except IntegrityError:
        # Someone started the same return between our read and our insert.
        other = CaseloadReturn.objects.select_related("updated_by").get(team=team, month=month)
        raise StaleReturn(changed_by=other.updated_by, changed_at=other.updated_at, version=other.version) from None
    return caseload_return


def _write_lines(*, caseload_return, workers, existing, wanted, splits, flagged, user, refresh_snapshot: bool) -> bool:
    """Bring the lines in line with the figures in a bounded number of queries; True if anything changed."""
    split_fields = _split_fields()
    tracked = ["cases", "confirmed_implausible", "role", "employment", "wte", *split_fields]
    to_create, to_update = [], []
    for worker in workers:
        line = existing.get(worker.pk)
        is_new = line is None
        if is_new:
            line = CaseloadLine(caseload_return=caseload_return, worker=worker)
            before = None
        else:
            before = [getattr(line, name) for name in tracked]
        line.cases = wanted[worker.pk]
        line.confirmed_implausible = worker.pk in flagged
        if is_new or refresh_snapshot:
            line.role, line.employment, line.wte = worker.role, worker.employment, worker.wte
        if splits is not None:
            given = splits.get(worker.pk) or {}
            for name in split_fields:
                setattr(line, name, given.get(name))
        _fit_split(line)
        if is_new:
            to_create.append(line)
        elif [getattr(line, name) for name in tracked] != before:
            to_update.append(line)
    stale = [line for worker_id, line in existing.items() if worker_id not in wanted]
    if to_create:
        bulk_create_with_history(to_create, CaseloadLine, default_user=user)
    if to_update:
        bulk_update_with_history(to_update, CaseloadLine, tracked, default_user=user)
    for line in stale:
        # Workers who left the team or ended before the month's end, on a return not yet submitted.
        line._history_user = user
        line.delete()
    return bool(to_create or to_update or stale)


def _split_fields() -> list[str]:
    from caseloads.models import CASE_TYPE_FIELDS

    return list(CASE_TYPE_FIELDS.values())


def _fit_split(line: CaseloadLine) -> None:
    """A split by case type needs a total it fits within; one that no longer fits is dropped (it is optional)."""
    fields = _split_fields()
    if line.cases is None or sum(getattr(line, f) or 0 for f in fields) > line.cases:
        for f in fields:
            setattr(line, f, None)


def reopen_return(*, caseload_return: CaseloadReturn, user, reason: str, expected_version: int | None = None):
    """A performance officer reopens a submitted return, with a reason, so its figures can be corrected."""
    if not is_performance_officer(user):
        raise PermissionDenied("Only a performance officer can reopen a return.")
    reason = (reason or "").strip()
    if not reason:
        raise ReturnError("Enter the reason for reopening the return.")
    with transaction.atomic():
        locked = (
            CaseloadReturn.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .get(pk=caseload_return.pk)
        )
        if expected_version is not None:
            _refuse_if_stale(locked, expected_version)
        lifecycle.reopen(locked)
        now = timezone.now()
        ReturnReopening.objects.create(caseload_return=locked, reopened_by=user, reopened_at=now, reason=reason)
        locked.version += 1
        locked.updated_at = now
        locked.updated_by = user
        locked._history_user = user
        locked._change_reason = f"Reopened: {reason}"[:100]
        locked.save(update_fields=["status", "submitted_at", "submitted_by", "version", "updated_at", "updated_by"])
        # A reopened return no longer counts: its tally goes until it is submitted again.
        refresh_tallies(returns=[locked])
        recompute_after(locked)
        return locked
