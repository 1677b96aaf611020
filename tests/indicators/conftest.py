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


def publish(*slugs: str, by=None) -> None:
    """Publish these quarters as ``scorecards`` records them (a version-1 row each), moving the member horizon.

    The row is written directly: what the scorecard snapshot holds does not matter here, only that
    the quarter is published (``indicators.horizon`` asks ``scorecards`` for the latest one).
    """
    from django.utils import timezone

    from scorecards.models import PublishedScorecard
    from tests.conftest import make_user

    if by is None:
        from django.contrib.auth.models import User

        by = User.objects.filter(username="publisher").first() or make_user("publisher")
    for slug in slugs:
        PublishedScorecard.objects.create(
            quarter=slug, version=1, snapshot={}, sha256="0" * 64, published_by=by, published_at=timezone.now()
        )


@pytest.fixture
def published_q4(db):
    """Quarter 4 2016/17 published: the quarter the Appendix 3 tests read, as a scrutiny member may."""
    publish("2016-17-q4")


@pytest.fixture
def indicator(db):
    return make_indicator()


@pytest.fixture
def appendix3(db, tmp_path):
    """The demo's Appendix 3 indicators and figures, without the (slower) DfE files."""
    import io

    from indicators.demo import load_demo

    load_demo(stdout=io.StringIO(), ees_dir=tmp_path / "no-dfe-files")
