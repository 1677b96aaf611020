"""Caseload roll-ups for a month, overall and by team, and the monthly trend, computed in the database.

Only submitted returns count. Every figure follows ``caseloads.counting``: counted staff are
social workers and senior practitioners; agency staff count as 1.0 WTE; the average is counted
cases / counted WTE; "over 20" is strictly above the optimum per WTE. Averages and percentages
are rounded to one decimal place (half up), as the reference prints them; ``counted_wte`` is
exact (hundredths).

Query budget: ``month_rollup`` makes two queries (figures by team, teams without a submitted
return) and ``monthly_trend`` one, whatever the number of workers, teams or months.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db.models import Count, Sum

from caseloads import conf, counting
from caseloads.models import CaseloadLine, CaseloadReturn, ReturnStatus, Team
from caseloads.months import first_of_month, months_between
from indicators.quarters import Quarter

ONE_DP = Decimal("0.1")


class BandCount(NamedTuple):
    label: str
    count: int
    pct: Decimal | None


@dataclass(frozen=True)
class CaseloadRollup:
    month: datetime.date
    team: str | None  # None for all teams in scope
    counted_staff: int
    counted_wte: Decimal
    counted_cases: int
    average_per_wte: Decimal | None
    over_20_count: int
    over_20_pct: Decimal | None
    excluded_staff: int
    bands: list[BandCount]
    returns_submitted: int = 0
    by_team: list[CaseloadRollup] = field(default_factory=list)
    teams_missing: list[str] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return self.returns_submitted > 0

    @property
    def month_label(self) -> str:
        return self.month.strftime("%b %Y")


def one_dp(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(ONE_DP, rounding=ROUND_HALF_UP)


def percentage(count: int, total: int) -> Decimal | None:
    return one_dp(Decimal(count) * 100 / total) if total else None


def _lines(*, teams):
    lines = CaseloadLine.objects.filter(caseload_return__status=ReturnStatus.SUBMITTED, cases__isnull=False)
    if teams is not None:
        lines = lines.filter(caseload_return__team__in=_team_ids(teams))
    return counting.annotate_counting(lines)


def _team_ids(teams):
    if hasattr(teams, "values_list") and getattr(teams, "model", None) is Team:
        return teams.values("pk")
    return [getattr(team, "pk", team) for team in teams]


def _aggregates(bands: list[counting.Band]) -> dict:
    counted = counting.counted_line_q()
    aggregates = {
        "counted_staff": Count("pk", filter=counted),
        "excluded_staff": Count("pk", filter=~counted),
        "counted_wte_h": Sum("counting_wte_h", filter=counted),
        "counted_cases": Sum("cases", filter=counted),
        "over_count": Count("pk", filter=counting.over_optimum_q()),
        "returns_submitted": Count("caseload_return", distinct=True),
    }
    for index, band in enumerate(bands):
        aggregates[f"band_{index}"] = Count("pk", filter=counting.band_q(band))
    return aggregates


def _from_row(row: dict, *, month, team, bands) -> CaseloadRollup:
    counted_staff = row["counted_staff"] or 0
    counted_wte = Decimal(row["counted_wte_h"] or 0) / 100
    counted_cases = row["counted_cases"] or 0
    over = row["over_count"] or 0
    band_counts = [row.get(f"band_{index}") or 0 for index in range(len(bands))]
    return CaseloadRollup(
        month=month,
        team=team,
        counted_staff=counted_staff,
        counted_wte=counted_wte.quantize(Decimal("0.01")),
        counted_cases=counted_cases,
        average_per_wte=one_dp(counting.average_per_wte(counted_cases=counted_cases, counted_wte=counted_wte)),
        over_20_count=over,
        over_20_pct=percentage(over, counted_staff),
        excluded_staff=row["excluded_staff"] or 0,
        bands=[
            BandCount(band.label, count, percentage(count, counted_staff))
            for band, count in zip(bands, band_counts, strict=True)
        ],
        returns_submitted=row["returns_submitted"] or 0,
    )


def _sum_rows(rows: list[dict], keys) -> dict:
    """All teams = the sum of the teams' sums and counts (every figure is additive)."""
    return {key: sum(row.get(key) or 0 for row in rows) for key in keys}


def month_rollup(*, month: datetime.date, teams=None) -> CaseloadRollup:
    """The month's roll-up over ``teams`` (None = every team), with one entry per team in ``by_team``."""
    month = first_of_month(month)
    bands = counting.bands()
    rows = list(
        _lines(teams=teams)
        .filter(caseload_return__month=month)
        .values("caseload_return__team__name")
        .annotate(**_aggregates(bands))
        .order_by("caseload_return__team__name")
    )
    by_team = [_from_row(row, month=month, team=row["caseload_return__team__name"], bands=bands) for row in rows]
    overall = _from_row(_sum_rows(rows, _aggregates(bands)), month=month, team=None, bands=bands)

    expected = Team.objects.active()
    if teams is not None:
        expected = expected.filter(pk__in=_team_ids(teams))
    submitted = CaseloadReturn.objects.filter(month=month, status=ReturnStatus.SUBMITTED).values("team_id")
    missing = list(expected.exclude(pk__in=submitted).order_by("name").values_list("name", flat=True))
    return replace(overall, by_team=by_team, teams_missing=missing)


def quarter_rollup(*, quarter: Quarter, teams=None) -> CaseloadRollup:
    """A quarter's caseload figures are those of its last month (March for Q4)."""
    return month_rollup(month=quarter.last_month, teams=teams)


def monthly_trend(*, start: datetime.date, end: datetime.date, teams=None) -> list[CaseloadRollup]:
    """One roll-up per month from ``start`` to ``end``, empty where nothing was submitted; one query."""
    months = months_between(start, end)
    if not months:
        return []
    bands = counting.bands()
    rows = {
        row["caseload_return__month"]: row
        for row in _lines(teams=teams)
        .filter(caseload_return__month__gte=months[0], caseload_return__month__lte=months[-1])
        .values("caseload_return__month")
        .annotate(**_aggregates(bands))
        .order_by("caseload_return__month")
    }
    empty = dict.fromkeys(_aggregates(bands), 0)
    return [_from_row(rows.get(month, empty), month=month, team=None, bands=bands) for month in months]


def latest_month_with_data(*, teams=None) -> datetime.date | None:
    returns = CaseloadReturn.objects.filter(status=ReturnStatus.SUBMITTED)
    if teams is not None:
        returns = returns.filter(team__in=_team_ids(teams))
    return returns.order_by("-month").values_list("month", flat=True).first()


def trend_start() -> datetime.date:
    return conf.baseline_month()


__all__ = [
    "BandCount",
    "CaseloadRollup",
    "latest_month_with_data",
    "month_rollup",
    "monthly_trend",
    "quarter_rollup",
]
