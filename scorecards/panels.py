"""Composing the scorecard's panels: the source apps build them, scorecards orders, freezes and renders them.

Each source app provides its panels through ``perfsite.scorecard_panels`` (an ``AppConfig`` hook,
``scorecard_panels()``), so the rules behind the audit and caseload figures live in ``audits`` and
``caseloads`` and nowhere here. A snapshot freezes each panel's data under its key and lists the
panels (key, title, anchor) in page order; the templates that render a frozen panel are looked up
by key when it is shown, so a published scorecard renders with today's templates.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from perfsite.scorecard_panels import ScorecardPanel, SheetLine

# The scorecard's running order (the reference's): these first, any other panel after, in
# INSTALLED_APPS order. Scorecards published before snapshots listed their panels (schema 1) held
# exactly these two, under these keys.
ORDER = ("audit", "caseload")
GENERIC_TEMPLATE = "scorecards/includes/panel.html"
GENERIC_PACK_TEMPLATE = "scorecards/pack/panel.html"


@dataclass(frozen=True)
class BuiltPanel:
    """A panel built for a quarter, ready to freeze: where it goes on the page and its data."""

    key: str
    title: str
    anchor: str
    data: dict


def providers() -> list[ScorecardPanel]:
    """Every installed app's scorecard panels, in the scorecard's order."""
    found: list[ScorecardPanel] = []
    for config in apps.get_app_configs():
        hook = getattr(config, "scorecard_panels", None)
        if hook is not None:
            found.extend(hook())
    keys = [panel.key for panel in found]
    if len(set(keys)) != len(keys):
        raise ImproperlyConfigured(f"Two scorecard panels share a key: {sorted(keys)}")
    return sorted(found, key=lambda panel: ORDER.index(panel.key) if panel.key in ORDER else len(ORDER))


def build_panels(quarter) -> list[BuiltPanel]:
    """Every panel for ``quarter`` (each provider's queries are fixed in number)."""
    return [BuiltPanel(p.key, p.title, p.anchor, p.build(quarter)) for p in providers()]


def _generic_sheet(panel: dict) -> list[SheetLine]:
    return [SheetLine("text", (panel.get("message", ""),))]


def panel_sections(snapshot: dict) -> list[dict]:
    """The panels of a frozen snapshot in page order, each with its data and the templates that render it.

    A panel whose app is no longer installed still shows its message and charts (generic templates).
    """
    by_key = {panel.key: panel for panel in providers()}
    listed = snapshot.get("panels")
    if listed is None:  # schema 1
        listed = [
            {"key": key, "title": by_key[key].title, "anchor": by_key[key].anchor}
            for key in ORDER
            if key in snapshot and key in by_key
        ]
    sections = []
    for entry in listed:
        provider = by_key.get(entry["key"])
        data = snapshot.get(entry["key"]) or {}
        sections.append(
            {
                **entry,
                "data": data,
                "template": provider.template if provider else GENERIC_TEMPLATE,
                "pack_template": provider.pack_template if provider else GENERIC_PACK_TEMPLATE,
                "sheet_name": provider.sheet_name if provider else entry["title"][:31],
                "sheet": provider.sheet if provider else _generic_sheet,
                "figures": provider.figures if provider else tuple(k for k in data if k not in ("charts", "message")),
                "change_label": provider.change_label if provider else entry["title"],
            }
        )
    return sections
