"""The caseload roll-ups, read from the tallies and counted from the lines, beside the raw SQL of the same month."""

from __future__ import annotations

from bench.common import QUARTER, clients, median_seconds, page, query_count, raw_sql, report
from bench.floors import ROLLUP_SQL

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
