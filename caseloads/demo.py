"""Demo caseloads: ten teams, about 120 workers and monthly returns from February 2016 to April 2017.

The picture follows the reference (paragraph 17 and the "Social Worker Caseload (Feb 2016—Apr
2017)" chart): caseloads per WTE fall from the February 2016 baseline (the Ofsted inspection),
but more practitioners hold over 20 cases in the last quarter (January to March 2017) than in the
quarter before, as child protection plans rose. Everything is generated from a fixed seed, so the
data are the same on every machine; every name is fictional. Loading is idempotent: teams,
users, workers and returns are created only where missing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from caseloads import counting
from caseloads.demo_names import FIRST_NAMES, LAST_NAMES
from caseloads.lifecycle import submit
from caseloads.models import (
    CaseloadLine,
    CaseloadReturn,
    Employment,
    ServiceArea,
    Team,
    Worker,
    WorkerRole,
)
from caseloads.months import add_months, month_end, months_between
from caseloads.services.reminders import due_date
from caseloads.tallies import refresh_tallies
from perfsite.roles import Role

SEED = 20170331
FIRST_MONTH = datetime.date(2016, 2, 1)
LAST_MONTH = datetime.date(2017, 4, 1)
MONTHS = months_between(FIRST_MONTH, LAST_MONTH)

# The average caseload per WTE the demo aims at, county-wide, month by month: down from the
# baseline through 2016, up again in January to March 2017 as child protection plans rose.
TARGET_PER_WTE = dict(
    zip(
        MONTHS,
        [24.3, 23.9, 23.3, 22.6, 21.9, 21.2, 20.6, 19.8, 19.1, 18.7, 18.4, 18.7, 19.0, 19.3, 19.1],
        strict=True,
    )
)

# (team name, service area, manager username, how busy the team is relative to the county)
TEAMS = [
    ("Assessment Team North", ServiceArea.ASSESSMENT, "manager", 1.06),
    ("Assessment Team South", ServiceArea.ASSESSMENT, "manager2", 1.08),
    ("Assessment Team East", ServiceArea.ASSESSMENT, "manager3", 1.03),
    ("Safeguarding and Child Protection North", ServiceArea.SAFEGUARDING, "manager", 1.04),
    ("Safeguarding and Child Protection South", ServiceArea.SAFEGUARDING, "manager4", 1.07),
    ("Safeguarding and Child Protection East", ServiceArea.SAFEGUARDING, "manager4", 1.01),
    ("Looked After Children North", ServiceArea.LOOKED_AFTER, "manager5", 0.95),
    ("Looked After Children South", ServiceArea.LOOKED_AFTER, "manager5", 0.97),
    ("Care Leavers (Young People's Service)", ServiceArea.CARE_LEAVERS, "manager6", 0.90),
    ("Children with Disabilities", ServiceArea.DISABILITY, "manager6", 0.82),
]
EXTRA_MANAGERS = {
    "manager2": ("Nadia", "Okafor"),
    "manager3": ("Gareth", "Lowery"),
    "manager4": ("Priya", "Raman"),
    "manager5": ("Tom", "Hebburn"),
    "manager6": ("Helen", "Swaledale"),
}
# The demo `manager` leaves one April 2017 return as a draft to finish; one team has not started.
DRAFT_IN_APRIL_2017 = "Safeguarding and Child Protection North"
NOT_STARTED_IN_APRIL_2017 = "Care Leavers (Young People's Service)"


@dataclass
class PlannedWorker:
    staff_number: str
    name: str
    team: str
    role: str
    employment: str
    wte: Decimal
    started_on: datetime.date | None
    ended_on: datetime.date | None
    factor: float  # how this worker's caseload compares with the team's

    def active_in(self, month: datetime.date) -> bool:
        end = month_end(month)
        return (self.started_on is None or self.started_on <= end) and (self.ended_on is None or self.ended_on >= end)


@dataclass
class Plan:
    workers: list[PlannedWorker] = field(default_factory=list)
    # (team, month) -> [(staff number, cases)]
    returns: dict[tuple[str, datetime.date], list[tuple[str, int]]] = field(default_factory=dict)


def _names(rng: random.Random):
    seen = set()
    while True:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in seen:
            seen.add(name)
            yield name


def _team_staff(rng: random.Random, index: int, service_area: str) -> list[tuple[str, str, Decimal]]:
    """(role, employment, WTE) for a team's establishment at the start."""
    staff = [(WorkerRole.TEAM_MANAGER, Employment.PERMANENT, Decimal("1.00"))]
    if index % 2 == 0:
        staff.append((WorkerRole.CONSULTANT_SOCIAL_WORKER, Employment.PERMANENT, Decimal("1.00")))
    staff += [(WorkerRole.SENIOR_PRACTITIONER, Employment.PERMANENT, Decimal("1.00"))] * 2
    social_workers = 6 if service_area in (ServiceArea.ASSESSMENT, ServiceArea.SAFEGUARDING) else 5
    for _ in range(social_workers):
        roll = rng.random()
        if roll < 0.17:
            staff.append((WorkerRole.SOCIAL_WORKER, Employment.AGENCY, rng.choice([Decimal("1.00"), Decimal("0.80")])))
        elif roll < 0.33:
            staff.append((WorkerRole.SOCIAL_WORKER, Employment.PERMANENT, rng.choice(["0.50", "0.60", "0.80"])))
        else:
            staff.append((WorkerRole.SOCIAL_WORKER, Employment.PERMANENT, Decimal("1.00")))
    staff.append((WorkerRole.ASYE, Employment.PERMANENT, Decimal("1.00")))
    if index % 3 == 1:
        staff.append((WorkerRole.STUDENT, Employment.PERMANENT, Decimal("0.60")))
    return [(role, employment, Decimal(wte)) for role, employment, wte in staff]


