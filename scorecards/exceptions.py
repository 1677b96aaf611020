"""Exception reporting: the quarter's key performance issues, chosen by an officer for each level.

perfsite proposes, with the reason for each, the indicators rated RED against their headline
comparator (the target, or the previous period for a tracker) and, in each level, the
``WORSENED_PER_LEVEL`` that worsened most since the previous period (by the share of the previous
figure, in the direction the polarity says is worse). The officer confirms or changes the choice
and may add a short reason. Once a quarter has a choice, members read the chosen issues first in
each level and every other message under "Other messages"; until then the messages are grouped by
their tone, as before. See docs/scorecards.md ("Key performance issues").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from indicators.quarters import Quarter
from indicators.rag import Rag
from scorecards.messages import headline_rag
from scorecards.models import KeyIssue

WORSENED_PER_LEVEL = 2
REASON_MAX = 300


@dataclass(frozen=True)
class Proposal:
    indicator_id: int
    code: str
    level: str
    reason: str


def worsening(row) -> Decimal | None:
    """How much worse than the previous period, as a share of it (None when it cannot be said)."""
    latest, previous = row.latest.value, row.previous.value
    if getattr(row, "too_few_to_rate", False) or getattr(row.previous, "note", ""):
        return None  # too few cases, or an old figure against another period: no trend to report
    if row.polarity == "neutral" or not isinstance(latest, Decimal) or not isinstance(previous, Decimal):
        return None
    if previous == 0:
        return None
    change = (latest - previous) / abs(previous)
    return change if row.polarity == "lower" else -change


def proposals(rows, *, level_of) -> list[Proposal]:
    """The indicators perfsite proposes as key issues, each with why."""
    found: dict[int, Proposal] = {}
    for row in rows:
        if row.latest.value is not None and headline_rag(row) == Rag.RED:
            against = "its target" if row.kind == "target" else "the previous period"
            found[row.indicator_id] = Proposal(row.indicator_id, row.code, level_of(row.framework_level),
                                               f"RED against {against}")  # fmt: skip
    worse: dict[str, list] = {}
    for row in rows:
        share = worsening(row)
        if share is not None and share > 0:
            worse.setdefault(level_of(row.framework_level), []).append((share, row))
    for level, items in worse.items():
        for share, row in sorted(items, key=lambda item: (-item[0], item[1].code))[:WORSENED_PER_LEVEL]:
            why = f"worsened by {(share * 100).quantize(Decimal('0.1'))}% of the previous figure"
            if row.indicator_id in found:
                old = found[row.indicator_id]
                found[row.indicator_id] = Proposal(old.indicator_id, old.code, old.level, f"{old.reason}; {why}")
            else:
                found[row.indicator_id] = Proposal(row.indicator_id, row.code, level, upper(why))
    return sorted(found.values(), key=lambda p: (p.level, p.code))


def upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def chosen_for(quarter: Quarter) -> dict[int, str]:
    """The officer's key issues for ``quarter``: indicator id -> reason (empty when none chosen)."""
    return dict(KeyIssue.objects.filter(quarter=quarter.slug).values_list("indicator_id", "reason"))


@transaction.atomic
def choose_key_issues(*, quarter: Quarter, choices: dict[int, str], user) -> None:
    """Make ``choices`` (indicator id -> reason) the quarter's key issues, replacing any earlier choice."""
    for reason in choices.values():
        if len(reason) > REASON_MAX:
            raise ValueError(f"A reason must be {REASON_MAX} characters or fewer.")
    KeyIssue.objects.filter(quarter=quarter.slug).exclude(indicator_id__in=list(choices)).delete()
    now = timezone.now()
    for indicator_id, reason in choices.items():
        KeyIssue.objects.update_or_create(
            quarter=quarter.slug,
            indicator_id=indicator_id,
            defaults={"reason": reason, "chosen_by": user, "chosen_at": now},
        )
