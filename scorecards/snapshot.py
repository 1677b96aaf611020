"""The scorecard as data: a pure function from the selectors' outputs to a JSON-ready snapshot.

``build_snapshot(sources)`` reads nothing from the database and returns plain JSON (strings,
numbers, lists, dicts). The page, the PDF and the XLSX all render from it, so what a member sees
on a published quarter is exactly what was frozen, and a preview shows exactly what would be.
``scorecards.sources.gather_sources`` collects the inputs in a fixed number of queries.
Every figure in it has already been through disclosure control.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from indicators.actions.snapshot import actions_addition
from indicators.appendix import build_appendix
from indicators.disclosure import without_small_base_detail
from indicators.quarters import Quarter
from indicators.rag import Rag
from perfsite.charts import sparkline
from perfsite.disclosure import SUPPRESSED, disclosed
from perfsite.formatting import clean_description, table_figure
from scorecards.messages import Tone, headline_rag, key_message, shown
from scorecards.panels import BuiltPanel, panel_sections

# 2: the panels are listed under "panels" (key, title, anchor), each one's data under its key.
SCHEMA_VERSION = 2
RAG_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NA)
RAG_RANK = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}

# The reference's three levels of performance (paragraph 10), over the framework's four levels.
LEVELS = (
    ("early_help_universal", "Early help and universal services", ("universal", "early_help")),
    ("assessment_safeguarding", "Assessment and safeguarding services", ("assessment_safeguarding",)),
    ("corporate_parenting", "Corporate parenting support", ("corporate_parenting",)),
    ("other", "Other indicators", ("",)),
)
KIND_LABELS = {"target": "Target", "tracker": "Tracker"}
POLARITY_LABELS = {"higher": "Higher is better", "lower": "Lower is better", "neutral": "Neutral (not rated)"}
CELL_NAMES = ("latest", "previous", "twelve_months_earlier", "target", "national", "regional", "statistical_neighbours")


@dataclass(frozen=True)
class HistoryPoint:
    period_label: str
    period_end: datetime.date
    value: Decimal


@dataclass(frozen=True)
class CommentaryNote:
    mode: str  # "add" or "replace"
    text: str
    updated_at: str  # ISO date-time


@dataclass(frozen=True)
class Sources:
    """Everything a scorecard is built from, gathered by ``scorecards.sources``."""

    quarter: Quarter
    rows: list
    previous_rows: list
    history: dict[int, list[HistoryPoint]] = field(default_factory=dict)
    commentary: dict[int, CommentaryNote] = field(default_factory=dict)
    panels: list[BuiltPanel] = field(default_factory=list)
    theme_order: list[str] = field(default_factory=list)
    home_name: str = "County Durham"
    region_name: str = "North East"
    council_name: str = "Durham County Council"
    # The quarter's open performance actions (indicators.actions.selectors.ActionLine list).
    actions: list = field(default_factory=list)
    key_issues: dict[int, str] = field(default_factory=dict)  # scorecards.exceptions: the officer's choice


def level_of(framework_level: str) -> str:
    for key, _, members in LEVELS:
        if (framework_level or "") in members:
            return key
    return "other"


def _order(row) -> tuple:
    return (row.ref is None, row.ref or 0, row.code)


def cell_dict(row, name: str) -> dict:
    cell = getattr(row, name)
    value = shown(row, cell)
    latest = shown(row, row.latest)
    rag = Rag(cell.rag) if name != "latest" else Rag.NA
    if SUPPRESSED in (value, latest):
        rag = Rag.NA  # a rating against a hidden figure would hint at it
    return {
        "value": None if value is None else str(value),
        "display": table_figure(value, unit=row.unit, decimals=row.decimals),
        "period": cell.period_label,
        "rag": rag.value,
        "status": cell.status,
    }


def _sparkline(row, points: list[HistoryPoint], chart_id: str) -> dict | None:
    if len(points) < 2:
        return None
    values = [disclosed(p.value, unit=row.unit) for p in points]
    unit = "%" if row.unit == "percent" else ""
    chart = sparkline(
        values=values,
        title=f"{row.code}: recent trend",
        unit=unit,
        decimals=row.decimals,
        categories=[p.period_label for p in points],
        chart_id=chart_id,
    )
    return chart.as_dict()


def _plain_count(value: Decimal) -> str:
    """A numerator or denominator: whole numbers with separators, WTE to one place."""
    whole = value == value.to_integral_value()
    return table_figure(value, unit="count", decimals=0 if whole else 1)


def shown_rating(row) -> str:
    """The row's headline rating as members see it: none against a hidden figure."""
    return headline_rag(row).value if shown(row, row.latest) != SUPPRESSED else Rag.NA.value


