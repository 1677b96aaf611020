"""The write services other apps use: computed indicators and idempotent figures with history."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from indicators.models import Indicator, IndicatorValue, Theme
from indicators.services import ensure_computed_indicator
from indicators.values import clean_value_fields, correct_value, delete_value, upsert_value
from tests.indicators.conftest import CYP, add, make_indicator

APR, MAR = datetime.date(2016, 4, 1), datetime.date(2017, 3, 31)


def computed(**overrides):
    spec = {
        "code": "AUD 1",
        "description": "Percentage of audited case files graded good or above",
        "kind": "target",
        "polarity": "higher",
        "unit": "percent",
        "decimals": 1,
        "themes": [CYP, "Social Work Practice (audits)"],
        "framework_level": "assessment_safeguarding",
    }
    spec.update(overrides)
    return ensure_computed_indicator(**spec)


def put(indicator, value, **extra):
    spec = {
        "indicator": indicator,
        "series": "actual",
        "period_label": "2016/17",
        "period_start": APR,
        "period_end": MAR,
        "value": value,
    }
    spec.update(extra)
    return upsert_value(**spec)


@pytest.mark.django_db
def test_ensure_computed_indicator_is_idempotent_and_updates():
    first = computed()
    assert first.is_computed and first.tolerance == D("2")
    assert [t.name for t in first.themes] == [CYP, "Social Work Practice (audits)"]
    assert Theme.objects.filter(name="Social Work Practice (audits)").count() == 1
    records = Indicator.history.count()
    again = computed()
    assert again.pk == first.pk and Indicator.history.count() == records
    assert Indicator.objects.count() == 1
    changed = computed(description="Audited case files good or above (%)", tolerance=D("0"))
    assert (changed.description, changed.tolerance) == ("Audited case files good or above (%)", D("0"))
    # Leaving the tolerance out keeps the one an officer set.
    assert computed(description="Audited case files good or above (%)").tolerance == D("0")


@pytest.mark.parametrize(
    "bad",
    [{"kind": "goal"}, {"polarity": "up"}, {"unit": "furlongs"}, {"framework_level": "level 9"}, {"themes": []}],
)
@pytest.mark.django_db
def test_ensure_computed_indicator_refuses_bad_definitions(bad):
    with pytest.raises(ValidationError):
        computed(**bad)
    assert not Indicator.objects.exists()


@pytest.mark.django_db
def test_upsert_value_is_idempotent_and_keeps_history(officer):
    ind = make_indicator()
    assert put(ind, D("48.0"), numerator=D(76), denominator=D(158), user=officer) is True
    assert put(ind, D("48.0"), numerator=D(76), denominator=D(158), user=officer) is False
    assert IndicatorValue.history.count() == 1
    assert put(ind, D("48.1"), numerator=D(76), denominator=D(158)) is True
    item = IndicatorValue.objects.get()
    assert (str(item.figure), item.numerator, item.updated_by) == ("48.1", D(76), None)
    assert [h.history_type for h in item.history.order_by("history_date")] == ["+", "~"]
    assert item.history.earliest("history_date").history_user == officer
    # The same number with another scale is a different printed figure.
    assert put(ind, D("48.10"), numerator=D(76), denominator=D(158)) is True
    assert str(IndicatorValue.objects.get().figure) == "48.10"


@pytest.mark.django_db
def test_upsert_value_none_removes_the_figure_and_records_it():
    ind = make_indicator()
    assert put(ind, None) is False
    put(ind, D("10"))
    assert put(ind, None) is True
    assert not IndicatorValue.objects.exists()
    assert IndicatorValue.history.filter(history_type="-").count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"value": 45.9}, "must be a Decimal"),
        ({"value": "forty"}, "must be a number"),
        ({"series": "forecast"}, "series must be one of"),
        ({"period_start": MAR, "period_end": APR}, "must start on or before"),
        ({"period_label": "  "}, "needs a label"),
        ({"status": "draft"}, "status must be one of"),
        ({"denominator": D(0)}, "denominator cannot be zero"),
        ({"value": D("Infinity")}, "finite"),
    ],
)
@pytest.mark.django_db
def test_upsert_value_refuses_bad_figures(overrides, message):
    with pytest.raises(ValidationError, match=message):
        put(make_indicator(), overrides.pop("value", D("1")), **overrides)
    assert not IndicatorValue.objects.exists()


def test_many_decimal_places_are_rounded_half_up_to_four():
    fields = clean_value_fields(
        series="actual", period_label="x", period_start=APR, period_end=MAR, value=D("16.666666")
    )
    assert (fields.value, fields.scale) == (D("16.6667"), 4)


@pytest.mark.django_db
def test_the_database_allows_one_value_per_indicator_series_and_period():
    ind = make_indicator()
    add(ind, "actual", "2016-04-01", "2017-03-31", "1")
    add(ind, "target", "2016-04-01", "2017-03-31", "1")  # another series is fine
    with pytest.raises(IntegrityError):
        add(ind, "actual", "2016-04-01", "2017-03-31", "2", label="another label")


@pytest.mark.django_db
def test_the_database_refuses_a_period_that_ends_before_it_starts():
    with pytest.raises(IntegrityError):
        add(make_indicator(), "actual", "2017-04-01", "2017-03-31", "1")


@pytest.mark.django_db
def test_correct_value_moves_a_figure_and_refuses_a_clash(officer):
    ind = make_indicator()
    item = add(ind, "actual", "2016-04-01", "2017-03-31", "1")
    add(ind, "actual", "2015-04-01", "2016-03-31", "2")
    fields = clean_value_fields(series="actual", period_label="2014/15", period_start=APR, period_end=MAR, value=D("3"))
    assert correct_value(
        item=item, series="actual", period_start=datetime.date(2014, 4, 1), period_end=datetime.date(2015, 3, 31),
        fields=fields, user=officer,
    )  # fmt: skip
    item.refresh_from_db()
    assert (item.period_label, str(item.figure), item.updated_by) == ("2014/15", "3", officer)
    with pytest.raises(ValidationError):
        correct_value(
            item=item, series="actual", period_start=datetime.date(2015, 4, 1), period_end=datetime.date(2016, 3, 31),
            fields=fields, user=officer,
        )  # fmt: skip
    delete_value(item=item, user=officer)
    assert IndicatorValue.history.filter(history_type="-", history_user=officer).exists()
