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
    from load import complete_second_factor

    from perfsite.demo import ensure_demo_second_factors

    # Officers must give a second factor: signed in as the verify page leaves them, not redirected to it.
    ensure_demo_second_factors()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["auditor", "officer", "member"])}
    made = {}
    for name, user in users.items():
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        complete_second_factor(client, user)
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
        ("quarter page", page(officer, f"/indicators/quarters/{QUARTER}/"), quarter_page_floor(), "raw SQL shown"),
        ("caseload roll-up", page(officer, "/caseloads/rollup/"), rollup_floor, "raw SQL"),
    ]
    print(f"\nPages ({repeat} requests each, median; floors measured in the same run)")
    for label, fetch, floor, floor_label in pages:
        size = len(fetch().content)
        seconds = median_seconds(fetch, repeat)
        floor_seconds = median_seconds(floor, repeat)
        report(label, seconds, floor_seconds, floor_label, query_count(fetch), f"{size / 1024:8.0f} KiB")


def measure_preview(repeat: int) -> None:
    """The officer preview alone: its first page and every page it links to (levels, panels, Appendix 3),
    each beside the same floor as in measure_pages, the raw SQL of the scorecard's aggregates, taken in
    turn with the page so that both see the same load."""
    import re

    officer = clients()[0]["officer"]
    floor = raw_sql(*RESULTS_SQL, *ROLLUP_SQL, *QUARTER_SQL)
    first = f"/scorecards/{QUARTER}/preview/"
    html = page(officer, first)().content.decode()
    parts = re.findall(r'href="(/scorecards/[^"#]+/preview/(?:levels/[^"/#]+/|panels/[^"/#]+/|appendix-3/))"', html)
    print(f"\nOfficer preview ({repeat} requests each, median; floor: raw SQL aggregates, same run)")
    for url in [first, *dict.fromkeys(parts)]:
        fetch = page(officer, url)
        size = len(fetch().content)
        label = "preview " + (url.removeprefix(first).strip("/") or "first page")
        seconds, floor_seconds = median_seconds(fetch, repeat), median_seconds(floor, repeat)
        report(label, seconds, floor_seconds, "raw SQL aggregates", query_count(fetch), f"{size / 1024:8.0f} KiB")


CASELOAD_MONTH_SQL = """SELECT r.team_id, sum(l.cases), sum(l.wte), count(*) FROM caseloads_caseloadline l
    JOIN caseloads_caseloadreturn r ON r.id = l.caseload_return_id
    WHERE r.status = 'submitted' AND r.month = %s GROUP BY r.team_id"""
CASELOAD_TREND_SQL = """SELECT r.month, sum(l.cases), sum(l.wte) FROM caseloads_caseloadline l
    JOIN caseloads_caseloadreturn r ON r.id = l.caseload_return_id
    WHERE r.status = 'submitted' AND r.month BETWEEN %s AND %s GROUP BY r.month"""


def measure_caseload_rollups(repeat: int) -> None:
    """Caseload roll-ups for the generator's last month (every bench team filed): read from the tallies,
    counted from the lines as before the tallies, and the raw SQL floor of the same month and trend."""
    import datetime

    from caseloads import conf
    from caseloads.rollups import month_rollup, month_rollup_from_lines, monthly_trend, monthly_trend_from_lines
    from caseloads.scorecard import build
    from indicators.quarters import Quarter

    march = datetime.date(2017, 3, 1)
    start = min(conf.baseline_month(), march)
    month_floor = raw_sql((CASELOAD_MONTH_SQL, [march]))
    trend_floor = raw_sql((CASELOAD_TREND_SQL, [start, march]))
    both_floor = raw_sql((CASELOAD_MONTH_SQL, [march]), (CASELOAD_TREND_SQL, [start, march]))
    officer = clients()[0]["officer"]
    measured = [
        ("roll-up page, latest month", page(officer, "/caseloads/rollup/"), raw_sql(*ROLLUP_SQL)),
        ("roll-up page, Mar 2017", page(officer, "/caseloads/rollup/?month=2017-03"), both_floor),
        ("month_rollup (tallies)", lambda: month_rollup(month=march), month_floor),
        ("month_rollup from the lines", lambda: month_rollup_from_lines(month=march), month_floor),
        ("monthly_trend (tallies)", lambda: monthly_trend(start=start, end=march), trend_floor),
        ("monthly_trend from the lines", lambda: monthly_trend_from_lines(start=start, end=march), trend_floor),
        ("scorecard caseload panel", lambda: build(Quarter.parse(QUARTER)), both_floor),
    ]
    print(f"\nCaseload roll-ups, {march:%b %Y} ({repeat} runs each, median; floor: raw SQL, same run)")
    for label, run, floor in measured:
        run()
        seconds = median_seconds(run, repeat)
        report(label, seconds, median_seconds(floor, repeat), "raw SQL", query_count(run))


