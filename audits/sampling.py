"""The random draw, stratified by team and reproducible from a recorded seed: plain functions.

For each team, ``ceil(rate% x open cases)`` cases, at least one where the team has open cases.
Each team's draw uses its own generator seeded from the round's seed and the team's name, so a
team's sample does not change when another team gains or loses cases.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from decimal import ROUND_CEILING, Decimal

MAX_SEED = 2**63 - 1


def validate_rate(rate: Decimal) -> Decimal:
    rate = Decimal(rate)
    if not (Decimal(0) < rate <= Decimal(100)):
        raise ValueError(f"The rate is a percentage above 0 and at most 100, not {rate}.")
    return rate


def validate_seed(seed: int) -> int:
    if not (0 <= int(seed) <= MAX_SEED):
        raise ValueError(f"The seed is a whole number from 0 to {MAX_SEED}, not {seed}.")
    return int(seed)


def sample_size(open_cases: int, rate: Decimal) -> int:
    """How many of a team's ``open_cases`` to draw at ``rate`` percent."""
    if open_cases <= 0:
        return 0
    rate = validate_rate(rate)
    size = int((rate * open_cases / Decimal(100)).to_integral_value(rounding=ROUND_CEILING))
    return min(open_cases, max(1, size))


def new_seed() -> int:
    """A fresh seed for a round whose officer did not choose one; it is recorded with the round."""
    return random.SystemRandom().randrange(0, 10**9)


def draw(cases_by_team: Mapping[str, Sequence[str]], *, rate: Decimal, seed: int) -> dict[str, list[str]]:
    """Draw case references per team; the same seed and the same open cases give the same draw."""
    seed = validate_seed(seed)
    rate = validate_rate(rate)
    drawn = {}
    for team_name in sorted(cases_by_team):
        refs = sorted(set(cases_by_team[team_name]))
        size = sample_size(len(refs), rate)
        if not size:
            continue
        generator = random.Random(f"{seed}:{team_name}")  # noqa: S311 - reproducibility, not secrecy
        drawn[team_name] = sorted(generator.sample(refs, size))
    return drawn
