"""Grouped vertical bar charts, and horizontal 100% stacked bars of counts."""

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
from .describe import extremes, gaps_sentence, join_words, values_list
from .fmt import clean_text, fit_text, format_cell, format_number, format_value, text_width, wrap_text
from .model import Chart, Point, Series
from .scale import bar_axis
from .svg import Svg, new_chart_id

PLOT_HEIGHT = 220


def bar_chart(
    *,
    title: str,
    description: str | None = None,
    categories: list[str],
    series: list[Series],
    unit: str = "",
    decimals: int = 1,
    y_label: str = "",
    category_label: str = "Category",
    chart_id: str | None = None,
) -> Chart:
    title = clean_text(title)
    categories = [clean_text(c) for c in categories]
    rows = check_inputs(categories, series)
    names = [clean_text(s.name) for s in series]
    values = numbers(rows)
    if description is None:
        description = _describe_bars(title, categories, names, rows, decimals, unit)
    headers, table_rows = table_for(categories, names, rows, decimals=decimals, unit=unit, first_header=category_label)
    chart_id = chart_id or new_chart_id()
    if not values:
        svg = Svg(width=WIDTH, height=120, chart_id=chart_id, title=title, description=description, kind="bar")
        svg.no_data()
        return Chart(title, description, svg.render(), headers, table_rows, "bar", chart_id, False)

    axis = bar_axis(values)
    left = y_axis_width(axis, unit, y_label)
    right = WIDTH - 20
    svg = Svg(width=WIDTH, height=0, chart_id=chart_id, title=title, description=description, kind="bar")
    legend_h = svg.legend([("bar", i, name) for i, name in enumerate(names)], x0=left, y0=8, width=right - left)
    top = 8 + legend_h + 18
    bottom = top + PLOT_HEIGHT
    n, k = len(categories), len(rows)
    band = (right - left) / n
    # Category names are wrapped onto two lines before any are left out.
    wrapped = [wrap_text(c, band - 6) for c in categories]
    fits = all(text_width(line) <= band - 6 and not line.endswith("…") for lines in wrapped for line in lines)
    svg.height = bottom + (52 if fits and any(len(lines) > 1 for lines in wrapped) else 34)
    draw_value_axis(svg, axis, left=left, right=right, top=top, bottom=bottom, unit=unit, y_label=y_label)

    group = band * 0.8
    bar_w = group / k
    zero_y = bottom - axis.fraction(Decimal(0)) * (bottom - top)
    # Values are printed on the bars only if every one fits: a few labelled bars among many
    # unlabelled ones would read as if the others had no value.
    label_all = all(
        text_width(format_cell(v, decimals, unit)) + 4 <= bar_w for points in rows for v in points if v is not None
    )
    every = 1 if fits else label_every(n, band, categories)
    shown = shown_label_indexes(n, every)
    for i, category in enumerate(categories):
        group_left = left + i * band + (band - group) / 2
        for j, points in enumerate(rows):
            v = points[i]
            x = group_left + j * bar_w
            if isinstance(v, Decimal):
                y = bottom - axis.fraction(v) * (bottom - top)
                svg.bar(x + 1, min(y, zero_y), bar_w - 2, abs(zero_y - y), j)
                label = format_cell(v, decimals, unit)
                if label_all:
                    ly = min(y, zero_y) - 5 if v >= 0 else max(y, zero_y) + 16
                    svg.text(x + bar_w / 2, ly, label, anchor="middle")
            elif isinstance(v, str) and text_width(v) + 4 <= bar_w:  # always: a "c" is not a zero
                # A suppressed figure is marked where its bar would be, so it cannot be read as zero.
                svg.text(x + bar_w / 2, zero_y - 5, v, anchor="middle")
        if i in shown:
            lines = wrapped[i] if fits else [fit_text(category, max(band * every - 6, 30))]
            for line_no, line in enumerate(lines):
                svg.text(left + (i + 0.5) * band, bottom + 22 + 18 * line_no, line, anchor="middle")
    return Chart(title, description, svg.render(), headers, table_rows, "bar", chart_id, True)


