"""Statistical neighbours' mean: how many had a figure, and values far from the rest.

The mean is rounded half up to one more decimal place than the most precise figure (at least 1).
A neighbour more than ``OUTLIER_MADS`` median absolute deviations from the neighbours' median is
flagged, and the mean without the flagged ones is given alongside: one authority's 67.6% among
values near 20% moves the mean by points, and members should see that. When half or more of the
neighbours share the median exactly (a deviation of 0), no value is flagged: there is no spread
to measure against. See docs/indicators.md ("Statistical neighbours").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from indicators.models import VALUE_DECIMAL_PLACES, scale_of

OUTLIER_MADS = 3


def neighbour_mean(values: list[Decimal]) -> Decimal:
    places = min(max(max(scale_of(v) for v in values) + 1, 1), VALUE_DECIMAL_PLACES)
    mean = sum(values, Decimal(0)) / Decimal(len(values))
    return mean.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def outliers(values: list[Decimal]) -> list[int]:
    """Positions of the values more than OUTLIER_MADS median absolute deviations from the median."""
    if len(values) < 3:
        return []
    centre = median(values)
    spread = median([abs(v - centre) for v in values])
    if spread == 0:
        return []
    return [i for i, v in enumerate(values) if abs(v - centre) > OUTLIER_MADS * spread]


@dataclass(frozen=True)
class NeighbourMean:
    mean: Decimal
    counted: int
    configured: int
    median: Decimal
    flagged: list[tuple[str, Decimal]]  # (name, value)
    mean_without_flagged: Decimal | None

    @property
    def summary(self) -> str:
        """``Mean of 8 of 15 statistical neighbours``."""
        return f"Mean of {self.counted} of the {self.configured} statistical neighbours"

    @property
    def outlier_text(self) -> str:
        if not self.flagged:
            return ""
        names = ", ".join(f"{name} ({value})" for name, value in self.flagged)
        verb = "is" if len(self.flagged) == 1 else "are"
        return (
            f"{names} {verb} more than {OUTLIER_MADS} median absolute deviations from the neighbours' median "
            f"({self.median}); the mean without {'it' if len(self.flagged) == 1 else 'them'} "
            f"is {self.mean_without_flagged}."
        )


def summarise(named_values: list[tuple[str, Decimal]], *, configured: int) -> NeighbourMean:
    values = [v for _, v in named_values]
    far = outliers(values)
    rest = [v for i, v in enumerate(values) if i not in far]
    return NeighbourMean(
        mean=neighbour_mean(values),
        counted=len(values),
        configured=configured,
        median=median(values),
        flagged=[named_values[i] for i in far],
        mean_without_flagged=neighbour_mean(rest) if far and rest else None,
    )
