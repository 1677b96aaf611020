"""Sparklines: a tiny trend for a table cell, with the same text alternative as a full chart."""

from __future__ import annotations

from decimal import Decimal

from .common import table_for
from .describe import extremes, trend_sentence
from .fmt import clean_text, coord, format_value, round_half_up
from .model import Chart, Series
from .scale import line_axis
from .svg import Svg, marker_path, new_chart_id, series_class, series_colour

SPARK_WIDTH, SPARK_HEIGHT, PAD = 120, 32, 4


def sparkline(
    *,
    values: list[Decimal | int | None],
    title: str,
    unit: str = "",
    decimals: int = 1,
    categories: list[str] | None = None,
    description: str | None = None,
    chart_id: str | None = None,
) -> Chart:
    title = clean_text(title)
    points = Series(title, list(values)).points()
    if categories is None:
        labels = [f"Point {i + 1}" for i in range(len(points))]
        category_label = "Point"
    else:
        if len(categories) != len(points):
            raise ValueError(f"sparkline {title!r} has {len(points)} values but {len(categories)} categories")
        labels = [clean_text(c) for c in categories]
        category_label = "Period"
    figures = [v for v in points if isinstance(v, Decimal)]
    if description is None:
        if not figures:
            description = f"Trend of {title}: no data."
        elif categories is not None:
            description = "Trend of " + trend_sentence(title, labels, points, decimals, unit)
        else:
            description = _describe_unlabelled(title, points, figures, decimals, unit)
    headers, rows = table_for(labels, [title], [points], decimals=decimals, unit=unit, first_header=category_label)
    chart_id = chart_id or new_chart_id()
    svg = Svg(
        width=SPARK_WIDTH,
        height=SPARK_HEIGHT,
        chart_id=chart_id,
        title=title,
        description=description,
        kind="sparkline",
    )
    if not figures:
        svg.line(PAD, SPARK_HEIGHT / 2, SPARK_WIDTH - PAD, SPARK_HEIGHT / 2, "perfsite-chart__grid", stroke="#cecece")
        return Chart(title, description, svg.render(), headers, rows, "sparkline", chart_id, False)

    axis = line_axis(figures, upper_limit=Decimal(100) if unit == "%" else None)
    n = len(points)

    def x_at(i: int) -> float:
        return SPARK_WIDTH / 2 if n == 1 else PAD + i * (SPARK_WIDTH - 2 * PAD) / (n - 1)

    def y_at(v: Decimal) -> float:
        return SPARK_HEIGHT - PAD - axis.fraction(v) * (SPARK_HEIGHT - 2 * PAD)

    d, pen_down, last = [], False, None
    for i, v in enumerate(points):
        if not isinstance(v, Decimal):
            pen_down = False
            continue
        d.append(f"{'L' if pen_down else 'M'}{coord(x_at(i))} {coord(y_at(v))}")
        pen_down, last = True, (x_at(i), y_at(v))
    svg.add(
        "path",
        {
            "class": f"perfsite-chart__line perfsite-chart__spark {series_class(0)}",
            "d": "".join(d),
            "fill": "none",
            "stroke": series_colour(0),
            "stroke-width": 2,
            "stroke-linejoin": "round",
        },
    )
    lonely = [
        (x_at(i), y_at(v))
        for i, v in enumerate(points)
        if isinstance(v, Decimal)
        and not (i > 0 and isinstance(points[i - 1], Decimal))
        and not (i + 1 < n and isinstance(points[i + 1], Decimal))
        and (x_at(i), y_at(v)) != last
    ]
    if lonely:
        d_lonely = "".join(marker_path(x, y, 1.5, 0) for x, y in lonely)
        svg.add("path", {"class": f"perfsite-chart__marker {series_class(0)}", "d": d_lonely, "fill": series_colour(0)})
    if last is not None:
        svg.add(
            "path",
            {
                "class": f"perfsite-chart__marker {series_class(0)}",
                "d": marker_path(*last, 2.5, 0),
                "fill": series_colour(0),
            },
        )
    return Chart(title, description, svg.render(), headers, rows, "sparkline", chart_id, True)


def _describe_unlabelled(title: str, points, figures: list[Decimal], decimals: int, unit: str) -> str:
    first, last = figures[0], figures[-1]
    f, lst = format_value(first, decimals, unit), format_value(last, decimals, unit)
    if len(figures) == 1:
        text = f"Trend of {title}: a single value, {f}"
    else:
        a, b = round_half_up(first, decimals), round_half_up(last, decimals)
        movement = (
            f"rose from {f} to {lst}"
            if b > a
            else f"fell from {f} to {lst}"
            if b < a
            else f"was {f} at the start and the end"
        )
        text = f"Trend of {title} over {len(points)} values: {movement}"
        ext = extremes([("", v) for v in figures], decimals, unit).replace(" ()", "")
        if ext:
            text += f"; {ext}"
    gaps = sum(1 for v in points if not isinstance(v, Decimal))
    if gaps:
        text += f"; {gaps} value{'s' if gaps > 1 else ''} missing or suppressed"
    return text + "."
