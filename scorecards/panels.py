"""The audit and caseload panels of a scorecard: pure functions from roll-ups to what members see.

Every count a member sees goes through ``perfsite.disclosure``: counts of 1 to 5 become ``c``,
with secondary suppression wherever a total would give a hidden count back, and a percentage or an
interval is only shown when the counts it rests on are. Where one published figure is the sum of
others (good or above = outstanding + good; over 20 = the bands above 20) the figures are laid out
as a table whose margins are those sums, so the suppression sees the whole structure.
"""

from __future__ import annotations

from decimal import Decimal

from audits.stats import wilson_interval
from perfsite.charts import Series, bar_chart, line_chart, stacked_bar_chart
from perfsite.disclosure import SUPPRESSED, Share, is_small, suppress_count, suppress_share, suppress_table
from scorecards.formatting import number
from scorecards.interval_chart import IntervalPoint, interval_chart

GRADES = (
    ("outstanding", "Outstanding"),
    ("good", "Good"),
    ("requires_improvement", "Requires improvement"),
    ("inadequate", "Inadequate"),
)


def count_text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else f"{value:,}"


def pct_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return f"{number(value, 1)}%"


def dec(value) -> str | None:
    """A Decimal for JSON (exact, as text); markers and None pass through."""
    if value is None or isinstance(value, str):
        return value
    return str(value)


def _share(numerator, denominator) -> tuple[Decimal | str | None, tuple[Decimal, Decimal] | None]:
    """The published percentage and its 95% interval, or ``c`` and no interval."""
    share = suppress_share(numerator, denominator, complement=True)
    if isinstance(share, Share) and share.percentage is not None:
        return share.percentage, wilson_interval(share.numerator, share.denominator)
    if share == SUPPRESSED:
        return SUPPRESSED, None
    return None, None


def _interval_text(interval) -> str:
    return f"{pct_text(interval[0])} to {pct_text(interval[1])}" if interval else ""


def short_label(quarter) -> str:
    """``Q4 2016/17``: short enough for a chart's category axis."""
    return f"Q{quarter.number} {quarter.financial_year}"


def _pair(first: int, second: int, parent) -> tuple:
    """Two counts that sum to a published ``parent``: both hidden if either is small (or the parent is)."""
    if parent == SUPPRESSED or is_small(first) or is_small(second):
        return SUPPRESSED, SUPPRESSED
    return first, second


def _grade_row(by_grade: dict[str, int], audited: int) -> tuple[list, object]:
    good = by_grade.get("outstanding", 0) + by_grade.get("good", 0)
    below = audited - good
    total = suppress_count(audited)
    good_pub, below_pub = (SUPPRESSED, SUPPRESSED) if total == SUPPRESSED else _pair(good, below, total)
    o, g = _pair(by_grade.get("outstanding", 0), by_grade.get("good", 0), good_pub)
    ri, ina = _pair(by_grade.get("requires_improvement", 0), by_grade.get("inadequate", 0), below_pub)
    return [o, g, ri, ina], total


def _summary(label: str, good: int, audited: int) -> dict:
    good_pub, audited_pub = suppress_count(good), suppress_count(audited)
    pct, interval = _share(good_pub, audited_pub) if audited else (None, None)
    return {
        "label": label,
        "audited": count_text(audited_pub),
        "good_or_above": count_text(good_pub),
        "pct": dec(pct),
        "pct_display": pct_text(pct),
        "ci_low": dec(interval[0]) if interval else None,
        "ci_high": dec(interval[1]) if interval else None,
        "interval_display": _interval_text(interval),
    }


def _overlap(a: dict, b: dict) -> bool | None:
    if a["ci_low"] is None or b["ci_low"] is None:
        return None
    return Decimal(a["ci_low"]) <= Decimal(b["ci_high"]) and Decimal(b["ci_low"]) <= Decimal(a["ci_high"])


def audit_message(overall: dict, *, target: Decimal, previous: dict | None, baseline: dict | None) -> str:
    """Key message for the audit panel, honest about what the intervals can and cannot show."""
    if not overall["pct"] or overall["pct"] == SUPPRESSED:
        return "Too few case files were audited this quarter to publish a percentage."
    pct = Decimal(overall["pct"])
    met = "target met" if pct >= target else "target not met"
    text = (
        f"{overall['pct_display']} of audited case files ({overall['good_or_above']} of {overall['audited']}) were "
        f"graded good or above, against a target of {pct_text(target)}: {met}. "
        f"The 95% interval is {overall['interval_display']}."
    )
    for other, name in ((baseline, "baseline"), (previous, "previous quarter")):
        if not other or not other["pct"] or other["pct"] == SUPPRESSED:
            continue
        overlap = _overlap(overall, other)
        change = (
            "higher than"
            if pct > Decimal(other["pct"])
            else "lower than"
            if pct < Decimal(other["pct"])
            else "the same as"
        )
        text += (
            f" This is {change} the {name} ({other['label']}: {other['pct_display']} of {other['audited']}, "
            f"{other['interval_display']})"
        )
        if change == "the same as":
            text += "."
        elif overlap:
            text += ", but the intervals overlap, so the difference is not proof of change."
        else:
            text += "; the intervals do not overlap, so the difference is unlikely to be chance."
    return text


