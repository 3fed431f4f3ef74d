"""A cell's value in its column's terms: text, a number in its unit, a date; or an Issue.

Every check of a single cell lives here, driven by the contract (workbook/schema.py): what
empty means, Excel errors, control characters, lengths, allowed values, number formats, units
and bounds. A cell that cannot be read becomes an Issue naming its sheet and cell, and reads as
None; nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from deckgen.errors import Issue, Severity
from deckgen.model import SheetLayout
from deckgen.workbook import schema
from deckgen.workbook.numbers import (
    NumberError,
    TooLargeError,
    format_shows,
    parse_number,
    percentage_points,
    to_unit,
)
from deckgen.workbook.schema import Column, Empty, Kind, Sheet

_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")  # how .xlsx stores characters XML cannot hold
_DATE_TEXT = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y")


@dataclass
class Report:
    """The issues found so far in one read of a workbook, in the order they were found."""

    issues: list[Issue] = field(default_factory=list)

    def error(self, sheet: str, cell: str, message: str) -> None:
        self.issues.append(Issue(Severity.ERROR, sheet, cell, message))

    def warning(self, sheet: str, cell: str, message: str) -> None:
        self.issues.append(Issue(Severity.WARNING, sheet, cell, message))

    def has_errors(self, sheet: str | None = None) -> bool:
        """Whether any error was found (on `sheet`, when given)."""
        return any(
            i.severity is Severity.ERROR and (sheet is None or i.sheet == sheet)
            for i in self.issues
        )


@dataclass(frozen=True)
class Cell:
    """A cell's value as read, with what is needed to report on it."""

    value: Any
    column: int  # 1-based
    number_format: str = "General"
    error: bool = False  # saved by Excel as an error value (#N/A, #REF!, ...)

    @property
    def letter(self) -> str:
        return column_letter(self.column)

    @property
    def excel_error(self) -> str:
        """The Excel error the cell shows ("#N/A"), or "" when it holds a value.

        An error pasted as text reads the same to a person, so it counts too.
        """
        if self.error:
            return " ".join(str(self.value).split())
        if isinstance(self.value, str) and self.value.strip().upper() in schema.EXCEL_ERRORS:
            return self.value.strip().upper()
        return ""


class _Uncached:
    """Marks a formula cell whose cached value is missing (already reported)."""

    def __repr__(self) -> str:
        return "<uncached formula>"


UNCACHED: Any = _Uncached()

Cells = Mapping[str, Cell]  # one row of a table: field -> cell, for the cells that hold a value