def row_dict(row, *, history: list[HistoryPoint], chart_prefix: str) -> dict:
    if shown(row, row.latest) == SUPPRESSED:  # its base and interval would give the hidden counts away
        row = without_small_base_detail(row)
    latest = row.latest
    basis = ""
    if latest.numerator is not None and latest.denominator is not None and shown(row, latest) != SUPPRESSED:
        joiner = " of " if row.unit == "percent" else " / "
        basis = f"{_plain_count(latest.numerator)}{joiner}{_plain_count(latest.denominator)}"
    slug = "".join(ch if ch.isalnum() else "-" for ch in row.code.lower()).strip("-")
    return {
        "indicator_id": row.indicator_id,
        "code": row.code,
        "ref": row.ref,
        "description": row.description,
        "short_description": clean_description(row.description),
        "kind": row.kind,
        "kind_label": KIND_LABELS.get(row.kind, row.kind),
        "polarity": row.polarity,
        "polarity_label": POLARITY_LABELS.get(row.polarity, row.polarity),
        "unit": row.unit,
        "unit_label": getattr(row, "unit_label", "") or row.unit,
        "decimals": row.decimals,
        "theme": row.themes[0] if row.themes else "",
        "level": level_of(row.framework_level),
        "is_computed": bool(getattr(row, "is_computed", False)),
        "headline_rag": shown_rating(row),
        "basis": basis,
        # issue 9: an out-of-date figure, why ratings are held back (indicators.staleness, small_bases),
        # and where each figure came from (indicators.provenance), by cell name.
        "out_of_date": bool(getattr(row, "out_of_date", False)),
        "rating_note": getattr(row, "small_base_note", "") or getattr(row, "staleness_note", ""),
        "notes": {name: row.cell(name).note for name in CELL_NAMES if getattr(row.cell(name), "note", "")},
        "sources": {name: row.cell(name).source for name in CELL_NAMES if getattr(row.cell(name), "source", "")},
        "footnotes": list(row.footnotes),
        **{name: cell_dict(row, name) for name in CELL_NAMES},
        "sparkline": _sparkline(row, history, f"{chart_prefix}-spark-{slug}-{row.indicator_id}"),
    }


def rag_counts(rows) -> dict[str, int]:
    counts = Counter(headline_rag(row) for row in rows)
    return {rag.value: counts.get(rag, 0) for rag in RAG_ORDER}


def headline(rows, previous_rows, *, quarter: Quarter) -> dict:
    return headline_against(rows, {row.indicator_id: headline_rag(row) for row in previous_rows}, quarter=quarter)


