"""Demo audit data telling the reference's story (paragraph 18 and "Casefile Quality"):

- Ofsted, March 2016: 20 case files, 40% good or above (the baseline, as imported results for 2015-16-q4);
- Quarter 3 2016/17: imported results, 42% good or above;
- Quarter 4 2016/17: a random 5% sample drawn on 3 January 2017, 158 audits, all submitted, whose agreed
  grades give 48% good or above (76 of 158), some moderated (one in four moderations changes the grade);
- a thematic "Neglect" round in April 2017 with audits still to do, and actions, a few open and overdue.

About 3,500 open cases across the caseloads demo's teams, allocated to their workers. Everything comes
from a fixed seed, every reference is fictional ("C-000123"), and loading twice changes nothing.
"""

from __future__ import annotations

import csv
import datetime
import random
import tempfile
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from audits.choices import CaseType, Grade, RoundKind, Theme
from audits.demo_texts import ACTION_TEXTS, AREAS, EVIDENCE, STRENGTHS
from audits.imports.results import import_audit_results
from audits.lifecycle import Transition, move
from audits.models import Audit, AuditAction, AuditRound, Case, Moderation, ThemeGrade
from audits.round_tallies import rebuild_round_tallies
from audits.rules import ThemeEntry
from audits.services.auditing import AuditEntry, save_draft
from audits.services.rounds import create_random_round, create_thematic_round
from audits.tallies import rebuild_all
from caseloads.models import Team, Worker
from indicators.quarters import Quarter
from perfsite.roles import Role

SEED = 20170103
Q4 = Quarter.parse("2016-17-q4")
Q3 = Quarter.parse("2016-17-q3")
BASELINE = Quarter.parse("2015-16-q4")
SAMPLING_DATE = datetime.date(2017, 1, 3)
Q4_DUE = datetime.date(2017, 2, 28)
Q4_AUDITS = 158
# Agreed grades of the Q4 sample: 7 + 69 = 76 of 158 good or above (48%).
Q4_AGREED = {Grade.OUTSTANDING: 7, Grade.GOOD: 69, Grade.REQUIRES_IMPROVEMENT: 61, Grade.INADEQUATE: 21}
# Q3: 63 of 150 (42%). Baseline: 8 of 20 (40%).
Q3_GRADES = {Grade.OUTSTANDING: 4, Grade.GOOD: 59, Grade.REQUIRES_IMPROVEMENT: 64, Grade.INADEQUATE: 23}
BASELINE_GRADES = {Grade.OUTSTANDING: 1, Grade.GOOD: 7, Grade.REQUIRES_IMPROVEMENT: 9, Grade.INADEQUATE: 3}
OPENED_AFTER_SAMPLING = 700  # cases opened in January to March 2017, still open
CLOSED_BEFORE_SAMPLING = 160

DEMO_AUDITORS = {
    "auditor2": ("Jordan", "Pike"),
    "auditor3": ("Leah", "Mistry"),
    "auditor4": ("Ravi", "Chandra"),
    "auditor5": ("Kate", "Durward"),
}

CASE_TYPES_BY_AREA = {
    "early_help": [(CaseType.EARLY_HELP, 1)],
    "assessment": [(CaseType.CIN, 7), (CaseType.CP, 2), (CaseType.EARLY_HELP, 1)],
    "safeguarding": [(CaseType.CP, 7), (CaseType.CIN, 3)],
    "looked_after": [(CaseType.LAC, 1)],
    "care_leavers": [(CaseType.CARE_LEAVER, 1)],
    "disability": [(CaseType.CIN, 6), (CaseType.LAC, 3), (CaseType.CP, 1)],
}
CASE_HOLDING_ROLES = ("social_worker", "senior_practitioner", "asye", "consultant_social_worker")


def load_demo(*, stdout) -> None:
    teams = list(Team.objects.order_by("name"))
    if not teams:
        stdout.write("  audits: there are no teams (load the caseloads demo first); no audit demo data loaded.")
        return
    if AuditRound.objects.filter(kind=RoundKind.RANDOM, quarter=Q4.slug).exists():
        stdout.write("  audits: the demo audit data is already loaded; nothing changed.")
        return
    with transaction.atomic():
        summary = _load(teams)
    stdout.write("  audits: " + summary)


