"""Out-of-date figures (indicators.staleness) and like-with-like rating in a quarter's row."""

import datetime
from dataclasses import dataclass
from decimal import Decimal as D

import pytest

from indicators.quarters import Quarter
from indicators.rag import Rag
from indicators.selectors import quarter_rows
from indicators.staleness import months_back, same_period, staleness, unrated_reason, usual_months
from scorecards.messages import key_message
from tests.indicators.conftest import add, make_indicator

Q4 = Quarter.parse("2016-17-q4")


@dataclass
class P:
    period_start: datetime.date
    period_end: datetime.date


def p(start: str, end: str) -> P:
    return P(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2017-03-31", 12, "2016-03-31"),
        ("2017-03-31", 3, "2016-12-31"),
        ("2017-03-31", 1, "2017-02-28"),
        ("2016-03-31", 1, "2016-02-29"),
        ("2017-05-15", 3, "2017-02-15"),
        ("2017-01-31", 2, "2016-11-30"),
    ],
)
def test_months_back(day, months, expected):
    assert months_back(datetime.date.fromisoformat(day), months) == datetime.date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("latest", "previous", "months"),
    [
        (p("2016-04-01", "2017-03-31"), None, 12),  # a financial year
        (p("2015-09-01", "2016-08-31"), None, 12),  # an academic year
        (p("2017-01-01", "2017-03-31"), None, 3),  # a quarter
        (p("2017-03-01", "2017-03-31"), None, 1),  # a month
        (p("2017-03-31", "2017-03-31"), p("2016-03-31", "2016-03-31"), 12),  # yearly snapshots
        (p("2017-03-31", "2017-03-31"), p("2016-12-31", "2016-12-31"), 3),  # quarterly snapshots
        (p("2017-03-31", "2017-03-31"), None, 12),  # one snapshot: a year
        (None, None, 12),
    ],
)
def test_the_usual_frequency_is_inferred_from_the_periods(latest, previous, months):
    assert usual_months(latest, previous) == months


@pytest.mark.parametrize(
    ("latest", "previous", "stale"),
    [
        (p("2016-04-01", "2017-03-31"), None, False),  # this year's figure
        (p("2015-04-01", "2016-03-31"), None, False),  # last year's annual figure: the usual lag
        (p("2014-04-01", "2015-03-31"), None, True),  # two years old
        (p("2016-10-01", "2016-12-31"), None, False),  # the previous quarter
        (p("2016-07-01", "2016-09-30"), None, True),  # two quarters back
        (p("2013-03-31", "2013-03-31"), p("2012-03-31", "2012-03-31"), True),  # the d5 case
        (p("2016-03-31", "2016-03-31"), p("2015-03-31", "2015-03-31"), False),
    ],
)
def test_out_of_date_by_the_usual_frequency(latest, previous, stale, settings):
    settings.PERFSITE_STALE_AFTER_MONTHS = 0
    found = staleness(latest, quarter_end=Q4.end, quarter_label=Q4.label, previous=previous)
    assert found.out_of_date is stale
    assert bool(found.reason) is stale


def test_a_configured_span_overrides_the_frequency(settings):
    settings.PERFSITE_STALE_AFTER_MONTHS = 6
    annual = p("2015-04-01", "2016-03-31")
    assert staleness(annual, quarter_end=Q4.end).out_of_date is True
    assert staleness(annual, quarter_end=Q4.end).months == 6


@pytest.mark.parametrize(
    ("name", "comparator", "rated"),
    [
        ("national", p("2013-03-31", "2013-03-31"), True),
        ("national", p("2013-03-29", "2013-03-31"), True),  # a few days apart is the same period
        ("national", p("2017-03-31", "2017-03-31"), False),
        ("target", p("2012-04-01", "2013-03-31"), True),  # the target for that year
        ("target", p("2016-04-01", "2017-03-31"), False),
        ("previous", p("2012-03-31", "2012-03-31"), True),  # its own change over a year, both periods named
        ("twelve_months_earlier", p("2012-03-31", "2012-03-31"), True),
    ],
)
def test_an_out_of_date_figure_is_rated_like_with_like(name, comparator, rated):
    latest = p("2013-03-31", "2013-03-31")
    assert (unrated_reason(name, latest, comparator) == "") is rated


