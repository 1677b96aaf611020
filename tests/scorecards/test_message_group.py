"""One level's key messages are written once (scorecards/includes/message_group.html): on the scorecard
under the level's own h3, so as h4; on the level's own published page one level up, as h3."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string

ISSUE = {"indicator_id": 1, "rag": "R", "code": "NI 62", "text": "Placement stability fell to 9%."}
OTHER = {"indicator_id": 2, "rag": "G", "code": "NI 63", "text": "Long-term placements held at 71%."}
MISSING = {"code": "CSC 9", "description": "Care leavers in suitable accommodation"}


def scorecard_part(group: dict) -> str:
    snapshot = {"key_messages": [{"key": "corporate_parenting", "label": "Corporate parenting", **group}]}
    return render_to_string("scorecards/includes/key_messages.html", {"snapshot": snapshot})


def level_page(group: dict) -> str:
    snapshot = {"quarter": {"label": "Q4 2016/17"}, "disclosure": "Figures as published."}
    section = {"key": "corporate_parenting", "label": "Corporate parenting", "rows": []}
    return render_to_string(
        "scorecards/frozen/level.html", {"snapshot": snapshot, "section": section, "group": group, "dynamic_mark": ""}
    )


def headings(html: str) -> list[tuple[str, str, str]]:
    return re.findall(r'<(h\d) class="govuk-heading-(\w+)"[^>]*>([^<]*)</h\d>', html)


@pytest.mark.parametrize("render", [scorecard_part, level_page])
def test_both_pages_take_the_level_s_messages_from_the_one_include(render, templates_used):
    render({"issues": [ISSUE], "others": [], "not_reported": []})
    assert "scorecards/includes/message_group.html" in templates_used


GROUPS = [
    # group, the sub-headings in order, whether the "no figure" line shows
    ({"issues": [ISSUE], "others": [OTHER], "not_reported": [MISSING]},
     ["Key performance issues to address or keep under scrutiny", "Other messages"], True),
    ({"issues": [], "others": [OTHER], "not_reported": []}, ["Messages"], False),
    ({"issues": [ISSUE], "others": [], "not_reported": []},
     ["Key performance issues to address or keep under scrutiny"], False),
    ({"issues": [], "others": [], "not_reported": [MISSING]}, [], True),
]  # fmt: skip


@pytest.mark.parametrize(("group", "expected", "no_figure"), GROUPS)
@pytest.mark.parametrize(
    ("render", "sub_level", "size"),
    [(scorecard_part, "h4", "s"), (level_page, "h3", "m")],
)
def test_a_level_s_messages_sit_one_heading_below_the_level(render, sub_level, size, group, expected, no_figure):
    html = render(group)
    subs = [(level, cls, text) for level, cls, text in headings(html) if text in ({*expected} | {"Messages"})]
    assert subs == [(sub_level, size, text) for text in expected]
    assert ("No figure was reported this quarter for: CSC 9 (Care leavers in suitable accommodation)." in html) is (
        no_figure
    )
    assert html.count("NI 62:") == bool(group["issues"]) and html.count("NI 63:") == bool(group["others"])


def test_the_scorecard_keeps_the_level_as_h3_above_its_messages():
    html = scorecard_part({"issues": [ISSUE], "others": [OTHER], "not_reported": []})
    assert [(level, text) for level, _, text in headings(html)] == [
        ("h2", "Key performance messages"),
        ("h3", "Corporate parenting"),
        ("h4", "Key performance issues to address or keep under scrutiny"),
        ("h4", "Other messages"),
    ]


def test_a_level_page_without_messages_says_so():
    html = level_page(None)
    assert "There are no messages at this level for this quarter." in html
    assert "Key performance issues to address" not in html
