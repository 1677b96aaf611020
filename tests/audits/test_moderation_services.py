from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from audits.allocation import AllocationRefused
from audits.choices import AuditStatus, Grade
from audits.computed import GOOD_OR_ABOVE_CODE
from audits.lifecycle import InvalidTransition
from audits.models import Moderation
from audits.services.moderating import ModerationError, record_moderation, send_for_moderation
from perfsite.roles import Role


@pytest.fixture
def round_with_submitted(build, auditor):
    round_ = build.round()
    team = build.team("North")
    audits = [build.completed(Grade.GOOD, team=team, auditor=auditor, round=round_) for _ in range(25)]
    return round_, audits


def test_a_ten_percent_sample_goes_to_moderators_reproducibly(round_with_submitted, moderator, officer):
    round_, _ = round_with_submitted
    sent = send_for_moderation(round_=round_, rate=Decimal(10), seed=5, moderators=[moderator], user=officer)
    assert len(sent) == 3  # ceil(2.5)
    assert {m.moderator for m in sent} == {moderator}
    assert all(m.sent_by == officer and m.sent_at and m.is_pending for m in sent)
    chosen = sorted(m.audit_id for m in sent)
    Moderation.objects.all().delete()
    again = send_for_moderation(round_=round_, rate=Decimal(10), seed=5, moderators=[moderator], user=officer)
    assert sorted(m.audit_id for m in again) == chosen


def test_moderators_share_the_sample_evenly(round_with_submitted, moderator, officer, build):
    _round, audits = round_with_submitted
    other = build.user("mod2", Role.MODERATOR)
    sent = send_for_moderation(audits=audits[:9], moderators=[moderator, other], user=officer)
    counts = sorted([sum(m.moderator == moderator for m in sent), sum(m.moderator == other for m in sent)])
    assert counts == [4, 5]


def test_a_moderator_must_be_independent_of_the_case_and_the_auditor(build, auditor, officer):
    team = build.team("North")
    audit = build.completed(Grade.GOOD, team=team, auditor=auditor)
    with pytest.raises(AllocationRefused, match="completed this audit"):
        send_for_moderation(audits=[audit], moderators=[auditor], user=officer)
    manager = build.user("mgr", Role.MODERATOR)
    team.managers.add(manager)
    with pytest.raises(AllocationRefused, match="manages North"):
        send_for_moderation(audits=[audit], moderators=[manager], user=officer)
    assert not Moderation.objects.exists()


def test_only_submitted_audits_not_already_sent_can_be_sent(build, auditor, moderator, officer):
    draft = build.audit(auditor=auditor, status=AuditStatus.IN_PROGRESS)
    with pytest.raises(ModerationError, match="Only submitted audits"):
        send_for_moderation(audits=[draft], moderators=[moderator], user=officer)
    audit = build.completed(Grade.GOOD, auditor=auditor)
    send_for_moderation(audits=[audit], moderators=[moderator], user=officer)
    with pytest.raises(ModerationError, match="Already sent"):
        send_for_moderation(audits=[audit], moderators=[moderator], user=officer)


def test_recording_a_moderation_changes_the_agreed_grade(
    build, auditor, moderator, officer, queued_recomputes, django_capture_on_commit_callbacks
):
    audit = build.completed(Grade.GOOD, auditor=auditor)
    [moderation] = send_for_moderation(audits=[audit], moderators=[moderator], user=officer)
    with django_capture_on_commit_callbacks(execute=True):
        record_moderation(moderation=moderation, user=moderator, grade=Grade.REQUIRES_IMPROVEMENT, rationale="No plan")
    audit.refresh_from_db()
    assert audit.status == AuditStatus.MODERATED
    assert audit.agreed_grade == Grade.REQUIRES_IMPROVEMENT
    assert audit.overall_grade == Grade.GOOD  # the auditor's grade is kept
    assert audit.moderation.agrees is False
    assert queued_recomputes == [((GOOD_OR_ABOVE_CODE,), (audit.completed_on.isoformat(),))]
    history = audit.moderation.history.order_by("history_id").last()
    assert (history.grade, history.history_user) == (Grade.REQUIRES_IMPROVEMENT, moderator)


@pytest.mark.parametrize(
    ("grade", "rationale", "message"), [(None, "Why", "Select the moderated grade"), (2, " ", "Enter the rationale")]
)
def test_moderation_needs_a_grade_and_a_rationale(build, auditor, moderator, officer, grade, rationale, message):
    audit = build.completed(Grade.GOOD, auditor=auditor)
    [moderation] = send_for_moderation(audits=[audit], moderators=[moderator], user=officer)
    with pytest.raises(ModerationError, match=message):
        record_moderation(moderation=moderation, user=moderator, grade=grade, rationale=rationale)


def test_only_the_chosen_moderator_moderates_and_only_once(build, auditor, moderator, officer):
    audit = build.completed(Grade.GOOD, auditor=auditor)
    [moderation] = send_for_moderation(audits=[audit], moderators=[moderator], user=officer)
    with pytest.raises(PermissionDenied):
        record_moderation(moderation=moderation, user=officer, grade=2, rationale="x")
    record_moderation(moderation=moderation, user=moderator, grade=2, rationale="Agreed")
    with pytest.raises(ModerationError, match="already been moderated"):
        record_moderation(moderation=moderation, user=moderator, grade=3, rationale="Changed my mind")


def test_a_returned_audit_cannot_be_moderated(build, auditor, moderator, officer):
    audit = build.completed(Grade.GOOD, auditor=auditor)
    [moderation] = send_for_moderation(audits=[audit], moderators=[moderator], user=officer)
    # Back with its auditor, as a return leaves it (the database refuses a completion date on it).
    audit.status, audit.submitted_at, audit.completed_on = AuditStatus.IN_PROGRESS, None, None
    audit.save()
    with pytest.raises(InvalidTransition):
        record_moderation(moderation=moderation, user=moderator, grade=2, rationale="x")
