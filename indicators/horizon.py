"""How far a scrutiny member may read the indicators: up to the published horizon (issue 6).

Scrutiny members see published quarters only. The *published horizon* is the end of the latest
published quarter; a member sees no figure for a period after it, cannot open a quarter (page or
download) that ends after it, and sees no figures at all while nothing is published. Every other
role sees everything.

``indicators`` imports no other app (docs/decisions/0001), so it does not know what "published"
means: it asks every installed app's ``AppConfig`` for an optional ``published_through()`` (a date,
or None) and takes the latest (``scorecards`` answers from its published scorecards, in one
query). The views and exports ask ``horizon_for(user)`` once per request and filter through the
``Horizon`` it returns; nothing else decides.

Which figures fall inside the horizon:

- an actual or a benchmark when its period ends on or before it;
- a target when its period starts on or before it. A quarter's row compares its latest figure
  with the target *containing* that figure's period (an annual 2016/17 target for a Q3 figure),
  and the published Q3 scorecard shows that target; so the target of every row of a published
  quarter is inside the horizon, and the indicator page agrees with the quarter page. A target
  for a year that starts after the horizon (2017/18 when Q4 2016/17 is the latest published) is
  outside it.

So every row of a quarter inside the horizon is wholly inside it (the selection rules never look
past the quarter's end); ``Horizon.rows`` still blanks, as a guard, any cell that is not.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.apps import apps

from indicators.models import Series
from indicators.quarters import Quarter
from indicators.rag import Rag
from indicators.selectors import COMPARATORS, EMPTY, IndicatorRow
from perfsite.roles import is_scrutiny_member_only

NOTHING_PUBLISHED = "No quarter has been published yet"


def member_horizon() -> datetime.date | None:
    """The published horizon: the latest date any app's ``published_through()`` returns (None: nothing)."""
    found = []
    for config in apps.get_app_configs():
        hook = getattr(config, "published_through", None)
        if callable(hook):
            day = hook()
            if day is not None:
                found.append(day)
    return max(found, default=None)


def last_quarter_by(day: datetime.date) -> Quarter:
    """The latest quarter ending on or before ``day``."""
    quarter = Quarter.containing(day)
    return quarter if quarter.end <= day else quarter.previous()


@dataclass(frozen=True)
class Horizon:
    """What one reader may see by date: everything (``limited`` False), or figures up to ``through``.

    ``through`` is the end of the latest quarter inside the published horizon (quarters are what is
    published, so a date inside a quarter is taken back to the end of the quarter before).
    """

    limited: bool = False
    through: datetime.date | None = None

    @classmethod
    def members(cls, published_through: datetime.date | None) -> Horizon:
        through = last_quarter_by(published_through).end if published_through is not None else None
        return cls(limited=True, through=through)

    @property
    def nothing_published(self) -> bool:
        return self.limited and self.through is None

    @property
    def latest_quarter(self) -> Quarter | None:
        """The latest quarter a limited reader may open (None: none); None for an unlimited one too."""
        return Quarter.containing(self.through) if self.through is not None else None

    # -- quarters ------------------------------------------------------------------------------

    def allows_quarter(self, quarter: Quarter) -> bool:
        if not self.limited:
            return True
        return self.through is not None and quarter.end <= self.through

    def quarters(self, quarters: Iterable[Quarter]) -> list[Quarter]:
        """The quarters (e.g. a picker's) the reader may open, in their order.

        A limited reader always has the latest published quarter among them, figures or not.
        """
        allowed = [q for q in quarters if self.allows_quarter(q)]
        latest = self.latest_quarter
        if latest is not None and latest not in allowed:
            allowed = sorted([*allowed, latest], reverse=True)
        return allowed

    def default_quarter(self, quarters: list[Quarter]) -> Quarter | None:
        """The quarter shown when none is asked for: the latest published for a member, else the first."""
        if self.limited:
            return self.latest_quarter
        return quarters[0] if quarters else None

    # -- figures -------------------------------------------------------------------------------

    def allows_period(self, *, series: str, start: datetime.date | None, end: datetime.date | None) -> bool:
        if not self.limited:
            return True
        if self.through is None or end is None:
            return False
        if series == Series.TARGET:
            return start is not None and start <= self.through
        return end <= self.through

    def values(self, values: Iterable) -> list:
        """``IndicatorValue``s (or anything with ``series``, ``period_start``, ``period_end``) inside the horizon."""
        return [v for v in values if self.allows_period(series=v.series, start=v.period_start, end=v.period_end)]

    def rows(self, rows: Iterable[IndicatorRow]) -> list[IndicatorRow]:
        """Rows with any cell outside the horizon left empty, and nothing rated against an empty cell."""
        if not self.limited:
            return list(rows)
        return [self._row(row) for row in rows]

    def template_context(self) -> dict:
        """What the pages say about the horizon (``indicators/_horizon_note.html``)."""
        return {
            "horizon_limited": self.limited,
            "published_quarter": self.latest_quarter,
            "nothing_published": self.nothing_published,
            "nothing_published_message": NOTHING_PUBLISHED,
        }

    def _row(self, row: IndicatorRow) -> IndicatorRow:
        series_of = {"latest": Series.ACTUAL, "previous": Series.ACTUAL, "twelve_months_earlier": Series.ACTUAL}
        changed = {}
        for name in ("latest", *COMPARATORS):
            cell = row.cell(name)
            series = series_of.get(name, name)
            if not cell.is_empty and not self.allows_period(
                series=series, start=cell.period_start, end=cell.period_end
            ):
                changed[name] = EMPTY
        if "latest" in changed:
            changed.update({name: replace(row.cell(name), rag=Rag.NA) for name in COMPARATORS if name not in changed})
        return replace(row, **changed) if changed else row


def horizon_for(user) -> Horizon:
    """The horizon of ``user``: limited for a scrutiny member with no other role (one query), else none."""
    if is_scrutiny_member_only(user):
        return Horizon.members(member_horizon())
    return Horizon()
