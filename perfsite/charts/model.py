"""The values a chart is drawn from, and the chart it becomes."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.safestring import SafeString, mark_safe

# A value as callers pass it: a figure, a gap (None) or a disclosure marker such as "c"
# (a published count that was suppressed). Markers are shown verbatim in the data table and
# drawn as gaps, never as zero.
Value = Decimal | int | str | None
Point = Decimal | str | None


def normalise_value(value: Any, *, where: str) -> Point:
    """Decimal for a figure, None for a gap, the marker string for a suppressed figure."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError(f"{where}: a chart value must be a Decimal, int, None or a marker string, not a bool")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{where}: {value} is not a finite number")
        return value
    if isinstance(value, str):
        marker = value.strip()
        if not marker:
            return None
        return marker
    if isinstance(value, float):
        if math.isnan(value):
            return None
        raise TypeError(f"{where}: pass figures as Decimal, not float ({value!r})")
    raise TypeError(f"{where}: unsupported chart value {value!r}")


@dataclass(frozen=True)
class Series:
    """A named run of values, one per category (None = no data, "c" = suppressed)."""

    name: str
    values: list[Value]

    def points(self) -> list[Point]:
        return [normalise_value(v, where=f"series {self.name!r}, value {i + 1}") for i, v in enumerate(self.values)]


@dataclass(frozen=True)
class Chart:
    """A rendered chart: SVG markup, its text alternative and the data table behind it."""

    title: str
    description: str
    svg: SafeString
    table_headers: list[str]
    table_rows: list[list[str]]
    kind: str = "line"
    chart_id: str = ""
    has_data: bool = True
    notes: list[str] = field(default_factory=list)

    def __html__(self) -> str:
        return str(self.svg)

    def __str__(self) -> str:
        return str(self.svg)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form, so a published snapshot can store the chart as rendered."""
        return {
            "title": self.title,
            "description": self.description,
            "svg": str(self.svg),
            "table_headers": list(self.table_headers),
            "table_rows": [list(row) for row in self.table_rows],
            "kind": self.kind,
            "chart_id": self.chart_id,
            "has_data": self.has_data,
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chart:
        # The SVG was produced by this module and escaped when it was built.
        return cls(
            title=data["title"],
            description=data["description"],
            # Reviewed (bandit B308, B703): the SVG comes from our own snapshot, built from escaped pieces (svg.py).
            svg=mark_safe(data["svg"]),  # noqa: S308  # nosec B308 B703
            table_headers=list(data["table_headers"]),
            table_rows=[list(row) for row in data["table_rows"]],
            kind=data.get("kind", "line"),
            chart_id=data.get("chart_id", ""),
            has_data=data.get("has_data", True),
            notes=list(data.get("notes", [])),
        )
