"""The audit lifecycle: the declared table from every state, and the guards each transition carries."""

from types import SimpleNamespace

import pytest

from audits.choices import AuditStatus as S
from audits.choices import RoundKind
from audits.lifecycle import AUDIT_LIFECYCLE, InvalidTransition, Transition, TransitionRefused, may, move, objection
from perfsite import lifecycle

ALLOWED = {
    (Transition.START, S.ALLOCATED): S.IN_PROGRESS,
    (Transition.SUBMIT, S.ALLOCATED): S.SUBMITTED,
    (Transition.SUBMIT, S.IN_PROGRESS): S.SUBMITTED,
    (Transition.MODERATE, S.SUBMITTED): S.MODERATED,
    (Transition.CLOSE, S.SUBMITTED): S.CLOSED,
    (Transition.CLOSE, S.MODERATED): S.CLOSED,
    (Transition.RETURN, S.SUBMITTED): S.IN_PROGRESS,
    (Transition.RECORD, S.ALLOCATED): S.CLOSED,
}

EVERY_PAIR = [(transition, status) for transition in Transition for status in S]


@pytest.mark.parametrize(("transition", "status"), EVERY_PAIR)
def test_every_transition_from_every_state(transition, status):
    expected = ALLOWED.get((transition, status))
    assert AUDIT_LIFECYCLE.can(transition, status) is (expected is not None)
    if expected is None:
        with pytest.raises(InvalidTransition) as raised:
            AUDIT_LIFECYCLE.next_status(transition, status)
        assert transition.value in str(raised.value)
    else:
        assert AUDIT_LIFECYCLE.next_status(transition, status) == expected


def test_closed_is_final_and_every_state_is_reachable():
    assert not any(AUDIT_LIFECYCLE.can(transition, S.CLOSED) for transition in Transition)
    assert AUDIT_LIFECYCLE.reachable() == set(S.values)


def test_there_is_one_invalid_transition():
    assert InvalidTransition is lifecycle.InvalidTransition


def audit(status, *, moderation="none", kind=RoundKind.RANDOM):
    """A stand-in audit: the guards read only its moderation, its round's kind and its case reference."""
    fields = {"status": status, "round": SimpleNamespace(kind=kind), "case": SimpleNamespace(case_ref="C-000001")}
    if moderation != "none":
        fields["moderation"] = SimpleNamespace(is_pending=moderation == "pending")
    return SimpleNamespace(**fields)


@pytest.mark.parametrize(
    ("transition", "subject", "refusal"),
    [
        (Transition.RETURN, audit(S.SUBMITTED), None),
        (Transition.RETURN, audit(S.SUBMITTED, moderation="pending"), "sent for moderation"),
        (Transition.CLOSE, audit(S.SUBMITTED), None),
        (Transition.CLOSE, audit(S.SUBMITTED, moderation="pending"), "C-000001 is waiting for moderation"),
        (Transition.CLOSE, audit(S.MODERATED, moderation="done"), None),
        (Transition.MODERATE, audit(S.SUBMITTED, moderation="pending"), None),
        (Transition.MODERATE, audit(S.SUBMITTED), "not been sent for moderation"),
        (Transition.RECORD, audit(S.ALLOCATED, kind=RoundKind.HISTORIC), None),
        (Transition.RECORD, audit(S.ALLOCATED, kind=RoundKind.RANDOM), "Only an imported historic result"),
    ],
)
def test_guards(transition, subject, refusal):
    assert may(subject, transition) is (refusal is None)
    if refusal is None:
        assert objection(subject, transition) is None
        source = subject.status
        move(subject, transition)
        assert subject.status == ALLOWED[(transition, source)]
    else:
        assert refusal in objection(subject, transition)
        before = subject.status
        with pytest.raises(TransitionRefused, match=refusal):
            move(subject, transition)
        assert subject.status == before  # a refused move changes nothing


def test_the_state_is_checked_before_the_guards():
    closed = audit(S.CLOSED, moderation="pending")
    assert "cannot return when it is closed" in objection(closed, Transition.RETURN)
    with pytest.raises(InvalidTransition):
        move(closed, Transition.RETURN)
