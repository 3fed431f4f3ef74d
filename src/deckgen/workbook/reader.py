"""Read a workbook that follows the contract into a typed model, with every issue found.

The only module that imports openpyxl. It never stops at the first problem and never guesses:
each cell that cannot be read becomes an Issue naming its sheet and cell, and the model is only
returned when there are no errors.
"""

from __future__ import annotations

import math
import re
import traceback
import warnings
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
from lxml.etree import XMLSyntaxError
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from deckgen.errors import DeckgenError, Issue, Severity, WorkbookError
from deckgen.model import (
    PORTFOLIO_AMOUNTS,
    About,
    Comparison,
    Driver,
    Figure,
    FinancialYear,
    PortfolioLine,
    ProjectFte,
    SheetLayout,
    Workbook,
)
from deckgen.workbook import schema
from deckgen.workbook.archive import check_archive, has_formulas
from deckgen.workbook.numbers import NumberError, decimals_shown, parse_number, to_unit
from deckgen.workbook.schema import Column, Empty, Kind, Sheet

_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")  # how .xlsx stores characters XML cannot hold
_YEAR_FORMS = (
    re.compile(r"^FY\s*(\d{2})\s*/\s*(\d{2})$", re.IGNORECASE),
    re.compile(r"^(?:FY\s*)?(\d{4})\s*[/-]\s*(\d{2})$", re.IGNORECASE),
)
_DATE_TEXT = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y")


def require_defusedxml() -> None:
    """Refuse to read any workbook unless openpyxl parses XML through defusedxml."""
    if not openpyxl.DEFUSEDXML:
        raise DeckgenError(
            "openpyxl is not using defusedxml, so hostile workbooks could exhaust memory; "
            "install defusedxml (pip install defusedxml) and unset OPENPYXL_DEFUSEDXML"
        )


@dataclass(frozen=True)
class Cell:
    """A cell's value as read, with what is needed to report on it."""

    value: Any
    column: int  # 1-based
    number_format: str = "General"

    @property
    def letter(self) -> str:
        return str(get_column_letter(self.column))


@dataclass(frozen=True)
class ReadResult:
    """What the reader found: the model (None when there are errors) and every issue."""

    path: str
    workbook: Workbook | None
    issues: tuple[Issue, ...]
    counts: Mapping[str, int]

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.WARNING)


def read_workbook(path: str | Path) -> ReadResult:
    """Read `path`; raise WorkbookError when it is not a readable .xlsx at all."""
    require_defusedxml()
    file_path = Path(path)
    check_archive(file_path)
    try:
        formulas: dict[str, set[str]] = {}
        if has_formulas(file_path):
            formulas = _formula_cells(file_path)
        with _opened(file_path, data_only=True) as book:
            return _Reader(str(path), book, formulas).read()
    except DAMAGED as exc:
        raise WorkbookError(
            str(path), f"the workbook is damaged and cannot be read ({exc})"
        ) from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        if not _raised_by_parser(exc):
            raise  # our own bug: let it show its traceback
        raise WorkbookError(
            str(path), f"the workbook is damaged and cannot be read ({type(exc).__name__}: {exc})"
        ) from None


