"""Pages under /indicators/: the register, an indicator, value forms, quarterly tables, imports."""

from indicators.views.imports import import_cancel, import_confirm, import_preview, import_upload, imports_index
from indicators.views.quarters import quarter_export, quarter_index, quarter_page
from indicators.views.register import IndicatorListView, indicator_detail
from indicators.views.values import value_add, value_delete, value_edit

__all__ = [
    "IndicatorListView",
    "import_cancel",
    "import_confirm",
    "import_preview",
    "import_upload",
    "imports_index",
    "indicator_detail",
    "quarter_export",
    "quarter_index",
    "quarter_page",
    "value_add",
    "value_delete",
    "value_edit",
]
