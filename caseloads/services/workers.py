"""Managing workers: add, change, move between teams, end.

Team managers manage the workers of the teams they manage (and may move a worker out of their
team into any active team); performance officers manage every worker. A return that has not yet
been submitted follows these changes at its next save; a submitted return keeps its snapshot.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from caseloads.models import Team, Worker
from perfsite.roles import Role, has_role, is_performance_officer


def can_manage_team(user, team: Team) -> bool:
    if is_performance_officer(user):
        return True
    return has_role(user, Role.TEAM_MANAGER) and team.managers.filter(pk=user.pk).exists()


def _require(user, team: Team) -> None:
    if not can_manage_team(user, team):
        raise PermissionDenied("You can only manage the workers of teams you manage.")


def _save(worker: Worker, user, fields: list[str] | None = None, reason: str | None = None) -> Worker:
    worker._history_user = user
    if reason:
        worker._change_reason = reason[:100]
    worker.full_clean(exclude=["user"], validate_unique=fields is None)
    worker.save(update_fields=fields)
    return worker


@transaction.atomic
def add_worker(
    *,
    team: Team,
    name: str,
    staff_number: str,
    role: str,
    employment: str,
    wte: Decimal,
    started_on: datetime.date | None,
    user,
) -> Worker:
    _require(user, team)
    if Worker.objects.filter(staff_number=staff_number).exists():
        raise ValidationError({"staff_number": f"Staff number {staff_number} is already used by another worker."})
    worker = Worker(
        team=team,
        name=name.strip(),
        staff_number=staff_number.strip(),
        role=role,
        employment=employment,
        wte=wte,
        started_on=started_on,
    )
    return _save(worker, user, reason="Added")


@transaction.atomic
def update_worker(*, worker: Worker, name: str, role: str, employment: str, wte: Decimal, user) -> Worker:
    _require(user, worker.team)
    worker.name, worker.role, worker.employment, worker.wte = name.strip(), role, employment, wte
    return _save(worker, user, ["name", "role", "employment", "wte"], reason="Details changed")


@transaction.atomic
def move_worker(*, worker: Worker, to_team: Team, user) -> Worker:
    _require(user, worker.team)
    if not to_team.active:
        raise ValidationError({"team": f"{to_team} is closed; choose an active team."})
    if to_team.pk == worker.team_id:
        raise ValidationError({"team": f"{worker.name} is already in {to_team}."})
    reason = f"Moved from {worker.team} to {to_team}"
    worker.team = to_team
    return _save(worker, user, ["team"], reason=reason)


@transaction.atomic
def end_worker(*, worker: Worker, ended_on: datetime.date, user) -> Worker:
    _require(user, worker.team)
    if worker.started_on and ended_on < worker.started_on:
        raise ValidationError(
            {"ended_on": f"The end date must be on or after the start date, {worker.started_on:%-d %B %Y}."}
        )
    worker.ended_on = ended_on
    return _save(worker, user, ["ended_on"], reason="Ended")
