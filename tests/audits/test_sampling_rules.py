from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audits.sampling import draw, sample_size


@pytest.mark.parametrize(
    ("open_cases", "rate", "expected"),
    [
        (0, "5", 0),
        (1, "5", 1),  # at least one where the team has open cases
        (19, "5", 1),
        (20, "5", 1),
        (21, "5", 2),  # ceil(1.05)
        (40, "5", 2),
        (41, "5", 3),
        (350, "5", 18),  # ceil(17.5)
        (100, "2.5", 3),
        (3, "100", 3),
        (7, "50", 4),
    ],
)
def test_sample_size_is_the_ceiling_of_rate_times_open_cases(open_cases, rate, expected):
    assert sample_size(open_cases, Decimal(rate)) == expected


@pytest.mark.parametrize("rate", ["0", "-1", "100.01"])
def test_sample_size_rejects_rates_outside_0_to_100(rate):
    with pytest.raises(ValueError):
        sample_size(10, Decimal(rate))


def _teams(sizes):
    return {f"Team {i}": [f"C-{i:02d}{j:04d}" for j in range(size)] for i, size in enumerate(sizes)}


def test_each_team_is_sampled_at_the_rate():
    teams = _teams([100, 21, 5, 0])
    drawn = draw(teams, rate=Decimal(5), seed=7)
    assert {team: len(refs) for team, refs in drawn.items()} == {"Team 0": 5, "Team 1": 2, "Team 2": 1}
    for team, refs in drawn.items():
        assert set(refs) <= set(teams[team])
        assert len(set(refs)) == len(refs)


@given(st.lists(st.integers(0, 60), min_size=1, max_size=6), st.integers(0, 2**63 - 1))
def test_the_same_seed_draws_the_same_cases(sizes, seed):
    teams = _teams(sizes)
    assert draw(teams, rate=Decimal(5), seed=seed) == draw(teams, rate=Decimal(5), seed=seed)


def test_the_draw_does_not_depend_on_the_order_cases_arrive_in():
    teams = _teams([80])
    reversed_teams = {team: list(reversed(refs)) for team, refs in teams.items()}
    assert draw(teams, rate=Decimal(5), seed=3) == draw(reversed_teams, rate=Decimal(5), seed=3)


def test_a_teams_draw_does_not_change_when_another_team_changes():
    first = draw(_teams([80, 40]), rate=Decimal(5), seed=11)
    second = draw(_teams([80, 55]), rate=Decimal(5), seed=11)
    assert first["Team 0"] == second["Team 0"]


def test_different_seeds_draw_different_cases():
    teams = _teams([400])
    assert draw(teams, rate=Decimal(5), seed=1) != draw(teams, rate=Decimal(5), seed=2)


def test_seed_must_be_a_non_negative_63_bit_integer():
    with pytest.raises(ValueError):
        draw(_teams([5]), rate=Decimal(5), seed=-1)
