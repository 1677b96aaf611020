"""Formatting numbers for people and coordinates for SVG, and escaping text for XML."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.html import escape

from perfsite.formatting import round_half_up

from .model import Point

# Characters XML 1.0 forbids: a stray control character would make the SVG unparseable.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: object) -> str:
    return _XML_ILLEGAL.sub("", str(text))


def xml_text(text: object) -> str:
    """Escape text for an element body or an attribute (quotes included)."""
    return escape(clean_text(text))


def format_number(value: Decimal | int, decimals: int) -> str:
    """1234.56 -> "1,234.6"; half up, as published statistics round; no "-0.0"."""
    quantised = round_half_up(Decimal(value), decimals)
    if quantised == 0:
        quantised = abs(quantised)
    return f"{quantised:,.{decimals}f}"


def with_unit(text: str, unit: str) -> str:
    if not unit:
        return text
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}"


def format_value(value: Point, decimals: int, unit: str = "") -> str:
    """A value for prose: number with its unit, the marker as given, "" for a gap."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return with_unit(format_number(value, decimals), unit)


def format_cell(value: Point, decimals: int, unit: str = "") -> str:
    """A value for the data table: "%" stays on the number, other units go in the header."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return format_number(value, decimals) + ("%" if unit == "%" else "")


def column_header(name: str, unit: str) -> str:
    if unit and unit != "%":
        return f"{name} ({unit})"
    return name


def coord(x: float) -> str:
    """A coordinate with at most two decimals, so no 0.30000000000000004 reaches the markup."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def text_width(text: str, font_px: float = 14) -> float:
    """A generous estimate of rendered width in Arial (the SVG cannot measure text)."""
    wide = sum(1 for ch in text if ch.isupper() or ch in "mwMW%@")
    narrow = sum(1 for ch in text if ch in "il.,:;'| ")
    normal = len(text) - wide - narrow
    return font_px * (0.56 * normal + 0.74 * wide + 0.3 * narrow)


def fit_text(text: str, max_width: float, font_px: float = 14) -> str:
    """Shorten with an ellipsis to fit; the full text stays in the data table and description."""
    if text_width(text, font_px) <= max_width:
        return text
    while text and text_width(text + "…", font_px) > max_width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap_text(text: str, max_width: float, *, max_lines: int = 2, font_px: float = 14) -> list[str]:
    """Break at spaces into at most ``max_lines`` lines; the last one is shortened if need be."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}".strip()
        if text_width(trial, font_px) <= max_width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return [fit_text(line, max_width, font_px) for line in lines] or [""]