def build_plan() -> Plan:
    """The whole demo, in memory, from the seed."""
    rng = random.Random(SEED)  # noqa: S311  (demo data, not security)
    names = _names(rng)
    plan = Plan()
    number = 10000
    for index, (team, area, _manager, _busy) in enumerate(TEAMS):
        for role, employment, wte in _team_staff(rng, index, area):
            number += 1
            plan.workers.append(
                PlannedWorker(f"DC{number}", next(names), team, role, employment, wte, None, None, _spread(rng))
            )
    # Leavers through the period, most replaced a month or two later ("a steady number of leavers").
    practitioners = [w for w in plan.workers if counting.is_counted(w.role)]
    for leaver in rng.sample(practitioners, 16):
        leaving_month = rng.choice(MONTHS[1:-1])
        leaver.ended_on = leaving_month.replace(day=rng.randint(5, 25))
        if rng.random() < 0.85:
            number += 1
            start = add_months(leaving_month, rng.choice([1, 2, 3])).replace(day=rng.randint(1, 20))
            agency = rng.random() < 0.4
            plan.workers.append(
                PlannedWorker(
                    f"DC{number}",
                    next(names),
                    leaver.team,
                    WorkerRole.SOCIAL_WORKER,
                    Employment.AGENCY if agency else Employment.PERMANENT,
                    Decimal("1.00"),
                    start,
                    None,
                    _spread(rng),
                )
            )
    # Newly qualified social workers join in September 2016 on protected caseloads.
    for team, *_ in TEAMS[:6]:
        number += 1
        plan.workers.append(
            PlannedWorker(
                f"DC{number}",
                next(names),
                team,
                WorkerRole.ASYE,
                Employment.PERMANENT,
                Decimal("1.00"),
                datetime.date(2016, 9, 5),
                None,
                1.0,
            )
        )
    busy = {team: factor for team, _area, _manager, factor in TEAMS}
    for month in MONTHS:
        for team, *_ in TEAMS:
            lines = []
            for worker in plan.workers:
                if worker.team != team or not worker.active_in(month):
                    continue
                lines.append((worker.staff_number, _cases(rng, worker, month, busy[team])))
            plan.returns[(team, month)] = lines
    return plan


def _spread(rng: random.Random) -> float:
    """How a practitioner's caseload compares with their team's: most within a quarter either way."""
    return min(1.5, max(0.55, rng.gauss(1.0, 0.2)))


def _cases(rng: random.Random, worker: PlannedWorker, month: datetime.date, busy: float) -> int:
    if worker.role == WorkerRole.TEAM_MANAGER:
        return rng.randint(0, 3)
    if worker.role == WorkerRole.CONSULTANT_SOCIAL_WORKER:
        return rng.randint(6, 12)
    if worker.role == WorkerRole.STUDENT:
        return rng.randint(2, 6)
    if worker.role == WorkerRole.ASYE:
        months_in = 99 if worker.started_on is None else (month.year - worker.started_on.year) * 12 + month.month - 9
        return rng.randint(6, 10) + min(max(months_in, 0), 6)
    wte = counting.assumed_wte(role=worker.role, employment=worker.employment, wte=worker.wte)
    per_wte = TARGET_PER_WTE[month] * busy * worker.factor * rng.gauss(1.0, 0.05)
    if worker.started_on and (month.year, month.month) == (worker.started_on.year, worker.started_on.month):
        per_wte *= 0.6  # a new starter builds up their caseload
    return max(0, round(per_wte * float(wte) + rng.gauss(0, 1.8)))


