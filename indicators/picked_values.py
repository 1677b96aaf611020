"""The values a quarter's rows show, read as plain rows rather than model instances.

A page of rows shows up to seven values an indicator; building a model instance for each cost more
than selecting them. ``build_row`` reads only the attributes below (``Cell.from_value``, the
staleness and small-base rules, ``provenance.of``), so a slotted record with the same names and
the same ``figure`` serves it, and ``picked_values`` reads them in one query.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models.expressions import RawSQL

from indicators.models import IndicatorValue, quantize

FIELDS = (
    "pk",
    "series",
    "period_label",
    "period_start",
    "period_end",
    "value",
    "scale",
    "numerator",
    "denominator",
    "status",
    "footnote",
    "source_kind",
    "source_detail",
    "loaded_at",
)


@dataclass(frozen=True, slots=True)
class PickedValue:
    pk: int
    series: str
    period_label: str
    period_start: datetime.date
    period_end: datetime.date
    value: Decimal
    scale: int
    numerator: Decimal | None
    denominator: Decimal | None
    status: str
    footnote: str
    source_kind: str
    source_detail: str
    loaded_at: datetime.datetime | None

    @property
    def figure(self) -> Decimal:
        """As ``IndicatorValue.figure``: the value at the scale it was given with."""
        return quantize(self.value, self.scale)


def picked_values(ids: Iterable[int]) -> dict[int, PickedValue]:
    """The values of ``ids`` by id, in one query (never batched: in_bulk splits past 999 ids on SQLite)."""
    wanted = set(ids) - {None}
    if not wanted:
        return {}
    # On PostgreSQL one array parameter rather than an IN list of 700: half the time to send and plan.
    array = RawSQL("SELECT unnest(%s::bigint[])", [sorted(wanted)])  # nosec B611 - constant SQL
    of = array if connection.vendor == "postgresql" else wanted
    return {row[0]: PickedValue(*row) for row in IndicatorValue.objects.filter(pk__in=of).values_list(*FIELDS)}
