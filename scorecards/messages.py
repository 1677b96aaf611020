"""Key messages: one sentence per indicator, written from its quarter row in the reference's style.

"73.4% of statutory referrals received by the First Contact Team or Emergency Duty Team processed
within 1 working day (2016/17), against a target of 85.0%: target not met, worse than last year
(81.6%)." Every function here is pure: it reads an ``indicators.selectors.IndicatorRow`` (or
anything shaped like one) and returns text, so the rules are tested over a table of cases.

Which comparator speaks first follows Appendix 3: a target indicator is judged against its target,
a tracker against the previous period; the sentence then compares with the same period last year
(or, when there is none, the previous period) and the benchmarks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from indicators.rag import Rag
from perfsite.disclosure import COUNT, PERCENT, SUPPRESSED, disclosed
from perfsite.formatting import clean_description, figure, lower_first, number, upper_first

TARGET = "target"
NEUTRAL = "neutral"

_PERCENTAGE_OF = re.compile(r"^(?:the\s+)?(?:percentage|proportion|%)\s+of\s+(?P<rest>.+)$", re.IGNORECASE)
_NUMBER_OF = re.compile(r"^(?:the\s+)?number\s+of\s+(?P<rest>.+)$", re.IGNORECASE)


class Tone(StrEnum):
    ISSUE = "issue"  # a target not met, or worse than before: members should look here first
    POSITIVE = "positive"
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class KeyMessage:
    indicator_id: int | None
    code: str
    text: str
    tone: Tone
    rag: Rag


def _rag(cell) -> Rag:
    return Rag(getattr(cell, "rag", Rag.NA) or Rag.NA)


def _value(cell) -> Decimal | None:
    return None if cell is None else cell.value


def shown(row, cell) -> Decimal | str | None:
    """The cell's figure as a member may see it (``c`` for a small count)."""
    if cell is None or cell.value is None:
        return None
    return disclosed(cell.value, unit=row.unit, numerator=cell.numerator, denominator=cell.denominator)


def fmt(row, value) -> str:
    return figure(value, unit=row.unit, decimals=row.decimals)


def headline_rag(row) -> Rag:
    """The rating the headline counts: against target for target indicators, else against the previous period."""
    if row.latest.value is None:
        return Rag.NA
    return _rag(row.target) if row.kind == TARGET else _rag(row.previous)


def tone(row) -> Tone:
    # A figure too few to rate is neither good nor bad news; nor is a target for another period.
    if row.latest.value is None or getattr(row, "too_few_to_rate", False):
        return Tone.NEUTRAL
    if row.kind == TARGET and row.target.value is not None and not held_back(row.target):
        return Tone.POSITIVE if _rag(row.target) == Rag.GREEN else Tone.ISSUE
    comparator = row.twelve_months_earlier if row.twelve_months_earlier.value is not None else row.previous
    rag = _rag(comparator)
    if rag == Rag.RED:
        return Tone.ISSUE
    if rag == Rag.GREEN and comparator.value != row.latest.value:
        return Tone.POSITIVE
    return Tone.NEUTRAL


def subject(row, value_text: str) -> str:
    """``73.4% of statutory referrals ...``; ``148 child sexual exploitation referrals``; else ``Description: 50.0``."""
    description = clean_description(row.description)
    if value_text != SUPPRESSED:
        if row.unit == PERCENT and (match := _PERCENTAGE_OF.match(description)):
            return f"{value_text} of {lower_first(match['rest'])}"
        if row.unit == COUNT and (match := _NUMBER_OF.match(description)):
            return f"{value_text} {lower_first(match['rest'])}"
    return f"{upper_first(description)}: {value_text}"


def tolerance_text(tolerance: Decimal) -> str:
    return f"{number(Decimal(tolerance), 0 if tolerance == tolerance.to_integral_value() else 1)}%"


def target_clause(row) -> str | None:
    if row.kind != TARGET or row.target.value is None:
        return None
    words = {
        Rag.GREEN: "target met",
        Rag.AMBER: f"approaching target (within {tolerance_text(row.tolerance)})",
        Rag.RED: "target not met",
    }.get(_rag(row.target))
    if words is None:
        return None
    return f"against a target of {fmt(row, row.target.value)}: {words}"


def comparison_word(row, cell) -> str:
    """How latest compares with ``cell``: a judgement when the polarity says which way is better."""
    latest, other = row.latest.value, cell.value
    if latest == other:
        return "the same as"
    if row.polarity == NEUTRAL:
        if row.unit == COUNT:
            return "more than" if latest > other else "fewer than"
        return "higher than" if latest > other else "lower than"
    return {Rag.GREEN: "better than", Rag.AMBER: "slightly worse than", Rag.RED: "worse than"}[_rag(cell)]


def _distinct(one, other) -> bool:
    """Two cells that are different figures (not the same value picked twice)."""
    if one.value_id is not None or other.value_id is not None:
        return one.value_id != other.value_id
    return (one.period_start, one.period_end) != (other.period_start, other.period_end)


