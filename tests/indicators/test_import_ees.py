"""import_ees: DfE's tidy CSVs to national, regional and statistical-neighbour series.

The expected figures on DfE's files (the extracts in indicators/demo_data/dfe-ees/) were worked out
by hand from the CSVs (a few lines of Python over the raw rows, independent of perfsite), e.g. the
15 neighbours' looked-after rates at 31 March 2025 sum to 1419, a mean of 94.6.
"""

from __future__ import annotations

import datetime
from decimal import Decimal as D
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from indicators.models import IndicatorValue
from tests.indicators.conftest import make_indicator

EES = settings.BASE_DIR / "indicators" / "demo_data" / "dfe-ees"
CLA = EES / "cla_number_and_rate_per_10k_children.csv"
CSWW = EES / "csww_indicators_2017_to_2025.csv"
CIN = EES / "b1_children_in_need_2013_to_2025.csv"
ON_31_MARCH = "population_type=Children looked after on 31 March each year"


def run(path, *args, **options):
    out, err = StringIO(), StringIO()
    call_command("import_ees", str(path), *args, stdout=out, stderr=err, **options)
    return out.getvalue() + err.getvalue()


def figures(indicator, series):
    return {
        (v.period_label, v.period_start, v.period_end): (str(v.figure), v.footnote)
        for v in IndicatorValue.objects.filter(indicator=indicator, series=series)
    }


def one(indicator, series, label):
    return IndicatorValue.objects.get(indicator=indicator, series=series, period_label=label)


@pytest.mark.django_db
def test_looked_after_rate_from_the_dfe_file():
    ind = make_indicator("CASCYP 24", polarity="lower", unit="per_10000")
    output = run(CLA, indicator="CASCYP 24", column="rate_per_10000", filter=[ON_31_MARCH], as_at="03-31")
    assert "15 new" in output  # 5 years x national, regional, neighbours
    mar25 = one(ind, "national", "As at Mar 2025")
    assert (mar25.period_start, mar25.period_end) == (datetime.date(2025, 3, 31), datetime.date(2025, 3, 31))
    assert str(mar25.figure) == "67"
    assert str(one(ind, "regional", "As at Mar 2025").figure) == "111"
    # 1419 / 15 = 94.6 exactly; whole-number inputs give one decimal place.
    assert str(one(ind, "statistical_neighbours", "As at Mar 2025").figure) == "94.6"
    # Every neighbour has a figure; five sit far above the others' median and are named (issue 9).
    assert one(ind, "statistical_neighbours", "As at Mar 2025").footnote == (
        "St. Helens (117), Tameside (123), Gateshead (124), Stockton-on-Tees (125), Stoke-on-Trent (170) are more "
        "than 3 median absolute deviations from the neighbours' median (81); the mean without them is 76.0."
    )
    # 2021: national 69, North East 110, neighbours 1487 / 15 = 99.133... -> 99.1.
    assert str(one(ind, "national", "As at Mar 2021").figure) == "69"
    assert str(one(ind, "regional", "As at Mar 2021").figure) == "110"
    assert str(one(ind, "statistical_neighbours", "As at Mar 2021").figure) == "99.1"
    assert not IndicatorValue.objects.filter(indicator=ind, series="actual").exists()


@pytest.mark.django_db
def test_include_home_writes_the_authoritys_own_figure():
    ind = make_indicator("CASCYP 24", polarity="lower")
    run(CLA, "--include-home", indicator="CASCYP 24", column="rate_per_10000", filter=[ON_31_MARCH], as_at="03-31")
    assert str(one(ind, "actual", "As at Mar 2025").figure) == "118"
    assert str(one(ind, "actual", "As at Mar 2021").figure) == "96"


@pytest.mark.django_db
def test_workforce_caseloads_at_30_september_with_renamed_neighbours():
    ind = make_indicator("CSWW 4", polarity="lower", unit="number")
    output = run(CSWW, indicator="CSWW 4", column="caseload_fte", as_at="09-30")
    sep17 = one(ind, "statistical_neighbours", "As at Sep 2017")
    assert sep17.period_end == datetime.date(2017, 9, 30)
    # 2017: national 17.7, North East 18.3; the neighbours sum to 278.6, / 15 = 18.5733 -> 18.57.
    assert str(one(ind, "national", "As at Sep 2017").figure) == "17.7"
    assert str(one(ind, "regional", "As at Sep 2017").figure) == "18.3"
    assert str(sep17.figure) == "18.57"
    # 2025: Barnsley and Sheffield have new ONS codes (E08000038, E08000039) and are matched by
    # DfE's LA number: 216.1 + 15.2 + 14.9 = 246.2, / 15 = 16.4133 -> 16.41.
    assert str(one(ind, "statistical_neighbours", "As at Sep 2025").figure) == "16.41"
    assert "Barnsley appears as E08000038 (configured E08000016)" in output


