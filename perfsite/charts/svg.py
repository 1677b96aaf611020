"""A small SVG writer and the shared pieces of every chart: frame, legend, markers, patterns.

Only classes and presentation attributes are used (no ``style`` attribute, no script), so the
markup passes a strict Content-Security-Policy. Presentation attributes double as a fallback where
the stylesheet is absent (a PDF renderer, a feed reader); the stylesheet's classes win when present.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.utils.safestring import SafeString, mark_safe

from .fmt import coord, fit_text, text_width, xml_text

SERIES_STYLES = 5
# Fallback colours matching GOV.UK Frontend's palette, used only when no stylesheet applies.
_FALLBACK_COLOURS = ("#1d70b8", "#0b0c0c", "#c25a00", "#54319f", "#0f7a52")
# Lines differ by dash pattern as well as colour and marker, so no series relies on colour alone.
_DASHES = (None, "10 5", "2 4", "12 4 2 4")
MARKER_NAMES = ("circle", "square", "triangle", "diamond", "cross")
PATTERN_NAMES = ("solid", "diagonal stripes", "dots", "cross-hatching", "horizontal stripes")
FONT_PX = 14
LINE_HEIGHT = 18


def series_class(index: int) -> str:
    return f"perfsite-chart__series-{index % SERIES_STYLES + 1}"


def series_colour(index: int) -> str:
    return _FALLBACK_COLOURS[index % SERIES_STYLES]


def series_dash(index: int) -> str | None:
    return _DASHES[index % len(_DASHES)]


def new_chart_id() -> str:
    return f"chart-{uuid.uuid4().hex[:12]}"


def _attrs(attrs: dict[str, object]) -> str:
    return "".join(f' {name}="{xml_text(value)}"' for name, value in attrs.items() if value is not None)


class Svg:
    def __init__(self, *, width: float, height: float, chart_id: str, title: str, description: str, kind: str):
        self.width = width
        self.height = height
        self.chart_id = chart_id
        self.title = title
        self.description = description
        self.kind = kind
        self.defs: list[str] = []
        self.body: list[str] = []

    # -- writing -------------------------------------------------------------------------
    def add(self, tag: str, attrs: dict[str, object], text: str | None = None) -> None:
        if text is None:
            self.body.append(f"<{tag}{_attrs(attrs)}/>")
        else:
            self.body.append(f"<{tag}{_attrs(attrs)}>{xml_text(text)}</{tag}>")

    def open(self, tag: str, attrs: dict[str, object]) -> None:
        self.body.append(f"<{tag}{_attrs(attrs)}>")

    def close(self, tag: str) -> None:
        self.body.append(f"</{tag}>")

    def text(self, x: float, y: float, text: str, *, anchor: str = "start", **extra: object) -> None:
        attrs: dict[str, object] = {"x": coord(x), "y": coord(y), "text-anchor": anchor if anchor != "start" else None}
        attrs.update({k.replace("_", "-"): v for k, v in extra.items()})
        self.add("text", attrs, text)

    def line(self, x1: float, y1: float, x2: float, y2: float, css_class: str, **extra: object) -> None:
        attrs: dict[str, object] = {
            "class": css_class,
            "x1": coord(x1),
            "y1": coord(y1),
            "x2": coord(x2),
            "y2": coord(y2),
        }
        attrs.update({k.replace("_", "-"): v for k, v in extra.items()})
        self.add("line", attrs)

    def render(self) -> SafeString:
        title_id, desc_id = f"{self.chart_id}-title", f"{self.chart_id}-desc"
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" id="{xml_text(self.chart_id)}"'
            f' class="perfsite-chart perfsite-chart--{xml_text(self.kind)}"'
            f' viewBox="0 0 {coord(self.width)} {coord(self.height)}"'
            f' width="{coord(self.width)}" height="{coord(self.height)}"'
            f' role="img" aria-labelledby="{xml_text(title_id)} {xml_text(desc_id)}"'
            ' focusable="false" font-family="Arial, Helvetica, sans-serif" font-size="14">'
            f'<title id="{xml_text(title_id)}">{xml_text(self.title)}</title>'
            f'<desc id="{xml_text(desc_id)}">{xml_text(self.description)}</desc>'
        )
        defs = f"<defs>{''.join(self.defs)}</defs>" if self.defs else ""
        # Everything drawn is decoration for assistive technology: the name and description say it.
        body = f'<g aria-hidden="true">{"".join(self.body)}</g>'
        # Reviewed (bandit B308, B703): every piece of text in head, defs and body is escaped above.
        return mark_safe(head + defs + body + "</svg>")  # noqa: S308  # nosec B308 B703

    # -- shared pieces -------------------------------------------------------------------
    def pattern_id(self, index: int) -> str | None:
        """The id of the texture laid over series ``index``'s bars (None for the solid first style)."""
        style = index % SERIES_STYLES
        if style == 0:
            return None
        pid = f"{self.chart_id}-pattern-{style}"
        if not any(f'id="{pid}"' in d for d in self.defs):
            shapes = {
                1: '<path d="M-2 2L2 -2M0 8L8 0M6 10L10 6" stroke="#fff" stroke-width="2"/>',
                2: '<circle cx="4" cy="4" r="1.6" fill="#fff"/>',
                3: '<path d="M0 0L8 8M8 0L0 8" stroke="#fff" stroke-width="1.5"/>',
                4: '<path d="M0 4H8" stroke="#fff" stroke-width="2"/>',
            }[style]
            self.defs.append(
                f'<pattern id="{xml_text(pid)}" patternUnits="userSpaceOnUse" width="8" height="8">{shapes}</pattern>'
            )
        return pid

    def bar(
        self, x: float, y: float, w: float, h: float, index: int, *, css_class: str = "perfsite-chart__bar"
    ) -> None:
        """A bar in the series' colour with its texture on top (colour is never the only cue)."""
        box = {"x": coord(x), "y": coord(y), "width": coord(max(w, 0)), "height": coord(max(h, 0))}
        self.add("rect", {"class": f"{css_class} {series_class(index)}", **box, "fill": series_colour(index)})
        pid = self.pattern_id(index)
        if pid:
            self.add("rect", {"class": "perfsite-chart__texture", **box, "fill": f"url(#{pid})"})

    def markers(self, points: Iterable[tuple[float, float]], index: int, *, size: float = 4.5) -> None:
        d = "".join(marker_path(x, y, size, index) for x, y in points)
        if d:
            self.add(
                "path",
                {"class": f"perfsite-chart__marker {series_class(index)}", "d": d, "fill": series_colour(index)},
            )

    def legend(self, items: list[tuple[str, int, str]], *, x0: float, y0: float, width: float) -> float:
        """Lay out ``(kind, index, name)`` items in rows; returns the height used."""
        if not items:
            return 0
        x, y = x0, y0
        for kind, index, name in items:
            label = fit_text(name, width - 40)
            item_width = 34 + text_width(label) + 20
            if x > x0 and x + item_width > x0 + width:
                x, y = x0, y + LINE_HEIGHT + 6
            cy = y + LINE_HEIGHT / 2
            if kind == "line":
                self.line(
                    x,
                    cy,
                    x + 28,
                    cy,
                    f"perfsite-chart__line {series_class(index)}",
                    stroke=series_colour(index),
                    stroke_width=3,
                    fill="none",
                    stroke_dasharray=series_dash(index),
                )
                self.markers([(x + 14, cy)], index)
            elif kind == "target":
                self.line(
                    x,
                    cy,
                    x + 28,
                    cy,
                    "perfsite-chart__target",
                    stroke="#ca3535",
                    stroke_width=2,
                    stroke_dasharray="6 4",
                )
            else:
                self.bar(x + 7, cy - 7, 14, 14, index)
            self.text(x + 34, cy + 5, label)
            x += item_width
        return y + LINE_HEIGHT - y0

    def no_data(self, message: str = "No data") -> None:
        self.add(
            "rect",
            {
                "class": "perfsite-chart__grid",
                "x": 1,
                "y": 1,
                "width": coord(self.width - 2),
                "height": coord(self.height - 2),
                "fill": "none",
                "stroke": "#b1b4b6",
            },
        )
        self.text(self.width / 2, self.height / 2 + 5, message, anchor="middle")


