from decimal import Decimal

import pytest

from perfsite.stats import percentage, wilson_interval


@pytest.mark.parametrize(
    ("successes", "n", "expected"),
    [
        # The reference's baseline: Ofsted March 2016, 8 of 20 good or above.
        (8, 20, (Decimal("21.9"), Decimal("61.3"))),
        # The reference's Q4 2016/17: 76 of 158 (48%).
        (76, 158, (Decimal("40.4"), Decimal("55.8"))),
        (0, 10, (Decimal("0.0"), Decimal("27.8"))),
        (10, 10, (Decimal("72.2"), Decimal("100.0"))),
        (1, 1, (Decimal("20.7"), Decimal("100.0"))),
        (50, 100, (Decimal("40.4"), Decimal("59.6"))),
    ],
)
def test_wilson_interval_matches_hand_computed_figures(successes, n, expected):
    assert wilson_interval(successes, n) == expected


def test_wilson_interval_is_none_without_cases():
    assert wilson_interval(0, 0) is None


def test_a_wider_z_gives_a_wider_interval():
    low95, high95 = wilson_interval(8, 20)
    low99, high99 = wilson_interval(8, 20, z="2.576")
    assert low99 < low95 and high99 > high95


@pytest.mark.parametrize(("successes", "n"), [(-1, 5), (6, 5), (1, -1)])
def test_wilson_interval_rejects_impossible_counts(successes, n):
    with pytest.raises(ValueError):
        wilson_interval(successes, n)


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (8, 20, Decimal("40.0")),
        (76, 158, Decimal("48.1")),
        (1, 3, Decimal("33.3")),
        (2, 3, Decimal("66.7")),
        (1, 8, Decimal("12.5")),
        (0, 0, None),
    ],
)
def test_percentage_to_one_decimal_place_rounding_half_up(part, whole, expected):
    assert percentage(part, whole) == expected