def measure_publish(repeat: int) -> None:
    """A publish's reading (issue 9: recompute the computed rows, then build the snapshot, in one
    REPEATABLE READ transaction, rolled back) beside building the snapshot alone (the preview's work)."""
    from django.db import transaction

    from indicators.quarters import Quarter
    from perfsite.one_reading import one_reading
    from scorecards.publishing import preview_snapshot, recompute_quarter_figures

    quarter = Quarter.parse(QUARTER)

    def reading():
        with one_reading():
            recompute_quarter_figures(quarter)
            preview_snapshot(quarter)
            transaction.set_rollback(True)

    print("\nPublishing (one reading, rolled back)")
    seconds = median_seconds(reading, repeat)
    floor = median_seconds(lambda: preview_snapshot(quarter), repeat)
    report("publish: one reading", seconds, floor, "snapshot alone", query_count(reading))


def measure_audit_rollup(repeat: int) -> None:
    """The audit roll-up on its own, read from the tallies, beside the raw SQL that counts the audits.

    Its time should not move with the number of audits: run at two sizes and compare."""
    from django.db import connection

    from audits.models import AuditTally, ThemeTally
    from audits.rollups import quarter_rollup
    from indicators.quarters import Quarter

    quarter = Quarter.parse(QUARTER)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM audits_audit WHERE completed_on BETWEEN %s AND %s", [QUARTER_START, QUARTER_END]
        )
        in_quarter = cursor.fetchone()[0]
    tallies = AuditTally.objects.count() + ThemeTally.objects.count()
    print(f"\nAudit roll-up ({in_quarter:,} audits completed in {QUARTER}; {tallies:,} tally rows in all)")
    # A team manager's results page has no sample check (it counts every team's open cases): the page's own
    # roll-up, thematic results and rendering, which should cost the same at any number of audits.
    from django.contrib.auth import get_user_model
    from django.test import Client

    manager = Client(SERVER_NAME="localhost")
    manager.force_login(get_user_model().objects.get(username="manager"))
    fetch = page(manager, f"/audits/results/?quarter={QUARTER}")
    floor = median_seconds(raw_sql(*RESULTS_SQL), repeat)
    report("audit results page (manager)", median_seconds(fetch, repeat), floor, "raw SQL", query_count(fetch))
    for label, random_only in (("audit roll-up (every round)", False), ("audit roll-up (random only)", True)):
        fetch = lambda random_only=random_only: quarter_rollup(quarter=quarter, random_only=random_only)  # noqa: E731
        report(
            label,
            median_seconds(fetch, repeat),
            median_seconds(raw_sql(*RESULTS_SQL), repeat),
            "raw SQL",
            query_count(fetch),
        )


