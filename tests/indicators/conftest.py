"""Helpers for the indicators tests: an indicator and its values in one line each."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from indicators.models import Indicator, IndicatorValue, Theme, scale_of

CYP = "Altogether Better for Children and Young People"


def theme(name: str = CYP) -> Theme:
    return Theme.objects.get(name=name)


def make_indicator(code: str = "CASCYP 1", **fields) -> Indicator:
    defaults = {
        "description": f"Indicator {code}",
        "kind": "target",
        "polarity": "higher",
        "unit": "percent",
        "decimals": 1,
        "tolerance": Decimal("2"),
        "framework_level": "universal",
    }
    defaults.update(fields)
    also_in = defaults.pop("also_in", [])
    if "theme" not in defaults:
        defaults["theme"] = theme()
    indicator = Indicator.objects.create(code=code, **defaults)
    if also_in:
        indicator.also_in.set([theme(name) for name in also_in])
    return indicator


def add(indicator, series: str, start: str, end: str, value: str, label: str | None = None, **extra) -> IndicatorValue:
    number = Decimal(value)
    return IndicatorValue.objects.create(
        indicator=indicator,
        series=series,
        period_start=datetime.date.fromisoformat(start),
        period_end=datetime.date.fromisoformat(end),
        period_label=label or f"{start} to {end}",
        value=number,
        scale=scale_of(number),
        **extra,
    )


@pytest.fixture
def indicator(db):
    return make_indicator()


@pytest.fixture
def appendix3(db, tmp_path):
    """The demo's Appendix 3 indicators and figures, without the (slower) DfE files."""
    import io

    from indicators.demo import load_demo

    load_demo(stdout=io.StringIO(), ees_dir=tmp_path / "no-dfe-files")
