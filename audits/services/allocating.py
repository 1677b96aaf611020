"""Adapters between the database and the plain allocation rules: who may audit what."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.contrib.auth import get_user_model

from audits.allocation import AuditorFacts, CaseFacts, allocate, exclusion_reasons
from audits.models import Case
from caseloads.models import Team, Worker
from perfsite.roles import Role


class NotIndependent(ValueError):
    """The chosen auditor or moderator is not independent of the case."""


def users_with_role(role: Role):
    User = get_user_model()
    return User.objects.filter(is_active=True, groups__name=role.value).distinct().order_by("username")


def display_name(user) -> str:
    return user.get_full_name() or user.username


def auditor_facts(users: Iterable) -> list[AuditorFacts]:
    """Independence facts for ``users`` in two queries, however many there are."""
    users = list(users)
    ids = [user.pk for user in users]
    worker_teams = dict(Worker.objects.filter(user_id__in=ids).values_list("user_id", "team_id"))
    managed: dict[int, set[int]] = defaultdict(set)
    for user_id, team_id in Team.managers.through.objects.filter(user_id__in=ids).values_list("user_id", "team_id"):
        managed[user_id].add(team_id)
    return [
        AuditorFacts(
            user_id=user.pk,
            name=display_name(user),
            worker_team_id=worker_teams.get(user.pk),
            managed_team_ids=frozenset(managed[user.pk]),
        )
        for user in users
    ]


def case_facts(case: Case, *, key=None, other_exclusions=None) -> CaseFacts:
    """``case`` must come with ``team`` and ``worker`` selected."""
    return CaseFacts(
        key=case.pk if key is None else key,
        case_ref=case.case_ref,
        team_id=case.team_id,
        team_name=case.team.name,
        worker_user_id=case.worker.user_id if case.worker_id else None,
        other_exclusions=other_exclusions or {},
    )


def allocate_cases(cases: Sequence[Case], users: Sequence) -> dict[int, object]:
    """Case pk -> independent user, balanced; raises AllocationRefused and allocates nothing."""
    by_id = {user.pk: user for user in users}
    assignment = allocate([case_facts(case) for case in cases], auditor_facts(users))
    return {case_pk: by_id[user_id] for case_pk, user_id in assignment.items()}


def check_independent(case: Case, user, *, other_exclusions=None) -> None:
    """Raise NotIndependent, saying why, when ``user`` may not audit or moderate ``case``."""
    [facts] = auditor_facts([user])
    reasons = exclusion_reasons(facts, case_facts(case, other_exclusions=other_exclusions))
    if reasons:
        raise NotIndependent(f"{display_name(user)} is not independent of {case.case_ref}: {'; '.join(reasons)}.")
