"""Against the whole demo: what a scrutiny member can see or download names no child's case and no
worker, the pack carries every Appendix 3 indicator, and members cannot open audits, caseloads or admin.

The demo is loaded once for the module inside a transaction that is rolled back at the end, so the
other test modules never see it.
"""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.db import transaction
from django.urls import URLPattern, reverse

from audits.models import Audit, AuditAction, AuditRound, Case, Moderation
from caseloads.models import CaseloadReturn, Team, Worker
from indicators.quarters import Quarter
from perfsite.demo import ensure_demo_users, load_app_demos
from scorecards.models import PublishedScorecard
from scorecards.pack_pdf import render_pdf
from scorecards.pack_xlsx import render_xlsx
from scorecards.packs import pack_meta
from tests.scorecards.pdftext import is_tagged, pdf_text

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

Q3, Q4 = Quarter.parse("2016-17-q3"), Quarter.parse("2016-17-q4")
PASSWORD = "demo-password-for-tests"

# Appendix 3 of the reference, Table 1 then Table 2: (Ref, PI ref, latest data as printed).
APPENDIX_3 = [
    (17, "CASCYP 15", "69.0"), (18, "CASAS5", "382"), (19, "CASCYP 9", "18.9"), (20, "CASCYP 31", "73.4"),
    (21, "CASCYP 32", "83.0"), (22, "CASCYP 14", "16.7"), (23, "CASCYP 8", "17.4"),
    (112, "CASCYP 33", "49.2"), (113, "CASCYP 37", "31.9"), (114, "CASCYP 16", "4.3"), (115, "CASCYP 34", "-12.5"),
    (116, "CASCYP 35", "-16"), (117, "ACE016", "22.1"), (118, "CASCYP 18", "24.3"), (119, "CASCYP 19", "37"),
    (120, "CASCYP 29", "45.9"), (121, "CASCYP 20", "26.4"), (122, "CASCYP 21", "6.6"), (123, "CASCYP 23", "14.9"),
    (124, "CASCYP 30", "89.1"), (125, "CASCYP 26", "489.4"), (126, "CASCYP 28", "50.0"), (127, "CASCYP 12", "94.4"),
    (128, "CASCYP 36", "148"), (129, "CASCYP 24", "80.8"), (130, "CASCYP 11", "94.0"),
]  # fmt: skip


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            ensure_demo_users(password=PASSWORD)
            load_app_demos(stdout=io.StringIO())
            secrets = {
                "case references": set(Case.objects.values_list("case_ref", flat=True)),
                "worker names": set(Worker.objects.values_list("name", flat=True)),
                "staff numbers": set(Worker.objects.values_list("staff_number", flat=True)),
            }
            yield secrets
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def leaks(text: str, secrets: dict[str, set[str]]) -> dict[str, list[str]]:
    """Every secret found in ``text``: references and staff numbers as whole tokens (so "C-000123" does
    not match inside "C-0001234"), names anywhere (case-insensitive)."""
    tokens = set(re.findall(r"[A-Za-z0-9][A-Za-z0-9-]*", text))
    lowered = " ".join(text.lower().split())
    found = {}
    for kind, values in secrets.items():
        if kind == "worker names":
            hits = [v for v in values if v and " ".join(v.lower().split()) in lowered]
        else:
            hits = [v for v in values if v in tokens]
        if hits:
            found[kind] = sorted(hits)[:5]
    return found


@pytest.fixture
def member_client(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="member"))
    return client


def test_the_demo_publishes_q3_and_q4(demo):
    assert set(PublishedScorecard.objects.values_list("quarter", "version")) == {(Q3.slug, 1), (Q4.slug, 1)}
    q4 = PublishedScorecard.objects.get(quarter=Q4.slug).snapshot
    assert q4["audit"]["overall"]["pct_display"] == "48.1%"
    assert q4["audit"]["overall"]["audited"] == "158"


def test_running_the_demo_again_changes_nothing(demo):
    before = list(PublishedScorecard.objects.order_by("pk").values_list("pk", "sha256"))
    from scorecards.demo import load_demo

    out = io.StringIO()
    load_demo(stdout=out)
    assert "(0 values changed)" in out.getvalue()
    assert list(PublishedScorecard.objects.order_by("pk").values_list("pk", "sha256")) == before


def test_member_pages_name_no_case_and_no_worker(member_client, demo):
    urls = [
        reverse("scorecards:index"),
        reverse("scorecards:scorecard", kwargs={"quarter": Q4}),
        reverse("scorecards:scorecard", kwargs={"quarter": Q3}),
        reverse("scorecards:version", kwargs={"quarter": Q4, "version": 1}),
        reverse("scorecards:pack", kwargs={"quarter": Q4}),
        reverse("home"),
    ]
    for url in urls:
        response = member_client.get(url)
        assert response.status_code == 200, url
        assert leaks(response.content.decode(), demo) == {}, url


