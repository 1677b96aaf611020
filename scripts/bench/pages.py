"""The key pages, each beside its floor, and the audit roll-up that should not grow with history."""

from __future__ import annotations

import statistics

from bench.common import (
    QUARTER,
    QUARTER_END,
    QUARTER_START,
    clients,
    median_seconds,
    page,
    query_count,
    raw_sql,
    report,
)
from bench.floors import QUARTER_SQL, RESULTS_SQL, ROLLUP_SQL, worklist_sql
from bench.quarter_page import quarter_page_floor


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


def measure_worklist(repeat: int) -> None:
    """The auditor's worklist (both lists' first pages) beside the raw SQL of what it shows, taking turns."""
    made, users = clients()
    fetch = page(made["auditor"], "/audits/")
    floor = raw_sql(*worklist_sql(users["auditor"].pk, 50))
    size = len(fetch().content)
    floor()
    pairs = [(median_seconds(fetch, 1), median_seconds(floor, 1)) for _ in range(repeat)]
    seconds, floor_seconds = statistics.median(p for p, _ in pairs), statistics.median(f for _, f in pairs)
    report("auditor worklist", seconds, floor_seconds, "raw SQL shown", query_count(fetch), f"{size / 1024:8.0f} KiB")


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
