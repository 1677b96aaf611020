import pytest

from audits.choices import AuditStatus as S
from audits.lifecycle import InvalidTransition, Transition, can, next_status

ALLOWED = {
    (Transition.START, S.ALLOCATED): S.IN_PROGRESS,
    (Transition.SUBMIT, S.ALLOCATED): S.SUBMITTED,
    (Transition.SUBMIT, S.IN_PROGRESS): S.SUBMITTED,
    (Transition.MODERATE, S.SUBMITTED): S.MODERATED,
    (Transition.CLOSE, S.SUBMITTED): S.CLOSED,
    (Transition.CLOSE, S.MODERATED): S.CLOSED,
    (Transition.RETURN, S.SUBMITTED): S.IN_PROGRESS,
}

EVERY_PAIR = [(transition, status) for transition in Transition for status in S]


@pytest.mark.parametrize(("transition", "status"), EVERY_PAIR)
def test_every_transition_from_every_state(transition, status):
    expected = ALLOWED.get((transition, status))
    assert can(transition, status) is (expected is not None)
    if expected is None:
        with pytest.raises(InvalidTransition) as raised:
            next_status(transition, status)
        assert transition.value in str(raised.value)
    else:
        assert next_status(transition, status) == expected


def test_closed_is_final():
    assert not any(can(transition, S.CLOSED) for transition in Transition)
