"""Key messages over a table of cases: met, not met, approaching, better and worse than last year,
neutral trackers, no comparator, missing figures and small counts."""

from decimal import Decimal

import pytest

from indicators.rag import Rag
from perfsite.formatting import clean_description, figure
from scorecards.messages import Tone, benchmark_sentence, headline_rag, key_message, subject, tone
from tests.scorecards.rows import make_row

REFERRALS = (
    "Percentage of statutory referrals received by the First Contact Team or Emergency Duty Team processed "
    "within 1 working day"
)
CAMHS = (
    "Percentage of Child and Adolescent Mental Health Services (CAMHS) patients who have attended a first "
    "appointment within nine weeks of their external referral date"
)
CSE = "Number of child sexual exploitation referrals [5]"
CPP_RATE = "Rate of children with a child protection plan per 10,000 population"
SMOKING = "Percentage of mothers smoking at time of delivery (Also in Altogether Healthier)"


CASES = [
    pytest.param(
        {"description": REFERRALS, "latest": "73.4", "target": "85.0", "twelve_months_earlier": "81.6"},
        "73.4% of statutory referrals received by the First Contact Team or Emergency Duty Team processed within "
        "1 working day (2016/17), against a target of 85.0%: target not met, worse than last year (81.6%).",
        Tone.ISSUE,
        Rag.RED,
        id="target-not-met-worse-than-last-year",
    ),
    pytest.param(
        {
            "description": "Percentage of children in need referrals occurring within 12 months of previous referral",
            "polarity": "lower",
            "latest": "18.9",
            "target": "19.5",
            "twelve_months_earlier": "21.1",
        },
        "18.9% of children in need referrals occurring within 12 months of previous referral (2016/17), against a "
        "target of 19.5%: target met, better than last year (21.1%).",
        Tone.POSITIVE,
        Rag.GREEN,
        id="target-met-better-than-last-year",
    ),
    pytest.param(
        {
            "description": SMOKING,
            "polarity": "lower",
            "latest": "17.4",
            "latest_label": "Oct - Dec 2016",
            "target": "17.2",
            "twelve_months_earlier": "18.0",
        },
        "17.4% of mothers smoking at time of delivery (Oct - Dec 2016), against a target of 17.2%: approaching "
        "target (within 2%), better than last year (18.0%).",
        Tone.ISSUE,
        Rag.AMBER,
        id="approaching-target",
    ),
    pytest.param(
        {
            "description": CAMHS,
            "kind": "tracker",
            "latest": "89.1",
            "previous": "87.4",
            "twelve_months_earlier": "77.3",
        },
        "89.1% of Child and Adolescent Mental Health Services (CAMHS) patients who have attended a first appointment "
        "within nine weeks of their external referral date (2016/17), better than last year (77.3%).",
        Tone.POSITIVE,
        Rag.GREEN,
        id="tracker-better-than-last-year",
    ),
    pytest.param(
        {
            "description": CPP_RATE,
            "unit": "per_10000",
            "kind": "tracker",
            "polarity": "lower",
            "latest": "50.0",
            "latest_label": "As at Mar 2017",
            "previous": "45.1",
            "twelve_months_earlier": "34.9",
        },
        "Rate of children with a child protection plan per 10,000 population: 50.0 (As at Mar 2017), worse than "
        "last year (34.9).",
        Tone.ISSUE,
        Rag.RED,
        id="tracker-worse-than-last-year",
    ),
    pytest.param(
        {
            "description": (
                "Percentage of children looked after who had all of their reviews completed within required timescale"
            ),
            "kind": "tracker",
            "latest": "94.0",
            "previous": "94.2",
            "twelve_months_earlier": "94.1",
        },
        "94.0% of children looked after who had all of their reviews completed within required timescale (2016/17), "
        "slightly worse than last year (94.1%).",
        Tone.NEUTRAL,
        Rag.AMBER,
        id="tracker-slightly-worse",
    ),
    pytest.param(
        {
            "description": CSE,
            "kind": "tracker",
            "polarity": "neutral",
            "unit": "count",
            "decimals": 0,
            "latest": "148",
            "previous": "143",
            "twelve_months_earlier": "211",
        },
        "148 child sexual exploitation referrals (2016/17), fewer than last year (211).",
        Tone.NEUTRAL,
        Rag.NA,
        id="neutral-count-fewer-than-last-year",
    ),
    pytest.param(
        {
            "description": "Percentage of 16 to 17 year olds who are not in education, employment or training (NEET)",
            "kind": "tracker",
            "polarity": "lower",
            "latest": "4.3",
            "latest_label": "Nov 2016 - Jan 2017",
            "previous": "4.1",
        },
        "4.3% of 16 to 17 year olds who are not in education, employment or training (NEET) (Nov 2016 - Jan 2017), "
        "worse than the previous period (4.1%).",
        Tone.ISSUE,
        Rag.RED,
        id="no-last-year-falls-back-to-previous-period",
    ),
    pytest.param(
        {
            "description": "Average attainment 8 score",
            "kind": "tracker",
            "unit": "score",
            "latest": "49.2",
            "latest_label": "2015/16 ac yr (final)",
        },
        "Average attainment 8 score: 49.2 (2015/16 ac yr (final)): there is no earlier figure to compare with.",
        Tone.NEUTRAL,
        Rag.NA,
        id="no-comparator",
    ),
    pytest.param(
        {"description": REFERRALS, "latest": "85.0", "target": "85.0", "twelve_months_earlier": "85.0"},
        "85.0% of statutory referrals received by the First Contact Team or Emergency Duty Team processed within "
        "1 working day (2016/17), against a target of 85.0%: target met, the same as last year (85.0%).",
        Tone.POSITIVE,
        Rag.GREEN,
        id="exactly-on-target-and-same-as-last-year",
    ),
    pytest.param(
        {
            "description": "Moving children in with adoptive family",
            "polarity": "lower",
            "unit": "days",
            "decimals": 0,
            "latest": "477",
            "target": "450",
        },
        "Moving children in with adoptive family: 477 days (2016/17), against a target of 450 days: target not met.",
        Tone.ISSUE,
        Rag.RED,
        id="days-not-met-no-last-year",
    ),
    pytest.param(
        {"description": REFERRALS, "latest": None, "target": "85.0"},
        "Percentage of statutory referrals received by the First Contact Team or Emergency Duty Team processed within "
        "1 working day: no figure has been reported for this quarter.",
        Tone.NEUTRAL,
        Rag.NA,
        id="no-figure",
    ),
    pytest.param(
        {
            "description": "Number of young people in custody",
            "kind": "tracker",
            "polarity": "lower",
            "unit": "count",
            "decimals": 0,
            "latest": "3",
            "twelve_months_earlier": "9",
        },
        "Number of young people in custody: c (2016/17): the figure is not shown because a count this small could "
        "identify a child.",
        Tone.NEUTRAL,
        Rag.NA,
        id="small-count-suppressed",
    ),
    pytest.param(
        {
            "description": "Number of children missing from care",
            "kind": "tracker",
            "polarity": "lower",
            "unit": "count",
            "decimals": 0,
            "latest": "40",
            "twelve_months_earlier": "4",
        },
        "40 children missing from care (2016/17).",
        Tone.ISSUE,
        Rag.NA,
        id="small-comparator-left-out",
    ),
    pytest.param(
        {
            "description": REFERRALS,
            "latest": "73.4",
            "target": "85.0",
            "latest_extra": {"status": "provisional"},
        },
        "73.4% of statutory referrals received by the First Contact Team or Emergency Duty Team processed within "
        "1 working day (2016/17), against a target of 85.0%: target not met. This figure is provisional.",
        Tone.ISSUE,
        Rag.RED,
        id="provisional",
    ),
]