def measure_sample_check(repeat: int) -> None:
    """The sample check alone (issue 14), reading the random rounds' populations frozen at the draw, beside
    the raw SQL of what it reads, and beside the live count of the case list it no longer makes."""
    from django.db.models import Count

    from audits.models import AuditRound, Case
    from audits.population import band_expression
    from audits.representativeness import sample_check
    from indicators.quarters import Quarter

    quarter = Quarter.parse(QUARTER)
    frozen_floor = raw_sql(
        (
            """SELECT p.dimension, p.stratum, sum(p.open_cases), sum(p.sampled) FROM audits_roundpopulation p
               JOIN audits_auditround r ON r.id = p.round_id WHERE r.quarter = %s AND r.kind = 'random'
               GROUP BY 1, 2""",
            [QUARTER],
        )
    )
    live = []
    for round_ in AuditRound.objects.filter(quarter=QUARTER, kind="random", sampling_date__isnull=False):
        open_cases = Case.objects.open_on(round_.sampling_date).annotate(band=band_expression(round_.sampling_date))
        for cases in (open_cases, open_cases.filter(audits__round=round_)):
            live.append(cases.values("team__name", "case_type", "band").annotate(n=Count("pk")).order_by().query)
    live_floor = raw_sql(*[query.sql_with_params() for query in live])
    cases = Case.objects.count()
    print(f"\nSample check, {QUARTER} ({cases:,} cases in the case list)")
    run = lambda: sample_check(quarter=quarter)  # noqa: E731
    run()
    seconds = median_seconds(run, repeat)
    floor = median_seconds(frozen_floor, repeat)
    report("sample check (frozen population)", seconds, floor, "raw SQL", query_count(run))
    report("  against the live count it replaced", seconds, median_seconds(live_floor, repeat), "live count SQL")


# The quarter page's floor: the raw SQL of exactly what it shows (issue 13 part 3). One page of
# QUARTER_PAGE_SIZE indicators in Appendix 3's order, each with the seven figures of its row (the
# rules of indicators.selectors.ROW_IDS_SQL) and its other themes; how many indicators there are;
# the whole quarter's RAG totals (indicators.quarter_page.TOTALS_SQL, the page's own aggregate);
# and the quarter picker's and the filters' range (first and last actual, the themes).
QUARTER_PAGE_SIZE = 100
_FIGURE = (
    "v.id, v.value, v.scale, v.numerator, v.denominator, v.period_label, v.period_start, v.period_end, "
    "v.status, v.footnote, v.source_kind, v.source_detail, v.loaded_at"
)
_OF = "FROM indicators_indicatorvalue v WHERE v.indicator_id = i.id"
_FIRST = "ORDER BY v.period_end DESC, v.period_start, v.id LIMIT 1"
_BACK = "((latest.{0})::date - interval '1 year' + interval '{1} days')::date"
QUARTER_PAGE_ROWS_SQL = f"""
SELECT i.id, i.code, i.description, i.ref, i.kind, i.polarity, i.tolerance, i.unit, i.theme_name, i.framework_level,
       latest.*, previous.*, earlier.*, target.*, national.*, regional.*, neighbours.*
FROM (SELECT i.*, t.name AS theme_name, t.position AS theme_position
      FROM indicators_indicator i JOIN indicators_theme t ON t.id = i.theme_id
      WHERE i.active ORDER BY i.kind <> 'target', t.position, t.name, i.ref NULLS LAST, i.code LIMIT %s) i
LEFT JOIN LATERAL (SELECT {_FIGURE} {_OF} AND v.series = 'actual' AND v.period_end <= %s {_FIRST}) latest ON true
LEFT JOIN LATERAL (SELECT {_FIGURE} {_OF} AND v.series = 'actual' AND v.period_end < latest.period_end {_FIRST})
    previous ON true
LEFT JOIN LATERAL (SELECT {_FIGURE} {_OF} AND v.series = 'actual' AND v.period_end < latest.period_end
                   AND v.period_start BETWEEN {_BACK.format("period_start", -3)} AND {_BACK.format("period_start", 3)}
                   AND v.period_end BETWEEN {_BACK.format("period_end", -3)} AND {_BACK.format("period_end", 3)}
                   {_FIRST}) earlier ON true
LEFT JOIN LATERAL (SELECT {_FIGURE} {_OF} AND v.series = 'target'
                   AND v.period_start <= latest.period_end AND v.period_end >= latest.period_end
                   ORDER BY (v.period_start = latest.period_start AND v.period_end = latest.period_end) DESC,
                            v.period_start DESC, v.period_end, v.id LIMIT 1) target ON true
LEFT JOIN LATERAL (SELECT {_FIGURE} {_OF} AND v.series = 'national' AND v.period_end <= %s {_FIRST}) national ON true
LEFT JOIN LATERAL (SELECT {_FIGURE} {_OF} AND v.series = 'regional' AND v.period_end <= %s {_FIRST}) regional ON true
LEFT JOIN LATERAL (SELECT {_FIGURE} {_OF} AND v.series = 'statistical_neighbours' AND v.period_end <= %s {_FIRST})
    neighbours ON true
ORDER BY i.kind <> 'target', i.theme_position, i.theme_name, i.ref NULLS LAST, i.code"""


