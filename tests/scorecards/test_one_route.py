"""One route to the scorecard: publishing recomputes the quarter's computed figures first (issue 9 seen 5)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from audits.choices import Grade, RoundKind
from audits.computed import GOOD_OR_ABOVE_CODE, recompute_quarter
from indicators.models import IndicatorValue
from indicators.quarters import Quarter
from scorecards.publishing import publish
from tests.audits.conftest import Builder

Q4 = Quarter.parse("2016-17-q4")


@pytest.mark.django_db
def test_seen_5_a_publish_between_a_change_and_its_recompute_freezes_figures_that_agree(officer):
    """Before: the audit panel read the audits live, the indicator row the figure the task had not yet updated."""
    build = Builder()
    round_ = build.round(kind=RoundKind.RANDOM, title="Random sample")
    for grade in [Grade.GOOD] * 6 + [Grade.INADEQUATE] * 4:
        build.completed(grade, round=round_, completed_on=datetime.date(2017, 2, 15))
    recompute_quarter(Q4)
    # A moderation commits; its recompute task has not run yet when the officer publishes.
    for _ in range(2):
        build.completed(Grade.INADEQUATE, round=round_, completed_on=datetime.date(2017, 3, 1))
    assert IndicatorValue.objects.get(indicator__code=GOOD_OR_ABOVE_CODE, series="actual").value == Decimal("60.0")
    snapshot = publish(quarter=Q4, user=officer).snapshot
    rows = {row["code"]: row for section in snapshot["sections"] for row in section["rows"]}
    panel = snapshot["audit"]["overall"]
    assert (str(panel["good_or_above"]), str(panel["audited"])) == ("6", "12")
    assert Decimal(panel["pct"]) == Decimal("50.0")
    assert Decimal(rows[GOOD_OR_ABOVE_CODE]["latest"]["value"]) == Decimal("50.0")


@pytest.mark.django_db
def test_publishing_adds_no_computed_indicator_the_register_did_not_have(officer):
    publish(quarter=Q4, user=officer)
    assert not IndicatorValue.objects.filter(indicator__code=GOOD_OR_ABOVE_CODE).exists()