def _describe_bars(title, categories, names, rows, decimals, unit) -> str:
    if not categories or not numbers(rows):
        return f"Bar chart of {title}: no data."
    lead = f"Bar chart of {title} for {len(categories)} categor{'y' if len(categories) == 1 else 'ies'}"
    if len(names) > 1:
        lead += f", comparing {join_words(names)}"
    sentences = [lead + "."]
    for name, points in zip(names, rows, strict=True):
        pairs = [(c, v) for c, v in zip(categories, points, strict=True) if isinstance(v, Decimal)]
        if len(categories) <= 8:
            sentences.append(f"{name}: {values_list(categories, points, decimals, unit)}.")
        elif not pairs:
            sentences.append(f"{name}: no data.")
        else:
            ext = extremes(pairs, decimals, unit) or f"all {format_value(pairs[0][1], decimals, unit)}"
            gaps = gaps_sentence(categories, points, noun="category")
            sentences.append(f"{name}: {ext}{'; ' + gaps if gaps else ''}.")
    return " ".join(sentences)


# -- stacked ---------------------------------------------------------------------------------


def _row_total(points: list[Point], given: Decimal | str | None) -> Decimal | str | None:
    if given is not None:
        return given
    if any(isinstance(v, str) for v in points):
        return None  # cannot be known without the published total
    figures = [v for v in points if isinstance(v, Decimal)]
    return sum(figures, Decimal(0)) if figures else None


def stacked_bar_chart(
    *,
    title: str,
    description: str | None = None,
    categories: list[str],
    segments: list[Series],
    unit: str = "",
    decimals: int = 0,
    totals: list[Decimal | int | str | None] | None = None,
    category_label: str = "Category",
    chart_id: str | None = None,
) -> Chart:
    """One horizontal bar per category; each segment's length is its share of that bar's total.

    Segment values may be disclosure markers ("c"). Pass ``totals`` (the published row totals) for
    such rows: the known segments are then drawn as shares of the total and the rest as one
    "suppressed" block; without a total, a row with a suppressed segment is not drawn at all.
    """
    from .model import normalise_value

    title = clean_text(title)
    categories = [clean_text(c) for c in categories]
    rows = check_inputs(categories, segments, what="segment")
    names = [clean_text(s.name) for s in segments]
    if totals is not None and len(totals) != len(categories):
        raise ValueError(f"totals has {len(totals)} values but there are {len(categories)} categories")
    given = [normalise_value(t, where=f"total {i + 1}") for i, t in enumerate(totals or [None] * len(categories))]
    row_totals = [_row_total([row[i] for row in rows], given[i]) for i in range(len(categories))]
    # Shares are drawn from counts that are themselves published; hidden shares stay hidden.
    drawable = [isinstance(t, Decimal) and t > 0 for t in row_totals]

    if description is None:
        description = _describe_stacked(title, categories, names, rows, row_totals, decimals, unit)
    headers, table_rows = table_for(categories, names, rows, decimals=decimals, unit=unit, first_header=category_label)
    headers.append("Total")
    for i, row in enumerate(table_rows):
        row.append(format_cell(row_totals[i], decimals, unit))
    chart_id = chart_id or new_chart_id()
    if not any(drawable):
        svg = Svg(width=WIDTH, height=120, chart_id=chart_id, title=title, description=description, kind="stacked")
        svg.no_data()
        return Chart(title, description, svg.render(), headers, table_rows, "stacked", chart_id, False)

    label_w = min(max(text_width(c) for c in categories) + 12, 220)
    total_w = max(text_width(f"n = {format_number(t, decimals)}") if isinstance(t, Decimal) else 0 for t in row_totals)
    left = label_w + 8
    right = WIDTH - 16 - max(total_w, 70)
    svg = Svg(width=WIDTH, height=0, chart_id=chart_id, title=title, description=description, kind="stacked")
    legend_items = [("bar", i, name) for i, name in enumerate(names)]
    has_hidden = any(isinstance(v, str) for row in rows for v in row)
    legend_h = svg.legend(legend_items, x0=8, y0=8, width=WIDTH - 16)
    top = 8 + legend_h + 16
    if has_hidden:
        svg.add(
            "rect",
            {
                "x": 10,
                "y": top - 12,
                "width": 14,
                "height": 14,
                "fill": "#b1b4b6",
                "stroke": "#505a5f",
                "class": "perfsite-chart__suppressed",
            },
        )
        svg.text(30, top, "Suppressed (small numbers)")
        top += 24
    bar_h, gap = 24, 14
    bottom = top + len(categories) * (bar_h + gap)
    svg.height = bottom + 34

    for pct in (0, 25, 50, 75, 100):
        x = left + (right - left) * pct / 100
        svg.line(
            x,
            top - 4,
            x,
            bottom,
            "perfsite-chart__axis" if pct == 0 else "perfsite-chart__grid",
            stroke="#0b0c0c" if pct == 0 else "#cecece",
        )
        svg.text(x, bottom + 20, f"{pct}%", anchor="middle")

    for i, category in enumerate(categories):
        y = top + i * (bar_h + gap) + gap / 2
        # Wrapped, not cut: three teams cut to one width all read "Safeguarding and Child Protecti…".
        lines = wrap_text(category, label_w, max_lines=2)
        for line_no, line in enumerate(lines):
            svg.text(left - 8, y + bar_h / 2 + 5 + (line_no - (len(lines) - 1) / 2) * 16, line, anchor="end")
        total = row_totals[i]
        if not drawable[i]:
            note = "No data" if total is None or total == 0 else str(total)
            if any(isinstance(row[i], str) for row in rows) and not isinstance(total, Decimal):
                note = "Suppressed"
            svg.text(left + 6, y + bar_h / 2 + 5, note)
            continue
        assert isinstance(total, Decimal)
        x = left
        known = sum((row[i] for row in rows if isinstance(row[i], Decimal)), Decimal(0))
        hidden_drawn = False
        for j, row in enumerate(rows):
            v = row[i]
            if isinstance(v, Decimal) and v > 0:
                w = float(v / total) * (right - left)
                svg.bar(x, y, w, bar_h, j, css_class="perfsite-chart__segment")
                x += w
            elif isinstance(v, str) and not hidden_drawn and known < total:
                # The suppressed segments together, where the first of them would be.
                w = float((total - known) / total) * (right - left)
                box = {"x": _c(x), "y": _c(y), "width": _c(w), "height": _c(bar_h)}
                svg.add("rect", {"class": "perfsite-chart__suppressed", **box, "fill": "#b1b4b6", "stroke": "#505a5f"})
                x += w
                hidden_drawn = True
        svg.text(right + 8, y + bar_h / 2 + 5, f"n = {format_number(total, decimals)}")
    return Chart(title, description, svg.render(), headers, table_rows, "stacked", chart_id, True)


