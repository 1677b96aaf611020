"""The council's red/amber/green rule (Appendix 2 of the reference report), exactly.

Compare a value ``v`` with a comparator ``c`` (a target, the previous period, twelve months
earlier, a benchmark). Neutral polarity or a missing side is NA. The shortfall ``d`` is
``c - v`` when higher is better and ``v - c`` when lower is better. ``d <= 0`` is GREEN;
``d / |c| * 100 <= tolerance`` is AMBER; anything worse is RED. A comparator of zero with
any shortfall is RED (there is no percentage of nothing).

The test is done as ``d * 100 <= tolerance * |c|`` so no division, and so no rounding, ever
happens: 45.9 against 45 (lower is better) is exactly 2% and AMBER.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class Rag(StrEnum):
    GREEN = "GREEN"
    AMBER = "AMBER"
    RED = "RED"
    NA = "NA"

    @property
    def word(self) -> str:
        """The word printed in a committee report's RAG column."""
        return self.value


class Polarity(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    NEUTRAL = "neutral"


def _decimal(name: str, number) -> Decimal | None:
    if number is None:
        return None
    if type(number) is Decimal:  # the usual case, checked first: a page of rows rates thousands of figures
        if not number.is_finite():
            raise ValueError(f"{name} must be a finite number, not {number}.")
        return number
    # bool is an int; a float would bring binary rounding into an exact rule.
    if isinstance(number, (bool, float)):
        raise TypeError(f"{name} must be a Decimal, not {type(number).__name__}.")
    if isinstance(number, int):
        return Decimal(number)
    if not isinstance(number, Decimal):
        raise TypeError(f"{name} must be a Decimal, not {type(number).__name__}.")
    if not number.is_finite():
        raise ValueError(f"{name} must be a finite number, not {number}.")
    return number


# Polarity(text) looks the member up through the enum machinery on every call.
_POLARITIES = {polarity.value: polarity for polarity in Polarity}


def rate(*, value: Decimal | None, comparator: Decimal | None, polarity: str, tolerance: Decimal) -> Rag:
    """Rate ``value`` against ``comparator``; see the module docstring for the rule."""
    known = _POLARITIES.get(polarity) if isinstance(polarity, str) else None
    if known is None:
        raise ValueError(f"Polarity must be higher, lower or neutral, not {polarity!r}.")
    polarity = known
    tolerance = _decimal("tolerance", tolerance)
    if tolerance is None or tolerance < 0:
        raise ValueError("The tolerance must be a percentage of zero or more.")
    value = _decimal("value", value)
    comparator = _decimal("comparator", comparator)
    if polarity is Polarity.NEUTRAL or value is None or comparator is None:
        return Rag.NA
    shortfall = comparator - value if polarity is Polarity.HIGHER else value - comparator
    if shortfall <= 0:
        return Rag.GREEN
    if comparator == 0:
        return Rag.RED
    if shortfall * 100 <= tolerance * abs(comparator):
        return Rag.AMBER
    return Rag.RED