class CellReader:
    """Reads cells by their column's contract, reporting every problem to `report`."""

    def __init__(self, report: Report) -> None:
        self.report = report

    # -- text -----------------------------------------------------------------------------
    def text(self, layout: SheetLayout, row: int, col: Column, cells: Cells) -> str | None:
        """Return a text cell, "" for an empty optional one, None after reporting an error."""
        title = layout.name
        cell = cells.get(col.field)
        if cell is None:
            return None if self._empty(layout, row, col) else ""
        where = self._where(layout, row, col, cell)
        if where is None:
            return None
        value = cell.value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime | date):
            value = value.isoformat()[:10]
        text = _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), str(value)).strip()
        bad = _BAD_CHARS.search(text)
        if bad:
            self.report.error(
                title,
                where,
                f"'{col.header}' holds a control character (U+{ord(bad.group()):04X}) that "
                "cannot appear on a slide; delete it",
            )
            return None
        if len(text) > schema.MAX_TEXT_LENGTH:
            self.report.error(
                title,
                where,
                f"'{col.header}' holds {len(text):,} characters; at most "
                f"{schema.MAX_TEXT_LENGTH:,} are accepted",
            )
            return None
        text = " ".join(text.split())
        if len(text) > col.longest:
            self.report.error(
                title,
                where,
                f"'{col.header}' has {len(text):,} characters; at most {col.longest:,} fit "
                f"{col.goes}: shorten it",
            )
            return None
        if col.allowed:
            return self._allowed(title, where, col, text)
        longest = max(text.split(), key=len, default="")
        if col.on_slide and len(longest) > schema.MAX_WORD_LENGTH:
            self.report.error(
                title,
                where,
                f"'{col.header}' has a word of {len(longest)} characters "
                f"('{clean(longest, 24)}'), too long to fit across a slide's box; break it "
                f"with spaces (at most {schema.MAX_WORD_LENGTH} characters a word)",
            )
            return None
        return text

    def _empty(self, layout: SheetLayout, row: int, col: Column) -> bool:
        """Report an empty cell the column requires; whether it was one."""
        if col.empty is not Empty.ERROR:
            return False
        self.report.error(layout.name, layout.cell(col.field, row), f"'{col.header}' is empty")
        return True

    def _where(self, layout: SheetLayout, row: int, col: Column, cell: Cell) -> str | None:
        """Where a cell is ("B7"); None when it holds nothing to read: never calculated, or an
        Excel error (reported)."""
        if cell.value is UNCACHED:
            return None
        where = f"{cell.letter}{row}"
        if cell.excel_error:
            self.excel_error(layout.name, where, col.header, cell)
            return None
        return where

    def excel_error(self, title: str, where: str, header: str, cell: Cell) -> None:
        self.report.error(
            title,
            where,
            f"'{header}' shows the Excel error {clean(cell.excel_error, 20)} instead of a value; "
            "correct the formula or the cells it uses, in Excel",
        )

    def _allowed(self, title: str, where: str, col: Column, text: str) -> str | None:
        folded = text.casefold()
        if col.by_prefix:
            for prefix in col.allowed:
                if folded.startswith(prefix.casefold()):
                    return prefix
        else:
            folded = {"c": "c.", "circa": "c."}.get(folded, folded)
            for choice in col.allowed:
                if folded == choice.casefold():
                    return choice
        expected = ", ".join(f"'{a}'" for a in col.allowed)
        how = "start with one of" if col.by_prefix else "be one of"
        self.report.error(
            title, where, f"'{col.header}' must {how} {expected} (got '{clean(text)}')"
        )
        return None

    # -- numbers --------------------------------------------------------------------------
    def number(
        self,
        layout: SheetLayout,
        row: int,
        col: Column,
        cells: Cells,
        unit: str | None = None,
    ) -> float | None:
        """Return a number cell in the column's unit, or None (reported unless optional)."""
        title = layout.name
        cell = cells.get(col.field)
        if cell is None:
            if col.empty is Empty.ZERO:
                return 0.0
            self._empty(layout, row, col)
            return None
        where = self._where(layout, row, col, cell)
        if where is None:
            return None
        unit = col.unit if unit is None else unit
        try:
            value = to_unit(parse_number(cell.value), unit)
        except TooLargeError as exc:
            self._too_large(title, where, col.header, f"{exc}", unit)
            return None
        except NumberError as exc:
            self.report.error(title, where, f"'{col.header}' {exc}")
            return None
        if is_number(cell.value):
            value = self._formatted(title, where, col.header, cell, value, unit)
        largest = schema.LARGEST.get(unit)
        if largest is not None and abs(value) > largest:
            self._too_large(title, where, col.header, f"is {large(value)}", unit)
            return None
        reason = f" ({col.bound_reason})" if col.bound_reason else ""
        if col.minimum is not None and value < col.minimum:
            self.report.error(
                title, where, f"'{col.header}' is {plain(value)}; it cannot be negative{reason}"
            )
            return None
        if col.maximum is not None and value > col.maximum:
            self.report.error(
                title, where, f"'{col.header}' is {plain(value)}; it cannot be positive{reason}"
            )
            return None
        return value

    def _formatted(
        self, title: str, where: str, header: str, cell: Cell, value: float, unit: str
    ) -> float:
        """Read a number as its format shows it; warn where the format contradicts the unit.

        0.33 formatted as a percentage shows 33%: in a % row it is 33, as "33%" typed is. A
        percentage or a currency in a column of another unit is kept as typed, with a warning.
        """
        shows = format_shows(cell.number_format)
        fmt = clean(cell.number_format, 30)
        if shows.percent and unit == "%":
            return percentage_points(value)
        if shows.percent_sign and unit != "%":
            self.report.warning(
                title,
                where,
                f"'{header}' is formatted as a percentage ('{fmt}') but its unit is {unit}; "
                f"it is read as {plain(value)} {unit}. Change the format, or the unit to %",
            )
        elif shows.currency and unit not in schema.MONEY_UNITS:
            self.report.warning(
                title,
                where,
                f"'{header}' is formatted as money ('{fmt}') but its unit is {unit}; it is "
                f"read as {plain(value)} {unit}. Change the format or the unit",
            )
        elif shows.currency and shows.currency != "£" and unit in schema.MONEY_UNITS:
            self.report.warning(
                title,
                where,
                f"'{header}' is formatted in {clean(shows.currency, 10)} ('{fmt}') but its "
                f"unit is {unit}; it is read as {plain(value)} {unit}",
            )
        return value

    def _too_large(self, title: str, where: str, header: str, what: str, unit: str) -> None:
        largest = schema.LARGEST.get(unit)
        most = f" (at most {largest:,.0f} {unit})" if largest is not None else ""
        self.report.error(title, where, f"'{header}' {what}: too large for any deck to show{most}")

    # -- dates ----------------------------------------------------------------------------
    def read_date(self, title: str, where: str, label: str, value: object) -> date | None:
        """Return an Excel date or a date typed as text ("2019-07-31", "31 July 2019")."""
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            for fmt in _DATE_TEXT:
                try:
                    return datetime.strptime(value.strip(), fmt).date()
                except ValueError:
                    continue
        self.report.error(
            title, where, f"'{label}' must be a date such as 2019-07-31 (got '{clean(value)}')"
        )
        return None

    # -- rows -----------------------------------------------------------------------------
    def record(
        self, sheet: Sheet, layout: SheetLayout, row: int, cells: Cells
    ) -> dict[str, Any] | None:
        """Read every column of a row; None when a required value is missing or unreadable."""
        values = self.fields(sheet, layout, row, cells)
        required = [c for c in sheet.columns if c.empty is not Empty.NONE]
        return None if any(values[c.field] is None for c in required) else values

    def fields(self, sheet: Sheet, layout: SheetLayout, row: int, cells: Cells) -> dict[str, Any]:
        """Read every column of a row, reporting each problem; None marks a failed value."""
        values: dict[str, Any] = {}
        row_unit: str | None = None
        if "unit" in layout.columns:  # numbers on this row are in the row's own unit
            row_unit = values["unit"] = self.text(layout, row, sheet.column("unit"), cells)
        for col in sheet.columns:
            if col.field in values:
                continue
            if col.field not in layout.columns:
                values[col.field] = "" if col.kind is Kind.TEXT else None
            elif col.kind is Kind.NUMBER and not col.unit:
                values[col.field] = (
                    None if row_unit is None else self.number(layout, row, col, cells, row_unit)
                )
            elif col.kind is Kind.NUMBER:
                values[col.field] = self.number(layout, row, col, cells)
            else:
                values[col.field] = self.text(layout, row, col, cells)
        return values


# -- columns and values, as people write them ---------------------------------------------


def column_letter(index: int) -> str:
    """1 -> "A", 28 -> "AB": a column's letters from its 1-based index."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """ "A" -> 1, "AB" -> 28: a column's 1-based index from its letters."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - ord("A") + 1
    return index


def is_text(value: object) -> bool:
    return isinstance(value, str)


def is_number(value: object) -> bool:
    """A number as Excel stores one (a number format applies to it), not text or a bool."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def large(value: float) -> str:
    """A number too large to show, written short: 1e+308, 12,345,678,901,234,567."""
    return f"{value:,.0f}" if abs(value) < 1e21 else f"{value:.3g}"


def plain(value: float) -> str:
    """A number as a person would type it: 47, 9.7."""
    return f"{value:.10g}" if not float(value).is_integer() else str(int(value))


def clean(value: object, limit: int = 60) -> str:
    """Cell text quoted in a message: one line, printable, at most `limit` characters."""
    text = " ".join(str(value).split())
    text = _BAD_CHARS.sub("?", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
