"""The scorecard's panels come from their source apps (``perfsite.scorecard_panels``), and a scorecard
frozen before snapshots listed their panels (schema 1) still renders on the page and in the pack."""

from __future__ import annotations

import io
import re

import pytest
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from scorecards.models import PublishedScorecard
from scorecards.pack_pdf import render_html
from scorecards.pack_xlsx import render_xlsx
from scorecards.packs import pack_meta
from scorecards.panels import panel_sections, providers
from scorecards.publishing import describe_changes
from scorecards.snapshot import all_charts, build_snapshot, snapshot_sha256
from scorecards.sources import gather_sources
from tests.scorecards.conftest import Q4
from tests.scorecards.published import whole_scorecard

pytestmark = pytest.mark.django_db


def test_each_source_app_provides_its_panel_in_the_reports_order():
    panels = providers()
    assert [(p.key, p.title, p.anchor) for p in panels] == [
        ("audit", "Quality of case files", "audits"),
        ("caseload", "Social work caseloads", "caseloads"),
    ]
    assert [p.build.__module__ for p in panels] == ["audits.scorecard", "caseloads.scorecard"]
    for panel in panels:
        get_template(panel.template), get_template(panel.pack_template)  # both exist


def test_an_empty_quarter_still_has_a_message_in_each_panel():
    snapshot = build_snapshot(gather_sources(Q4))
    assert [p["key"] for p in snapshot["panels"]] == ["audit", "caseload"]
    sample = snapshot["audit"].pop("sample")
    assert snapshot["audit"] == {"has_data": False, "message": f"No case-file audits were completed in {Q4.label}."}
    assert sample["tested"] is False and "No random audit sample was drawn" in sample["message"]
    assert snapshot["caseload"]["has_data"] is False


def legacy(snapshot: dict) -> dict:
    """The same snapshot as schema 1 froze it: no list of panels."""
    old = {key: value for key, value in snapshot.items() if key != "panels"}
    old["schema"] = 1
    return old


def test_a_schema_1_snapshot_lists_the_same_panels(small_scorecard):
    snapshot = build_snapshot(gather_sources(Q4))
    old = legacy(snapshot)
    strip = [{k: s[k] for k in ("key", "title", "anchor", "data", "template")} for s in panel_sections(snapshot)]
    assert [{k: s[k] for k in ("key", "title", "anchor", "data", "template")} for s in panel_sections(old)] == strip
    assert all_charts(old) == all_charts(snapshot)
    assert describe_changes(old, snapshot) == ["Presentation details were revised; no figure changed."]
    changed = {**snapshot, "audit": {**snapshot["audit"], "team_rows": []}}
    assert "Case-file audits: figures were revised." in describe_changes(old, changed)


def test_a_published_schema_1_scorecard_renders_its_panels(client, member, officer, small_scorecard):
    frozen = build_snapshot(gather_sources(Q4))
    old = legacy(frozen)
    scorecard = PublishedScorecard.objects.create(
        quarter=Q4.slug,
        version=1,
        snapshot=old,
        sha256=snapshot_sha256(old),
        published_by=officer,
        published_at=timezone.now(),
    )
    client.force_login(member)
    page = re.sub(r"\s+", " ", client.get(reverse("scorecards:scorecard", kwargs={"quarter": Q4})).content.decode())
    assert '<h2 class="govuk-heading-l" id="audits">Quality of case files</h2>' in page
    # Each panel's charts and tables are on its own page, linked from the first page.
    page += re.sub(r"\s+", " ", whole_scorecard(client, reverse("scorecards:scorecard", kwargs={"quarter": Q4})))
    assert '<a class="govuk-link" href="#caseloads">Social work caseloads</a>' in page
    assert frozen["audit"]["message"].replace("'", "&#x27;") in page
    assert "Data for: Average caseload per WTE, by month, against the optimum" in page

    meta = pack_meta(scorecard)
    html = render_html(scorecard.snapshot, meta)
    assert '<section id="audits">' in html and '<a href="#caseloads">Social work caseloads</a>' in html
    book = load_workbook(io.BytesIO(render_xlsx(scorecard.snapshot, meta)), read_only=True)
    assert {"Audits", "Caseloads"} <= set(book.sheetnames)
    assert next(book["Audits"].iter_rows(values_only=True))[0] == "Quality of case files"
