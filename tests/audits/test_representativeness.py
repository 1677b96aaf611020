"""Sample representativeness: chi-square by hand, the small-count merge, strata that add up, the selector."""

import datetime
import math
import random

import pytest
from django.core.management import call_command

from audits.choices import RoundKind
from audits.models import AuditRound
from audits.population import months_before, time_open_band
from audits.representativeness import (
    NOT_REPRESENTATIVE,
    REPRESENTATIVE,
    TOO_SMALL,
    check_from_counts,
    goodness_of_fit,
    sample_check,
)
from indicators.quarters import Quarter


def phi(x):
    return 0.5 * math.erfc(-x / math.sqrt(2))


def p_df1(x):
    return 2 * (1 - phi(math.sqrt(x)))


def p_df2(x):
    return math.exp(-x / 2)


def p_df3(x):
    # The chi-square survival function for 3 degrees of freedom, in closed form.
    return 2 * (1 - phi(math.sqrt(x))) + math.sqrt(2 * x / math.pi) * math.exp(-x / 2)


def strata(populations, samples, labels="ABCD"):
    return [(lab, lab, p, s) for lab, p, s in zip(labels, populations, samples, strict=False)]


def test_no_merge_matches_the_hand_computation():
    # n = 100 of N = 1,000: expected 10, 20, 30, 40; chi-square 25/10 + 25/20 = 3.75 on 3 df.
    test = goodness_of_fit(strata([100, 200, 300, 400], [15, 15, 30, 40]), dimension="x", label="X")
    assert [s.expected for s in test.strata] == [10, 20, 30, 40]
    assert test.chi_square == pytest.approx(3.75)
    assert test.df == 3
    assert test.p_value == pytest.approx(p_df3(3.75), abs=1e-9)
    assert test.p_value == pytest.approx(0.2897, abs=1e-4)
    assert test.verdict == REPRESENTATIVE
    assert "no strata merged" in test.method
    assert test.strata[0].residual == pytest.approx(5 / math.sqrt(10))
    assert test.strata[0].flag == ""


def test_strata_with_expected_under_five_are_merged_and_named():
    # Expected 48, 48, 2.4, 1.6: D (1.6) joins C (2.4) -> 4.0, still under 5, so it joins A (48; the tie
    # with B goes to the first). Groups A+C+D: observed 56, expected 52; B: 44 against 48.
    test = goodness_of_fit(strata([480, 480, 24, 16], [40, 44, 8, 8]), dimension="x", label="X")
    assert test.merged == [["A", "C", "D"]]
    assert test.df == 1
    assert test.chi_square == pytest.approx(16 / 52 + 16 / 48)
    assert test.p_value == pytest.approx(p_df1(16 / 52 + 16 / 48), abs=1e-9)
    assert "merged: A + C + D" in test.method
    assert [s.group for s in test.strata] == ["A + C + D", "B", "A + C + D", "A + C + D"]
    # Residuals stay per stratum: D has 8 against 1.6 expected, far beyond +2.
    assert test.strata[3].residual == pytest.approx(6.4 / math.sqrt(1.6))
    assert test.strata[3].flag == "over"


def test_ordered_bands_merge_with_a_neighbour():
    # Expected 1, 15, 20, 14: the first band merges with the next: observed 15, 20, 15 against 16, 20, 14.
    test = goodness_of_fit(
        strata([20, 300, 400, 280], [4, 11, 20, 15]), dimension="time_open", label="Time open", ordered=True
    )
    assert test.merged == [["A", "B"]]
    assert test.df == 2
    assert test.chi_square == pytest.approx(1 / 16 + 1 / 14)
    assert test.p_value == pytest.approx(p_df2(1 / 16 + 1 / 14), abs=1e-9)


def test_a_skewed_sample_is_not_representative_and_flagged():
    test = goodness_of_fit(strata([500, 500], [80, 20]), dimension="x", label="X")
    # Expected 50 and 50: (30^2 + 30^2) / 50 = 36 on 1 df.
    assert test.chi_square == pytest.approx(36)
    assert test.verdict == NOT_REPRESENTATIVE
    assert [s.flag for s in test.strata] == ["over", "under"]


def test_too_small_to_test_when_merging_leaves_one_group():
    test = goodness_of_fit(strata([10, 10], [1, 1]), dimension="x", label="X")
    assert test.chi_square is None and test.p_value is None and test.df == 0
    assert test.verdict == TOO_SMALL
    assert "not tested" in test.method


def test_a_sample_larger_than_its_stratum_is_refused():
    with pytest.raises(ValueError, match="more sampled cases"):
        goodness_of_fit(strata([3, 10], [4, 1]), dimension="x", label="X")


def test_strata_always_add_up_to_the_sample_and_the_population():
    rng = random.Random(14)
    teams, types, bands = ["North", "South", "East"], ["cin", "cp", "lac"], ["under_3_months", "over_2_years"]
    labels = {"team": {t: t for t in teams}, "case_type": {t: t for t in types}, "time_open": {b: b for b in bands}}
    for _ in range(50):
        population = {(t, c, b): rng.randint(0, 40) for t in teams for c in types for b in bands}
        sample = {key: rng.randint(0, n) for key, n in population.items()}
        check = check_from_counts(
            quarter="2016-17-q4", rounds=[], population_cells=population, sample_cells=sample, labels=labels
        )
        for test in check.dimensions:
            assert test.population == check.population == sum(population.values())
            assert test.sample == check.sample == sum(sample.values())
            assert sum(s.expected for s in test.strata) == pytest.approx(check.sample)


