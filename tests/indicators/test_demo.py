"""The demo loader: every Appendix 3 indicator, the DfE series when the files are there, idempotent."""

from __future__ import annotations

import io

import pytest

from indicators.demo import load_demo
from indicators.models import Indicator, IndicatorValue


@pytest.mark.django_db
def test_the_demo_twice_changes_nothing(tmp_path):
    out = io.StringIO()
    load_demo(stdout=out)
    counts = (Indicator.objects.count(), IndicatorValue.objects.count())
    history = (Indicator.history.count(), IndicatorValue.history.count())
    again = io.StringIO()
    load_demo(stdout=again)
    assert (Indicator.objects.count(), IndicatorValue.objects.count()) == counts
    assert (Indicator.history.count(), IndicatorValue.history.count()) == history
    assert " 0 new, 0 changed" in again.getvalue() and " new, 0 changed, 0 unchanged" in out.getvalue()
    assert Indicator.objects.filter(ref__isnull=False).count() == 26  # Appendix 3's rows


@pytest.mark.django_db
def test_the_demo_loads_dfe_benchmarks_for_the_indicators_they_cover():
    load_demo(stdout=io.StringIO())
    lac = Indicator.objects.get(code="CASCYP 24")
    assert lac.values.filter(series="statistical_neighbours").count() == 5  # 2021 to 2025
    assert str(lac.values.get(series="regional", period_label="As at Mar 2025").figure) == "111"
    assert Indicator.objects.get(code="CSWW 4").values.filter(series="national").count() == 9  # 2017 to 2025


@pytest.mark.django_db
def test_the_demo_skips_missing_dfe_files_with_a_message(tmp_path):
    out = io.StringIO()
    load_demo(stdout=out, ees_dir=tmp_path)
    assert "Skipped DfE benchmarks for CASCYP 24" in out.getvalue()
    assert Indicator.objects.get(code="CASCYP 24").values.filter(series="statistical_neighbours").count() == 0
