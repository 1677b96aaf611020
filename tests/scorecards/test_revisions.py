"""A published scorecard lists DfE revisions of figures it showed, instead of changing (issue 9 part 5)."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from indicators.imports.files import plan_value
from indicators.provenance import from_ees
from indicators.quarters import Quarter
from indicators.values import clean_value_fields
from scorecards.publishing import publish
from scorecards.revisions import revisions_since
from tests.indicators.conftest import add, make_indicator

Q4 = Quarter.parse("2016-17-q4")


def revise(indicator, item, value: str):
    """What import_ees does with a revised figure: the new value, with the revision's reason and source."""
    fields = clean_value_fields(
        series=item.series,
        period_label=item.period_label,
        period_start=item.period_start,
        period_end=item.period_end,
        value=D(value),
    )
    planned = plan_value(
        row=7,
        indicator=indicator,
        series=item.series,
        start=item.period_start,
        end=item.period_end,
        fields=fields,
        current=item,
        reason=f"Revised by DfE from {item.figure} to {value}: imported from cla.csv (rate_per_10000)",
        source=from_ees("cla.csv", column="rate_per_10000", row=7),
    )
    planned.apply(None)


@pytest.mark.django_db
def test_a_revised_benchmark_is_listed_and_the_published_figure_stays(client, officer, member):
    ind = make_indicator("CASCYP 24", kind="tracker", polarity="lower", unit="per_10000")
    add(ind, "actual", "2016-04-01", "2017-03-31", "60.0", "2016/17")
    national = add(ind, "national", "2016-04-01", "2017-03-31", "66.0", "2016/17")
    scorecard = publish(quarter=Q4, user=officer)
    assert revisions_since(scorecard) == []
    revise(ind, national, "67.0")
    scorecard.refresh_from_db()
    (revision,) = revisions_since(scorecard)
    assert (revision.code, revision.what, revision.revised) == ("CASCYP 24", "national figure (2016/17)", "67.0")
    assert revision.published.startswith("66")
    assert revision.source.startswith("DfE published statistics (EES file): cla.csv; column rate_per_10000")
    client.force_login(member)
    page = client.get(reverse("scorecards:scorecard", kwargs={"quarter": Q4.slug})).content.decode()
    assert "Revisions since publication" in page and "67.0" in page
    assert revision.revised_on.date() >= datetime.date(2017, 1, 1)


@pytest.mark.django_db
def test_a_hand_correction_is_not_a_dfe_revision(officer):
    ind = make_indicator("CASCYP 25", kind="tracker")
    add(ind, "actual", "2016-04-01", "2017-03-31", "60.0", "2016/17")
    national = add(ind, "national", "2016-04-01", "2017-03-31", "66.0", "2016/17")
    scorecard = publish(quarter=Q4, user=officer)
    national.value = D("70.0")
    national.save()
    assert revisions_since(scorecard) == []


@pytest.mark.django_db
def test_a_revised_count_is_written_as_the_published_one(officer):
    """Before: "389,040" as published beside "389140" revised, the one with separators, the other without."""
    ind = make_indicator("CIN 1", kind="tracker", polarity="neutral", unit="count", decimals=0)
    add(ind, "actual", "2017-03-31", "2017-03-31", "4097", "As at Mar 2017")
    national = add(ind, "national", "2017-03-31", "2017-03-31", "389040", "As at Mar 2017")
    scorecard = publish(quarter=Q4, user=officer)
    revise(ind, national, "389140")
    (revision,) = revisions_since(scorecard)
    assert (revision.published, revision.revised) == ("389,040", "389,140")


def test_the_revision_index_holds_exactly_what_the_marker_counts():
    """The partial index's condition must be what the marker asks, or the planner cannot use it."""
    import importlib

    from scorecards.revisions import CELL_OF_SERIES, REVISION_REASON

    migration = importlib.import_module("indicators.migrations.0011_revision_history_index")
    series = ", ".join(f"'{name}'" for name in CELL_OF_SERIES)
    assert f"history_change_reason LIKE '{REVISION_REASON}%' AND series IN ({series})" == migration.CONDITION


@pytest.mark.django_db
def test_the_published_page_counts_revisions_from_the_index_alone():
    """Bounded: the marker reads only revision rows, not every figure recorded since publication."""
    from django.db import connection

    from scorecards.views_published import PUBLISHED_SQL

    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test database is too small to prefer an index
        cursor.execute(f"EXPLAIN {PUBLISHED_SQL}", [Q4.slug, Q4.slug])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "indicators_hist_value_revision_date" in plan, plan
