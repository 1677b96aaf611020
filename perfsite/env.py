"""Typed readers for environment variables.

Each helper fails loudly with the variable's name and what was wrong, so a
misconfigured deployment stops at start-up instead of misbehaving later.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, *, environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    value = environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"{name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool = False, *, environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}.")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}; got {value}.")
    return value


def env_list(name: str, default: list[str] | None = None, *, environ: Mapping[str, str] | None = None) -> list[str]:
    """A comma-separated list; blanks between commas are an error, not silently dropped."""
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default or [])
    items = [item.strip() for item in raw.split(",")]
    if any(item == "" for item in items):
        raise ImproperlyConfigured(f"{name} has an empty item in {raw!r}; separate items with single commas.")
    return items


def env_url(
    name: str,
    *,
    schemes: tuple[str, ...],
    environ: Mapping[str, str] | None = None,
) -> str | None:
    """A URL whose scheme must be one of ``schemes``; None when unset."""
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return None
    scheme, sep, rest = raw.strip().partition("://")
    if not sep or not rest or scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name} must be a URL starting with one of {', '.join(s + '://' for s in schemes)}; got {raw!r}."
        )
    return raw.strip()


def env_int_list(
    name: str, default: list[int], *, minimum: int | None = None, environ: Mapping[str, str] | None = None
) -> list[int]:
    """A comma-separated list of whole numbers, e.g. caseload band bounds ``10,15,20``."""
    items = env_list(name, [str(value) for value in default], environ=environ)
    values = []
    for item in items:
        try:
            value = int(item)
        except ValueError:
            raise ImproperlyConfigured(f"{name} must be whole numbers separated by commas; {item!r} is not.") from None
        if minimum is not None and value < minimum:
            raise ImproperlyConfigured(f"{name} items must be at least {minimum}; got {value}.")
        values.append(value)
    return values


def env_decimal(
    name: str,
    default: str,
    *,
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
    environ: Mapping[str, str] | None = None,
) -> Decimal:
    """A decimal number such as a tolerance ``2.5`` or a share ``0.5``; text avoids float rounding."""
    raw = env_str(name, default, environ=environ).strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ImproperlyConfigured(f"{name} must be a number such as 2 or 0.5; got {raw!r}.") from None
    if not value.is_finite():
        raise ImproperlyConfigured(f"{name} must be a number such as 2 or 0.5; got {raw!r}.")
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}.")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}; got {value}.")
    return value


def env_month(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> datetime.date:
    """A calendar month written ``YYYY-MM``, as the date of its first day."""
    raw = env_str(name, default, environ=environ).strip()
    try:
        return datetime.date.fromisoformat(f"{raw}-01")
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a month written YYYY-MM, such as 2016-02; got {raw!r}.") from None
