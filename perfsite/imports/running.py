"""Running an import: read, check, then apply in one transaction, all or nothing; or a dry run.

An app's ``Importer`` holds its row rules only:

- ``check(table, result)`` reads every row, records every problem on ``result`` (row, column,
  why) and returns a plan; it writes nothing.
- ``apply(plan, result, user=...)`` writes the plan. It runs inside the framework's transaction;
  when it finds a problem that only the database can show, it records it (or raises
  ``ImportRejected``) and everything it wrote is rolled back.

A dry run (and a web page's preview) stops after ``check`` when the plan already says row by row
what applying does (``rehearse = False``); otherwise it rehearses: it applies the plan for real
and rolls the transaction back, so the counts it reports are exactly what applying would do.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from perfsite import tabular
from perfsite.imports.problems import ImportRejected
from perfsite.imports.reading import TableWording, read_upload
from perfsite.imports.result import ImportResult


class Importer:
    """One kind of import. Subclasses set the class attributes and write ``check`` and ``apply``."""

    kind: str = ""
    csv_suffixes: Sequence[str] = (".csv", ".txt")
    xlsx_suffixes: Sequence[str] = (".xlsx",)
    wording: TableWording = TableWording()
    #: Whether a dry run applies and rolls back (True) or stops at the plan (False).
    rehearse: bool = True

    def check(self, table: tabular.Table, result: ImportResult) -> Any:
        raise NotImplementedError

    def apply(self, plan: Any, result: ImportResult, *, user) -> None:
        raise NotImplementedError

    def summary(self, result: ImportResult) -> str:
        """One line saying what the import did (or would do, on a dry run)."""
        return result.summary_line()

    def summary_counts(self, result: ImportResult) -> dict:
        """What a batch records once applied."""
        return result.summary()

    def has_changes(self, result: ImportResult) -> bool:
        """Whether applying would change anything, so a page offers to confirm it."""
        return bool(result.new or result.changed)


def run_import(
    importer: Importer,
    source: bytes | str | PathLike,
    *,
    filename: str | None = None,
    dry_run: bool = False,
    user=None,
    via: str = "command",
    on_row: Callable[[int], None] | None = None,
) -> ImportResult:
    """Read, check and (unless ``dry_run`` or anything was rejected) apply, all or nothing.

    ``on_row(number)`` hears how far the reading has got (see ``tabular.read_table``).
    """
    with cycle_collection_paused():
        return _run(importer, source, filename=filename, dry_run=dry_run, user=user, via=via, on_row=on_row)


@contextlib.contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector paused while an import runs.

    A large import allocates a few objects a row and keeps them to its end, so the collector would
    walk every one of them again and again as they accumulate: on 100,000 rows that was some 40%
    of the checking. Reference counting still frees everything as usual; only cycles wait until
    the import ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run(importer, source, *, filename, dry_run, user, via, on_row) -> ImportResult:
    name = filename if isinstance(source, bytes) else (filename or Path(source).name)
    result = ImportResult(kind=importer.kind, filename=name or "", via=via, dry_run=dry_run)
    try:
        table = read_upload(
            source,
            filename=filename,
            wording=importer.wording,
            csv_suffixes=importer.csv_suffixes,
            xlsx_suffixes=importer.xlsx_suffixes,
            on_row=on_row,
        )
        plan = importer.check(table, result)
    except ImportRejected as rejected:
        result.reject(rejected.errors)
    if result.errors or (dry_run and not importer.rehearse):
        return result
    with transaction.atomic():
        try:
            importer.apply(plan, result, user=user)
        except ImportRejected as rejected:
            result.reject(rejected.errors)
        if result.errors or dry_run:
            transaction.set_rollback(True)
    result.applied = not result.errors and not dry_run
    return result


class RowPlanImporter(Importer):
    """An import whose ``check`` plans every row as new, changed or unchanged against the database.

    Its plan is complete, so a dry run stops at the plan; applying writes each new or changed
    row in the file's order. A row the model refuses as it is written rejects the whole file.
    """

    rehearse = False

    def apply(self, plan: Any, result: ImportResult, *, user) -> None:
        try:
            for planned in result.planned:
                if planned.apply is not None:
                    planned.apply(user)
        except ValidationError as exc:
            result.error(0, "", "; ".join(exc.messages) + " Nothing was imported.")
