"""Typed accessors for the settings the indicators app reads (defaults live in perfsite/settings.py).

They read ``settings`` when called, so tests can override a value.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.conf import settings


def default_tolerance() -> Decimal:
    """The amber tolerance a new indicator gets when none is given."""
    return Decimal(str(settings.PERFSITE_RAG_TOLERANCE_DEFAULT))


def home_authority_code() -> str:
    return settings.PERFSITE_HOME_AUTHORITY_CODE


def home_authority_name() -> str:
    return settings.PERFSITE_HOME_AUTHORITY_NAME


def home_region_name() -> str:
    return settings.PERFSITE_HOME_REGION_NAME


def statistical_neighbours() -> list[str]:
    return list(settings.PERFSITE_STATISTICAL_NEIGHBOURS)


def ees_data_dir() -> Path:
    """Where the demo finds DfE's published CSVs."""
    return Path(settings.PERFSITE_EES_DATA_DIR)
