#!/usr/bin/env python
"""Scale benchmark: generate many rows into the real tables, then time each key page and import beside its floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perfsite_bench DJANGO_DEBUG=1 \\
        .venv/bin/python scripts/bench_scale.py --audits 1000000 --lines 5000000 --indicators 500

PostgreSQL only, and only on a database you can throw away: it migrates, loads the demo, then adds
the rows with set-based inserts (scripts/scale_data.py). ``--skip-generate`` measures a database
already generated. For every key page it prints its time (median of ``--repeat`` requests through
Django's test client, in process), the time of its floor measured in the same run, their ratio and
the page's query count. A page's floor is the raw SQL of the aggregates it shows, or, for the
published scorecard (which shows no live aggregate), a bare Django view (/healthz). An import's
floor is PostgreSQL's COPY of the same rows into its table (rolled back).
"""

# ruff: noqa: S608 - the floors' SQL interpolates this module's constants, never input
from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

QUARTER = "2016-17-q4"
QUARTER_START, QUARTER_END = "2017-01-01", "2017-03-31"
PASSWORD = "bench-scale-Password-1"  # noqa: S105 - demo users of a throwaway benchmark database
ROWS: list[tuple] = []


def median_seconds(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def query_count(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def report(label: str, seconds: float, floor: float, floor_label: str, queries: int | str = "", extra: str = ""):
    ratio = seconds / floor if floor else float("inf")
    ROWS.append((label, seconds, floor, ratio, queries))
    print(
        f"  {label:38} {seconds * 1000:9.1f} ms   floor {floor * 1000:8.1f} ms ({floor_label:18}) "
        f"ratio {ratio:7.2f}x  queries {queries!s:>4} {extra}",
        flush=True,
    )


def raw_sql(*statements):
    """A floor: run each statement and fetch every row, as the page's own queries would."""
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    return run


FINISHED = "a.status IN ('submitted', 'moderated', 'closed')"
RESULTS_SQL = [
    (
        f"""SELECT a.team_id, a.case_type, COALESCE(m.grade, a.overall_grade), count(*)
           FROM audits_audit a LEFT JOIN audits_moderation m ON m.audit_id = a.id
           WHERE {FINISHED} AND a.completed_on BETWEEN %s AND %s GROUP BY 1, 2, 3""",
        [QUARTER_START, QUARTER_END],
    ),
    (
        f"""SELECT tg.theme, tg.grade, count(*) FROM audits_themegrade tg JOIN audits_audit a ON a.id = tg.audit_id
           WHERE {FINISHED} AND a.completed_on BETWEEN %s AND %s GROUP BY 1, 2""",
        [QUARTER_START, QUARTER_END],
    ),
]
ROLLUP_SQL = [
    (
        """SELECT r.team_id, sum(l.cases), sum(l.wte), count(*) FROM caseloads_caseloadline l
           JOIN caseloads_caseloadreturn r ON r.id = l.caseload_return_id
           WHERE r.status = 'submitted' AND r.month = (SELECT max(month) FROM caseloads_caseloadreturn
                                                        WHERE status = 'submitted')
           GROUP BY r.team_id""",
        [],
    ),
    (
        """SELECT r.month, sum(l.cases), sum(l.wte) FROM caseloads_caseloadline l
           JOIN caseloads_caseloadreturn r ON r.id = l.caseload_return_id
           WHERE r.status = 'submitted' AND r.month > (SELECT max(month) FROM caseloads_caseloadreturn
                                                       WHERE status = 'submitted') - interval '12 months'
           GROUP BY r.month""",
        [],
    ),
]
# Each indicator's latest actual, previous actual and target: the quarter table's core, one LATERAL join.
QUARTER_SQL = [
    (
        """SELECT i.id, i.code, latest.value, previous.value, target.value
           FROM indicators_indicator i
           LEFT JOIN LATERAL (SELECT v.id, v.value, v.period_start, v.period_end FROM indicators_indicatorvalue v
                              WHERE v.indicator_id = i.id AND v.series = 'actual' AND v.period_end <= %s
                              ORDER BY v.period_end DESC, v.period_start, v.id LIMIT 1) latest ON true
           LEFT JOIN LATERAL (SELECT v.value FROM indicators_indicatorvalue v
                              WHERE v.indicator_id = i.id AND v.series = 'actual' AND v.period_end < latest.period_end
                              ORDER BY v.period_end DESC, v.period_start, v.id LIMIT 1) previous ON true
           LEFT JOIN LATERAL (SELECT v.value FROM indicators_indicatorvalue v
                              WHERE v.indicator_id = i.id AND v.series = 'target'
                                AND v.period_start <= latest.period_end AND v.period_end >= latest.period_end
                              ORDER BY v.period_start DESC, v.period_end, v.id LIMIT 1) target ON true
           WHERE i.active ORDER BY i.ref, i.code""",
        [QUARTER_END],
    )
]


def worklist_sql(auditor_id: int, limit: int | None):
    return [
        (
            """SELECT a.id, a.status, a.due_on, c.case_ref, t.name, r.title FROM audits_audit a
               JOIN audits_case c ON c.id = a.case_id JOIN caseloads_team t ON t.id = a.team_id
               JOIN audits_auditround r ON r.id = a.round_id
               WHERE a.auditor_id = %s ORDER BY a.due_on, a.id LIMIT %s""",
            [auditor_id, limit],
        )
    ]


def clients():
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = {u.username: u for u in get_user_model().objects.filter(username__in=["auditor", "officer", "member"])}
    made = {}
    for name, user in users.items():
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        made[name] = client
    return made, users


def page(client, url: str):
    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        return response

    return get


def measure_pages(repeat: int) -> None:
    from django.test import Client

    made, users = clients()
    officer, member, auditor = made["officer"], made["member"], made["auditor"]
    bare = page(Client(SERVER_NAME="localhost"), "/healthz")
    results_floor = raw_sql(*RESULTS_SQL)
    rollup_floor = raw_sql(*ROLLUP_SQL)
    quarter_floor = raw_sql(*QUARTER_SQL)
    worklist_page = page(auditor, "/audits/")
    paginated = b"govuk-pagination" in worklist_page().content
    pages = [
        ("published scorecard (member)", page(member, f"/scorecards/{QUARTER}/"), bare, "bare view /healthz"),
        (
            "officer scorecard preview",
            page(officer, f"/scorecards/{QUARTER}/preview/"),
            raw_sql(*RESULTS_SQL, *ROLLUP_SQL, *QUARTER_SQL),
            "raw SQL aggregates",
        ),
        ("audit results page", page(officer, f"/audits/results/?quarter={QUARTER}"), results_floor, "raw SQL"),
        (
            "auditor worklist",
            worklist_page,
            raw_sql(*worklist_sql(users["auditor"].pk, 50 if paginated else None)),
            "raw SQL rows",
        ),
        ("quarter page", page(officer, f"/indicators/quarters/{QUARTER}/"), quarter_floor, "raw SQL LATERAL"),
        ("caseload roll-up", page(officer, "/caseloads/rollup/"), rollup_floor, "raw SQL"),
    ]
    print(f"\nPages ({repeat} requests each, median; floors measured in the same run)")
    for label, fetch, floor, floor_label in pages:
        size = len(fetch().content)
        seconds = median_seconds(fetch, repeat)
        floor_seconds = median_seconds(floor, repeat)
        report(label, seconds, floor_seconds, floor_label, query_count(fetch), f"{size / 1024:8.0f} KiB")


def measure_published(repeat: int) -> None:
    """Issue 13 part 1: the published member scorecard served from its cached rendering, its first page's
    size, each part it links to, a conditional GET, and the cost of rendering it cold; floor: /healthz."""
    import re

    from django.core.cache import cache
    from django.test import Client

    made, _ = clients()
    member = made["member"]
    bare_seconds = median_seconds(page(Client(SERVER_NAME="localhost"), "/healthz"), repeat)
    first_url = f"/scorecards/{QUARTER}/"
    cache.clear()
    start = time.perf_counter()
    first = page(member, first_url)()
    cold = time.perf_counter() - start
    print(f"\nPublished scorecard, cached ({repeat} requests each, median; floor /healthz in the same run)")
    report("member first page, cold cache", cold, bare_seconds, "bare view /healthz", "", "rendered on first view")
    fetch = page(member, first_url)
    report(
        "member first page, cached",
        median_seconds(fetch, repeat),
        bare_seconds,
        "bare view /healthz",
        query_count(fetch),
        f"{len(first.content) / 1024:8.0f} KiB first view",
    )
    etag = first["ETag"]

    def conditional():
        response = member.get(first_url, HTTP_IF_NONE_MATCH=etag)
        if response.status_code != 304:
            raise SystemExit(f"{first_url} with its ETag: HTTP {response.status_code}, not 304")

    report("member first page, 304", median_seconds(conditional, repeat), bare_seconds, "bare view /healthz",
           query_count(conditional))  # fmt: skip
    links = dict.fromkeys(
        re.findall(r'href="(/scorecards/[^"#]+/(?:levels/[^"/#]+|panels/[^"/#]+|appendix-3)/)', first.text)
    )
    for link in links:
        fetch = page(member, link)
        size = len(fetch().content)
        label = "  part " + link.removeprefix(first_url).rstrip("/")
        report(label[:38], median_seconds(fetch, repeat), bare_seconds, "bare view /healthz", query_count(fetch),
               f"{size / 1024:8.0f} KiB")  # fmt: skip


def copy_floor(table: str, columns: list[str], rows: list[tuple]) -> float:
    """Seconds to COPY ``rows`` into ``table`` itself, indexes and constraints included, then rolled back."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        start = time.perf_counter()
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    return seconds


def values_file(count: int, *, shift: int = 0) -> tuple[bytes, list[tuple]]:
    """``count`` monthly actuals for the bench indicators, in periods the generator never used."""
    import datetime

    from indicators.models import Indicator

    indicators = list(Indicator.objects.filter(code__startswith="BENCH ").order_by("pk").values_list("pk", "code"))
    per_indicator = -(-count // len(indicators))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "series", "period_label", "period_start", "period_end", "value"])
    copy_rows = []
    now = datetime.datetime.now(datetime.UTC)
    written = 0
    for pk, code in indicators:
        for month in range(per_indicator):
            if written == count:
                break
            year, index = 1900 + month // 12, month % 12
            start = datetime.date(year, index + 1, 1)
            end = (datetime.date(year + (index == 11), (index + 1) % 12 + 1, 1)) - datetime.timedelta(days=1)
            value = f"{40 + (pk + month + shift) % 50}.5"
            writer.writerow([code, "actual", "", start.isoformat(), end.isoformat(), value])
            copy_rows.append((pk, "actual", start.strftime("%b %Y"), start, end, value, 1, "", "", now))
            written += 1
    return out.getvalue().encode(), copy_rows


def cases_file(count: int, *, shift: int = 0) -> tuple[bytes, list[tuple]]:
    from caseloads.models import Team

    teams = list(Team.objects.filter(name__startswith="Bench team").order_by("pk").values_list("pk", "name")[:50])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["case_ref", "case_type", "team", "worker_staff_number", "opened_on", "closed_on"])
    copy_rows = []
    for n in range(count):
        pk, name = teams[n % len(teams)]
        ref, kind, opened = f"IMPORT-{n:07d}", ("cin", "cp", "lac")[(n + shift) % 3], f"2016-{1 + n % 12:02d}-01"
        writer.writerow([ref, kind, name, "", opened, ""])
        copy_rows.append((ref, kind, pk, opened))
    return out.getvalue().encode(), copy_rows


def cleanup(*statements: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, [])


def measure_imports(rows: int) -> None:
    from django.conf import settings

    from audits.imports.cases import import_cases
    from indicators.imports import run_import
    from indicators.models import ImportKind

    # The benchmark's file may be larger than uploads are allowed to be (PERFSITE_IMPORT_MAX_ROWS).
    settings.PERFSITE_IMPORT_MAX_ROWS = max(settings.PERFSITE_IMPORT_MAX_ROWS, rows)
    settings.PERFSITE_IMPORT_MAX_CELLS = max(settings.PERFSITE_IMPORT_MAX_CELLS, rows * 10)
    print(f"\nImports ({rows:,} rows; floor: COPY of the same rows into the same table)")
    data, copy_rows = values_file(rows)
    floor = copy_floor(
        "indicators_indicatorvalue",
        [
            "indicator_id",
            "series",
            "period_label",
            "period_start",
            "period_end",
            "value",
            "scale",
            "status",
            "footnote",
            "updated_at",
        ],
        copy_rows,
    )
    changed_data = values_file(rows, shift=1)[0]
    for label in ("import_values (new rows)", "import_values again (unchanged)", "import_values (every row changed)"):
        if label.endswith(("row changed)", "case changed)")):
            data = changed_data
        start = time.perf_counter()
        result = run_import(ImportKind.VALUES, data, "bench-values.csv")
        seconds = time.perf_counter() - start
        if result.errors:
            raise SystemExit(f"{label}: {result.errors[:3]}")
        report(label, seconds, floor, "COPY", "", result.summary_line())
    # The benchmark's own rows go by raw SQL: Django's delete would write a history row for each.
    cleanup(
        "DELETE FROM indicators_historicalindicatorvalue WHERE period_start < '1950-01-01'",
        "DELETE FROM indicators_indicatorvalue WHERE period_start < '1950-01-01'",
    )

    data, copy_rows = cases_file(rows)
    floor = copy_floor("audits_case", ["case_ref", "case_type", "team_id", "opened_on"], copy_rows)
    changed_data = cases_file(rows, shift=1)[0]
    for label in ("import_cases (new cases)", "import_cases again (unchanged)", "import_cases (every case changed)"):
        if label.endswith(("row changed)", "case changed)")):
            data = changed_data
        start = time.perf_counter()
        result = import_cases(data, filename="bench-cases.csv")
        seconds = time.perf_counter() - start
        if result.errors:
            raise SystemExit(f"{label}: {result.errors[:3]}")
        report(label, seconds, floor, "COPY", "", ", ".join(f"{v} {k}" for k, v in result.counts.items()))
    cleanup(
        "DELETE FROM audits_historicalcase WHERE case_ref LIKE 'IMPORT-%%'",
        "DELETE FROM audits_case WHERE case_ref LIKE 'IMPORT-%%'",
    )


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--audits", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=500_000)
    parser.add_argument("--indicators", type=int, default=500)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-generate", action="store_true", help="measure the database as it is")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-imports", action="store_true")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfsite.settings")
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.conf import settings
    from django.db import connection

    # Measured as production runs: no SQL logged per query (DJANGO_DEBUG=1 is only for the
    # settings' defaults; query counts are taken with CaptureQueriesContext, which logs anyway).
    settings.DEBUG = False

    if connection.vendor != "postgresql":
        raise SystemExit("bench_scale.py measures PostgreSQL: set DATABASE_URL to a throwaway database.")
    print(f"Database {connection.settings_dict['NAME']} on {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    if not args.skip_generate:
        prepare(args)
    print(f"Rows: {counts()}")
    if not args.skip_pages:
        measure_pages(args.repeat)
        measure_published(args.repeat)
    if not args.skip_imports:
        measure_imports(args.import_rows)


if __name__ == "__main__":
    main()
