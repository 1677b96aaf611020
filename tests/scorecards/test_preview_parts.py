"""The officer's preview a page at a time (issue 13): a first page of summaries, a page per level, per
panel and for Appendix 3, each built only as far as it shows, each exactly what publishing would freeze."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scorecards import frozen, preview
from scorecards.commentary import save_commentary
from scorecards.publishing import preview_snapshot
from tests.scorecards.conftest import Q4
from tests.scorecards.published import part_links, whole_scorecard
from tests.scorecards.test_scorecard_page import _grow

pytestmark = pytest.mark.django_db


def first_page_url() -> str:
    return reverse("scorecards:preview", kwargs={"quarter": Q4})


def _rendered(snapshot: dict, part: str) -> str:
    title, context = frozen.part_context(
        snapshot, part=part, urls=preview.part_urls(Q4), audience=frozen.OFFICER, mode="preview"
    )
    context["commentary"] = {}
    return title + frozen.compact(render_to_string(frozen.TEMPLATES[part.partition(":")[0]], context))


def test_each_part_shows_what_the_whole_snapshot_shows(small_scorecard, officer):
    # Each part is built on its own, yet renders exactly as the whole snapshot (what publishing
    # freezes) renders it: the same rows, messages, panels and appendix.
    save_commentary(
        indicator=small_scorecard["referrals"], quarter=Q4, mode="add", text="Urgent ones are on time.", user=officer
    )
    whole = preview_snapshot(Q4)
    parts = frozen.parts_of(whole)
    assert {p.partition(":")[0] for p in parts} == {"summary", "level", "panel", "appendix"}
    for part in parts:
        assert _rendered(preview.build_part(Q4, part), part) == _rendered(whole, part), part


def test_the_first_page_builds_no_indicator_figures(small_scorecard):
    # Summaries only: no row's cells, sparkline or recent history are built for the first page.
    with (
        mock.patch("scorecards.preview.row_dict", side_effect=AssertionError("a row was built")),
        mock.patch("scorecards.preview.recent_history", side_effect=AssertionError("history was read")),
    ):
        snapshot = preview.summary_part(Q4)
    assert [s["key"] for s in snapshot["sections"]] == [s["key"] for s in preview_snapshot(Q4)["sections"]]


def test_a_level_page_builds_only_its_own_rows(small_scorecard):
    whole = preview_snapshot(Q4)
    for section in whole["sections"]:
        part = preview.level_part(Q4, section["key"])
        assert [s["key"] for s in part["sections"]] == [section["key"]]
        assert part["sections"][0]["rows"] == section["rows"]


def test_the_first_page_holds_summaries_and_links_to_every_part(client, officer, small_scorecard):
    client.force_login(officer)
    first = client.get(first_page_url())
    html = first.content.decode()
    assert first.status_code == 200
    assert "perfsite-chart" not in html and "section-assessment_safeguarding-caption" not in html  # no level table
    assert "Publish Quarter 4 2016/17" in re.sub(r"\s+", " ", html)  # the publish action stays here
    links = part_links(html)
    assert reverse("scorecards:preview_appendix", kwargs={"quarter": Q4}) in links
    assert reverse("scorecards:preview_panel", kwargs={"quarter": Q4, "panel": "caseload"}) in links
    assert any("/preview/levels/" in link for link in links)
    # One click away, every figure and message is there, as members will read it.
    page = re.sub(r"\s+", " ", whole_scorecard(client, first_page_url()))
    assert "73.4% of statutory referrals processed within 1 working day (Jan - Mar 2017)" in page
    assert "Key performance messages" in page and page.count('role="img"') >= 6
    assert "Data for: Average caseload per WTE, by month, against the optimum" in page
    assert "Table 1:" in page


def test_a_preview_part_that_does_not_exist_is_not_found(client, officer, small_scorecard):
    client.force_login(officer)
    missing = (("scorecards:preview_level", {"level": "nowhere"}), ("scorecards:preview_panel", {"panel": "x"}))
    for name, kwargs in missing:
        assert client.get(reverse(name, kwargs={"quarter": Q4, **kwargs})).status_code == 404


def test_preview_parts_are_for_officers(client, member, small_scorecard):
    client.force_login(member)
    for link in [first_page_url(), reverse("scorecards:preview_appendix", kwargs={"quarter": Q4})]:
        assert client.get(link).status_code == 403


def test_commentary_leads_back_to_the_message_on_its_level_page(client, officer, small_scorecard):
    referrals = small_scorecard["referrals"]
    client.force_login(officer)
    url = reverse("scorecards:commentary", kwargs={"quarter": Q4, "indicator_id": referrals.pk})
    response = client.post(url, {"mode": "add", "text": "Urgent referrals are on time."})
    assert response.status_code == 302
    assert "/preview/levels/" in response["Location"] and response["Location"].endswith(f"#message-{referrals.pk}")
    assert "Urgent referrals are on time." in client.get(response["Location"]).content.decode()


def _every_part(client) -> list[str]:
    first = client.get(first_page_url()).content.decode()
    return [first_page_url(), *part_links(first)]


def _queries(client, links: list[str]) -> dict[str, int]:
    counts = {}
    for link in links:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(link).status_code == 200, link
        counts[re.sub(r"^/scorecards/[^/]+/preview/", "", link)] = len(captured)
    return counts


def test_every_preview_page_queries_as_much_at_two_sizes(client, officer, small_scorecard):
    client.force_login(officer)
    links = _every_part(client)
    small = _queries(client, links)
    _grow(extra_indicators=40, extra_workers=30, extra_audits=60)
    assert _every_part(client) == links  # the same pages: the grown indicators sit in existing levels
    assert _queries(client, links) == small


def test_a_panel_summary_says_what_its_build_says(small_scorecard):
    # The first page asks a panel for its summary where it has one (caseloads: without a roll-up per
    # team); it must say exactly what the whole panel says, at both sizes of data.
    from scorecards.panels import providers

    for grow in (False, True):
        if grow:
            _grow(extra_indicators=0, extra_workers=30, extra_audits=60)
        summarised = [p for p in providers() if p.summary is not None]
        assert summarised
        for provider in summarised:
            built = provider.build(Q4)
            assert provider.summary(Q4) == {"has_data": built["has_data"], "message": built["message"]}
