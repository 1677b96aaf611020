#!/usr/bin/env python
"""Benchmark the indicators app: quarter rows, the quarter page, the export and the imports.

Runs against a throwaway SQLite database by default (a temporary PERFSITE_VAR_DIR), or against
DATABASE_URL when it is set (use a database of your own: the script creates and deletes data).

    .venv/bin/python scripts/bench_indicators.py [--sizes 25 500 2000] [--history 12] [--repeat 3]

For each register size it prints the queries and the median wall time of: ``quarter_rows``, the
quarter page, the CSV and XLSX exports, and the indicator list; then the time to import a values
file of that size and ``import_ees`` on DfE's CLA file (from PERFSITE_EES_DATA_DIR).
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["PERFSITE_VAR_DIR"] = tempfile.mkdtemp(prefix="perfsite-bench-")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfsite.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def build_register(count: int, history: int) -> None:
    """``count`` indicators, each with ``history`` years of annual actuals, targets and benchmarks."""
    from indicators.models import Indicator, IndicatorValue, Theme

    Indicator.objects.filter(code__startswith="BENCH ").delete()
    themes = list(Theme.objects.all())
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"BENCH {n:05d}",
            ref=100000 + n,
            description=f"Benchmark indicator {n}",
            kind="target" if n % 2 else "tracker",
            polarity=("higher", "lower", "neutral")[n % 3],
            unit="percent",
            decimals=1,
            tolerance=Decimal(2),
            theme=themes[n % len(themes)],
        )
        for n in range(count)
    )
    values = []
    for n, indicator in enumerate(indicators):
        for year in range(2017 - history, 2018):
            start, end = datetime.date(year - 1, 4, 1), datetime.date(year, 3, 31)
            label = f"{year - 1}/{year % 100:02d}"
            for series, offset in (("actual", 0), ("target", 3), ("national", 1), ("regional", 2),
                                   ("statistical_neighbours", -1)):  # fmt: skip
                values.append(
                    IndicatorValue(
                        indicator=indicator,
                        series=series,
                        period_start=start,
                        period_end=end,
                        period_label=label,
                        value=Decimal(40 + (n + year + offset) % 30),
                        scale=1,
                    )
                )
    IndicatorValue.objects.bulk_create(values, batch_size=5000)


def timed(fn, repeat: int) -> tuple[float, int]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        queries = len(context.captured_queries)
    return statistics.median(times), queries


def bench_reads(size: int, repeat: int) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from indicators.exports import render, scorecard_records
    from indicators.quarters import Quarter
    from indicators.selectors import quarter_rows

    quarter = Quarter.parse("2016-17-q4")
    user, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    cases = {
        "quarter_rows": lambda: quarter_rows(quarter),
        "export csv": lambda: render(scorecard_records(quarter), "csv", quarter=quarter),
        "export xlsx": lambda: render(scorecard_records(quarter), "xlsx", quarter=quarter),
        "quarter page": lambda: client.get(reverse("indicators:quarter", args=[quarter.slug])),
        "indicator list": lambda: client.get(reverse("indicators:list"), {"quarter": quarter.slug}),
    }
    for name, fn in cases.items():
        seconds, queries = timed(fn, repeat)
        print(f"  {name:<16} {seconds * 1000:9.1f} ms  {queries:3d} queries")


def bench_imports(size: int) -> None:
    from django.conf import settings

    from indicators.imports import EesOptions, run_import

    lines = ["code,series,period_label,period_start,period_end,value"]
    lines += [f"BENCH {n:05d},actual,2017/18,2017-04-01,2018-03-31,{50 + n % 7}.{n % 10}" for n in range(size)]
    data = ("\n".join(lines) + "\n").encode()
    for attempt in ("first", "again"):
        started = time.perf_counter()
        result = run_import("values", data, "bench.csv")
        elapsed = time.perf_counter() - started
        print(f"  import_values {attempt:<5} {size} rows {elapsed * 1000:9.1f} ms  ({result.summary_line()})")
    cla = Path(settings.PERFSITE_EES_DATA_DIR) / "cla_number_and_rate_per_10k_children.csv"
    if cla.exists():
        options = EesOptions.from_strings(
            indicator="BENCH 00000",
            column="rate_per_10000",
            as_at="03-31",
            filters=["population_type=Children looked after on 31 March each year"],
        )
        started = time.perf_counter()
        result = run_import("ees", cla.read_bytes(), cla.name, options=options)
        elapsed = (time.perf_counter() - started) * 1000
        print(f"  import_ees CLA file ({cla.stat().st_size // 1024} KB) {elapsed:9.1f} ms  ({result.summary_line()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 500, 2000])
    parser.add_argument("--history", type=int, default=10, help="Years of values per indicator.")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    print(f"Database: {connection.vendor}; {args.history + 1} years x 5 series per indicator")
    for size in args.sizes:
        started = time.perf_counter()
        build_register(size, args.history)
        built = time.perf_counter() - started
        print(f"{size} indicators ({size * (args.history + 1) * 5} values, built in {built:.1f} s)")
        bench_reads(size, args.repeat)
        bench_imports(size)
    from indicators.models import Indicator

    Indicator.objects.filter(code__startswith="BENCH ").delete()


if __name__ == "__main__":
    main()
