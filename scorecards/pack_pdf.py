"""The committee pack as a PDF: WeasyPrint, A4 print styles, page numbers, tagged for screen readers.

The PDF is PDF/UA-1 (WeasyPrint's ``pdf_variant="pdf/ua-1"``): a structure tree with headings,
lists and tables, the document's language and title, so screen readers can read it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.template.loader import render_to_string

PDF_VARIANT = "pdf/ua-1"
CSS_PATH = Path(__file__).resolve().parent / "templates" / "scorecards" / "pack" / "pdf.css"
RAG_ORDER = ("RED", "AMBER", "GREEN", "NA")
# WeasyPrint reports every layout step at INFO: a pack build would flood the worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def render_html(snapshot: dict, meta: dict) -> str:
    return render_to_string("scorecards/pack/pdf.html", {"snapshot": snapshot, "meta": meta, "rag_order": RAG_ORDER})


def render_pdf(snapshot: dict, meta: dict) -> bytes:
    from weasyprint import CSS, HTML

    html = HTML(string=render_html(snapshot, meta), base_url=str(CSS_PATH.parent))
    return html.write_pdf(stylesheets=[CSS(filename=str(CSS_PATH))], pdf_variant=PDF_VARIANT)
