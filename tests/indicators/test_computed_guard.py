"""A computed indicator's actuals and targets come only from its source: every hand route and import refuses
them with a message naming the indicator, and writes nothing; its benchmarks are entered like any other."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from audits.computed import GOOD_OR_ABOVE_CODE, good_or_above_indicator
from indicators.computed import ComputedFigureRefused, refusal
from indicators.models import IndicatorValue
from indicators.values import ValueFields, correct_value, delete_value, upsert_computed_value, upsert_value
from tests.indicators.conftest import add, make_indicator
from tests.indicators.test_value_forms import form_data

pytestmark = pytest.mark.django_db
Q4 = {"period_label": "Jan - Mar 2017", "period_start": datetime.date(2017, 1, 1)}
Q4_END = datetime.date(2017, 3, 31)


@pytest.fixture
def audit_quality():
    return good_or_above_indicator()


@pytest.fixture
def computed_actual(audit_quality):
    upsert_computed_value(
        indicator=audit_quality, series="actual", period_end=Q4_END, value=Decimal("48.1"), reason="test", **Q4
    )
    return IndicatorValue.objects.get(indicator=audit_quality, series="actual")


def snapshot():
    return list(IndicatorValue.objects.values_list("indicator__code", "series", "period_start", "value").order_by("pk"))


@pytest.mark.parametrize(
    ("series", "refused"),
    [("actual", True), ("target", True), ("national", False), ("regional", False), ("statistical_neighbours", False)],
)
def test_which_series_are_refused(audit_quality, series, refused):
    assert (refusal(audit_quality, series) is not None) is refused
    assert refusal(make_indicator("CASCYP 1"), series) is None  # an indicator typed in by officers


def test_the_message_names_the_indicator_and_its_source(audit_quality):
    message = refusal(audit_quality, "actual")
    assert message.startswith(f"{GOOD_OR_ABOVE_CODE} is computed by perfsite from case-file audits")
    assert "cannot be entered by hand or imported" in message


def test_an_indicator_flagged_computed_but_not_registered_is_refused_too():
    flagged = make_indicator("OLD 1", is_computed=True)
    assert "OLD 1 is computed by perfsite from other records" in refusal(flagged, "target")


# Services ------------------------------------------------------------------------------------


def test_upsert_value_refuses_and_writes_nothing(audit_quality):
    with pytest.raises(ComputedFigureRefused, match=GOOD_OR_ABOVE_CODE):
        upsert_value(indicator=audit_quality, series="actual", period_end=Q4_END, value="50", **Q4)
    assert not IndicatorValue.objects.exists()
    assert upsert_value(indicator=audit_quality, series="national", period_end=Q4_END, value="55.0", **Q4)


def test_correct_and_delete_refuse_a_computed_figure(computed_actual):
    fields = ValueFields.of(computed_actual)
    before = snapshot()
    with pytest.raises(ComputedFigureRefused, match=GOOD_OR_ABOVE_CODE):
        correct_value(
            item=computed_actual,
            series="actual",
            period_start=computed_actual.period_start,
            period_end=computed_actual.period_end,
            fields=ValueFields(**{**fields.__dict__, "value": Decimal("99")}),
        )
    with pytest.raises(ComputedFigureRefused, match=GOOD_OR_ABOVE_CODE):
        delete_value(item=computed_actual)
    assert snapshot() == before


def test_a_benchmark_cannot_be_moved_into_a_computed_series(audit_quality):
    national = add(audit_quality, "national", "2017-01-01", "2017-03-31", "55.0")
    with pytest.raises(ComputedFigureRefused):
        correct_value(
            item=national,
            series="target",
            period_start=national.period_start,
            period_end=national.period_end,
            fields=ValueFields.of(national),
        )
    national.refresh_from_db()
    assert national.series == "national"


def test_only_a_computed_indicator_takes_computed_values():
    with pytest.raises(ValueError, match="not a computed indicator"):
        upsert_computed_value(indicator=make_indicator("CASCYP 2"), series="actual", period_end=Q4_END, value=1, **Q4)


# Pages ---------------------------------------------------------------------------------------


def test_the_value_form_refuses_an_actual_naming_the_indicator(client, officer, audit_quality):
    client.force_login(officer)
    response = client.post(reverse("indicators:value_add", args=[audit_quality.pk]), form_data(series="actual"))
    assert response.status_code == 200
    assert f"{GOOD_OR_ABOVE_CODE} is computed by perfsite" in response.content.decode()
    assert not IndicatorValue.objects.exists()
    response = client.post(reverse("indicators:value_add", args=[audit_quality.pk]), form_data(series="national"))
    assert response.status_code == 302
    assert IndicatorValue.objects.get().series == "national"


def test_the_value_form_refuses_to_correct_a_computed_figure(client, officer, computed_actual):
    client.force_login(officer)
    before = snapshot()
    url = reverse("indicators:value_edit", args=[computed_actual.pk])
    response = client.post(url, form_data(series="national", value="1.0"))
    assert response.status_code == 200
    assert f"{GOOD_OR_ABOVE_CODE} is computed by perfsite" in response.content.decode()
    assert snapshot() == before


def test_removing_a_computed_figure_is_refused(client, officer, computed_actual):
    client.force_login(officer)
    response = client.post(reverse("indicators:value_delete", args=[computed_actual.pk]), follow=True)
    assert f"{GOOD_OR_ABOVE_CODE} is computed by perfsite" in response.content.decode()
    assert IndicatorValue.objects.filter(pk=computed_actual.pk).exists()


def test_the_indicator_page_offers_benchmarks_only(client, officer, computed_actual):
    client.force_login(officer)
    html = client.get(computed_actual.indicator.get_absolute_url()).content.decode()
    assert "Add a benchmark" in html and "Add an actual" not in html and "Add a target" not in html
    assert reverse("indicators:value_edit", args=[computed_actual.pk]) not in html


def test_the_admin_refuses_a_computed_figure(client, admin_user, audit_quality, computed_actual):
    client.force_login(admin_user)
    data = {
        "indicator": audit_quality.pk,
        "series": "target",
        "period_label": "Jan - Mar 2017",
        "period_start": "2017-01-01",
        "period_end": "2017-03-31",
        "value": "70",
        "scale": "0",
        "status": "",
        "footnote": "",
    }
    response = client.post(reverse("admin:indicators_indicatorvalue_add"), data)
    assert response.status_code == 200
    assert f"{GOOD_OR_ABOVE_CODE} is computed by perfsite" in response.content.decode()
    assert not IndicatorValue.objects.filter(series="target").exists()
    delete = client.post(reverse("admin:indicators_indicatorvalue_delete", args=[computed_actual.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert IndicatorValue.objects.filter(pk=computed_actual.pk).exists()


# Imports -------------------------------------------------------------------------------------


def test_the_value_import_refuses_the_row_naming_the_indicator(tmp_path, audit_quality):
    path = tmp_path / "values.csv"
    path.write_text(
        "code,series,period_label,period_start,period_end,value\n"
        f"{GOOD_OR_ABOVE_CODE},national,Jan - Mar 2017,2017-01-01,2017-03-31,55.0\n"
        f"{GOOD_OR_ABOVE_CODE},actual,Jan - Mar 2017,2017-01-01,2017-03-31,50.0\n",
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_values", str(path), stdout=StringIO(), stderr=err)
    assert f"Row 3, column series: {GOOD_OR_ABOVE_CODE} is computed by perfsite" in err.getvalue()
    assert not IndicatorValue.objects.exists()  # all or nothing: the good benchmark row is not written either


def test_the_dfe_import_refuses_the_home_figure_as_a_computed_actual(tmp_path, audit_quality):
    path = tmp_path / "ees.csv"
    path.write_text(
        "time_period,geographic_level,region_name,new_la_code,figure\n"
        "2016,National,,,7.5\n"
        "2016,Regional,North East,,8\n"
        "2016,Local authority,North East,E06000047,9\n",
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_ees",
            str(path),
            "--include-home",
            indicator=GOOD_OR_ABOVE_CODE,
            column="figure",
            as_at="08-31",
            stdout=StringIO(),
            stderr=err,
        )
    assert f"{GOOD_OR_ABOVE_CODE} is computed by perfsite" in err.getvalue()
    assert not IndicatorValue.objects.exists()
