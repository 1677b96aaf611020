"""Import historic audit results (before perfsite, or from another system).

Columns: case_ref, team, case_type, quarter, overall_grade, moderated_grade, completed_on.
Each quarter's rows go into that quarter's "Imported results" round, one audit per case, upserted on
(quarter, case_ref): the same file twice changes nothing. Missing cases are created in their
(existing) team; unknown teams and grades are refused.

Every row is checked in memory first, then the cases, rounds, audits and moderations the file
touches are looked up in a fixed number of queries and each table written in one go (COPY on
PostgreSQL, ``perfsite.imports.copying``), with a history row each; each new audit is recorded
closed through the lifecycle. The quarters whose figures moved are recomputed by one task queued
on commit. A clash with another writer in between refuses the whole file.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from audits.choices import CaseType, Grade, RoundKind
from audits.computed import recompute_after
from audits.imports.cases import clean_case_ref
from audits.imports.tabular import AuditImporter, AuditWording, parse_date
from audits.lifecycle import Transition, move
from audits.models import Audit, AuditRound, Case, Moderation
from audits.round_tallies import recount_rounds
from audits.tallies import refresh_quarters
from caseloads.models import Team
from indicators.quarters import Quarter, QuarterError
from perfsite.imports import (
    ImportRejected,
    ImportResult,
    Problem,
    copy_create_with_history,
    copy_update_with_history,
    run_import,
)
from perfsite.imports.deleting import delete_with_history
from perfsite.tabular import Table

COLUMNS = ("case_ref", "team", "case_type", "quarter", "overall_grade", "moderated_grade", "completed_on")
REQUIRED = ("case_ref", "team", "case_type", "quarter", "overall_grade", "completed_on")
OPTIONAL = ("moderated_grade",)
HISTORIC_TITLE = "Imported results"
AUDIT_FIELDS = ("team", "case_type", "overall_grade", "completed_on")
RACED = (
    "Some of these results, cases or rounds were saved by someone else while the file was being checked. "
    "Nothing was imported: run the import again."
)


class ResultsImporter(AuditImporter):
    kind = "audit_results"
    noun = "result(s)"
    wording = AuditWording(REQUIRED, OPTIONAL)

    def check(self, table: Table, result: ImportResult) -> list[dict]:
        self.begin(result)
        teams = {team.name.casefold(): team for team in Team.objects.all()}
        parsed, errors = _parse(table.rows, teams)
        if errors:
            raise ImportRejected(errors)
        return parsed

    def apply(self, parsed: list[dict], result: ImportResult, *, user) -> None:
        _write(parsed, result, user=user)


def import_audit_results(source, *, filename: str | None = None, dry_run: bool = False, user=None) -> ImportResult:
    return run_import(ResultsImporter(), source, filename=filename, dry_run=dry_run, user=user)


def _parse(rows, teams) -> tuple[list[dict], list[Problem]]:
    errors: list[Problem] = []
    parsed: list[dict] = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        problems = []
        item: dict = {"row": row.number}
        try:
            item["case_ref"] = clean_case_ref(row.text("case_ref"))
        except ValueError as exc:
            problems.append(("case_ref", str(exc)))
        item["team"] = teams.get(row.text("team").casefold())
        if item["team"] is None:
            problems.append(("team", f"no team is called {row.text('team')!r}"))
        item["case_type"] = row.text("case_type").lower()
        if item["case_type"] not in CaseType.values:
            problems.append(("case_type", f"{item['case_type']!r} is not one of {', '.join(CaseType.values)}"))
        try:
            item["quarter"] = Quarter.parse(row.text("quarter"))
        except QuarterError as exc:
            problems.append(("quarter", str(exc)))
            item["quarter"] = None
        try:
            item["overall_grade"] = Grade.from_key(row.text("overall_grade")).value
        except ValueError as exc:
            problems.append(("overall_grade", str(exc)))
        moderated = row.text("moderated_grade")
        item["moderated_grade"] = None
        if moderated:
            try:
                item["moderated_grade"] = Grade.from_key(moderated).value
            except ValueError as exc:
                problems.append(("moderated_grade", str(exc)))
        try:
            item["completed_on"] = parse_date(row.values.get("completed_on") or "")
        except ValueError as exc:
            problems.append(("completed_on", str(exc)))
        else:
            quarter = item["quarter"]
            if quarter and not (quarter.start <= item["completed_on"] <= quarter.end):
                problems.append(
                    (
                        "completed_on",
                        f"{item['completed_on'].isoformat()} is not in {quarter.slug} "
                        f"({quarter.start.isoformat()} to {quarter.end.isoformat()})",
                    )
                )
        if not problems:
            key = (item["quarter"].slug, item["case_ref"])
            if key in seen:
                problems.append(
                    ("case_ref", f"{item['case_ref']} already has a result for {key[0]} on row {seen[key]}")
                )
            seen[key] = row.number
        if problems:
            errors.extend(Problem(row.number, column, message) for column, message in problems)
        else:
            parsed.append(item)
    return parsed, errors


def _write(parsed: list[dict], result: ImportResult, *, user) -> None:
    """Upsert every result in bulk: lookups preloaded, each table written in one go, one recompute queued."""
    author = user if getattr(user, "is_authenticated", False) else None
    refs = {item["case_ref"] for item in parsed}
    quarters = {item["quarter"].slug for item in parsed}
    _refuse_live_audits(parsed, refs, quarters)
    cases: dict[str, Case | int] = dict(Case.objects.filter(case_ref__in=refs).values_list("case_ref", "pk"))
    rounds = {r.quarter: r for r in AuditRound.objects.filter(kind=RoundKind.HISTORIC, quarter__in=quarters)}
    existing = _stored_results(refs, quarters)
    writes = _Writes()
    for item in parsed:
        result.tally(_plan(item, cases, rounds, existing, writes, author=author))
    try:
        # A savepoint, so a clash with another writer is reported rather than breaking the transaction.
        with transaction.atomic():
            _apply(writes, author)
    except IntegrityError:
        raise ImportRejected([Problem(0, "", RACED)]) from None
    if writes.cases:
        result.notes.append(f"{len(writes.cases)} case(s) created from the results")
    # Only the quarters' imported-results rounds changed (a completion date is always inside its quarter).
    refresh_quarters(quarters={item["quarter"] for item in parsed}, rounds=rounds.values())
    recount_rounds(rounds=rounds.values())  # audits created, moderations added or dropped
    _after_writing(writes.days)


def _after_writing(days: set[datetime.date]) -> None:
    """What follows the writes, once for the whole file and inside its transaction: the days it moved."""
    # Every quarter an agreed grade left or joined, recomputed in one task rather than one per result.
    recompute_after(*days)


def _refuse_live_audits(parsed: list[dict], refs: set[str], quarters: set[str]) -> None:
    """A case audited live in a quarter must not also get an imported result for it."""
    live = {
        (quarter, ref): title
        for quarter, ref, title in Audit.objects.filter(case__case_ref__in=refs, round__quarter__in=quarters)
        .exclude(round__kind=RoundKind.HISTORIC)
        .values_list("round__quarter", "case__case_ref", "round__title")
    }
    clashes = [
        Problem(
            item["row"],
            "case_ref",
            f"{item['case_ref']} was already audited in {item['quarter'].slug} "
            f'("{live[(item["quarter"].slug, item["case_ref"])]}")',
        )
        for item in parsed
        if (item["quarter"].slug, item["case_ref"]) in live
    ]
    if clashes:
        raise ImportRejected(clashes)


@dataclass
class _Writes:
    """Everything the file changes, gathered in memory so that each table is written in one go."""

    cases: list[Case] = field(default_factory=list)
    rounds: list[AuditRound] = field(default_factory=list)
    new_audits: list[Audit] = field(default_factory=list)
    new_cases_audited: list[tuple[Audit, Case]] = field(default_factory=list)
    changed_audits: list[Audit] = field(default_factory=list)
    new_moderations: list[tuple[Audit, int]] = field(default_factory=list)
    changed_moderations: list[Moderation] = field(default_factory=list)
    dropped_moderations: list[Moderation] = field(default_factory=list)
    days: set[datetime.date] = field(default_factory=set)


AUDIT_FIELDS_STORED = list(Audit._meta.concrete_fields)
MODERATION_FIELDS_STORED = list(Moderation._meta.concrete_fields)


def _stored_results(refs: set[str], quarters: set[str]) -> dict[tuple[str, str], tuple[dict, dict | None]]:
    """The file's results already imported, by (quarter, case_ref): the audit and its moderation as values.

    Read as plain values in one query (locked), since most of a re-imported file is unchanged; a
    model instance is made only for a result that changes.
    """
    names = [
        *(f.name for f in AUDIT_FIELDS_STORED),
        *(f"moderation__{f.name}" for f in MODERATION_FIELDS_STORED),
        "round__quarter",
        "case__case_ref",
    ]
    rows = (
        Audit.objects.filter(round__kind=RoundKind.HISTORIC, round__quarter__in=quarters, case__case_ref__in=refs)
        .select_for_update(of=("self",))
        .values_list(*names)
    )
    split = len(AUDIT_FIELDS_STORED)
    stored = {}
    for row in rows:
        audit = {f.attname: value for f, value in zip(AUDIT_FIELDS_STORED, row[:split], strict=True)}
        moderation = row[split : split + len(MODERATION_FIELDS_STORED)]
        stored[(row[-2], row[-1])] = (
            audit,
            None
            if moderation[0] is None
            else {f.attname: value for f, value in zip(MODERATION_FIELDS_STORED, moderation, strict=True)},
        )
    return stored


def _instance(model, values: dict):
    """A stored row as its model instance, without reading it again."""
    return model.from_db(None, list(values), list(values.values()))


def _plan(item, cases, rounds, existing, writes: _Writes, *, author) -> str:
    """What one result changes, added to ``writes``: "created", "updated" or "unchanged"."""
    quarter: Quarter = item["quarter"]
    round_ = rounds.get(quarter.slug)
    if round_ is None:
        round_ = AuditRound(
            kind=RoundKind.HISTORIC,
            quarter=quarter.slug,
            title=HISTORIC_TITLE,
            selection="Results recorded before perfsite, imported from a file",
            created_by=author,
        )
        rounds[quarter.slug] = round_
        writes.rounds.append(round_)
    wanted = {
        "team_id": item["team"].pk,
        "case_type": item["case_type"],
        "overall_grade": item["overall_grade"],
        "completed_on": item["completed_on"],
    }
    stored = existing.get((quarter.slug, item["case_ref"]))
    if stored is None:
        audit = Audit(round=round_, closed_at=timezone.now(), **wanted)
        case = cases.get(item["case_ref"])
        if case is None:
            case = Case(case_ref=item["case_ref"], case_type=item["case_type"], team=item["team"])
            cases[case.case_ref] = case
            writes.cases.append(case)
        if isinstance(case, Case):
            audit.case = case
            writes.new_cases_audited.append((audit, case))
        else:
            audit.case_id = case
        # Through the lifecycle: a historic result is recorded closed, and only in a historic round.
        move(audit, Transition.RECORD)
        audit._change_reason = "Imported"
        writes.new_audits.append(audit)
        if item["moderated_grade"] is not None:
            writes.new_moderations.append((audit, item["moderated_grade"]))
        writes.days.add(audit.completed_on)
        return "created"
    values, moderated = stored
    outcome = "unchanged"
    if any(values[name] != value for name, value in wanted.items()):
        audit = _instance(Audit, values)
        for name, value in wanted.items():
            setattr(audit, name, value)
        audit._change_reason = "Re-imported"
        writes.changed_audits.append(audit)
        outcome = "updated"
    if item["moderated_grade"] is None:
        if moderated is not None:
            writes.dropped_moderations.append(_instance(Moderation, moderated))
            outcome = "updated"
    elif moderated is None:
        writes.new_moderations.append((_instance(Audit, values), item["moderated_grade"]))
        outcome = "updated"
    elif moderated["grade"] != item["moderated_grade"]:
        moderation = _instance(Moderation, moderated)
        moderation.grade = item["moderated_grade"]
        writes.changed_moderations.append(moderation)
        outcome = "updated"
    if outcome != "unchanged":
        writes.days.update((values["completed_on"], item["completed_on"]))
    return outcome


def _apply(writes: _Writes, author) -> None:
    copy_create_with_history(writes.cases, Case, default_user=author)
    copy_create_with_history(writes.rounds, AuditRound, default_user=author)
    # Audits made just now take the keys their new case and round were given.
    for audit in writes.new_audits:
        audit.round_id = audit.round.pk
    for audit, case in writes.new_cases_audited:
        audit.case_id = case.pk
    copy_create_with_history(writes.new_audits, Audit, default_user=author)
    copy_update_with_history(writes.changed_audits, Audit, AUDIT_FIELDS, default_user=author)
    now = timezone.now()
    copy_create_with_history(
        [Moderation(audit_id=audit.pk, grade=grade, moderated_at=now) for audit, grade in writes.new_moderations],
        Moderation,
        default_user=author,
    )
    copy_update_with_history(writes.changed_moderations, Moderation, ["grade"], default_user=author)
    delete_with_history(writes.dropped_moderations, Moderation, default_user=author, reason="Re-imported")
