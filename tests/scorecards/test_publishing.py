"""Publishing freezes a quarter; corrections are amendments with reasons; nothing is silently rewritten."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from indicators.models import IndicatorValue
from scorecards.models import ImmutableError, PublishedScorecard
from scorecards.publishing import PublishingError, amend, describe_changes, preview_snapshot, publish, verify
from tests.scorecards.conftest import Q3, Q4, add_value

pytestmark = pytest.mark.django_db


def rows_by_code(snapshot):
    return {row["code"]: row for section in snapshot["sections"] for row in section["rows"]}


def test_publishing_freezes_what_the_preview_shows(small_scorecard, officer):
    preview = preview_snapshot(Q4)
    published = publish(quarter=Q4, user=officer)
    assert published.version == 1
    assert published.snapshot == preview
    assert published.published_by == officer
    assert verify(published)


def test_a_published_quarter_does_not_change_when_its_sources_change(small_scorecard, officer):
    publish(quarter=Q4, user=officer)
    IndicatorValue.objects.filter(indicator=small_scorecard["referrals"], period_label="Jan - Mar 2017").update(
        value="80.0"
    )
    stored = PublishedScorecard.objects.get(quarter=Q4.slug)
    assert rows_by_code(stored.snapshot)["CASCYP 31"]["latest"]["display"] == "73.4"
    assert rows_by_code(preview_snapshot(Q4))["CASCYP 31"]["latest"]["display"] == "80.0"
    assert verify(stored)


def test_publishing_twice_is_refused(small_scorecard, officer):
    publish(quarter=Q4, user=officer)
    with pytest.raises(PublishingError, match="already published"):
        publish(quarter=Q4, user=officer)
    assert PublishedScorecard.objects.count() == 1


@pytest.mark.parametrize("username", ["member", "manager", "auditor"])
def test_only_performance_officers_publish(small_scorecard, request, username):
    user = request.getfixturevalue(username)
    with pytest.raises(PublishingError, match="performance officer"):
        publish(quarter=Q4, user=user)
    assert not PublishedScorecard.objects.exists()


def test_an_amendment_carries_its_reason_and_what_changed(small_scorecard, officer):
    original = publish(quarter=Q4, user=officer)
    IndicatorValue.objects.filter(indicator=small_scorecard["referrals"], period_label="Jan - Mar 2017").update(
        value="74.1"
    )
    amendment = amend(quarter=Q4, user=officer, reason="  Referrals figure   refreshed by the service ")
    assert amendment.version == 2
    assert amendment.reason == "Referrals figure refreshed by the service"
    assert "CASCYP 31: latest figure changed from 73.4 (Jan - Mar 2017) to 74.1 (Jan - Mar 2017)." in (
        amendment.changes
    )
    original.refresh_from_db()
    assert rows_by_code(original.snapshot)["CASCYP 31"]["latest"]["display"] == "73.4"
    assert verify(original) and verify(amendment)


def test_an_amendment_that_changes_nothing_is_refused(small_scorecard, officer):
    publish(quarter=Q4, user=officer)
    with pytest.raises(PublishingError, match="Nothing has changed since version 1"):
        amend(quarter=Q4, user=officer, reason="Just checking")


def test_an_amendment_needs_a_reason_and_a_publication(small_scorecard, officer):
    with pytest.raises(PublishingError, match="not been published"):
        amend(quarter=Q3, user=officer, reason="Typo")
    publish(quarter=Q3, user=officer)
    with pytest.raises(PublishingError, match="reason"):
        amend(quarter=Q3, user=officer, reason="   ")


def test_published_rows_cannot_be_updated_or_deleted(small_scorecard, officer):
    published = publish(quarter=Q4, user=officer)
    published.reason = "sneaky"
    with pytest.raises(ImmutableError):
        published.save()
    with pytest.raises(ImmutableError):
        published.delete()
    with pytest.raises(ImmutableError):
        PublishedScorecard.objects.filter(pk=published.pk).update(snapshot={})
    with pytest.raises(ImmutableError):
        PublishedScorecard.objects.filter(pk=published.pk).delete()
    with pytest.raises(ImmutableError):
        PublishedScorecard.objects.bulk_update([published], ["reason"])
    assert PublishedScorecard.objects.get(pk=published.pk).reason == ""


def test_the_database_refuses_an_amendment_without_a_reason(small_scorecard, officer):
    publish(quarter=Q4, user=officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        PublishedScorecard.objects.create(
            quarter=Q4.slug, version=2, snapshot={}, sha256="0" * 64, published_by=officer, published_at=timezone.now()
        )


def test_describe_changes_names_added_indicators_and_revised_commentary(small_scorecard, officer):
    before = preview_snapshot(Q4)
    from tests.scorecards.conftest import make_indicator

    new = make_indicator("CASCYP 99", ref=200)
    add_value(new, "actual", "2017-01-01", "2017-03-31", "12.0", "Jan - Mar 2017")
    after = preview_snapshot(Q4)
    assert describe_changes(before, after) == ["CASCYP 99 was added to the scorecard."]
    assert describe_changes(before, before) == []


def test_the_admin_shows_published_versions_read_only(client, admin_user, small_scorecard, officer):
    published = publish(quarter=Q4, user=officer)
    client.force_login(admin_user)
    assert client.get("/admin/scorecards/publishedscorecard/").status_code == 200
    page = client.get(f"/admin/scorecards/publishedscorecard/{published.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # no edit form: a version is changed only by amending
    assert (
        client.post(f"/admin/scorecards/publishedscorecard/{published.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert PublishedScorecard.objects.filter(pk=published.pk).exists()
    assert client.get("/admin/scorecards/commentary/").status_code == 200
    assert client.get("/admin/scorecards/committeepack/").status_code == 200