def _c(x: float) -> str:
    from .fmt import coord

    return coord(x)


def _share(value: Decimal, total: Decimal) -> str:
    return format_value(value * 100 / total, 0, "%")


def _describe_stacked(title, categories, names, rows, row_totals, decimals, unit) -> str:
    if not categories or not any(isinstance(t, Decimal) and t > 0 for t in row_totals):
        return f"Stacked bar chart of {title}: no data."
    sentences = [
        f"Stacked bar chart of {title}: for each of {len(categories)} categor{'y' if len(categories) == 1 else 'ies'},"
        f" the share of {join_words(names)}."
    ]
    for i, category in enumerate(categories[:12]):
        total = row_totals[i]
        if not isinstance(total, Decimal) or total == 0:
            if any(isinstance(row[i], str) for row in rows):
                sentences.append(f"{category}: figures suppressed to protect confidentiality.")
            else:
                sentences.append(f"{category}: no data.")
            continue
        parts = []
        for name, row in zip(names, rows, strict=True):
            v = row[i]
            if isinstance(v, Decimal):
                parts.append(f"{name} {format_value(v, decimals, unit)} ({_share(v, total)})")
            elif isinstance(v, str):
                parts.append(f"{name} suppressed")
        sentences.append(f"{category} (total {format_value(total, decimals, unit)}): {', '.join(parts)}.")
    if len(categories) > 12:
        sentences.append(f"{len(categories) - 12} more categories are in the data table.")
    return " ".join(sentences)
