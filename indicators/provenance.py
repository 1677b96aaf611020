"""Provenance: where each stored figure came from, and when it was loaded.

Every writer of an ``IndicatorValue`` says what it is (``services._write_value`` takes a
``Provenance``): a performance officer's hand entry (and who, ``updated_by``), a file import
(file name and row), a DfE EES file (publication where known, file, column, filters, row) or a
figure computed by perfsite (from which records). The value keeps the provenance of the write that
set it as it stands, with ``loaded_at``; the history keeps every earlier one. Writing the same
figure again changes nothing, provenance included (an import run twice leaves no trace).

What a reader sees: ``describe`` (kind and detail, no person's name: fit for a scrutiny member)
and, for officers, ``by`` (who entered it). See docs/indicators.md ("Provenance").
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from indicators.models import SourceKind

DETAIL_MAX = 400


@dataclass(frozen=True)
class Provenance:
    kind: str
    detail: str = ""

    def fields(self) -> dict:
        return {"source_kind": self.kind, "source_detail": self.detail[:DETAIL_MAX]}


def by_hand(how: str = "") -> Provenance:
    return Provenance(SourceKind.HAND, how)


def from_file(filename: str, *, row: int | None = None) -> Provenance:
    where = f"{filename}, row {row}" if row else filename
    return Provenance(SourceKind.FILE, where)


def from_ees(
    filename: str, *, column: str, filters=(), row: int | None = None, publication: str = "", rows: str = ""
) -> Provenance:
    parts = [publication] if publication else []
    parts.append(filename)
    parts.append(f"column {column}")
    if filters:
        parts.append("filter " + ", ".join(f"{c}={v}" for c, v in filters))
    if rows:
        parts.append(rows)
    elif row:
        parts.append(f"row {row}")
    return Provenance(SourceKind.EES, "; ".join(parts))


def computed(records: str) -> Provenance:
    return Provenance(SourceKind.COMPUTED, f"from {records}")


def describe(kind: str, detail: str = "", loaded_at: datetime.datetime | None = None) -> str:
    """``DfE published statistics (EES file): cla.csv; column rate_per_10000; row 12 (loaded 3 Apr 2017)``."""
    if not kind:
        return "Source not recorded (stored before perfsite kept provenance)"
    text = SourceKind(kind).label
    if detail:
        text += f": {detail}"
    if loaded_at is not None:
        text += f" (loaded {loaded_at:%-d %b %Y %H:%M})"
    return text


def of(item) -> str:
    """The description of a stored value (or a historical record of one)."""
    loaded_at = item.loaded_at
    offset = loaded_at.utcoffset() if loaded_at is not None else None
    return _described(item.source_kind, item.source_detail, loaded_at, offset)


@functools.lru_cache(maxsize=4096)
def _described(kind: str, detail: str, loaded_at: datetime.datetime | None, offset) -> str:
    """``describe``, once for each source: a page's hundreds of values come from a few imports.

    The offset is part of the key because equal instants in two zones compare equal but print
    different wall times."""
    return describe(kind, detail, loaded_at)
