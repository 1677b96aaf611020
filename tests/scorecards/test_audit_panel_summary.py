"""The audit panel's summary for the preview's first page (task preview2): exactly the whole panel's
``has_data`` and ``message``, without reading the sample check or the thematic rounds."""

from __future__ import annotations

from unittest import mock

import pytest

from audits import scorecard
from tests.scorecards.conftest import Q3, Q4, completed_audits, grades, make_team

pytestmark = pytest.mark.django_db


def built_message(quarter) -> dict:
    panel = scorecard.build(quarter)
    return {"has_data": panel["has_data"], "message": panel["message"]}


# (what the quarter holds, each team's grades): no audits; too few to rate; a team small enough that
# the team table hides the total of good or above; teams large enough to rate against the target.
CASES = [
    ("none", []),
    ("too few", [grades(good=2, inadequate=1)]),
    ("suppressed team", [grades(outstanding=2, good=10, requires_improvement=8), grades(good=1, inadequate=1)]),
    ("rated", [grades(outstanding=3, good=9, requires_improvement=6, inadequate=2), grades(good=7, inadequate=8)]),
]


@pytest.mark.parametrize(("name", "teams"), CASES, ids=[name for name, _ in CASES])
def test_the_summary_says_what_the_whole_panel_says(name, teams):
    for n, team_grades in enumerate(teams):
        team = make_team(f"Team {n}")
        completed_audits(team, Q4, team_grades)
        completed_audits(team, Q3, team_grades[: len(team_grades) // 2])  # a previous quarter to compare with
    assert scorecard.summary(Q4) == built_message(Q4)


def test_the_summary_reads_neither_the_sample_check_nor_the_thematic_rounds(small_scorecard):
    with (
        mock.patch("audits.scorecard.sample_check", side_effect=AssertionError("sample check read")),
        mock.patch("audits.scorecard.thematic_results", side_effect=AssertionError("thematic rounds read")),
    ):
        summarised = scorecard.summary(Q4)
    assert summarised["has_data"]
    assert summarised == built_message(Q4)


def test_the_panel_offers_its_summary_to_the_first_page():
    assert scorecard.PANEL.summary is scorecard.summary
