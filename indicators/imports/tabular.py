"""The indicators imports read uploads with the shared reader, ``perfsite.tabular``.

Its messages are the ones these imports have always shown, so they pass through unchanged.
"""

from __future__ import annotations

from perfsite import tabular
from perfsite.tabular import Table, TableError, normalise_header

__all__ = ["Table", "TableError", "normalise_header", "read_table"]


def read_table(data: bytes, filename: str) -> Table:
    """An uploaded file's header and rows; TableError when it cannot be read as a table."""
    return tabular.read_table(data, filename=filename)