@pytest.mark.django_db
def test_children_in_need_counts_and_suppressed_home_figure():
    ind = make_indicator("CIN 1", polarity="neutral", unit="count", kind="tracker")
    run(CIN, "--include-home", indicator="CIN 1", column="At31_episodes", as_at="03-31")
    # 2017: England 389040, North East 23740, Durham 4097, neighbours 37381 / 15 = 2492.07 -> 2492.1.
    assert str(one(ind, "national", "As at Mar 2017").figure) == "389040"
    assert str(one(ind, "regional", "As at Mar 2017").figure) == "23740"
    assert str(one(ind, "actual", "As at Mar 2017").figure) == "4097"
    assert str(one(ind, "statistical_neighbours", "As at Mar 2017").figure) == "2492.1"
    assert IndicatorValue.objects.filter(indicator=ind, series="national").count() == 13  # 2013 to 2025
    # Durham's awaiting_assessment for 2017 is suppressed ("c"): reported, not written, not fatal.
    other = make_indicator("CIN 2", polarity="neutral", unit="count", kind="tracker")
    output = run(CIN, "--include-home", indicator="CIN 2", column="awaiting_assessment", as_at="03-31")
    assert "As at Mar 2017: the County Durham figure is suppressed (c: confidential)" in output
    assert not IndicatorValue.objects.filter(indicator=other, series="actual", period_label="As at Mar 2017").exists()
    # The neighbours' 2017 figures are all published: 1198 / 15 = 79.87 -> 79.9.
    assert str(one(other, "statistical_neighbours", "As at Mar 2017").figure) == "79.9"


@pytest.mark.django_db
def test_the_same_file_twice_changes_nothing_and_dry_run_writes_nothing():
    make_indicator("CASCYP 24")
    args = {"indicator": "CASCYP 24", "column": "rate_per_10000", "filter": [ON_31_MARCH], "as_at": "03-31"}
    dry = run(CLA, "--dry-run", **args)
    assert "Dry run: 15 new" in dry and not IndicatorValue.objects.exists()
    run(CLA, **args)
    history = IndicatorValue.history.count()
    again = run(CLA, **args)
    assert "0 new, 0 changed, 15 unchanged" in again
    assert IndicatorValue.history.count() == history


# Small synthetic files: layouts, suppression, bad rows -----------------------------------------

NEIGHBOURS = settings.PERFSITE_STATISTICAL_NEIGHBOURS
HEADER = "geographic_level,time_period,region_code,region_name,la_name,new_la_code,old_la_code,category,figure"


