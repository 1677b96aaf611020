"""Import historic audit results (before perfsite, or from another system).

Columns: case_ref, team, case_type, quarter, overall_grade, moderated_grade, completed_on.
Each quarter's rows go into that quarter's "Imported results" round, one audit per case, upserted on
(quarter, case_ref): the same file twice changes nothing. Missing cases are created in their
(existing) team; unknown teams and grades are refused.
"""

from __future__ import annotations

from django.utils import timezone

from audits.choices import CaseType, Grade, RoundKind
from audits.computed import recompute_after
from audits.imports.cases import clean_case_ref
from audits.imports.tabular import AuditImporter, AuditWording, parse_date
from audits.lifecycle import Transition, move
from audits.models import Audit, AuditRound, Case, Moderation
from audits.tallies import refresh_quarters
from caseloads.models import Team
from indicators.quarters import Quarter, QuarterError
from perfsite.imports import ImportRejected, ImportResult, Problem, run_import
from perfsite.tabular import Table

COLUMNS = ("case_ref", "team", "case_type", "quarter", "overall_grade", "moderated_grade", "completed_on")
REQUIRED = ("case_ref", "team", "case_type", "quarter", "overall_grade", "completed_on")
OPTIONAL = ("moderated_grade",)
HISTORIC_TITLE = "Imported results"


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
    refs = {item["case_ref"] for item in parsed}
    quarters = {item["quarter"].slug for item in parsed}
    cases = {case.case_ref: case for case in Case.objects.filter(case_ref__in=refs)}
    new_cases = refs - set(cases)
    # A case audited live in a quarter must not also get an imported result for it.
    live = {
        (audit.round.quarter, audit.case.case_ref): audit.round.title
        for audit in Audit.objects.filter(case__case_ref__in=refs, round__quarter__in=quarters)
        .exclude(round__kind=RoundKind.HISTORIC)
        .select_related("round", "case")
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
    rounds = {r.quarter: r for r in AuditRound.objects.filter(kind=RoundKind.HISTORIC, quarter__in=quarters)}
    existing = {
        (audit.round.quarter, audit.case.case_ref): audit
        for audit in Audit.objects.filter(round__kind=RoundKind.HISTORIC, round__quarter__in=quarters)
        .filter(case__case_ref__in=refs)
        .select_related("round", "case", "moderation")
    }
    for item in parsed:
        result.tally(_upsert(item, cases, rounds, existing, user=user))
    # Only the quarters' imported-results rounds changed (a completion date is always inside its quarter).
    refresh_quarters(quarters={item["quarter"] for item in parsed}, rounds=rounds.values())
    if new_cases:
        result.notes.append(f"{len(new_cases)} case(s) created from the results")


def _upsert(item, cases, rounds, existing, *, user) -> str:
    quarter: Quarter = item["quarter"]
    case = cases.get(item["case_ref"])
    if case is None:
        case = Case(case_ref=item["case_ref"], case_type=item["case_type"], team=item["team"])
        case._history_user = user
        case.save()
        cases[case.case_ref] = case
    round_ = rounds.get(quarter.slug)
    if round_ is None:
        round_ = AuditRound.objects.create(
            kind=RoundKind.HISTORIC,
            quarter=quarter.slug,
            title=HISTORIC_TITLE,
            selection="Results recorded before perfsite, imported from a file",
            created_by=user,
        )
        rounds[quarter.slug] = round_
    audit = existing.get((quarter.slug, item["case_ref"]))
    wanted = {
        "team_id": item["team"].pk,
        "case_type": item["case_type"],
        "overall_grade": item["overall_grade"],
        "completed_on": item["completed_on"],
    }
    outcome = "unchanged"
    counted_on = audit.completed_on if audit is not None else None
    if audit is None:
        audit = Audit(round=round_, case=case, closed_at=timezone.now(), **wanted)
        move(audit, Transition.RECORD)
        audit._history_user = user
        audit._change_reason = "Imported"
        audit.save()
        outcome = "created"
    elif any(getattr(audit, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(audit, name, value)
        audit._history_user = user
        audit._change_reason = "Re-imported"
        audit.save(update_fields=list(wanted))
        outcome = "updated"
    moderation = getattr(audit, "moderation", None) if outcome != "created" else None
    if item["moderated_grade"] is None:
        if moderation is not None:
            moderation._history_user = user
            moderation.delete()
            outcome = "updated"
    elif moderation is None:
        Moderation.objects.create(audit=audit, grade=item["moderated_grade"], moderated_at=timezone.now())
        outcome = "updated" if outcome == "unchanged" else outcome
    elif moderation.grade != item["moderated_grade"]:
        moderation.grade = item["moderated_grade"]
        moderation._history_user = user
        moderation.save(update_fields=["grade"])
        outcome = "updated" if outcome == "unchanged" else outcome
    if outcome != "unchanged":
        recompute_after(counted_on, audit.completed_on)
    return outcome