@pytest.mark.parametrize(
    ("opened", "band"),
    [
        (datetime.date(2016, 10, 4), "under_3_months"),
        (datetime.date(2016, 10, 3), "3_to_12_months"),
        (datetime.date(2016, 1, 4), "3_to_12_months"),
        (datetime.date(2016, 1, 3), "1_to_2_years"),
        (datetime.date(2015, 1, 3), "over_2_years"),
    ],
)
def test_time_open_bands(opened, band):
    assert time_open_band(opened, datetime.date(2017, 1, 3)) == band


def test_months_before_clamps_to_the_month_end():
    assert months_before(datetime.date(2017, 5, 31), 3) == datetime.date(2017, 2, 28)


@pytest.fixture
def drawn(build):
    """Two teams, cases opened at known dates; a random round sampling some of them on 3 January 2017."""
    on = datetime.date(2017, 1, 3)
    north, south = build.team("North"), build.team("South")
    round_ = AuditRound.objects.create(kind=RoundKind.RANDOM, quarter="2016-17-q4", title="Random", sampling_date=on)
    cases = []
    for i in range(40):
        team = north if i % 2 else south
        opened = datetime.date(2016, 12, 1) if i < 8 else datetime.date(2014, 6, 1)
        cases.append(build.case(team, case_type="cp" if i % 4 == 0 else "cin", opened_on=opened))
    build.case(north, opened_on=datetime.date(2017, 2, 1))  # opened after the sampling date: not in the population
    build.case(north, opened_on=datetime.date(2015, 1, 1), closed_on=datetime.date(2016, 12, 31))  # closed before
    for case in cases[:10]:
        build.audit(case, round=round_)
    build.round(title="Neglect")
    return round_


def test_the_selector_counts_the_population_open_on_the_sampling_date(drawn):
    check = sample_check(quarter=Quarter.parse("2016-17-q4"))
    assert check.population == 40 and check.sample == 10
    by = {t.dimension: {s.value: (s.population, s.sample) for s in t.strata} for t in check.dimensions}
    assert by["team"] == {"North": (20, 5), "South": (20, 5)}
    assert by["case_type"] == {"cin": (30, 7), "cp": (10, 3)}
    assert by["time_open"] == {"under_3_months": (8, 8), "over_2_years": (32, 2)}
    assert check.thematic_rounds == ["Neglect"]
    # Case type (expected 7.5 and 2.5) and time open (2 and 8) merge into one group each: not testable.
    assert [t.verdict for t in check.dimensions] == [REPRESENTATIVE, TOO_SMALL, TOO_SMALL]
    assert check.verdict == REPRESENTATIVE


def test_the_selector_counts_a_round_drawn_without_a_population_once_then_reads_it(
    drawn, build, django_assert_num_queries
):
    # ``drawn`` was made straight in the tables, so nothing froze its population: the first check counts
    # it and keeps it; later checks read the kept rows, 2 queries whatever is added to the case list.
    quarter = Quarter.parse("2016-17-q4")
    first = sample_check(quarter=quarter)
    team = build.team("West")
    for _ in range(30):
        build.case(team, opened_on=datetime.date(2016, 3, 1))
    with django_assert_num_queries(2):
        again = sample_check(quarter=quarter)
    assert again.as_json() == first.as_json()


def test_the_command_prints_the_issues_keys(drawn, capsys):
    import json

    call_command("sample_check", "--quarter", "2016-17-q4", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"quarter", "population", "sample", "dimensions", "verdict"}
    assert set(data["dimensions"][0]) == {"dimension", "strata", "chi_square", "df", "p_value", "method"}
    assert set(data["dimensions"][0]["strata"][0]) == {"value", "population", "sample", "expected", "residual"}
    call_command("sample_check", "--quarter", "2016-17-q4", "--round", str(drawn.pk), "--format", "csv")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("quarter,population,sample,dimension,value")
    assert len(lines) == 1 + 2 + 2 + 2


def test_the_command_refuses_a_thematic_round_and_a_quarter_without_a_draw(drawn):
    from django.core.management.base import CommandError

    thematic = AuditRound.objects.get(title="Neglect")
    with pytest.raises(CommandError, match="chosen on purpose"):
        call_command("sample_check", "--quarter", "2016-17-q4", "--round", str(thematic.pk))
    with pytest.raises(CommandError, match="no random audit round"):
        call_command("sample_check", "--quarter", "2015-16-q1")
    with pytest.raises(CommandError, match="--quarter"):
        call_command("sample_check", "--quarter", "nonsense")


def reference_merge(groups, *, ordered):
    """The merge rule as written in docs/audits.md, one scan per step: the oracle for the fast merge."""
    groups = [dict(g) for g in groups]
    while len(groups) > 1 and min(g["expected"] for g in groups) < 5:
        i = min(range(len(groups)), key=lambda k: (groups[k]["expected"], k))
        others = (
            [k for k in (i - 1, i + 1) if 0 <= k < len(groups)]
            if ordered
            else [k for k in range(len(groups)) if k != i]
        )
        j = min(others, key=lambda k: (groups[k]["expected"], k))
        first, second = sorted((i, j))
        a, b = groups[first], groups[second]
        groups[first] = {k: a[k] + b[k] for k in ("labels", "observed", "expected")}
        del groups[second]
    return groups


@pytest.mark.parametrize("ordered", [False, True])
def test_the_merge_equals_the_rule_step_by_step_on_random_strata(ordered):
    from audits.representativeness import _merge

    rng = random.Random(1409)
    for _ in range(300):
        size = rng.randint(1, 60 if not ordered else 6)
        # Few distinct expected counts, so ties between strata are common.
        groups = [
            {
                "labels": [f"S{k}"],
                "observed": rng.randint(0, 9),
                "expected": rng.choice([0.5, 1.0, 2.5, 4.0, 6.0, 12.0]),
            }
            for k in range(size)
        ]
        assert _merge(groups, ordered=ordered) == reference_merge(groups, ordered=ordered)
