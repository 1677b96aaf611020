"""import_values and import_cases beside PostgreSQL's COPY of the same rows into the same table."""

from __future__ import annotations

import csv
import io
import time

from bench.common import cleanup, report, timed_copy


def copy_floor(table: str, columns: list[str], rows: list[tuple]) -> float:
    """Seconds to COPY ``rows`` into ``table`` itself, indexes and foreign keys included, then rolled back."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        seconds = timed_copy(cursor, table, columns, rows)
        transaction.set_rollback(True)
    return seconds


def values_file(count: int, *, shift: int = 0) -> tuple[bytes, list[tuple]]:
    """``count`` monthly actuals for the bench indicators, in periods the generator never used."""
    import datetime

    from indicators.models import Indicator

    indicators = list(Indicator.objects.filter(code__startswith="BENCH ").order_by("pk").values_list("pk", "code"))
    per_indicator = -(-count // len(indicators))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "series", "period_label", "period_start", "period_end", "value"])
    copy_rows = []
    now = datetime.datetime.now(datetime.UTC)
    written = 0
    for pk, code in indicators:
        for month in range(per_indicator):
            if written == count:
                break
            year, index = 1900 + month // 12, month % 12
            start = datetime.date(year, index + 1, 1)
            end = (datetime.date(year + (index == 11), (index + 1) % 12 + 1, 1)) - datetime.timedelta(days=1)
            value = f"{40 + (pk + month + shift) % 50}.5"
            writer.writerow([code, "actual", "", start.isoformat(), end.isoformat(), value])
            copy_rows.append((pk, "actual", start.strftime("%b %Y"), start, end, value, 1, "", "", now, 1, "", ""))
            written += 1
    return out.getvalue().encode(), copy_rows


def cases_file(count: int, *, shift: int = 0) -> tuple[bytes, list[tuple]]:
    from caseloads.models import Team

    teams = list(Team.objects.filter(name__startswith="Bench team").order_by("pk").values_list("pk", "name")[:50])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["case_ref", "case_type", "team", "worker_staff_number", "opened_on", "closed_on"])
    copy_rows = []
    for n in range(count):
        pk, name = teams[n % len(teams)]
        ref, kind, opened = f"IMPORT-{n:07d}", ("cin", "cp", "lac")[(n + shift) % 3], f"2016-{1 + n % 12:02d}-01"
        writer.writerow([ref, kind, name, "", opened, ""])
        copy_rows.append((ref, kind, pk, opened))
    return out.getvalue().encode(), copy_rows


def measure_imports(rows: int) -> None:
    from django.conf import settings

    from audits.imports.cases import import_cases
    from indicators.imports import run_import
    from indicators.models import ImportKind

    # The benchmark's file may be larger than uploads are allowed to be (PERFSITE_IMPORT_MAX_ROWS).
    settings.PERFSITE_IMPORT_MAX_ROWS = max(settings.PERFSITE_IMPORT_MAX_ROWS, rows)
    settings.PERFSITE_IMPORT_MAX_CELLS = max(settings.PERFSITE_IMPORT_MAX_CELLS, rows * 10)
    print(f"\nImports ({rows:,} rows; floor: COPY of the same rows into the same table)")
    data, copy_rows = values_file(rows)
    floor = copy_floor(
        "indicators_indicatorvalue",
        [
            "indicator_id",
            "series",
            "period_label",
            "period_start",
            "period_end",
            "value",
            "scale",
            "status",
            "footnote",
            "updated_at",
            "version",
            "source_kind",
            "source_detail",
        ],
        copy_rows,
    )
    changed_data = values_file(rows, shift=1)[0]
    for label in ("import_values (new rows)", "import_values again (unchanged)", "import_values (every row changed)"):
        if label.endswith(("row changed)", "case changed)")):
            data = changed_data
        start = time.perf_counter()
        result = run_import(ImportKind.VALUES, data, "bench-values.csv")
        seconds = time.perf_counter() - start
        if result.errors:
            raise SystemExit(f"{label}: {result.errors[:3]}")
        report(label, seconds, floor, "COPY", "", result.summary_line())
    # The benchmark's own rows go by raw SQL: Django's delete would write a history row for each.
    cleanup(
        "DELETE FROM indicators_historicalindicatorvalue WHERE period_start < '1950-01-01'",
        "DELETE FROM indicators_indicatorvalue WHERE period_start < '1950-01-01'",
    )

    data, copy_rows = cases_file(rows)
    floor = copy_floor("audits_case", ["case_ref", "case_type", "team_id", "opened_on"], copy_rows)
    changed_data = cases_file(rows, shift=1)[0]
    for label in ("import_cases (new cases)", "import_cases again (unchanged)", "import_cases (every case changed)"):
        if label.endswith(("row changed)", "case changed)")):
            data = changed_data
        start = time.perf_counter()
        result = import_cases(data, filename="bench-cases.csv")
        seconds = time.perf_counter() - start
        if result.errors:
            raise SystemExit(f"{label}: {result.errors[:3]}")
        report(label, seconds, floor, "COPY", "", ", ".join(f"{v} {k}" for k, v in result.counts.items()))
    cleanup(
        "DELETE FROM audits_historicalcase WHERE case_ref LIKE 'IMPORT-%%'",
        "DELETE FROM audits_case WHERE case_ref LIKE 'IMPORT-%%'",
    )
