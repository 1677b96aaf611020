import datetime

import pytest

from indicators.quarters import Quarter, QuarterError


@pytest.mark.parametrize(
    ("slug", "start", "end", "label"),
    [
        ("2016-17-q1", datetime.date(2016, 4, 1), datetime.date(2016, 6, 30), "Apr - Jun 2016"),
        ("2016-17-q2", datetime.date(2016, 7, 1), datetime.date(2016, 9, 30), "Jul - Sep 2016"),
        ("2016-17-q3", datetime.date(2016, 10, 1), datetime.date(2016, 12, 31), "Oct - Dec 2016"),
        ("2016-17-q4", datetime.date(2017, 1, 1), datetime.date(2017, 3, 31), "Jan - Mar 2017"),
        ("1999-00-q4", datetime.date(2000, 1, 1), datetime.date(2000, 3, 31), "Jan - Mar 2000"),
    ],
)
def test_quarter_dates(slug, start, end, label):
    quarter = Quarter.parse(slug)
    assert (quarter.start, quarter.end, quarter.period_label, quarter.slug) == (start, end, label, slug)


@pytest.mark.parametrize("slug", ["2016-18-q4", "2016-17-q5", "2016-17-q0", "2016/17 q4", "", "2016-17"])
def test_bad_quarters_are_refused(slug):
    with pytest.raises(QuarterError):
        Quarter.parse(slug)


@pytest.mark.parametrize(
    ("day", "slug"),
    [
        (datetime.date(2017, 3, 31), "2016-17-q4"),
        (datetime.date(2017, 4, 1), "2017-18-q1"),
        (datetime.date(2016, 12, 31), "2016-17-q3"),
        (datetime.date(2017, 1, 1), "2016-17-q4"),
    ],
)
def test_quarter_containing_a_day(day, slug):
    assert Quarter.containing(day).slug == slug


def test_neighbours_and_months():
    q4 = Quarter.parse("2016-17-q4")
    assert q4.previous().slug == "2016-17-q3"
    assert q4.next().slug == "2017-18-q1"
    assert Quarter.parse("2017-18-q1").previous() == q4
    assert q4.year_earlier().slug == "2015-16-q4"
    assert q4.months == [datetime.date(2017, 1, 1), datetime.date(2017, 2, 1), datetime.date(2017, 3, 1)]
    assert q4.last_month == datetime.date(2017, 3, 1)
    assert q4.label == "Quarter 4 2016/17 (Jan - Mar 2017)"
