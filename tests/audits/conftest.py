"""Builders for the audit tests: teams, workers, cases and audits in any state."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from audits.choices import AuditStatus, Grade, RoundKind, Theme
from audits.models import Audit, AuditRound, Case, Moderation, ThemeGrade
from audits.round_tallies import count_moves, standing_of
from audits.tallies import quarters_of, refresh_quarters
from caseloads.models import Team, Worker
from perfsite.roles import Role
from tests.conftest import make_user

Q4 = datetime.date(2017, 3, 31)
_counter = itertools.count(1)


class Builder:
    """Plain helpers, so tests read as the situation they set up."""

    def team(self, name=None, *, managers=()):
        team = Team.objects.create(name=name or f"Team {next(_counter)}", service_area="safeguarding")
        if managers:
            team.managers.add(*managers)
        return team

    def user(self, username=None, *roles: Role, **extra):
        username = username or f"user{next(_counter)}"
        extra.setdefault("email", f"{username}@example.org")
        return make_user(username, *roles, **extra)

    def worker(self, team, *, user=None, name=None):
        n = next(_counter)
        return Worker.objects.create(
            name=name or f"Worker {n}",
            staff_number=f"S{n:05d}",
            team=team,
            role="social_worker",
            wte=Decimal("1.00"),
            user=user,
        )

    def case(
        self, team, *, worker=None, ref=None, case_type="cin", opened_on=datetime.date(2016, 6, 1), closed_on=None
    ):
        return Case.objects.create(
            case_ref=ref or f"C-{next(_counter):06d}",
            case_type=case_type,
            team=team,
            worker=worker,
            opened_on=opened_on,
            closed_on=closed_on,
        )

    def round(self, quarter="2016-17-q4", *, kind=RoundKind.THEMATIC, title=None):
        return AuditRound.objects.create(kind=kind, quarter=quarter, title=title or f"Round {next(_counter)}")

    def audit(
        self,
        case=None,
        *,
        auditor=None,
        round=None,
        status=AuditStatus.ALLOCATED,
        overall_grade=None,
        completed_on=None,
        themes=None,
        moderator=None,
        moderated_grade=None,
        due_on=datetime.date(2017, 3, 1),
    ):
        case = case or self.case(self.team())
        audit = Audit.objects.create(
            round=round or self.round(),
            case=case,
            team=case.team,
            case_type=case.case_type,
            auditor=auditor,
            status=status,
            overall_grade=overall_grade,
            completed_on=completed_on,
            due_on=due_on,
        )
        for theme, grade in (themes or {}).items():
            ThemeGrade.objects.create(audit=audit, theme=theme, grade=grade, evidence="Evidence")
        if moderator is not None or moderated_grade is not None:
            Moderation.objects.create(audit=audit, moderator=moderator, grade=moderated_grade)
        # Written here straight to the tables, as a loader would: count it into the roll-ups' tallies
        # and its round's status tally.
        refresh_quarters(quarters=quarters_of(completed_on))
        count_moves(
            [(None, standing_of(audit, sent_for_moderation=moderator is not None or moderated_grade is not None))]
        )
        return audit

    def completed(self, grade: Grade, *, team=None, completed_on=datetime.date(2017, 2, 15), case_type="cin", **kw):
        """A submitted audit with ``grade`` overall and every theme graded the same."""
        case = self.case(team or self.team(), case_type=case_type)
        return self.audit(
            case,
            status=kw.pop("status", AuditStatus.SUBMITTED),
            overall_grade=grade.value,
            completed_on=completed_on,
            themes=kw.pop("themes", dict.fromkeys(Theme.values, grade.value)),
            **kw,
        )


@pytest.fixture
def build(db):
    return Builder()


@pytest.fixture
def second_auditor(db):
    return make_user("auditor2", Role.AUDITOR, email="auditor2@example.org")


@pytest.fixture
def groups(db):
    return {role: Group.objects.get(name=role.value) for role in Role}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The shared user fixtures hash a password each; a fast hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
