"""Change cells of a real workbook the way Excel saves them: error values, number formats.

The sample writer writes values; these helpers reopen its workbook with openpyxl and set what
only a spreadsheet program produces, such as a cached `#N/A` or a cell formatted as `0%`.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from deckgen.workbook.reader import read_workbook


@dataclass(frozen=True)
class ExcelError:
    """A cell saved as an Excel error value (data type "e"), as a failed formula leaves it."""

    code: str


@dataclass(frozen=True)
class Formatted:
    """A number with the number format Excel shows it in ("0%", '"£"0.0')."""

    value: float
    number_format: str


def edit_cells(path: Path, cells: Mapping[str, object]) -> Path:
    """Set cells ("About!B4": value) of the workbook at `path`, in place; return the path."""
    book = openpyxl.load_workbook(path)
    for address, value in cells.items():
        sheet_name, coordinate = address.rsplit("!", 1)
        cell = book[sheet_name][coordinate]
        if isinstance(value, ExcelError):
            cell.value = value.code
            cell.data_type = "e"
        elif isinstance(value, Formatted):
            cell.value = value.value
            cell.number_format = value.number_format
        else:
            cell.value = value
    book.save(path)
    return path


def with_cell_xml(path: Path, copy: Path, part: str, coordinate: str, xml: str) -> Path:
    """Copy the workbook at `path` to `copy` with one cell of a sheet part written as `xml`
    (`<c r="B6" ...>...</c>`), as a program other than openpyxl may save it; return the copy."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(copy, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                start = data.index(f'<c r="{coordinate}"'.encode())
                end = data.index(b"</c>", start) + len(b"</c>")
                data = data[:start] + xml.encode() + data[end:]
            dst.writestr(info, data)
    return copy


def only_error(path: Path) -> str:
    """Read `path`, assert exactly one error and no model, and return the error line."""
    result = read_workbook(path)
    assert result.workbook is None
    assert len(result.errors) == 1, [str(i) for i in result.issues]
    return str(result.errors[0])
