"""Imports: indicators, values and DfE statistics, from CSV or XLSX, all or nothing.

``run_import`` reads the file, checks every row, plans each as new, changed or unchanged, and
(unless ``dry_run`` or anything was rejected) writes the plan in one transaction.
"""

from __future__ import annotations

from indicators.imports.ees import EesOptions, OptionError, plan_ees
from indicators.imports.files import apply_plan, plan_indicators, plan_values
from indicators.imports.report import ImportResult, PlannedRow, RowError
from indicators.imports.tabular import TableError, read_table
from indicators.models import ImportKind

__all__ = ["EesOptions", "ImportResult", "OptionError", "PlannedRow", "RowError", "plan_import", "run_import"]


def plan_import(kind: str, data: bytes, filename: str, *, options: EesOptions | None = None) -> ImportResult:
    """Read and check the file and plan its rows; writes nothing."""
    result = ImportResult(kind=kind, filename=filename)
    try:
        table = read_table(data, filename)
    except TableError as exc:
        result.error(exc.row, "", str(exc))
        return result
    if kind == ImportKind.INDICATORS:
        return plan_indicators(table, result)
    if kind == ImportKind.VALUES:
        return plan_values(table, result)
    if kind == ImportKind.EES:
        if options is None:
            raise ValueError("import_ees needs its options.")
        return plan_ees(table, options, result)
    raise ValueError(f"Unknown import {kind!r}.")


def run_import(
    kind: str,
    data: bytes,
    filename: str,
    *,
    options: EesOptions | None = None,
    dry_run: bool = False,
    user=None,
) -> ImportResult:
    result = plan_import(kind, data, filename, options=options)
    if dry_run or result.errors:
        return result
    return apply_plan(result, user=user)