def headline_against(rows, was: dict[int, Rag], *, quarter: Quarter) -> dict:
    """The headline from this quarter's rows and the previous quarter's ratings alone (indicator id ->
    headline RAG): all it reads of that quarter, so the preview need not build its rows."""
    now = rag_counts(rows)
    counted = Counter(was.values())
    before = {rag.value: counted.get(rag, 0) for rag in RAG_ORDER}
    moves = []
    for row in sorted(rows, key=_order):
        old, new = was.get(row.indicator_id), headline_rag(row)
        if old is None or old == new:
            continue
        if old in RAG_RANK and new in RAG_RANK:
            direction = "better" if RAG_RANK[new] > RAG_RANK[old] else "worse"
        else:
            direction = "newly rated" if old == Rag.NA else "no longer rated"
        moves.append(
            {
                "code": row.code,
                "description": clean_description(row.description),
                "from": old.value,
                "to": new.value,
                "direction": direction,
            }
        )
    return {
        "counts": now,
        "previous_counts": before,
        "change": {rag: now[rag] - before[rag] for rag in now},
        "previous_quarter": quarter.previous().label,
        "previous_quarter_slug": quarter.previous().slug,
        "total": len(rows),
        "moves": moves,
    }


def key_messages(
    rows, *, commentary: dict[int, CommentaryNote], region_name: str, chosen: dict[int, str] | None = None
) -> list[dict]:
    """Per level: the key issues first, then the other messages; indicators without a figure this
    quarter are listed once, by name, rather than each in a sentence of its own.

    The key issues are the officer's choice (``chosen``: indicator id -> reason) when the quarter
    has one (``scorecards.exceptions``), else the messages whose tone is an issue."""
    groups = {
        key: {"key": key, "label": label, "issues": [], "others": [], "not_reported": []} for key, label, _ in LEVELS
    }
    for row in sorted(rows, key=lambda r: (RAG_RANK.get(headline_rag(r), 3), *_order(r))):
        group = groups[level_of(row.framework_level)]
        note = commentary.get(row.indicator_id)
        if row.latest.value is None and note is None:
            group["not_reported"].append({"code": row.code, "description": clean_description(row.description)})
            continue
        message = key_message(row, region_name=region_name)
        item = {
            "indicator_id": row.indicator_id,
            "code": row.code,
            "text": note.text if note is not None and note.mode == "replace" else message.text,
            "generated": message.text,
            "tone": message.tone.value,
            "rag": message.rag.value,
            "commentary": None
            if note is None
            else {"mode": note.mode, "text": note.text, "updated_at": note.updated_at},
        }
        if chosen:
            item["issue_reason"] = chosen.get(row.indicator_id, "")
            group["issues" if row.indicator_id in chosen else "others"].append(item)
        else:
            group["issues" if message.tone == Tone.ISSUE else "others"].append(item)
    return [group for group in groups.values() if group["issues"] or group["others"] or group["not_reported"]]


def table_title(table) -> str:
    return f"Table {table.number}: {table.title}"


def sections(row_dicts: list[dict]) -> list[dict]:
    result = []
    for key, label, _ in LEVELS:
        members = [r for r in row_dicts if r["level"] == key]
        if members:
            result.append({"key": key, "label": label, "rows": members})
    return result


def appendix_tables(rows, row_dicts: list[dict], *, theme_order: list[str], region_name: str) -> list[dict]:
    """Appendix 3 as ``indicators.appendix`` builds it (tables, theme groups, footnote numbers, benchmark
    periods), with each row's figures as members see them (``row_dicts``, in the order of ``rows``)."""
    as_shown = {id(row): item for row, item in zip(rows, row_dicts, strict=True)}
    tables = []
    for table in build_appendix(rows, theme_order=theme_order, region_name=region_name):
        target = table.kind == "target"
        themes = []
        for group in table.groups:
            items = []
            for line in group.rows:
                row = as_shown[id(line.row)]
                regional = row["regional"]
                other = regional if regional["value"] is not None else row["statistical_neighbours"]
                other_mark = "*" if regional["value"] is not None else ("**" if other["value"] is not None else "")
                items.append(
                    {
                        **{k: row[k] for k in ("indicator_id", "code", "ref", "description")},
                        "marks": list(line.footnote_numbers),
                        "latest": row["latest"],
                        "comparator": row["target"] if target else row["previous"],
                        "twelve_months_earlier": row["twelve_months_earlier"],
                        "national": row["national"],
                        "other_benchmark": other,
                        "other_mark": other_mark,
                        "benchmark_period": line.benchmark_period,
                        # Only when set: a snapshot without out-of-date rows stays as it was frozen before.
                        **({"out_of_date": True} if row.get("out_of_date") else {}),
                    }
                )
            themes.append({"theme": group.theme, "rows": items})
        tables.append(
            {
                "number": table.number,
                "kind": table.kind,
                "title": table_title(table),
                "comparator_heading": "Period target" if target else "Previous period data",
                "comparator_rag_heading": "Current performance to target"
                if target
                else "Performance compared to previous period",
                "themes": themes,
                "footnotes": [{"number": number, "text": text} for number, text in table.footnotes],
                "count": len(table.lines),
            }
        )
    return tables