def quarter_page_floor():
    """The raw SQL of the quarter page's figures (above), run as the page's own queries would be."""
    from indicators.quarter_page import TOTALS_SQL, _smallest_bases

    bases = _smallest_bases()
    totals = {
        "quarter_end": QUARTER_END,
        "base_codes": [code for code, _ in bases],
        "base_sizes": [size for _, size in bases],
        "member_only": False,
        "threshold": 5,
        "count_unit": "count",
    }
    return raw_sql(
        ("SELECT count(*) FROM indicators_indicator WHERE active", []),
        (QUARTER_PAGE_ROWS_SQL, [QUARTER_PAGE_SIZE, QUARTER_END, QUARTER_END, QUARTER_END, QUARTER_END]),
        (
            """SELECT a.indicator_id, t.name FROM indicators_indicator_also_in a JOIN indicators_theme t
               ON t.id = a.theme_id WHERE a.indicator_id IN (SELECT id FROM indicators_indicator WHERE active
               ORDER BY kind <> 'target', ref NULLS LAST, code LIMIT %s)""",
            [QUARTER_PAGE_SIZE],
        ),
        (TOTALS_SQL, totals),
        ("SELECT min(period_end), max(period_end) FROM indicators_indicatorvalue WHERE series = 'actual'", []),
        ("SELECT name FROM indicators_theme ORDER BY position, name", []),
    )


def measure_quarter_page(repeat: int) -> None:
    """The quarter page (first page, as an officer) beside the raw SQL of what it shows."""
    made, _ = clients()
    fetch = page(made["officer"], f"/indicators/quarters/{QUARTER}/")
    floor = quarter_page_floor()
    size = len(fetch().content)
    floor()
    # Page and floor take turns, so a busy machine slows both alike and the ratio holds.
    pairs = [(median_seconds(fetch, 1), median_seconds(floor, 1)) for _ in range(repeat)]
    seconds, floor_seconds = statistics.median(p for p, _ in pairs), statistics.median(f for _, f in pairs)
    report(
        "quarter page (first page)",
        seconds,
        floor_seconds,
        "raw SQL shown",
        query_count(fetch),
        f"{size / 1024:8.0f} KiB",
    )


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
            copy_rows.append((pk, "actual", start.strftime("%b %Y"), start, end, value, 1, "", "", now, 1, "", ""))
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
            "version",
            "source_kind",
            "source_detail",
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


# Caseload returns and historic audit results, imported in bulk ---------------------------------------------

RETURN_WORKERS = 2000  # the file's workers, 20 a team; its months are as many as the lines need


