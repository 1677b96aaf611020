"""The officers' rounds pages beside the raw SQL of what they show, and beside the direct count they replaced.

The rounds list shows a page of rounds, each with its audits to do and finished; a round's page shows its
audits by status and a page of its audits. Both read each round's progress from its status tally, so their
time should not move with the number of audits a round has: run at two sizes and compare.
"""

# ruff: noqa: S608 - the floors' SQL interpolates this module's constants and the tally's table, never input
from __future__ import annotations

import statistics

from bench.common import clients, median_seconds, page, query_count, raw_sql, report

PER_PAGE = 50
TALLY = "audits_roundstatustally"
# The rounds list's first page, in its order (newest quarter first).
PAGE_OF_ROUNDS = f"""SELECT id FROM audits_auditround ORDER BY quarter DESC, kind, title, id LIMIT {PER_PAGE}"""
ROUNDS_SQL = (
    f"""SELECT r.id, r.title, r.quarter, r.kind, r.due_on FROM audits_auditround r
       ORDER BY r.quarter DESC, r.kind, r.title, r.id LIMIT {PER_PAGE}""",
    [],
)
ROUND_AUDITS_SQL = f"""SELECT a.id, c.case_ref, t.name, a.status, a.overall_grade, m.grade FROM audits_audit a
       JOIN audits_case c ON c.id = a.case_id JOIN caseloads_team t ON t.id = a.team_id
       LEFT JOIN audits_moderation m ON m.audit_id = a.id
       WHERE a.round_id = %s ORDER BY t.name, c.case_ref, a.id LIMIT {PER_PAGE}"""


def _tally_sql(where: str, params: list) -> tuple[str, list]:
    """What a rounds page shows of the rounds' progress, read from the tally (the pre-aggregated rows)."""
    return (f"SELECT round_id, status, audits, sent_for_moderation FROM {TALLY} WHERE {where}", params)


def _count_sql(where: str, params: list) -> tuple[str, list]:
    """The same progress counted straight from the audits, as the pages did before the tally."""
    return (
        f"""SELECT a.round_id, a.status, count(*), count(m.id) FROM audits_audit a
           LEFT JOIN audits_moderation m ON m.audit_id = a.id WHERE {where} GROUP BY 1, 2""",
        params,
    )


def _in_turns(fetch, floors: list, repeat: int) -> tuple[float, list[float]]:
    """The page and each floor timed one after another, ``repeat`` times: all see the same load."""
    fetch()
    runs = []
    for _ in range(repeat):
        runs.append([median_seconds(fetch, 1), *(median_seconds(floor, 1) for floor in floors)])
    return statistics.median(r[0] for r in runs), [
        statistics.median(r[i + 1] for r in runs) for i in range(len(floors))
    ]


def measure_rounds(repeat: int) -> None:
    from django.db import connection

    officer = clients()[0]["officer"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({PAGE_OF_ROUNDS}) p JOIN audits_audit a ON a.round_id = p.id")
        on_page = cursor.fetchone()[0]
        cursor.execute("SELECT round_id, count(*) FROM audits_audit GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1")
        biggest, biggest_size = cursor.fetchone()
        tallied = TALLY in connection.introspection.table_names(cursor)
    print(
        f"\nRounds pages ({repeat} runs in turns, median; {on_page:,} audits in the first page's rounds, "
        f"the biggest round {biggest_size:,})"
    )
    pages = [
        ("rounds list (first page)", "/audits/rounds/", ROUNDS_SQL, f"round_id IN ({PAGE_OF_ROUNDS})", []),
        (
            "round page (biggest round)",
            f"/audits/rounds/{biggest}/",
            (ROUND_AUDITS_SQL, [biggest]),
            "round_id = %s",
            [biggest],
        ),
    ]
    for label, url, rows_sql, where, params in pages:
        fetch = page(officer, url)
        # The floor is the raw SQL of what the page shows: its rows, and the progress read from the tally
        # (before there was one, counted); the direct count beside it is what the page cost before the tally.
        counted = raw_sql(rows_sql, _count_sql(f"a.{where}", params))
        shown = raw_sql(rows_sql, _tally_sql(where, params)) if tallied else counted
        seconds, (shown_floor, counted_floor) = _in_turns(fetch, [shown, counted], repeat)
        report(label, seconds, shown_floor, "raw SQL shown" if tallied else "count SQL", query_count(fetch))
        report("  against the direct count", seconds, counted_floor, "count SQL")
