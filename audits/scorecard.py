"""The audit panel of the quarterly scorecard: a pure function from the quarter's roll-up to what members see.

Provided to scorecards through ``perfsite.scorecard_panels`` (``AuditsConfig.scorecard_panels``).
Every count goes through ``perfsite.disclosure``: counts of 1 to 5 become ``c``, with secondary
suppression wherever a total would give a hidden count back, and a percentage or an interval is
only shown when the counts it rests on are. Good or above is the sum of the grades up to Good
(``audits.choices``), so grades are laid out as a table whose margins are those sums. A quarter on
fewer audits than CASE AUDIT 1 is rated on (``indicators.small_bases``) is stated, not rated.
"""

from __future__ import annotations

from decimal import Decimal

from audits.choices import GOOD_OR_ABOVE_MAX, Grade
from audits.computed import GOOD_OR_ABOVE_CODE, random_rollup
from audits.representativeness import sample_check
from audits.representativeness_panel import scorecard_addition
from audits.thematic import thematic_results
from audits.thematic_panel import sheet_lines as thematic_sheet_lines
from audits.thematic_panel import thematic_addition
from indicators.small_bases import small_base
from perfsite.charts import Series, stacked_bar_chart
from perfsite.charts.interval import IntervalPoint, interval_chart
from perfsite.disclosure import SUPPRESSED, Share, is_small, suppress_count, suppress_share, suppress_table
from perfsite.formatting import count_text, dec, pct_text, undec
from perfsite.scorecard_panels import ScorecardPanel, SheetLine
from perfsite.stats import wilson_interval

# The grade buckets come from the audit vocabulary: good or above, then below good.
GOOD_GRADES = tuple(grade for grade in Grade if grade.value <= GOOD_OR_ABOVE_MAX)
BELOW_GOOD_GRADES = tuple(grade for grade in Grade if grade.value > GOOD_OR_ABOVE_MAX)


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
    """The four grades as published: each side of good (two grades each) sums to a published figure."""
    (outstanding, good), (requires_improvement, inadequate) = GOOD_GRADES, BELOW_GOOD_GRADES
    good_or_above = sum(by_grade.get(grade.key, 0) for grade in GOOD_GRADES)
    below = audited - good_or_above
    total = suppress_count(audited)
    good_pub, below_pub = (SUPPRESSED, SUPPRESSED) if total == SUPPRESSED else _pair(good_or_above, below, total)
    o, g = _pair(by_grade.get(outstanding.key, 0), by_grade.get(good.key, 0), good_pub)
    ri, ina = _pair(by_grade.get(requires_improvement.key, 0), by_grade.get(inadequate.key, 0), below_pub)
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


def too_few_to_rate(good_or_above: int, audited: int):
    """The quarter's figure rests on fewer audits than CASE AUDIT 1 is rated on (``indicators.small_bases``)."""
    return small_base(code=GOOD_OR_ABOVE_CODE, numerator=Decimal(good_or_above), denominator=Decimal(audited))


def audit_message(
    overall: dict, *, target: Decimal, previous: dict | None, baseline: dict | None, smallest: int | None = None
) -> str:
    """Key message for the audit panel, honest about what the intervals can and cannot show.

    ``smallest``: the quarter rests on fewer audits than that, so it is shown with its interval and
    not rated against the target nor compared with the baseline or the previous quarter.
    """
    if not overall["pct"] or overall["pct"] == SUPPRESSED:
        text = "Too few case files were audited this quarter to publish a percentage."
        return text + (f" Too few to rate: fewer than {smallest} audits." if smallest is not None else "")
    if smallest is not None:
        # Only published figures go into the text: the interval of a hidden count would give it back.
        interval = f"; 95% interval {overall['interval_display']}" if overall["interval_display"] else ""
        return (
            f"{overall['pct_display']} of audited case files ({overall['good_or_above']} of {overall['audited']}) "
            f"were graded good or above{interval}. Too few to rate: fewer than {smallest} audits, so the figure "
            "is not rated against the target nor compared with earlier quarters."
        )
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


def _value(published):
    """A published count for a chart: an int, or the marker."""
    if published is None or published == "":
        return None
    if isinstance(published, str):
        return published if published == SUPPRESSED else int(published.replace(",", ""))
    return published


def _point(label, good, audited, pct, interval) -> IntervalPoint:
    return IntervalPoint(
        label=label,
        count=f"{count_text(good)} of {count_text(audited)}",
        pct=pct,
        low=interval[0] if interval else None,
        high=interval[1] if interval else None,
    )


def _team_rows(rollup) -> tuple[list[dict], list[IntervalPoint], object]:
    """By team: good or above / below good, with totals, suppressed as one table."""
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
    return team_rows, points, table


def _grade_rows(rollup, previous_label: str, this_label: str) -> tuple[list[dict], list[str], list]:
    """Grades, this quarter and the previous one (the baseline was reported as good or above only)."""
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
    return grade_rows, categories, totals


