"""Reading the register imports' cells: the columns row 1 must name, choices, numbers and dates, with their words."""

from __future__ import annotations

import datetime
import functools
import re
from decimal import Decimal

from django.core.exceptions import ValidationError

from indicators.services import to_decimal
from perfsite.imports import ImportResult
from perfsite.tabular import Table


def check_columns(table: Table, result: ImportResult, required, optional=()) -> bool:
    missing = [c for c in required if not table.has(c)]
    unknown = [c for c in table.headers if c not in required and c not in optional]
    for column in missing:
        result.error(1, column, f"the column {column!r} is missing; row 1 must name {', '.join(required)}.")
    for column in unknown:
        allowed = ", ".join((*required, *optional))
        result.error(1, column, f"{column!r} is not a column this import knows; the columns are {allowed}.")
    return not missing and not unknown


def _choice(raw: str, choices, *, blank: bool = False) -> str | None:
    """A choice by its value or its label, ignoring case; None when it is neither."""
    text = " ".join(raw.split()).lower()
    if blank and not text:
        return ""
    return _spellings(choices).get(text)


@functools.cache
def _spellings(choices) -> dict[str, str]:
    """Every way a file may write each choice, read once per choice class (imports check it on every row)."""
    found: dict[str, str] = {}
    for value, label in reversed(choices.choices):  # the first choice wins a shared spelling, as before
        label = str(label).lower()
        # Framework levels are labelled "2. Early help": the number is optional in a file.
        for spelling in (value.lower(), label, re.sub(r"^\d+\.\s*", "", label)):
            found[spelling] = value
    return found


def _number(raw: str, *, row: int, column: str, result: ImportResult, required: bool = True) -> Decimal | None:
    if not raw.strip():
        if required:
            result.error(row, column, "is empty; give a number.")
        return None
    try:
        return to_decimal(raw, name=column)
    except ValidationError:
        result.error(row, column, f"{raw!r} is not a number.")
        return None


def _date(raw: str, *, row: int, column: str, result: ImportResult) -> datetime.date | None:
    text = raw.strip()
    if not text:
        result.error(row, column, "is empty; give a date as YYYY-MM-DD.")
        return None
    try:
        return datetime.date.fromisoformat(text[:10] if len(text) > 10 and text[10] == "T" else text)
    except ValueError:
        result.error(row, column, f"{text!r} is not a date as YYYY-MM-DD (e.g. 2017-03-31).")
        return None
