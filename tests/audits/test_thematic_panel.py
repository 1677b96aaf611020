"""Thematic rounds' results for members (issue 9, build 4): their own section of the audit panel, frozen in
the snapshot, the pack and its XLSX, labelled as not representative, under disclosure control."""

from __future__ import annotations

import datetime
import io
import json

import openpyxl
import pytest
from django.urls import reverse

from audits.choices import Grade, RoundKind, Theme
from audits.models import AuditAction
from audits.rollups import GradeCounts, GroupRollup
from audits.scorecard import PANEL, build
from audits.thematic import ThematicRound
from audits.thematic_panel import NOT_REPRESENTATIVE, sheet_lines, thematic_addition
from indicators.quarters import Quarter
from scorecards.pack_pdf import render_html
from scorecards.pack_xlsx import render_xlsx
from scorecards.packs import pack_meta
from scorecards.publishing import publish
from tests.scorecards.published import whole_scorecard

Q4 = Quarter.parse("2016-17-q4")
DAY = datetime.date(2017, 2, 15)


def _round(grades: dict[str, int], *, themes: dict[str, dict[str, int]] | None = None, actions=(0, 0)):
    by_theme = [
        GroupRollup(**vars(GradeCounts.from_grades(counts)), key=key, label=Theme(key).label)
        for key, counts in (themes or {}).items()
    ]
    return ThematicRound(
        round_id=1,
        title="Neglect",
        counts=GradeCounts.from_grades(grades),
        by_theme=by_theme,
        actions=actions[0],
        open_actions=actions[1],
    )


@pytest.mark.parametrize(
    ("grades", "published", "audited"),
    [
        # Nothing small: every count shown.
        ({"outstanding": 6, "good": 10, "requires_improvement": 8, "inadequate": 7}, ["6", "10", "8", "7"], "31"),
        # Zero is not confidential.
        ({"good": 12, "requires_improvement": 9}, ["0", "12", "9", "0"], "21"),
        # One small count, and the total would give it back: the next smallest is hidden too.
        ({"outstanding": 0, "good": 8, "requires_improvement": 7, "inadequate": 2}, ["0", "8", "c", "c"], "17"),
        # A round of 4: the total is small itself, so every non-zero count and the total are hidden.
        ({"good": 3, "inadequate": 1}, ["0", "c", "0", "c"], "c"),
    ],
)
def test_a_rounds_grades_are_published_as_one_row_with_its_total(grades, published, audited):
    (found,) = thematic_addition([_round(grades)])["rounds"]
    assert found["grades"] == published
    assert found["audited"] == audited


@pytest.mark.parametrize(
    ("actions", "raised", "still_open"),
    [((0, 0), "0", "0"), ((12, 6), "12", "6"), ((12, 3), "12", "c"), ((9, 6), "9", "c"), ((3, 0), "c", "0")],
)
def test_actions_raised_and_still_open_never_give_a_small_count_back(actions, raised, still_open):
    (found,) = thematic_addition([_round({"good": 20}, actions=actions)])["rounds"]
    assert (found["actions"], found["open_actions"]) == (raised, still_open)


def test_theme_grades_are_one_table_with_a_total_per_theme():
    themes = {
        "safeguarding": {"good": 10, "requires_improvement": 10},
        "voice_of_the_child": {"good": 17, "inadequate": 3},
    }
    (found,) = thematic_addition([_round({"good": 20}, themes=themes)])["rounds"]
    assert found["themes"] == [
        {"theme": "Safeguarding", "cells": ["0", "10", "10", "0"], "total": "20"},
        {"theme": "The Voice of the Child", "cells": ["0", "c", "0", "c"], "total": "20"},
    ]


def test_no_thematic_round_no_section():
    assert thematic_addition([]) is None
    assert sheet_lines(None) == []


