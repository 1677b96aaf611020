"""Imports: indicators, values and DfE statistics, from CSV or XLSX, all or nothing.

The running of an import (reading, problems by row and column, plan, dry run, one transaction)
is the shared framework's, ``perfsite.imports``; this package holds the indicators' row rules.
Each good row is planned as new, changed or unchanged, so a dry run and a page's preview show
exactly what applying writes.
"""

from __future__ import annotations

from indicators.imports.ees import EesImporter
from indicators.imports.ees_options import EesOptions, OptionError
from indicators.imports.files import IndicatorsImporter, ValuesImporter
from indicators.models import ImportKind
from perfsite import imports as framework
from perfsite.imports import ImportResult, PlannedRow

__all__ = ["EesOptions", "ImportResult", "OptionError", "PlannedRow", "importer_for", "plan_import", "run_import"]


def importer_for(kind: str, *, options: EesOptions | None = None) -> framework.Importer:
    if kind == ImportKind.INDICATORS:
        return IndicatorsImporter()
    if kind == ImportKind.VALUES:
        return ValuesImporter()
    if kind == ImportKind.EES:
        if options is None:
            raise ValueError("import_ees needs its options.")
        return EesImporter(options)
    raise ValueError(f"Unknown import {kind!r}.")


def plan_import(
    kind: str, data: bytes, filename: str, *, options: EesOptions | None = None, via: str = "command"
) -> ImportResult:
    """Read and check the file and plan its rows; writes nothing."""
    return framework.run_import(importer_for(kind, options=options), data, filename=filename, dry_run=True, via=via)


def run_import(
    kind: str,
    data: bytes,
    filename: str,
    *,
    options: EesOptions | None = None,
    dry_run: bool = False,
    user=None,
) -> ImportResult:
    return framework.run_import(
        importer_for(kind, options=options), data, filename=filename, dry_run=dry_run, user=user
    )
