"""The caseload panel of the quarterly scorecard: a pure function from the month's roll-up to what members see.

Provided to scorecards through ``perfsite.scorecard_panels`` (``CaseloadsConfig.scorecard_panels``).
The quarter's last month is shown against the optimum and the trend since the baseline month, both
read from this app's settings (``caseloads.conf``). Every count goes through ``perfsite.disclosure``;
where one published figure is the sum of others (over the optimum = the bands above it) the figures
are laid out as a table whose margins are those sums, so the suppression sees the whole structure.
A figure on fewer counted workers than its indicator row is rated on (``indicators.small_bases``) is
stated, not set against the optimum or earlier months.
"""

from __future__ import annotations

from decimal import Decimal

from caseloads import conf
from caseloads.computed import AVERAGE_CODE, OVER_CODE, month_figures
from caseloads.rollups import month_rollup, monthly_trend
from indicators.small_bases import small_base
from perfsite.charts import Series, bar_chart, line_chart
from perfsite.disclosure import SUPPRESSED, Share, suppress_count, suppress_share, suppress_table
from perfsite.formatting import count_text, dec, number, pct_text, undec
from perfsite.scorecard_panels import ScorecardPanel, SheetLine


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


def too_few_to_rate(rollup) -> tuple[int | None, int | None]:
    """The smallest base the month's average and its share over the optimum each fall below, or None
    where the figure may be rated: the rule of their indicator rows (``indicators.small_bases``)."""
    average = small_base(code=AVERAGE_CODE, numerator=Decimal(rollup.counted_cases), denominator=rollup.counted_wte)
    over = small_base(
        code=OVER_CODE, numerator=Decimal(rollup.over_20_count), denominator=Decimal(rollup.counted_staff)
    )
    return (average.smallest if average else None), (over.smallest if over else None)


def caseload_message(
    current: dict,
    *,
    baseline: dict | None,
    earlier: dict | None,
    optimum: int,
    average_smallest: int | None = None,
    over_smallest: int | None = None,
) -> str:
    """``average_smallest``/``over_smallest``: that figure rests on fewer counted workers than that, so it
    is stated but neither set against the optimum nor compared with earlier months."""
    if current["average"] is None:
        return "No caseload returns were submitted for this quarter."
    average = Decimal(current["average"])
    text = f"In {current['month_label']} the average caseload was {number(average, 1)} cases per WTE"
    if average_smallest is not None:
        text += (
            f". Too few to rate: fewer than {average_smallest} counted workers, so it is not compared with the "
            "optimum or the baseline"
        )
    else:
        side = "above" if average > optimum else "below" if average < optimum else "at"
        text += f", {side} the optimum of {optimum}"
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
        if over_smallest is not None:
            text += f"; too few to rate (fewer than {over_smallest} counted workers)"
        elif (
            earlier and earlier["over"] not in (SUPPRESSED, None, "") and earlier["over_pct"] not in (SUPPRESSED, None)
        ):
            now, then = Decimal(current["over_pct"]), Decimal(earlier["over_pct"])
            word = (
                "a larger share than" if now > then else "a smaller share than" if now < then else "the same share as"
            )
            text += f", {word} in {earlier['month_label']} ({earlier['over']}, {pct_text(then)})"
        text += "."
    elif current["over"] == SUPPRESSED:
        text += f" The number holding more than {optimum} cases per WTE is too small to publish."
        if over_smallest is not None and average_smallest is None:
            text += f" Too few to rate: fewer than {over_smallest} counted workers."
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
        series=[Series(f"% over {optimum}", [undec(f["over_pct"]) for f in month_figures])],
        unit="%",
        decimals=1,
        category_label="Month",
        chart_id=f"{chart_prefix}-caseload-over",
    )
    bands_chart = bar_chart(
        title=f"Counted staff by caseload per WTE, {current.month.strftime('%B %Y')} (%)",
        categories=[b["label"] for b in bands],
        series=[Series("% of counted staff", [undec(b["pct"]) for b in bands])],
        unit="%",
        decimals=1,
        category_label="Cases per WTE",
        chart_id=f"{chart_prefix}-caseload-bands",
    )
    average_smallest, over_smallest = too_few_to_rate(current)
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
        # Added after schema 1: a snapshot frozen without them was rated as its message says.
        "too_few_to_rate": average_smallest is not None or over_smallest is not None,
        "smallest_base": average_smallest or over_smallest,
        "message": caseload_message(
            now,
            baseline=baseline,
            earlier=earlier,
            optimum=optimum,
            average_smallest=average_smallest,
            over_smallest=over_smallest,
        ),
        "charts": [bands_chart.as_dict(), trend_chart.as_dict(), over_chart.as_dict()],
    }


def build(quarter) -> dict:
    """The panel for ``quarter``'s last month, with the monthly trend from the baseline month (three queries)."""
    end = quarter.last_month
    return caseload_panel(
        # The very roll-up the CASELOAD rows were recomputed from when a publish recomputed them (one reading).
        month_figures(end),
        monthly_trend(start=min(conf.baseline_month(), end), end=end),
        bounds=conf.band_upper_bounds(),
        optimum=conf.optimum(),
        chart_prefix=quarter.slug,
    )


def summary(quarter) -> dict:
    """What the scorecard's first page shows of the panel (``has_data`` and ``message``, as ``build``
    gives them) without a roll-up per team: the message rests on the month's totals and the trend."""
    end = quarter.last_month
    panel = caseload_panel(
        month_rollup(month=end, per_team=False),
        monthly_trend(start=min(conf.baseline_month(), end), end=end),
        bounds=conf.band_upper_bounds(),
        optimum=conf.optimum(),
        chart_prefix=quarter.slug,
    )
    return {"has_data": panel["has_data"], "message": panel["message"]}


def sheet(panel: dict) -> list[SheetLine]:
    """The pack's "Caseloads" sheet: the month's figures, then the teams."""
    lines = [SheetLine("title", ("Social work caseloads",)), SheetLine("text", (panel["message"],)), SheetLine("blank")]
    if not panel.get("has_data"):
        return lines
    optimum = panel["optimum"]
    for label, value in (
        ("Average caseload per WTE", panel["average"]),
        ("Counted staff", panel["counted_staff"]),
        ("Counted WTE", panel["counted_wte"]),
        (f"Over {optimum} per WTE", panel["over"]),
        (f"% over {optimum}", panel["over_pct_display"]),
    ):
        lines.append(SheetLine("label", (label, value)))
    if panel.get("too_few_to_rate"):
        lines.append(
            SheetLine("label", ("Rating", f"Too few to rate: fewer than {panel['smallest_base']} counted workers"))
        )
    lines.append(SheetLine("blank"))
    lines.append(SheetLine("header", ("Team", "Counted staff", "Average per WTE")))
    for team in panel["teams"]:
        lines.append(SheetLine("row", (team["team"], team["counted_staff"], team["average"] or SUPPRESSED)))
    return lines


PANEL = ScorecardPanel(
    key="caseload",
    title="Social work caseloads",
    anchor="caseloads",
    template="caseloads/scorecard/panel.html",
    pack_template="caseloads/scorecard/pack.html",
    sheet_name="Caseloads",
    build=build,
    sheet=sheet,
    figures=("average", "over", "bands", "teams"),
    change_label="Caseloads",
    summary=summary,
)
