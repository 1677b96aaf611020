"""Statistical neighbours' mean: how many counted, and an outlier flagged with the mean without it (issue 9 seen 4)."""

from __future__ import annotations

from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command

from indicators.models import IndicatorValue
from indicators.neighbours import neighbour_mean, outliers, summarise
from tests.indicators.conftest import make_indicator


@pytest.mark.parametrize(
    ("values", "flagged"),
    [
        (["20.1", "19.8", "21.0", "67.6", "20.4", "18.9", "22.0", "19.5"], [3]),
        (["20", "21", "22", "23", "24"], []),  # a spread, nothing far out
        (["20", "20", "20", "35"], []),  # no spread to measure against
        (["10", "50"], []),  # too few to say
        (["1", "2", "3", "100", "-90"], [3, 4]),
    ],
)
def test_outliers_are_more_than_three_mads_from_the_median(values, flagged):
    assert outliers([D(v) for v in values]) == flagged


def test_the_mean_without_the_outlier_is_given_alongside():
    named = [(f"LA {i}", D(v)) for i, v in enumerate(["20.1", "19.8", "21.0", "67.6", "20.4", "18.9", "22.0", "19.5"])]
    found = summarise(named, configured=15)
    assert found.summary == "Mean of 8 of the 15 statistical neighbours"
    assert found.mean == D("26.16")  # 209.3 / 8
    assert found.mean_without_flagged == D("20.24")  # 141.7 / 7
    assert found.flagged == [("LA 3", D("67.6"))]
    assert "LA 3 (67.6) is more than 3 median absolute deviations" in found.outlier_text
    assert neighbour_mean([D("1"), D("2")]) == D("1.5")


HEADER = "time_period,geographic_level,new_la_code,la_name,region_code,region_name,pct\n"


@pytest.mark.django_db
def test_seen_4_one_neighbours_outlier_is_shown_on_the_mean(tmp_path, settings):
    """Before: a 67.6% among values near 20% moved the neighbours' mean by 6 points with nothing to show it."""
    codes = [f"E0800{n:04d}" for n in range(1, 9)]
    settings.PERFSITE_STATISTICAL_NEIGHBOURS = codes
    settings.PERFSITE_HOME_AUTHORITY_CODE = "E06000047"
    lines = [HEADER, "2017,National,,,,,20.0\n", "2017,Regional,,,E12000001,North East,21.0\n"]
    for code, value in zip(codes, ["20.1", "19.8", "21.0", "67.6", "20.4", "18.9", "22.0", "19.5"], strict=True):
        lines.append(f"2017,Local authority,{code},Area {code[-2:]},E12000001,North East,{value}\n")
    path = tmp_path / "outlier.csv"
    path.write_text("".join(lines))
    ind = make_indicator("PCT 1")
    out = StringIO()
    call_command("import_ees", str(path), indicator="PCT 1", column="pct", year_to="03-31", stdout=out, stderr=out)
    mean = IndicatorValue.objects.get(indicator=ind, series="statistical_neighbours")
    assert mean.figure == D("26.16")
    assert "Area 04 (67.6) is more than 3 median absolute deviations" in mean.footnote
    assert "the mean without it is 20.24" in mean.footnote
    assert "Mean of 8 of the 8 statistical neighbours" in out.getvalue()
