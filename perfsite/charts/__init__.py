"""Server-rendered, accessible SVG charts (WCAG 2.2 AA) that satisfy a strict CSP.

Every chart is an ``<svg role="img">`` named by its ``<title>`` and ``<desc>`` (a plain-English
summary generated from the figures unless one is given), carries its data as a table for
``templates/includes/chart.html``, and never relies on colour alone: lines differ by dash and
marker shape, bars by texture, and the legend names every series. Values are Decimal, int, None
(a gap, never drawn as zero) or a disclosure marker such as "c" (shown in the table, drawn as a gap).
See docs/charts-and-disclosure.md.
"""

from .bar import bar_chart, stacked_bar_chart
from .line import line_chart
from .model import Chart, Series
from .spark import sparkline

__all__ = ["Chart", "Series", "bar_chart", "line_chart", "sparkline", "stacked_bar_chart"]