def _aware(day: datetime.date, hour: int = 14) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _day_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _weighted(rng: random.Random, options):
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` split into ``parts`` near-equal, varied, positive whole numbers (largest remainder)."""
    weights = [rng.uniform(0.75, 1.25) for _ in range(parts)]
    shares = [total * w / sum(weights) for w in weights]
    counts = [max(1, int(share)) for share in shares]
    order = sorted(range(parts), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    i = 0
    while sum(counts) < total:
        counts[order[i % parts]] += 1
        i += 1
    while sum(counts) > total:
        j = max(range(parts), key=lambda k: counts[k])
        counts[j] -= 1
    return counts


def _load(teams: list[Team]) -> str:
    rng = random.Random(SEED)  # noqa: S311 - a reproducible demo, not a secret
    users = _ensure_users()
    workers_by_team = _workers_by_team(teams)
    cases = _create_cases(teams, workers_by_team, rng)
    auditors = [users["auditor"], *[users[name] for name in DEMO_AUDITORS]]
    round_, _draw = create_random_round(
        quarter=Q4,
        rate=Decimal(5),
        seed=SEED,
        on=SAMPLING_DATE,
        due_on=Q4_DUE,
        auditors=auditors,
        user=users["officer"],
    )
    audits = list(round_.audits.select_related("case", "team", "auditor").order_by("pk"))
    # The round was drawn on the sampling date, not today: date its records and their history so.
    drawn_at = _aware(SAMPLING_DATE, 9)
    AuditRound.objects.filter(pk=round_.pk).update(created_at=drawn_at)
    Audit.objects.filter(round=round_).update(allocated_at=drawn_at)
    Audit.history.filter(round_id=round_.pk).update(history_date=drawn_at, allocated_at=drawn_at)
    _complete_q4(audits, users, rng)
    _import_history(cases, audits, rng)
    thematic = _thematic_round(cases, auditors, users, rng)
    actions = _actions(audits, rng, users)
    # The Q4 audits were completed by direct saves above (dated in the past), not through the services.
    rebuild_all()
    rebuild_round_tallies()
    return (
        f"{len(cases)} cases ({Case.objects.filter(closed_on__isnull=True).count()} open), "
        f"{len(audits)} Q4 2016/17 audits, Q3 and March 2016 baseline results, "
        f"a thematic round of {thematic.audits.count()}, {actions} actions"
    )


def _ensure_users() -> dict:
    User = get_user_model()
    auditor_group = Group.objects.get(name=Role.AUDITOR.value)
    users = {user.username: user for user in User.objects.filter(username__in=["auditor", "moderator", "officer"])}
    for username, (first, last) in DEMO_AUDITORS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last, email=f"{username}@perfsite.example")
            user.set_unusable_password()
            user.save()
        user.groups.add(auditor_group)
        users[username] = user
    if "auditor" not in users:
        users["auditor"] = User.objects.create(username="auditor", first_name="Alex", last_name="Auditor")
        users["auditor"].groups.add(auditor_group)
    return users


def _workers_by_team(teams) -> dict[int, list[Worker]]:
    workers: dict[int, list[Worker]] = {team.pk: [] for team in teams}
    for worker in Worker.objects.filter(team__in=teams).order_by("staff_number"):
        workers[worker.team_id].append(worker)
    for team_id, team_workers in workers.items():
        holders = [w for w in team_workers if w.role in CASE_HOLDING_ROLES]
        workers[team_id] = holders or team_workers
    return workers


def _create_cases(teams, workers_by_team, rng) -> list[Case]:
    """Per team, k cases in the sample need 20k - r cases open on the sampling date (0 <= r < 20),
    since ceil(5% x (20k - r)) = k; the k add up to 158."""
    sample_sizes = _split(Q4_AUDITS, len(teams), rng)
    after = _split(OPENED_AFTER_SAMPLING, len(teams), rng)
    closed_before = _split(CLOSED_BEFORE_SAMPLING, len(teams), rng)
    cases = []
    number = 0
    for team, k, later, gone in zip(teams, sample_sizes, after, closed_before, strict=True):
        types = CASE_TYPES_BY_AREA.get(team.service_area, [(CaseType.CIN, 1)])
        workers = workers_by_team[team.pk]
        open_on_sampling = 20 * k - rng.randint(0, 19)
        plan = [("open", open_on_sampling), ("later", later), ("gone", gone)]
        for kind, count in plan:
            for _ in range(count):
                number += 1
                if kind == "open":
                    opened = _day_between(rng, datetime.date(2014, 6, 1), SAMPLING_DATE)
                    closed = _day_between(rng, datetime.date(2017, 1, 10), Q4.end) if rng.random() < 0.08 else None
                elif kind == "later":
                    opened = _day_between(rng, SAMPLING_DATE + datetime.timedelta(days=1), Q4.end)
                    closed = None
                else:
                    opened = _day_between(rng, datetime.date(2015, 1, 1), datetime.date(2016, 6, 30))
                    closed = _day_between(rng, opened + datetime.timedelta(days=30), datetime.date(2016, 12, 31))
                cases.append(
                    Case(
                        case_ref=f"C-{number:06d}",
                        case_type=_weighted(rng, types),
                        team=team,
                        worker=rng.choice(workers) if workers else None,
                        opened_on=opened,
                        closed_on=closed,
                    )
                )
    existing = set(Case.objects.filter(case_ref__in=[c.case_ref for c in cases]).values_list("case_ref", flat=True))
    bulk_create_with_history([c for c in cases if c.case_ref not in existing], Case, batch_size=500)
    return list(Case.objects.select_related("team").order_by("case_ref"))


def _grades_list(counts: dict[Grade, int], rng) -> list[Grade]:
    grades = [grade for grade, count in counts.items() for _ in range(count)]
    rng.shuffle(grades)
    return grades


def _theme_grades(overall: Grade, rng) -> dict[str, int]:
    grades = {}
    for theme in Theme:
        grade = min(4, max(1, overall.value + rng.choice([-1, 0, 0, 0, 1])))
        if overall.value <= 2:
            grade = min(grade, 3)  # no Inadequate theme under a Good overall grade
        grades[theme.value] = grade
    return grades


def _complete_q4(audits: list[Audit], users, rng) -> None:
    """Every Q4 audit submitted in January to March 2017; 16 moderated, four more waiting."""
    agreed = _grades_list(Q4_AGREED, rng)
    auditor_grade = list(agreed)
    indices = list(range(len(audits)))
    rng.shuffle(indices)
    # Moderated: 3 the moderator marked down from Good, 1 marked up to Good, 12 agreed.
    down = [i for i in indices if agreed[i] == Grade.REQUIRES_IMPROVEMENT][:3]
    up = [i for i in indices if agreed[i] == Grade.GOOD and i not in down][:1]
    same = [i for i in indices if i not in down + up][:12]
    pending = [i for i in indices if i not in down + up + same][:4]
    for i in down:
        auditor_grade[i] = Grade.GOOD
    for i in up:
        auditor_grade[i] = Grade.REQUIRES_IMPROVEMENT
    moderator = users["moderator"]
    for i, audit in enumerate(audits):
        grade = auditor_grade[i]
        submitted = _day_between(rng, datetime.date(2017, 1, 9), datetime.date(2017, 3, 24))
        themes = _theme_grades(grade, rng)
        audit.overall_grade = grade.value
        audit.strengths = rng.choice(STRENGTHS) if grade.value <= 3 else ""
        audit.areas_for_development = rng.choice(AREAS) if grade.value >= 2 else ""
        move(audit, Transition.SUBMIT)
        audit.started_at = _aware(submitted - datetime.timedelta(days=rng.randint(1, 10)), 10)
        audit.submitted_at = _aware(submitted)
        audit.completed_on = submitted
        audit._history_user = audit.auditor
        audit._history_date = audit.submitted_at
        audit._change_reason = "Submitted"
        audit.save()
        for theme, theme_grade in themes.items():
            theme_row = ThemeGrade(audit=audit, theme=theme, grade=theme_grade, evidence=EVIDENCE[Theme(theme)])
            theme_row._history_user = audit.auditor
            theme_row._history_date = audit.submitted_at
            theme_row.save()
        if i in down or i in up or i in same or i in pending:
            sent = _aware(submitted + datetime.timedelta(days=3), 9)
            moderation = Moderation(audit=audit, moderator=moderator, sent_by=users["officer"], sent_at=sent)
            if i not in pending:
                moderation.grade = agreed[i].value
                moderation.rationale = (
                    "I agree with the auditor's judgement."
                    if agreed[i] == grade
                    else "The evidence does not support the auditor's grade; see the areas for development."
                )
                moderation.moderated_at = sent + datetime.timedelta(days=5)
            moderation._history_user = moderator
            moderation._history_date = moderation.moderated_at or sent
            moderation.save()
            if i not in pending:
                move(audit, Transition.MODERATE)
                audit._history_user = moderator
                audit._history_date = moderation.moderated_at
                audit._change_reason = "Moderated"
                audit.save(update_fields=["status"])


def _import_history(cases: list[Case], q4_audits: list[Audit], rng) -> None:
    """The baseline and Q3 2016/17 through the real import, from a generated file."""
    used = {audit.case_id for audit in q4_audits}
    rows = []
    for quarter, grades, open_by, start, end in (
        (BASELINE, BASELINE_GRADES, datetime.date(2016, 3, 1), datetime.date(2016, 3, 1), datetime.date(2016, 3, 24)),
        (Q3, Q3_GRADES, datetime.date(2016, 10, 1), datetime.date(2016, 10, 10), datetime.date(2016, 12, 16)),
    ):
        pool = [
            c
            for c in cases
            if c.pk not in used and c.opened_on and c.opened_on < open_by and (c.closed_on is None or c.closed_on > end)
        ]
        chosen = rng.sample(pool, sum(grades.values()))
        for case, grade in zip(chosen, _grades_list(grades, rng), strict=True):
            used.add(case.pk)
            rows.append(
                {
                    "case_ref": case.case_ref,
                    "team": case.team.name,
                    "case_type": case.case_type,
                    "quarter": quarter.slug,
                    "overall_grade": grade.key,
                    "moderated_grade": "",
                    "completed_on": _day_between(rng, start, end).isoformat(),
                }
            )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "historic-results.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        result = import_audit_results(path)
        if result.errors:
            raise ValueError(f"The demo's historic results were refused: {result.errors[0]}")


def _thematic_round(cases: list[Case], auditors, users, rng) -> AuditRound:
    """April 2017: a thematic audit of neglect in child protection cases, still in progress."""
    on = datetime.date(2017, 4, 3)
    pool = [c.case_ref for c in cases if c.case_type == CaseType.CP and c.opened_on <= on and c.closed_on is None]
    round_ = create_thematic_round(
        quarter=Quarter.parse("2017-18-q1"),
        title="Neglect",
        case_refs=sorted(rng.sample(pool, min(10, len(pool)))),
        on=on,
        due_on=datetime.date(2017, 5, 12),
        auditors=auditors,
        user=users["officer"],
    )
    drawn_at = _aware(on, 9)
    AuditRound.objects.filter(pk=round_.pk).update(created_at=drawn_at)
    Audit.objects.filter(round=round_).update(allocated_at=drawn_at)
    Audit.history.filter(round_id=round_.pk).update(history_date=drawn_at, allocated_at=drawn_at)
    first = round_.audits.filter(auditor=users["auditor"]).order_by("pk").first()
    if first is not None:
        save_draft(
            audit=first,
            user=users["auditor"],
            entry=AuditEntry(
                themes={
                    Theme.SAFEGUARDING.value: ThemeEntry(Grade.REQUIRES_IMPROVEMENT.value, EVIDENCE[Theme.SAFEGUARDING])
                },
                areas_for_development="Neglect toolkit not used at the last review.",
            ),
        )
        started = _aware(datetime.date(2017, 4, 10), 11)
        Audit.objects.filter(pk=first.pk).update(started_at=started)
        Audit.history.filter(id=first.pk, history_date__gt=drawn_at).update(history_date=started, started_at=started)
        ThemeGrade.history.filter(audit_id=first.pk).update(history_date=started)
    return round_


def _actions(audits: list[Audit], rng, users) -> int:
    """Actions from below-good Q4 audits: most closed, a few open and overdue."""
    managers_by_team = {
        team.pk: list(team.managers.order_by("username")) for team in Team.objects.prefetch_related("managers")
    }
    fallback = users["officer"]
    candidates = [audit for audit in audits if audit.overall_grade and audit.overall_grade >= 3]
    chosen = rng.sample(candidates, min(24, len(candidates)))
    created = 0
    for index, audit in enumerate(sorted(chosen, key=lambda a: a.pk)):
        owners = managers_by_team.get(audit.team_id) or [fallback]
        due = audit.completed_on + datetime.timedelta(days=rng.choice([14, 21, 28, 42]))
        action = AuditAction(audit=audit, description=rng.choice(ACTION_TEXTS), owner=rng.choice(owners), due_on=due)
        if index >= 6:  # the first six stay open, past their due date
            action.closed_at = _aware(due - datetime.timedelta(days=rng.randint(0, 7)), 16)
            action.closed_by = action.owner
        action._history_user = audit.auditor
        action._history_date = audit.submitted_at
        action.save()
        AuditAction.objects.filter(pk=action.pk).update(created_at=audit.submitted_at)
        created += 1
    return created
