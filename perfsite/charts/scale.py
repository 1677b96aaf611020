"""Axis ranges with round ticks, computed in Decimal so tick labels are exact."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

_NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


def nice_step(raw: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5, 5 x 10^k that is at least ``raw``."""
    if raw <= 0:
        return Decimal(1)
    exponent = raw.adjusted()
    base = Decimal(1).scaleb(exponent)
    for multiple in _NICE_STEPS:
        step = (multiple * base).normalize()
        if step >= raw:
            return step
    return Decimal(10) * base  # pragma: no cover - the loop always returns


def step_decimals(step: Decimal) -> int:
    exponent = step.normalize().as_tuple().exponent
    return max(0, -int(exponent))


@dataclass(frozen=True)
class Axis:
    low: Decimal
    high: Decimal
    ticks: list[Decimal]
    tick_decimals: int

    def fraction(self, value: Decimal) -> float:
        """0 at ``low``, 1 at ``high``."""
        return float((value - self.low) / (self.high - self.low))


def nice_axis(low: Decimal, high: Decimal, *, max_ticks: int = 6) -> Axis:
    if low > high:
        low, high = high, low
    if low == high:
        value = low
        pad = abs(value) / 10 if value else Decimal(1)
        low, high = value - pad, value + pad
        if value >= 0 > low:  # a flat run of non-negative figures needs no negative axis
            low = Decimal(0)
    step = nice_step((high - low) / (max_ticks - 1))
    while True:
        start = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
        end = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
        count = int((end - start) / step) + 1
        if count <= max_ticks + 1:
            break
        step = nice_step(step * Decimal("1.01"))
    ticks = [(start + step * i).normalize() for i in range(count)]
    ticks = [t if t != 0 else Decimal(0) for t in ticks]
    return Axis(low=start, high=end, ticks=ticks, tick_decimals=step_decimals(step))


def line_axis(values: list[Decimal], *, upper_limit: Decimal | None = None) -> Axis:
    """A value axis for trends: fits the data (and target) but keeps zero when it is close.

    ``upper_limit`` (100 for percentages) is never passed unless the data pass it.
    """
    low, high = min(values), max(values)
    if low == high and low > 0:
        low = Decimal(0)  # a flat run is shown against zero, not magnified
    elif low >= 0 and high > 0 and low <= high / 3:
        low = Decimal(0)
    elif high <= 0 and low < 0 and high >= low / 3:
        high = Decimal(0)
    elif low != high:
        # A little headroom so the highest and lowest points do not sit on the frame.
        pad = (high - low) / 20
        low, high = low - pad, high + pad
        if min(values) >= 0 > low:
            low = Decimal(0)
    if upper_limit is not None and max(values) <= upper_limit < high:
        high = upper_limit
    axis = nice_axis(low, high)
    if upper_limit is not None and max(values) <= upper_limit < axis.high:
        trimmed = [t for t in axis.ticks if t <= upper_limit]
        if trimmed and trimmed[-1] >= max(values):
            axis = Axis(low=axis.low, high=trimmed[-1], ticks=trimmed, tick_decimals=axis.tick_decimals)
    return axis


def bar_axis(values: list[Decimal]) -> Axis:
    """A value axis for bars: always includes the zero baseline."""
    low = min([Decimal(0), *values])
    high = max([Decimal(0), *values])
    if low == high == 0:
        high = Decimal(1)
    return nice_axis(low, high)
