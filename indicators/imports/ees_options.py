"""The options of a DfE import: which column, which rows, which day of the year, whose figures.

``EesOptions`` is what ``import_ees``, its upload page, the demo and ``refresh_benchmarks`` (from a
registered ``BenchmarkSource``) all build; ``period_for`` turns a DfE year into the period written.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from indicators.periods import as_at_label, one_year_back, span_label
from perfsite.tabular import normalise_header

_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


class OptionError(ValueError):
    pass


def parse_month_day(text: str) -> tuple[int, int]:
    match = _MONTH_DAY.match((text or "").strip())
    if not match:
        raise OptionError(f"{text!r} is not a month and day as MM-DD, e.g. 03-31.")
    month, day = int(match[1]), int(match[2])
    try:
        datetime.date(2000, month, day)  # a leap year, so 02-29 is allowed
    except ValueError:
        raise OptionError(f"{text!r} is not a day of the year.") from None
    return month, day


def parse_filter(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise OptionError(f"{text!r} is not a filter; write COLUMN=VALUE, e.g. population_type=Children looked after.")
    column, value = text.split("=", 1)
    if not column.strip():
        raise OptionError(f"{text!r} names no column.")
    return normalise_header(column), value.strip()


@dataclass
class EesOptions:
    indicator: str
    column: str
    as_at: tuple[int, int] | None = None
    year_to: tuple[int, int] | None = None
    filters: list[tuple[str, str]] = field(default_factory=list)
    include_home: bool = False
    # The council's own figure is theirs: a DfE file replaces one already stored only when asked.
    replace_home: bool = False
    publication: str = ""  # DfE's publication, for the figures' provenance

    def __post_init__(self):
        if (self.as_at is None) == (self.year_to is None):
            raise OptionError("Give exactly one of --as-at MM-DD (a snapshot) or --year-to MM-DD (a 12-month period).")
        self.column = normalise_header(self.column)

    @classmethod
    def from_strings(
        cls,
        *,
        indicator,
        column,
        as_at="",
        year_to="",
        filters=(),
        include_home=False,
        replace_home=False,
        publication="",
    ) -> EesOptions:
        return cls(
            indicator=" ".join((indicator or "").split()),
            column=column or "",
            as_at=parse_month_day(as_at) if as_at else None,
            year_to=parse_month_day(year_to) if year_to else None,
            filters=[parse_filter(f) for f in filters if f.strip()],
            include_home=include_home or replace_home,
            replace_home=replace_home,
            publication=publication,
        )

    def as_dict(self) -> dict:
        return {
            "indicator": self.indicator,
            "column": self.column,
            "as_at": _md(self.as_at),
            "year_to": _md(self.year_to),
            "filters": [f"{c}={v}" for c, v in self.filters],
            "include_home": self.include_home,
            "replace_home": self.replace_home,
            "publication": self.publication,
        }

    def period_for(self, end_year: int) -> tuple[datetime.date, datetime.date, str]:
        if self.as_at:
            day = _safe_date(end_year, *self.as_at)
            return day, day, as_at_label(day)
        end = _safe_date(end_year, *self.year_to)
        start = one_year_back(end) + datetime.timedelta(days=1)
        return start, end, span_label(start, end)


def _md(pair: tuple[int, int] | None) -> str:
    return f"{pair[0]:02d}-{pair[1]:02d}" if pair else ""


def _safe_date(year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:  # 29 February in a common year
        return datetime.date(year, month, 28)


def end_year_of(time_period: str) -> int | None:
    """The calendar year a DfE ``time_period`` ends in: 2016 -> 2016, 201617 -> 2017."""
    text = time_period.strip()
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    if re.fullmatch(r"\d{6}", text):
        first, second = int(text[:4]), int(text[4:])
        if (first + 1) % 100 == second:
            return first + 1
    return None
