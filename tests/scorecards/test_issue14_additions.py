"""Members' two answers on the scorecard and in the pack: is the audit sample representative (with small
counts suppressed), and the open actions under each issue (a service, never a name). Snapshots
published before these additions still render."""

from __future__ import annotations

import copy
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from audits.representativeness import check_from_counts
from audits.representativeness_panel import HIDDEN_TEST, scorecard_addition
from indicators.action_models import PerformanceAction
from indicators.models import Indicator
from scorecards.models import PublishedScorecard
from scorecards.pack_pdf import render_pdf
from scorecards.pack_xlsx import render_xlsx
from scorecards.packs import pack_meta
from scorecards.publishing import publish
from tests.scorecards.conftest import Q4
from tests.scorecards.pdftext import pdf_text
from tests.scorecards.published import whole_scorecard

LABELS = {
    "team": {"North": "North", "South": "South"},
    "case_type": {"cin": "Child in need", "cp": "Child protection"},
    "time_open": {"under_3_months": "Under 3 months", "over_2_years": "Over 2 years"},
}


def check(population, sample):
    return check_from_counts(
        quarter="2016-17-q4",
        rounds=[{"id": 1, "title": "Random", "sampling_date": datetime.date(2017, 1, 3)}],
        population_cells=population,
        sample_cells=sample,
        labels=LABELS,
    )


def test_small_sample_counts_are_hidden_with_what_would_give_them_back():
    population = {("North", "cin", "over_2_years"): 400, ("South", "cin", "over_2_years"): 380,
                  ("North", "cp", "under_3_months"): 60, ("South", "cp", "over_2_years"): 40}  # fmt: skip
    sample = {("North", "cin", "over_2_years"): 20, ("South", "cin", "over_2_years"): 19,
              ("North", "cp", "under_3_months"): 3, ("South", "cp", "over_2_years"): 2}  # fmt: skip
    panel = scorecard_addition(check(population, sample))
    by_type = next(d for d in panel["dimensions"] if d["dimension"] == "case_type")
    cp = next(r for r in by_type["rows"] if r["label"] == "Child protection")
    assert cp["sample"] == "c" and cp["sample_share"] == "" and cp["flag"] == ""
    assert cp["population"] == "100" and cp["expected"] != ""
    assert by_type["test"] == HIDDEN_TEST
    by_team = next(d for d in panel["dimensions"] if d["dimension"] == "team")
    assert [r["sample"] for r in by_team["rows"]] == ["23", "21"]
    assert by_team["test"].startswith("χ² = ")
    assert panel["verdict"] in ("representative", "not representative", "too small to test")
    assert "3 January 2017" in panel["message"] and "880" in panel["message"]


def test_without_a_random_round_the_panel_says_so_and_names_thematic_rounds():
    from audits.representativeness import SampleCheck

    empty = SampleCheck(
        quarter="2016-17-q4", rounds=[], population=0, sample=0, dimensions=[], thematic_rounds=["Neglect"]
    )
    panel = scorecard_addition(empty)
    assert not panel["tested"] and "No random audit sample" in panel["message"]
    assert "Neglect" in panel["thematic_note"] and "not tested" in panel["thematic_note"]


@pytest.fixture
def published_with_action(small_scorecard, officer, manager):
    manager.first_name, manager.last_name = "Mina", "Moss"
    manager.save()
    indicator = Indicator.objects.get(code="CASCYP 31")
    PerformanceAction.objects.create(
        indicator=indicator, quarter=Q4.slug, description="Pilot the joint referral procedure with the police",
        owner=manager, owner_service="First Contact Service", due_on=datetime.date(2017, 9, 30), status="in_progress",
    )  # fmt: skip
    PerformanceAction.objects.create(
        indicator=indicator, quarter=Q4.slug, description="A finished action", owner_service="Somebody",
        due_on=datetime.date(2017, 5, 1), status="done",
    )  # fmt: skip
    return publish(quarter=Q4, user=officer)


@pytest.mark.django_db
def test_members_read_open_actions_under_the_issue_without_names(client, member, published_with_action):
    client.force_login(member)
    # The indicator's message is on its level's page (and on the first page when it is a key issue).
    page = re.sub(r"\s+", " ", whole_scorecard(client, reverse("scorecards:scorecard", kwargs={"quarter": Q4})))
    start = page.index('id="message-')
    assert "What is being done" in page[start:]
    assert "Pilot the joint referral procedure with the police" in page
    assert "Owner: First Contact Service" in page
    assert "A finished action" not in page
    assert "Moss" not in page and "Mina" not in page
    assert "Is the audit sample representative?" in page
    assert "Edit" not in re.sub(r"<[^>]+>", " ", page[start : start + 3000]).split("What is being done")[-1][:400]


@pytest.mark.django_db
def test_the_pack_carries_the_actions_appendix_and_the_sample_check(published_with_action):
    meta = pack_meta(published_with_action)
    text = pdf_text(render_pdf(published_with_action.snapshot, meta))
    assert "Appendix: performance actions" in text
    assert "Pilot the joint referral procedure" in text and "First Contact Service" in text
    assert "Is the audit sample representative?" in text
    assert "Moss" not in text
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(published_with_action.snapshot, meta)))
    actions = list(book["Actions"].iter_rows(values_only=True))
    assert actions[0][:3] == ("PI ref", "What will be done", "Owner")
    assert actions[1][0] == "CASCYP 31" and actions[1][2] == "First Contact Service"
    assert "Audit sample" in book.sheetnames


@pytest.mark.django_db
def test_a_snapshot_published_before_these_additions_still_renders(client, member, published_with_action):
    old = copy.deepcopy(published_with_action.snapshot)
    del old["audit"]["sample"], old["actions"]
    # Published rows are immutable: the old-style snapshot goes in as a later version of the quarter.
    published_with_action = PublishedScorecard.objects.create(
        quarter=Q4.slug, version=2, snapshot=old, sha256="0" * 64, reason="Published before issue 14",
        published_by=published_with_action.published_by, published_at=published_with_action.published_at,
    )  # fmt: skip
    client.force_login(member)
    page = whole_scorecard(client, reverse("scorecards:scorecard", kwargs={"quarter": Q4}))
    assert "Social work caseloads" in page  # the panels' own pages were read
    assert "What is being done" not in page and "Is the audit sample representative?" not in page
    meta = pack_meta(published_with_action)
    assert "Appendix: performance actions" not in pdf_text(render_pdf(old, meta))
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(old, meta)))
    assert "Actions" not in book.sheetnames and "Audit sample" not in book.sheetnames


@pytest.mark.django_db
def test_the_preview_does_not_query_per_action(client, officer, small_scorecard):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    indicator = Indicator.objects.get(code="CASCYP 31")

    def add_actions(count):
        for n in range(count):
            PerformanceAction.objects.create(
                indicator=indicator, quarter=Q4.slug, description=f"Action {n}", owner_service="Service",
                due_on=datetime.date(2017, 9, 30),
            )  # fmt: skip

    client.force_login(officer)
    preview = reverse("scorecards:preview", kwargs={"quarter": Q4})
    add_actions(1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(preview).status_code == 200
    add_actions(30)
    with CaptureQueriesContext(connection) as large:
        response = client.get(preview)
    assert response.status_code == 200 and response.content.decode().count("Owner: Service.") == 31
    assert len(large) == len(small)