@pytest.mark.parametrize(("fields", "expected", "expected_tone", "expected_rag"), CASES)
def test_key_message(fields, expected, expected_tone, expected_rag):
    row = make_row(**fields)
    message = key_message(row)
    assert message.text == expected
    assert message.tone == expected_tone
    assert message.rag == expected_rag
    assert message.code == row.code


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param(
            {
                "description": CPP_RATE,
                "unit": "per_10000",
                "polarity": "lower",
                "latest": "50.0",
                "latest_label": "As at Mar 2017",
                "national": ("43.1", "As at Mar 2016"),
                "regional": ("59.6", "As at Mar 2016"),
            },
            "Better than the North East average (59.6, As at Mar 2016) but worse than the England average "
            "(43.1, As at Mar 2016).",
            id="better-than-region-worse-than-england",
        ),
        pytest.param(
            {
                "description": "NEET",
                "polarity": "lower",
                "latest": "4.3",
                "national": ("2.7", "2016/17"),
                "regional": ("4.0", "2016/17"),
            },
            "Worse than the England average (2.7%) and the North East average (4.0%).",
            id="worse-than-both-same-period",
        ),
        pytest.param(
            {
                "description": "x",
                "polarity": "neutral",
                "latest": "10",
                "national": "12",
                "statistical_neighbours": "8",
            },
            "Higher than the statistical neighbours' average (8.0%); lower than the England average (12.0%).",
            id="neutral-direction-only",
        ),
        pytest.param({"description": "x", "latest": "10"}, None, id="no-benchmarks"),
    ],
)
def test_benchmark_sentence(fields, expected):
    assert benchmark_sentence(make_row(**fields)) == expected


