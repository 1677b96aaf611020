"""The scorecard's caseload panel keeps the indicators' small-base rule (issue 9): a month resting on fewer
counted workers than PERFSITE_SMALLEST_WORKER_BASE is marked too few to rate and never set against the
optimum, the baseline or earlier months, on the page, in the PDF pack and in the XLSX sheet."""

import pytest
from django.template.loader import get_template

from caseloads.scorecard import PANEL, sheet
from indicators.quarters import Quarter
from tests.caseloads.conftest import MARCH_2017, make_return, make_team, make_worker

Q4 = Quarter.parse("2016-17-q4")
RATED = ("above the optimum", "below the optimum", "at the optimum", "(the baseline)", "share than", "share as")

pytestmark = pytest.mark.django_db


def _panel(workers, *, cases=25, wte="1.00"):
    team = make_team("Assessment North")
    make_return(team, MARCH_2017, [(make_worker(team, wte=wte), cases) for _ in range(workers)])
    return PANEL.build(Q4)


def _everywhere(panel):
    page = get_template(PANEL.template).render({"panel": panel})
    pack = get_template(PANEL.pack_template).render({"panel": panel})
    sheet_text = " ".join(str(cell) for line in sheet(panel) for cell in line.cells)
    return page, pack, sheet_text


@pytest.mark.parametrize(
    ("workers", "smallest", "too_few"),
    [(1, 5, True), (4, 5, True), (5, 5, False), (12, 5, False), (4, 2, False)],
)
def test_a_month_below_the_smallest_base_is_too_few_to_rate(settings, workers, smallest, too_few):
    settings.PERFSITE_SMALLEST_WORKER_BASE = smallest
    panel = _panel(workers)
    message = panel["message"]
    assert message.startswith("In March 2017 the average caseload was 25.0 cases per WTE")
    assert panel["too_few_to_rate"] is too_few
    page, pack, sheet_text = _everywhere(panel)
    if too_few:
        assert panel["smallest_base"] == smallest
        assert f"Too few to rate: fewer than {smallest} counted workers" in message
        assert not any(word in message for word in RATED)
        for shown in (page, pack, sheet_text):
            assert f"Too few to rate: fewer than {smallest} counted workers" in shown
    else:
        assert panel["smallest_base"] is None
        assert "above the optimum of 20" in message
        assert "too few to rate" not in (message + page + pack + sheet_text).lower()


def test_the_average_rests_on_counted_wte_as_its_indicator_row_does(settings):
    """Six part-time workers are 4.5 WTE: the average is too few to rate, as CASELOAD 1's row says."""
    settings.PERFSITE_SMALLEST_WORKER_BASE = 5
    panel = _panel(6, wte="0.75")
    assert panel["too_few_to_rate"] is True
    assert "optimum of" not in panel["message"] and "Too few to rate: fewer than 5 counted workers" in panel["message"]


def test_a_snapshot_frozen_before_the_rule_still_renders(settings):
    settings.PERFSITE_SMALLEST_WORKER_BASE = 5
    panel = _panel(12)
    for key in ("too_few_to_rate", "smallest_base"):
        del panel[key]
    page, pack, sheet_text = _everywhere(panel)
    assert "Average caseload per WTE, March 2017" in page
    assert "too few to rate" not in (page + pack + sheet_text).lower()
