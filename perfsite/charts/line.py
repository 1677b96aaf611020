"""Line charts: one line per series over ordered categories (periods), with an optional target."""

from __future__ import annotations

from decimal import Decimal

from .common import (
    WIDTH,
    check_inputs,
    draw_value_axis,
    label_every,
    numbers,
    shown_label_indexes,
    table_for,
    y_axis_width,
)
from .describe import join_words, target_decimals, target_sentence, trend_sentence
from .fmt import clean_text, coord, fit_text, format_value, text_width
from .model import Chart, Series
from .scale import line_axis
from .svg import Svg, new_chart_id, series_class, series_colour, series_dash

PLOT_HEIGHT = 220


def line_chart(
    *,
    title: str,
    description: str | None = None,
    categories: list[str],
    series: list[Series],
    target: Decimal | int | None = None,
    target_label: str = "",
    unit: str = "",
    decimals: int = 1,
    y_label: str = "",
    category_label: str = "Period",
    chart_id: str | None = None,
) -> Chart:
    title = clean_text(title)
    categories = [clean_text(c) for c in categories]
    rows = check_inputs(categories, series)
    names = [clean_text(s.name) for s in series]
    target = Decimal(target) if target is not None else None
    values = numbers(rows)
    has_data = bool(values)

    if description is None:
        description = _describe(title, categories, names, rows, target, target_label, decimals, unit)
    headers, table_rows = table_for(categories, names, rows, decimals=decimals, unit=unit, first_header=category_label)
    chart_id = chart_id or new_chart_id()

    if not has_data:
        svg = Svg(width=WIDTH, height=120, chart_id=chart_id, title=title, description=description, kind="line")
        svg.no_data()
        return Chart(title, description, svg.render(), headers, table_rows, "line", chart_id, False)

    axis = line_axis(
        values + ([target] if target is not None else []), upper_limit=Decimal(100) if unit == "%" else None
    )
    left = y_axis_width(axis, unit, y_label)
    right = WIDTH - 20
    # Height is only known after the legend is laid out, so draw into a provisional canvas first.
    svg = Svg(width=WIDTH, height=0, chart_id=chart_id, title=title, description=description, kind="line")
    legend_items = [("line", i, name) for i, name in enumerate(names)]
    legend_h = svg.legend(legend_items, x0=left, y0=8, width=right - left)
    top = 8 + legend_h + 22
    bottom = top + PLOT_HEIGHT
    svg.height = bottom + 34

    draw_value_axis(svg, axis, left=left, right=right, top=top, bottom=bottom, unit=unit, y_label=y_label)

    n = len(categories)
    inner_left, inner_right = left + 14, right - 14

    def x_at(i: int) -> float:
        if n == 1:
            return (inner_left + inner_right) / 2
        return inner_left + i * (inner_right - inner_left) / (n - 1)

    def y_at(v: Decimal) -> float:
        return bottom - axis.fraction(v) * (bottom - top)

    spacing = (inner_right - inner_left) / max(n - 1, 1)
    every = label_every(n, spacing, categories)
    for i in sorted(shown_label_indexes(n, every)):
        svg.line(x_at(i), bottom, x_at(i), bottom + 5, "perfsite-chart__axis", stroke="#0b0c0c")
        label = fit_text(categories[i], max(spacing * every - 8, 40))
        svg.text(x_at(i), bottom + 22, label, anchor="middle")

    if target is not None:
        ty = y_at(target)
        svg.line(
            left, ty, right, ty, "perfsite-chart__target", stroke="#ca3535", stroke_width=2, stroke_dasharray="6 4"
        )
        text = target_label or f"Target: {format_value(target, target_decimals(target, decimals), unit)}"
        # The label goes above the plot, beside a sample of the dashed line, never over a data point.
        label = fit_text(text, right - left - 40)
        svg.line(
            right - text_width(label) - 34,
            top - 11,
            right - text_width(label) - 8,
            top - 11,
            "perfsite-chart__target-key",
            stroke="#ca3535",
            stroke_width=2,
            stroke_dasharray="6 4",
        )
        svg.text(right, top - 6, label, anchor="end")

    for index, points in enumerate(rows):
        d, dots, pen_down = [], [], False
        for i, v in enumerate(points):
            if not isinstance(v, Decimal):
                pen_down = False  # a gap, never a zero
                continue
            x, y = x_at(i), y_at(v)
            d.append(f"{'L' if pen_down else 'M'}{coord(x)} {coord(y)}")
            dots.append((x, y))
            pen_down = True
        svg.add(
            "path",
            {
                "class": f"perfsite-chart__line {series_class(index)}",
                "d": "".join(d) or "M0 0",
                "fill": "none",
                "stroke": series_colour(index),
                "stroke-width": 3,
                "stroke-linejoin": "round",
                "stroke-dasharray": series_dash(index),
                "data-series": names[index],
            },
        )
        svg.markers(dots, index, size=4.5 if n <= 40 else 3)
        if len(rows) == 1:
            # With one line, say at the gap that the figure was suppressed, not missing.
            for i, v in enumerate(points):
                if isinstance(v, str):
                    svg.text(x_at(i), bottom - 8, v, anchor="middle")

    return Chart(title, description, svg.render(), headers, table_rows, "line", chart_id, True)


def _describe(title, categories, names, rows, target, target_label, decimals, unit) -> str:
    if not categories:
        return f"Line chart of {title}: no data."
    span = f"from {categories[0]} to {categories[-1]}" if len(categories) > 1 else f"for {categories[0]}"
    if not numbers(rows):
        return f"Line chart of {title} {span}: no data."
    lead = f"Line chart of {title} {span}"
    if len(names) > 1:
        lead += f", {len(names)} series: {join_words(names)}"
    sentences = [lead + "."]
    sentences += [
        trend_sentence(name, categories, points, decimals, unit) for name, points in zip(names, rows, strict=True)
    ]
    if target is not None:
        latest = []
        for name, points in zip(names, rows, strict=True):
            last = [(c, v) for c, v in zip(categories, points, strict=True) if isinstance(v, Decimal)]
            if last:
                latest.append((name, *last[-1]))
        sentences.append(target_sentence(target, target_label, latest if len(names) == 1 else [], decimals, unit))
    return " ".join(sentences)
