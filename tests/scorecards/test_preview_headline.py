"""The preview's headline from the previous quarter's ratings alone (task preview2, issue 13).

The first page compares this quarter's headline RAGs with the quarter before's. It reads those
ratings in one aggregate on PostgreSQL (``quarter_page.headline_ratings``) rather than building
that quarter's rows, so it must give exactly the headline publishing freezes from the full rows
(``snapshot.headline``): on the demo and on generated data, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import random
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection

from indicators.quarter_page import every_row, headline_ratings
from indicators.quarters import Quarter
from indicators.selectors import quarter_rows
from perfsite.demo import ensure_demo_users, load_app_demos
from scorecards import preview
from scorecards.messages import headline_rag
from scorecards.snapshot import headline, ordered
from tests.scorecards.conftest import Q3, Q4, add_value, make_indicator

pytestmark = pytest.mark.django_db

Q1 = Quarter.parse("2016-17-q1")
Q2 = Quarter.parse("2016-17-q2")


def full_headline(quarter: Quarter) -> dict:
    """The headline as publishing builds it: from both quarters' rows."""
    return headline(ordered(quarter_rows(quarter)), quarter_rows(quarter.previous()), quarter=quarter)


def ratings_from_rows(quarter: Quarter) -> dict:
    return {row.indicator_id: headline_rag(row) for row in quarter_rows(quarter)}


def _generate(seed: int, count: int) -> None:
    """Indicators of every kind, polarity and unit, with figures that move between quarters, some
    missing, some small counts or shares of a few, some too few to rate, stale ones and inactive ones."""
    rng = random.Random(seed)
    quarters = (Q1, Q2, Q3, Q4)
    for n in range(count):
        unit = rng.choice(("percent", "count", "rate", "score"))
        indicator = make_indicator(
            f"GEN {seed}-{n:03d}",
            ref=n if rng.random() < 0.9 else None,
            kind=rng.choice(("target", "tracker")),
            polarity=rng.choice(("higher", "lower", "neutral")),
            unit=unit,
            tolerance=Decimal(rng.choice(("0", "2", "5.5"))),
            framework_level=rng.choice(("assessment_safeguarding", "universal", "corporate_parenting", "")),
            active=rng.random() < 0.95,
        )
        for quarter in quarters if rng.random() < 0.9 else quarters[:2]:  # some stop reporting
            if rng.random() < 0.15:
                continue
            extra = {}
            if unit == "count":
                value = str(rng.choice((0, 1, 3, 5, 6, 9, 12, 40)))
            else:
                value = str(Decimal(rng.randint(-50, 1000)) / Decimal(rng.choice((1, 10, 100))))
                if unit == "percent" and rng.random() < 0.3:
                    denominator = rng.choice((2, 4, 7, 30))
                    numerator = rng.randint(0, denominator)
                    value = str(round(Decimal(100 * numerator) / denominator, 1))
                    extra = {"numerator": Decimal(numerator), "denominator": Decimal(denominator)}
            add_value(indicator, "actual", str(quarter.start), str(quarter.end), value, quarter.period_label, **extra)
            if rng.random() < 0.6:
                target = str(Decimal(rng.randint(0, 1000)) / 10) if rng.random() < 0.9 else "0"
                add_value(indicator, "target", str(quarter.start), str(quarter.end), target, quarter.period_label)
        if rng.random() < 0.2:  # a target for the year, covering every quarter's end that lies in it
            add_value(indicator, "target", "2016-04-01", "2017-03-31", str(rng.randint(1, 99)))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_ratings_are_each_rows_headline_rag_on_generated_data(seed):
    _generate(seed, 60)
    for quarter in (Q2, Q3, Q4):
        ratings = headline_ratings(quarter, member_only=False, rows_for_python=lambda q=quarter: quarter_rows(q))
        assert ratings == ratings_from_rows(quarter), quarter


@pytest.mark.parametrize("seed", [4, 5])
def test_the_first_pages_headline_is_the_published_one_on_generated_data(seed):
    _generate(seed, 60)
    for quarter in (Q3, Q4):
        expected = full_headline(quarter)
        assert expected["moves"], "the data must move some ratings between quarters"
        assert preview.summary_part(quarter)["headline"] == expected, quarter


def test_the_first_pages_headline_is_the_published_one_on_the_demo():
    ensure_demo_users(password="demo-password-for-tests")
    load_app_demos(stdout=io.StringIO())
    for quarter in (Q3, Q4):
        expected = full_headline(quarter)
        assert sum(expected["previous_counts"].values()) > 0
        assert preview.summary_part(quarter)["headline"] == expected, quarter


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite builds the previous quarter's rows")
def test_the_first_page_builds_no_rows_of_the_previous_quarter(small_scorecard):
    built = []

    def counting(reader):
        def read(quarter, **kwargs):
            built.append(quarter)
            return reader(quarter, **kwargs)

        return read

    # Either reader of rows: the preview reads the quarter's own in one query (quarter_page.every_row).
    with (
        mock.patch("scorecards.preview.quarter_rows", side_effect=counting(quarter_rows)),
        mock.patch("scorecards.preview.every_row", side_effect=counting(every_row)),
    ):
        snapshot = preview.summary_part(Q4)
    assert built == [Q4]
    assert snapshot["headline"] == full_headline(Q4)
