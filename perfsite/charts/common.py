"""Checks and axis drawing shared by the chart kinds."""

from __future__ import annotations

import math
from decimal import Decimal

from .fmt import clean_text, coord, fit_text, format_cell, format_number, text_width, with_unit
from .model import Point, Series
from .scale import Axis
from .svg import Svg

WIDTH = 640


def check_inputs(categories: list[str], series: list[Series], *, what: str = "series") -> list[list[Point]]:
    if isinstance(categories, str):
        raise TypeError("categories must be a list of labels, not a string")
    categories = [clean_text(c) for c in categories]
    rows = []
    for s in series:
        if not isinstance(s, Series):
            raise TypeError(f"each of the {what} must be a Series, not {type(s).__name__}")
        points = s.points()
        if len(points) != len(categories):
            raise ValueError(f"{what} {s.name!r} has {len(points)} values but there are {len(categories)} categories")
        rows.append(points)
    return rows


def numbers(rows: list[list[Point]]) -> list[Decimal]:
    return [v for row in rows for v in row if isinstance(v, Decimal)]


def tick_label(value: Decimal, axis: Axis, unit: str) -> str:
    return with_unit(format_number(value, axis.tick_decimals), "%" if unit == "%" else "")


def y_axis_width(axis: Axis, unit: str, y_label: str) -> float:
    widest = max(text_width(tick_label(t, axis, unit)) for t in axis.ticks)
    return widest + 14 + (26 if y_label else 0)


def draw_value_axis(
    svg: Svg, axis: Axis, *, left: float, right: float, top: float, bottom: float, unit: str, y_label: str
) -> None:
    """Horizontal grid lines with labels on the left, and the zero line drawn as the axis."""
    for tick in axis.ticks:
        y = bottom - axis.fraction(tick) * (bottom - top)
        css = "perfsite-chart__axis" if tick == 0 or tick == axis.low else "perfsite-chart__grid"
        stroke = "#0b0c0c" if css == "perfsite-chart__axis" else "#cecece"
        svg.line(left, y, right, y, css, stroke=stroke)
        svg.text(left - 8, y + 5, tick_label(tick, axis, unit), anchor="end")
    if y_label:
        x, y = 16, (top + bottom) / 2
        svg.text(x, y, fit_text(y_label, bottom - top), anchor="middle", transform=f"rotate(-90 {coord(x)} {coord(y)})")


def label_every(count: int, spacing: float, labels: list[str]) -> int:
    """Show every k-th category label so neighbours do not overlap."""
    if count <= 1 or not labels:
        return 1
    widest = max(text_width(label) for label in labels) + 10
    return max(1, math.ceil(widest / max(spacing, 1)))


def shown_label_indexes(count: int, every: int) -> set[int]:
    # Count back from the latest category: the most recent period is the one readers look for.
    return {i for i in range(count) if (count - 1 - i) % every == 0}


def table_for(
    categories: list[str],
    names: list[str],
    rows: list[list[Point]],
    *,
    decimals: int,
    unit: str,
    first_header: str,
) -> tuple[list[str], list[list[str]]]:
    from .fmt import column_header

    headers = [first_header, *(column_header(clean_text(n), unit) for n in names)]
    body = []
    for i, category in enumerate(categories):
        body.append([category, *(format_cell(row[i], decimals, unit) for row in rows)])
    return headers, body
