"""Officers add and correct figures and targets: validation, history, removal."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from indicators.models import IndicatorValue
from tests.indicators.conftest import add, make_indicator


def form_data(**overrides):
    data = {
        "series": "actual",
        "period_label": "2016/17",
        "period_start_day": "1",
        "period_start_month": "4",
        "period_start_year": "2016",
        "period_end_day": "31",
        "period_end_month": "3",
        "period_end_year": "2017",
        "value": "73.4",
        "numerator": "",
        "denominator": "",
        "status": "",
        "footnote": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def indicator(db):
    return make_indicator("CASCYP 31")


def test_an_officer_adds_an_actual_keeping_its_decimal_places(client, officer, indicator):
    client.force_login(officer)
    url = reverse("indicators:value_add", args=[indicator.pk])
    response = client.post(url, form_data(value="85.0", numerator="1,200", denominator="1412", status="final"))
    assert response.status_code == 302 and response["Location"] == indicator.get_absolute_url()
    item = IndicatorValue.objects.get()
    assert (str(item.figure), item.numerator, item.status, item.updated_by) == ("85.0", 1200, "final", officer)
    assert (item.period_start, item.period_end) == (datetime.date(2016, 4, 1), datetime.date(2017, 3, 31))
    assert item.history.get().history_user == officer


def test_the_add_form_preselects_the_series(client, officer, indicator):
    client.force_login(officer)
    html = client.get(reverse("indicators:value_add", args=[indicator.pk]) + "?series=target").content.decode()
    assert 'value="target" checked' in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"value": ""}, "value", "This field is required."),
        ({"value": "seventy"}, "value", "Enter value as a number, like 45.9"),
        ({"value": "1.23456"}, "value", "Give 4 decimal places or fewer."),
        ({"period_label": ""}, "period_label", "This field is required."),
        (
            {"period_end_day": "31", "period_end_month": "3", "period_end_year": "2016"},
            "period_end",
            "must end on or after",
        ),
        (
            {"period_start_day": "31", "period_start_month": "2", "period_start_year": "2017"},
            "period_start",
            "valid date",
        ),
        ({"series": "forecast"}, "series", "Select a valid choice."),
        ({"status": "draft"}, "status", "Select a valid choice."),
        ({"denominator": "0"}, None, "The denominator cannot be zero."),
    ],
)
def test_bad_figures_are_refused_with_a_message(client, officer, indicator, overrides, field, message):
    client.force_login(officer)
    response = client.post(reverse("indicators:value_add", args=[indicator.pk]), form_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html and "There is a problem" in html
    assert message in html
    if field:
        assert field in response.context["form"].errors
    assert not IndicatorValue.objects.exists()


def test_a_second_figure_for_the_same_period_is_refused(client, officer, indicator):
    add(indicator, "actual", "2016-04-01", "2017-03-31", "73.4")
    client.force_login(officer)
    response = client.post(reverse("indicators:value_add", args=[indicator.pk]), form_data(value="80"))
    assert "There is already a figure in the actual series for this period" in response.content.decode()
    assert str(IndicatorValue.objects.get().figure) == "73.4"


def test_an_officer_corrects_a_figure_and_the_history_keeps_both(client, officer, indicator):
    item = add(indicator, "actual", "2016-04-01", "2017-03-31", "73.4", "2016/17")
    client.force_login(officer)
    url = reverse("indicators:value_edit", args=[item.pk])
    assert 'value="73.4"' in client.get(url).content.decode()
    response = client.post(url, form_data(value="73.5", footnote="Previous period data amended", version="1"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (str(item.figure), item.footnote) == ("73.5", "Previous period data amended")
    history = list(item.history.order_by("history_date"))
    assert [str(h.value.normalize()) for h in history] == ["73.4", "73.5"]
    assert history[-1].history_user == officer
    # Saving it unchanged changes nothing.
    client.post(url, form_data(value="73.5", footnote="Previous period data amended", version="2"))
    assert item.history.count() == 2


def test_correcting_onto_another_figures_period_is_refused(client, officer, indicator):
    item = add(indicator, "actual", "2016-04-01", "2017-03-31", "73.4", "2016/17")
    add(indicator, "actual", "2015-04-01", "2016-03-31", "81.6", "2015/16")
    client.force_login(officer)
    data = form_data(period_start_year="2015", period_end_year="2016", period_label="2015/16", version="1")
    response = client.post(reverse("indicators:value_edit", args=[item.pk]), data)
    assert (
        response.status_code == 200
        and "There is already a figure in the actual series for this period" in response.content.decode()
    )


def test_an_officer_removes_a_figure(client, officer, indicator):
    item = add(indicator, "target", "2016-04-01", "2017-03-31", "85.0", "2016/17")
    client.force_login(officer)
    url = reverse("indicators:value_delete", args=[item.pk])
    assert "Remove the target for 2016/17?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not IndicatorValue.objects.exists()
    assert IndicatorValue.history.filter(history_type="-", history_user=officer).count() == 1


def test_a_computed_indicator_warns_before_a_hand_entry(client, officer, db):
    computed = make_indicator("AUD 1", is_computed=True)
    client.force_login(officer)
    html = client.get(reverse("indicators:value_add", args=[computed.pk])).content.decode()
    assert "perfsite computes this indicator" in html


def test_unknown_figures_are_not_found(client, officer, db):
    client.force_login(officer)
    assert client.get(reverse("indicators:value_edit", args=[99999])).status_code == 404
    assert client.get(reverse("indicators:value_add", args=[99999])).status_code == 404
