"""The sample check (issue 14) beside the raw SQL of the frozen populations and the live count it replaced."""

from __future__ import annotations

from bench.common import QUARTER, median_seconds, query_count, raw_sql, report


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
