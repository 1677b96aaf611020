"""``import_caseloads``: monthly caseload figures from a spreadsheet, written as submitted returns.

Run by the shared import framework (``perfsite.imports``), from the command or the upload page.
All or nothing: every row is checked first (``import_checks``) and any bad row, named by its
spreadsheet row number (header = row 1) and column, rejects the whole file. A dry run (and a
page's preview) writes everything inside the transaction and rolls it back, so its counts are
exactly what confirming does. Idempotent: teams
match by name (ignoring case), workers by staff number, returns by team and month, lines by
worker; a return whose lines already match the file is left untouched (no new version, no
history), so importing a file twice changes nothing the second time.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from caseloads import lifecycle
from caseloads.computed import recompute_months
from caseloads.models import CaseloadLine, CaseloadReturn, ServiceArea, Team, Worker
from caseloads.months import month_slug
from caseloads.services.import_checks import (
    CSV_SUFFIXES,
    SERVICE_AREA_WORDS,
    SPLIT_COLUMNS,
    WORDING,
    XLSX_SUFFIXES,
    ImportRow,
    check_rows,
    months_from_date_cells,
    rejected,
)
from caseloads.tallies import refresh_tallies
from perfsite.imports import (
    Importer,
    ImportResult,
    Problem,
    copy_create_with_history,
    copy_update_with_history,
    run_import,
)
from perfsite.imports.deleting import delete_with_history
from perfsite.tabular import Table

LINE_FIELDS = ("role", "employment", "wte", "cases", *SPLIT_COLUMNS)
COUNTS = (
    "teams_created",
    "workers_created",
    "workers_updated",
    "returns_created",
    "returns_changed",
    "returns_unchanged",
)

__all__ = ["CaseloadsImporter", "import_file"]


class CaseloadsImporter(Importer):
    kind = "caseloads"
    csv_suffixes = CSV_SUFFIXES
    xlsx_suffixes = XLSX_SUFFIXES
    wording = WORDING

    def __init__(self, *, today: datetime.date | None = None):
        self.today = today

    def check(self, table: Table, result: ImportResult) -> list[ImportRow]:
        months_from_date_cells(table)
        rows = check_rows(table.headers, table.rows, today=self.today)
        result.counts = dict.fromkeys(COUNTS, 0)
        result.counts["rows"] = len(rows)
        return rows

    def apply(self, rows: list[ImportRow], result: ImportResult, *, user) -> None:
        write_rows(rows, result, user=user)

    def summary(self, result: ImportResult) -> str:
        counts = result.counts
        verb = "Would write" if result.dry_run else "Wrote"
        created = result.names.get("teams", [])
        teams = f" ({', '.join(created)})" if created else ""
        return (
            f"{verb} {counts['rows']} rows: {len(created)} new teams{teams}, "
            f"{counts['workers_created']} new workers, {counts['workers_updated']} workers updated, "
            f"{counts['returns_created']} new returns, {counts['returns_changed']} changed, "
            f"{counts['returns_unchanged']} unchanged."
        )

    def summary_counts(self, result: ImportResult) -> dict:
        return dict(result.counts)

    def has_changes(self, result: ImportResult) -> bool:
        return any(result.counts.get(name) for name in COUNTS if name != "returns_unchanged")


# Writing ------------------------------------------------------------------------------------

RACED = (
    "Some of these returns, workers or teams were saved by someone else while the file was being "
    "checked. Nothing was imported: run the import again."
)
RETURN_FIELDS = ("status", "submitted_at", "submitted_by", "first_submitted_at", "version", "updated_at", "updated_by")


def _user_or_none(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def write_rows(rows: list[ImportRow], result: ImportResult, *, user=None) -> None:
    """Check the rows against the database, then write teams, workers and submitted returns in bulk.

    Every lookup is preloaded in a fixed number of queries and every write is one bulk statement
    per table (COPY on PostgreSQL), so the queries do not grow with the file. Runs inside the
    framework's transaction, which a dry run or a problem rolls back.
    """
    author = _user_or_none(user)
    existing_teams = {team.name.lower(): team for team in Team.objects.all()}
    new_team_areas = _check_teams(rows, existing_teams)
    _check_not_on_other_teams(rows)
    try:
        # A savepoint, so a clash with another writer is reported rather than breaking the transaction.
        with transaction.atomic():
            teams = _create_teams(new_team_areas, existing_teams, result, author)
            workers = _upsert_workers(rows, teams, result, author)
            months = _write_returns(rows, teams, workers, result, author)
    except IntegrityError:
        raise rejected([Problem(0, "", RACED)]) from None
    _after_writing(months)


def _after_writing(months: set[datetime.date]) -> None:
    """What follows the writes, once for the whole file and inside its transaction: the months it changed."""
    recompute_months(months)


def _check_teams(rows: list[ImportRow], existing: dict[str, Team]) -> dict[str, tuple[str, str]]:
    """New teams' names and service areas; a bad or missing service area rejects the file."""
    errors: list[Problem] = []
    areas: dict[str, tuple[int, str | None]] = {}
    for row in rows:
        key = row.team.lower()
        if key in areas and row.service_area and areas[key][1] and row.service_area != areas[key][1]:
            errors.append(Problem(row.row, "service_area", f"differs from row {areas[key][0]} for team {row.team}"))
        elif key not in areas or (row.service_area and not areas[key][1]):
            areas[key] = (row.row, row.service_area)
        if key in existing and row.service_area and row.service_area != existing[key].service_area:
            errors.append(
                Problem(
                    row.row,
                    "service_area",
                    f"team {existing[key].name} is already {existing[key].get_service_area_display()}",
                )
            )
    new: dict[str, tuple[str, str]] = {}
    names = {row.team.lower(): row.team for row in rows}
    for key, (first_row, area) in areas.items():
        if key in existing:
            continue
        area = area or next((a for word, a in SERVICE_AREA_WORDS if word in key), None)
        if area is None:
            errors.append(
                Problem(
                    first_row,
                    "team",
                    f"{names[key]} is a new team and its service area cannot be told from its name; "
                    f"add a service_area column ({', '.join(ServiceArea.values)})",
                )
            )
            continue
        new[key] = (names[key], area)
    if errors:
        raise rejected(errors)
    return new


