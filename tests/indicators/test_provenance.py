"""indicators.provenance: every writer records where a figure came from and when; readers see it."""

from __future__ import annotations

import datetime
import json
from dataclasses import replace
from decimal import Decimal as D
from io import StringIO
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from indicators.exports import scorecard_records
from indicators.models import IndicatorValue, SourceKind
from indicators.provenance import by_hand, computed, describe, from_ees, from_file, of
from indicators.quarters import Quarter
from indicators.values import ValueFields, correct_value, upsert_value
from tests.indicators.conftest import make_indicator, publish

Q4 = Quarter.parse("2016-17-q4")
CLA = settings.BASE_DIR / "indicators" / "demo_data" / "dfe-ees" / "cla_number_and_rate_per_10k_children.csv"
WHEN = datetime.datetime(2017, 4, 3, 9, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("source", "loaded_at", "expected"),
    [
        (by_hand(), WHEN, "Entered by hand (loaded 3 Apr 2017 09:30)"),
        (by_hand("corrected"), None, "Entered by hand: corrected"),
        (from_file("values.csv", row=12), None, "File import: values.csv, row 12"),
        (
            from_ees("cla.csv", column="rate_per_10000", filters=[("population_type", "On 31 March")], row=7),
            None,
            "DfE published statistics (EES file): cla.csv; column rate_per_10000; filter population_type=On 31 March;"
            " row 7",
        ),
        (
            from_ees("b1.csv", column="At31", publication="Children in need 2025", rows="mean of rows 3, 9"),
            None,
            "DfE published statistics (EES file): Children in need 2025; b1.csv; column At31; mean of rows 3, 9",
        ),
        (computed("case-file audits"), None, "Computed by perfsite: from case-file audits"),
    ],
)
def test_descriptions(source, loaded_at, expected):
    assert describe(source.kind, source.detail, loaded_at) == expected


def test_a_value_is_described_in_its_own_zone_although_descriptions_are_reused():
    # provenance.of reuses descriptions; the same instant in two zones must still print each one's wall time.
    london = datetime.timezone(datetime.timedelta(hours=1))
    as_stored = [
        SimpleNamespace(source_kind="file", source_detail="values.csv", loaded_at=when)
        for when in (WHEN, WHEN.astimezone(london), WHEN, None)
    ]
    assert [of(item) for item in as_stored] == [
        "File import: values.csv (loaded 3 Apr 2017 09:30)",
        "File import: values.csv (loaded 3 Apr 2017 10:30)",
        "File import: values.csv (loaded 3 Apr 2017 09:30)",
        "File import: values.csv",
    ]


def test_a_figure_stored_before_provenance_says_so():
    assert describe("", "") == "Source not recorded (stored before perfsite kept provenance)"


def _value(ind, series="actual", label="2016/17"):
    return IndicatorValue.objects.get(indicator=ind, series=series, period_label=label)


@pytest.mark.django_db
def test_a_hand_entry_and_its_correction(officer):
    ind = make_indicator()
    period = {"period_label": "2016/17", "period_start": Q4.start.replace(month=4, year=2016), "period_end": Q4.end}
    upsert_value(indicator=ind, series="actual", value=D("50.0"), user=officer, **period)
    item = _value(ind)
    assert (item.source_kind, item.updated_by, item.loaded_at is not None) == (SourceKind.HAND, officer, True)
    fields = replace(ValueFields.of(item), value=D("51.0"))
    correct_value(
        item=item,
        series="actual",
        period_start=item.period_start,
        period_end=item.period_end,
        fields=fields,
        user=officer,
    )
    item.refresh_from_db()
    assert (item.source_kind, item.source_detail) == (SourceKind.HAND, "corrected")
    # The history keeps each figure with its own provenance.
    assert [h.source_kind for h in item.history.order_by("history_date")] == ["hand", "hand"]


