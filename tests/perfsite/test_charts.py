"""Charts: well-formed, accessible, CSP-safe SVG with a text alternative and a data table."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal as D
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string

from perfsite.charts import Chart, Series, bar_chart, line_chart, sparkline, stacked_bar_chart
from perfsite.charts.fmt import coord, format_number
from perfsite.charts.scale import bar_axis, line_axis, nice_axis, nice_step

NS = {"svg": "http://www.w3.org/2000/svg"}
MONTHS = ["Feb 2016", "Mar 2016", "Apr 2016", "May 2016", "Jun 2016"]


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))  # noqa: S314 - our own markup, parsed to prove it well-formed


def by_class(root: ET.Element, css: str, tag: str = "*") -> list[ET.Element]:
    return [e for e in root.iter() if css in (e.get("class") or "").split() and (tag == "*" or e.tag.endswith(tag))]


def texts(root: ET.Element) -> list[str]:
    return ["".join(e.itertext()) for e in root.iter(f"{{{NS['svg']}}}text")]


def caseload_chart(**kwargs) -> Chart:
    params = {
        "title": "Average caseload per WTE",
        "categories": MONTHS,
        "series": [Series("Average caseload per WTE", [D("22.1"), D("21.3"), None, D("23.8"), D("24.3")])],
        "target": D("20"),
        "target_label": "Optimum: 20",
    }
    params.update(kwargs)
    return line_chart(**params)


# -- accessibility structure ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "chart",
    [
        caseload_chart(),
        bar_chart(title="Rates", categories=["A", "B"], series=[Series("2016", [D(1), D(2)])]),
        stacked_bar_chart(title="Grades", categories=["All"], segments=[Series("Good", [3]), Series("RI", [4])]),
        sparkline(values=[D(1), D(2)], title="Trend"),
        line_chart(title="Empty", categories=[], series=[]),
    ],
    ids=["line", "bar", "stacked", "sparkline", "empty"],
)
def test_svg_is_named_by_its_title_and_description(chart):
    root = parse(chart)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    assert "perfsite-chart" in root.get("class").split()
    title_id, desc_id = root.get("aria-labelledby").split()
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert title.get("id") == title_id and title.text == chart.title
    assert desc.get("id") == desc_id and desc.text == chart.description
    assert chart.description
    # Scales with its container: a viewBox, and the drawing is hidden from assistive technology.
    assert re.fullmatch(r"0 0 \d+(\.\d+)? \d+(\.\d+)?", root.get("viewBox"))
    assert root.find("svg:g", NS).get("aria-hidden") == "true"


@pytest.mark.parametrize(
    "chart",
    [
        caseload_chart(),
        bar_chart(title="x", categories=["a", "b"], series=[Series("1", [1, 2]), Series("2", [3, 4])]),
        stacked_bar_chart(
            title="x", categories=["a"], segments=[Series(str(i), [i + 1]) for i in range(5)], totals=None
        ),
        sparkline(values=[D(1), None, D(3)], title="t"),
    ],
)
def test_markup_is_csp_safe(chart):
    svg = str(chart.svg)
    assert "style=" not in svg and "<style" not in svg
    assert "<script" not in svg and not re.search(r"\son[a-z]+=", svg)
    assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in svg


def test_two_charts_never_share_ids():
    a, b = caseload_chart(), caseload_chart()
    ids_a = {e.get("id") for e in parse(a).iter() if e.get("id")}
    ids_b = {e.get("id") for e in parse(b).iter() if e.get("id")}
    assert ids_a and ids_b and not ids_a & ids_b


def test_chart_id_can_be_pinned_for_a_reproducible_snapshot():
    a = caseload_chart(chart_id="caseload-trend")
    b = caseload_chart(chart_id="caseload-trend")
    assert a.svg == b.svg
    assert parse(a).get("aria-labelledby") == "caseload-trend-title caseload-trend-desc"


def test_chart_round_trips_through_a_snapshot():
    chart = caseload_chart()
    again = Chart.from_dict(chart.as_dict())
    assert again == chart
    assert str(again.svg) == str(chart.svg)


# -- escaping -------------------------------------------------------------------------------------

NASTY = 'Tom & Jerry\'s <b>"team"</b>\x07'


@pytest.mark.parametrize("kind", ["line", "bar", "stacked", "sparkline"])
def test_all_text_is_escaped(kind):
    series = [Series(NASTY, [D(1), D(2)])]
    if kind == "line":
        chart = line_chart(title=NASTY, categories=[NASTY, "b"], series=series, target=D(1), target_label=NASTY)
    elif kind == "bar":
        chart = bar_chart(title=NASTY, categories=[NASTY, "b"], series=series)
    elif kind == "stacked":
        chart = stacked_bar_chart(title=NASTY, categories=[NASTY, "b"], segments=series)
    else:
        chart = sparkline(values=[D(1), D(2)], title=NASTY)
    svg = str(chart.svg)
    assert "<b>" not in svg and "\x07" not in svg
    root = parse(chart)  # well-formed despite the characters
    clean = NASTY.replace("\x07", "")
    assert root.find("svg:title", NS).text == clean
    if kind != "sparkline":
        assert any(clean in t or t.startswith("Tom & Jerry") for t in texts(root))


def test_template_escapes_names_in_the_table():
    chart = bar_chart(title="<i>x</i>", categories=["<a>"], series=[Series("<s>", [1])])
    html = render_to_string("includes/chart.html", {"chart": chart})
    assert "<i>" not in html and "<a>" not in html and "<s>" not in html
    assert "&lt;a&gt;" in html


# -- formatting -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (D("22.15"), 1, "22.2"),  # half up, as published statistics round
        (D("22.25"), 1, "22.3"),
        (D("-0.04"), 1, "0.0"),  # never "-0.0"
        (D("1234.5"), 0, "1,235"),
        (12, 1, "12.0"),
        (D("0.1") + D("0.2"), 2, "0.30"),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("x", "expected"),
    [(0.1 + 0.2, "0.3"), (1 / 3, "0.33"), (-0.001, "0"), (12.0, "12"), (640, "640"), (2.675, "2.67")],
)
def test_coordinates_have_at_most_two_decimals(x, expected):
    assert coord(x) == expected


def test_no_float_noise_in_markup():
    chart = caseload_chart(
        series=[Series("a", [D("0.1"), D("0.2"), D("0.30000000000000004"), D("1") / D("3"), D("2.675")])]
    )
    for number in re.findall(r"-?\d+\.\d+", str(chart.svg)):
        assert len(number.split(".")[1]) <= 2, number


def test_table_formats_values_and_leaves_gaps_blank():
    chart = caseload_chart(unit="%")
    assert chart.table_headers == ["Period", "Average caseload per WTE"]
    assert chart.table_rows == [
        ["Feb 2016", "22.1%"],
        ["Mar 2016", "21.3%"],
        ["Apr 2016", ""],
        ["May 2016", "23.8%"],
        ["Jun 2016", "24.3%"],
    ]


def test_units_other_than_percent_go_in_the_header():
    chart = bar_chart(title="t", categories=["a"], series=[Series("Time", [D("12.34")])], unit="days", decimals=0)
    assert chart.table_headers == ["Category", "Time (days)"]
    assert chart.table_rows == [["a", "12"]]


def test_suppressed_marker_is_shown_in_the_table_and_drawn_as_a_gap():
    chart = line_chart(title="t", categories=["a", "b", "c"], series=[Series("s", [D(10), "c", D(12)])])
    assert [row[1] for row in chart.table_rows] == ["10.0", "c", "12.0"]
    path = by_class(parse(chart), "perfsite-chart__line", "path")[0]
    assert path.get("d").count("M") == 2
    assert "suppressed" in chart.description


# -- line charts ----------------------------------------------------------------------------------


def test_one_path_per_series_with_distinct_dash_and_marker():
    series = [Series(f"S{i}", [D(i), D(i + 1), D(i + 2)]) for i in range(4)]
    root = parse(line_chart(title="t", categories=["a", "b", "c"], series=series))
    lines = by_class(root, "perfsite-chart__line", "path")
    assert [p.get("data-series") for p in lines] == ["S0", "S1", "S2", "S3"]
    assert len({p.get("stroke-dasharray") for p in lines}) == 4
    assert len({(p.get("class")) for p in lines}) == 4
    markers = [m for m in by_class(root, "perfsite-chart__marker", "path") if m.get("d").count("M") == 3]
    shapes = {re.sub(r"[-\d.]+", "n", m.get("d").split("Z")[0]) for m in markers}
    assert len(markers) == 4 and len(shapes) == 4


def test_legend_names_every_series():
    root = parse(
        line_chart(title="t", categories=["a", "b"], series=[Series("Durham", [1, 2]), Series("England", [2, 3])])
    )
    assert {"Durham", "England"} <= set(texts(root))


def test_none_is_a_gap_not_a_zero():
    chart = caseload_chart()
    root = parse(chart)
    path = by_class(root, "perfsite-chart__line", "path")[0]
    assert path.get("d").count("M") == 2  # the line breaks at Apr 2016
    assert path.get("d").count("L") == 2
    markers = by_class(root, "perfsite-chart__marker", "path")[-1]
    assert markers.get("d").count("M") == 4
    assert "no data for Apr 2016" in chart.description


def _path_ys(d: str) -> list[str]:
    """The absolute y of each M command in a marker path."""
    import re

    return [y for _x, y in re.findall(r"M(-?[\d.]+) (-?[\d.]+)", d)]


def test_target_line_is_drawn_and_labelled():
    root = parse(caseload_chart())
    target = by_class(root, "perfsite-chart__target", "line")
    assert len(target) == 1
    label = next(e for e in root.iter(f"{{{NS['svg']}}}text") if e.text == "Optimum: 20")
    # The label sits above the plot, beside a sample of the dashed line it names, so it is never
    # printed over a data point (issue 10 part 5: "Optimum: 20" covered the latest figure).
    key = by_class(root, "perfsite-chart__target-key", "line")
    assert len(key) == 1 and key[0].get("stroke-dasharray") == target[0].get("stroke-dasharray")
    plotted = by_class(root, "perfsite-chart__marker", "path")[-1]  # the first ones are the legend's
    marker_ys = [float(y) for y in _path_ys(plotted.get("d"))]
    assert float(label.get("y")) < min(marker_ys) - 10


def test_target_without_label_says_target():
    root = parse(caseload_chart(target_label="", target=D("65"), unit="%"))
    assert "Target: 65%" in texts(root)


def test_axis_includes_the_target():
    chart = caseload_chart(target=D("40"))
    labels = texts(parse(chart))
    assert "40" in labels


def test_many_categories_are_thinned_and_keep_the_latest():
    months = [f"Month {i:02d}" for i in range(60)]
    chart = line_chart(title="t", categories=months, series=[Series("s", [D(i % 7) for i in range(60)])])
    shown = [t for t in texts(parse(chart)) if t.startswith("Month")]
    assert 3 <= len(shown) <= 12
    assert shown[-1] == "Month 59"


def test_description_in_plain_english():
    chart = caseload_chart()
    assert chart.description == (
        "Line chart of Average caseload per WTE from Feb 2016 to Jun 2016. "
        "Average caseload per WTE: rose from 22.1 in Feb 2016 to 24.3 in Jun 2016; "
        "highest 24.3 (Jun 2016), lowest 21.3 (Mar 2016); no data for Apr 2016. "
        "Optimum: 20. The latest figure (24.3, Jun 2016) is above the target."
    )


@pytest.mark.parametrize(
    ("values", "phrase"),
    [
        ([D("30"), D("25")], "fell from 30.0 in Feb 2016 to 25.0 in Mar 2016"),
        ([D("30"), D("30.02")], "was 30.0 in both Feb 2016 and Mar 2016"),
        ([D("30"), None], "30.0 in Feb 2016"),
    ],
)
def test_description_trend_words(values, phrase):
    chart = line_chart(title="t", categories=MONTHS[:2], series=[Series("s", values)])
    assert phrase in chart.description


def test_description_given_is_used_verbatim():
    assert caseload_chart(description="Custom words.").description == "Custom words."


# -- bar charts -----------------------------------------------------------------------------------


def test_grouped_bars_one_rect_per_value_from_a_zero_baseline():
    chart = bar_chart(
        title="Re-referrals",
        categories=["Durham", "North East", "England"],
        series=[Series("2015/16", [D("22.1"), D("20.0"), D("22.3")]), Series("2016/17", [D("24.3"), None, D("21.9")])],
        unit="%",
    )
    root = parse(chart)
    assert len(by_class(root, "perfsite-chart__series-1", "rect")) - 1 == 3  # minus the legend swatch
    assert len(by_class(root, "perfsite-chart__series-2", "rect")) - 1 == 2  # the None is no bar
    assert "0%" in texts(root)
    assert "North East no data" in chart.description
    # The second series is textured, so bars do not differ by colour alone.
    assert root.find("svg:defs/svg:pattern", NS) is not None


def test_bar_heights_are_proportional():
    root = parse(bar_chart(title="t", categories=["a", "b"], series=[Series("s", [D(10), D(20)])]))
    bars = by_class(root, "perfsite-chart__bar", "rect")[1:]
    h = [float(b.get("height")) for b in bars]
    assert h[1] == pytest.approx(2 * h[0], abs=0.02)


def test_negative_bars_hang_from_zero():
    root = parse(bar_chart(title="t", categories=["a", "b"], series=[Series("s", [D(-5), D(10)])]))
    bars = by_class(root, "perfsite-chart__bar", "rect")[1:]
    zero_y = float(bars[0].get("y"))  # the negative bar hangs down from zero...
    assert float(bars[1].get("y")) + float(bars[1].get("height")) == pytest.approx(zero_y)  # ...the other stands on it
    assert float(bars[1].get("height")) == pytest.approx(2 * float(bars[0].get("height")), abs=0.02)
    assert "-5" in texts(root)


# -- stacked bars ---------------------------------------------------------------------------------


def grades_chart(**kwargs) -> Chart:
    return stacked_bar_chart(
        title="Audit grades",
        categories=["All teams", "Team A", "Team B"],
        segments=[
            Series("Outstanding", [2, 1, 0]),
            Series("Good", [10, 6, 4]),
            Series("Requires improvement", [6, 2, 4]),
            Series("Inadequate", [2, 1, 0]),
        ],
        **kwargs,
    )


def test_stacked_bars_are_shares_with_counts_in_the_table():
    chart = grades_chart()
    root = parse(chart)
    segments = by_class(root, "perfsite-chart__segment", "rect")
    assert len(segments) == 4 + 4 + 2  # zero counts draw nothing
    first_row = [s for s in segments if s.get("y") == segments[0].get("y")]
    widths = [float(s.get("width")) for s in first_row]
    assert widths[1] == pytest.approx(5 * widths[0], abs=0.05)
    # Every bar is the full width: shares of its own total.
    for y in {s.get("y") for s in segments}:
        assert sum(float(s.get("width")) for s in segments if s.get("y") == y) == pytest.approx(sum(widths), abs=0.05)
    assert chart.table_headers == ["Category", "Outstanding", "Good", "Requires improvement", "Inadequate", "Total"]
    assert chart.table_rows[0] == ["All teams", "2", "10", "6", "2", "20"]
    assert "All teams (total 20): Outstanding 2 (10%), Good 10 (50%)" in chart.description
    assert "n = 20" in texts(root)


def test_stacked_row_with_suppressed_segments_uses_the_published_total():
    chart = stacked_bar_chart(
        title="Grades",
        categories=["All teams", "Team A"],
        segments=[Series("Good", [12, "c"]), Series("Not good", [8, "c"])],
        totals=[20, 7],
    )
    root = parse(chart)
    assert chart.table_rows[1] == ["Team A", "c", "c", "7"]
    assert len(by_class(root, "perfsite-chart__suppressed", "rect")) == 2  # legend swatch and block
    assert "Team A (total 7): Good suppressed, Not good suppressed." in chart.description


def test_stacked_row_with_suppression_and_no_total_is_not_drawn():
    chart = stacked_bar_chart(
        title="Grades", categories=["A", "B"], segments=[Series("Good", [12, "c"]), Series("Not good", [8, 9])]
    )
    root = parse(chart)
    assert chart.table_rows[1] == ["B", "c", "9", ""]
    assert len(by_class(root, "perfsite-chart__segment", "rect")) == 2
    assert "Suppressed" in texts(root)


# -- sparklines -----------------------------------------------------------------------------------


def test_sparkline_is_small_and_described():
    chart = sparkline(values=[D("22.1"), None, D("23"), D("24.3")], title="Caseload trend")
    root = parse(chart)
    assert root.get("viewBox") == "0 0 120 32"
    assert chart.description == (
        "Trend of Caseload trend over 4 values: rose from 22.1 to 24.3; highest 24.3, lowest 22.1; "
        "1 value missing or suppressed."
    )
    assert not texts(root)  # too small for text: the description carries it
    assert by_class(root, "perfsite-chart__line", "path")[0].get("d").count("M") == 2


def test_sparkline_with_categories_uses_them():
    chart = sparkline(values=[D(3), D(1)], title="x", categories=["Q3", "Q4"], decimals=0)
    assert "fell from 3 in Q3 to 1 in Q4" in chart.description
    assert chart.table_rows == [["Q3", "3"], ["Q4", "1"]]


# -- empty data -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda: line_chart(title="Empty", categories=[], series=[]),
        lambda: line_chart(title="Empty", categories=["a", "b"], series=[Series("s", [None, None])]),
        lambda: bar_chart(title="Empty", categories=["a"], series=[Series("s", [None])]),
        lambda: stacked_bar_chart(title="Empty", categories=["a"], segments=[Series("s", [0])]),
    ],
)
def test_no_data_renders_a_valid_svg_that_says_so(build):
    chart = build()
    root = parse(chart)
    assert "No data" in texts(root)
    assert "no data" in chart.description
    assert not chart.has_data


def test_empty_sparkline():
    chart = sparkline(values=[None, None], title="x")
    parse(chart)
    assert chart.description == "Trend of x: no data."


# -- inputs ---------------------------------------------------------------------------------------


def test_series_length_must_match_categories():
    with pytest.raises(ValueError, match="'s' has 1 values but there are 2 categories"):
        line_chart(title="t", categories=["a", "b"], series=[Series("s", [1])])


def test_floats_are_refused():
    with pytest.raises(TypeError, match="Decimal"):
        bar_chart(title="t", categories=["a"], series=[Series("s", [0.3])])


# -- scales ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "step"), [(D("0.7"), D(1)), (D("1.1"), D(2)), (D("2.2"), D("2.5")), (D("3"), D(5)), (D("0.013"), D("0.02"))]
)
def test_nice_step(raw, step):
    assert nice_step(raw) == step


def test_bar_axis_starts_at_zero():
    axis = bar_axis([D("40"), D("48.1")])
    assert axis.ticks[0] == 0 and axis.ticks[-1] >= D("48.1")


def test_line_axis_fits_the_data_not_zero():
    axis = line_axis([D("77.3"), D("89.1")])
    assert D(70) <= axis.low <= D("77.3") and D("89.1") <= axis.high <= D(95)
    assert len(axis.ticks) <= 7


def test_percent_axis_does_not_pass_100():
    axis = line_axis([D("90"), D("99.5")])
    assert axis.high == 100


def test_flat_axis():
    axis = nice_axis(D(0), D(0))
    assert axis.low == 0 < axis.high


# -- template -------------------------------------------------------------------------------------


class _TableReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.found = [], []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def test_template_renders_figure_caption_and_govuk_table():
    chart = caseload_chart()
    html = render_to_string("includes/chart.html", {"chart": chart})
    assert html.index('<figure class="perfsite-figure"') < html.index("<svg") < html.index("<figcaption")
    assert html.index("</figure>") < html.index('<table class="govuk-table')
    assert '<figcaption class="govuk-body' in html
    assert "Data for: Average caseload per WTE</caption>" in html
    reader = _TableReader()
    reader.feed(html)
    th_col = [a for t, a in reader.found if t == "th" and a.get("scope") == "col"]
    th_row = [a for t, a in reader.found if t == "th" and a.get("scope") == "row"]
    tds = [a for t, a in reader.found if t == "td"]
    assert len(th_col) == 2 and len(th_row) == 5 and len(tds) == 5
    assert all("govuk-table__cell--numeric" in a["class"] for a in tds)
    assert "style" not in html


def test_template_can_put_the_table_in_details():
    html = render_to_string("includes/chart.html", {"chart": caseload_chart(), "details": True})
    assert '<details class="govuk-details">' in html and html.index("<details") < html.index("<table")


def test_long_bar_category_names_wrap_before_any_is_left_out():
    chart = bar_chart(
        title="t",
        categories=["Durham", "North East", "Statistical neighbours", "England"],
        series=[Series("a", [1, 2, 3, 4]), Series("b", [1, 2, 3, 4])],
    )
    labels = texts(parse(chart))
    assert {"Durham", "North East", "Statistical", "neighbours", "England"} <= set(labels)


def test_bar_values_are_printed_on_all_bars_or_none():
    roomy = parse(bar_chart(title="t", categories=["a", "b"], series=[Series("s", [D(1), D("22.5")])]))
    assert {"1.0", "22.5"} <= set(texts(roomy))
    crowded = parse(
        bar_chart(title="t", categories=[str(i) for i in range(20)], series=[Series("s", [D(i) for i in range(20)])])
    )
    assert not any(t.endswith(".0") for t in texts(crowded))


def test_suppressed_bar_is_marked_c_not_left_looking_like_zero():
    root = parse(bar_chart(title="t", categories=["a", "b"], series=[Series("s", [D(10), "c"])]))
    assert "c" in texts(root)
    assert len(by_class(root, "perfsite-chart__bar", "rect")) == 2  # legend swatch + one bar


def test_single_line_marks_a_suppressed_point():
    root = parse(line_chart(title="t", categories=["Q1", "Q2", "Q3"], series=[Series("s", [D(40), "c", D(48)])]))
    assert texts(root).count("c") == 1


def test_suppressed_block_sits_where_the_hidden_segments_are():
    chart = stacked_bar_chart(
        title="t",
        categories=["Team B"],
        segments=[Series("Outstanding", ["c"]), Series("Good", ["c"]), Series("RI", [14]), Series("Inadequate", [8])],
        totals=[27],
    )
    root = parse(chart)
    block = [r for r in by_class(root, "perfsite-chart__suppressed", "rect") if r.get("y") != "0"][-1]
    segments = by_class(root, "perfsite-chart__segment", "rect")
    assert float(block.get("x")) < float(segments[0].get("x"))
    total_width = float(block.get("width")) + sum(float(s.get("width")) for s in segments)
    assert float(block.get("width")) == pytest.approx(total_width * 5 / 27, abs=0.05)


@pytest.mark.browser
def test_axe_finds_nothing_on_a_page_of_charts(chromium):
    from pathlib import Path

    from tests.conftest import axe_violations

    css = (Path(__file__).resolve().parents[2] / "static" / "build" / "perfsite.css").read_text()
    charts = [
        caseload_chart(),
        caseload_chart(),  # the same chart twice: ids must not clash
        grades_chart(),
        bar_chart(
            title="Re-referrals",
            categories=["Durham", "North East"],
            series=[Series("2015/16", [D("22.1"), "c"]), Series("2016/17", [D("24.3"), None])],
            unit="%",
        ),
        line_chart(title="Empty", categories=[], series=[]),
    ]
    body = "".join(render_to_string("includes/chart.html", {"chart": c}) for c in charts)
    spark = sparkline(values=[D(1), D(3), D(2)], title="Trend")
    html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Charts</title>'
        f"<style>{css}</style></head><body><main><h1>Charts</h1>{body}"
        f"<p>Trend: {spark.svg}</p></main></body></html>"
    )
    context = chromium.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        page.set_content(html)
        assert axe_violations(page) == []
    finally:
        context.close()


def test_flat_run_is_shown_against_zero():
    axis = line_axis([D(7), D(7)])
    assert axis.low == 0 and axis.high >= 7


@pytest.mark.parametrize("values", [[D(100), D(100)], [D("96.5"), D("99.9")], [D(92), D("99.5"), D(97)]])
def test_percent_line_axis_stops_at_100(values):
    chart = line_chart(title="t", categories=["a", "b", "c"][: len(values)], series=[Series("s", values)], unit="%")
    labels = [t for t in texts(parse(chart)) if t.endswith("%")]
    assert labels[-1] == "100%"


def test_stacked_bar_labels_stay_whole_and_unique():
    """Issue 10 part 5: three teams all read "Safeguarding and Child Protecti…"; they wrap instead."""
    teams = [f"Safeguarding and Child Protection {side}" for side in ("North", "South", "East")]
    chart = stacked_bar_chart(
        title="Staff by caseload band",
        categories=teams,
        segments=[Series("Up to 20", [3, 4, 5]), Series("Over 20", [1, 2, 0])],
    )
    root = parse(chart)
    labels = [e for e in root.iter(f"{{{NS['svg']}}}text") if e.get("text-anchor") == "end"]
    bars: list[list[tuple[float, str]]] = []
    for y, text in sorted((float(label.get("y")), label.text) for label in labels):
        if bars and y - bars[-1][-1][0] <= 16:  # the next line of the same label
            bars[-1].append((y, text))
        else:
            bars.append([(y, text)])
    shown = [" ".join(text for _y, text in lines) for lines in bars]
    assert not any(text.endswith("…") for text in shown)
    assert sorted(shown) == sorted(teams)


@pytest.mark.parametrize(
    "values",
    [[1, 2, 3, 100], [100, 50, 0], [0, 0, 0], [5], [D("99.9"), None, D("0.1")], [None, 7]],
)
def test_a_sparklines_last_dot_lies_wholly_inside_its_box(values):
    """Issue 10: sparklines must not clip their last dot, at either end of the scale."""
    from perfsite.charts.spark import SPARK_HEIGHT, SPARK_WIDTH

    chart = sparkline(values=[D(v) if isinstance(v, int) else v for v in values], title="Trend", unit="%")
    markers = re.findall(r'class="perfsite-chart__marker[^"]*" d="M([\d.]+) ([\d.]+)a([\d.]+)', str(chart.svg))
    assert markers, "the last figure has a dot"
    for left, middle, radius in ((float(a), float(b), float(r)) for a, b, r in markers):
        assert left >= 0 and left + 2 * radius <= SPARK_WIDTH
        assert middle - radius >= 0 and middle + radius <= SPARK_HEIGHT
