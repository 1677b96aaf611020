"""The scorecard's audit panel keeps the indicators' small-base rule (issue 9): a quarter resting on fewer
audits than PERFSITE_SMALLEST_AUDIT_BASE is shown with its interval, marked too few to rate, and never
set against the target or earlier quarters, on the page, in the PDF pack and in the XLSX sheet."""

import datetime

import pytest
from django.template.loader import get_template

from audits.choices import Grade, RoundKind
from audits.scorecard import PANEL, sheet
from indicators.quarters import Quarter

Q4 = Quarter.parse("2016-17-q4")
DAY = datetime.date(2017, 2, 15)
RATED = ("target met", "target not met", "higher than", "lower than", "the same as")


def _panel(build, audited, good):
    team = build.team("Assessment North")
    random_round = build.round(kind=RoundKind.RANDOM, title="Random sample")
    for index in range(audited):
        build.completed(
            Grade.GOOD if index < good else Grade.INADEQUATE, team=team, round=random_round, completed_on=DAY
        )
    return PANEL.build(Q4)


def _sheet_text(panel):
    return " ".join(str(cell) for line in sheet(panel) for cell in line.cells)


@pytest.mark.parametrize(
    ("audited", "good", "smallest", "too_few", "figure"),
    [
        (1, 1, 10, True, None),  # one audit: hidden by disclosure, and never rated
        (9, 9, 10, True, "100.0% of audited case files (9 of 9)"),
        (10, 10, 10, False, "100.0% of audited case files (10 of 10)"),
        (12, 6, 10, False, "50.0% of audited case files (6 of 12)"),
        (9, 9, 3, False, "100.0% of audited case files (9 of 9)"),  # the base is a setting
    ],
)
def test_a_quarter_below_the_smallest_base_is_too_few_to_rate(
    build, settings, audited, good, smallest, too_few, figure
):
    settings.PERFSITE_SMALLEST_AUDIT_BASE = smallest
    panel = _panel(build, audited, good)
    message = panel["message"]
    assert panel["too_few_to_rate"] is too_few
    if figure:
        assert message.startswith(figure)
    page = get_template(PANEL.template).render({"panel": panel})
    pack = get_template(PANEL.pack_template).render({"panel": panel})
    if too_few:
        assert panel["smallest_base"] == smallest
        assert f"Too few to rate: fewer than {smallest} audits" in message
        assert not any(word in message for word in RATED)
        assert f"too few to rate (fewer than {smallest} audits)" in page
        assert "Too few to rate" in pack and "Too few to rate" in _sheet_text(panel)
    else:
        assert panel["smallest_base"] is None
        assert "target met" in message or "target not met" in message
        assert "too few to rate" not in (message + page + pack + _sheet_text(panel)).lower()


def test_too_few_audits_keep_their_interval_in_the_message(build, settings):
    settings.PERFSITE_SMALLEST_AUDIT_BASE = 10
    panel = _panel(build, 9, 9)
    interval = panel["overall"]["interval_display"]
    assert interval and f"95% interval {interval}" in panel["message"]
    assert ("Rating", "Too few to rate: fewer than 10 audits") in [line.cells for line in sheet(panel)]


def test_one_audit_is_never_rated(build, settings):
    settings.PERFSITE_SMALLEST_AUDIT_BASE = 10
    panel = _panel(build, 1, 1)
    assert panel["too_few_to_rate"] is True and panel["overall"]["pct"] == "c"
    assert not any(word in panel["message"] for word in RATED)
    assert "Too few to rate" in panel["message"]


def test_a_snapshot_frozen_before_the_rule_still_renders(build, settings):
    settings.PERFSITE_SMALLEST_AUDIT_BASE = 10
    panel = _panel(build, 12, 6)
    for key in ("too_few_to_rate", "smallest_base"):
        del panel[key]
    page = get_template(PANEL.template).render({"panel": panel})
    pack = get_template(PANEL.pack_template).render({"panel": panel})
    assert panel["message"] in page.replace("&#x27;", "'") and "too few to rate" not in page.lower()
    assert "too few to rate" not in pack.lower() and "too few to rate" not in _sheet_text(panel).lower()
