"""The committee pack as a PDF: WeasyPrint, A4 print styles, page numbers, tagged for screen readers.

The PDF is PDF/UA-1 (WeasyPrint's ``pdf_variant="pdf/ua-1"``): a structure tree with headings,
lists and tables, the document's language and title, so screen readers can read it.

At 500+ indicators WeasyPrint's cost is one layout, measurement and tag per box, so the templates
keep boxes few (one section and table per level, one run of text per cell, fixed columns; see
``pack/levels.html`` and docs/performance.md). The build is three steps, each reported through
``progress``: the HTML, the layout of the pages, and the PDF file (drawing, fonts, tags).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from django.template.loader import render_to_string

PDF_VARIANT = "pdf/ua-1"
CSS_PATH = Path(__file__).resolve().parent / "templates" / "scorecards" / "pack" / "pdf.css"
RAG_ORDER = ("RED", "AMBER", "GREEN", "NA")
# WeasyPrint reports every layout step at INFO: a pack build would flood the worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# The share of a PDF build's time each step takes at scale (measured at 535 indicators), so the
# progress shown moves roughly with the time left: (fraction done when the step starts, its words).
PDF_STEPS = {
    "html": (0.0, "Writing the PDF: preparing the document"),
    "layout": (0.05, "Writing the PDF: laying out the pages"),
    "write": (0.6, "Writing the PDF: drawing the pages, fonts and tags"),
}

Progress = Callable[[float, str], None]


def render_html(snapshot: dict, meta: dict) -> str:
    return render_to_string("scorecards/pack/pdf.html", {"snapshot": snapshot, "meta": meta, "rag_order": RAG_ORDER})


def render_pdf(snapshot: dict, meta: dict, *, progress: Progress | None = None) -> bytes:
    """The pack's PDF; ``progress(fraction, step)`` is called as each step starts (fraction 0 to 1)."""
    from weasyprint import CSS, HTML

    def report(step: str) -> None:
        if progress is not None:
            progress(*PDF_STEPS[step])

    report("html")
    html = HTML(string=render_html(snapshot, meta), base_url=str(CSS_PATH.parent))
    report("layout")
    document = html.render(stylesheets=[CSS(filename=str(CSS_PATH))], pdf_variant=PDF_VARIANT)
    report("write")
    return document.write_pdf(pdf_variant=PDF_VARIANT)