def audit_panel(rollup, *, quarter, chart_prefix: str) -> dict:
    """Grades, % good or above with its 95% interval against the target and baseline, by team."""
    if rollup is None or rollup.audited == 0:
        return {"has_data": False, "message": f"No case-file audits were completed in {quarter.label}."}
    target = Decimal(rollup.target_pct)
    previous_label = short_label(rollup.quarter.previous())
    this_label = short_label(rollup.quarter)

    team_rows, points, table = _team_rows(rollup)
    overall = _summary(f"All teams, {this_label}", rollup.good_or_above, rollup.audited)
    small = too_few_to_rate(rollup.good_or_above, rollup.audited)
    if table.column_totals and table.column_totals[0] == SUPPRESSED:
        overall.update(good_or_above=SUPPRESSED, pct=SUPPRESSED, pct_display=SUPPRESSED, ci_low=None, ci_high=None)
        overall["interval_display"] = ""
    previous = (
        _summary(previous_label, rollup.previous.good_or_above, rollup.previous.audited) if rollup.previous else None
    )
    baseline = None
    if rollup.baseline is not None:
        baseline = _summary(rollup.baseline.label, rollup.baseline.counts.good_or_above, rollup.baseline.counts.audited)

    grade_rows, categories, totals = _grade_rows(rollup, previous_label, this_label)
    segments = [Series(grade.label, [_value(row["cells"][i]) for row in grade_rows]) for i, grade in enumerate(Grade)]
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
    summary_points = [
        IntervalPoint(
            label=item["label"],
            count=f"{item['good_or_above']} of {item['audited']}",
            pct=undec(item["pct"]),
            low=undec(item["ci_low"]),
            high=undec(item["ci_high"]),
        )
        for item in (baseline, previous, overall)
        if item is not None and item["audited"]
    ]
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
        "grade_headers": [grade.label for grade in Grade],
        "grade_rows": grade_rows,
        "team_rows": team_rows,
        "all_teams": {
            "audited": count_text(table.grand_total),
            "good_or_above": count_text(table.column_totals[0]) if table.column_totals else "",
            "below_good": count_text(table.column_totals[1]) if table.column_totals else "",
        },
        # Added after schema 1: a snapshot frozen without it was rated as its message says.
        "too_few_to_rate": small is not None,
        "smallest_base": small.smallest if small else None,
        "message": audit_message(
            overall, target=target, previous=previous, baseline=baseline, smallest=small.smallest if small else None
        ),
        "charts": [grades_chart.as_dict(), intervals.as_dict(), team_chart.as_dict()],
    }


def build(quarter) -> dict:
    """The panel for ``quarter``, from its roll-up (four queries, whatever the number of audits), with the
    check of whether the quarter's random sample represents the cases it was drawn from (1 query, 2 more
    for a random round) and each thematic round's results apart (1 query, 2 more when there is one)."""
    # Random rounds only (a thematic round is chosen on purpose and says nothing of the whole caseload),
    # and the very roll-up CASE AUDIT 1 was recomputed from when a publish recomputed it (one reading).
    rollup = random_rollup(quarter)
    panel = audit_panel(rollup, quarter=quarter, chart_prefix=quarter.slug)
    panel["sample"] = scorecard_addition(sample_check(quarter=quarter))
    thematic = thematic_addition(thematic_results(quarter=quarter))
    if thematic:  # left out when there is none, so earlier snapshots compare equal
        panel["thematic"] = thematic
    return panel


def summary(quarter) -> dict:
    """What the scorecard's first page shows of the panel (``has_data`` and ``message``, exactly as
    ``build`` gives them): the message rests on the roll-up alone (its team table's suppressed
    totals included), so the sample check and the thematic rounds are not read."""
    panel = audit_panel(random_rollup(quarter), quarter=quarter, chart_prefix=quarter.slug)
    return {"has_data": panel["has_data"], "message": panel["message"]}


def sheet(panel: dict) -> list[SheetLine]:
    """The pack's "Audits" sheet: the summary against the target and baseline, then the teams."""
    lines = [SheetLine("title", ("Quality of case files",)), SheetLine("text", (panel["message"],)), SheetLine("blank")]
    if not panel.get("has_data"):
        return lines + thematic_sheet_lines(panel.get("thematic"))
    lines.append(SheetLine("header", ("Group", "Audited", "Good or above", "% good or above", "95% interval")))
    for item in (panel["baseline"], panel["previous"], panel["overall"]):
        if item:
            keys = ("label", "audited", "good_or_above", "pct_display", "interval_display")
            lines.append(SheetLine("row", tuple(item[key] for key in keys)))
    if panel.get("too_few_to_rate"):
        lines.append(SheetLine("label", ("Rating", f"Too few to rate: fewer than {panel['smallest_base']} audits")))
    lines.append(SheetLine("blank"))
    lines.append(
        SheetLine("header", ("Team", "Audited", "Good or above", "Below good", "% good or above", "95% interval"))
    )
    for item in panel["team_rows"]:
        keys = ("team", "audited", "good_or_above", "below_good", "pct_display", "interval_display")
        lines.append(SheetLine("row", tuple(item[key] for key in keys)))
    return lines + thematic_sheet_lines(panel.get("thematic"))


PANEL = ScorecardPanel(
    key="audit",
    title="Quality of case files",
    anchor="audits",
    template="audits/scorecard/panel.html",
    pack_template="audits/scorecard/pack.html",
    sheet_name="Audits",
    build=build,
    sheet=sheet,
    figures=("overall", "team_rows", "grade_rows", "sample", "thematic"),
    change_label="Case-file audits",
    summary=summary,
)
