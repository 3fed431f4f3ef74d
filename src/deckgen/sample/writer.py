"""Write the sample workbook from its readable source (wmp2020.yaml) with XlsxWriter.

The workbook is kept as a person keeps one: a title row, a units row where there is one,
styled headers, numbers to a fixed number of decimals, column widths and frozen panes. The same
source gives the same bytes, so the committed file can be checked against it.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time
from importlib import resources
from pathlib import Path
from typing import Any

import xlsxwriter
import yaml

from deckgen.output import write_atomic

SAMPLE_SOURCE = "wmp2020.yaml"

_HEADER_FILL = "#1B365D"
_TITLE_SIZE = 14


def load_source(name: str = SAMPLE_SOURCE) -> dict[str, Any]:
    """Return the sample workbook's source data."""
    text = resources.files("deckgen.sample").joinpath(name).read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def write_sample(out: Path, source: dict[str, Any] | None = None) -> Path:
    """Write the sample workbook to `out` (atomically) and return the path."""
    data = source if source is not None else load_source()
    buffer = io.BytesIO()
    _write(buffer, data)
    write_atomic(out, buffer.getvalue())
    return out


def _write(target: io.BytesIO, data: dict[str, Any]) -> None:
    created = data.get("created") or date(2019, 7, 31)
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    book.set_properties(
        {
            "title": "WMP2020 benefits: deck figures",
            "author": "deckgen sample",
            "created": datetime.combine(created, time()),
        }
    )
    styles = _Styles(book)
    for sheet in data["sheets"]:
        _write_sheet(book, styles, sheet)
    book.close()


class _Styles:
    def __init__(self, book: Any) -> None:
        self.title = book.add_format({"bold": True, "font_size": _TITLE_SIZE})
        self.units = book.add_format({"italic": True, "font_color": "#4A5560"})
        self.header = book.add_format(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": _HEADER_FILL,
                "text_wrap": True,
                "valign": "top",
                "border": 1,
            }
        )
        self.text = book.add_format({"valign": "top"})
        self.wrap = book.add_format({"valign": "top", "text_wrap": True})
        self.note = book.add_format({"italic": True, "font_color": "#4A5560"})
        self.date = book.add_format({"num_format": "d mmmm yyyy", "align": "left"})
        self._book = book
        self._numbers: dict[tuple[str, bool], Any] = {}

    def number(self, fmt: str, total: bool = False) -> Any:
        key = (fmt, total)
        if key not in self._numbers:
            spec: dict[str, Any] = {"num_format": fmt, "valign": "top"}
            if total:
                spec.update({"bold": True, "top": 1})
            self._numbers[key] = self._book.add_format(spec)
        return self._numbers[key]

    def total_text(self) -> Any:
        return self.number("@", total=True)


def _write_sheet(book: Any, styles: _Styles, sheet: dict[str, Any]) -> None:
    ws = book.add_worksheet(sheet["name"])
    columns: list[str] = sheet["columns"]
    wrap = set(sheet.get("wrap", []))
    number_format = sheet.get("number_format", "General")
    row = 0
    ws.write(row, 0, sheet["title"], styles.title)
    row += 1
    if sheet.get("units"):
        ws.write(row, 0, sheet["units"], styles.units)
        row += 1
    row += 1  # a blank row between the title block and the table
    header_row = row
    for col, name in enumerate(columns):
        ws.write_string(row, col, name, styles.header)
    for data_row in sheet["rows"]:
        row += 1
        for col, value in enumerate(data_row):
            _write_cell(ws, styles, row, col, value, columns[col] in wrap, number_format)
    if sheet.get("total"):
        row += 1
        for col, value in enumerate(sheet["total"]):
            if isinstance(value, int | float):
                ws.write_number(row, col, value, styles.number(number_format, total=True))
            elif value is not None:
                ws.write_string(row, col, str(value), styles.total_text())
    row += 1
    for note in sheet.get("notes", []):
        row += 1
        ws.write_string(row, 0, note, styles.note)
    for col, width in enumerate(sheet.get("widths", [])):
        ws.set_column(col, col, width)
    ws.freeze_panes(header_row + 1, 1)


def _write_cell(
    ws: Any, styles: _Styles, row: int, col: int, value: Any, wrap: bool, number_format: str
) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        fmt = number_format if col > 0 else "General"
        ws.write_number(row, col, value, styles.number(fmt))
    elif isinstance(value, date):
        ws.write_datetime(row, col, datetime.combine(value, time()), styles.date)
    else:
        ws.write_string(row, col, str(value), styles.wrap if wrap else styles.text)
