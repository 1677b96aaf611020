#!/usr/bin/env python
"""Benchmark caseloads: saving a 30-worker return, the month roll-up, the trend, the import.

Runs against a throwaway test database (SQLite in memory by default; set DATABASE_URL to a
PostgreSQL server to measure there, a test database named test_<name> is created and dropped).

    DJANGO_DEBUG=1 .venv/bin/python scripts/bench_caseloads.py [--teams 40] [--workers 30] [--months 24]
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfsite.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def timed(label, fn, repeat=5):
    best, result, queries = None, None, None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
        queries = len(captured)
    print(f"{label:<58} {best * 1000:9.1f} ms  {queries:4d} queries  (best of {repeat})")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=40)
    parser.add_argument("--workers", type=int, default=30)
    parser.add_argument("--months", type=int, default=24)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from caseloads.models import CaseloadLine, CaseloadReturn, Team, Worker
    from caseloads.months import add_months
    from caseloads.rollups import month_rollup, monthly_trend
    from caseloads.services.imports import import_file
    from caseloads.services.returns import save_return
    from perfsite.roles import Role

    user = get_user_model().objects.create(username="bench")
    user.groups.add(Group.objects.get(name=Role.TEAM_MANAGER.value))
    first = datetime.date(2015, 1, 1)
    months = [add_months(first, i) for i in range(args.months)]
    roles = ["social_worker"] * 6 + ["senior_practitioner"] * 2 + ["team_manager", "asye"]

    print(f"Database: {connection.vendor}; {args.teams} teams x {args.workers} workers x {args.months} months")
    start = time.perf_counter()
    teams = Team.objects.bulk_create(Team(name=f"Team {t:03d}", service_area="assessment") for t in range(args.teams))
    workers = Worker.objects.bulk_create(
        Worker(
            name=f"Worker {t}-{w}",
            staff_number=f"B{t:03d}{w:03d}",
            team=team,
            role=roles[w % len(roles)],
            employment="agency" if w % 7 == 0 else "permanent",
            wte=Decimal("0.60") if w % 5 == 0 else Decimal("1.00"),
        )
        for t, team in enumerate(teams)
        for w in range(args.workers)
    )
    by_team = {}
    for worker in workers:
        by_team.setdefault(worker.team_id, []).append(worker)
    now = datetime.datetime.now(datetime.UTC)
    returns = CaseloadReturn.objects.bulk_create(
        CaseloadReturn(team=team, month=m, status="submitted", updated_at=now, submitted_at=now, first_submitted_at=now)
        for team in teams
        for m in months[:-1]
    )
    CaseloadLine.objects.bulk_create(
        (
            CaseloadLine(
                caseload_return=r,
                worker=w,
                role=w.role,
                employment=w.employment,
                wte=w.wte,
                cases=(hash((r.pk, w.pk)) % 30),
            )
            for r in returns
            for w in by_team[r.team_id]
        ),
        batch_size=2000,
    )
    lines = CaseloadLine.objects.count()
    print(f"Built {len(returns)} returns, {lines} lines in {time.perf_counter() - start:.1f} s\n")

    last = months[-2]
    timed("month_rollup (all teams)", lambda: month_rollup(month=last))
    timed("month_rollup (5 teams)", lambda: month_rollup(month=last, teams=teams[:5]))
    timed(f"monthly_trend ({args.months} months, all teams)", lambda: monthly_trend(start=months[0], end=last))

    team = teams[0]
    team.managers.add(user)
    target = months[-1]
    state = {"version": 0, "n": 0}

    def save():
        state["n"] += 1
        figures = {w.pk: (state["n"] + i) % 25 for i, w in enumerate(by_team[team.pk])}
        result = save_return(
            team=team,
            month=target,
            expected_version=state["version"],
            figures=figures,
            confirmed=set(figures),
            user=user,
        )
        state["version"] = result.caseload_return.version

    timed(f"save_return ({args.workers} workers, every figure changed)", save)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.csv"
        rows = ["month,team,staff_number,worker_name,role,employment,wte,cases"]
        for m in (add_months(first, -i) for i in range(1, 4)):
            for w in workers[: min(len(workers), 2000)]:
                rows.append(
                    f"{m:%Y-%m},Team {w.team.name[5:]},{w.staff_number},{w.name},{w.role},{w.employment},{w.wte},12"
                )
        path.write_text("\n".join(rows) + "\n")
        n = len(rows) - 1
        # First without queuing the recompute (the import's own work), then with it (computed
        # indicators recompute each changed month, eagerly when Celery runs in eager mode).
        with mock.patch("caseloads.services.imports.recompute_months"):
            timed(f"import_caseloads, first run ({n} rows, no recompute)", lambda: import_file(path), repeat=1)
            timed(f"import_caseloads, same file again ({n} rows)", lambda: import_file(path), repeat=1)
            path.write_text("\n".join(rows).replace(",12\n", ",13\n") + "\n")
        timed(
            f"import_caseloads, every figure changed ({n} rows, recompute queued)", lambda: import_file(path), repeat=1
        )


if __name__ == "__main__":
    main()
