"""Officer pages: the preview of any quarter, publishing, amending with a reason, and commentary."""

import re

import pytest
from django.urls import reverse

from indicators.models import IndicatorValue
from scorecards.models import Commentary, PublishedScorecard
from scorecards.publishing import publish
from tests.scorecards.conftest import Q3, Q4

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def preview_url(quarter=Q4):
    return reverse("scorecards:preview", kwargs={"quarter": quarter})


def test_the_preview_shows_todays_data_and_a_publish_button(client, officer, small_scorecard):
    client.force_login(officer)
    page = text_of(client.get(preview_url()))
    assert "Not published. Members will see exactly this when you publish it." in page
    assert f"Publish {Q4.label}" in page
    assert 'Add commentary<span class="govuk-visually-hidden"> on CASCYP 31</span>' in page


def test_publishing_from_the_preview(client, officer, member, small_scorecard):
    client.force_login(officer)
    response = client.post(reverse("scorecards:publish", kwargs={"quarter": Q4}))
    assert response.status_code == 302
    assert response["Location"] == reverse("scorecards:scorecard", kwargs={"quarter": Q4})
    assert PublishedScorecard.objects.filter(quarter=Q4.slug, version=1, published_by=officer).exists()
    again = client.post(reverse("scorecards:publish", kwargs={"quarter": Q4}), follow=True)
    assert "already published" in text_of(again)
    assert PublishedScorecard.objects.count() == 1


def test_publishing_goes_through_a_confirmation_that_says_who_will_read_it(client, officer, small_scorecard):
    client.force_login(officer)
    preview = client.get(preview_url()).text
    publish_url = reverse("scorecards:publish", kwargs={"quarter": Q4})
    assert f'<form method="post" action="{publish_url}">' not in preview  # no one-click publish
    assert f'href="{publish_url}"' in preview
    confirm = client.get(publish_url)
    assert confirm.status_code == 200
    page = text_of(confirm)
    assert "every scrutiny member can read it" in page and "cannot be unpublished" in page
    assert not PublishedScorecard.objects.exists()  # reading the confirmation publishes nothing


def test_publish_is_for_officers(client, officer, member, small_scorecard):
    client.force_login(member)
    assert client.get(reverse("scorecards:publish", kwargs={"quarter": Q4})).status_code == 403
    client.force_login(member)
    assert client.post(reverse("scorecards:publish", kwargs={"quarter": Q4})).status_code == 403
    assert not PublishedScorecard.objects.exists()


def test_the_preview_of_a_published_quarter_leads_to_the_amendment_which_lists_what_it_would_change(
    client, officer, small_scorecard
):
    # The preview's first page no longer builds the whole snapshot to compare it with the published
    # one (issue 13): the amendment page, one click away, lists the changes before anything is published.
    publish(quarter=Q4, user=officer)
    client.force_login(officer)
    amend_url = reverse("scorecards:amend", kwargs={"quarter": Q4})
    page = text_of(client.get(preview_url()))
    assert "Members read version 1" in page and f'href="{amend_url}"' in page and "Publish an amendment" in page
    assert "Nothing has changed since version 1: there is nothing to amend." in text_of(client.get(amend_url))
    IndicatorValue.objects.filter(indicator=small_scorecard["referrals"], period_label="Jan - Mar 2017").update(
        value="74.1"
    )
    page = text_of(client.get(amend_url))
    assert "CASCYP 31: latest figure changed from 73.4 (Jan - Mar 2017) to 74.1 (Jan - Mar 2017)." in page


def test_amending_needs_a_reason_and_shows_it_to_members(client, officer, member, small_scorecard):
    publish(quarter=Q4, user=officer)
    IndicatorValue.objects.filter(indicator=small_scorecard["referrals"], period_label="Jan - Mar 2017").update(
        value="74.1"
    )
    client.force_login(officer)
    url = reverse("scorecards:amend", kwargs={"quarter": Q4})
    form = text_of(client.get(url))
    assert "What the amendment changes" in form and "CASCYP 31: latest figure changed" in form
    refused = client.post(url, {"reason": "   "})
    assert refused.status_code == 200
    page = text_of(refused)
    assert "There is a problem" in page and "Enter the reason for the amendment" in page
    assert "<title>Error: " in page
    assert PublishedScorecard.objects.count() == 1
    response = client.post(url, {"reason": "Referrals refreshed from the case system"})
    assert response.status_code == 302
    client.force_login(member)
    page = text_of(client.get(reverse("scorecards:scorecard", kwargs={"quarter": Q4})))
    assert "Reason:</strong> Referrals refreshed from the case system" in page


