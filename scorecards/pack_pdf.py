"""The committee pack as a PDF: WeasyPrint, A4 print styles, page numbers, tagged for screen readers.

The PDF is PDF/UA-1 (WeasyPrint's ``pdf_variant="pdf/ua-1"``): a structure tree with headings,
lists and tables, the document's language and title, so screen readers can read it.

At 500+ indicators WeasyPrint's cost is one layout, measurement and tag per box and per line of
text, so the templates keep boxes and lines few: every indicator is one row of one long table, in
its level's section beside that level's key messages (``levels``), one run of text per cell, fixed
columns on landscape pages (see ``pack/levels.html`` and docs/performance.md). The build is three
steps, each reported through ``progress``: the HTML, the layout of the pages, and the PDF file
(drawing, fonts, tags).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.template.loader import render_to_string

from scorecards.snapshot import LEVELS

PDF_VARIANT = "pdf/ua-1"
CSS_PATH = Path(__file__).resolve().parent / "templates" / "scorecards" / "pack" / "pdf.css"
RAG_ORDER = ("RED", "AMBER", "GREEN", "NA")
# WeasyPrint reports every layout step at INFO: a pack build would flood the worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class RememberedPageReferences(property):
    """``pydyf.PDF.page_references``, built again only when a page has been added.

    pydyf builds the tuple of every page's reference each time it is read, and WeasyPrint reads it
    once per tagged element of a PDF/UA file: about 22,000 elements times 100 pages, two million
    strings, 5 to 8% of a 535-indicator pack (docs/performance.md, "pack"). Pages are only ever
    appended to ``Kids``, so the same list at the same length has the same references.
    """

    def __init__(self, built: property):
        def page_references(pdf) -> tuple[bytes, ...]:
            kids = pdf.pages["Kids"]
            remembered = pdf.__dict__.get("_perfsite_page_references")
            if remembered is None or remembered[0] is not kids or remembered[1] != len(kids):
                remembered = (kids, len(kids), built.fget(pdf))
                pdf.__dict__["_perfsite_page_references"] = remembered
            return remembered[2]

        super().__init__(page_references, doc=built.__doc__)


def remember_page_references() -> None:
    """Put ``RememberedPageReferences`` on pydyf's PDF class, once: the same answers, built once."""
    import pydyf

    if not isinstance(pydyf.PDF.page_references, RememberedPageReferences):
        pydyf.PDF.page_references = RememberedPageReferences(pydyf.PDF.page_references)


# The share of a PDF build's time each step takes at scale (measured at 535 indicators), so the
# progress shown moves roughly with the time left: (fraction done when the step starts, its words).
PDF_STEPS = {
    "html": (0.0, "Writing the PDF: preparing the document"),
    "layout": (0.05, "Writing the PDF: laying out the pages"),
    "write": (0.6, "Writing the PDF: drawing the pages, fonts and tags"),
}

Progress = Callable[[float, str], None]


def levels(snapshot: dict) -> list[dict]:
    """The pack's sections: per level of the framework, its key messages and its rows of Appendix 3.

    Each Appendix 3 table (targets, trackers) keeps its themes, limited to the level's indicators;
    each row carries ``shown``, the indicator as members see it (trend, notes, source), so the
    by-level view and Appendix 3 are one table rather than two (docs/performance.md).
    """
    shown = {row["indicator_id"]: row for section in snapshot["sections"] for row in section["rows"]}
    messages = {group["key"]: group for group in snapshot["key_messages"]}
    present = {section["key"] for section in snapshot["sections"]} | set(messages)
    result = []
    for key, label, _ in LEVELS:
        if key not in present:
            continue
        tables = []
        for table in snapshot["appendix"]:
            themes = []
            for group in table["themes"]:
                rows = [
                    {**row, "shown": shown[row["indicator_id"]], "trend": trend_image(shown[row["indicator_id"]])}
                    for row in group["rows"]
                    if shown[row["indicator_id"]]["level"] == key
                ]
                if rows:
                    themes.append({"theme": group["theme"], "rows": rows})
            if themes:
                count = sum(len(group["rows"]) for group in themes)
                tables.append({**table, "themes": themes, "count": count})
        result.append({"key": key, "label": label, "messages": messages.get(key), "tables": tables})
    return result


def trend_image(shown: dict) -> dict | None:
    """An indicator's sparkline as an ``<img>``: its SVG as a data URL, its title as the alt text.

    Inline, each of 500+ sparklines was six elements for the HTML parser and the CSS cascade to go
    through; as an image it is one element, and the PDF's text alternative is the same, since
    WeasyPrint tags an inline SVG's <title> and an image's alt alike (docs/performance.md, "pack").
    """
    chart = shown.get("sparkline")
    if not chart:
        return None
    return {"src": "data:image/svg+xml," + quote(chart["svg"], safe="/:=;,.-_()"), "alt": chart["title"]}


def render_html(snapshot: dict, meta: dict) -> str:
    context = {"snapshot": snapshot, "meta": meta, "rag_order": RAG_ORDER, "levels": levels(snapshot)}
    return render_to_string("scorecards/pack/pdf.html", context)


def render_pdf(snapshot: dict, meta: dict, *, progress: Progress | None = None) -> bytes:
    """The pack's PDF; ``progress(fraction, step)`` is called as each step starts (fraction 0 to 1)."""
    from weasyprint import CSS, HTML

    remember_page_references()

    def report(step: str) -> None:
        if progress is not None:
            progress(*PDF_STEPS[step])

    report("html")
    html = HTML(string=render_html(snapshot, meta), base_url=str(CSS_PATH.parent))
    report("layout")
    document = html.render(stylesheets=[CSS(filename=str(CSS_PATH))], pdf_variant=PDF_VARIANT)
    report("write")
    return document.write_pdf(pdf_variant=PDF_VARIANT)
