"""The workbook embedded in each native chart: its data, written as text and numbers only.

PowerPoint's Edit Data opens this workbook in Excel. python-pptx writes it with XlsxWriter's
`write()`, which turns a string starting with "=" into a formula (a DDE call such as
`=cmd|' /C calc'!A0` included) and a URL-like string into a hyperlink. Category and series names
come from the user's workbook, so here every string is written with `write_string` and every
value with `write_number`: cell text stays text, whatever it looks like. The sheet keeps
python-pptx's layout (categories in column A from row 2, one series a column with its name in
row 1), which the chart part's references point into.
"""

from __future__ import annotations

import io
import math
from typing import Any

import xlsxwriter
from pptx.chart.data import CategoryChartData

# Belt and braces: no string becomes a formula, link or number even if written with write().
_TEXT_ONLY = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
_CATEGORY_WIDTH = 10  # characters, as python-pptx sets it


class TextOnlyChartData(CategoryChartData):
    """Category chart data whose embedded workbook holds no formula and no link."""

    @property
    def xlsx_blob(self) -> bytes:
        """The .xlsx python-pptx embeds with the chart, written cell by cell by type."""
        out = io.BytesIO()
        book = xlsxwriter.Workbook(out, _TEXT_ONLY)
        sheet = book.add_worksheet()
        _write_categories(book, sheet, self.categories)
        for column, series in enumerate(self, start=1):
            _write_series(book, sheet, column, series)
        book.close()
        return out.getvalue()


def _write_categories(book: Any, sheet: Any, categories: Any) -> None:
    if categories.depth > 1:
        raise ValueError("a chart's categories are one level deep")
    number_format = book.add_format({"num_format": categories.number_format})
    sheet.set_column(0, 0, _CATEGORY_WIDTH)
    for row, category in enumerate(categories, start=1):
        _write_cell(sheet, row, 0, category.label, number_format)


def _write_series(book: Any, sheet: Any, column: int, series: Any) -> None:
    sheet.write_string(0, column, series.name)
    number_format = book.add_format({"num_format": series.number_format or "General"})
    for row, value in enumerate(series.values, start=1):
        _write_cell(sheet, row, column, value, number_format)


def _write_cell(sheet: Any, row: int, column: int, value: object, number_format: Any) -> None:
    """A number as a number, anything else as a string; a gap (None, NaN) stays empty."""
    if value is None:
        return
    if isinstance(value, int | float) and not isinstance(value, bool):
        if math.isfinite(value):
            sheet.write_number(row, column, value, number_format)
        return
    sheet.write_string(row, column, str(value), number_format)
