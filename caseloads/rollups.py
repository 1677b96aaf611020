"""Caseload roll-ups for a month, overall and by team, and the monthly trend, read from the tallies.

Each submitted return's figures are kept counted in a ``CaseloadTally`` (``caseloads.tallies``,
refreshed by every writer in its transaction), so a roll-up reads one row per team per month
and costs the same however many months of history lie behind it. The same figures counted from
the lines (``month_rollup_from_lines``, ``monthly_trend_from_lines``) are the tallies' oracle in
the tests, and the roll-ups' fallback while tallies counted under other settings (a changed
optimum or bands) wait for ``manage.py rebuild_caseload_tallies``.

Only submitted returns count. Every figure follows ``caseloads.counting``: counted staff are
social workers and senior practitioners; agency staff count as 1.0 WTE; the average is counted
cases / counted WTE; "over 20" is strictly above the optimum per WTE. Averages and percentages
are rounded to one decimal place (half up), as the reference prints them; ``counted_wte`` is
exact (hundredths).

Query budget: ``month_rollup`` makes two queries (figures by team, teams without a submitted
return), ``monthly_trend`` and ``submitted_months`` one each, whatever the number of workers, teams
or months (one more for each roll-up on the fallback).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, F, Max, Min, Sum

from caseloads import conf, counting
from caseloads.models import CaseloadReturn, CaseloadTally, ReturnStatus, Team
from caseloads.models.tallies import BAND_FIELDS
from caseloads.months import first_of_month, months_between
from caseloads.tallies import FIGURES, counted_lines, line_figures, tally_rules
from indicators.quarters import Quarter

ONE_DP = Decimal("0.1")
logger = logging.getLogger(__name__)


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


def _team_ids(teams):
    if hasattr(teams, "values_list") and getattr(teams, "model", None) is Team:
        return teams.values("pk")
    return [getattr(team, "pk", team) for team in teams]


def _band_fields(bands: list[counting.Band]) -> list[str]:
    return list(BAND_FIELDS[: len(bands)])


def _from_row(row: dict, *, month, team, bands) -> CaseloadRollup:
    counted_staff = row["counted_staff"] or 0
    counted_wte = Decimal(row["counted_wte_hundredths"] or 0) / 100
    counted_cases = row["counted_cases"] or 0
    over = row["over_optimum"] or 0
    band_counts = [row.get(field) or 0 for field in _band_fields(bands)]
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


def _keys(bands) -> list[str]:
    return [*FIGURES, *_band_fields(bands), "returns_submitted"]


def _sum_rows(rows: list[dict], keys) -> dict:
    """All teams = the sum of the teams' sums and counts (every figure is additive)."""
    return {key: sum(row.get(key) or 0 for row in rows) for key in keys}


def _tallies(*, teams):
    tallies = CaseloadTally.objects.all()
    if teams is not None:
        tallies = tallies.filter(team__in=_team_ids(teams))
    return tallies


def _lines(*, teams):
    lines = counted_lines()
    if teams is not None:
        lines = lines.filter(caseload_return__team__in=_team_ids(teams))
    return lines


def _counted_from_lines(bands) -> dict:
    return {**line_figures(bands), "returns_submitted": Count("caseload_return", distinct=True)}


def _stale(rules_seen) -> bool:
    """Tallies counted under other settings: the roll-up counts from the lines until they are rebuilt."""
    stale = any(rules != tally_rules() for rules in rules_seen)
    if stale:
        logger.warning("Caseload tallies were counted under other settings: run manage.py rebuild_caseload_tallies")
    return stale


def _team_rows(month, teams, bands, *, from_lines: bool) -> list[dict]:
    """One row per team with a counted return in ``month``, by team name."""
    if not from_lines:
        rows = list(
            _tallies(teams=teams)
            .filter(month=month)
            .values("rules", *FIGURES, *_band_fields(bands), team_name=F("team__name"))
            .order_by("team_name")
        )
        if not _stale(row["rules"] for row in rows):
            return [{**row, "returns_submitted": 1} for row in rows]
    return list(
        _lines(teams=teams)
        .filter(caseload_return__month=month)
        .values(team_name=F("caseload_return__team__name"))
        .annotate(**_counted_from_lines(bands))
        .order_by("team_name")
    )


