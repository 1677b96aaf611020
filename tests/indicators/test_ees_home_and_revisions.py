"""DfE imports never overwrite the council's own data silently (issue 9, seen 3)."""

from __future__ import annotations

import datetime
from decimal import Decimal as D
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from indicators.models import IndicatorValue
from tests.indicators.conftest import add, make_indicator

CLA = settings.BASE_DIR / "indicators" / "demo_data" / "dfe-ees" / "cla_number_and_rate_per_10k_children.csv"
ON_31_MARCH = "population_type=Children looked after on 31 March each year"
ARGS = {"indicator": "CASCYP 24", "column": "rate_per_10000", "filter": [ON_31_MARCH], "as_at": "03-31"}


def run(*args):
    out = StringIO()
    call_command("import_ees", str(CLA), *args, stdout=out, stderr=out, **ARGS)
    return out.getvalue()


def one(indicator, series, label):
    return IndicatorValue.objects.get(indicator=indicator, series=series, period_label=label)


@pytest.mark.django_db
def test_seen_3a_include_home_keeps_the_councils_own_figure_and_status():
    ind = make_indicator("CASCYP 24", polarity="lower", unit="per_10000")
    add(ind, "actual", "2025-03-31", "2025-03-31", "117.5", "As at Mar 2025", status="final", footnote="Our count")
    output = run("--include-home")
    kept = one(ind, "actual", "As at Mar 2025")
    assert (kept.figure, kept.status, kept.footnote) == (D("117.5"), "final", "Our count")
    assert "kept the council's own figure (117.5); DfE publishes 118" in output
    assert "--replace-home" in output
    # The empty cells are filled.
    assert one(ind, "actual", "As at Mar 2021").figure == D("96")


@pytest.mark.django_db
def test_replace_home_replaces_it_keeping_its_status_with_the_old_figure_in_the_history():
    ind = make_indicator("CASCYP 24", polarity="lower", unit="per_10000")
    add(ind, "actual", "2025-03-31", "2025-03-31", "117.5", "As at Mar 2025", status="final")
    run("--replace-home")
    replaced = one(ind, "actual", "As at Mar 2025")
    assert (replaced.figure, replaced.status) == (D("118"), "final")
    last = replaced.history.first()
    assert last.history_change_reason.startswith("Revised by DfE from 117.5 to 118")
    assert replaced.history.last().value == D("117.5")


@pytest.mark.django_db
def test_seen_3b_a_revised_benchmark_is_recorded_as_a_revision():
    ind = make_indicator("CASCYP 24", polarity="lower", unit="per_10000")
    add(ind, "national", "2025-03-31", "2025-03-31", "66", "As at Mar 2025")
    run()
    revised = one(ind, "national", "As at Mar 2025")
    assert revised.figure == D("67")
    reason = revised.history.first().history_change_reason
    assert reason.startswith("Revised by DfE from 66 to 67: imported from cla_number_and_rate_per_10k_children")
    assert len(reason) <= 100  # the history's column; the full source is in the value's provenance
    assert revised.source_detail.startswith("cla_number_and_rate_per_10k_children.csv; column rate_per_10000")
    assert [h.value for h in revised.history.order_by("history_date")] == [D("66"), D("67")]


@pytest.mark.django_db
def test_the_same_file_twice_changes_nothing_with_home_figures():
    ind = make_indicator("CASCYP 24", polarity="lower", unit="per_10000")
    run("--include-home")
    before = IndicatorValue.history.count()
    assert "0 new" in run("--include-home") or IndicatorValue.history.count() == before
    assert IndicatorValue.history.count() == before
    assert one(ind, "actual", "As at Mar 2025").period_end == datetime.date(2025, 3, 31)
