"""Financial-year reporting quarters, named like ``2016-17-q4`` (January to March 2017).

Q1 is April to June, Q2 July to September, Q3 October to December, Q4 January to March.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

_SLUG = re.compile(r"^(?P<start>\d{4})-(?P<end>\d{2})-q(?P<q>[1-4])$")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# The financial years a slug may name. Wide enough for any report, narrow enough that every quarter a
# page derives from one (the previous, the year earlier, five years of trend) still has real dates.
FIRST_YEAR, LAST_YEAR = 1900, 2998


class QuarterError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Quarter:
    """A financial-year quarter: ``year`` is the year the financial year starts in."""

    year: int
    number: int

    def __post_init__(self):
        if self.number not in (1, 2, 3, 4):
            raise QuarterError(f"A quarter number is 1 to 4, not {self.number}.")

    @classmethod
    def parse(cls, slug: str) -> Quarter:
        match = _SLUG.match(slug.strip().lower())
        if not match:
            raise QuarterError(f"{slug!r} is not a quarter; write it like 2016-17-q4.")
        start = int(match["start"])
        if not FIRST_YEAR <= start <= LAST_YEAR:
            raise QuarterError(f"{slug!r} is not a quarter perfsite reports on (years {FIRST_YEAR} to {LAST_YEAR}).")
        if (start + 1) % 100 != int(match["end"]):
            raise QuarterError(f"{slug!r} is not a financial year: {start} is followed by {(start + 1) % 100:02d}.")
        return cls(start, int(match["q"]))

    @classmethod
    def containing(cls, day: datetime.date) -> Quarter:
        if day.month >= 4:
            return cls(day.year, (day.month - 4) // 3 + 1)
        return cls(day.year - 1, 4)

    @property
    def slug(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}-q{self.number}"

    @property
    def financial_year(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def first_month(self) -> tuple[int, int]:
        month = 4 + 3 * (self.number - 1)
        return (self.year, month) if month <= 12 else (self.year + 1, month - 12)

    @property
    def start(self) -> datetime.date:
        year, month = self.first_month
        return datetime.date(year, month, 1)

    @property
    def end(self) -> datetime.date:
        year, month = self.first_month
        month += 2
        return datetime.date(year, month, calendar.monthrange(year, month)[1])

    @property
    def months(self) -> list[datetime.date]:
        """The first day of each of the quarter's three months."""
        year, month = self.first_month
        return [datetime.date(year, month + i, 1) for i in range(3)]

    @property
    def last_month(self) -> datetime.date:
        return self.months[-1]

    @property
    def label(self) -> str:
        """As committee reports print it: ``Quarter 4 2016/17 (Jan - Mar 2017)``."""
        return f"Quarter {self.number} {self.financial_year} ({self.period_label})"

    @property
    def period_label(self) -> str:
        """The period as Appendix 3 prints it: ``Jan - Mar 2017``."""
        return f"{_MONTH_NAMES[self.start.month - 1]} - {_MONTH_NAMES[self.end.month - 1]} {self.end.year}"

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def year_earlier(self) -> Quarter:
        return Quarter(self.year - 1, self.number)

    def __str__(self) -> str:
        return self.slug
