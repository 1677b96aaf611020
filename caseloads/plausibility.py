"""When a caseload figure looks wrong enough that the manager must confirm it before it is saved.

Two tests, both configurable (``caseloads.conf``): more than 60 cases, or a change from last
month's figure by more than half of it. A change is only judged against a known figure above
zero: from 0 (a new starter building a caseload) any figure up to the cap is plausible.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from caseloads import conf


@dataclass(frozen=True)
class Implausibility:
    reason: str


def check(*, cases: int | None, last_month: int | None) -> Implausibility | None:
    if cases is None:
        return None
    cap = conf.implausible_cases()
    if cases > cap:
        return Implausibility(f"{cases} cases is more than {cap}")
    if last_month:
        share = conf.implausible_change()
        if abs(Decimal(cases - last_month)) > share * last_month:
            direction = "up" if cases > last_month else "down"
            return Implausibility(
                f"{cases} cases is {direction} from {last_month} last month, a change of more than {share * 100:.0f}%"
            )
    return None
