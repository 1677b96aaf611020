"""Import the case list from the case management system's extract.

Columns: case_ref, case_type, team, worker_staff_number, opened_on, closed_on. Teams and workers
must already exist. Upserts on case_ref, so a re-import updates allocation and closure and the same
file twice changes nothing. Cases missing from the file are left as they are.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from audits.choices import CaseType
from audits.imports.tabular import AuditImporter, AuditWording, parse_date
from audits.models import Case, case_ref_validator
from caseloads.models import Team, Worker
from perfsite.imports import (
    ImportRejected,
    ImportResult,
    Problem,
    copy_create_with_history,
    copy_update_with_history,
    run_import,
)
from perfsite.tabular import Table

COLUMNS = ("case_ref", "case_type", "team", "worker_staff_number", "opened_on", "closed_on")
REQUIRED = ("case_ref", "case_type", "team", "opened_on")
OPTIONAL = ("worker_staff_number", "closed_on")
FIELDS = ("case_type", "team_id", "worker_id", "opened_on", "closed_on")


def clean_case_ref(text: str) -> str:
    ref = text.strip().upper()
    try:
        case_ref_validator(ref)
    except ValidationError as exc:
        raise ValueError(exc.messages[0]) from None
    return ref


class CasesImporter(AuditImporter):
    kind = "cases"
    noun = "case(s)"
    wording = AuditWording(REQUIRED, OPTIONAL)

    def check(self, table: Table, result: ImportResult) -> dict[str, dict]:
        self.begin(result)
        return _parse(table.rows)

    def apply(self, parsed: dict[str, dict], result: ImportResult, *, user) -> None:
        _write(parsed, result, user=user)


def import_cases(source, *, filename: str | None = None, dry_run: bool = False, user=None) -> ImportResult:
    return run_import(CasesImporter(), source, filename=filename, dry_run=dry_run, user=user)


def _parse(rows) -> dict[str, dict]:
    teams = {team.name.casefold(): team for team in Team.objects.all()}
    workers = {worker.staff_number.casefold(): worker for worker in Worker.objects.all()}
    errors: list[Problem] = []
    parsed: dict[str, dict] = {}
    first_row: dict[str, int] = {}
    for row in rows:
        problems: list[tuple[str, str]] = []
        values: dict[str, object] = {}
        try:
            ref = clean_case_ref(row.text("case_ref"))
        except ValueError as exc:
            problems.append(("case_ref", str(exc)))
            ref = None
        case_type = row.text("case_type").lower()
        if case_type not in CaseType.values:
            problems.append(("case_type", f"{case_type!r} is not one of {', '.join(CaseType.values)}"))
        values["case_type"] = case_type
        team = teams.get(row.text("team").casefold())
        if team is None:
            problems.append(("team", f"no team is called {row.text('team')!r}"))
        values["team_id"] = team.pk if team else None
        staff_number = row.text("worker_staff_number")
        worker = workers.get(staff_number.casefold()) if staff_number else None
        if staff_number and worker is None:
            problems.append(("worker_staff_number", f"no worker has staff number {staff_number!r}"))
        values["worker_id"] = worker.pk if worker else None
        for column, required in (("opened_on", True), ("closed_on", False)):
            raw = row.values.get(column)
            if raw is None or str(raw).strip() == "":
                if required:
                    problems.append((column, "enter the date the case was opened"))
                values[column] = None
                continue
            try:
                values[column] = parse_date(raw)
            except ValueError as exc:
                problems.append((column, str(exc)))
                values[column] = None
        if values.get("opened_on") and values.get("closed_on") and values["closed_on"] < values["opened_on"]:
            problems.append(("closed_on", "the case cannot close before it opened"))
        if ref and ref in first_row:
            problems.append(("case_ref", f"{ref} is already on row {first_row[ref]}"))
        if problems:
            errors.extend(Problem(row.number, column, message) for column, message in problems)
            continue
        first_row[ref] = row.number
        parsed[ref] = values
    if errors:
        raise ImportRejected(errors)
    return parsed


def _write(parsed: dict[str, dict], result: ImportResult, *, user) -> None:
    existing = {case.case_ref: case for case in Case.objects.filter(case_ref__in=list(parsed))}
    to_create, to_update = [], []
    for ref, values in parsed.items():
        case = existing.get(ref)
        if case is None:
            to_create.append(Case(case_ref=ref, **values))
        elif any(getattr(case, name) != values[name] for name in FIELDS):
            for name in FIELDS:
                setattr(case, name, values[name])
            to_update.append(case)
        else:
            result.tally("unchanged")
    result.tally("created", len(to_create))
    result.tally("updated", len(to_update))
    # By COPY on PostgreSQL, new cases and changed ones alike, with their history rows.
    author = user if getattr(user, "is_authenticated", False) else None
    copy_create_with_history(to_create, Case, default_user=author)
    copy_update_with_history(to_update, Case, FIELDS, default_user=author)
