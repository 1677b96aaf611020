"""Quarter rows built by hand (no database), rated with the real RAG rule, for the pure-function tests."""

from __future__ import annotations

from decimal import Decimal

from indicators.rag import Rag, rate
from indicators.selectors import Cell, IndicatorRow

COMPARATORS = ("previous", "twelve_months_earlier", "target", "national", "regional", "statistical_neighbours")


def cell(value, label="", **extra) -> Cell:
    return Cell(value=None if value is None else Decimal(value), period_label=label, **extra)


def make_row(
    *,
    code="CASCYP 1",
    description="Percentage of statutory referrals processed within 1 working day",
    kind="target",
    polarity="higher",
    unit="percent",
    decimals=1,
    tolerance="2",
    latest=None,
    latest_label="2016/17",
    framework_level="assessment_safeguarding",
    themes=("Altogether Better for Children and Young People",),
    indicator_id=1,
    ref=None,
    latest_extra=None,
    **comparators,
) -> IndicatorRow:
    """``comparators``: name -> value or (value, period label); each is rated against ``latest``."""
    latest_cell = cell(latest, latest_label, **(latest_extra or {}))
    cells = {}
    for name in COMPARATORS:
        given = comparators.pop(name, None)
        value, label = given if isinstance(given, tuple) else (given, "")
        if value is None:
            cells[name] = Cell()
            continue
        value = Decimal(value)
        rag = rate(value=latest_cell.value, comparator=value, polarity=polarity, tolerance=Decimal(tolerance))
        cells[name] = Cell(value=value, period_label=label, rag=rag)
    if comparators:
        raise TypeError(f"unknown comparators {sorted(comparators)}")
    return IndicatorRow(
        indicator_id=indicator_id,
        code=code,
        description=description,
        kind=kind,
        polarity=polarity,
        unit=unit,
        decimals=decimals,
        themes=list(themes),
        framework_level=framework_level,
        latest=latest_cell,
        tolerance=Decimal(tolerance),
        ref=ref,
        **cells,
    )


__all__ = ["Rag", "cell", "make_row"]
