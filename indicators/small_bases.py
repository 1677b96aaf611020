"""Small bases: a computed rate on too few cases is shown with its interval, not rated.

A computed indicator's source (``indicators.computed.ComputedSource``) says the fewest cases a
figure may rest on (``PERFSITE_SMALLEST_AUDIT_BASE``, default 10 audits;
``PERFSITE_SMALLEST_WORKER_BASE``, default 5 counted workers) and, for a proportion, how to
compute its interval. A figure whose denominator is below that is marked "too few to rate": it
is never GREEN or RED on one case. See docs/indicators.md ("Too few to rate").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from indicators.computed import source_of


@dataclass(frozen=True)
class SmallBase:
    base: Decimal
    smallest: int
    interval: tuple | None
    text: str


def _count(number: Decimal) -> str:
    return format(number.normalize(), "f") if number == number.to_integral_value() else format(number, "f")


def small_base(*, code: str, numerator: Decimal | None, denominator: Decimal | None) -> SmallBase | None:
    """The reason ``code``'s figure on ``numerator``/``denominator`` is too few to rate; None when it may be rated."""
    source = source_of(code)
    if source is None or source.smallest_base is None or denominator is None:
        return None
    smallest = source.smallest_base()
    if denominator >= smallest:
        return None
    one, many = source.base_words
    words = one if denominator == 1 else many
    interval = None
    whole = denominator == denominator.to_integral_value()
    proportion = not source.proportions or code in source.proportions
    if source.interval is not None and proportion and numerator is not None and whole and denominator > 0:
        interval = source.interval(int(numerator), int(denominator))
    text = f"Too few to rate: {_count(denominator)} {words} (fewer than {smallest})"
    if interval:
        text += f"; 95% interval {interval[0]}% to {interval[1]}%"
    return SmallBase(base=denominator, smallest=smallest, interval=interval, text=text + ".")