def test_an_amendment_of_an_unpublished_quarter_is_refused(client, officer, small_scorecard):
    client.force_login(officer)
    response = client.get(reverse("scorecards:amend", kwargs={"quarter": Q3}), follow=True)
    assert "has not been published yet" in text_of(response)


def test_commentary_adds_to_or_replaces_the_generated_message_and_keeps_its_history(
    client, officer, member, small_scorecard
):
    referrals = small_scorecard["referrals"]
    url = reverse("scorecards:commentary", kwargs={"quarter": Q4, "indicator_id": referrals.pk})
    client.force_login(officer)
    page = text_of(client.get(url))
    assert "73.4% of statutory referrals processed within 1 working day" in page  # the generated message
    refused = client.post(url, {"mode": "add", "text": ""})
    assert "Enter the commentary" in text_of(refused)
    client.post(url, {"mode": "add", "text": "Referrals with safeguarding concerns are processed within 4 hours."})
    preview = text_of(client.get(preview_url()))
    assert "Referrals with safeguarding concerns are processed within 4 hours." in preview
    assert "73.4% of statutory referrals" in preview
    client.post(url, {"mode": "replace", "text": "The 24-hour target was missed; urgent referrals are on time."})
    note = Commentary.objects.get(indicator=referrals, quarter=Q4.slug)
    assert (note.mode, note.author) == ("replace", officer)
    assert note.history.count() == 2
    assert [h.history_user for h in note.history.all()] == [officer, officer]
    preview = text_of(client.get(preview_url()))
    assert "The 24-hour target was missed; urgent referrals are on time." in preview
    assert "Generated message it replaces: 73.4% of statutory referrals" in preview
    history = text_of(client.get(url))
    assert "Every version of this commentary" in history and "Changed (replace the generated message)" in history

    publish(quarter=Q4, user=officer)
    client.force_login(member)
    published = text_of(client.get(reverse("scorecards:scorecard", kwargs={"quarter": Q4})))
    assert "The 24-hour target was missed; urgent referrals are on time." in published
    assert "Generated message it replaces" not in published and officer.first_name not in published


def test_commentary_can_be_removed_and_is_officers_only(client, officer, member, small_scorecard):
    referrals = small_scorecard["referrals"]
    url = reverse("scorecards:commentary", kwargs={"quarter": Q4, "indicator_id": referrals.pk})
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert client.post(url, {"mode": "add", "text": "x"}).status_code == 403
    client.force_login(officer)
    client.post(url, {"mode": "add", "text": "Temporary note"})
    client.post(url, {"action": "remove"})
    assert not Commentary.objects.exists()
    assert Commentary.history.count() == 2  # added, then removed: both on record
    assert (
        client.get(reverse("scorecards:commentary", kwargs={"quarter": Q4, "indicator_id": 999999})).status_code == 404
    )


def test_the_index_lists_published_quarters_with_their_headline(client, officer, member, small_scorecard):
    publish(quarter=Q4, user=officer)
    client.force_login(member)
    page = text_of(client.get(reverse("scorecards:index")))
    assert f'">{Q4.label}</a>' in page
    assert Q3.label not in page  # not published
    assert "Next to publish" not in page and "Other quarters with figures" not in page
    client.force_login(officer)
    page = text_of(client.get(reverse("scorecards:index")))
    assert f"Preview {Q3.label}" in page


def test_navigation_links_scorecards_for_every_role_but_not_outsiders(rf, officer, member, manager, outsider):
    from django.apps import apps

    config = apps.get_app_config("scorecards")
    assert [link.url for link in config.nav_links(member)] == [reverse("scorecards:index")]
    assert "Preview" in config.nav_links(officer)[0].description
    assert config.nav_links(manager)
    assert config.nav_links(outsider) == []


def test_the_index_offers_the_quarter_after_the_latest_published_and_only_quarters_with_figures(
    client, officer, small_scorecard
):
    """Data that lags the clock: the next quarter to publish follows the data, and the years of empty
    quarters between two far-apart figures are not offered (issue 10 part 3)."""
    from tests.scorecards.conftest import add_value

    add_value(small_scorecard["lac"], "actual", "2025-03-31", "2025-03-31", "70.0", "As at Mar 2025")
    publish(quarter=Q4, user=officer)
    client.force_login(officer)
    response = client.get(reverse("scorecards:index"))
    assert response.context["next_quarter"] == Q4.next()
    page = text_of(response)
    assert f"Preview {Q4.next().label}</a>, the quarter after the latest published one" in page
    assert "Preview Quarter 4 2024/25 (Jan - Mar 2025)" in page  # it holds a figure
    assert f"Preview {Q3.label}" in page
    for empty in ("Quarter 2 2017/18", "Quarter 1 2020/21", "Quarter 3 2024/25"):
        assert f"Preview {empty}" not in page
