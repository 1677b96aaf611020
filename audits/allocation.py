"""Independent, load-balanced allocation of cases to auditors: a plain function over plain data.

Independence: an auditor may not audit a case if they are its allocated worker, a worker in its
team, or a manager of its team (and, for moderation, the audit's own auditor).

Balance: the problem is a bipartite *semi-matching* (every case to exactly one eligible auditor,
auditors uncapped). We start from a greedy assignment (most constrained case first, to the least
loaded eligible auditor) and then repeat one improvement until none is left: find an alternating
path auditor ``a`` -> case -> auditor -> ... -> auditor ``b`` along which each case could move to
the next auditor, with ``load(a) >= load(b) + 2``, and shift the cases along it (``a`` loses one,
``b`` gains one, everyone between is unchanged). Each shift lowers the sum of squared loads by at
least 2, so it terminates. Harvey, Ladner, Lovász and Tamir (2006, "Semi-matchings for bipartite
graphs and load balancing") prove that an assignment without such a path is optimal for every
symmetric convex measure of imbalance at once: it has the smallest possible maximum load, the
largest possible minimum load, hence the smallest possible spread. So whenever independence allows
loads that differ by at most one, this finds such loads. The property tests check that against
brute force on small random instances.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AuditorFacts:
    """What independence needs to know about a possible auditor (a user)."""

    user_id: int
    name: str
    worker_team_id: int | None = None  # the team of the user's worker record, if any
    managed_team_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class CaseFacts:
    """What independence needs to know about a case to be audited."""

    key: Hashable
    case_ref: str
    team_id: int
    team_name: str
    worker_user_id: int | None = None  # the user account of the case's allocated worker
    # Further users excluded for this case and why, e.g. the audit's own auditor when moderating.
    other_exclusions: Mapping[int, str] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Refusal:
    case_ref: str
    team_name: str
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.case_ref} ({self.team_name}): {'; '.join(self.reasons)}"


class AllocationRefused(Exception):
    """No allocation was made because these cases have no independent auditor."""

    def __init__(self, refusals: Iterable[Refusal]):
        self.refusals = list(refusals)
        listed = "; ".join(str(refusal) for refusal in self.refusals)
        super().__init__(f"Nothing was allocated: {len(self.refusals)} case(s) have no independent auditor. {listed}")


def exclusion_reasons(auditor: AuditorFacts, case: CaseFacts) -> list[str]:
    """Why ``auditor`` may not audit ``case``; empty when they are independent of it."""
    reasons = []
    if case.worker_user_id is not None and case.worker_user_id == auditor.user_id:
        reasons.append(f"{auditor.name} is the case's allocated worker")
    if auditor.worker_team_id is not None and auditor.worker_team_id == case.team_id:
        reasons.append(f"{auditor.name} is a worker in {case.team_name}")
    if case.team_id in auditor.managed_team_ids:
        reasons.append(f"{auditor.name} manages {case.team_name}")
    if auditor.user_id in case.other_exclusions:
        reasons.append(f"{auditor.name} {case.other_exclusions[auditor.user_id]}")
    return reasons


def is_independent(auditor: AuditorFacts, case: CaseFacts) -> bool:
    return not exclusion_reasons(auditor, case)


def allocate(cases: Iterable[CaseFacts], auditors: Iterable[AuditorFacts]) -> dict[Hashable, int]:
    """Map each case's key to an independent auditor's user id, as evenly as independence allows.

    Deterministic for the same input. Raises AllocationRefused, allocating nothing, when any case
    has no independent auditor.
    """
    cases = sorted(cases, key=lambda case: (case.case_ref, str(case.key)))
    auditors = sorted({auditor.user_id: auditor for auditor in auditors}.values(), key=lambda a: a.user_id)
    eligible: dict[Hashable, list[int]] = {}
    refusals = []
    for case in cases:
        eligible[case.key] = [a.user_id for a in auditors if is_independent(a, case)]
        if not eligible[case.key]:
            if not auditors:
                reasons = ("there are no auditors to choose from",)
            else:
                reasons = tuple(reason for a in auditors for reason in exclusion_reasons(a, case))
            refusals.append(Refusal(case.case_ref, case.team_name, reasons))
    if refusals:
        raise AllocationRefused(refusals)
    if not cases:
        return {}

    order = {a.user_id: index for index, a in enumerate(auditors)}
    load = dict.fromkeys(order, 0)
    held: dict[int, list[Hashable]] = {user_id: [] for user_id in order}
    assignment: dict[Hashable, int] = {}
    # Most constrained first, so the greedy start is already close to balanced.
    for case in sorted(cases, key=lambda c: len(eligible[c.key])):
        chosen = min(eligible[case.key], key=lambda user_id: (load[user_id], order[user_id]))
        assignment[case.key] = chosen
        load[chosen] += 1
        held[chosen].append(case.key)

    while _improve_once(eligible, assignment, load, held, order):
        pass
    return assignment


def _improve_once(eligible, assignment, load, held, order) -> bool:
    """Shift cases along one load-reducing alternating path; False when none exists."""
    for source in sorted(load, key=lambda user_id: (-load[user_id], order[user_id])):
        parent: dict[int, tuple[int, Hashable]] = {}
        queue = deque([source])
        seen = {source}
        while queue:
            holder = queue.popleft()
            for case_key in held[holder]:
                for other in eligible[case_key]:
                    if other not in seen:
                        seen.add(other)
                        parent[other] = (holder, case_key)
                        queue.append(other)
        targets = [user_id for user_id in seen if user_id != source and load[user_id] <= load[source] - 2]
        if not targets:
            continue
        target = min(targets, key=lambda user_id: (load[user_id], order[user_id]))
        node = target
        while node != source:
            previous, case_key = parent[node]
            held[previous].remove(case_key)
            held[node].append(case_key)
            assignment[case_key] = node
            node = previous
        load[source] -= 1
        load[target] += 1
        return True
    return False