def held_back(cell) -> bool:
    """A comparator shown but not rated (an out-of-date figure against another period, too few cases)."""
    return bool(getattr(cell, "note", ""))


def comparison_clause(row, cell, label: str) -> str | None:
    """``worse than last year (81.6%)``; None when there is nothing to compare with (or it is suppressed).

    A comparator the row does not rate is named with its own period and not judged.
    """
    if cell.value is None:
        return None
    other = shown(row, cell)
    if other == SUPPRESSED:
        return None
    if held_back(cell):
        return f"not compared with {label} ({fmt(row, other)}, {cell.period_label})"
    if getattr(row, "out_of_date", False) and cell.period_label:  # an old figure: name both periods
        return f"{comparison_word(row, cell)} {label} ({fmt(row, other)}, {cell.period_label})"
    return f"{comparison_word(row, cell)} {label} ({fmt(row, other)})"


BENCHMARKS = (
    ("national", "the England average"),
    ("regional", "the {region} average"),
    ("statistical_neighbours", "the statistical neighbours' average"),
)


def benchmark_sentence(row, *, region_name: str = "North East") -> str | None:
    """``Better than the North East average (59.6) but worse than the England average (43.1).``"""
    groups: dict[str, list[str]] = {}
    unrated: list[str] = []
    for name, label in BENCHMARKS:
        cell = getattr(row, name)
        if cell.value is None:
            continue
        other = shown(row, cell)
        if other == SUPPRESSED:
            continue
        if held_back(cell):
            unrated.append(f"{label.format(region=region_name)} ({fmt(row, other)}, {cell.period_label})")
            continue
        vintage = cell.period_label and cell.period_label != row.latest.period_label
        detail = f"{fmt(row, other)}, {cell.period_label}" if vintage else fmt(row, other)
        groups.setdefault(comparison_word(row, cell), []).append(f"{label.format(region=region_name)} ({detail})")
    not_compared = (
        f"Not compared with {_and(unrated)}: {'it is' if len(unrated) == 1 else 'they are'} for another period."
        if unrated
        else ""
    )
    if not groups:
        return not_compared or None
    order = [
        "better than",
        "higher than",
        "more than",
        "the same as",
        "lower than",
        "fewer than",
        "slightly worse than",
        "worse than",
    ]
    parts = [f"{word} {_and(groups[word])}" for word in order if word in groups]
    good = {"better than", "the same as"}
    if len(parts) == 2 and row.polarity != NEUTRAL and (set(groups) & good) and (set(groups) - good):
        sentence = upper_first(" but ".join(parts)) + "."
    else:
        sentence = upper_first("; ".join(parts)) + "."
    return f"{sentence} {not_compared}" if not_compared else sentence


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def key_message(row, *, region_name: str = "North East") -> KeyMessage:
    """The sentence for one indicator's quarter row."""
    description = clean_description(row.description)
    if row.latest.value is None:
        text = f"{upper_first(description)}: no figure has been reported for this quarter."
        return KeyMessage(row.indicator_id, row.code, text, Tone.NEUTRAL, Rag.NA)
    latest = shown(row, row.latest)
    opening = subject(row, fmt(row, latest))
    if row.latest.period_label:
        opening += f" ({row.latest.period_label})"
    if latest == SUPPRESSED:
        text = f"{opening}: the figure is not shown because a count this small could identify a child."
        return KeyMessage(row.indicator_id, row.code, text, Tone.NEUTRAL, headline_rag(row))
    clauses = [target_clause(row)]
    if row.twelve_months_earlier.value is not None:
        clauses.append(comparison_clause(row, row.twelve_months_earlier, "last year"))
        # A tracker is rated against its previous period: say how it compares when that is another figure.
        if row.kind != TARGET and row.previous.value is not None and _distinct(row.previous, row.twelve_months_earlier):
            clauses.append(comparison_clause(row, row.previous, "the previous period"))
    else:
        clauses.append(comparison_clause(row, row.previous, "the previous period"))
    clauses = [c for c in clauses if c]
    compared = any(getattr(row, name).value is not None for name in ("target", "twelve_months_earlier", "previous"))
    if clauses:
        text = opening + ", " + ", ".join(clauses) + "."
    elif compared:  # the only comparators are small counts, left out rather than shown
        text = opening + "."
    else:
        text = opening + ": there is no earlier figure to compare with."
    if row.latest.status == "provisional":
        text += " This figure is provisional."
    if getattr(row, "out_of_date", False):
        text += f" This figure is out of date: {row.latest.period_label} is the latest there is."
    if getattr(row, "too_few_to_rate", False):
        text += f" {row.small_base_note}"
    benchmarks = benchmark_sentence(row, region_name=region_name)
    if benchmarks:
        text += " " + benchmarks
    return KeyMessage(row.indicator_id, row.code, text, tone(row), headline_rag(row))
