"""Import the case list from the case management system's extract.

Columns: case_ref, case_type, team, worker_staff_number, opened_on, closed_on. Teams and workers
must already exist. Upserts on case_ref, so a re-import updates allocation and closure and the same
file twice changes nothing. Cases missing from the file are left as they are.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import connection

from audits.choices import CaseType
from audits.imports.tabular import AuditImporter, AuditWording, parse_date
from audits.models import Case, case_ref_validator
from caseloads.models import Team, Worker
from perfsite.imports import ImportRejected, ImportResult, Problem, run_import
from perfsite.imports.staging import insert_rows_with_history, update_rows_with_history, upsert_rows_with_history
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

    def check(self, table: Table, result: ImportResult) -> dict[str, tuple]:
        self.begin(result)
        return _parse(table.rows)

    def apply(self, parsed: dict[str, tuple], result: ImportResult, *, user) -> None:
        _write(parsed, result, user=user)


def import_cases(source, *, filename: str | None = None, dry_run: bool = False, user=None) -> ImportResult:
    return run_import(CasesImporter(), source, filename=filename, dry_run=dry_run, user=user)


_REFUSED = object()
CASE_TYPES = frozenset(CaseType.values)  # Django builds ``.values`` anew on every access


def _date_once(dates: dict, raw: str):
    """``parse_date`` once per distinct cell: a date, or the ValueError's words (dates recur on many rows)."""
    found = dates.get(raw)
    if found is None:
        try:
            found = parse_date(raw)
        except ValueError as exc:
            found = (_REFUSED, str(exc))
        dates[raw] = found
    return found


def _parse(rows) -> dict[str, tuple]:
    """Every row checked in memory against the teams and workers read once; every problem by row and column.

    This runs once a row of files of 100,000 rows (issue 13), so a row that is right pays only for
    a few dictionary look-ups: the lookups are read as plain pairs (no model instance each: a
    council has tens of thousands of workers), each distinct date cell is parsed once, and a row's
    problems are gathered only when one of its cells is wrong.
    """
    teams = {name.casefold(): pk for name, pk in Team.objects.order_by().values_list("name", "pk")}
    workers = {number.casefold(): pk for number, pk in Worker.objects.order_by().values_list("staff_number", "pk")}
    # The validator's pattern is a lazy object, which would cost a proxy call a row; this is the same pattern.
    ref_search = re.compile(case_ref_validator.regex.pattern, case_ref_validator.regex.flags).search
    errors: list[Problem] = []
    parsed: dict[str, tuple] = {}
    first_row: dict[str, int] = {}
    dates: dict[str, object] = {"": None}
    for number, cells in rows:
        get = cells.get
        ref = get("case_ref", "").strip().upper()
        case_type = get("case_type", "").lower()
        team_id = teams.get(get("team", "").casefold())
        staff_number = get("worker_staff_number", "")
        worker_id = workers.get(staff_number.casefold()) if staff_number else None
        raw_opened, raw_closed = get("opened_on", ""), get("closed_on", "")
        opened = dates[raw_opened] if raw_opened in dates else _date_once(dates, raw_opened)
        closed = dates[raw_closed] if raw_closed in dates else _date_once(dates, raw_closed)
        if (
            ref_search(ref) is None
            or case_type not in CASE_TYPES
            or team_id is None
            or (staff_number and worker_id is None)
            or opened is None
            or type(opened) is tuple
            or type(closed) is tuple
            or (closed is not None and closed < opened)
            or ref in first_row
        ):
            errors.extend(_problems(number, cells, ref, teams, workers, dates, first_row))
            continue
        first_row[ref] = number
        parsed[ref] = (case_type, team_id, worker_id, opened, closed)  # in FIELDS' order, as the rows are written
    if errors:
        raise ImportRejected(errors)
    return parsed


def _problems(number: int, cells: dict, ref: str, teams: dict, workers: dict, dates: dict, first_row: dict):
    """Every problem of a row that has one, by column, in the columns' order."""
    problems: list[tuple[str, str]] = []
    ref = cells.get("case_ref", "").strip().upper()
    try:
        ref = clean_case_ref(ref)
    except ValueError as exc:
        problems.append(("case_ref", str(exc)))
        ref = None
    case_type = cells.get("case_type", "").lower()
    if case_type not in CASE_TYPES:
        problems.append(("case_type", f"{case_type!r} is not one of {', '.join(CaseType.values)}"))
    team_name = cells.get("team", "")
    if teams.get(team_name.casefold()) is None:
        problems.append(("team", f"no team is called {team_name!r}"))
    staff_number = cells.get("worker_staff_number", "")
    if staff_number and workers.get(staff_number.casefold()) is None:
        problems.append(("worker_staff_number", f"no worker has staff number {staff_number!r}"))
    days = {}
    for column, required in (("opened_on", True), ("closed_on", False)):
        raw = cells.get(column)
        days[column] = None
        if raw is None or str(raw).strip() == "":
            if required:
                problems.append((column, "enter the date the case was opened"))
            continue
        day = _date_once(dates, raw)
        if type(day) is tuple:
            problems.append((column, day[1]))
        else:
            days[column] = day
    if days["opened_on"] and days["closed_on"] and days["closed_on"] < days["opened_on"]:
        problems.append(("closed_on", "the case cannot close before it opened"))
    if ref and ref in first_row:
        problems.append(("case_ref", f"{ref} is already on row {first_row[ref]}"))
    return [Problem(number, column, message) for column, message in problems]


def _write(parsed: dict[str, tuple], result: ImportResult, *, user) -> None:
    """New cases and changed ones as plain rows: COPY into a staging table, then set-based SQL with history.

    On PostgreSQL which cases are new, changed or as stored is decided in SQL on the staging table
    (no stored case is read into Python); elsewhere the stored cases are read once and compared here.
    """
    author = user if getattr(user, "is_authenticated", False) else None
    if connection.vendor == "postgresql":
        rows = [(ref, *values) for ref, values in parsed.items()]
        created, updated = upsert_rows_with_history(Case, "case_ref", FIELDS, rows, default_user=author)
        result.tally("unchanged", len(rows) - created - updated)
        result.tally("created", created)
        result.tally("updated", updated)
        return
    stored = {
        ref: (pk, stored_fields)
        for ref, pk, *stored_fields in Case.objects.filter(case_ref__in=list(parsed))
        .order_by()
        .values_list("case_ref", "pk", *FIELDS)
    }
    to_create, to_update = [], []
    for ref, values in parsed.items():
        wanted = list(values)
        found = stored.get(ref)
        if found is None:
            to_create.append((ref, *wanted))
        elif found[1] != wanted:
            to_update.append((found[0], *wanted))
        else:
            result.tally("unchanged")
    result.tally("created", len(to_create))
    result.tally("updated", len(to_update))
    insert_rows_with_history(Case, ("case_ref", *FIELDS), to_create, default_user=author)
    gone = update_rows_with_history(Case, FIELDS, to_update, compare=FIELDS, default_user=author)
    if gone:  # removed since the check: the reference is free again, so the case is written afresh
        refs = {found[0]: ref for ref, found in stored.items()}
        insert_rows_with_history(
            Case,
            ("case_ref", *FIELDS),
            [(refs[row[0]], *row[1:]) for row in to_update if row[0] in gone],
            default_user=author,
        )
