"""The scorecard panel interface: how a source app gives the quarterly scorecard a panel of its own.

A source app (audits, caseloads) owns the rules behind its figures, so it also owns its panel: its
``AppConfig`` defines ``scorecard_panels() -> list[ScorecardPanel]``, as it defines ``nav_links``.
scorecards asks every installed app in INSTALLED_APPS order, builds each panel for the quarter and
freezes the result into the snapshot under the panel's ``key``; the page, the PDF and the XLSX
render from that frozen data. The interface lives here, in the foundation, so that a source app
never imports scorecards. See docs/decisions/0004-scorecard-panel-interface.md.

What ``build`` returns is plain JSON (strings, numbers, lists, dicts, None), every figure already
through ``perfsite.disclosure``, with at least ``has_data`` (bool) and ``message`` (the key message,
or why there is nothing to show) and, when it has charts, ``charts`` (``Chart.as_dict()`` each).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# What a line of a panel's spreadsheet is: how the pack's XLSX writes its cells.
SHEET_KINDS = (
    "title",  # the first cell, as a sheet title
    "text",  # the first cell, wrapped (a message)
    "header",  # column headings
    "label",  # a bold label, then figures
    "row",  # figures (numbers are written as numbers, "c" stays text)
    "blank",  # an empty line
)


@dataclass(frozen=True)
class SheetLine:
    kind: str
    cells: tuple = ()

    def __post_init__(self):
        if self.kind not in SHEET_KINDS:
            raise ValueError(f"A sheet line is one of {', '.join(SHEET_KINDS)}, not {self.kind!r}.")


@dataclass(frozen=True)
class ScorecardPanel:
    """One panel of the scorecard, provided by the app whose figures it shows."""

    key: str  # the snapshot's key for the panel's data: published snapshots use it, so never rename it
    title: str  # the section's heading and its entry in the contents
    anchor: str  # the section's id (``#audits``)
    template: str  # the page's section; rendered with ``panel`` (the frozen data) and ``snapshot``
    pack_template: str  # the PDF pack's section, with the same context
    sheet_name: str  # the pack XLSX's sheet for the panel's tables
    build: Callable[[Any], dict]  # quarter (``indicators.quarters.Quarter``) -> JSON-ready panel data
    sheet: Callable[[dict], list[SheetLine]]  # frozen panel data -> the lines of its XLSX sheet
    figures: tuple[str, ...]  # the data's keys whose change an amendment reports as revised figures
    change_label: str  # how an amendment names the panel: "Case-file audits: figures were revised."
    # What a first page shows of the panel (the officer's preview: ``scorecards.preview``): ``has_data``
    # and ``message``, exactly as ``build`` gives them, when the app can work them out for less than a
    # whole build; None builds the whole panel.
    summary: Callable[[Any], dict] | None = None
