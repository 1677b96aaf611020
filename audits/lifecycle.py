"""The audit lifecycle as an explicit state machine.

allocated -> in progress -> submitted -> moderated -> closed, with two side doors: an auditor may
submit straight from allocated, and a performance officer may close a submitted audit that was not
sent for moderation, or return a submitted one (not yet moderated) to its auditor.
A transition from any other state raises InvalidTransition.
"""

from __future__ import annotations

from enum import StrEnum

from audits.choices import AuditStatus


class Transition(StrEnum):
    START = "start"
    SUBMIT = "submit"
    MODERATE = "moderate"
    CLOSE = "close"
    RETURN = "return"


TRANSITIONS: dict[Transition, tuple[frozenset[AuditStatus], AuditStatus]] = {
    Transition.START: (frozenset({AuditStatus.ALLOCATED}), AuditStatus.IN_PROGRESS),
    Transition.SUBMIT: (frozenset({AuditStatus.ALLOCATED, AuditStatus.IN_PROGRESS}), AuditStatus.SUBMITTED),
    Transition.MODERATE: (frozenset({AuditStatus.SUBMITTED}), AuditStatus.MODERATED),
    Transition.CLOSE: (frozenset({AuditStatus.SUBMITTED, AuditStatus.MODERATED}), AuditStatus.CLOSED),
    Transition.RETURN: (frozenset({AuditStatus.SUBMITTED}), AuditStatus.IN_PROGRESS),
}


class InvalidTransition(Exception):
    def __init__(self, transition: Transition, current: str):
        self.transition = transition
        self.current = current
        label = AuditStatus(current).label.lower() if current in AuditStatus.values else current
        allowed = ", ".join(sorted(AuditStatus(s).label.lower() for s in TRANSITIONS[transition][0]))
        super().__init__(f"An audit cannot {transition.value} when it is {label}; only when it is {allowed}.")


def can(transition: Transition, current: str) -> bool:
    return current in TRANSITIONS[transition][0]


def next_status(transition: Transition, current: str) -> AuditStatus:
    """The status ``transition`` leads to from ``current``; raises InvalidTransition if not allowed."""
    sources, target = TRANSITIONS[transition]
    if current not in sources:
        raise InvalidTransition(transition, current)
    return target