def _check_not_on_other_teams(rows: list[ImportRow]) -> None:
    """A worker already on another team's return for a month the file does not rewrite would count twice."""
    file_groups = {(row.month, row.team.lower()) for row in rows}
    held = CaseloadLine.objects.filter(
        worker__staff_number__in={row.staff_number for row in rows},
        caseload_return__month__in={row.month for row in rows},
    ).values_list("worker__staff_number", "caseload_return__month", "caseload_return__team__name")
    elsewhere = {(number, month): team for number, month, team in held if (month, team.lower()) not in file_groups}
    errors = [
        Problem(
            row.row,
            "staff_number",
            f"{row.staff_number} is already on {elsewhere[(row.staff_number, row.month)]}'s return for "
            f"{month_slug(row.month)}; a worker can be on one team's return a month",
        )
        for row in rows
        if (row.staff_number, row.month) in elsewhere
    ]
    if errors:
        raise rejected(errors)


def _create_teams(new, existing: dict[str, Team], result: ImportResult, author) -> dict[str, Team]:
    teams = dict(existing)
    created = []
    for key, (name, area) in sorted(new.items()):
        team = Team(name=name, service_area=area)
        team._change_reason = "Imported"
        teams[key] = team
        created.append(team)
        result.names.setdefault("teams", []).append(name)
    copy_create_with_history(created, Team, default_user=author)
    result.tally("teams_created", len(created))
    return teams


def _upsert_workers(rows: list[ImportRow], teams: dict[str, Team], result: ImportResult, author) -> dict[str, Worker]:
    """Create missing workers; update details from each worker's latest row unless the database knows a later month."""
    latest: dict[str, ImportRow] = {}
    for row in sorted(rows, key=lambda r: (r.month, r.row)):
        latest[row.staff_number] = row
    workers = {w.staff_number: w for w in Worker.objects.filter(staff_number__in=latest)}
    known_until = dict(
        CaseloadLine.objects.filter(worker__staff_number__in=latest)
        .exclude(caseload_return__month__in={row.month for row in rows})
        .values("worker__staff_number")
        .annotate(last=Max("caseload_return__month"))
        .values_list("worker__staff_number", "last")
    )
    to_create, to_update = [], []
    for number, row in latest.items():
        details = {
            "name": row.worker_name,
            "team_id": teams[row.team.lower()].pk,
            "role": row.role,
            "employment": row.employment,
            "wte": row.wte,
        }
        worker = workers.get(number)
        if worker is None:
            worker = Worker(staff_number=number, **details)
            worker._change_reason = "Imported"
            to_create.append(worker)
            workers[number] = worker
            continue
        if known_until.get(number) and known_until[number] > row.month:
            continue
        if any(getattr(worker, name) != value for name, value in details.items()):
            for name, value in details.items():
                setattr(worker, name, value)
            worker._change_reason = "Imported"
            to_update.append(worker)
    copy_create_with_history(to_create, Worker, default_user=author)
    copy_update_with_history(to_update, Worker, ["name", "team", "role", "employment", "wte"], default_user=author)
    result.tally("workers_created", len(to_create))
    result.tally("workers_updated", len(to_update))
    return workers


def _line_values(line: dict) -> tuple:
    return tuple(line[name] for name in LINE_FIELDS)


def _line(values: dict) -> CaseloadLine:
    """A stored line as its model instance, made only when it changes or goes."""
    return CaseloadLine.from_db(None, list(values), list(values.values()))


