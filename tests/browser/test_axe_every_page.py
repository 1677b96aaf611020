"""axe on every page for every role that may see it (issue 10 part 7).

Every URL pattern of the service is listed in PAGES (with the roles that may see it and how to find
real ids in the demo data) or in NOT_VISITED with the reason it is not a page to check. A new URL
pattern fails ``test_every_url_pattern_is_visited_or_excused`` until it is added to one of them.
The browser test loads the demo once, signs in as each role in turn in one Chromium, and runs axe
on each page: zero violations.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from perfsite.demo import ensure_demo_users, load_app_demos
from tests.conftest import axe_violations, sign_in

PASSWORD = "demo-password-for-tests"

AUDITOR, MODERATOR, MANAGER, OFFICER, MEMBER = "auditor", "moderator", "manager", "officer", "member"
SIGNED_OUT = "signed out"
EVERYONE = (AUDITOR, MODERATOR, MANAGER, OFFICER, MEMBER)
NOT_MEMBERS = (AUDITOR, MODERATOR, MANAGER, OFFICER)
Q4, NEXT = "2016-17-q4", "2017-18-q1"


@dataclass(frozen=True)
class Page:
    roles: tuple[str, ...]
    kwargs: Callable[[dict], dict] | None = None  # from the demo's ids to the pattern's arguments


def _none(ids: dict) -> dict:
    return {}


PAGES: dict[str, Page] = {
    "login": Page((SIGNED_OUT,)),
    "password_reset": Page((SIGNED_OUT,)),
    "password_reset_done": Page((SIGNED_OUT,)),
    "password_reset_complete": Page((SIGNED_OUT,)),
    "home": Page(EVERYONE),
    "password_change": Page(EVERYONE),
    "indicators:list": Page(EVERYONE),
    "indicators:detail": Page(EVERYONE, lambda ids: {"pk": ids["indicator"]}),
    "indicators:value_add": Page((OFFICER,), lambda ids: {"pk": ids["indicator"]}),
    "indicators:value_edit": Page((OFFICER,), lambda ids: {"pk": ids["value"]}),
    "indicators:value_delete": Page((OFFICER,), lambda ids: {"pk": ids["value"]}),
    "indicators:quarter_latest": Page(EVERYONE),
    "indicators:quarter": Page(EVERYONE, lambda ids: {"slug": Q4}),
    "indicators:imports": Page((OFFICER,)),
    "indicators:import_upload": Page((OFFICER,), lambda ids: {"kind": "values"}),
    "indicators:refresh_benchmarks": Page((OFFICER,)),
    "indicators:action_list": Page((OFFICER,)),
    "indicators:action_new": Page((OFFICER,)),
    "indicators:action_detail": Page((OFFICER,), lambda ids: {"pk": ids["action"]}),
    "indicators:action_edit": Page((OFFICER,), lambda ids: {"pk": ids["action"]}),
    "audits:imports": Page((OFFICER,)),
    "audits:import_upload": Page((OFFICER,), lambda ids: {"kind": "cases"}),
    "caseloads:imports": Page((OFFICER,)),
    "caseloads:import_upload": Page((OFFICER,), lambda ids: {"kind": "returns"}),
    "caseloads:index": Page((MANAGER, OFFICER)),
    "caseloads:rollup": Page((MANAGER, OFFICER)),
    "caseloads:team": Page((MANAGER, OFFICER), lambda ids: {"team_id": ids["team"]}),
    "caseloads:return": Page((MANAGER, OFFICER), lambda ids: {"team_id": ids["team"], "month": ids["draft_month"]}),
    "caseloads:submit": Page((MANAGER,), lambda ids: {"team_id": ids["team"], "month": ids["draft_month"]}),
    "caseloads:reopen": Page((OFFICER,), lambda ids: {"team_id": ids["team"], "month": ids["submitted_month"]}),
    "caseloads:worker_add": Page((MANAGER, OFFICER), lambda ids: {"team_id": ids["team"]}),
    "caseloads:worker_edit": Page((MANAGER, OFFICER), lambda ids: {"worker_id": ids["worker"]}),
    "caseloads:worker_move": Page((MANAGER, OFFICER), lambda ids: {"worker_id": ids["worker"]}),
    "caseloads:worker_end": Page((MANAGER, OFFICER), lambda ids: {"worker_id": ids["worker"]}),
    "audits:worklist": Page((AUDITOR,)),
    "audits:audit_detail": Page((AUDITOR, MANAGER, OFFICER), lambda ids: {"pk": ids["teams_audit"]}),
    "audits:audit_edit": Page((AUDITOR,), lambda ids: {"pk": ids["own_audit"]}),
    "audits:audit_submit": Page((AUDITOR,), lambda ids: {"pk": ids["own_audit"]}),
    "audits:action_add": Page((AUDITOR,), lambda ids: {"pk": ids["own_audit"]}),
    "audits:audit_return": Page((OFFICER,), lambda ids: {"pk": ids["submitted_audit"]}),
    "audits:round_list": Page((OFFICER,)),
    "audits:round_random_new": Page((OFFICER,)),
    "audits:round_thematic_new": Page((OFFICER,)),
    "audits:round_detail": Page((OFFICER,), lambda ids: {"pk": ids["round"]}),
    "audits:moderation_queue": Page((MODERATOR,)),
    "audits:moderation_record": Page((MODERATOR,), lambda ids: {"pk": ids["moderation_audit"]}),
    "audits:action_list": Page((AUDITOR, MANAGER, OFFICER)),
    "audits:results": Page((MANAGER, OFFICER)),
    "audits:team_audits": Page((MANAGER,)),
    "audits:case_list": Page((MANAGER, OFFICER)),
    "audits:case_detail": Page((MANAGER, OFFICER), lambda ids: {"pk": ids["case"]}),
    "scorecards:index": Page(EVERYONE),
    "scorecards:scorecard": Page(EVERYONE, lambda ids: {"quarter": Q4}),
    "scorecards:version": Page((MEMBER, OFFICER), lambda ids: {"quarter": Q4, "version": 1}),
    "scorecards:level": Page(EVERYONE, lambda ids: {"quarter": Q4, "level": "assessment_safeguarding"}),
    "scorecards:panel": Page(EVERYONE, lambda ids: {"quarter": Q4, "panel": "audit"}),
    "scorecards:appendix": Page(EVERYONE, lambda ids: {"quarter": Q4}),
    "scorecards:version_level": Page(
        (MEMBER, OFFICER), lambda ids: {"quarter": Q4, "version": 1, "level": "early_help_universal"}
    ),
    "scorecards:version_panel": Page((MEMBER, OFFICER), lambda ids: {"quarter": Q4, "version": 1, "panel": "caseload"}),
    "scorecards:version_appendix": Page((MEMBER, OFFICER), lambda ids: {"quarter": Q4, "version": 1}),
    "scorecards:preview": Page((OFFICER,), lambda ids: {"quarter": NEXT}),
    "scorecards:preview_level": Page((OFFICER,), lambda ids: {"quarter": Q4, "level": "assessment_safeguarding"}),
    "scorecards:preview_panel": Page((OFFICER,), lambda ids: {"quarter": Q4, "panel": "audit"}),
    "scorecards:preview_appendix": Page((OFFICER,), lambda ids: {"quarter": Q4}),
    "scorecards:publish": Page((OFFICER,), lambda ids: {"quarter": NEXT}),
    "scorecards:key_issues": Page((OFFICER,), lambda ids: {"quarter": NEXT}),
    "scorecards:amend": Page((OFFICER,), lambda ids: {"quarter": Q4}),
    "scorecards:commentary": Page((OFFICER,), lambda ids: {"quarter": Q4, "indicator_id": ids["indicator"]}),
    "scorecards:pack": Page((MEMBER, OFFICER), lambda ids: {"quarter": Q4}),
}

NOT_VISITED: dict[str, str] = {
    "logout": "POST only: signs out and redirects",
    "healthz": "a JSON health check for load balancers, not a page",
    "password_change_done": "a confirmation reached only by changing a password; same template as password_change",
    "password_reset_confirm": "needs a one-time token from an email",
    "indicators:quarter_export": "a CSV, JSON or XLSX download, not a page",
    "audits:round_sample_check_csv": "a CSV download of a round's sample check, not a page",
    "audits:results_sample_check_csv": "a CSV download of a quarter's sample check, not a page",
    "indicators:import_preview": "needs an uploaded file: tests/indicators/test_browser.py uploads one and runs axe",
    "indicators:import_confirm": "POST only: imports a previewed batch and redirects",
    "indicators:import_cancel": "POST only: cancels a previewed batch and redirects",
    "indicators:import_progress": "JSON polled by the checking page of a large upload",
    "indicators:import_check": "POST only: queues the check of a large upload again and redirects",
    "audits:action_remove": "POST only: removes an action and redirects to the audit",
    "audits:audit_close": "POST only: closes an audit and redirects to it",
    "audits:round_send_for_moderation": "POST only: redirects to the round page",
    "audits:action_close": "POST only: redirects to the actions list",
    "scorecards:pack_status": "JSON polled by the pack page's progress bar",
    "scorecards:pack_download": "a PDF or XLSX download, not a page",
    "indicators:action_move": "POST only: moves an action along its lifecycle and redirects to it",
    "indicators:action_note_add": "POST only: adds a progress note and redirects to the action",
    "audits:import_preview": "needs an uploaded file: tests/browser/test_upload_pages.py uploads one and runs axe",
    "audits:import_confirm": "POST only: imports a previewed batch and redirects",
    "audits:import_cancel": "POST only: cancels a previewed batch and redirects",
    "audits:import_progress": "JSON polled by the checking page of a large upload",
    "audits:import_check": "POST only: queues the check of a large upload again and redirects",
    "caseloads:import_preview": "needs an uploaded file: tests/browser/test_upload_pages.py uploads one and runs axe",
    "caseloads:import_confirm": "POST only: imports a previewed batch and redirects",
    "caseloads:import_cancel": "POST only: cancels a previewed batch and redirects",
    "caseloads:import_progress": "JSON polled by the checking page of a large upload",
    "caseloads:import_check": "POST only: queues the check of a large upload again and redirects",
    "mfa:verify": "reached only half-way through signing in: tests/browser/test_sign_in_pages.py runs axe on it",
    "mfa:enrol": "needs a sign-in awaiting set-up: tests/browser/test_sign_in_pages.py runs axe on it",
    "mfa:recovery_codes": "shown once after set-up: tests/browser/test_sign_in_pages.py runs axe on it",
    "oidc_authentication_init": "redirects to the council's identity provider (tests/perfsite/test_oidc.py)",
    "oidc_authentication_callback": "the identity provider's redirect back, with a one-time code",
    "session_status": "JSON polled by the idle-timeout warning",
    "session_keep_alive": "POST only: JSON answer to the idle-timeout warning's 'stay signed in'",
}


def _names(patterns, namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's own admin, outside the service's pages (README: officers' record keeping)
            yield from _names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_pattern_is_visited_or_excused():
    names = set(_names(get_resolver().url_patterns))
    unlisted = sorted(names - PAGES.keys() - NOT_VISITED.keys())
    assert not unlisted, f"add these URL patterns to PAGES or NOT_VISITED (with a reason): {unlisted}"
    assert not PAGES.keys() & NOT_VISITED.keys()
    assert not (PAGES.keys() | NOT_VISITED.keys()) - names, "an entry names a URL pattern that no longer exists"


def _demo_ids() -> dict:
    from django.contrib.auth.models import User
    from django.utils import timezone

    from audits.choices import EDITABLE_STATUSES, AuditStatus
    from audits.models import Audit, AuditRound, Case, Moderation
    from caseloads.models import CaseloadReturn, ReturnStatus, Team
    from caseloads.months import add_months, first_of_month
    from caseloads.selectors import roster
    from caseloads.services.returns import save_return
    from indicators.models import Indicator, IndicatorValue, PerformanceAction

    manager = User.objects.get(username=MANAGER)
    team = Team.objects.filter(managers=manager).order_by("pk").first()
    submitted = CaseloadReturn.objects.filter(team=team, status=ReturnStatus.SUBMITTED).order_by("-month").first()
    # A complete draft for the check-and-submit page: the month now due, every figure entered.
    draft_month = add_months(first_of_month(timezone.localdate()), -1)
    workers = roster(team=team, month=draft_month)
    save_return(team=team, month=draft_month, expected_version=0, figures={w.pk: 10 for w in workers}, user=manager)
    own = Audit.objects.filter(auditor__username=AUDITOR, status__in=EDITABLE_STATUSES).order_by("pk").first()
    indicator = Indicator.objects.get(code="CASCYP 31")
    return {
        "indicator": indicator.pk,
        "value": IndicatorValue.objects.filter(indicator=indicator, series="actual").order_by("pk").first().pk,
        "team": team.pk,
        "worker": workers[0].pk,
        "draft_month": draft_month,
        "submitted_month": submitted.month,
        "own_audit": own.pk,
        "teams_audit": Audit.objects.filter(auditor__username=AUDITOR, team=team).order_by("pk").first().pk
        if Audit.objects.filter(auditor__username=AUDITOR, team=team).exists()
        else own.pk,
        "submitted_audit": Audit.objects.filter(status=AuditStatus.SUBMITTED, moderation__isnull=True)
        .order_by("pk")
        .first()
        .pk,
        "round": AuditRound.objects.order_by("pk").first().pk,
        "moderation_audit": Moderation.objects.filter(moderator__username=MODERATOR, moderated_at__isnull=True)
        .order_by("pk")
        .first()
        .pk,
        "case": Case.objects.filter(team=team).order_by("pk").first().pk,
        "action": PerformanceAction.objects.order_by("pk").first().pk,
    }


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_axe_finds_nothing_on_any_page_for_any_role(chromium, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_demo_users(password=PASSWORD)
    load_app_demos(stdout=io.StringIO())
    ids = _demo_ids()
    found, visited = {}, 0
    for role in (SIGNED_OUT, *EVERYONE):
        context = chromium.new_context(base_url=live_server.url, bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(20_000)
        try:
            if role != SIGNED_OUT:
                sign_in(page, role, PASSWORD)
                page.wait_for_url("**/")
            for name, spec in PAGES.items():
                if role not in spec.roles:
                    continue
                path = reverse(name, kwargs=(spec.kwargs or _none)(ids))
                response = page.goto(path)
                visited += 1
                if response is None or response.status >= 400:
                    found[f"{role} {path}"] = f"HTTP {response.status if response else 'none'}"
                    continue
                violations = axe_violations(page)
                if violations:
                    found[f"{role} {path}"] = violations
        finally:
            context.close()
    assert visited >= len(PAGES)
    summary = "\n".join(
        f"{where}: {problem if isinstance(problem, str) else [(v['id'], v['nodes'][:2]) for v in problem]}"
        for where, problem in found.items()
    )
    assert found == {}, summary