def _raised_by_parser(exc: BaseException) -> bool:
    """Whether an exception came from inside openpyxl or the XML parser (a damaged file)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and any(
        part in frames[-1].filename
        for part in ("/openpyxl/", "/xml/", "/defusedxml/", "/et_xmlfile/")
    )


# What a damaged part raises while it is read, after the archive checks passed.
DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    ParseError,
    XMLSyntaxError,
    NotImplementedError,
)


@contextmanager
def _opened(path: Path, data_only: bool) -> Iterator[Any]:
    """Open a workbook read-only; the file is closed afterwards even if openpyxl fails.

    openpyxl leaves its zip open when loading fails half-way, so the file handle is ours.
    """
    with path.open("rb") as handle:
        try:
            with warnings.catch_warnings():
                # openpyxl warns about workbook features it does not read (data validation,
                # conditional formatting); none of them matter for the figures.
                warnings.simplefilter("ignore")
                book = openpyxl.load_workbook(
                    handle, read_only=True, data_only=data_only, keep_links=False
                )
        except InvalidFileException as exc:
            raise WorkbookError(str(path), f"not an .xlsx workbook ({exc})") from None
        except (*DAMAGED, KeyError, ValueError) as exc:
            raise WorkbookError(
                str(path), f"the workbook is damaged and cannot be read ({exc})"
            ) from None
        try:
            yield book
        finally:
            book.close()


def _formula_cells(path: Path) -> dict[str, set[str]]:
    """Return, per sheet title, the coordinates of formula cells within the bounds read."""
    found: dict[str, set[str]] = {}
    with _opened(path, data_only=False) as book:
        for ws in book.worksheets:
            cells: set[str] = set()
            blank_run = 0
            most = schema.HEADER_SEARCH_ROWS + schema.MAX_DATA_ROWS + schema.TRAILING_ROWS_CHECKED
            for index, row in enumerate(ws.iter_rows(max_col=schema.MAX_COLUMNS), start=1):
                if index > most + 2:
                    break  # beyond anything the table reader will look at
                if not any(c.value is not None for c in row):
                    blank_run += 1
                    if blank_run > schema.TRAILING_ROWS_CHECKED + schema.HEADER_SEARCH_ROWS:
                        break
                    continue
                blank_run = 0
                for c in row:
                    if getattr(c, "data_type", None) == "f":
                        cells.add(c.coordinate)
            found[ws.title] = cells
    return found


@dataclass
class _Table:
    """A table sheet as found: its layout and data rows, each a mapping field -> Cell."""

    layout: SheetLayout
    rows: list[tuple[int, dict[str, Cell]]] = field(default_factory=list)
    total: tuple[int, dict[str, Cell]] | None = None


class _Reader:
    """One read of one workbook; collects issues as it goes."""

    def __init__(self, path: str, book: Any, formulas: Mapping[str, set[str]]) -> None:
        self.path = path
        self.book = book
        self.formulas = formulas
        self.issues: list[Issue] = []
        self.counts: dict[str, int] = {}

    # -- reporting -----------------------------------------------------------------------
    def error(self, sheet: str, cell: str, message: str) -> None:
        self.issues.append(Issue(Severity.ERROR, sheet, cell, message))

    def warning(self, sheet: str, cell: str, message: str) -> None:
        self.issues.append(Issue(Severity.WARNING, sheet, cell, message))

    # -- the whole workbook --------------------------------------------------------------
    def read(self) -> ReadResult:
        worksheets = self._find_sheets()
        tables: dict[str, _Table | None] = {}
        for sheet in schema.SHEETS:
            ws = worksheets.get(sheet.key)
            tables[sheet.key] = None if ws is None else self._read_table(sheet, ws)

        portfolios, portfolio_total = self._portfolios(tables["portfolio"])
        projects, fte_total = self._projects(tables["fte"])
        years = self._years(tables["finance"])
        drivers = self._drivers(tables["context"])
        comparisons = self._comparisons(tables["comparisons"])
        figures = self._figures(tables["figures"])
        about = self._about(tables["about"])
        self.counts = {
            "portfolio": len(portfolios),
            "project": len(projects),
            "year": len(years),
            "context driver": len(drivers),
            "comparison": len(comparisons),
            "figure": len(figures),
        }
        model: Workbook | None = None
        if about is not None and not any(i.severity is Severity.ERROR for i in self.issues):
            layouts = {k: t.layout for k, t in tables.items() if t is not None}
            model = Workbook(
                path=self.path,
                sheets=MappingProxyType(layouts),
                portfolios=tuple(portfolios),
                portfolio_stated_total=portfolio_total,
                projects=tuple(projects),
                fte_stated_total=fte_total,
                years=tuple(years),
                drivers=tuple(drivers),
                comparisons=tuple(comparisons),
                figures=tuple(figures),
                about=about,
            )
        return ReadResult(self.path, model, tuple(self.issues), MappingProxyType(self.counts))

    def _find_sheets(self) -> dict[str, Any]:
        by_name: dict[str, list[str]] = {}
        for title in self.book.sheetnames:
            by_name.setdefault(schema.normalise_sheet_name(title), []).append(title)
        found: dict[str, Any] = {}
        for sheet in schema.SHEETS:
            titles = by_name.get(schema.normalise_sheet_name(sheet.name), [])
            if not titles:
                present = ", ".join(repr(t) for t in self.book.sheetnames) or "none"
                self.error(
                    sheet.name, "", f"missing sheet '{sheet.name}' (sheets found: {present})"
                )
            elif len(titles) > 1:
                shown = " and ".join(repr(t) for t in titles)
                self.error(sheet.name, "", f"sheets {shown} both match '{sheet.name}'; keep one")
            else:
                found[sheet.key] = self.book[titles[0]]
        return found

    # -- one table ------------------------------------------------------------------------
    def _rows(self, ws: Any) -> Iterator[tuple[int, list[Cell]]]:
        for index, row in enumerate(ws.iter_rows(max_col=schema.MAX_COLUMNS), start=1):
            cells = [
                Cell(c.value, col, getattr(c, "number_format", "General") or "General")
                for col, c in enumerate(row, start=1)
                if c.value is not None and not (isinstance(c.value, str) and not c.value.strip())
            ]
            yield index, cells

    def _read_table(self, sheet: Sheet, ws: Any) -> _Table | None:
        title = ws.title
        rows = self._rows(ws)
        key_header = schema.normalise_header(sheet.key_column.header)
        header: tuple[int, list[Cell]] | None = None
        seen_content = False
        for index, cells in rows:
            seen_content = seen_content or bool(cells)
            if any(
                _is_text(c.value) and schema.normalise_header(c.value) == key_header for c in cells
            ):
                header = (index, cells)
                break
            if index >= schema.HEADER_SEARCH_ROWS:
                break
        if header is None:
            if not seen_content:
                report = self.warning if sheet.optional_rows else self.error
                report(title, "", f"sheet '{title}' is empty")
            else:
                self.error(
                    title,
                    "A1",
                    f"no header row: no cell reads '{sheet.key_column.header}' in the first "
                    f"{schema.HEADER_SEARCH_ROWS} rows",
                )
            return None
        header_row, header_cells = header
        columns = self._map_columns(sheet, title, header_row, header_cells)
        if columns is None:
            return None
        layout = SheetLayout(
            name=title,
            header_row=header_row,
            columns=MappingProxyType({f: get_column_letter(c) for f, c in columns.items()}),
            headers=MappingProxyType({f: sheet.column(f).header for f in columns}),
        )
        table = _Table(layout)
        key_col = columns[sheet.key_column.field]
        ended_at: int | None = None
        for index, cells in rows:
            if not cells:
                ended_at = index
                break
            by_col = {c.column: c for c in cells}
            first = by_col.get(key_col) or cells[0]
            fields = {f: by_col[c] for f, c in columns.items() if c in by_col}
            if _is_text(first.value) and first.value.strip().casefold().startswith("total"):
                table.total = (index, fields)
                ended_at = index
                break
            table.rows.append((index, fields))
            if len(table.rows) > schema.MAX_DATA_ROWS:
                self.error(
                    title, f"A{index}", f"more than {schema.MAX_DATA_ROWS:,} data rows; refused"
                )
                return None
        self._mark_uncached(title, table)
        if table.total is not None:
            table.layout = replace(layout, total_row=table.total[0])
        if ended_at is not None:
            self._check_cut_off(sheet, title, columns, rows, ended_at)
        if not table.rows:
            report = self.warning if sheet.optional_rows else self.error
            report(title, f"A{header_row + 1}", f"sheet '{title}' has no data rows")
        return table

    def _mark_uncached(self, title: str, table: _Table) -> None:
        """Report formula cells with no cached value; they read as empty, never as 0."""
        formulas = self.formulas.get(title)
        if not formulas:
            return
        records = table.rows + ([table.total] if table.total else [])
        for row, fields in records:
            for field_name, letter in table.layout.columns.items():
                if field_name not in fields and f"{letter}{row}" in formulas:
                    self.error(
                        title,
                        f"{letter}{row}",
                        "formula with no cached value (the file was saved by a program that "
                        "does not calculate); open it in Excel and save it again",
                    )
                    fields[field_name] = Cell(_UNCACHED, column_index_from_string(letter))

    def _map_columns(
        self, sheet: Sheet, title: str, header_row: int, cells: list[Cell]
    ) -> dict[str, int] | None:
        wanted = {schema.normalise_header(c.header): c for c in sheet.columns}
        columns: dict[str, int] = {}
        for cell in cells:
            if not _is_text(cell.value):
                continue
            col = wanted.get(schema.normalise_header(cell.value))
            if col is None:
                self.warning(
                    title,
                    f"{cell.letter}{header_row}",
                    f"unknown column '{_clean(cell.value)}' is ignored",
                )
            elif col.field in columns:
                first = get_column_letter(columns[col.field])
                self.error(
                    title,
                    f"{cell.letter}{header_row}",
                    f"column '{col.header}' appears twice ({first}{header_row} and "
                    f"{cell.letter}{header_row})",
                )
            else:
                columns[col.field] = cell.column
        missing = [c.header for c in sheet.columns if c.field not in columns and c.required]
        for name in missing:
            self.error(
                title, f"A{header_row}", f"missing column '{name}' in header row {header_row}"
            )
        return None if missing else columns

    def _check_cut_off(
        self,
        sheet: Sheet,
        title: str,
        columns: Mapping[str, int],
        rows: Iterator[tuple[int, list[Cell]]],
        ended_at: int,
    ) -> None:
        """Warn when rows that look like data follow the blank row that ended the table."""
        key_col = columns[sheet.key_column.field]
        numeric = {
            columns[c.field] for c in sheet.columns if c.kind is Kind.NUMBER and c.field in columns
        }
        others = set(columns.values()) - {key_col}
        for index, cells in rows:
            if index > ended_at + schema.TRAILING_ROWS_CHECKED:
                break
            by_col = {c.column: c for c in cells}
            if key_col in by_col and (numeric or others) & by_col.keys():
                self.warning(
                    title,
                    f"{get_column_letter(key_col)}{index}",
                    f"row {index} looks like data but comes after the end of the table at row "
                    f"{ended_at}; it is ignored (remove the blank or Total row above it)",
                )
                return

    # -- cell values ----------------------------------------------------------------------
    def _text(
        self, layout: SheetLayout, row: int, col: Column, cells: Mapping[str, Cell]
    ) -> str | None:
        """Return a text cell, "" for an empty optional one, None after reporting an error."""
        title = layout.name
        cell = cells.get(col.field)
        if cell is None:
            if col.empty is Empty.ERROR:
                self.error(title, layout.cell(col.field, row), f"'{col.header}' is empty")
                return None
            return ""
        if cell.value is _UNCACHED:
            return None
        where = f"{cell.letter}{row}"
        value = cell.value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime | date):
            value = value.isoformat()[:10]
        text = _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), str(value)).strip()
        bad = _BAD_CHARS.search(text)
        if bad:
            self.error(
                title,
                where,
                f"'{col.header}' holds a control character (U+{ord(bad.group()):04X}) that "
                "cannot appear on a slide; delete it",
            )
            return None
        if len(text) > schema.MAX_TEXT_LENGTH:
            self.error(
                title,
                where,
                f"'{col.header}' holds {len(text):,} characters; at most "
                f"{schema.MAX_TEXT_LENGTH:,} are accepted",
            )
            return None
        text = " ".join(text.split())
        if col.allowed:
            return self._allowed(title, where, col, text)
        longest = max(text.split(), key=len, default="")
        if col.on_slide and len(longest) > schema.MAX_WORD_LENGTH:
            self.error(
                title,
                where,
                f"'{col.header}' has a word of {len(longest)} characters "
                f"('{_clean(longest, 24)}'), too long to fit across a slide's box; break it "
                f"with spaces (at most {schema.MAX_WORD_LENGTH} characters a word)",
            )
            return None
        return text

    def _allowed(self, title: str, where: str, col: Column, text: str) -> str | None:
        folded = text.casefold()
        by_prefix = col is schema.FTE.column("status")
        if by_prefix:
            for prefix in col.allowed:
                if folded.startswith(prefix.casefold()):
                    return prefix
        else:
            folded = {"c": "c.", "circa": "c."}.get(folded, folded)
            for choice in col.allowed:
                if folded == choice.casefold():
                    return choice
        expected = ", ".join(f"'{a}'" for a in col.allowed)
        how = "start with one of" if by_prefix else "be one of"
        self.error(title, where, f"'{col.header}' must {how} {expected} (got '{_clean(text)}')")
        return None

    def _number(
        self,
        layout: SheetLayout,
        row: int,
        col: Column,
        cells: Mapping[str, Cell],
        unit: str | None = None,
    ) -> float | None:
        """Return a number cell in the column's unit, or None (reported unless optional)."""
        title = layout.name
        cell = cells.get(col.field)
        if cell is None:
            if col.empty is Empty.ZERO:
                return 0.0
            if col.empty is Empty.ERROR:
                self.error(title, layout.cell(col.field, row), f"'{col.header}' is empty")
            return None
        if cell.value is _UNCACHED:
            return None
        where = f"{cell.letter}{row}"
        try:
            value = to_unit(parse_number(cell.value), col.unit if unit is None else unit)
        except NumberError as exc:
            self.error(title, where, f"'{col.header}' {exc}")
            return None
        reason = f" ({col.bound_reason})" if col.bound_reason else ""
        if col.minimum is not None and value < col.minimum:
            self.error(
                title, where, f"'{col.header}' is {_plain(value)}; it cannot be negative{reason}"
            )
            return None
        if col.maximum is not None and value > col.maximum:
            self.error(
                title, where, f"'{col.header}' is {_plain(value)}; it cannot be positive{reason}"
            )
            return None
        return value

    def _value(
        self, layout: SheetLayout, row: int, col: Column, cells: Mapping[str, Cell]
    ) -> str | float | None:
        if col.kind is Kind.NUMBER:
            return self._number(layout, row, col, cells)
        return self._text(layout, row, col, cells)

    def _record(
        self, sheet: Sheet, layout: SheetLayout, row: int, cells: Mapping[str, Cell]
    ) -> dict[str, Any] | None:
        """Read every column of a row; None when a required value is missing or unreadable."""
        values = self._fields(sheet, layout, row, cells)
        required = [c for c in sheet.columns if c.empty is not Empty.NONE]
        return None if any(values[c.field] is None for c in required) else values

    def _fields(
        self, sheet: Sheet, layout: SheetLayout, row: int, cells: Mapping[str, Cell]
    ) -> dict[str, Any]:
        """Read every column of a row, reporting each problem; None marks a failed value."""
        values: dict[str, Any] = {}
        row_unit: str | None = None
        if "unit" in layout.columns:  # numbers on this row are in the row's own unit
            row_unit = values["unit"] = self._text(layout, row, sheet.column("unit"), cells)
        for col in sheet.columns:
            if col.field in values:
                continue
            if col.field not in layout.columns:
                values[col.field] = "" if col.kind is Kind.TEXT else None
            elif col.kind is Kind.NUMBER and not col.unit:
                values[col.field] = (
                    None if row_unit is None else self._number(layout, row, col, cells, row_unit)
                )
            else:
                values[col.field] = self._value(layout, row, col, cells)
        return values

    def _unique(
        self, layout: SheetLayout, seen: dict[str, int], key: str, where: str, what: str
    ) -> bool:
        """Record a row's key; report and return False when an earlier row has it."""
        folded = " ".join(key.split()).casefold()
        if folded in seen:
            self.error(
                layout.name,
                where,
                f"duplicate {what} '{_clean(key)}' (first in row {seen[folded]})",
            )
            return False
        seen[folded] = int(re.sub(r"\D", "", where) or 0)
        return True

    # -- sheets ---------------------------------------------------------------------------
    def _portfolios(self, table: _Table | None) -> tuple[list[PortfolioLine], PortfolioLine | None]:
        if table is None:
            return [], None
        sheet, layout = schema.PORTFOLIO, table.layout
        lines: list[PortfolioLine] = []
        seen: dict[str, int] = {}
        for row, cells in table.rows:
            values = self._record(sheet, layout, row, cells)
            if values is None:
                continue
            if self._unique(layout, seen, values["name"], layout.cell("name", row), "portfolio"):
                lines.append(_portfolio_line(values, row))
        total: PortfolioLine | None = None
        if table.total is not None:
            row, cells = table.total
            values = self._record(sheet, layout, row, {**cells, "name": Cell("Total", 1)})
            if values is not None:
                values["name"] = str(cells["name"].value).strip() if "name" in cells else "Total"
                total = _portfolio_line(values, row)
        if lines and not self._has_errors(layout.name):
            self._check_portfolio_totals(table, lines, total)
        return lines, total

    def _check_portfolio_totals(
        self, table: _Table, lines: list[PortfolioLine], total: PortfolioLine | None
    ) -> None:
        layout = table.layout
        by_row = dict(table.rows)
        for line in lines:
            cells = by_row[line.row]
            if line.stated_total is None:
                continue
            self._compare_total(
                layout,
                layout.cell("total", line.row),
                f"the {line.name} row total",
                line.stated_total,
                line.total,
                cells["total"],
                [c for f, c in cells.items() if f in PORTFOLIO_AMOUNTS],
            )
        if total is None or table.total is None:
            return
        total_row, total_cells = table.total
        for f in PORTFOLIO_AMOUNTS:
            if f not in total_cells:
                continue
            self._compare_total(
                layout,
                layout.cell(f, total_row),
                f"the '{schema.PORTFOLIO.column(f).header}' total",
                getattr(total, f),
                math.fsum(getattr(line, f) for line in lines),
                total_cells[f],
                [by_row[line.row][f] for line in lines if f in by_row[line.row]],
            )
        if total.stated_total is not None:
            self._compare_total(
                layout,
                layout.cell("total", total_row),
                "the grand total",
                total.stated_total,
                math.fsum(line.total for line in lines),
                total_cells["total"],
                [
                    c
                    for line in lines
                    for f, c in by_row[line.row].items()
                    if f in PORTFOLIO_AMOUNTS
                ],
            )

    def _compare_total(
        self,
        layout: SheetLayout,
        where: str,
        what: str,
        stated: float,
        recomputed: float,
        stated_cell: Cell,
        items: list[Cell],
    ) -> None:
        """Warn when a stated total differs from its line items by more than rounding."""
        shown = [decimals_shown(c.number_format, _as_float(c.value)) for c in items]
        tolerance = math.fsum(0.5 * 10.0**-d for d in shown)
        if abs(stated - recomputed) <= tolerance + 1e-9:
            return
        d = max([decimals_shown(stated_cell.number_format, stated), *shown])
        self.warning(
            layout.name,
            where,
            f"{what} is stated as {stated:,.{d}f} but the line items add up to "
            f"{recomputed:,.{d}f} (difference {stated - recomputed:+,.{d}f}, more than rounding "
            f"explains); the deck uses {recomputed:,.{d}f}",
        )

    def _projects(self, table: _Table | None) -> tuple[list[ProjectFte], float | None]:
        if table is None:
            return [], None
        sheet, layout = schema.FTE, table.layout
        projects: list[ProjectFte] = []
        seen: dict[str, int] = {}
        for row, cells in table.rows:
            values = self._record(sheet, layout, row, cells)
            if values is None:
                continue
            if self._unique(layout, seen, values["name"], layout.cell("name", row), "project"):
                typed = " ".join(str(cells["status"].value).split())
                achieved = values["status"] == "Achieved"
                projects.append(ProjectFte(values["name"], values["fte"], typed, achieved, row))
        stated: float | None = None
        if table.total is not None:
            row, cells = table.total
            if "fte" in cells:
                stated = self._number(layout, row, sheet.column("fte"), cells)
            if stated is not None and projects and not self._has_errors(layout.name):
                by_row = dict(table.rows)
                self._compare_total(
                    layout,
                    layout.cell("fte", row),
                    "the FTE total",
                    stated,
                    math.fsum(p.fte for p in projects),
                    cells["fte"],
                    [by_row[p.row]["fte"] for p in projects],
                )
        return projects, stated

    def _years(self, table: _Table | None) -> list[FinancialYear]:
        if table is None:
            return []
        sheet, layout = schema.FINANCE, table.layout
        years: list[FinancialYear] = []
        seen: dict[str, int] = {}
        previous: tuple[int, str] | None = None  # last readable year, kept even when its row fails
        previous_actual = True
        required = [c.field for c in sheet.columns]
        for row, cells in table.rows:
            values = self._fields(sheet, layout, row, cells)
            label_text = values["year"]
            if label_text is None:
                continue
            where = layout.cell("year", row)
            start = _year_start(label_text)
            if start is None:
                self.error(
                    layout.name,
                    where,
                    f"'Financial Year' must look like FY15/16 (got '{_clean(label_text)}')",
                )
                continue
            label = _year_label(start)
            if not self._unique(layout, seen, label, where, "year"):
                continue
            if previous is not None and start != previous[0] + 1:
                if start <= previous[0]:
                    problem = f"{label} comes after {previous[1]}; years must be in order"
                else:
                    gap = ", ".join(_year_label(y) for y in range(previous[0] + 1, start))
                    problem = f"{label} follows {previous[1]}: missing {gap}"
                self.error(layout.name, where, problem)
            previous = (start, label)
            if any(values[f] is None for f in required):
                continue
            actual = values["basis"] == "Actual"
            if actual and not previous_actual:
                self.error(
                    layout.name,
                    layout.cell("basis", row),
                    f"{label} is Actual but follows a Forecast year; actual years come first",
                )
            previous_actual = actual
            years.append(
                FinancialYear(label, start, values["investment"], values["benefits"], actual, row)
            )
        return years

    def _drivers(self, table: _Table | None) -> list[Driver]:
        if table is None:
            return []
        sheet, layout = schema.CONTEXT, table.layout
        drivers: list[Driver] = []
        seen: dict[str, int] = {}
        for row, cells in table.rows:
            v = self._record(sheet, layout, row, cells)
            if v is None or not self._unique(
                layout, seen, v["driver"], layout.cell("driver", row), "driver"
            ):
                continue
            if _plain(v["figure"]) not in v["statement"].replace(",", ""):
                self.warning(
                    layout.name,
                    layout.cell("statement", row),
                    f"the statement for '{v['driver']}' does not mention its figure "
                    f"{_plain(v['figure'])}",
                )
            drivers.append(
                Driver(
                    v["driver"],
                    v["figure"],
                    v["unit"],
                    v["direction"] == "up",
                    v["statement"],
                    v["source"],
                    row,
                )
            )
        return drivers

    def _comparisons(self, table: _Table | None) -> list[Comparison]:
        if table is None:
            return []
        sheet, layout = schema.COMPARISONS, table.layout
        result: list[Comparison] = []
        seen: dict[str, int] = {}
        for row, cells in table.rows:
            v = self._record(sheet, layout, row, cells)
            if v is not None and self._unique(
                layout, seen, v["measure"], layout.cell("measure", row), "measure"
            ):
                result.append(
                    Comparison(
                        v["measure"],
                        v["west_midlands"],
                        v["msf_average"],
                        v["unit"],
                        v["period"],
                        v["source"],
                        row,
                    )
                )
        return result

    def _figures(self, table: _Table | None) -> list[Figure]:
        if table is None:
            return []
        sheet, layout = schema.FIGURES, table.layout
        result: list[Figure] = []
        seen: dict[str, int] = {}
        for row, cells in table.rows:
            v = self._record(sheet, layout, row, cells)
            if v is not None and self._unique(
                layout, seen, f"{v['slide']}.{v['key']}", layout.cell("key", row), "figure"
            ):
                result.append(
                    Figure(
                        v["slide"],
                        v["key"],
                        v["label"],
                        v["value"],
                        v["unit"],
                        v["qualifier"],
                        v["source"],
                        row,
                    )
                )
        return result

    def _about(self, table: _Table | None) -> About | None:
        if table is None:
            return None
        layout = table.layout
        title = layout.name
        by_label = {f.label.casefold(): f for f in schema.ABOUT_FIELDS}
        values: dict[str, Any] = {}
        rows: dict[str, int] = {}
        for row, cells in table.rows:
            label = self._text(layout, row, schema.ABOUT.column("field"), cells)
            if label is None:
                continue
            spec = by_label.get(label.casefold())
            if spec is None:
                self.warning(
                    title, layout.cell("field", row), f"unknown field '{_clean(label)}' is ignored"
                )
                continue
            if spec.field in rows:
                self.error(
                    title,
                    layout.cell("field", row),
                    f"field '{spec.label}' appears twice (first in row {rows[spec.field]})",
                )
                continue
            rows[spec.field] = row
            cell = cells.get("value")
            where = layout.cell("value", row)
            if cell is None:
                if spec.required:
                    self.error(title, where, f"'{spec.label}' is empty")
                values[spec.field] = None if spec.required else ""
            elif spec.kind is Kind.DATE:
                values[spec.field] = self._date(title, where, spec.label, cell.value)
            else:
                text = self._text(layout, row, schema.ABOUT.column("value"), cells)
                if text is not None and spec.max_length and len(text) > spec.max_length:
                    self.error(
                        title,
                        where,
                        f"'{spec.label}' has {len(text)} characters; at most {spec.max_length} "
                        f"fit on {spec.goes}",
                    )
                    text = None
                values[spec.field] = text
        for spec in schema.ABOUT_FIELDS:
            if spec.field in rows:
                continue
            if spec.required:
                self.error(title, "", f"missing field '{spec.label}' (add a row for it)")
                values[spec.field] = None
            else:
                values[spec.field] = ""
        if any(values[s.field] is None for s in schema.ABOUT_FIELDS):
            return None
        return About(**values, rows=MappingProxyType(rows))

    def _date(self, title: str, where: str, label: str, value: object) -> date | None:
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
        self.error(
            title, where, f"'{label}' must be a date such as 2019-07-31 (got '{_clean(value)}')"
        )
        return None

    def _has_errors(self, title: str) -> bool:
        return any(i.severity is Severity.ERROR and i.sheet == title for i in self.issues)