def synthetic(tmp_path, rows: list[str], header: str = HEADER, name="ees.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def full_year(year="201617", neighbour_values=None, extra=()):
    values = neighbour_values or ["10"] * len(NEIGHBOURS)
    rows = [
        f"National,{year},,,,,,A,50.5",
        f"Regional,{year},E12000001,North East,,,,A,40",
        f"Regional,{year},E12000002,North West,,,,A,99",
        f"Local authority,{year},E12000001,North East,County Durham,E06000047,840,A,30",
    ]
    rows += [
        f"Local authority,{year},E12000003,Somewhere,LA {n},{code},{900 + n},A,{value}"
        for n, (code, value) in enumerate(zip(NEIGHBOURS, values, strict=True))
    ]
    return rows + list(extra)


@pytest.mark.django_db
def test_financial_year_periods_and_a_mean_over_fewer_neighbours(tmp_path):
    ind = make_indicator("X 1")
    values = ["10"] * 12 + ["c", "x", "20"]
    output = run(synthetic(tmp_path, full_year(neighbour_values=values)), indicator="X 1", column="figure",
                 year_to="03-31")  # fmt: skip
    national = one(ind, "national", "2016/17")
    assert (national.period_start, national.period_end, str(national.figure)) == (
        datetime.date(2016, 4, 1),
        datetime.date(2017, 3, 31),
        "50.5",
    )
    assert str(one(ind, "regional", "2016/17").figure) == "40"  # the North East, not the North West
    neighbours = one(ind, "statistical_neighbours", "2016/17")
    # (12 x 10 + 20) / 13 = 10.769... -> 10.8
    assert str(neighbours.figure) == "10.8"
    assert neighbours.footnote.startswith("Mean of 13 of the 15 statistical neighbours; missing:")
    assert "suppressed (c: confidential)" in neighbours.footnote
    assert "Warning: 2016/17: statistical neighbours: Mean of 13 of the 15" in output


@pytest.mark.django_db
def test_columns_are_found_by_name_whatever_the_layout(tmp_path):
    ind = make_indicator("X 1")
    header = "figure,la_code,time_period,geographic_level,region_name,category"
    rows = ["7.5,,2016,National,,A", "8,,2016,Regional,North East,A", "9,E06000047,2016,Local authority,North East,A"]
    run(synthetic(tmp_path, rows, header=header), "--include-home", indicator="X 1", column="FIGURE", as_at="08-31")
    assert figures(ind, "national") == {
        ("As at Aug 2016", datetime.date(2016, 8, 31), datetime.date(2016, 8, 31)): ("7.5", "")
    }
    assert str(one(ind, "regional", "As at Aug 2016").figure) == "8"
    assert str(one(ind, "actual", "As at Aug 2016").figure) == "9"


@pytest.mark.django_db
def test_filters_choose_the_rows(tmp_path):
    ind = make_indicator("X 1")
    rows = full_year() + [r.replace(",A,", ",B,").replace("50.5", "1") for r in full_year()]
    path = synthetic(tmp_path, rows)
    with pytest.raises(CommandError):
        run(path, indicator="X 1", column="figure", as_at="03-31")  # two figures a year without a filter
    assert not IndicatorValue.objects.exists()
    run(path, indicator="X 1", column="figure", as_at="03-31", filter=["category=B"])
    assert str(one(ind, "national", "As at Mar 2017").figure) == "1"


@pytest.mark.parametrize(
    ("rows", "options", "message"),
    [
        (full_year(extra=["National,2016/17,,,,,,A,3"]), {}, "Row 21, column time_period: '2016/17' is not a year"),
        (
            [r.replace("50.5", "fifty") for r in full_year()],
            {},
            "Row 2, column figure: 'fifty' is neither a number nor a suppression code",
        ),
        (full_year(extra=["National,201617,,,,,,A,3"]), {}, "Row 21, column figure: a second figure for National 2017"),
        (full_year(), {"column": "nonesuch"}, "Row 1, column nonesuch: the file has no column 'nonesuch'."),
        (full_year(), {"filter": ["category=Z"]}, "no rows match the filters"),
        (full_year(), {"filter": ["colour=blue"]}, "Row 1, column colour: the file has no column 'colour'."),
        (full_year(), {"indicator": "NOPE"}, "--indicator 'NOPE' is not an indicator."),
    ],
)
@pytest.mark.django_db
def test_bad_files_are_rejected_whole_with_reasons(tmp_path, rows, options, message):
    make_indicator("X 1")
    kwargs = {"indicator": "X 1", "column": "figure", "as_at": "03-31", **options}
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_ees", str(synthetic(tmp_path, rows)), stdout=StringIO(), stderr=err, **kwargs)
    assert message in err.getvalue()
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"as_at": "3-31"}, "'3-31' is not a month and day"),
        ({"as_at": "31-03"}, "'31-03' is not a day of the year"),
        ({"as_at": "02-30"}, "'02-30' is not a day of the year"),
        ({"as_at": "03-31", "filter": ["nofilter"]}, "is not a filter"),
    ],
)
@pytest.mark.django_db
def test_bad_options_are_refused(tmp_path, options, message):
    make_indicator("X 1")
    with pytest.raises(CommandError, match=message):
        call_command("import_ees", str(synthetic(tmp_path, full_year())), indicator="X 1", column="figure", **options)


@pytest.mark.django_db
def test_as_at_and_year_to_are_exclusive_and_one_is_required(tmp_path):
    make_indicator("X 1")
    path = str(synthetic(tmp_path, full_year()))
    with pytest.raises(CommandError):
        call_command("import_ees", path, "--indicator", "X 1", "--column", "figure")
    with pytest.raises(CommandError):
        call_command(
            "import_ees", path, "--indicator", "X 1", "--column", "figure", "--as-at", "03-31", "--year-to", "03-31"
        )


@pytest.mark.django_db
def test_a_changed_figure_is_updated_and_counted(tmp_path):
    ind = make_indicator("X 1")
    run(synthetic(tmp_path, full_year()), indicator="X 1", column="figure", as_at="03-31")
    output = run(
        synthetic(tmp_path, [r.replace("50.5", "51.0") for r in full_year()], name="revised.csv"),
        indicator="X 1",
        column="figure",
        as_at="03-31",
    )
    assert "0 new, 1 changed, 2 unchanged" in output
    assert str(one(ind, "national", "As at Mar 2017").figure) == "51.0"
    assert D(one(ind, "national", "As at Mar 2017").history.first().value) == D("51.0")
