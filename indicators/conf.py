"""Settings the indicators app reads, with their defaults (see docs/indicators.md)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def default_tolerance() -> Decimal:
    raw = str(getattr(settings, "PERFSITE_RAG_TOLERANCE_DEFAULT", "2"))
    try:
        tolerance = Decimal(raw)
    except InvalidOperation:
        raise ImproperlyConfigured(f"PERFSITE_RAG_TOLERANCE_DEFAULT must be a number, not {raw!r}.") from None
    if not tolerance.is_finite() or tolerance < 0:
        raise ImproperlyConfigured("PERFSITE_RAG_TOLERANCE_DEFAULT must be zero or more.")
    return tolerance


def home_authority_code() -> str:
    return getattr(settings, "PERFSITE_HOME_AUTHORITY_CODE", "E06000047")


def home_authority_name() -> str:
    return getattr(settings, "PERFSITE_HOME_AUTHORITY_NAME", "County Durham")


def home_region_name() -> str:
    return getattr(settings, "PERFSITE_HOME_REGION_NAME", "North East")


def statistical_neighbours() -> list[str]:
    return list(getattr(settings, "PERFSITE_STATISTICAL_NEIGHBOURS", []))


def ees_data_dir():
    """Where the demo finds DfE's published CSVs."""
    configured = getattr(settings, "PERFSITE_EES_DATA_DIR", None)
    if configured:
        from pathlib import Path

        return Path(configured)
    return settings.BASE_DIR.parent / "shared" / "data" / "dfe-ees"