def marker_path(x: float, y: float, r: float, index: int) -> str:
    shape = index % len(MARKER_NAMES)
    c = coord
    if shape == 0:  # circle
        return f"M{c(x - r)} {c(y)}a{c(r)} {c(r)} 0 1 0 {c(2 * r)} 0a{c(r)} {c(r)} 0 1 0 {c(-2 * r)} 0Z"
    if shape == 1:  # square
        s = r * 0.9
        return f"M{c(x - s)} {c(y - s)}h{c(2 * s)}v{c(2 * s)}h{c(-2 * s)}Z"
    if shape == 2:  # triangle
        return f"M{c(x)} {c(y - r * 1.2)}L{c(x + r * 1.15)} {c(y + r * 0.85)}L{c(x - r * 1.15)} {c(y + r * 0.85)}Z"
    if shape == 3:  # diamond
        s = r * 1.3
        return f"M{c(x)} {c(y - s)}L{c(x + s)} {c(y)}L{c(x)} {c(y + s)}L{c(x - s)} {c(y)}Z"
    # cross (plus sign)
    a, t = r * 1.2, r * 0.45
    pts = [
        (x - t, y - a),
        (x + t, y - a),
        (x + t, y - t),
        (x + a, y - t),
        (x + a, y + t),
        (x + t, y + t),
        (x + t, y + a),
        (x - t, y + a),
        (x - t, y + t),
        (x - a, y + t),
        (x - a, y - t),
        (x - t, y - t),
    ]
    return "M" + "L".join(f"{c(px)} {c(py)}" for px, py in pts) + "Z"
