"""One import framework for every import command and upload page (docs/decisions/0005-import-framework.md).

An import is: **read** the file into a table (``perfsite.tabular``), **check** every row against the
app's row rules and the database, collecting every problem by row and column, **apply** the plan in
one transaction, all or nothing, and **report** what it did. A dry run, and a web preview, go as far
as the import can without keeping anything. Each app keeps only its row rules: an ``Importer``.

Web uploads are kept as batches (``perfsite.imports.batches``) and served by the shared pages in
``perfsite.imports.pages``.
"""

from perfsite.imports.copying import copy_create_with_history, copy_update_with_history
from perfsite.imports.problems import ImportRejected, Problem, describe
from perfsite.imports.reading import TableWording, read_upload
from perfsite.imports.result import ImportResult, PlannedRow
from perfsite.imports.running import Importer, RowPlanImporter, run_import

__all__ = [
    "ImportRejected",
    "ImportResult",
    "Importer",
    "PlannedRow",
    "Problem",
    "RowPlanImporter",
    "TableWording",
    "copy_create_with_history",
    "copy_update_with_history",
    "describe",
    "read_upload",
    "run_import",
]
