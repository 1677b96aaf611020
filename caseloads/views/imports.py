"""The upload page for monthly caseload figures, on the shared import pages (officers only)."""

from __future__ import annotations

from caseloads.models import CaseloadImportBatch, CaseloadImportKind
from caseloads.services.import_checks import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from caseloads.services.imports import CaseloadsImporter
from perfsite.imports.pages import UploadKind, UploadPages, upload_links

PAGES = UploadPages(
    namespace="caseloads",
    model=CaseloadImportBatch,
    section="Caseloads",
    section_url="caseloads:index",
    extra_links=lambda user: upload_links(user, exclude="caseloads"),
    kinds=[
        UploadKind(
            slug="returns",
            kind=CaseloadImportKind.CASELOADS,
            title="Upload caseload returns",
            description=(
                "Monthly caseload figures, one row a worker and month, written as submitted returns. "
                "Teams are matched by name, workers by staff number."
            ),
            importer_for=lambda batch: CaseloadsImporter(),
            required=REQUIRED_COLUMNS,
            optional=OPTIONAL_COLUMNS,
            guidance=(
                "Months are written YYYY-MM. A new team's service area is told from its name, "
                "or given in a service_area column."
            ),
        ),
    ],
)
