"""Uploads for performance officers, on the shared import pages: choose a file, preview, confirm."""

from __future__ import annotations

from indicators.forms import EesUploadForm
from indicators.imports import EesOptions, importer_for
from indicators.imports.files import INDICATOR_COLUMNS, INDICATOR_OPTIONAL, VALUE_COLUMNS, VALUE_OPTIONAL
from indicators.models import ImportBatch, ImportKind
from perfsite.imports.forms import UploadForm
from perfsite.imports.pages import UploadKind, UploadPages, upload_links


def _importer(batch: ImportBatch):
    options = EesOptions.from_strings(**batch.options) if batch.kind == ImportKind.EES else None
    return importer_for(batch.kind, options=options)


DATES = "Dates are written YYYY-MM-DD."

PAGES = UploadPages(
    namespace="indicators",
    model=ImportBatch,
    section="Indicators",
    section_url="indicators:list",
    intro=(
        "Upload a CSV or XLSX file. You will see what it would change, row by row, before anything is saved. "
        "A file with any problem is rejected whole; uploading the same file twice changes nothing."
    ),
    extra_links=lambda user: upload_links(user, exclude="indicators"),
    kinds=[
        UploadKind(
            slug="indicators",
            kind=ImportKind.INDICATORS,
            title="Import indicators",
            description=(
                "Create or update indicator definitions: code, description, kind, polarity, unit, decimals, "
                "tolerance and themes."
            ),
            importer_for=_importer,
            form_class=UploadForm,
            required=INDICATOR_COLUMNS,
            optional=INDICATOR_OPTIONAL,
            guidance=DATES,
        ),
        UploadKind(
            slug="values",
            kind=ImportKind.VALUES,
            title="Import values, targets and benchmarks",
            description="Actuals, targets and national, regional or statistical-neighbour figures, one a row.",
            importer_for=_importer,
            form_class=UploadForm,
            required=VALUE_COLUMNS,
            optional=VALUE_OPTIONAL,
            guidance=DATES,
        ),
        UploadKind(
            slug="ees",
            kind=ImportKind.EES,
            title="Import DfE published statistics",
            description=(
                "A tidy CSV from Explore Education Statistics: national, regional and statistical-neighbour "
                "figures for one indicator, every year in the file."
            ),
            importer_for=_importer,
            form_class=EesUploadForm,
            guidance=(
                "Download a tidy CSV from Explore Education Statistics. Columns are found by their names in row 1. "
                "Suppressed cells (x, c, z, low, :, u) count as missing and are reported."
            ),
        ),
    ],
)
