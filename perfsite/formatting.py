"""Figures as a committee report prints them, with the disclosure rule applied to small counts.

Shared by every scorecard panel (``audits.scorecard``, ``caseloads.scorecard``), the scorecard's own
tables and its key messages: one place for how a figure, a count and a percentage are written.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from perfsite.disclosure import COUNT, PERCENT, SUPPRESSED


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """Half up, as published statistics round (Python's round() rounds half to even)."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


DAYS = "days"

# "(Also in Altogether Safer)" and "[1]" belong to the printed table, not to a sentence.
_ALSO_IN = re.compile(r"\s*\((?:also in|also within)[^)]*\)", re.IGNORECASE)
_FOOTNOTE_MARK = re.compile(r"\s*\[\d+\]")


def number(value: Decimal | int | None, decimals: int = 1, *, thousands: bool = False) -> str:
    """``73.4``; ``5,112`` with ``thousands``; an empty string for no figure."""
    if value is None:
        return ""
    rounded = round_half_up(Decimal(value), decimals)
    if rounded == 0:
        rounded = abs(rounded)  # never print "-0.0"
    return f"{rounded:,}" if thousands else f"{rounded}"


def figure(value: Decimal | int | None, *, unit: str, decimals: int) -> str:
    """A figure with its unit as the reference writes it in sentences: ``73.4%``, ``5,112``, ``477 days``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if unit == PERCENT:
        return f"{number(value, decimals)}%"
    if unit == COUNT:
        return number(value, decimals, thousands=True)
    if unit == DAYS:
        return f"{number(value, decimals, thousands=True)} days"
    return number(value, decimals, thousands=True)


def table_figure(value: Decimal | int | str | None, *, unit: str, decimals: int) -> str:
    """A figure for a table cell (the column says the unit): ``73.4``, ``5,112``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return number(value, decimals, thousands=unit in (COUNT, DAYS))


def clean_description(description: str) -> str:
    """The description without the table's cross-references and footnote marks."""
    text = _FOOTNOTE_MARK.sub("", _ALSO_IN.sub("", description or ""))
    return " ".join(text.split()).rstrip(" .")


_LINKING_WORDS = {"and", "of", "for", "the", "in", "on", "to", "&"}


def lower_first(text: str) -> str:
    """Lower-case the first letter, unless it starts an acronym (CAMHS) or a name
    ("Child and Adolescent Mental Health Services": the next content word is capitalised too)."""
    if not text:
        return text
    words = text.split()
    if len(words[0]) > 1 and words[0].isupper():
        return text
    following = next((w for w in words[1:] if w.lower() not in _LINKING_WORDS), "")
    if following[:1].isupper() and words[0][:1].isupper():
        return text
    return text[0].lower() + text[1:]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def count_text(value) -> str:
    """A published count: ``1,234``, or a disclosure marker as it is; empty for no count."""
    if value is None:
        return ""
    return value if isinstance(value, str) else f"{value:,}"


def pct_text(value) -> str:
    """A published percentage: ``48.1%``, or a disclosure marker as it is; empty for none."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return f"{number(value, 1)}%"


def dec(value) -> str | None:
    """A Decimal for JSON (exact, as text); markers and None pass through."""
    if value is None or isinstance(value, str):
        return value
    return str(value)


def undec(text) -> Decimal | str | None:
    """``dec`` undone: a Decimal from its JSON text; a disclosure marker and None pass through."""
    if text is None or text == SUPPRESSED:
        return text
    return Decimal(text)
