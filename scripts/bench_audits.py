#!/usr/bin/env python
"""Benchmark the audit programme's heavy paths and print the figures.

    DJANGO_DEBUG=1 .venv/bin/python scripts/bench_audits.py [--cases 35000] [--audits 10000]

Runs against a throwaway SQLite database (or DATABASE_URL if set, which it must not share with
real data: it creates and deletes rows). Measures: the stratified draw, independent allocation
(pure and through the database), the quarter roll-up and its query count, and the case import.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(label: str, fn, repeat: int = 3):
    runs = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
    print(f"{label:62} median {statistics.median(runs) * 1000:9.1f} ms  (min {min(runs) * 1000:.1f}, n={repeat})")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=35000)
    parser.add_argument("--audits", type=int, default=10000)
    parser.add_argument("--teams", type=int, default=40)
    parser.add_argument("--auditors", type=int, default=30)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="bench-audits-")
    os.environ.setdefault("PERFSITE_VAR_DIR", workdir)
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfsite.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from audits.allocation import AuditorFacts, CaseFacts, allocate
    from audits.choices import AuditStatus, RoundKind
    from audits.imports.cases import CasesImporter, import_cases
    from audits.models import Audit, AuditRound, Case, ThemeGrade
    from audits.rollups import quarter_rollup
    from audits.services.allocating import allocate_cases
    from audits.services.rounds import draw_random_sample
    from audits.tallies import rebuild_all
    from caseloads.models import Team, Worker
    from indicators.quarters import Quarter
    from perfsite.roles import Role

    print(f"database: {connection.vendor} ({workdir if connection.vendor == 'sqlite' else 'DATABASE_URL'})")
    call_command("migrate", verbosity=0)
    rng = random.Random(1)  # noqa: S311 - reproducible test data
    quarter = Quarter.parse("2016-17-q4")

    # Pure allocation: 5% of the cases among the auditors, a third of whom manage a team.
    pure_cases = [
        CaseFacts(i, f"C-{i:06d}", rng.randrange(args.teams), "Team", rng.randrange(1000, 2000))
        for i in range(args.cases // 20)
    ]
    pure_auditors = [
        AuditorFacts(u, f"A{u}", rng.randrange(args.teams) if u % 2 else None, frozenset({rng.randrange(args.teams)}))
        for u in range(args.auditors)
    ]
    assignment = timed(
        f"allocate() pure: {len(pure_cases)} cases, {len(pure_auditors)} auditors",
        lambda: allocate(pure_cases, pure_auditors),
    )
    loads = [list(assignment.values()).count(a.user_id) for a in pure_auditors]
    print(f"{'':62} loads {min(loads)}..{max(loads)}")

    with transaction.atomic():
        User = get_user_model()
        group = Group.objects.get(name=Role.AUDITOR.value)
        Team.objects.bulk_create(Team(name=f"Bench team {i}", service_area="safeguarding") for i in range(args.teams))
        teams = list(Team.objects.filter(name__startswith="Bench team"))
        Worker.objects.bulk_create(
            Worker(name=f"W{i}", staff_number=f"B{i:05d}", team=teams[i % len(teams)], role="social_worker", wte=1)
            for i in range(args.teams * 10)
        )
        workers = list(Worker.objects.filter(staff_number__startswith="B"))
        auditors = [User.objects.create(username=f"bench-auditor-{i}") for i in range(args.auditors)]
        group.user_set.add(*auditors)
        for i, auditor in enumerate(auditors[: args.auditors // 3]):
            teams[i % len(teams)].managers.add(auditor)
        Case.objects.bulk_create(
            (
                Case(
                    case_ref=f"B-{i:06d}",
                    case_type=rng.choice(["cin", "cp", "lac"]),
                    team=teams[i % len(teams)],
                    worker=workers[i % len(workers)],
                    opened_on=datetime.date(2016, 1, 1) + datetime.timedelta(days=rng.randrange(400)),
                )
                for i in range(args.cases)
            ),
            batch_size=1000,
        )
    print(f"{'':62} {Case.objects.count()} cases in {len(teams)} teams")

    draw = timed(
        f"draw_random_sample: 5% of {args.cases} cases",
        lambda: draw_random_sample(quarter=quarter, rate=Decimal(5), seed=7),
    )
    timed(f"allocate_cases (database): {len(draw.cases)} drawn cases", lambda: allocate_cases(draw.cases, auditors))

    with transaction.atomic():
        round_ = AuditRound.objects.create(kind=RoundKind.THEMATIC, quarter=quarter.slug, title="Bench")
        cases = list(Case.objects.filter(case_ref__startswith="B-")[: args.audits])
        Audit.objects.bulk_create(
            (
                Audit(
                    round=round_,
                    case=case,
                    team_id=case.team_id,
                    case_type=case.case_type,
                    auditor=auditors[i % len(auditors)],
                    status=AuditStatus.SUBMITTED,
                    overall_grade=rng.randint(1, 4),
                    completed_on=quarter.start + datetime.timedelta(days=rng.randrange(80)),
                )
                for i, case in enumerate(cases)
            ),
            batch_size=1000,
        )
        ThemeGrade.objects.bulk_create(
            (
                ThemeGrade(audit=audit, theme=theme, grade=rng.randint(1, 4))
                for audit in Audit.objects.filter(round=round_)
                for theme in ("safeguarding", "voice_of_the_child", "achieving_aspiration", "social_work_practice")
            ),
            batch_size=2000,
        )
        rebuild_all()  # the roll-up reads the tallies; bulk_create bypasses the services that keep them
    with CaptureQueriesContext(connection) as captured:
        rollup = timed(
            f"quarter_rollup: {args.audits} audits, {args.audits * 4} theme grades",
            lambda: quarter_rollup(quarter=quarter),
            repeat=5,
        )
    print(
        f"{'':62} {len(captured) // 5} queries per roll-up; "
        f"{rollup.audited} audited, {rollup.good_or_above_pct}% good or above"
    )

    path = Path(workdir) / "cases.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["case_ref", "case_type", "team", "worker_staff_number", "opened_on", "closed_on"])
        for i in range(args.cases):
            writer.writerow(
                [
                    f"B-{i:06d}",
                    "cin",
                    teams[i % len(teams)].name,
                    workers[i % len(workers)].staff_number,
                    "2016-01-01",
                    "",
                ]
            )
    timed(f"import_cases --dry-run: {args.cases} rows", lambda: import_cases(path, dry_run=True), repeat=1)
    report = timed(f"import_cases: {args.cases} rows (updates case type/dates)", lambda: import_cases(path), repeat=1)
    print(f"{'':62} {CasesImporter().summary(report)}")
    report = timed(f"import_cases again: {args.cases} rows (nothing changes)", lambda: import_cases(path), repeat=1)
    print(f"{'':62} {CasesImporter().summary(report)}")


if __name__ == "__main__":
    main()
