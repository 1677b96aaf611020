"""A percentage with its 95% interval for each group, against a target: the honest audit chart.

Each group is a row: a dot at the percentage and a bar from the interval's low to its high end; a
dashed line marks the target. Members can see at a glance that 40% of 20 and 48% of 158 overlap.
It returns a ``perfsite.charts.Chart`` so it renders through ``includes/chart.html`` like every
other chart (title, description, data table). Classes and presentation attributes only (CSP).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

from perfsite.charts.model import Chart
from perfsite.formatting import pct_text

WIDTH = 640
ROW_HEIGHT = 34
BLUE, BLACK, RED, GREY = "#1d70b8", "#0b0c0c", "#ca3535", "#cecece"


@dataclass(frozen=True)
class IntervalPoint:
    label: str
    count: str  # "76 of 158", or "c" when suppressed
    pct: Decimal | str | None  # "c" when suppressed
    low: Decimal | None
    high: Decimal | None


def _fit(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(title: str, points: list[IntervalPoint], target: Decimal | None) -> str:
    parts = []
    for p in points:
        if isinstance(p.pct, Decimal) and p.low is not None:
            parts.append(f"{p.label}: {pct_text(p.pct)} (95% interval {pct_text(p.low)} to {pct_text(p.high)})")
        elif p.pct is not None:
            parts.append(f"{p.label}: not shown (small numbers)")
    if not parts:
        return f"{title}: no data."
    text = f"{title}. " + "; ".join(parts) + "."
    if target is not None:
        text += f" The target is {pct_text(target)}."
    return text


def interval_chart(
    *, title: str, points: list[IntervalPoint], target: Decimal | None, target_label: str, chart_id: str
) -> Chart:
    description = describe(title, points, target)
    headers = ["Group", "Audited", "Good or above", "95% interval"]
    rows = [
        [p.label, p.count, pct_text(p.pct), f"{pct_text(p.low)} to {pct_text(p.high)}" if p.low is not None else ""]
        for p in points
    ]
    drawn = [p for p in points if isinstance(p.pct, Decimal) and p.low is not None]
    left, right, top = 250, WIDTH - 24, 40
    height = top + len(points) * ROW_HEIGHT + 40
    body: list[str] = []

    def x_at(value: Decimal) -> float:
        return left + float(value) / 100 * (right - left)

    def line(x1, y1, x2, y2, css, colour, width=1, dash=None):
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(
            f'<line class="{css}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}"'
            f' stroke-width="{width}"{dash_attr}/>'
        )

    def text(x, y, content, anchor="start"):
        body.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(content)}</text>')

    bottom = top + len(points) * ROW_HEIGHT
    for pct in range(0, 101, 20):
        x = x_at(Decimal(pct))
        line(
            x,
            top - 6,
            x,
            bottom,
            "perfsite-chart__axis" if pct == 0 else "perfsite-chart__grid",
            BLACK if pct == 0 else GREY,
        )
        text(x, bottom + 20, f"{pct}%", "middle")
    if target is not None:
        x = x_at(target)
        line(x, top - 14, x, bottom, "perfsite-chart__target", RED, 2, "6 4")
        text(x, top - 18, f"{target_label}", "middle")
    for i, p in enumerate(points):
        y = top + i * ROW_HEIGHT + ROW_HEIGHT / 2
        text(left - 10, y + 5, _fit(p.label), "end")
        if p not in drawn:
            text(left + 6, y + 5, "Suppressed (small numbers)" if p.pct is not None else "No audits")
            continue
        line(x_at(p.low), y, x_at(p.high), y, "perfsite-chart__line perfsite-chart__series-1", BLUE, 3)
        for end in (p.low, p.high):
            line(x_at(end), y - 7, x_at(end), y + 7, "perfsite-chart__line perfsite-chart__series-1", BLUE, 2)
        cx = x_at(p.pct)
        body.append(
            f'<circle class="perfsite-chart__marker perfsite-chart__series-2" cx="{cx:.1f}" cy="{y:.1f}" r="5"'
            f' fill="{BLACK}"/>'
        )
    legend_y = 16
    line(8, legend_y, 36, legend_y, "perfsite-chart__line perfsite-chart__series-1", BLUE, 3)
    text(42, legend_y + 5, "95% interval")
    body.append(
        '<circle class="perfsite-chart__marker perfsite-chart__series-2"'
        f' cx="150" cy="{legend_y}" r="5" fill="{BLACK}"/>'
    )
    text(160, legend_y + 5, "% good or above")
    e = escape
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{e(chart_id)}" class="perfsite-chart perfsite-chart--interval"'
        f' viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img"'
        f' aria-labelledby="{e(chart_id)}-title {e(chart_id)}-desc" focusable="false"'
        ' font-family="Arial, Helvetica, sans-serif" font-size="14">'
        f'<title id="{e(chart_id)}-title">{e(title)}</title><desc id="{e(chart_id)}-desc">{e(description)}</desc>'
        f'<g aria-hidden="true">{"".join(body)}</g></svg>'
    )
    return Chart(
        title=title,
        description=description,
        # Reviewed (bandit B308, B703): every piece of text in the SVG is escaped above.
        svg=mark_safe(svg),  # noqa: S308  # nosec B308 B703
        table_headers=headers,
        table_rows=rows,
        kind="interval",
        chart_id=chart_id,
        has_data=bool(drawn),
    )
