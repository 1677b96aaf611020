"""Drawing and allocating audit rounds: random (stratified by team, seeded) and thematic."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from audits import conf, sampling
from audits.choices import AuditStatus, CaseType, RoundKind
from audits.models import Audit, AuditRound, Case
from audits.population import freeze_population
from audits.round_tallies import count_moves, standing_of
from audits.services.allocating import allocate_cases, display_name, users_with_role
from indicators.quarters import Quarter
from perfsite.roles import Role


class RoundError(ValueError):
    """A round cannot be created as asked; the message says why."""


@dataclass
class Draw:
    """A random sample before (or after) it becomes a round."""

    quarter: Quarter
    sampling_date: datetime.date
    rate: Decimal
    seed: int
    open_by_team: dict[str, int]
    cases: list[Case]
    allocation: dict[int, object] = field(default_factory=dict)  # case pk -> auditor

    @property
    def drawn_by_team(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for case in self.cases:
            counts[case.team.name] += 1
        return dict(counts)

    def rows(self) -> list[dict[str, str]]:
        return [
            {
                "case_ref": case.case_ref,
                "team": case.team.name,
                "case_type": case.case_type,
                "auditor": display_name(self.allocation[case.pk]) if case.pk in self.allocation else "",
            }
            for case in self.cases
        ]


def _cases_with_facts():
    return Case.objects.select_related("team", "worker")


def draw_random_sample(*, quarter: Quarter, rate: Decimal, seed: int, on: datetime.date | None = None) -> Draw:
    """Draw without writing anything: for each team, ceil(rate% x cases open on ``on``)."""
    on = on or quarter.end
    rate = sampling.validate_rate(rate)
    seed = sampling.validate_seed(seed)
    refs_by_team: dict[str, list[str]] = defaultdict(list)
    for team_name, case_ref in Case.objects.open_on(on).values_list("team__name", "case_ref"):
        refs_by_team[team_name].append(case_ref)
    drawn = sampling.draw(refs_by_team, rate=rate, seed=seed)
    wanted = [ref for refs in drawn.values() for ref in refs]
    cases = sorted(_cases_with_facts().filter(case_ref__in=wanted), key=lambda case: (case.team.name, case.case_ref))
    open_by_team = {team: len(refs) for team, refs in sorted(refs_by_team.items())}
    return Draw(quarter=quarter, sampling_date=on, rate=rate, seed=seed, open_by_team=open_by_team, cases=cases)


def default_due_on(sampling_date: datetime.date) -> datetime.date:
    return sampling_date + datetime.timedelta(days=conf.default_due_days())


def _auditors(auditors: Sequence | None) -> list:
    chosen = list(auditors) if auditors is not None else list(users_with_role(Role.AUDITOR))
    if not chosen:
        raise RoundError("There are no auditors: give at least one user the Auditor role.")
    return chosen


def _create_audits(round_: AuditRound, cases: Sequence[Case], allocation: dict, *, user) -> list[Audit]:
    now = timezone.now()
    audits = [
        Audit(
            round=round_,
            case=case,
            team_id=case.team_id,
            case_type=case.case_type,
            auditor=allocation[case.pk],
            status=AuditStatus.ALLOCATED,
            due_on=round_.due_on,
            allocated_at=now,
        )
        for case in cases
    ]
    created = bulk_create_with_history(audits, Audit, default_user=user, default_change_reason="Allocated")
    count_moves((None, standing_of(audit)) for audit in created)
    return created


def existing_random_round(quarter: Quarter) -> AuditRound | None:
    return AuditRound.objects.filter(kind=RoundKind.RANDOM, quarter=quarter.slug).first()


@transaction.atomic
def create_random_round(
    *,
    quarter: Quarter,
    rate: Decimal | None = None,
    seed: int | None = None,
    on: datetime.date | None = None,
    due_on: datetime.date | None = None,
    auditors: Sequence | None = None,
    user=None,
) -> tuple[AuditRound, Draw]:
    """Draw, allocate and save a random round. All or nothing: if any drawn case has no independent
    auditor, AllocationRefused is raised and nothing is written."""
    if existing_random_round(quarter) is not None:
        raise RoundError(f"{quarter.slug} already has a random round; a quarter has one random sample.")
    rate = conf.default_sample_rate() if rate is None else rate
    seed = sampling.new_seed() if seed is None else seed
    draw = draw_random_sample(quarter=quarter, rate=rate, seed=seed, on=on)
    if not draw.cases:
        raise RoundError(f"No cases were open on {draw.sampling_date:%d %B %Y}, so there is nothing to sample.")
    draw.allocation = allocate_cases(draw.cases, _auditors(auditors))
    round_ = AuditRound.objects.create(
        kind=RoundKind.RANDOM,
        quarter=quarter.slug,
        title=f"Random sample {quarter.slug}",
        rate=draw.rate,
        seed=draw.seed,
        sampling_date=draw.sampling_date,
        selection=f"{draw.rate}% of each team's cases open on {draw.sampling_date.isoformat()}, seed {draw.seed}",
        due_on=due_on or default_due_on(draw.sampling_date),
        created_by=user,
    )
    _create_audits(round_, draw.cases, draw.allocation, user=user)
    # The sample is tested against the cases it was drawn from: count them now, as they stand.
    freeze_population(round_id=round_.pk, on=draw.sampling_date)
    return round_, draw


def thematic_cases(
    *,
    on: datetime.date,
    case_types: Sequence[str] = (),
    teams: Sequence = (),
    case_refs: Sequence[str] = (),
) -> list[Case]:
    """Cases open on ``on`` matching the case types and teams given, plus any chosen by hand."""
    unknown_types = sorted(set(case_types) - set(CaseType.values))
    if unknown_types:
        raise RoundError(f"Unknown case type(s): {', '.join(unknown_types)}.")
    chosen: dict[int, Case] = {}
    if case_types or teams:
        matching = _cases_with_facts().open_on(on)
        if case_types:
            matching = matching.filter(case_type__in=case_types)
        if teams:
            matching = matching.filter(team__in=teams)
        chosen.update((case.pk, case) for case in matching)
    refs = sorted({ref.strip().upper() for ref in case_refs if ref.strip()})
    if refs:
        by_hand = {case.case_ref: case for case in _cases_with_facts().filter(case_ref__in=refs)}
        missing = [ref for ref in refs if ref not in by_hand]
        if missing:
            raise RoundError(f"No case has the reference(s): {', '.join(missing)}.")
        chosen.update((case.pk, case) for case in by_hand.values())
    return sorted(chosen.values(), key=lambda case: (case.team.name, case.case_ref))


@transaction.atomic
def create_thematic_round(
    *,
    quarter: Quarter,
    title: str,
    case_types: Sequence[str] = (),
    teams: Sequence = (),
    case_refs: Sequence[str] = (),
    on: datetime.date | None = None,
    due_on: datetime.date | None = None,
    auditors: Sequence | None = None,
    user=None,
) -> AuditRound:
    title = title.strip()
    if not title:
        raise RoundError('Enter a title for the thematic round, such as "neglect".')
    if not (case_types or teams or [ref for ref in case_refs if ref.strip()]):
        raise RoundError("Choose the cases: by case type, by team, or by reference.")
    if AuditRound.objects.filter(quarter=quarter.slug, title__iexact=title).exists():
        raise RoundError(f'{quarter.slug} already has a round called "{title}".')
    on = on or min(quarter.end, timezone.localdate())
    cases = thematic_cases(on=on, case_types=case_types, teams=teams, case_refs=case_refs)
    if not cases:
        raise RoundError(f"No open case on {on:%d %B %Y} matches that choice.")
    allocation = allocate_cases(cases, _auditors(auditors))
    words = []
    if case_types:
        words.append("case types " + ", ".join(CaseType(t).label for t in case_types))
    if teams:
        words.append("teams " + ", ".join(sorted(str(team) for team in teams)))
    if case_refs:
        words.append(f"{len([r for r in case_refs if r.strip()])} case(s) chosen by hand")
    round_ = AuditRound.objects.create(
        kind=RoundKind.THEMATIC,
        quarter=quarter.slug,
        title=title,
        sampling_date=on,
        selection=f"Open on {on.isoformat()}: " + "; ".join(words),
        due_on=due_on or default_due_on(on),
        created_by=user,
    )
    _create_audits(round_, cases, allocation, user=user)
    return round_