def test_the_sheet_writes_counts_as_numbers_and_markers_as_text():
    thematic = thematic_addition([_round({"good": 8, "requires_improvement": 7, "inadequate": 2}, actions=(7, 1))])
    lines = sheet_lines(thematic)
    texts = [line.cells for line in lines]
    assert ("Thematic rounds",) in texts and (NOT_REPRESENTATIVE,) in texts
    assert ("All audits in the round", 0, 8, "c", "c", 17) in texts
    assert ("Actions raised", 7) in texts and ("Actions still open", "c") in texts


@pytest.fixture
def quarter_with_a_thematic_round(build):
    """A random round of 14 and a thematic round on neglect of 15, with an action, in Q4 2016/17, one team."""
    team = build.team("Assessment North")
    random_round = build.round(kind=RoundKind.RANDOM, title="Random sample")
    for grade in [Grade.GOOD] * 8 + [Grade.REQUIRES_IMPROVEMENT] * 6:
        build.completed(grade, round=random_round, completed_on=DAY, team=team)
    neglect = build.round(kind=RoundKind.THEMATIC, title="Neglect")
    audits = [
        build.completed(grade, round=neglect, completed_on=DAY, team=team)
        for grade in [Grade.GOOD] * 7 + [Grade.REQUIRES_IMPROVEMENT] * 6 + [Grade.INADEQUATE] * 2
    ]
    AuditAction.objects.create(audit=audits[-1], description="Review the plan", due_on=DAY, owner=build.user())
    return audits


def test_the_audit_panel_shows_thematic_rounds_apart_from_the_random_figure(quarter_with_a_thematic_round):
    panel = build(Q4)
    assert (panel["overall"]["audited"], panel["overall"]["good_or_above"]) == ("14", "8")  # random only
    thematic = panel["thematic"]
    assert thematic["label"].startswith("Not representative")
    (neglect,) = thematic["rounds"]
    assert neglect["title"] == "Neglect"
    assert neglect["audited"] == "15"
    assert neglect["grades"] == ["0", "7", "c", "c"]  # 2 inadequate is small; 6 hidden so it cannot be worked out
    assert (neglect["actions"], neglect["open_actions"]) == ("c", "c")
    assert "thematic" in PANEL.figures  # an amendment reports a change to them


def test_members_never_see_a_case_ref_or_a_worker_name(quarter_with_a_thematic_round):
    text = json.dumps(build(Q4)["thematic"])
    for audit in quarter_with_a_thematic_round:
        assert audit.case.case_ref not in text
        assert audit.case.worker is None or audit.case.worker.name not in text


def test_a_quarter_without_thematic_rounds_leaves_the_key_out(build):
    random_round = build.round(kind=RoundKind.RANDOM, title="Random sample")
    build.completed(Grade.GOOD, round=random_round, completed_on=DAY)
    assert "thematic" not in PANEL.build(Q4)


@pytest.mark.django_db
def test_the_published_scorecard_and_its_pack_show_the_section(quarter_with_a_thematic_round, officer, member, client):
    published = publish(quarter=Q4, user=officer)
    assert published.snapshot["audit"]["thematic"]["rounds"][0]["title"] == "Neglect"
    client.force_login(member)
    # The section is on the audit panel's own page, linked from the first page.
    html = whole_scorecard(client, reverse("scorecards:scorecard", kwargs={"quarter": Q4}))
    meta = pack_meta(published)
    pack = render_html(published.snapshot, meta)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(published.snapshot, meta)))
    sheet = [tuple(c for c in row if c is not None) for row in book["Audits"].iter_rows(values_only=True)]
    for shown in (html, pack):
        assert "Thematic rounds" in shown and "Neglect: audited case files by grade (not representative)" in shown
        assert "Not representative: thematic rounds audit cases chosen for a theme" in shown
        for audit in quarter_with_a_thematic_round:
            assert audit.case.case_ref not in shown
    assert ("All audits in the round", 0, 7, "c", "c", 15) in sheet
    assert (NOT_REPRESENTATIVE,) in sheet