@transaction.atomic
def load_demo(*, stdout) -> None:
    plan = build_plan()
    managers = _ensure_managers()
    teams = _ensure_teams(managers)
    workers = _ensure_workers(plan, teams)
    created = _ensure_returns(plan, teams, workers, managers)
    stdout.write(
        f"  caseloads: {len(teams)} teams, {len(workers)} workers, {created} returns created "
        f"({len(plan.returns)} in the demo)"
    )


def _ensure_managers() -> dict[str, object]:
    User = get_user_model()
    group = Group.objects.get(name=Role.TEAM_MANAGER.value)
    users = {}
    for username, (first, last) in EXTRA_MANAGERS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last, email=f"{username}@perfsite.example")
            user.set_unusable_password()
            user.save()
        user.groups.add(group)
        users[username] = user
    users["manager"] = User.objects.filter(username="manager").first()
    return users


def _ensure_teams(managers) -> dict[str, Team]:
    teams = {}
    for name, area, manager, _busy in TEAMS:
        team, _ = Team.objects.get_or_create(name=name, defaults={"service_area": area})
        user = managers.get(manager)
        # add() records a history row even when the user already manages the team.
        if user is not None and not team.managers.filter(pk=user.pk).exists():
            team.managers.add(user)
        teams[name] = team
    return teams


def _ensure_workers(plan: Plan, teams: dict[str, Team]) -> dict[str, Worker]:
    existing = {
        w.staff_number: w for w in Worker.objects.filter(staff_number__in=[p.staff_number for p in plan.workers])
    }
    missing = [
        Worker(
            staff_number=p.staff_number,
            name=p.name,
            team=teams[p.team],
            role=p.role,
            employment=p.employment,
            wte=p.wte,
            started_on=p.started_on,
            ended_on=p.ended_on,
        )
        for p in plan.workers
        if p.staff_number not in existing
    ]
    if missing:
        for worker in bulk_create_with_history(missing, Worker, default_change_reason="Demo"):
            existing[worker.staff_number] = worker
    return existing


def _ensure_returns(plan: Plan, teams, workers, managers) -> int:
    have = set(CaseloadReturn.objects.filter(team__in=teams.values()).values_list("team__name", "month"))
    new_returns, line_specs = [], []
    for (team_name, month), lines in sorted(plan.returns.items(), key=lambda item: (item[0][1], item[0][0])):
        if (team_name, month) in have:
            continue
        if month == LAST_MONTH and team_name == NOT_STARTED_IN_APRIL_2017:
            continue
        team = teams[team_name]
        manager = next((managers[m] for n, _a, m, _b in TEAMS if n == team_name), None)
        draft = month == LAST_MONTH and team_name == DRAFT_IN_APRIL_2017
        filed = timezone.make_aware(datetime.datetime.combine(due_date(month), datetime.time(10, 0)))
        caseload_return = CaseloadReturn(
            team=team, month=month, created_by=manager, updated_at=filed, updated_by=manager
        )
        if not draft:
            submit(caseload_return, user=manager, at=filed)
        # The history shows the return as filed by its manager on its due date.
        caseload_return._history_user, caseload_return._history_date = manager, filed
        new_returns.append(caseload_return)
        line_specs.append((caseload_return, lines))
    if not new_returns:
        return 0
    bulk_create_with_history(new_returns, CaseloadReturn, default_change_reason="Filed (demo data)")
    lines = []
    for caseload_return, specs in line_specs:
        for staff_number, cases in specs:
            worker = workers[staff_number]
            lines.append(
                CaseloadLine(
                    caseload_return=caseload_return,
                    worker=worker,
                    role=worker.role,
                    employment=worker.employment,
                    wte=worker.wte,
                    cases=cases,
                )
            )
            lines[-1]._history_user = caseload_return._history_user
            lines[-1]._history_date = caseload_return._history_date
    bulk_create_with_history(lines, CaseloadLine, batch_size=500, default_change_reason="Filed (demo data)")
    refresh_tallies(returns=new_returns)
    return len(new_returns)
