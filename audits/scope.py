"""Who may see what: querysets filtered to the user's scope, so outsiders get 404s, not leaks."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from audits.models import Audit, AuditAction, Case
from caseloads.models import Team
from perfsite.roles import Role, has_role, is_performance_officer, is_scrutiny_member_only

AUDIT_ROLES = (Role.AUDITOR, Role.MODERATOR, Role.TEAM_MANAGER, Role.PERFORMANCE_OFFICER)


def refuse_members(user) -> None:
    """Scrutiny members see aggregates only: no audit, case or action page at all."""
    if not user.is_superuser and (is_scrutiny_member_only(user) or not has_role(user, *AUDIT_ROLES)):
        raise PermissionDenied


def audits_for(user):
    return (
        Audit.objects.visible_to(user)
        .select_related("case", "case__worker", "team", "round", "auditor", "moderation", "moderation__moderator")
        .with_agreed_grade()
    )


def own_audits(user):
    """An auditor's own audits, for the worklist: each with its case, team and round.

    The same rows as ``audits_for(user).filter(auditor=user)`` for an auditor (``visible_to``
    gives auditors their own), without the DISTINCT that joining the other roles' scopes needs:
    sorting every one of a long history for DISTINCT made the paged worklist grow with it. Only
    the columns the worklist shows are read (no worker, moderation or findings' text), so a page
    of 50 joins three small rows each and the lists' partial indexes (``Audit.Meta.indexes``) give
    its order.
    """
    if not has_role(user, Role.AUDITOR):
        return Audit.objects.none()
    return Audit.objects.filter(auditor=user).select_related("case", "team", "round").only(*WORKLIST_FIELDS)


# What the worklist shows of an audit: its case, team, case type, round, dates, grade and status.
WORKLIST_FIELDS = (
    "status",
    "due_on",
    "completed_on",
    "overall_grade",
    "case_type",
    "case__case_ref",
    "team__name",
    "round__kind",
    "round__quarter",
    "round__title",
)


def cases_for(user):
    """Officers: every case. Managers: their teams' cases. Auditors: the cases behind their audits."""
    cases = Case.objects.select_related("team", "worker")
    if is_performance_officer(user):
        return cases
    scope = Q(pk__in=[])
    if has_role(user, Role.TEAM_MANAGER):
        scope |= Q(team__managers=user)
    if has_role(user, Role.AUDITOR):
        scope |= Q(audits__auditor=user)
    if has_role(user, Role.MODERATOR):
        scope |= Q(audits__moderation__moderator=user)
    return cases.filter(pk__in=Case.objects.filter(scope).values("pk"))


def actions_for(user):
    return AuditAction.objects.visible_to(user).select_related("audit__case", "audit__team", "owner", "closed_by")


def teams_for(user):
    """Teams whose roll-ups the user may read: all for officers, their own for team managers."""
    if is_performance_officer(user):
        return Team.objects.all()
    if has_role(user, Role.TEAM_MANAGER):
        return Team.objects.managed_by(user)
    return Team.objects.none()