def _portfolio_line(values: Mapping[str, Any], row: int) -> PortfolioLine:
    return PortfolioLine(
        name=values["name"],
        **{f: values[f] for f in PORTFOLIO_AMOUNTS},
        stated_total=values["total"],
        row=row,
    )


class _Uncached:
    """Marks a formula cell whose cached value is missing (already reported)."""

    def __repr__(self) -> str:
        return "<uncached formula>"


_UNCACHED: Any = _Uncached()


def _year_start(label: str) -> int | None:
    for form in _YEAR_FORMS:
        match = form.match(label.strip())
        if match:
            first, second = match.group(1), int(match.group(2))
            start = int(first) + (2000 if len(first) == 2 else 0)
            return start if (start + 1) % 100 == second else None
    return None


def _year_label(start: int) -> str:
    return f"FY{start % 100:02d}/{(start + 1) % 100:02d}"


def _is_text(value: object) -> bool:
    return isinstance(value, str)


def _as_float(value: object) -> float:
    try:
        return parse_number(value).value
    except NumberError:
        return 0.0


def _plain(value: float) -> str:
    return f"{value:.10g}" if not float(value).is_integer() else str(int(value))


def _clean(value: object, limit: int = 60) -> str:
    text = " ".join(str(value).split())
    text = _BAD_CHARS.sub("?", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