def caseload_lines_file(count: int, *, shift: int = 0) -> bytes:
    """``count`` caseload lines of new teams and workers ("Import team ...", staff "IMP-..."), months from 2000."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["month", "team", "staff_number", "worker_name", "role", "employment", "wte", "cases", "service_area"]
    )
    for n in range(count):
        worker, month = n % RETURN_WORKERS, n // RETURN_WORKERS
        writer.writerow(
            [
                f"{2000 + month // 12}-{1 + month % 12:02d}",
                f"Import team {worker // 20:03d}",
                f"IMP-{worker:05d}",
                f"Import worker {worker}",
                "social_worker",
                "permanent",
                "1.00",
                (worker + month + shift) % 30,
                "assessment",
            ]
        )
    return out.getvalue().encode()


def audit_results_file(count: int, *, shift: int = 0) -> bytes:
    """``count`` historic results: 10,000 new cases ("HIST-...") a quarter, quarters from 2000-01, a third moderated."""
    from caseloads.models import Team

    grades = ("outstanding", "good", "requires_improvement", "inadequate")
    teams = list(Team.objects.filter(name__startswith="Bench team").order_by("pk").values_list("name", flat=True)[:50])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["case_ref", "team", "case_type", "quarter", "overall_grade", "moderated_grade", "completed_on"])
    for n in range(count):
        case, quarter = n % 10_000, n // 10_000
        year, q = 2000 + quarter // 4, quarter % 4
        month = (4, 7, 10, 1)[q]
        writer.writerow(
            [
                f"HIST-{case:06d}",
                teams[case % len(teams)],
                "cin",
                f"{year}-{(year + 1) % 100:02d}-q{q + 1}",
                grades[(case + shift) % 4],
                grades[(case + 1 + shift) % 4] if case % 3 == 0 else "",
                f"{year + (q == 3)}-{month:02d}-15",
            ]
        )
    return out.getvalue().encode()


def copy_floor_after(deletes: list[str], select_sql: str, table: str, columns: list[str]) -> float:
    """Seconds to COPY the rows an import just wrote back into ``table``, after deleting them, then rolled back."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(select_sql, [])
        rows = cursor.fetchall()
        for sql in deletes:
            cursor.execute(sql, [])
        start = time.perf_counter()
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    return seconds


def timed_import(label: str, run) -> tuple[float, int, str]:
    """Seconds, Django's query count and the counts of one import run, with the recomputes it queued.

    The recompute of the computed indicators is a worker's task, queued once the import commits:
    it is counted here, not run (without a broker it would run in this process, after the import).
    """
    from unittest import mock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    queued = []
    with (
        mock.patch("indicators.tasks.enqueue_on_commit", lambda task, *args: queued.append(args)),
        CaptureQueriesContext(connection) as captured,
    ):
        start = time.perf_counter()
        result = run()
        seconds = time.perf_counter() - start
    if result.errors:
        raise SystemExit(f"{label}: {result.errors[:3]}")
    counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
    return seconds, len(captured), f"{counts}; recomputes queued: {len(queued)}"


def remove_imported_returns() -> None:
    """The returns benchmark's own rows, by raw SQL: Django's delete would write a history row for each."""
    lines_sql = (
        "FROM caseloads_caseloadline WHERE worker_id IN "
        "(SELECT id FROM caseloads_worker WHERE staff_number LIKE 'IMP-%%')"
    )
    cleanup(
        "DELETE FROM caseloads_historicalcaseloadline WHERE worker_id IN "
        "(SELECT id FROM caseloads_worker WHERE staff_number LIKE 'IMP-%%')",
        f"DELETE {lines_sql}",
        "DELETE FROM caseloads_historicalcaseloadreturn WHERE team_id IN "
        "(SELECT id FROM caseloads_team WHERE name LIKE 'Import team %%')",
        "DELETE FROM caseloads_caseloadtally WHERE team_id IN "
        "(SELECT id FROM caseloads_team WHERE name LIKE 'Import team %%')",
        "DELETE FROM caseloads_caseloadreturn WHERE team_id IN "
        "(SELECT id FROM caseloads_team WHERE name LIKE 'Import team %%')",
        "DELETE FROM caseloads_historicalworker WHERE staff_number LIKE 'IMP-%%'",
        "DELETE FROM caseloads_worker WHERE staff_number LIKE 'IMP-%%'",
        "DELETE FROM caseloads_historicalteam WHERE name LIKE 'Import team %%'",
        "DELETE FROM caseloads_team WHERE name LIKE 'Import team %%'",
    )


