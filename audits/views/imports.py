"""Upload pages for the case list and historic audit results, on the shared import pages (officers only)."""

from __future__ import annotations

from audits.imports.cases import OPTIONAL as CASE_OPTIONAL
from audits.imports.cases import REQUIRED as CASE_REQUIRED
from audits.imports.cases import CasesImporter
from audits.imports.results import OPTIONAL as RESULT_OPTIONAL
from audits.imports.results import REQUIRED as RESULT_REQUIRED
from audits.imports.results import ResultsImporter
from audits.models import AuditImportBatch, AuditImportKind
from perfsite.imports.pages import UploadKind, UploadPages, upload_links

DATES = "Dates are written YYYY-MM-DD or DD/MM/YYYY. Any other column is refused, so no name or address is ever kept."

PAGES = UploadPages(
    namespace="audits",
    model=AuditImportBatch,
    section="Audit rounds",
    section_url="audits:round_list",
    extra_links=lambda user: upload_links(user, exclude="audits"),
    kinds=[
        UploadKind(
            slug="cases",
            kind=AuditImportKind.CASES,
            title="Upload the case list",
            description=(
                "The case management system's extract: each case's type, team, worker and dates. "
                "Cases are matched on case_ref; cases missing from the file are left as they are."
            ),
            importer_for=lambda batch: CasesImporter(),
            required=CASE_REQUIRED,
            optional=CASE_OPTIONAL,
            guidance=DATES + " Teams and workers must already exist.",
        ),
        UploadKind(
            slug="results",
            kind=AuditImportKind.RESULTS,
            title="Upload historic audit results",
            description=(
                "Grades from audits done before perfsite, or in another system: one row a case and quarter, "
                "kept in that quarter's Imported results round."
            ),
            importer_for=lambda batch: ResultsImporter(),
            required=RESULT_REQUIRED,
            optional=RESULT_OPTIONAL,
            guidance=DATES + " Grades: outstanding, good, requires_improvement, inadequate.",
        ),
    ],
)
