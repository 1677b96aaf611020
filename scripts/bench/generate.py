"""The benchmark's data: migrate, load the demo, generate the rows (scripts/scale_data.py), publish the quarter."""

# ruff: noqa: S608 - the floors' SQL interpolates this module's constants, never input
from __future__ import annotations

import io
import time

from bench.common import QUARTER

PASSWORD = "bench-scale-Password-1"  # noqa: S105 - demo users of a throwaway benchmark database


def prepare(args) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from scale_data import Sizes, generate

    from perfsite.demo import ensure_demo_users, load_app_demos

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    ensure_demo_users(password=PASSWORD)
    load_app_demos(stdout=io.StringIO())
    print(f"Demo loaded in {time.perf_counter() - start:.1f} s")
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["auditor", "manager"])}
    sizes = Sizes(audits=args.audits, lines=args.lines, indicators=args.indicators)
    print(
        f"Generating {sizes.audits:,} audits, {sizes.lines:,} caseload lines ({sizes.teams:,} teams), "
        f"{sizes.indicators:,} indicators"
    )
    start = time.perf_counter()
    generate(sizes, auditor_id=users["auditor"].pk, manager_id=users["manager"].pk)
    print(f"Generated in {time.perf_counter() - start:.1f} s")
    publish_with_bench_indicators()


def publish_with_bench_indicators() -> None:
    """Publish a version of the benchmark quarter that carries the generated indicators."""
    from django.contrib.auth import get_user_model

    from indicators.quarters import Quarter
    from scorecards.publishing import amend, current_version, publish

    quarter = Quarter.parse(QUARTER)
    officer = get_user_model().objects.get(username="officer")
    start = time.perf_counter()
    if current_version(quarter) is None:
        publish(quarter=quarter, user=officer)
    else:
        amend(quarter=quarter, user=officer, reason="Benchmark: generated indicators")
    print(f"Published {QUARTER} with the generated indicators in {time.perf_counter() - start:.1f} s")


def counts() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        found = []
        for table in ("audits_audit", "caseloads_caseloadline", "indicators_indicator", "indicators_indicatorvalue"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            found.append(f"{table.split('_', 1)[1]} {cursor.fetchone()[0]:,}")
    return ", ".join(found)
