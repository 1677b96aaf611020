"""The committee pack PDF beside WeasyPrint's floor for a plain table of as many cells."""

from __future__ import annotations

import time

from bench.common import QUARTER, report


def measure_pack() -> None:
    """The committee pack PDF of the published quarter beside WeasyPrint's floor for as many cells.

    The floor is WeasyPrint laying out, drawing and tagging (PDF/UA-1) one plain table, fixed
    columns, with as many cells as the pack's HTML has (``<td>`` and ``<th>``), each a short run
    of text: the least a tagged PDF of that many table cells costs on this machine, in this run.
    The pack once, the floor just before and just after it.
    """
    import re

    from weasyprint import CSS, HTML

    from indicators.quarters import Quarter
    from scorecards.pack_pdf import PDF_VARIANT, render_html, render_pdf
    from scorecards.packs import pack_meta
    from scorecards.publishing import current_version

    scorecard = current_version(Quarter.parse(QUARTER))
    meta = pack_meta(scorecard)
    cells = len(re.findall(r"<t[dh][\s>]", render_html(scorecard.snapshot, meta)))
    indicators = sum(len(section["rows"]) for section in scorecard.snapshot["sections"])
    columns = 10
    rows = "".join(
        "<tr>" + "".join(f"<td>R{row} C{column}</td>" for column in range(columns)) + "</tr>"
        for row in range(-(-cells // columns))
    )
    plain = (
        '<!DOCTYPE html><html lang="en-GB"><head><title>Floor</title></head><body><table><tbody>'
        f"{rows}</tbody></table></body></html>"
    )
    css = CSS(
        string="@page { size: A4; margin: 18mm 16mm } html { font-family: 'Liberation Sans'; font-size: 8.5pt } "
        "table { width: 100%; border-collapse: collapse; table-layout: fixed } td { border-bottom: 1px solid; }"
    )

    def floor() -> float:
        start = time.perf_counter()
        HTML(string=plain).write_pdf(stylesheets=[css], pdf_variant=PDF_VARIANT)
        return time.perf_counter() - start

    # The floor before and after the pack, averaged: on a shared machine the load moves in minutes.
    before = floor()
    start = time.perf_counter()
    pdf = render_pdf(scorecard.snapshot, meta)
    seconds = time.perf_counter() - start
    after = floor()
    print(
        f"\nCommittee pack ({indicators} indicators, {cells:,} table cells; "
        f"floor {before:.1f} s before, {after:.1f} s after)"
    )
    report(
        "committee pack PDF",
        seconds,
        (before + after) / 2,
        "plain table, same cells",
        "",
        f"{len(pdf) / 1024:8.0f} KiB",
    )
