"""Every screen fits its content (issue 10 part 5), measured in Chromium at 1280 and 375 px wide:
Appendix 3 without sideways scrolling, a one-row menu with one current item, case references on
one line, the caseload return on a phone, and chart text of at least 12 px on a phone."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User

from perfsite.demo import ensure_demo_users, load_app_demos
from tests.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-for-tests"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}

PAGE_SCROLLS_SIDEWAYS = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
TABLES_CUT = """() => [...document.querySelectorAll('.perfsite-appendix-table')]
    .filter(t => t.getBoundingClientRect().right > t.closest('main').getBoundingClientRect().right + 1
              || t.parentElement.scrollWidth > t.parentElement.clientWidth + 1).length"""
MENU = """() => {
    const items = [...document.querySelectorAll('.govuk-service-navigation__item')];
    return {rows: new Set(items.map(i => Math.round(i.getBoundingClientRect().top))).size,
            current: document.querySelectorAll('.govuk-service-navigation__item--active').length,
            currentSection: document.querySelectorAll('.perfsite-section-nav [aria-current]').length};
}"""
SMALLEST_CHART_TEXT = """() => Math.min(
    ...[...document.querySelectorAll('svg.perfsite-chart:not(.perfsite-chart--sparkline)')]
    .map(svg => svg.getScreenCTM().a * 14))"""
BROKEN_CASE_REFS = """() => [...document.querySelectorAll('main a')]
    .filter(a => /^C-\\d+$/.test(a.textContent.trim()) && a.getClientRects().length > 1).length"""


def _open(chromium, live_server, username, viewport):
    context = chromium.new_context(base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, username, PASSWORD)
    page.wait_for_url("**/")
    return context, page


def test_pages_fit_at_1280_and_375_px(chromium, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_demo_users(password=PASSWORD)
    load_app_demos(stdout=io.StringIO())
    from django.utils import timezone

    from audits.models import AuditRound
    from caseloads.models import Team
    from caseloads.months import add_months, first_of_month

    problems = []

    context, page = _open(chromium, live_server, "officer", DESKTOP)
    try:
        for path in ("/indicators/quarters/2016-17-q4/", "/scorecards/2016-17-q4/"):
            page.goto(path)
            if page.evaluate(TABLES_CUT):
                problems.append(f"{path}: an Appendix 3 table is wider than its column at 1280 px")
            if page.evaluate(PAGE_SCROLLS_SIDEWAYS):
                problems.append(f"{path}: the page scrolls sideways at 1280 px")
        for path in ("/indicators/quarters/2016-17-q4/", "/caseloads/rollup/", "/audits/results/"):
            page.goto(path)
            menu = page.evaluate(MENU)
            if menu != {"rows": 1, "current": 1, "currentSection": 1}:
                problems.append(f"officer {path}: menu {menu} (want one row, one current item, one current page)")
        round_ = AuditRound.objects.filter(kind="random").order_by("pk").first()
        page.goto(f"/audits/rounds/{round_.pk}/")
        if page.evaluate(BROKEN_CASE_REFS):
            problems.append("a case reference breaks across lines on the round page")
    finally:
        context.close()

    manager = User.objects.get(username="manager")
    team = Team.objects.filter(managers=manager).order_by("pk").first()
    context, page = _open(chromium, live_server, "manager", DESKTOP)
    try:
        page.goto("/caseloads/rollup/")
        menu = page.evaluate(MENU)
        if menu["rows"] != 1 or menu["current"] != 1:
            problems.append(f"manager menu at 1280 px: {menu}")
    finally:
        context.close()

    context, page = _open(chromium, live_server, "manager", PHONE)
    try:
        due = add_months(first_of_month(timezone.localdate()), -1).strftime("%Y-%m")
        page.goto(f"/caseloads/teams/{team.pk}/returns/{due}/")
        assert page.locator("#return-lines input").count() > 0
        if page.evaluate(PAGE_SCROLLS_SIDEWAYS):
            problems.append(f"{page.url}: the caseload return scrolls sideways at 375 px")
    finally:
        context.close()

    context, page = _open(chromium, live_server, "member", PHONE)
    try:
        page.goto("/scorecards/2016-17-q4/")
        smallest = page.evaluate(SMALLEST_CHART_TEXT)
        if smallest < 12:
            problems.append(f"scorecard charts at 375 px: text {smallest:.1f} px")
        if page.evaluate(PAGE_SCROLLS_SIDEWAYS):
            problems.append("the scorecard scrolls sideways at 375 px")
    finally:
        context.close()

    assert problems == [], "\n".join(problems)
