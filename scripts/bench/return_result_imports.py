"""import_caseloads and import_audit_results in bulk, each beside the COPY of the rows it wrote."""

# ruff: noqa: S608 - the floors' SQL interpolates this module's constants, never input
from __future__ import annotations

import csv
import io
import time

from bench.common import cleanup, report, timed_copy

RETURN_WORKERS = 2000  # the file's workers, 20 a team; its months are as many as the lines need


def caseload_lines_file(count: int, *, shift: int = 0) -> bytes:
    """``count`` caseload lines of new teams and workers ("Import team ...", staff "IMP-..."), months from 2000."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["month", "team", "staff_number", "worker_name", "role", "employment", "wte", "cases", "service_area"]
    )
    for n in range(count):
        worker, month = n % RETURN_WORKERS, n // RETURN_WORKERS
        writer.writerow(
            [
                f"{2000 + month // 12}-{1 + month % 12:02d}",
                f"Import team {worker // 20:03d}",
                f"IMP-{worker:05d}",
                f"Import worker {worker}",
                "social_worker",
                "permanent",
                "1.00",
                (worker + month + shift) % 30,
                "assessment",
            ]
        )
    return out.getvalue().encode()


def audit_results_file(count: int, *, shift: int = 0) -> bytes:
    """``count`` historic results: 10,000 new cases ("HIST-...") a quarter, quarters from 2000-01, a third moderated."""
    from caseloads.models import Team

    grades = ("outstanding", "good", "requires_improvement", "inadequate")
    teams = list(Team.objects.filter(name__startswith="Bench team").order_by("pk").values_list("name", flat=True)[:50])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["case_ref", "team", "case_type", "quarter", "overall_grade", "moderated_grade", "completed_on"])
    for n in range(count):
        case, quarter = n % 10_000, n // 10_000
        year, q = 2000 + quarter // 4, quarter % 4
        month = (4, 7, 10, 1)[q]
        writer.writerow(
            [
                f"HIST-{case:06d}",
                teams[case % len(teams)],
                "cin",
                f"{year}-{(year + 1) % 100:02d}-q{q + 1}",
                grades[(case + shift) % 4],
                grades[(case + 1 + shift) % 4] if case % 3 == 0 else "",
                f"{year + (q == 3)}-{month:02d}-15",
            ]
        )
    return out.getvalue().encode()


def copy_floor_after(deletes: list[str], select_sql: str, table: str, columns: list[str]) -> float:
    """Seconds to COPY the rows an import just wrote back into ``table``, after deleting them, then rolled back."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(select_sql, [])
        rows = cursor.fetchall()
        for sql in deletes:
            cursor.execute(sql, [])
        seconds = timed_copy(cursor, table, columns, rows)
        transaction.set_rollback(True)
    return seconds


def timed_import(label: str, run) -> tuple[float, int, str]:
    """Seconds, Django's query count and the counts of one import run, with the recomputes it queued.

    The recompute of the computed indicators is a worker's task, queued once the import commits:
    it is counted here, not run (without a broker it would run in this process, after the import).
    """
    from unittest import mock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    queued = []
    with (
        mock.patch("indicators.tasks.enqueue_on_commit", lambda task, *args: queued.append(args)),
        CaptureQueriesContext(connection) as captured,
    ):
        start = time.perf_counter()
        result = run()
        seconds = time.perf_counter() - start
    if result.errors:
        raise SystemExit(f"{label}: {result.errors[:3]}")
    counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
    return seconds, len(captured), f"{counts}; recomputes queued: {len(queued)}"


def remove_imported_returns() -> None:
    """The returns benchmark's own rows, by raw SQL: Django's delete would write a history row for each."""
    lines_sql = (
        "FROM caseloads_caseloadline WHERE worker_id IN "
        "(SELECT id FROM caseloads_worker WHERE staff_number LIKE 'IMP-%%')"
    )
    cleanup(
        "DELETE FROM caseloads_historicalcaseloadline WHERE worker_id IN "
        "(SELECT id FROM caseloads_worker WHERE staff_number LIKE 'IMP-%%')",
        f"DELETE {lines_sql}",
        "DELETE FROM caseloads_historicalcaseloadreturn WHERE team_id IN "
        "(SELECT id FROM caseloads_team WHERE name LIKE 'Import team %%')",
        "DELETE FROM caseloads_caseloadtally WHERE team_id IN "
        "(SELECT id FROM caseloads_team WHERE name LIKE 'Import team %%')",
        "DELETE FROM caseloads_caseloadreturn WHERE team_id IN "
        "(SELECT id FROM caseloads_team WHERE name LIKE 'Import team %%')",
        "DELETE FROM caseloads_historicalworker WHERE staff_number LIKE 'IMP-%%'",
        "DELETE FROM caseloads_worker WHERE staff_number LIKE 'IMP-%%'",
        "DELETE FROM caseloads_historicalteam WHERE name LIKE 'Import team %%'",
        "DELETE FROM caseloads_team WHERE name LIKE 'Import team %%'",
    )