def test_same_period_allows_three_days():
    assert same_period(p("2016-04-01", "2017-03-31"), p("2016-04-03", "2017-03-29"))
    assert not same_period(p("2016-04-01", "2017-03-31"), p("2016-04-01", "2017-04-04"))


@pytest.mark.django_db
def test_seen_2_a_suppressed_home_figure_from_2013_is_not_rated_against_2017_benchmarks():
    """DfE's d5 file: the council's own figure suppressed since March 2013; benchmarks to March 2017."""
    ind = make_indicator("CPP 2", kind="tracker", polarity="lower", description="% of CPPs lasting 2 years or more")
    add(ind, "actual", "2012-03-31", "2012-03-31", "3.0", "As at Mar 2012")
    add(ind, "actual", "2013-03-31", "2013-03-31", "4.0", "As at Mar 2013")
    for year, national in ((2013, "2.6"), (2017, "2.1")):
        add(ind, "national", f"{year}-03-31", f"{year}-03-31", national, f"As at Mar {year}")
    add(ind, "regional", "2017-03-31", "2017-03-31", "2.5", "As at Mar 2017")
    (row,) = quarter_rows(Q4, indicators=[ind])
    assert row.out_of_date is True
    assert "As at Mar 2013" in row.staleness_note
    assert row.national.period_label == "As at Mar 2017"
    assert row.national.rag is Rag.NA and "another period (As at Mar 2017)" in row.national.note
    assert row.regional.rag is Rag.NA
    assert row.twelve_months_earlier.rag is Rag.RED  # 4.0 against 3.0 a year before, lower is better
    message = key_message(row).text
    assert "out of date" in message
    assert "As at Mar 2013" in message and "As at Mar 2017" in message
    assert "worse than the England average" not in message and "better than the England average" not in message
    assert "worse than last year (3.0%, As at Mar 2012)" in message


@pytest.mark.django_db
def test_an_out_of_date_figure_is_still_rated_against_a_benchmark_for_its_own_period():
    ind = make_indicator("CPP 3", kind="tracker", polarity="lower")
    add(ind, "actual", "2013-03-31", "2013-03-31", "4.0", "As at Mar 2013")
    add(ind, "national", "2013-03-31", "2013-03-31", "2.6", "As at Mar 2013")
    (row,) = quarter_rows(Q4, indicators=[ind])
    assert row.out_of_date and row.national.rag is Rag.RED and row.national.note == ""
    assert "Worse than the England average (2.6%)" in key_message(row).text


@pytest.mark.django_db
def test_a_current_figure_is_rated_as_before():
    ind = make_indicator("CPP 4", kind="tracker", polarity="lower")
    add(ind, "actual", "2015-04-01", "2016-03-31", "4.0", "2015/16")
    add(ind, "actual", "2016-04-01", "2017-03-31", "3.0", "2016/17")
    add(ind, "national", "2015-04-01", "2016-03-31", "2.6", "2015/16")
    (row,) = quarter_rows(Q4, indicators=[ind])
    assert not row.out_of_date and row.staleness_note == ""
    assert row.previous.rag is Rag.GREEN and row.national.rag is Rag.RED
    assert D("3.0") == row.latest.value


@pytest.mark.django_db
def test_the_pages_and_export_say_out_of_date(client, officer):
    from django.urls import reverse

    from indicators.exports import scorecard_records

    ind = make_indicator("CPP 5", kind="tracker", polarity="lower")
    add(ind, "actual", "2013-03-31", "2013-03-31", "4.0", "As at Mar 2013")
    add(ind, "national", "2017-03-31", "2017-03-31", "2.1", "As at Mar 2017")
    (record,) = scorecard_records(Q4)
    assert record["latest_out_of_date"] == "yes" and record["rating_note"].startswith("Out of date: As at Mar 2013")
    assert record["national_rag"] == "NA"
    client.force_login(officer)
    page = client.get(reverse("indicators:quarter", args=[Q4.slug])).text
    assert "Out of date" in page and "another period (As at Mar 2017)" in page
    detail = client.get(reverse("indicators:detail", args=[ind.pk])).text  # today's quarter: still old
    assert "Out of date" in detail and "Source: Source not recorded" in detail
