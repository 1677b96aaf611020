"""The quarter page, the export and the list make as many queries for 500 indicators as for 25."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue, Theme
from indicators.quarter_page import PER_PAGE
from indicators.quarters import Quarter
from indicators.selectors import quarter_rows

Q4 = Quarter.parse("2016-17-q4")
SERIES = [
    ("actual", "2016-04-01", "2017-03-31", "2016/17"),
    ("actual", "2016-04-01", "2016-12-31", "Apr - Dec 2016"),
    ("actual", "2015-04-01", "2016-03-31", "2015/16"),
    ("actual", "2017-04-01", "2018-03-31", "2017/18"),  # after the quarter: ignored
    ("target", "2016-04-01", "2017-03-31", "2016/17"),
    ("national", "2015-04-01", "2016-03-31", "2015/16"),
    ("regional", "2015-04-01", "2016-03-31", "2015/16"),
    ("statistical_neighbours", "2014-04-01", "2015-03-31", "2014/15"),
]


def make_register(count: int) -> None:
    themes = list(Theme.objects.all())
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"BULK {n:04d}",
            ref=n,
            description=f"Bulk indicator {n}",
            kind="target" if n % 2 else "tracker",
            polarity=("higher", "lower", "neutral")[n % 3],
            unit="percent",
            decimals=1,
            tolerance=Decimal(2),
            theme=themes[n % len(themes)],
            framework_level="universal",
        )
        for n in range(count)
    )
    for indicator in indicators[::3]:
        indicator.also_in.add(themes[-1])
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=indicator,
            series=series,
            period_start=datetime.date.fromisoformat(start),
            period_end=datetime.date.fromisoformat(end),
            period_label=label,
            value=Decimal(40 + (n * 7 + i) % 30),
            scale=1,
            footnote="Amended" if (n + i) % 50 == 0 else "",
        )
        for n, indicator in enumerate(indicators)
        for i, (series, start, end, label) in enumerate(SERIES)
    )


def count_queries(callable_) -> int:
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context.captured_queries)


def measure(client, officer, count: int) -> dict[str, int]:
    Indicator.objects.all().delete()
    make_register(count)
    client.force_login(officer)
    quarter_url = reverse("indicators:quarter", args=[Q4.slug])
    results = {
        "rows": count_queries(lambda: quarter_rows(Q4)),
        "quarter page": count_queries(lambda: client.get(quarter_url)),
        "export csv": count_queries(lambda: client.get(reverse("indicators:quarter_export", args=[Q4.slug, "csv"]))),
        "export xlsx": count_queries(lambda: client.get(reverse("indicators:quarter_export", args=[Q4.slug, "xlsx"]))),
        "list": count_queries(lambda: client.get(reverse("indicators:list") + "?quarter=2016-17-q4")),
        "list export": count_queries(lambda: client.get(reverse("indicators:list") + "?_export=csv")),
    }
    page = client.get(quarter_url)
    assert page.status_code == 200
    # The page shows one page of rows (indicators.quarter_page); the export carries every one.
    assert page.content.decode().count('<th scope="row" class="govuk-table__header">BULK ') == min(count, PER_PAGE)
    export = client.get(reverse("indicators:quarter_export", args=[Q4.slug, "csv"])).content.decode()
    assert export.count("BULK ") >= count
    return results


@pytest.mark.slow
@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_register(client, officer):
    small = measure(client, officer, 25)
    large = measure(client, officer, 500)
    assert small == large
    assert small["rows"] == 3  # indicators with their row ids, the values, the themes


@pytest.mark.django_db
def test_rows_for_many_indicators_pick_the_right_values():
    make_register(30)
    rows = quarter_rows(Q4)
    assert len(rows) == 30
    for row in rows:
        assert row.latest.period_label == "2016/17"
        assert row.previous.period_label == "Apr - Dec 2016"
        assert row.twelve_months_earlier.period_label == "2015/16"
        assert row.target.period_label == "2016/17"
        assert row.statistical_neighbours.period_label == "2014/15"
