"""A published scorecard is rendered once and served from the cache (issue 13 part 1): conditional GETs,
amendments, revisions after publication, audiences kept apart, a small first page, flat query counts."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import http_date

from indicators.models import Indicator, IndicatorValue, scale_of
from scorecards import frozen
from scorecards.publishing import amend, publish
from tests.scorecards.conftest import Q3, Q4, cyp_theme, make_indicator
from tests.scorecards.published import part_links, whole_scorecard

pytestmark = pytest.mark.django_db


def url(name="scorecards:scorecard", quarter=Q4, **kwargs):
    return reverse(name, kwargs={"quarter": quarter, **kwargs})


def text(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def test_a_conditional_get_answers_304_while_nothing_on_the_page_changed(client, member, officer, small_scorecard):
    publish(quarter=Q4, user=officer)
    client.force_login(member)
    first = client.get(url())
    assert first.status_code == 200
    assert first["ETag"].startswith('"')
    assert "private" in first["Cache-Control"] and "public" not in first["Cache-Control"]
    assert "Cookie" in first["Vary"]
    again = client.get(url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert client.get(url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(url(), HTTP_IF_NONE_MATCH='"something else"').status_code == 200
    for link in part_links(first.content.decode()):  # each level, panel and Appendix 3 page too
        part = client.get(link)
        assert part.status_code == 200 and part["ETag"] != first["ETag"]
        assert client.get(link, HTTP_IF_NONE_MATCH=part["ETag"]).status_code == 304


def test_the_page_is_compressed_for_browsers_that_accept_it(client, member, officer, small_scorecard):
    publish(quarter=Q4, user=officer)
    client.force_login(member)
    response = client.get(url(), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]


def test_an_amendment_is_a_new_rendering_and_the_old_etag_no_longer_matches(client, member, officer, small_scorecard):
    publish(quarter=Q4, user=officer)
    client.force_login(member)
    before = client.get(url())
    assert "73.4% of statutory referrals" in text(whole_scorecard(client, url()))
    IndicatorValue.objects.filter(indicator=small_scorecard["referrals"], period_label="Jan - Mar 2017").update(
        value="74.1"
    )
    amend(quarter=Q4, user=officer, reason="The service refreshed its referrals data")
    after = client.get(url(), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "Amendment 1" in after.content.decode()
    page = text(whole_scorecard(client, url()))
    assert "74.1% of statutory referrals" in page and "73.4% of statutory referrals" not in page
    # Version 1's own pages now say it is not current, though its body was cached while it was.
    old = client.get(url("scorecards:version", version=1), HTTP_IF_NONE_MATCH=before["ETag"])
    assert old.status_code == 200
    assert "It has been amended since" in old.content.decode()
    old_level = client.get(url("scorecards:version_level", version=1, level="assessment_safeguarding"))
    assert "It has been amended since" in old_level.content.decode()
    assert "73.4" in old_level.content.decode()


def test_a_revision_recorded_after_publication_shows_on_the_cached_pages(client, member, officer):
    from tests.indicators.conftest import add
    from tests.scorecards.test_revisions import revise

    indicator = make_indicator("CASCYP 24", kind="tracker", polarity="lower", unit="per_10000")
    add(indicator, "actual", "2016-04-01", "2017-03-31", "60.0", "2016/17")
    national = add(indicator, "national", "2016-04-01", "2017-03-31", "66.0", "2016/17")
    publish(quarter=Q4, user=officer)
    client.force_login(member)
    before = client.get(url())
    assert "Revisions since publication" not in before.content.decode()
    level_url = part_links(before.content.decode())[0]
    level_before = client.get(level_url)
    revise(indicator, national, "67.0")
    after = client.get(url(), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "Revisions since publication" in after.content.decode() and "67.0" in after.content.decode()
    level_after = client.get(level_url, HTTP_IF_NONE_MATCH=level_before["ETag"])
    assert level_after.status_code == 200
    assert "DfE has revised 1 figure" in text(level_after.content.decode())


def test_officers_and_members_never_share_a_rendering(client, member, officer, small_scorecard):
    scorecard = publish(quarter=Q4, user=officer)
    client.force_login(officer)  # the officer reads first: their rendering is cached first
    officer_pages = whole_scorecard(client, url())
    assert "Preview today" in officer_pages
    client.force_login(member)
    member_pages = whole_scorecard(client, url())
    assert "Preview today" not in member_pages
    assert url("scorecards:preview") not in member_pages
    assert "/commentary/" not in member_pages
    # Nothing cached belongs to a reader: no CSRF token, no name, no sign-out form.
    snapshot = scorecard.snapshot
    cached = [
        cache.get(frozen.cache_key(scorecard, audience=audience, part=part, route="current"))
        for audience in frozen.AUDIENCES
        for part in frozen.parts_of(snapshot)
    ]
    assert all(cached), "every part was rendered and cached for both audiences"
    for html in cached:
        assert "csrfmiddlewaretoken" not in html and "Signed in as" not in html
    # Each reader's own header is still theirs.
    assert "Signed in as" in member_pages


def test_a_member_is_never_served_the_officer_rendering_even_with_its_etag(client, member, officer, small_scorecard):
    publish(quarter=Q4, user=officer)
    client.force_login(officer)
    officer_etag = client.get(url())["ETag"]
    client.force_login(member)
    response = client.get(url(), HTTP_IF_NONE_MATCH=officer_etag)
    assert response.status_code == 200
    assert "Preview today" not in response.content.decode()


def test_a_cached_part_is_rendered_again_when_the_cache_lost_it(client, member, officer, small_scorecard):
    publish(quarter=Q4, user=officer)
    client.force_login(member)
    first = client.get(url()).content.decode()
    cache.clear()
    assert client.get(url()).content.decode().count("Key performance issues") == first.count("Key performance issues")


def test_warming_renders_every_part_for_both_audiences(officer, small_scorecard):
    scorecard = publish(quarter=Q4, user=officer)
    parts = frozen.parts_of(scorecard.snapshot)
    assert parts[0] == frozen.SUMMARY and parts[-1] == frozen.APPENDIX
    assert {"panel:audit", "panel:caseload", "level:assessment_safeguarding"} <= set(parts)
    assert frozen.warm(scorecard.pk) == 2 * len(parts)
    key = frozen.cache_key(scorecard, audience=frozen.MEMBER, part="level:corporate_parenting", route="current")
    assert "CASCYP 24" in cache.get(key)


def test_a_page_that_the_scorecard_does_not_have_is_not_found(client, member, officer, small_scorecard):
    publish(quarter=Q4, user=officer)
    client.force_login(member)
    assert client.get(url("scorecards:level", level="no_such_level")).status_code == 404
    with CaptureQueriesContext(connection) as again:  # remembered: the snapshot is not read again
        assert client.get(url("scorecards:level", level="no_such_level")).status_code == 404
    assert not any("snapshot" in query["sql"] for query in again.captured_queries)
    assert client.get(url("scorecards:panel", panel="nothing")).status_code == 404
    assert client.get(url("scorecards:version_appendix", version=2)).status_code == 404
    assert client.get(url("scorecards:appendix", quarter=Q3)).status_code == 404


def test_the_new_pages_need_a_sign_in_and_a_role(client, outsider, officer, small_scorecard):
    publish(quarter=Q4, user=officer)
    pages = [url("scorecards:level", level="assessment_safeguarding"), url("scorecards:panel", panel="audit"),
             url("scorecards:appendix"), url("scorecards:version_appendix", version=1)]  # fmt: skip
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(outsider)
    for page in pages:
        assert client.get(page).status_code == 403


def test_a_flash_message_is_never_answered_with_a_304(client, officer, small_scorecard):
    client.force_login(officer)
    response = client.post(url("scorecards:publish"))
    assert response.status_code == 302
    shown = client.get(url())
    assert "is published" in shown.content.decode()
    assert "ETag" not in shown and "no-store" in shown["Cache-Control"]
    assert client.get(url())["ETag"]


def _cached_queries(client, page: str) -> list[str]:
    client.get(page)  # renders and caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_a_cached_page_costs_a_few_queries_whatever_the_size(client, member, officer, small_scorecard):
    from tests.scorecards.test_scorecard_page import _grow

    publish(quarter=Q4, user=officer)
    client.force_login(member)
    pages = [url(), url("scorecards:level", level="assessment_safeguarding"), url("scorecards:appendix")]
    small = [_cached_queries(client, page) for page in pages]
    _grow(extra_indicators=40, extra_workers=30, extra_audits=60)
    amend(quarter=Q4, user=officer, reason="More data")
    large = [_cached_queries(client, page) for page in pages]
    for before, after in zip(small, large, strict=True):
        # The session (none with REDIS_URL: perfsite.session_cache), the user with their roles, and
        # the versions with their state.
        assert len(after) == len(before) <= 3, after
        assert not any("snapshot" in sql for sql in after)


def _many_indicators(count: int) -> None:
    """``count`` indicators over the framework's levels, each with a Q3 and Q4 actual, a Q4 target and a
    national figure, written in bulk: about a third below target and tolerance, as a real quarter."""
    theme = cyp_theme()
    levels = ("universal", "early_help", "assessment_safeguarding", "corporate_parenting")
    indicators = Indicator.objects.bulk_create(
        Indicator(code=f"GEN {n:03d}", description=f"Percentage of generated measure number {n} met on time",
                  kind=("target", "tracker")[n % 2], polarity="higher", unit="percent", decimals=1,
                  tolerance=Decimal("2"), framework_level=levels[n % 4], theme=theme, ref=1000 + n)
        for n in range(count)
    )  # fmt: skip
    values = []
    for n, indicator in enumerate(indicators):
        for quarter, figure in ((Q3, 55 + n % 30), (Q4, 50 + (n * 7) % 40)):
            values.append((indicator, "actual", quarter, Decimal(figure)))
        values.append((indicator, "target", Q4, Decimal(60)))
        values.append((indicator, "national", Q4, Decimal(58)))
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=indicator, series=series, period_start=quarter.start, period_end=quarter.end,
                       period_label=quarter.period_label, value=value, scale=scale_of(value))
        for indicator, series, quarter, value in values
    )  # fmt: skip


def test_the_first_view_of_500_indicators_is_under_300_kb_and_the_rest_is_linked(client, member, officer):
    _many_indicators(500)
    scorecard = publish(quarter=Q4, user=officer)
    assert sum(len(section["rows"]) for section in scorecard.snapshot["sections"]) == 500
    client.force_login(member)
    first = client.get(url())
    assert first.status_code == 200
    assert len(first.content) <= 300 * 1024, f"{len(first.content) / 1024:.0f} KiB"
    links = part_links(first.content.decode())
    assert len(links) == len(frozen.parts_of(scorecard.snapshot)) - 1
    levels = [client.get(link).content.decode() for link in links if "/levels/" in link]
    every_row = "".join(levels)
    assert all(f"GEN {n:03d}" in every_row for n in range(500))
    assert every_row.count('role="img"') >= 400  # each level's table keeps its sparklines


def test_the_published_page_says_when_it_was_last_changed(client, member, officer, small_scorecard):
    scorecard = publish(quarter=Q4, user=officer)
    client.force_login(member)
    response = client.get(url())
    assert response["Last-Modified"] == http_date(scorecard.published_at.timestamp())


SPARK = (
    '<svg class="perfsite-chart perfsite-chart--sparkline" role="img" focusable="false" font-family="Arial, Helvetica,'
    ' sans-serif" font-size="14"><title>T</title><g aria-hidden="true"><path class="perfsite-chart__line'
    ' perfsite-chart__spark perfsite-chart__series-1" d="M4 8L116 24" fill="none" stroke="#1d70b8" stroke-width="2"'
    ' stroke-linejoin="round"/><path class="perfsite-chart__marker perfsite-chart__series-1" d="M1 2Z"'
    ' fill="#1d70b8"/></g></svg>'
)


@pytest.mark.parametrize(
    ("rendered", "compact"),
    [
        (
            SPARK,
            '<svg class="perfsite-chart perfsite-chart--sparkline" role="img" focusable="false"><title>T</title>'
            '<g aria-hidden="true"><path class="perfsite-chart__line perfsite-chart__spark perfsite-chart__series-1"'
            ' d="M4 8L116 24" stroke-linejoin="round"/><path class="perfsite-chart__marker perfsite-chart__series-1"'
            ' d="M1 2Z"/></g></svg>',
        ),
        # Another series' colour is not the stylesheet's series 1: kept.
        ('<path class="perfsite-chart__series-2" d="M1 2Z" fill="#0b0c0c"/>',
         '<path class="perfsite-chart__series-2" d="M1 2Z" fill="#0b0c0c"/>'),
        ("<p>\n    one\n\n\n    <strong>two</strong>\n</p>", "<p>\none\n<strong>two</strong>\n</p>"),
    ],
)  # fmt: skip
def test_a_part_drops_only_what_the_browser_ignores_or_the_stylesheet_supplies(rendered, compact):
    assert frozen.compact(rendered) == compact