def _build_month(month, teams, *, from_lines: bool, per_team: bool = True) -> CaseloadRollup:
    month = first_of_month(month)
    bands = counting.bands()
    if per_team:
        rows = _team_rows(month, teams, bands, from_lines=from_lines)
        by_team = [_from_row(row, month=month, team=row["team_name"], bands=bands) for row in rows]
        totals = _sum_rows(rows, _keys(bands))
    else:
        # The totals alone are summed in the database (the trend's one-month query): one row, not one per team.
        by_team = []
        totals = _month_rows([month], teams, bands, from_lines=from_lines).get(month, dict.fromkeys(_keys(bands), 0))
    overall = _from_row(totals, month=month, team=None, bands=bands)

    expected = Team.objects.active()
    if teams is not None:
        expected = expected.filter(pk__in=_team_ids(teams))
    submitted = CaseloadReturn.objects.filter(month=month, status=ReturnStatus.SUBMITTED).values("team_id")
    missing = list(expected.exclude(pk__in=submitted).order_by("name").values_list("name", flat=True))
    return replace(overall, by_team=by_team, teams_missing=missing)


def month_rollup(*, month: datetime.date, teams=None, per_team: bool = True) -> CaseloadRollup:
    """The month's roll-up over ``teams`` (None = every team), with one entry per team in ``by_team``
    (``per_team=False``: the totals alone, ``by_team`` empty; the teams are still summed)."""
    return _build_month(month, teams, from_lines=False, per_team=per_team)


def month_rollup_from_lines(*, month: datetime.date, teams=None) -> CaseloadRollup:
    """``month_rollup`` counted from the lines themselves: the tallies' oracle, and their fallback."""
    return _build_month(month, teams, from_lines=True)


def quarter_rollup(*, quarter: Quarter, teams=None) -> CaseloadRollup:
    """A quarter's caseload figures are those of its last month (March for Q4)."""
    return month_rollup(month=quarter.last_month, teams=teams)


def _month_rows(months, teams, bands, *, from_lines: bool) -> dict:
    if not from_lines:
        sums = {name: Sum(name) for name in (*FIGURES, *_band_fields(bands))}
        rows = list(
            _tallies(teams=teams)
            .filter(month__gte=months[0], month__lte=months[-1])
            .values("month")
            .annotate(**sums, returns_submitted=Count("pk"), first_rules=Min("rules"), last_rules=Max("rules"))
            .order_by("month")
        )
        if not _stale(rules for row in rows for rules in (row["first_rules"], row["last_rules"])):
            return {row["month"]: row for row in rows}
    return {
        row["month"]: row
        for row in _lines(teams=teams)
        .filter(caseload_return__month__gte=months[0], caseload_return__month__lte=months[-1])
        .values(month=F("caseload_return__month"))
        .annotate(**_counted_from_lines(bands))
        .order_by("month")
    }


def _build_trend(start, end, teams, *, from_lines: bool) -> list[CaseloadRollup]:
    months = months_between(start, end)
    if not months:
        return []
    bands = counting.bands()
    rows = _month_rows(months, teams, bands, from_lines=from_lines)
    empty = dict.fromkeys(_keys(bands), 0)
    return [_from_row(rows.get(month, empty), month=month, team=None, bands=bands) for month in months]


def monthly_trend(*, start: datetime.date, end: datetime.date, teams=None) -> list[CaseloadRollup]:
    """One roll-up per month from ``start`` to ``end``, empty where nothing was submitted; one query."""
    return _build_trend(start, end, teams, from_lines=False)


def monthly_trend_from_lines(*, start: datetime.date, end: datetime.date, teams=None) -> list[CaseloadRollup]:
    """``monthly_trend`` counted from the lines themselves: the tallies' oracle, and their fallback."""
    return _build_trend(start, end, teams, from_lines=True)


# The months with a submitted return, newest first, walked down the partial index on submitted returns'
# months (a loose index scan): one probe per month instead of a pass over every return ever filed.
SUBMITTED_MONTHS_SQL = """
WITH RECURSIVE months (month) AS (
  SELECT max(month) FROM caseloads_caseloadreturn WHERE status = %s
  UNION ALL
  SELECT (SELECT max(r.month) FROM caseloads_caseloadreturn r WHERE r.status = %s AND r.month < months.month)
  FROM months WHERE months.month IS NOT NULL
)
SELECT month FROM months WHERE month IS NOT NULL
"""


def submitted_months(*, teams=None) -> list[datetime.date]:
    """Every month in which one of ``teams`` (None = any team) has a submitted return, newest first; one query."""
    if teams is not None:
        returns = CaseloadReturn.objects.filter(status=ReturnStatus.SUBMITTED, team__in=_team_ids(teams))
        return list(returns.values_list("month", flat=True).distinct().order_by("-month"))
    with connection.cursor() as cursor:
        cursor.execute(SUBMITTED_MONTHS_SQL, [ReturnStatus.SUBMITTED.value] * 2)
        found = [month for (month,) in cursor.fetchall()]
    # SQLite gives the computed max() back as text.
    return [month if isinstance(month, datetime.date) else datetime.date.fromisoformat(month) for month in found]


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
    "month_rollup_from_lines",
    "monthly_trend",
    "monthly_trend_from_lines",
    "quarter_rollup",
    "submitted_months",
]