def audit_panel(rollup, *, quarter, chart_prefix: str) -> dict:
    """Grades, % good or above with its 95% interval against the target and baseline, by team."""
    if rollup is None or rollup.audited == 0:
        return {"has_data": False, "message": f"No case-file audits were completed in {quarter.label}."}
    target = Decimal(rollup.target_pct)
    previous_label = short_label(rollup.quarter.previous())
    this_label = short_label(rollup.quarter)

    # By team: good or above / below good, with totals, suppressed as one table.
    teams = [t for t in rollup.by_team if t.audited]
    table = suppress_table([[t.good_or_above, t.audited - t.good_or_above] for t in teams])
    team_rows, points = [], []
    for team, (good, below), audited in zip(teams, table.cells, table.row_totals, strict=True):
        pct, interval = _share(good, audited)
        team_rows.append(
            {
                "team": team.label,
                "audited": count_text(audited),
                "good_or_above": count_text(good),
                "below_good": count_text(below),
                "pct": dec(pct),
                "pct_display": pct_text(pct),
                "interval_display": _interval_text(interval),
            }
        )
        points.append(_point(team.label, good, audited, pct, interval))
    overall = _summary(f"All teams, {this_label}", rollup.good_or_above, rollup.audited)
    if table.column_totals and table.column_totals[0] == SUPPRESSED:
        overall.update(good_or_above=SUPPRESSED, pct=SUPPRESSED, pct_display=SUPPRESSED, ci_low=None, ci_high=None)
        overall["interval_display"] = ""
    previous = (
        _summary(previous_label, rollup.previous.good_or_above, rollup.previous.audited) if rollup.previous else None
    )
    baseline = None
    if rollup.baseline is not None:
        baseline = _summary(rollup.baseline.label, rollup.baseline.counts.good_or_above, rollup.baseline.counts.audited)

    # Grades: this quarter and the previous one (the baseline was reported as good or above only).
    grade_rows, categories, totals = [], [], []
    for label, by_grade, audited in (
        (
            previous_label,
            rollup.previous.by_grade if rollup.previous else {},
            rollup.previous.audited if rollup.previous else 0,
        ),
        (this_label, rollup.by_grade, rollup.audited),
    ):
        if not audited:
            continue
        cells, total = _grade_row(by_grade, audited)
        grade_rows.append({"label": label, "cells": [count_text(c) for c in cells], "total": count_text(total)})
        categories.append(label)
        totals.append(total)
    segments = [
        Series(name, [_value(row_cells[i]) for row_cells in (_cells(r) for r in grade_rows)])
        for i, (_, name) in enumerate(GRADES)
    ]
    grades_chart = stacked_bar_chart(
        title="Audited case files by Ofsted grade",
        categories=categories,
        segments=segments,
        totals=totals,
        category_label="Quarter",
        chart_id=f"{chart_prefix}-audit-grades",
    )
    team_chart = stacked_bar_chart(
        title=f"Audited case files good or above, by team, {rollup.quarter.label}",
        categories=[r["team"] for r in team_rows],
        segments=[
            Series("Good or above", [_value(c[0]) for c in table.cells]),
            Series("Below good", [_value(c[1]) for c in table.cells]),
        ],
        totals=list(table.row_totals or []),
        category_label="Team",
        chart_id=f"{chart_prefix}-audit-teams",
    )
    summary_points = []
    for item in (baseline, previous, overall):
        if item is not None and item["audited"]:
            summary_points.append(
                IntervalPoint(
                    label=item["label"],
                    count=f"{item['good_or_above']} of {item['audited']}",
                    pct=_decimal_or_marker(item["pct"]),
                    low=_decimal_or_none(item["ci_low"]),
                    high=_decimal_or_none(item["ci_high"]),
                )
            )
    intervals = interval_chart(
        title="Case files good or above, with 95% intervals, against the target",
        points=summary_points + points,
        target=target,
        target_label=f"Target {pct_text(target)}",
        chart_id=f"{chart_prefix}-audit-intervals",
    )
    return {
        "has_data": True,
        "quarter_label": rollup.quarter.label,
        "target_pct": dec(target),
        "target_display": pct_text(target),
        "overall": overall,
        "previous": previous,
        "baseline": baseline,
        "moderated": count_text(suppress_count(rollup.moderated)),
        "agreement_display": pct_text(rollup.agreement_pct) if not is_small(rollup.moderated) else SUPPRESSED,
        "grade_headers": [name for _, name in GRADES],
        "grade_rows": grade_rows,
        "team_rows": team_rows,
        "all_teams": {
            "audited": count_text(table.grand_total),
            "good_or_above": count_text(table.column_totals[0]) if table.column_totals else "",
            "below_good": count_text(table.column_totals[1]) if table.column_totals else "",
        },
        "message": audit_message(overall, target=target, previous=previous, baseline=baseline),
        "charts": [grades_chart.as_dict(), intervals.as_dict(), team_chart.as_dict()],
    }