DISCLOSURE = (
    "Counts from 1 to 5 are shown as c, as the Department for Education does, and further figures are "
    "hidden where a total would give them away. Percentages built on hidden counts are hidden too. "
    "No child's case reference and no worker's name appears in this scorecard."
)


def frame(quarter: Quarter, *, council_name: str, home_name: str, region_name: str) -> dict:
    """What every page of the scorecard names: the schema, the quarter and the council."""
    return {
        "schema": SCHEMA_VERSION,
        "quarter": {
            "slug": quarter.slug,
            "label": quarter.label,
            "number": quarter.number,
            "financial_year": quarter.financial_year,
            "period_label": quarter.period_label,
            "start": quarter.start.isoformat(),
            "end": quarter.end.isoformat(),
        },
        "council": council_name,
        "home": home_name,
        "region": region_name,
    }


def ordered(rows) -> list:
    """Rows in the scorecard's order (reference number, then code)."""
    return sorted(rows, key=_order)


def build_snapshot(sources: Sources) -> dict:
    """Everything the scorecard shows for ``sources.quarter``, as plain JSON."""
    quarter = sources.quarter
    prefix = quarter.slug
    rows = sorted(sources.rows, key=_order)
    row_dicts = [row_dict(r, history=sources.history.get(r.indicator_id, []), chart_prefix=prefix) for r in rows]
    snapshot = {
        **frame(
            quarter,
            council_name=sources.council_name,
            home_name=sources.home_name,
            region_name=sources.region_name,
        ),
        "headline": headline(rows, sources.previous_rows, quarter=quarter),
        "key_messages": key_messages(
            rows, commentary=sources.commentary, region_name=sources.region_name, chosen=sources.key_issues
        ),
        "sections": sections(row_dicts),
        "panels": [{"key": p.key, "title": p.title, "anchor": p.anchor} for p in sources.panels],
        "appendix": appendix_tables(rows, row_dicts, theme_order=sources.theme_order, region_name=sources.region_name),
        # Snapshots published before performance actions existed lack this key; the templates skip it.
        "actions": actions_addition(sources.actions),
        "disclosure": DISCLOSURE,
    }
    for panel in sources.panels:
        if panel.key in snapshot:
            raise ValueError(f"A scorecard panel cannot use the key {panel.key!r}: the snapshot has its own.")
        snapshot[panel.key] = panel.data
    return snapshot


def canonical_json(snapshot: dict) -> str:
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def snapshot_sha256(snapshot: dict) -> str:
    return hashlib.sha256(canonical_json(snapshot).encode("utf-8")).hexdigest()


def all_charts(snapshot: dict) -> list[dict]:
    """Every chart in the snapshot, in page order (the XLSX's chart-data sheet lists each)."""
    charts = []
    for section in snapshot.get("sections", []):
        charts.extend(row["sparkline"] for row in section["rows"] if row.get("sparkline"))
    for section in panel_sections(snapshot):
        charts.extend(section["data"].get("charts", []))
    return charts
