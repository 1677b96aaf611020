"""Two officers correct the same figure: the second save is refused (409), names who changed it and
when, and changes nothing; the caseload return's optimistic version check (issue 12, finding 8)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from indicators.models import IndicatorValue
from indicators.values import StaleValue, ValueFields, correct_value
from perfsite.roles import Role
from tests.conftest import make_user
from tests.indicators.conftest import add, make_indicator
from tests.indicators.test_value_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(db):
    return add(make_indicator("CASCYP 31"), "actual", "2016-04-01", "2017-03-31", "73.4", "2016/17")


@pytest.fixture
def colleague(db):
    return make_user("colleague", Role.PERFORMANCE_OFFICER, last_name="Ashby", is_staff=True)


def fields(value: str) -> ValueFields:
    from decimal import Decimal

    return ValueFields(
        period_label="2016/17", value=Decimal(value), scale=1, numerator=None, denominator=None, status="", footnote=""
    )


def test_the_second_of_two_corrections_is_refused_and_names_the_first(item, officer, colleague):
    url = reverse("indicators:value_edit", args=[item.pk])
    first, second = Client(), Client()
    first.force_login(colleague)
    second.force_login(officer)
    assert first.get(url).context["form"]["version"].value() == 1
    assert second.get(url).context["form"]["version"].value() == 1

    assert first.post(url, form_data(value="75.0", version="1")).status_code == 302

    refused = second.post(url, form_data(value="99.9", footnote="Mine", version="1"))
    assert refused.status_code == 409
    html = refused.content.decode()
    item.refresh_from_db()
    assert "Colleague Ashby changed this figure on" in html
    assert timezone.localtime(item.updated_at).strftime("%-d %B %Y at %H:%M") in html
    assert "There is a problem" in html
    # What the second officer typed stays on the form; the first officer's figure is intact.
    assert refused.context["form"]["value"].value() == "99.9"
    assert (str(item.figure), item.footnote, item.version, item.updated_by) == ("75.0", "", 2, colleague)
    assert item.history.count() == 2

    # Reloaded, the second officer corrects on top of the current version.
    assert second.get(url).context["form"]["version"].value() == 2
    assert second.post(url, form_data(value="99.9", version="2")).status_code == 302
    item.refresh_from_db()
    assert (str(item.figure), item.version) == ("99.9", 3)


@pytest.mark.parametrize("version", ["", "0", "abc", "99999999999"])
def test_a_missing_or_forged_version_saves_nothing(client, item, officer, version):
    client.force_login(officer)
    response = client.post(reverse("indicators:value_edit", args=[item.pk]), form_data(value="80", version=version))
    assert response.status_code == 200
    assert "reload the figure" in response.content.decode()
    item.refresh_from_db()
    assert (str(item.figure), item.version) == ("73.4", 1)


def test_the_service_refuses_a_stale_version(item, officer, colleague):
    start, end = datetime.date(2016, 4, 1), datetime.date(2017, 3, 31)
    assert correct_value(item=item, series="actual", period_start=start, period_end=end, fields=fields("74.0"),
                         user=colleague, expected_version=1)  # fmt: skip
    with pytest.raises(StaleValue) as refused:
        correct_value(item=item, series="actual", period_start=start, period_end=end, fields=fields("80.0"),
                      user=officer, expected_version=1)  # fmt: skip
    assert refused.value.changed_by == colleague
    assert IndicatorValue.objects.get().value == 74


def test_imports_and_additions_move_the_version_on_too(item, officer):
    from indicators.values import upsert_value

    upsert_value(indicator=item.indicator, series="actual", period_label="2016/17", period_start=item.period_start,
                 period_end=item.period_end, value="70.0", user=officer)  # fmt: skip
    item.refresh_from_db()
    assert item.version == 2


@pytest.mark.django_db(transaction=True)
def test_simultaneous_corrections_in_two_transactions_one_wins(officer, colleague):
    """Two real transactions racing on the row lock: exactly one correction lands, the other is refused."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections (PostgreSQL)")
    item = add(make_indicator("CASCYP 31"), "actual", "2016-04-01", "2017-03-31", "73.4", "2016/17")
    barrier = threading.Barrier(2)
    outcomes = {}

    def attempt(user, value):
        try:
            barrier.wait()
            correct_value(item=item, series="actual", period_start=item.period_start, period_end=item.period_end,
                          fields=fields(value), user=user, expected_version=1)  # fmt: skip
            outcomes[user.username] = "saved"
        except StaleValue:
            outcomes[user.username] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=args) for args in ((officer, "11.0"), (colleague, "22.0"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["refused", "saved"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    item.refresh_from_db()
    assert (str(item.figure), item.version) == ("11.0" if winner == "officer" else "22.0", 2)
