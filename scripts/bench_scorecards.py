#!/usr/bin/env python
"""Benchmark the scorecard's heavy paths on the demo data, then on many more indicators, and print the figures.

    DJANGO_DEBUG=1 .venv/bin/python scripts/bench_scorecards.py [--extra-indicators 500] [--repeat 3]

Runs against a throwaway SQLite database under a temporary directory (or DATABASE_URL if set, which
must not be a database with real data: it loads the demo and adds rows). Measures: gathering the
sources (time, queries), building the snapshot, the preview page and the published page (time,
queries), the snapshot's size, the PDF and the XLSX; then the same with ``--extra-indicators`` more
indicators, to show that the query counts do not grow.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(label: str, fn, repeat: int):
    runs, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
    print(f"  {label:58} median {statistics.median(runs) * 1000:9.1f} ms  (min {min(runs) * 1000:.1f}, n={repeat})")
    return result


def queries(label: str, fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()  # the demo's load filled the log; counting needs room
    with CaptureQueriesContext(connection) as captured:
        result = fn()
    status = getattr(result, "status_code", 200)
    if status != 200:
        raise SystemExit(f"{label}: HTTP {status}")
    print(f"  {label:58} {len(captured):5d} queries")
    return len(captured)


def add_indicators(count: int) -> None:
    import datetime
    from decimal import Decimal

    from indicators.models import Indicator, IndicatorValue, Theme
    from indicators.quarters import Quarter

    theme = Theme.objects.order_by("position").first()
    levels = ["universal", "early_help", "assessment_safeguarding", "corporate_parenting"]
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"BENCH {n}",
            ref=1000 + n,
            description=f"Percentage of benchmark things number {n}",
            kind="target" if n % 2 else "tracker",
            polarity="higher",
            unit="percent",
            decimals=1,
            tolerance=Decimal(2),
            theme=theme,
            framework_level=levels[n % 4],
        )
        for n in range(count)
    )
    values = []
    quarter = Quarter.parse("2014-15-q1")
    while quarter <= Quarter.parse("2016-17-q4"):
        for n, indicator in enumerate(indicators):
            for series, value in (("actual", 50 + (n + quarter.number) % 30), ("target", 60)):
                values.append(
                    IndicatorValue(
                        indicator=indicator,
                        series=series,
                        period_label=quarter.period_label,
                        period_start=quarter.start,
                        period_end=quarter.end,
                        value=Decimal(value),
                        scale=1,
                    )
                )
        quarter = quarter.next()
    for n, indicator in enumerate(indicators):
        values.append(
            IndicatorValue(
                indicator=indicator,
                series="national",
                period_label="2015/16",
                period_start=datetime.date(2015, 4, 1),
                period_end=datetime.date(2016, 3, 31),
                value=Decimal(55 + n % 10),
                scale=1,
            )
        )
    IndicatorValue.objects.bulk_create(values, batch_size=2000)


def measure(repeat: int, label: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from indicators.quarters import Quarter
    from scorecards.pack_pdf import render_pdf
    from scorecards.pack_xlsx import render_xlsx
    from scorecards.packs import pack_meta
    from scorecards.publishing import amend, current_version
    from scorecards.snapshot import build_snapshot, canonical_json
    from scorecards.sources import gather_sources

    quarter = Quarter.parse("2016-17-q4")
    User = get_user_model()
    officer, member = User.objects.get(username="officer"), User.objects.get(username="member")
    print(f"\n{label}")
    from indicators.models import Indicator

    print(f"  {'active indicators':58} {Indicator.objects.filter(active=True).count():5d}")
    sources = timed("gather sources (quarter rows, history, panels)", lambda: gather_sources(quarter), repeat)
    gather_queries = queries("gather sources", lambda: gather_sources(quarter))
    snapshot = timed("build snapshot (pure)", lambda: build_snapshot(sources), repeat)
    print(f"  {'snapshot JSON size':58} {len(canonical_json(snapshot)) / 1024:9.1f} KiB")

    client = Client(SERVER_NAME="localhost")
    client.force_login(officer)
    url = f"/scorecards/{quarter.slug}/"
    timed("preview page (officer, live data)", lambda: client.get(url + "preview/"), repeat)
    preview_queries = queries("preview page", lambda: client.get(url + "preview/"))
    if current_version(quarter).sha256 != __import__("scorecards.snapshot").snapshot.snapshot_sha256(snapshot):
        amend(quarter=quarter, user=officer, reason="Benchmark: more indicators")
    client.force_login(member)
    timed("published page (member, from the snapshot)", lambda: client.get(url), repeat)
    published_queries = queries("published page", lambda: client.get(url))
    scorecard = current_version(quarter)
    pdf = timed(
        "committee pack PDF (WeasyPrint, tagged)", lambda: render_pdf(scorecard.snapshot, pack_meta(scorecard)), 1
    )
    print(f"  {'PDF size':58} {len(pdf) / 1024:9.1f} KiB")
    xlsx = timed("committee pack XLSX", lambda: render_xlsx(scorecard.snapshot, pack_meta(scorecard)), repeat)
    print(f"  {'XLSX size':58} {len(xlsx) / 1024:9.1f} KiB")
    return {"gather": gather_queries, "preview": preview_queries, "published": published_queries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra-indicators", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="bench-scorecards-")
    os.environ.setdefault("PERFSITE_VAR_DIR", workdir)
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfsite.settings")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.core.management import call_command

    from perfsite.demo import ensure_demo_users, load_app_demos

    print(f"Database: {django.conf.settings.DATABASES['default']['NAME']}")
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    from perfsite.demo import generate_password

    ensure_demo_users(password=generate_password())
    load_app_demos(stdout=io.StringIO())
    print(f"Demo loaded in {time.perf_counter() - start:.1f} s")

    small = measure(args.repeat, "Demo data")
    add_indicators(args.extra_indicators)
    large = measure(args.repeat, f"Demo data plus {args.extra_indicators} indicators with 12 quarters each")
    print("\nQuery counts (demo -> larger):", json.dumps({k: [small[k], large[k]] for k in small}))
    grew = [k for k in small if large[k] != small[k]]
    print("Query counts grew for: " + ", ".join(grew) if grew else "Query counts did not grow with the data.")


if __name__ == "__main__":
    main()
