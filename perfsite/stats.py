"""Percentages and the Wilson score interval, in Decimal so figures print exactly as computed.

The Wilson interval is what lets members see that 40% of 20 cases (21.9% to 61.3%) and 48% of
158 (40.4% to 55.8%) overlap: the change is not proof of improvement.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

ONE_PLACE = Decimal("0.1")
HUNDRED = Decimal(100)


def percentage(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` as a percentage to one decimal place; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def wilson_interval(successes: int, n: int, z: Decimal | float | str = "1.96") -> tuple[Decimal, Decimal] | None:
    """The Wilson score interval for ``successes`` out of ``n``, in percent to one decimal place.

    ``wilson_interval(8, 20)`` is ``(Decimal("21.9"), Decimal("61.3"))``. None when ``n`` is 0.
    """
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"successes must be between 0 and n; got {successes} of {n}")
    if n == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 40
        z = Decimal(str(z))
        trials = Decimal(n)
        p = Decimal(successes) / trials
        z2 = z * z
        denominator = 1 + z2 / trials
        centre = (p + z2 / (2 * trials)) / denominator
        half_width = z * ((p * (1 - p) / trials + z2 / (4 * trials * trials)).sqrt()) / denominator
        low = max(Decimal(0), centre - half_width)
        high = min(Decimal(1), centre + half_width)
        return (
            (low * HUNDRED).quantize(ONE_PLACE, rounding=ROUND_HALF_UP),
            (high * HUNDRED).quantize(ONE_PLACE, rounding=ROUND_HALF_UP),
        )
