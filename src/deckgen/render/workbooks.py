"""The workbook python-pptx embeds in each native chart, written by deckgen.chartbook.

python-pptx writes it with XlsxWriter's `write()`, which turns a string starting with "=" into
a formula and a URL-like string into a link; category and series names come from the user's
workbook, so python-pptx's writer is replaced by the one a refresh uses too, which writes text
as text (see deckgen.chartbook).
"""

from __future__ import annotations

from pptx.chart.data import CategoryChartData

from deckgen.chartbook import chart_workbook


class TextOnlyChartData(CategoryChartData):
    """Category chart data whose embedded workbook holds no formula and no link."""

    @property
    def xlsx_blob(self) -> bytes:
        """The .xlsx python-pptx embeds with the chart."""
        categories = self.categories
        if categories.depth > 1:
            raise ValueError("a chart's categories are one level deep")
        return chart_workbook(
            [category.label for category in categories],
            [(series.name, series.values, series.number_format or "") for series in self],
            categories.number_format,
        )
