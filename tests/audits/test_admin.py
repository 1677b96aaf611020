"""Django admin keeps the same independence and lifecycle rules, and shows history."""

import pytest
from django.urls import reverse

from audits.choices import AuditStatus, Grade
from audits.models import Moderation


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


def change_url(obj):
    return reverse(f"admin:audits_{obj._meta.model_name}_change", args=[obj.pk])


def audit_post(audit, **changes):
    data = {
        "auditor": audit.auditor_id or "",
        "due_on": audit.due_on.isoformat() if audit.due_on else "",
        "overall_grade": audit.overall_grade or "",
        "grade_reason": "",
        "strengths": audit.strengths,
        "areas_for_development": "",
        "theme_grades-TOTAL_FORMS": "0",
        "theme_grades-INITIAL_FORMS": "0",
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_reallocating_in_admin_checks_independence(admin_client_, build, auditor, second_auditor):
    team = build.team("North", managers=[second_auditor])
    audit = build.audit(build.case(team), auditor=auditor)
    response = admin_client_.post(change_url(audit), audit_post(audit, auditor=second_auditor.pk))
    assert response.status_code == 200
    assert "is not independent of" in response.text and "manages North" in response.text
    audit.refresh_from_db()
    assert audit.auditor == auditor


def test_a_submitted_audits_grade_cannot_be_changed_in_admin(admin_client_, build, auditor):
    audit = build.completed(Grade.GOOD, auditor=auditor)
    page = admin_client_.get(change_url(audit))
    assert page.status_code == 200
    assert 'name="overall_grade"' not in page.text and 'name="status"' not in page.text
    admin_client_.post(change_url(audit), audit_post(audit, overall_grade="4"))
    audit.refresh_from_db()
    assert audit.overall_grade == Grade.GOOD


def test_status_is_never_a_form_field(admin_client_, build, auditor):
    audit = build.audit(auditor=auditor)
    page = admin_client_.get(change_url(audit)).text
    assert 'name="status"' not in page and 'name="overall_grade"' in page


def test_audits_and_moderations_cannot_be_added_by_hand(admin_client_):
    assert admin_client_.get(reverse("admin:audits_audit_add")).status_code == 403
    assert admin_client_.get(reverse("admin:audits_moderation_add")).status_code == 403
    assert admin_client_.get(reverse("admin:audits_auditround_add")).status_code == 403


def test_close_action_follows_the_lifecycle(admin_client_, build, auditor):
    done = build.completed(Grade.GOOD, auditor=auditor)
    draft = build.audit(auditor=auditor, status=AuditStatus.IN_PROGRESS)
    response = admin_client_.post(
        reverse("admin:audits_audit_changelist"),
        {"action": "close_audits", "_selected_action": [done.pk, draft.pk]},
        follow=True,
    )
    done.refresh_from_db()
    draft.refresh_from_db()
    assert done.status == AuditStatus.CLOSED and draft.status == AuditStatus.IN_PROGRESS
    assert "cannot close when it is in progress" in response.text


def test_moderator_reassignment_checks_independence(admin_client_, build, auditor):
    audit = build.completed(Grade.GOOD, auditor=auditor)
    moderation = Moderation.objects.create(audit=audit)
    response = admin_client_.post(change_url(moderation), {"moderator": auditor.pk})
    assert "completed this audit" in response.text
    moderation.refresh_from_db()
    assert moderation.moderator is None


def test_history_is_visible_in_admin(admin_client_, build, auditor):
    audit = build.completed(Grade.GOOD, auditor=auditor)
    response = admin_client_.get(reverse("admin:audits_audit_history", args=[audit.pk]))
    assert response.status_code == 200
    case_history = admin_client_.get(reverse("admin:audits_case_history", args=[audit.case.pk]))
    assert case_history.status_code == 200


def test_a_started_round_cannot_be_deleted(admin_client_, build, auditor):
    audit = build.audit(auditor=auditor, status=AuditStatus.IN_PROGRESS)
    assert admin_client_.get(reverse("admin:audits_auditround_delete", args=[audit.round.pk])).status_code == 403
    fresh = build.audit(auditor=auditor)
    response = admin_client_.post(reverse("admin:audits_auditround_delete", args=[fresh.round.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not type(fresh).objects.filter(pk=fresh.pk).exists()
