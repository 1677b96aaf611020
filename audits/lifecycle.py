"""The audit lifecycle, declared once on the shared pattern (perfsite/lifecycle.py), with its guards.

allocated -> in progress -> submitted -> moderated -> closed, with side doors: an auditor may
submit straight from allocated; a performance officer may close a submitted audit that was not
sent for moderation, or return a submitted one (not yet sent for moderation) to its auditor; an
imported historic result is recorded closed. Every writer (services, demo loader, results import,
admin action) moves an audit with ``move``: a transition from any other state raises the one
``InvalidTransition``; a guard's objection raises ``TransitionRefused`` with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from audits.choices import AuditStatus, RoundKind
from perfsite.lifecycle import InvalidTransition, Lifecycle

__all__ = ["AUDIT_LIFECYCLE", "GUARDS", "InvalidTransition", "Transition", "TransitionRefused", "may", "move"]


class Transition(StrEnum):
    START = "start"
    SUBMIT = "submit"
    MODERATE = "moderate"
    CLOSE = "close"
    RETURN = "return"
    RECORD = "record"


AUDIT_LIFECYCLE = Lifecycle(
    "audit",
    AuditStatus,
    {
        Transition.START: ({AuditStatus.ALLOCATED}, AuditStatus.IN_PROGRESS),
        Transition.SUBMIT: ({AuditStatus.ALLOCATED, AuditStatus.IN_PROGRESS}, AuditStatus.SUBMITTED),
        Transition.MODERATE: ({AuditStatus.SUBMITTED}, AuditStatus.MODERATED),
        Transition.CLOSE: ({AuditStatus.SUBMITTED, AuditStatus.MODERATED}, AuditStatus.CLOSED),
        Transition.RETURN: ({AuditStatus.SUBMITTED}, AuditStatus.IN_PROGRESS),
        # A historic result from a file is born closed: it was audited, and moderated, elsewhere.
        Transition.RECORD: ({AuditStatus.ALLOCATED}, AuditStatus.CLOSED),
    },
)


class TransitionRefused(ValueError):
    """The audit's state allows the transition but one of its side conditions does not."""


def _moderation(audit):
    return getattr(audit, "moderation", None)


def _not_sent_for_moderation(audit) -> str | None:
    if _moderation(audit) is not None:
        return "This audit has been sent for moderation, so it cannot be returned to its auditor."
    return None


def _no_moderation_pending(audit) -> str | None:
    moderation = _moderation(audit)
    if moderation is not None and moderation.is_pending:
        return f"{audit.case.case_ref} is waiting for moderation, so it cannot be closed yet."
    return None


def _sent_for_moderation(audit) -> str | None:
    if _moderation(audit) is None:
        return "This audit has not been sent for moderation."
    return None


def _historic_round(audit) -> str | None:
    if audit.round.kind != RoundKind.HISTORIC:
        return "Only an imported historic result is recorded closed; a live audit is submitted by its auditor."
    return None


# The side conditions of each transition: one home, used by the services and by the pages that
# decide which buttons to show. Each returns why the transition is refused, or None.
GUARDS: dict[Transition, tuple[Callable[..., str | None], ...]] = {
    Transition.MODERATE: (_sent_for_moderation,),
    Transition.CLOSE: (_no_moderation_pending,),
    Transition.RETURN: (_not_sent_for_moderation,),
    Transition.RECORD: (_historic_round,),
}


def objection(audit, transition: Transition) -> str | None:
    """Why ``transition`` may not be made from the audit's state and circumstances; None when it may."""
    if not AUDIT_LIFECYCLE.can(transition, audit.status):
        return str(InvalidTransition(AUDIT_LIFECYCLE, transition, audit.status))
    for guard in GUARDS.get(transition, ()):
        reason = guard(audit)
        if reason:
            return reason
    return None


def may(audit, transition: Transition) -> bool:
    return objection(audit, transition) is None


def move(audit, transition: Transition) -> str:
    """Set the audit's status to where ``transition`` leads (not saved); raises if the move is not allowed."""
    target = AUDIT_LIFECYCLE.next_status(transition, audit.status)
    for guard in GUARDS.get(transition, ()):
        reason = guard(audit)
        if reason:
            raise TransitionRefused(reason)
    audit.status = target
    return target
