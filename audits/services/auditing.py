"""The auditor's work on one audit, and the officer's lifecycle moves around it.

Every write locks the audit row first, so a double click or a resent form cannot submit twice
or slip a change in after submission.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from audits.choices import AuditStatus, Theme
from audits.computed import recompute_after
from audits.lifecycle import AUDIT_LIFECYCLE, Transition, move
from audits.models import Audit, Moderation, ThemeGrade
from audits.round_tallies import count_moves, standing_of
from audits.rules import ThemeEntry, submission_problems
from audits.services.allocating import check_independent
from audits.tallies import refresh_audit


class SubmissionInvalid(ValueError):
    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(problems.values()))


class AuditLocked(PermissionDenied):
    """The audit is no longer editable by its auditor."""


@dataclass
class AuditEntry:
    """What the auditor types into the form."""

    themes: dict[str, ThemeEntry] = field(default_factory=dict)
    overall_grade: int | None = None
    strengths: str = ""
    areas_for_development: str = ""
    grade_reason: str = ""


def entry_of(audit: Audit) -> AuditEntry:
    """The audit as it is stored, in the form's shape."""
    return AuditEntry(
        themes={tg.theme: ThemeEntry(tg.grade, tg.evidence) for tg in audit.theme_grades.all()},
        overall_grade=audit.overall_grade,
        strengths=audit.strengths,
        areas_for_development=audit.areas_for_development,
        grade_reason=audit.grade_reason,
    )


def problems_of(entry: AuditEntry) -> dict[str, str]:
    return submission_problems(
        themes=entry.themes,
        overall_grade=entry.overall_grade,
        strengths=entry.strengths,
        areas_for_development=entry.areas_for_development,
        grade_reason=entry.grade_reason,
    )


def _locked(audit: Audit) -> Audit:
    return Audit.objects.select_for_update().get(pk=audit.pk)


def _save(obj, user, fields: list[str], reason: str = "") -> None:
    obj._history_user = user
    if reason:
        obj._change_reason = reason
    obj.save(update_fields=fields)


def _store_entry(audit: Audit, entry: AuditEntry, user) -> None:
    """Write the entry, touching only what changed so the history shows real changes."""
    existing = {tg.theme: tg for tg in ThemeGrade.objects.filter(audit=audit)}
    for theme in Theme:
        given = entry.themes.get(theme.value, ThemeEntry(None, ""))
        current = existing.get(theme.value)
        if current is None:
            if given.grade is None and not given.evidence:
                continue
            current = ThemeGrade(audit=audit, theme=theme.value, grade=given.grade, evidence=given.evidence)
            current._history_user = user
            current.save()
        elif (current.grade, current.evidence) != (given.grade, given.evidence):
            current.grade, current.evidence = given.grade, given.evidence
            _save(current, user, ["grade", "evidence"])
    changed = []
    for name in ("overall_grade", "strengths", "areas_for_development", "grade_reason"):
        value = getattr(entry, name)
        if getattr(audit, name) != value:
            setattr(audit, name, value)
            changed.append(name)
    if changed:
        _save(audit, user, changed)


def _require_auditor(audit: Audit, user) -> None:
    if audit.auditor_id != user.pk:
        raise PermissionDenied("Only the audit's auditor may change it.")


@transaction.atomic
def save_draft(*, audit: Audit, user, entry: AuditEntry) -> Audit:
    audit = _locked(audit)
    _require_auditor(audit, user)
    if not audit.is_editable:
        raise AuditLocked("This audit has been submitted and can no longer be changed.")
    if audit.status == AuditStatus.ALLOCATED:
        before = standing_of(audit)
        move(audit, Transition.START)
        audit.started_at = timezone.now()
        _save(audit, user, ["status", "started_at"], "Started")
        count_moves([(before, standing_of(audit))])
    _store_entry(audit, entry, user)
    return audit


@transaction.atomic
def submit_audit(*, audit: Audit, user, entry: AuditEntry | None = None) -> bool:
    """Submit the audit (with ``entry`` if given). True when submitted now; False when it had already
    been submitted, in which case nothing at all changes (a double click or a resent form)."""
    audit = _locked(audit)
    _require_auditor(audit, user)
    if not AUDIT_LIFECYCLE.can(Transition.SUBMIT, audit.status):
        if audit.submitted_at is not None:
            return False
        move(audit, Transition.SUBMIT)  # raises InvalidTransition
    entry = entry if entry is not None else entry_of(audit)
    problems = problems_of(entry)
    if problems:
        raise SubmissionInvalid(problems)
    if audit.status == AuditStatus.ALLOCATED:
        audit.started_at = timezone.now()
    _store_entry(audit, entry, user)
    before = standing_of(audit)  # still with its auditor, so never sent for moderation
    move(audit, Transition.SUBMIT)
    audit.submitted_at = timezone.now()
    audit.completed_on = timezone.localdate()
    _save(audit, user, ["status", "started_at", "submitted_at", "completed_on"], "Submitted")
    refresh_audit(audit)  # the audit tallies' lock before the round's, as every bulk writer takes them
    count_moves([(before, standing_of(audit))])
    recompute_after(audit.completed_on)
    return True


@transaction.atomic
def return_to_auditor(*, audit: Audit, user, reason: str) -> Audit:
    """An officer sends a submitted, unmoderated audit back to its auditor for correction."""
    audit = _locked(audit)
    if not reason.strip():
        raise ValueError("Enter why the audit is being returned to its auditor")
    before = standing_of(audit)  # only an audit not sent for moderation may be returned (a guard)
    move(audit, Transition.RETURN)
    counted_on, audit.submitted_at, audit.completed_on = audit.completed_on, None, None
    _save(audit, user, ["status", "submitted_at", "completed_on"], f"Returned to auditor: {reason.strip()}")
    refresh_audit(audit, counted_on=counted_on)  # the audit tallies' lock first (round_tallies)
    count_moves([(before, standing_of(audit))])
    recompute_after(counted_on)  # it no longer counts in the quarter it was completed in
    return audit


@transaction.atomic
def close_audit(*, audit: Audit, user) -> bool:
    """Close a finished audit. True if closed now, False if it was already closed."""
    audit = _locked(audit)
    if audit.status == AuditStatus.CLOSED:
        return False
    sent = Moderation.objects.filter(audit_id=audit.pk).exists()
    before = standing_of(audit, sent_for_moderation=sent)
    move(audit, Transition.CLOSE)  # closing does not change the agreed grade, so nothing to recompute
    audit.closed_at = timezone.now()
    _save(audit, user, ["status", "closed_at"], "Closed")
    count_moves([(before, standing_of(audit, sent_for_moderation=sent))])
    return True


@transaction.atomic
def reallocate(*, audit: Audit, auditor, user) -> Audit:
    """Give an unfinished audit to another independent auditor."""
    audit = _locked(audit)
    if not audit.is_editable:
        raise ValueError("Only an audit that has not been submitted can be reallocated.")
    case = audit.case.__class__.objects.select_related("team", "worker").get(pk=audit.case_id)
    check_independent(case, auditor)
    if audit.auditor_id != auditor.pk:
        audit.auditor = auditor
        audit.allocated_at = timezone.now()
        _save(audit, user, ["auditor", "allocated_at"], "Reallocated")
    return audit