def test_benchmarks_follow_the_main_sentence_and_name_the_configured_region():
    row = make_row(description=REFERRALS, latest="83.0", target="85.0", regional=("82.1", "2015/16"))
    message = key_message(row, region_name="North West")
    assert message.text.endswith("target not met. Better than the North West average (82.1%, 2015/16).")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"kind": "target", "latest": "73.4", "target": "85", "previous": "90"}, Rag.RED),
        ({"kind": "target", "latest": "73.4", "previous": "70"}, Rag.NA),
        ({"kind": "tracker", "latest": "73.4", "target": "85", "previous": "70"}, Rag.GREEN),
        ({"kind": "tracker", "latest": None, "previous": "70"}, Rag.NA),
    ],
)
def test_headline_rag_is_target_for_targets_and_previous_period_for_trackers(fields, expected):
    assert headline_rag(make_row(**fields)) == expected


def test_a_target_met_outweighs_being_worse_than_last_year():
    row = make_row(
        latest="382", polarity="lower", unit="per_100000", decimals=0, target="582", twelve_months_earlier="372"
    )
    assert tone(row) == Tone.POSITIVE
    assert "target met, worse than last year (372)" in key_message(row).text


@pytest.mark.parametrize(
    ("description", "unit", "expected"),
    [
        ("Percentage of children in poverty (quarterly proxy measure) (Also in Altogether Better Council)", "percent",
         "22.1% of children in poverty (quarterly proxy measure)"),
        ("% of audited case files graded good or above", "percent", "22.1% of audited case files graded good or above"),
        ("Number of children with a child protection plan", "count", "22.1 children with a child protection plan"),
        ("Percentage of CAMHS patients seen", "percent", "22.1% of CAMHS patients seen"),
        ("Average caseload per WTE", "number", "Average caseload per WTE: 22.1"),
        ("Number of referrals", "percent", "Number of referrals: 22.1%"),
    ],
)  # fmt: skip
def test_subject(description, unit, expected):
    row = make_row(description=description, unit=unit, latest="22.1")
    value = figure(Decimal("22.1"), unit=unit, decimals=1)
    assert subject(row, value) == expected


def test_clean_description_drops_cross_references_and_footnote_marks():
    assert clean_description("First time entrants (Also in Altogether Safer) [1]") == "First time entrants"


def test_a_tracker_also_compares_with_its_previous_period_when_that_is_another_figure():
    from dataclasses import replace

    row = make_row(
        description="Under 18 conception rate per 1,000 girls aged 15 to 17",
        kind="tracker",
        polarity="lower",
        unit="per_1000",
        latest="26.4",
        latest_label="Jan - Dec 2015",
        previous="26.1",
        twelve_months_earlier="28.5",
    )
    row = replace(
        row,
        previous=replace(row.previous, value_id=2),
        twelve_months_earlier=replace(row.twelve_months_earlier, value_id=3),
    )
    message = key_message(row)
    assert message.text == (
        "Under 18 conception rate per 1,000 girls aged 15 to 17: 26.4 (Jan - Dec 2015), better than last year "
        "(28.5), slightly worse than the previous period (26.1)."
    )
    assert message.rag == Rag.AMBER