@pytest.mark.django_db
def test_a_file_import_records_file_and_row_and_twice_changes_nothing(tmp_path):
    ind = make_indicator("CASCYP 9")
    path = tmp_path / "values.csv"
    path.write_text(
        "code,series,period_label,period_start,period_end,value\n"
        "CASCYP 9,actual,2016/17,2016-04-01,2017-03-31,61.5\n"
        "CASCYP 9,target,2016/17,2016-04-01,2017-03-31,65.0\n"
    )
    call_command("import_values", str(path), stdout=StringIO())
    assert (_value(ind).source_kind, _value(ind).source_detail) == ("file", "values.csv, row 2")
    assert _value(ind, "target").source_detail == "values.csv, row 3"
    loaded = _value(ind).loaded_at
    history = IndicatorValue.history.count()
    call_command("import_values", str(path), stdout=StringIO())
    assert _value(ind).loaded_at == loaded and IndicatorValue.history.count() == history


@pytest.mark.django_db
def test_a_dfe_import_records_file_column_filter_and_rows():
    ind = make_indicator("CASCYP 24", polarity="lower", unit="per_10000")
    call_command(
        "import_ees",
        str(CLA),
        indicator="CASCYP 24",
        column="rate_per_10000",
        filter=["population_type=Children looked after on 31 March each year"],
        as_at="03-31",
        stdout=StringIO(),
    )
    national = _value(ind, "national", "As at Mar 2025")
    assert national.source_kind == "ees"
    assert national.source_detail.startswith(
        "cla_number_and_rate_per_10k_children.csv; column rate_per_10000; "
        "filter population_type=Children looked after on 31 March each year; row "
    )
    neighbours = _value(ind, "statistical_neighbours", "As at Mar 2025")
    assert "mean of rows " in neighbours.source_detail


@pytest.mark.django_db
def test_computed_figures_say_so(build_audits):
    item = build_audits()
    assert (item.source_kind, item.source_detail) == ("computed", "from case-file audits")


@pytest.fixture
def build_audits(db):
    def make():
        from audits.choices import Grade, RoundKind
        from audits.computed import GOOD_OR_ABOVE_CODE, recompute_quarter
        from tests.audits.conftest import Builder

        build = Builder()
        round_ = build.round(kind=RoundKind.RANDOM, title="Random sample")
        build.completed(Grade.GOOD, round=round_)
        recompute_quarter(Q4)
        return IndicatorValue.objects.get(indicator__code=GOOD_OR_ABOVE_CODE, series="actual")

    return make


@pytest.mark.django_db
def test_exports_and_quarter_page_show_provenance_to_officers(client, officer, member):
    ind = make_indicator("CASCYP 9")
    upsert_value(
        indicator=ind,
        series="actual",
        value=D("61.5"),
        period_label="2016/17",
        period_start=datetime.date(2016, 4, 1),
        period_end=Q4.end,
        provenance=from_file("values.csv", row=2),
    )
    (record,) = scorecard_records(Q4)
    assert record["latest_source"].startswith("File import: values.csv, row 2 (loaded ")
    assert record["latest_out_of_date"] == ""
    client.force_login(officer)
    response = client.get(reverse("indicators:quarter_export", args=[Q4.slug, "json"]))
    assert json.loads(response.content)[0]["latest_source"].startswith("File import: values.csv, row 2")
    page = client.get(reverse("indicators:quarter", args=[Q4.slug])).content.decode()
    item = _value(ind)
    assert 'title="Source: File import: values.csv, row 2 (loaded ' in page and f'data-value-id="{item.pk}"' in page
    detail = client.get(reverse("indicators:detail", args=[ind.pk])).content.decode()
    assert f'id="value-{item.pk}"' in detail and "File import: values.csv, row 2" in detail
    client.force_login(member)
    publish(Q4.slug)
    member_page = client.get(reverse("indicators:quarter", args=[Q4.slug])).content.decode()
    assert "61.5" in member_page and 'title="Source:' not in member_page