def remove_imported_results() -> None:
    """The results benchmark's own rows, by raw SQL."""
    audits_sql = "FROM audits_audit WHERE case_id IN (SELECT id FROM audits_case WHERE case_ref LIKE 'HIST-%%')"
    hist = "(SELECT id FROM audits_case WHERE case_ref LIKE 'HIST-%%')"
    cleanup(
        f"DELETE FROM audits_historicalmoderation WHERE audit_id IN (SELECT id {audits_sql})",
        f"DELETE FROM audits_moderation WHERE audit_id IN (SELECT id {audits_sql})",
        f"DELETE FROM audits_historicalaudit WHERE case_id IN {hist}",
        f"DELETE {audits_sql}",
        "DELETE FROM audits_audittally WHERE round_id IN "
        "(SELECT id FROM audits_auditround WHERE kind = 'historic' AND quarter < '2006')",
        "DELETE FROM audits_themetally WHERE round_id IN "
        "(SELECT id FROM audits_auditround WHERE kind = 'historic' AND quarter < '2006')",
        "DELETE FROM audits_roundstatustally WHERE round_id IN "
        "(SELECT id FROM audits_auditround WHERE kind = 'historic' AND quarter < '2006')",
        "DELETE FROM audits_historicalauditround WHERE kind = 'historic' AND quarter < '2006'",
        "DELETE FROM audits_auditround WHERE kind = 'historic' AND quarter < '2006'",
        "DELETE FROM audits_historicalcase WHERE case_ref LIKE 'HIST-%%'",
        "DELETE FROM audits_case WHERE case_ref LIKE 'HIST-%%'",
    )


def measure_return_and_result_imports(lines: int, results: int) -> None:
    """import_caseloads of ``lines`` lines and import_audit_results of ``results`` results, each beside the
    COPY of the same rows into its main table (caseload lines; audits), indexes and constraints included.
    Query counts leave out the COPY statements themselves (psycopg's, not Django's)."""
    from django.conf import settings

    from audits.imports.results import import_audit_results
    from caseloads.services.imports import import_file

    settings.PERFSITE_IMPORT_MAX_ROWS = max(settings.PERFSITE_IMPORT_MAX_ROWS, lines, results)
    settings.PERFSITE_IMPORT_MAX_CELLS = max(settings.PERFSITE_IMPORT_MAX_CELLS, max(lines, results) * 10)
    print(
        f"\nCaseload returns ({lines:,} lines) and historic audit results ({results:,}); floor: COPY of the same rows"
    )
    line_columns = "caseload_return_id, worker_id, role, employment, wte, cases, confirmed_implausible"
    lines_sql = (
        "FROM caseloads_caseloadline WHERE worker_id IN "
        "(SELECT id FROM caseloads_worker WHERE staff_number LIKE 'IMP-%%')"
    )
    _measure_three(
        "import_caseloads",
        caseload_lines_file(lines),
        caseload_lines_file(lines, shift=1),
        lambda data: import_file(data, filename="bench-returns.csv"),
        lambda: copy_floor_after(
            [f"DELETE {lines_sql}"],
            f"SELECT {line_columns} {lines_sql}",
            "caseloads_caseloadline",
            line_columns.split(", "),
        ),
    )
    remove_imported_returns()

    audit_columns = "round_id, case_id, team_id, case_type, status, overall_grade, grade_reason, strengths, "
    audit_columns += "areas_for_development, completed_on, closed_at"
    audits_sql = "FROM audits_audit WHERE case_id IN (SELECT id FROM audits_case WHERE case_ref LIKE 'HIST-%%')"
    _measure_three(
        "import_audit_results",
        audit_results_file(results),
        audit_results_file(results, shift=1),
        lambda data: import_audit_results(data, filename="bench-results.csv"),
        lambda: copy_floor_after(
            [f"DELETE FROM audits_moderation WHERE audit_id IN (SELECT id {audits_sql})", f"DELETE {audits_sql}"],
            f"SELECT {audit_columns} {audits_sql}",
            "audits_audit",
            audit_columns.split(", "),
        ),
    )
    remove_imported_results()


def _measure_three(name: str, data: bytes, changed: bytes, run, floor) -> None:
    """The new rows, the same file again, then every row changed; the floor is taken after the first."""
    first = timed_import(f"{name} (new rows)", lambda: run(data))
    floor_seconds = floor()
    for label, measured in (
        ("(new rows)", first),
        ("again (unchanged)", timed_import(f"{name} again", lambda: run(data))),
        ("(every row changed)", timed_import(f"{name} changed", lambda: run(changed))),
    ):
        seconds, queries, extra = measured
        report(f"{name} {label}", seconds, floor_seconds, "COPY", queries, extra)
