"""Pages under /indicators/: the register, an indicator, value forms, quarterly tables, imports."""

from indicators.views.quarters import quarter_export, quarter_index, quarter_page
from indicators.views.register import IndicatorListView, indicator_detail
from indicators.views.values import value_add, value_delete, value_edit

__all__ = [
    "IndicatorListView",
    "indicator_detail",
    "quarter_export",
    "quarter_index",
    "quarter_page",
    "value_add",
    "value_delete",
    "value_edit",
]
