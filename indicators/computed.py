"""The registry of computed indicators: figures perfsite computes from another app's records.

A source app (audits, caseloads) registers a ``ComputedSource`` from its ``AppConfig.ready``: the
indicator codes it writes, the period (quarter, month) a day falls in, the function that writes
one period's figures, and the periods that have or may need a figure. indicators knows no source
app; everything it knows about them is in this registry.

Three things use it:

- ``recompute`` (run by the one task, ``indicators.tasks.recompute_computed_indicators``): the
  periods of the days given, or every period (the nightly catch-up in ``CELERY_BEAT_SCHEDULE``).
- ``indicators.tasks.queue_recompute``: the services that change a source's records (submitting an audit,
  reopening a return, an import) call it; the task is queued when their transaction commits.
- ``refusal``: the actual and target figures of a computed indicator come only from its source, so
  forms, services, the admin and the value imports refuse them, naming the indicator.

See docs/indicators.md (computed indicators).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from indicators.models import Indicator, Series

# The series perfsite writes for a computed indicator; benchmarks are still entered or imported.
COMPUTED_SERIES = frozenset({Series.ACTUAL.value, Series.TARGET.value})


@dataclass(frozen=True)
class ComputedSource:
    """One app's computed indicators, written together one period at a time."""

    label: str  # the app's label: the key of recompute()'s result
    records: str  # what the figures are computed from, in the officers' words ("case-file audits")
    codes: tuple[str, ...]
    period_of: Callable[[datetime.date], Hashable]  # the period (quarter, month) a day falls in
    recompute_period: Callable[[Hashable], int]  # writes every code's figures for one period; values changed
    periods: Callable[[], Iterable[Hashable]]  # every period that has, or may need, a figure
    define: Callable[[], object]  # creates or updates the indicators' definitions (ensure_computed_indicator)
    # indicators.small_bases: the fewest cases (a figure's denominator) a rate is rated on, and its interval.
    smallest_base: Callable[[], int] | None = None
    base_words: tuple[str, str] = ("case", "cases")
    interval: Callable[[int, int], tuple | None] | None = None
    # The codes that are proportions, given the interval; empty: every code (an average has none).
    proportions: tuple[str, ...] = ()


class ComputedFigureRefused(ValidationError):
    """A hand entry or import of a figure that perfsite computes."""


_sources: dict[str, ComputedSource] = {}  # code -> source


def register(source: ComputedSource) -> None:
    """Add a source's codes; registering the same source again (a second ``ready``) changes nothing."""
    for code in source.codes:
        known = _sources.get(code)
        if known is not None and known.label != source.label:
            raise ValueError(f"{code} is already computed from {known.records}")
    for code in source.codes:
        _sources[code] = source


def source_of(code: str) -> ComputedSource | None:
    return _sources.get(code)


def registered_codes() -> tuple[str, ...]:
    return tuple(_sources)


def sources(codes: Iterable[str] | None = None) -> list[ComputedSource]:
    """The sources of ``codes`` (every source when None), each once, in registration order."""
    wanted = _sources.keys() if codes is None else codes
    found: dict[str, ComputedSource] = {}
    for code in wanted:
        source = _sources.get(code)
        if source is None:
            raise KeyError(f"{code!r} is not a computed indicator")
        found.setdefault(source.label, source)
    return list(found.values())


def recompute(*, codes: Iterable[str] | None = None, days: Iterable[datetime.date] | None = None) -> dict:
    """Recompute the periods containing ``days`` (every period when None) of ``codes`` (every code when None).

    Idempotent: figures already right are not written again and record no history. A source that
    writes several codes writes them all; a full run defines its indicators even before they have
    a figure. Returns ``{label: {"periods": n, "changed": values}}``.
    """
    days = None if days is None else list(days)
    result = {}
    for source in sources(codes):
        if days is None:
            source.define()
        periods = list(source.periods()) if days is None else list(dict.fromkeys(map(source.period_of, days)))
        changed = sum(source.recompute_period(period) for period in periods)
        result[source.label] = {"periods": len(periods), "changed": changed}
    return result


def is_computed(indicator: Indicator) -> bool:
    return indicator.is_computed or indicator.code in _sources


def refusal(indicator: Indicator, series: str) -> str | None:
    """Why ``series`` figures of ``indicator`` may not be entered by hand or imported; None when they may."""
    if str(series) not in COMPUTED_SERIES or not is_computed(indicator):
        return None
    source = _sources.get(indicator.code)
    records = source.records if source else "other records"
    return (
        f"{indicator.code} is computed by perfsite from {records}: its {Series(series).label.lower()} figures "
        f"cannot be entered by hand or imported. Correct the {records} instead; benchmarks can still be entered."
    )


def refuse_hand_entry(indicator: Indicator, series: str) -> None:
    problem = refusal(indicator, series)
    if problem:
        raise ComputedFigureRefused(problem)
