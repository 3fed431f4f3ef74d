"""The workbook behind a native chart: its data as text and numbers only, in one layout.

PowerPoint's Edit Data opens this workbook in Excel. A build embeds one in every native chart
(through python-pptx: render/workbooks.py) and a refresh writes a new one into each chart of a
talk it brings up to date (refresh/charts.py); both are written here, so a refreshed chart's
workbook is laid out as a built one: categories down column A from row 2, one series a column
with its name in row 1, on "Sheet1", which the chart part's references point into.

XlsxWriter's `write()` turns a string starting with "=" into a formula (a DDE call such as
`=cmd|' /C calc'!A0` included) and a URL-like string into a hyperlink. Category and series names
come from the user's workbook, so every string is written with `write_string` and every number
with `write_number`: cell text stays text, whatever it looks like.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import datetime

SHEET = "Sheet1"
CATEGORY_WIDTH = 10  # characters, as python-pptx sets it

# Belt and braces: no string becomes a formula, link or number even if written with write().
_TEXT_ONLY = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}

Column = tuple[str, Sequence[object], str]  # a series: its name, values, number format


def chart_workbook(
    categories: Sequence[object],
    columns: Sequence[Column],
    category_format: str = "General",
    created: datetime | None = None,
) -> bytes:
    """The .xlsx holding a chart's data: `columns` are its series, each (name, values, number
    format; "" for General). A value that is not a number is written as text, a gap (None,
    NaN) left empty. `created` is the date the workbook says it was made (XlsxWriter's "now"
    when None: a build makes it reproducible afterwards)."""
    import xlsxwriter  # only a build or refresh that writes a native chart needs it

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, _TEXT_ONLY)
    if created is not None:
        book.set_properties({"created": created.replace(tzinfo=None)})
    sheet = book.add_worksheet(SHEET)
    number_format = book.add_format({"num_format": category_format})
    sheet.set_column(0, 0, CATEGORY_WIDTH)
    for row, category in enumerate(categories, start=1):
        _write_cell(sheet, row, 0, category, number_format)
    for column, (name, values, series_format) in enumerate(columns, start=1):
        sheet.write_string(0, column, name)
        number_format = book.add_format({"num_format": series_format or "General"})
        for row, value in enumerate(values, start=1):
            _write_cell(sheet, row, column, value, number_format)
    book.close()
    return out.getvalue()


def _write_cell(sheet: object, row: int, column: int, value: object, number_format: object) -> None:
    """A number as a number, anything else as a string; a gap (None, NaN) stays empty."""
    if value is None:
        return
    if isinstance(value, int | float) and not isinstance(value, bool):
        if math.isfinite(value):
            sheet.write_number(row, column, value, number_format)  # type: ignore[attr-defined]
        return
    sheet.write_string(row, column, str(value), number_format)  # type: ignore[attr-defined]
