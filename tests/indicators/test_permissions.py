"""Every signed-in role reads; only performance officers change; anonymous users go to sign in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from indicators.models import ImportBatch, IndicatorValue, PerformanceAction
from tests.indicators.conftest import add, make_indicator

READ_ROLES = ["auditor", "moderator", "manager", "officer", "member", "admin_user"]
NOT_OFFICERS = ["auditor", "moderator", "manager", "member", "outsider"]


@pytest.fixture
def data(db, officer, published_q4):
    ind = make_indicator("CASCYP 24")
    item = add(ind, "actual", "2017-03-31", "2017-03-31", "80.8", "As at Mar 2017")
    batch = ImportBatch.objects.create(kind="values", filename="v.csv", content=b"code\n", uploaded_by=officer)
    action = PerformanceAction.objects.create(
        indicator=ind, quarter="2016-17-q4", description="Recruit", owner=officer, due_on="2017-06-30"
    )
    return {"indicator": ind, "item": item, "batch": batch, "action": action}


def read_urls(data):
    pk = data["indicator"].pk
    return [
        reverse("indicators:list"),
        reverse("indicators:list") + "?_export=csv",
        reverse("indicators:detail", args=[pk]),
        reverse("indicators:quarter_latest"),
        reverse("indicators:quarter", args=["2016-17-q4"]),
        reverse("indicators:quarter_export", args=["2016-17-q4", "csv"]),
    ]


def officer_get_urls(data):
    return [
        reverse("indicators:value_add", args=[data["indicator"].pk]),
        reverse("indicators:value_edit", args=[data["item"].pk]),
        reverse("indicators:value_delete", args=[data["item"].pk]),
        reverse("indicators:imports"),
        reverse("indicators:import_upload", args=["values"]),
        reverse("indicators:import_upload", args=["ees"]),
        reverse("indicators:import_preview", args=[data["batch"].pk]),
        reverse("indicators:action_list"),
        reverse("indicators:action_list") + "?_export=xlsx",
        reverse("indicators:action_new"),
        reverse("indicators:action_detail", args=[data["action"].pk]),
        reverse("indicators:action_edit", args=[data["action"].pk]),
    ]


def officer_post_urls(data):
    return [
        reverse("indicators:value_add", args=[data["indicator"].pk]),
        reverse("indicators:value_edit", args=[data["item"].pk]),
        reverse("indicators:value_delete", args=[data["item"].pk]),
        reverse("indicators:import_upload", args=["values"]),
        reverse("indicators:import_confirm", args=[data["batch"].pk]),
        reverse("indicators:import_cancel", args=[data["batch"].pk]),
        reverse("indicators:action_new"),
        reverse("indicators:action_edit", args=[data["action"].pk]),
        reverse("indicators:action_move", args=[data["action"].pk]),
        reverse("indicators:action_note_add", args=[data["action"].pk]),
    ]


@pytest.mark.parametrize("role", READ_ROLES)
def test_every_role_reads(client, request, data, role):
    client.force_login(request.getfixturevalue(role))
    for url in read_urls(data):
        assert client.get(url).status_code == 200, url


def test_a_user_without_a_role_is_refused(client, data, outsider):
    client.force_login(outsider)
    for url in read_urls(data):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", NOT_OFFICERS)
def test_only_officers_change(client, request, data, role):
    client.force_login(request.getfixturevalue(role))
    for url in officer_get_urls(data):
        assert client.get(url).status_code == 403, url
    for url in officer_post_urls(data):
        assert client.post(url, {"value": "1"}).status_code == 403, url
    assert IndicatorValue.objects.get().value == data["item"].value
    data["batch"].refresh_from_db()
    assert data["batch"].state == "previewed"
    assert PerformanceAction.objects.get().description == "Recruit"
    assert PerformanceAction.objects.count() == 1


@pytest.mark.parametrize("role", ["officer", "admin_user"])
def test_officers_and_superusers_open_the_change_pages(client, request, data, role):
    client.force_login(request.getfixturevalue(role))
    for url in officer_get_urls(data):
        assert client.get(url).status_code == 200, url


def test_anonymous_users_are_sent_to_sign_in(client, data):
    for url in read_urls(data) + officer_get_urls(data):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    for url in officer_post_urls(data):
        assert client.post(url).status_code == 302, url
    assert IndicatorValue.objects.count() == 1


def test_officers_use_admin_for_the_register(client, data, officer, member):
    client.force_login(officer)
    for name in ("indicator", "indicatorvalue", "theme", "importbatch"):
        assert client.get(reverse(f"admin:indicators_{name}_changelist")).status_code == 200, name
    url = reverse("admin:indicators_indicator_history", args=[data["indicator"].pk])
    assert client.get(url).status_code == 200
    client.force_login(member)
    # Issue 10 part 7: the service's own 403 page, no longer a redirect to Django's admin sign-in.
    assert client.get(reverse("admin:indicators_indicator_changelist")).status_code == 403


def test_nav_links_follow_the_roles(data, officer, member, outsider):
    from django.apps import apps

    config = apps.get_app_config("indicators")
    assert [link.label for link in config.nav_links(officer)] == [
        "Indicators",
        "Quarterly tables",
        "Imports",
        "Performance actions",
    ]
    assert [link.label for link in config.nav_links(member)] == ["Indicators", "Quarterly tables"]
    assert config.nav_links(outsider) == []