def _cells(grade_row: dict) -> list:
    return [_value(c) for c in grade_row["cells"]]


def _value(published):
    """A published count for a chart: an int, or the marker."""
    if published is None or published == "":
        return None
    if isinstance(published, str):
        return published if published == SUPPRESSED else int(published.replace(",", ""))
    return published


def _decimal_or_none(text):
    return None if text is None else Decimal(text)


def _decimal_or_marker(text):
    if text is None or text == SUPPRESSED:
        return text
    return Decimal(text)


def _point(label, good, audited, pct, interval) -> IntervalPoint:
    return IntervalPoint(
        label=label,
        count=f"{count_text(good)} of {count_text(audited)}",
        pct=pct,
        low=interval[0] if interval else None,
        high=interval[1] if interval else None,
    )


# -- caseloads -------------------------------------------------------------------------------------


def _band_split(band_count: int, bounds: tuple[int, ...], optimum: int) -> int:
    """How many bands lie at or below the optimum (their upper bound is at most the optimum)."""
    return min(band_count, sum(1 for bound in bounds if bound <= optimum))


def suppress_bands(counts: list[int], *, split: int) -> tuple[list, object, object, object]:
    """Band counts with the "up to the optimum" and "over the optimum" subtotals and the total.

    With as many bands on each side (the default 3 and 3) the two sides are the rows of one table,
    so the subtotals are margins and the suppression protects through them. Otherwise the
    distribution is suppressed as one row, and the over-optimum count is only shown when no band is hidden.
    """
    if split and len(counts) == 2 * split:
        table = suppress_table([counts[:split], counts[split:]], row_totals=True, column_totals=False)
        under, over = table.row_totals
        return table.cells[0] + table.cells[1], under, over, table.grand_total
    table = suppress_table([counts], row_totals=True, column_totals=False)
    cells, total = table.cells[0], table.grand_total
    hidden = any(c == SUPPRESSED for c in cells)
    under = SUPPRESSED if hidden else sum(counts[:split])
    over = SUPPRESSED if hidden else sum(counts[split:])
    return cells, under, over, total


def caseload_message(current: dict, *, baseline: dict | None, earlier: dict | None, optimum: int) -> str:
    if current["average"] is None:
        return "No caseload returns were submitted for this quarter."
    average = Decimal(current["average"])
    side = "above" if average > optimum else "below" if average < optimum else "at"
    text = (
        f"In {current['month_label']} the average caseload was {number(average, 1)} cases per WTE, {side} the "
        f"optimum of {optimum}"
    )
    if baseline and baseline["average"] is not None and baseline["month_label"] != current["month_label"]:
        before = Decimal(baseline["average"])
        moved = "down from" if average < before else "up from" if average > before else "the same as"
        text += f", {moved} {number(before, 1)} in {baseline['month_label']} (the baseline)"
    text += "."
    if current["over"] not in (SUPPRESSED, None, "") and current["over_pct"] not in (SUPPRESSED, None):
        share = pct_text(Decimal(current["over_pct"]))
        text += (
            f" {current['over']} of {current['staff']} counted practitioners ({share}) "
            f"held more than {optimum} cases per WTE"
        )
        if earlier and earlier["over"] not in (SUPPRESSED, None, "") and earlier["over_pct"] not in (SUPPRESSED, None):
            now, then = Decimal(current["over_pct"]), Decimal(earlier["over_pct"])
            word = (
                "a larger share than" if now > then else "a smaller share than" if now < then else "the same share as"
            )
            text += f", {word} in {earlier['month_label']} ({earlier['over']}, {pct_text(then)})"
        text += "."
    elif current["over"] == SUPPRESSED:
        text += f" The number holding more than {optimum} cases per WTE is too small to publish."
    return text