def test_the_pack_names_no_case_and_no_worker_and_carries_appendix_3(demo):
    scorecard = PublishedScorecard.objects.get(quarter=Q4.slug)
    pdf = render_pdf(scorecard.snapshot, pack_meta(scorecard))
    assert is_tagged(pdf)
    text = pdf_text(pdf)
    assert leaks(text, demo) == {}
    assert "Table 1: Key target indicators" in text and "Table 2: Key tracker indicators" in text
    # Appendix 3's rows are printed once, level by level, each beside its level's key messages.
    assert "Appendix 3: summary of key performance indicators" in text
    start = text.index("One section per level of the framework")  # after the contents list
    levels = text[start : text.index("Appendix 3: summary", start)]
    for ref, code, latest in APPENDIX_3:
        assert re.search(rf"{re.escape(code)} \({ref}\) .+? {re.escape(latest)}", levels), (ref, code)
    # A row as the reference prints it: latest, period, target and RAG, 12 months earlier and RAG.
    assert "CASCYP 31 (20) Percentage of statutory referrals" in levels
    assert re.search(r"73\.4%? 2016/17 85\.0 RED 81\.6 RED", levels)

    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(scorecard.snapshot, pack_meta(scorecard))))
    cells = " ".join(
        str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row if value
    )
    assert leaks(cells, demo) == {}
    for _, code, _ in APPENDIX_3:
        assert code in cells


def _kwargs_for(pattern: URLPattern, ids: dict[str, int | str]) -> dict | None:
    kwargs = {}
    for name in pattern.pattern.converters:
        if name not in ids:
            return None
        kwargs[name] = ids[name]
    return kwargs


def test_members_cannot_open_any_audit_caseload_or_admin_page(member_client, demo):
    import audits.urls
    import caseloads.urls

    audit = Audit.objects.order_by("pk").first()
    team = Team.objects.order_by("pk").first()
    ids = {
        "pk": audit.pk,
        "action_pk": AuditAction.objects.order_by("pk").values_list("pk", flat=True).first() or 1,
        "team_id": team.pk,
        "worker_id": Worker.objects.order_by("pk").values_list("pk", flat=True).first(),
        "month": CaseloadReturn.objects.order_by("-month").values_list("month", flat=True).first(),
        "kind": "cases",  # an upload page's import (the guard refuses members before the kind is looked up)
    }
    tried = []
    for module in (audits.urls, caseloads.urls):
        for pattern in module.urlpatterns:
            kwargs = _kwargs_for(pattern, ids)
            assert kwargs is not None, f"no test value for {pattern.pattern}"
            if "month" in kwargs:
                kwargs["month"] = kwargs["month"].strftime("%Y-%m")
            url = reverse(f"{module.app_name}:{pattern.name}", kwargs=kwargs)
            response = member_client.get(url)
            if response.status_code == 405:  # a POST-only action: posting must be refused too
                response = member_client.post(url)
            assert response.status_code in (403, 404), (url, response.status_code)
            assert leaks(response.content.decode(), demo) == {}, url
            tried.append(url)
    # Other objects a member might guess at.
    for url in (
        reverse("audits:case_detail", kwargs={"pk": Case.objects.order_by("pk").first().pk}),
        reverse("audits:round_detail", kwargs={"pk": AuditRound.objects.order_by("pk").first().pk}),
        reverse("audits:moderation_record", kwargs={"pk": Moderation.objects.order_by("pk").first().pk}),
    ):
        assert member_client.get(url).status_code in (403, 404), url
    assert len(tried) >= 20
    for url in ("/admin/", "/admin/audits/case/", "/admin/caseloads/worker/", "/admin/scorecards/publishedscorecard/"):
        response = member_client.get(url)
        # Issue 10 part 7: the service's own 403 page, no longer a redirect to Django's admin sign-in.
        assert response.status_code == 403 and "You do not have access to this page" in response.text, url


def test_member_sees_no_preview_or_officer_actions(member_client, demo):
    assert member_client.get(reverse("scorecards:preview", kwargs={"quarter": Q4})).status_code == 403
    assert member_client.post(reverse("scorecards:publish", kwargs={"quarter": Q4})).status_code == 403
    assert member_client.get(reverse("scorecards:amend", kwargs={"quarter": Q4})).status_code == 403
    page = member_client.get(reverse("scorecards:scorecard", kwargs={"quarter": Q4})).content.decode()
    assert "Preview today" not in page and "Add commentary" not in page


def test_the_leak_check_finds_what_it_looks_for(client, demo):
    """The checks above would fail if a name or a reference were there: officers' pages show them."""
    from django.contrib.auth import get_user_model

    case = Case.objects.select_related("worker").filter(worker__isnull=False).order_by("pk").first()
    assert leaks(f"Audit of {case.case_ref} held by {case.worker.name}.", demo) == {
        "case references": [case.case_ref],
        "worker names": [case.worker.name],
    }
    assert leaks(f"{case.case_ref}9 and X{case.case_ref}", demo) == {}
    client.force_login(get_user_model().objects.get(username="officer"))
    page = client.get(reverse("audits:case_detail", kwargs={"pk": case.pk})).content.decode()
    assert "case references" in leaks(page, demo)