def remove_imported_results() -> None:
    """The results benchmark's own rows, by raw SQL."""
    audits_sql = "FROM audits_audit WHERE case_id IN (SELECT id FROM audits_case WHERE case_ref LIKE 'HIST-%%')"
    hist = "(SELECT id FROM audits_case WHERE case_ref LIKE 'HIST-%%')"
    cleanup(
        f"DELETE FROM audits_historicalmoderation WHERE audit_id IN (SELECT id {audits_sql})",
        f"DELETE FROM audits_moderation WHERE audit_id IN (SELECT id {audits_sql})",
        f"DELETE FROM audits_historicalaudit WHERE case_id IN {hist}",
        f"DELETE {audits_sql}",
        "DELETE FROM audits_audittally WHERE round_id IN "
        "(SELECT id FROM audits_auditround WHERE kind = 'historic' AND quarter < '2006')",
        "DELETE FROM audits_themetally WHERE round_id IN "
        "(SELECT id FROM audits_auditround WHERE kind = 'historic' AND quarter < '2006')",
        "DELETE FROM audits_historicalauditround WHERE kind = 'historic' AND quarter < '2006'",
        "DELETE FROM audits_auditround WHERE kind = 'historic' AND quarter < '2006'",
        "DELETE FROM audits_historicalcase WHERE case_ref LIKE 'HIST-%%'",
        "DELETE FROM audits_case WHERE case_ref LIKE 'HIST-%%'",
    )


def measure_return_and_result_imports(lines: int, results: int) -> None:
    """import_caseloads of ``lines`` lines and import_audit_results of ``results`` results, each beside the
    COPY of the same rows into its main table (caseload lines; audits), indexes and constraints included.
    Query counts leave out the COPY statements themselves (psycopg's, not Django's)."""
    from django.conf import settings

    from audits.imports.results import import_audit_results
    from caseloads.services.imports import import_file

    settings.PERFSITE_IMPORT_MAX_ROWS = max(settings.PERFSITE_IMPORT_MAX_ROWS, lines, results)
    settings.PERFSITE_IMPORT_MAX_CELLS = max(settings.PERFSITE_IMPORT_MAX_CELLS, max(lines, results) * 10)
    print(
        f"\nCaseload returns ({lines:,} lines) and historic audit results ({results:,}); floor: COPY of the same rows"
    )
    line_columns = "caseload_return_id, worker_id, role, employment, wte, cases, confirmed_implausible"
    lines_sql = (
        "FROM caseloads_caseloadline WHERE worker_id IN "
        "(SELECT id FROM caseloads_worker WHERE staff_number LIKE 'IMP-%%')"
    )
    _measure_three(
        "import_caseloads",
        caseload_lines_file(lines),
        caseload_lines_file(lines, shift=1),
        lambda data: import_file(data, filename="bench-returns.csv"),
        lambda: copy_floor_after(
            [f"DELETE {lines_sql}"],
            f"SELECT {line_columns} {lines_sql}",
            "caseloads_caseloadline",
            line_columns.split(", "),
        ),
    )
    remove_imported_returns()

    audit_columns = "round_id, case_id, team_id, case_type, status, overall_grade, grade_reason, strengths, "
    audit_columns += "areas_for_development, completed_on, closed_at"
    audits_sql = "FROM audits_audit WHERE case_id IN (SELECT id FROM audits_case WHERE case_ref LIKE 'HIST-%%')"
    _measure_three(
        "import_audit_results",
        audit_results_file(results),
        audit_results_file(results, shift=1),
        lambda data: import_audit_results(data, filename="bench-results.csv"),
        lambda: copy_floor_after(
            [f"DELETE FROM audits_moderation WHERE audit_id IN (SELECT id {audits_sql})", f"DELETE {audits_sql}"],
            f"SELECT {audit_columns} {audits_sql}",
            "audits_audit",
            audit_columns.split(", "),
        ),
    )
    remove_imported_results()


def _measure_three(name: str, data: bytes, changed: bytes, run, floor) -> None:
    """The new rows, the same file again, then every row changed; the floor is taken after the first."""
    first = timed_import(f"{name} (new rows)", lambda: run(data))
    floor_seconds = floor()
    for label, measured in (
        ("(new rows)", first),
        ("again (unchanged)", timed_import(f"{name} again", lambda: run(data))),
        ("(every row changed)", timed_import(f"{name} changed", lambda: run(changed))),
    ):
        seconds, queries, extra = measured
        report(f"{name} {label}", seconds, floor_seconds, "COPY", queries, extra)