def _month_figures(rollup) -> dict:
    over_pct = suppress_share(rollup.over_20_count, rollup.counted_staff, complement=True)
    return {
        "month_label": rollup.month.strftime("%B %Y"),
        "average": dec(rollup.average_per_wte),
        "staff": count_text(suppress_count(rollup.counted_staff)),
        "over": count_text(suppress_count(rollup.over_20_count)),
        "over_pct": dec(over_pct.percentage) if isinstance(over_pct, Share) else over_pct,
    }


def caseload_panel(current, trend: list, *, bounds: tuple[int, ...], optimum: int, chart_prefix: str) -> dict:
    """The band distribution, the monthly trend against the optimum, and the share over it."""
    if current is None or not current.has_data:
        return {"has_data": False, "message": "No caseload returns were submitted for this quarter's last month."}
    counts = [band.count for band in current.bands]
    split = _band_split(len(counts), bounds, optimum)
    cells, under, over, total = suppress_bands(counts, split=split)
    bands = []
    for band, published in zip(current.bands, cells, strict=True):
        share = suppress_share(published, total) if published != SUPPRESSED and total != SUPPRESSED else SUPPRESSED
        pct = share.percentage if isinstance(share, Share) else share
        bands.append(
            {"label": band.label, "count": count_text(published), "pct": dec(pct), "pct_display": pct_text(pct)}
        )
    over_share = suppress_share(over, total, complement=True) if SUPPRESSED not in (over, total) else SUPPRESSED
    over_pct = over_share.percentage if isinstance(over_share, Share) else over_share

    team_table = suppress_table([[t.counted_staff] for t in current.by_team], row_totals=False, column_totals=True)
    teams = [
        {
            "team": t.team,
            "counted_staff": count_text(staff[0]),
            "average": "" if staff[0] == SUPPRESSED or t.average_per_wte is None else number(t.average_per_wte, 1),
        }
        for t, staff in zip(current.by_team, team_table.cells, strict=True)
    ]

    months = [m for m in trend if m.has_data]
    categories = [m.month.strftime("%b %Y") for m in trend]
    month_figures = [_month_figures(m) for m in trend]
    trend_chart = line_chart(
        title="Average caseload per WTE, by month, against the optimum",
        categories=categories,
        series=[Series("Average caseload per WTE", [m.average_per_wte if m.has_data else None for m in trend])],
        target=Decimal(optimum),
        target_label=f"Optimum: {optimum}",
        decimals=1,
        category_label="Month",
        chart_id=f"{chart_prefix}-caseload-trend",
    )
    over_chart = line_chart(
        title=f"Counted practitioners with more than {optimum} cases per WTE, by month (%)",
        categories=categories,
        series=[Series(f"% over {optimum}", [_decimal_or_marker(f["over_pct"]) for f in month_figures])],
        unit="%",
        decimals=1,
        category_label="Month",
        chart_id=f"{chart_prefix}-caseload-over",
    )
    bands_chart = bar_chart(
        title=f"Counted staff by caseload per WTE, {current.month.strftime('%B %Y')} (%)",
        categories=[b["label"] for b in bands],
        series=[Series("% of counted staff", [_decimal_or_marker(b["pct"]) for b in bands])],
        unit="%",
        decimals=1,
        category_label="Cases per WTE",
        chart_id=f"{chart_prefix}-caseload-bands",
    )
    now = _month_figures(current)
    now.update(over=count_text(over), over_pct=dec(over_pct), staff=count_text(total))
    baseline = month_figures[0] if months and trend[0].has_data else None
    earlier = month_figures[-4] if len(trend) >= 4 and trend[-4].has_data else None
    return {
        "has_data": True,
        "month_label": current.month.strftime("%B %Y"),
        "optimum": optimum,
        "counted_staff": count_text(total),
        "counted_wte": number(current.counted_wte, 1),
        "average": number(current.average_per_wte, 1) if current.average_per_wte is not None else "",
        "over": count_text(over),
        "over_pct_display": pct_text(over_pct),
        "up_to_optimum": count_text(under),
        "excluded_staff": count_text(suppress_count(current.excluded_staff)),
        "bands": bands,
        "teams": teams,
        "teams_total": count_text(team_table.column_totals[0]) if team_table.column_totals else "",
        "teams_missing": list(current.teams_missing),
        "message": caseload_message(now, baseline=baseline, earlier=earlier, optimum=optimum),
        "charts": [bands_chart.as_dict(), trend_chart.as_dict(), over_chart.as_dict()],
    }