def _row_values(row: ImportRow) -> tuple:
    return (row.role, row.employment, row.wte, row.cases, *(row.split[c] for c in SPLIT_COLUMNS))


@dataclass
class _Writes:
    """Everything the file changes, gathered in memory so that each table is written in one go."""

    new_returns: list[CaseloadReturn] = field(default_factory=list)
    changed_returns: list[CaseloadReturn] = field(default_factory=list)
    new_lines: list[CaseloadLine] = field(default_factory=list)
    changed_lines: list[CaseloadLine] = field(default_factory=list)
    stale_lines: list[CaseloadLine] = field(default_factory=list)

    @property
    def months(self) -> set[datetime.date]:
        return {r.month for r in (*self.new_returns, *self.changed_returns)}


def _write_returns(rows, teams, workers, result: ImportResult, author) -> set[datetime.date]:
    """Submit (or replace) every return the file carries; returns the months whose returns changed."""
    groups: dict[tuple[datetime.date, str], list[ImportRow]] = defaultdict(list)
    for row in rows:
        groups[(row.month, row.team.lower())].append(row)
    existing = {
        (r.month, r.team_id): r
        for r in CaseloadReturn.objects.filter(
            team_id__in={teams[key].pk for _, key in groups}, month__in={m for m, _ in groups}
        ).select_for_update(of=("self",))
    }
    # The stored lines as plain values: most of a re-imported file is unchanged, and needs no instances.
    names = [f.attname for f in CaseloadLine._meta.concrete_fields]
    lines: dict[int, dict[int, dict]] = defaultdict(dict)
    for row in CaseloadLine.objects.filter(caseload_return_id__in=[r.pk for r in existing.values()]).values_list(
        *names
    ):
        line = dict(zip(names, row, strict=True))
        lines[line["caseload_return_id"]][line["worker_id"]] = line
    writes = _Writes()
    now = timezone.now()
    for (month, team_key), group in sorted(groups.items()):
        team = teams[team_key]
        caseload_return = existing.get((month, team.pk))
        wanted = {workers[row.staff_number].pk: row for row in group}
        current = lines[caseload_return.pk] if caseload_return is not None else {}
        if caseload_return is not None:
            same = current.keys() == wanted.keys() and all(
                _line_values(current[wid]) == _row_values(row) for wid, row in wanted.items()
            )
            if same and caseload_return.is_submitted:
                result.tally("returns_unchanged")
                continue
            result.tally("returns_changed")
            caseload_return.version += 1
            writes.changed_returns.append(caseload_return)
        else:
            caseload_return = CaseloadReturn(team=team, month=month, created_by=author)
            result.tally("returns_created")
            writes.new_returns.append(caseload_return)
        # Through the lifecycle: a new or draft return is submitted, a submitted one's figures replaced.
        lifecycle.submit_imported(caseload_return, user=author, at=now)
        caseload_return.updated_at = now
        caseload_return.updated_by = author
        caseload_return._change_reason = "Imported"
        _plan_lines(caseload_return, current, wanted, writes)
    _write(writes, author)
    # The roll-ups read the tallies: recount the returns this file wrote, in its transaction.
    refresh_tallies(returns=[r.pk for r in (*writes.new_returns, *writes.changed_returns)])
    return writes.months


def _plan_lines(caseload_return, current, wanted, writes: _Writes) -> None:
    for worker_id, row in wanted.items():
        stored = current.get(worker_id)
        if stored is None:
            line = CaseloadLine(caseload_return=caseload_return, worker_id=worker_id)
            writes.new_lines.append(line)
        elif _line_values(stored) != _row_values(row):
            line = _line(stored)
            writes.changed_lines.append(line)
        else:
            continue
        for name, value in zip(LINE_FIELDS, _row_values(row), strict=True):
            setattr(line, name, value)
        line.confirmed_implausible = False
        line._change_reason = "Imported"
    writes.stale_lines.extend(_line(line) for worker_id, line in current.items() if worker_id not in wanted)


def _write(writes: _Writes, author) -> None:
    copy_create_with_history(writes.new_returns, CaseloadReturn, default_user=author)
    copy_update_with_history(writes.changed_returns, CaseloadReturn, RETURN_FIELDS, default_user=author)
    # The lines of a return created just now take the key it was given.
    for line in writes.new_lines:
        line.caseload_return_id = line.caseload_return.pk
    delete_with_history(writes.stale_lines, CaseloadLine, default_user=author, reason="Imported")
    copy_create_with_history(writes.new_lines, CaseloadLine, default_user=author)
    copy_update_with_history(
        writes.changed_lines, CaseloadLine, [*LINE_FIELDS, "confirmed_implausible"], default_user=author
    )


def import_file(
    source, *, filename: str | None = None, dry_run: bool = False, user=None, today: datetime.date | None = None
) -> ImportResult:
    return run_import(CaseloadsImporter(today=today), source, filename=filename, dry_run=dry_run, user=user)