def measure_pack() -> None:
    """The committee pack PDF of the published quarter beside WeasyPrint's floor for as many cells.

    The floor is WeasyPrint laying out, drawing and tagging (PDF/UA-1) one plain table, fixed
    columns, with as many cells as the pack's HTML has (``<td>`` and ``<th>``), each a short run
    of text: the least a tagged PDF of that many table cells costs on this machine, in this run.
    The pack once, the floor just before and just after it.
    """
    import re

    from weasyprint import CSS, HTML

    from indicators.quarters import Quarter
    from scorecards.pack_pdf import PDF_VARIANT, render_html, render_pdf
    from scorecards.packs import pack_meta
    from scorecards.publishing import current_version

    scorecard = current_version(Quarter.parse(QUARTER))
    meta = pack_meta(scorecard)
    cells = len(re.findall(r"<t[dh][\s>]", render_html(scorecard.snapshot, meta)))
    indicators = sum(len(section["rows"]) for section in scorecard.snapshot["sections"])
    columns = 10
    rows = "".join(
        "<tr>" + "".join(f"<td>R{row} C{column}</td>" for column in range(columns)) + "</tr>"
        for row in range(-(-cells // columns))
    )
    plain = (
        '<!DOCTYPE html><html lang="en-GB"><head><title>Floor</title></head><body><table><tbody>'
        f"{rows}</tbody></table></body></html>"
    )
    css = CSS(
        string="@page { size: A4; margin: 18mm 16mm } html { font-family: 'Liberation Sans'; font-size: 8.5pt } "
        "table { width: 100%; border-collapse: collapse; table-layout: fixed } td { border-bottom: 1px solid; }"
    )

    def floor() -> float:
        start = time.perf_counter()
        HTML(string=plain).write_pdf(stylesheets=[css], pdf_variant=PDF_VARIANT)
        return time.perf_counter() - start

    # The floor before and after the pack, averaged: on a shared machine the load moves in minutes.
    before = floor()
    start = time.perf_counter()
    pdf = render_pdf(scorecard.snapshot, meta)
    seconds = time.perf_counter() - start
    after = floor()
    print(
        f"\nCommittee pack ({indicators} indicators, {cells:,} table cells; "
        f"floor {before:.1f} s before, {after:.1f} s after)"
    )
    report(
        "committee pack PDF",
        seconds,
        (before + after) / 2,
        "plain table, same cells",
        "",
        f"{len(pdf) / 1024:8.0f} KiB",
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
    parser.add_argument("--caseloads-only", action="store_true", help="only the caseload roll-ups")
    parser.add_argument("--return-lines", type=int, default=100_000, help="caseload lines in the returns import")
    parser.add_argument("--result-rows", type=int, default=50_000, help="rows in the historic audit results import")
    parser.add_argument("--quarter-page", action="store_true", help="measure the quarter page alone")
    parser.add_argument("--preview", action="store_true", help="measure the officer preview's pages alone")
    parser.add_argument("--skip-pack", action="store_true")
    parser.add_argument("--pack-only", action="store_true", help="measure the committee pack PDF alone")
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
    if args.caseloads_only:
        measure_caseload_rollups(max(args.repeat, 5))
        return
    if args.quarter_page:
        return measure_quarter_page(args.repeat)
    if args.preview:
        return measure_preview(args.repeat)
    if args.pack_only:
        return measure_pack()
    if not args.skip_pages:
        measure_pages(args.repeat)
        measure_caseload_rollups(args.repeat)
        measure_publish(args.repeat)
        measure_audit_rollup(args.repeat)
        measure_published(args.repeat)
        measure_sample_check(args.repeat)
    if not args.skip_imports:
        measure_imports(args.import_rows)
        measure_return_and_result_imports(args.return_lines, args.result_rows)
    if not args.skip_pack:
        measure_pack()


if __name__ == "__main__":
    main()
