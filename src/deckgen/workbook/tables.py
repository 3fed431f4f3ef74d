"""Find each sheet's table by the contract: the sheet by name, the header row, the columns by
their header text, the data rows down to a blank or Total row, and the stated Total row.

Reads any object shaped like an openpyxl read-only workbook (`sheetnames`, `ws.iter_rows`);
opening the file is reader.py's job. Within bounds (schema.MAX_COLUMNS, MAX_DATA_ROWS), so a
stray cell far away costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from deckgen.archive import shown
from deckgen.model import SheetLayout
from deckgen.workbook import schema
from deckgen.workbook.cells import (
    UNCACHED,
    Cell,
    Report,
    clean,
    column_index,
    column_letter,
    is_text,
)
from deckgen.workbook.schema import Kind, Sheet

Row = tuple[int, dict[str, Cell]]  # a spreadsheet row number, and its cells by field


@dataclass
class Table:
    """A table sheet as found: its layout and data rows, each a mapping field -> Cell."""

    layout: SheetLayout
    rows: list[Row] = field(default_factory=list)
    total: Row | None = None


class TableReader:
    """Finds every table of the contract in one workbook, reporting what is missing or odd.

    `formulas` names, per sheet, the cells that hold a formula: one of them read as empty has
    no cached value, and is reported instead of being read as 0.
    """

    def __init__(self, report: Report, formulas: Mapping[str, set[str]]) -> None:
        self.report = report
        self.formulas = formulas

    def read(self, book: Any) -> dict[str, Table | None]:
        """Every table by schema key; None for a sheet that is missing or has no usable table."""
        worksheets = self._find_sheets(book)
        return {
            sheet.key: self._read_table(sheet, worksheets[sheet.key])
            if sheet.key in worksheets
            else None
            for sheet in schema.SHEETS
        }

    def _find_sheets(self, book: Any) -> dict[str, Any]:
        by_name: dict[str, list[str]] = {}
        for title in book.sheetnames:
            by_name.setdefault(schema.normalise_sheet_name(title), []).append(title)
        found: dict[str, Any] = {}
        for sheet in schema.SHEETS:
            titles = by_name.get(schema.normalise_sheet_name(sheet.name), [])
            if not titles:
                present = _listed(book.sheetnames)
                self.report.error(
                    sheet.name, "", f"missing sheet '{sheet.name}' (sheets found: {present})"
                )
            elif len(titles) > 1:
                both = " and ".join(f"'{shown(t, 40)}'" for t in titles[:2])
                if len(titles) > 2:
                    both += f" (and {len(titles) - 2:,} more)"
                self.report.error(
                    sheet.name, "", f"sheets {both} both match '{sheet.name}'; keep one"
                )
            else:
                found[sheet.key] = book[titles[0]]
        return found

    def _rows(self, ws: Any) -> Iterator[tuple[int, list[Cell]]]:
        for index, row in enumerate(ws.iter_rows(max_col=schema.MAX_COLUMNS), start=1):
            cells = [
                Cell(
                    c.value,
                    col,
                    getattr(c, "number_format", "General") or "General",
                    getattr(c, "data_type", None) == "e",
                )
                for col, c in enumerate(row, start=1)
                if c.value is not None and not (isinstance(c.value, str) and not c.value.strip())
            ]
            yield index, cells

    def _read_table(self, sheet: Sheet, ws: Any) -> Table | None:
        title = ws.title
        rows = self._rows(ws)
        key_header = schema.normalise_header(sheet.key_column.header)
        header: tuple[int, list[Cell]] | None = None
        seen_content = False
        for index, cells in rows:
            seen_content = seen_content or bool(cells)
            if any(
                is_text(c.value) and schema.normalise_header(c.value) == key_header for c in cells
            ):
                header = (index, cells)
                break
            if index >= schema.HEADER_SEARCH_ROWS:
                break
        if header is None:
            if not seen_content:
                report = self.report.warning if sheet.optional_rows else self.report.error
                report(title, "", f"sheet '{title}' is empty")
            else:
                self.report.error(
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
            columns=MappingProxyType({f: column_letter(c) for f, c in columns.items()}),
            headers=MappingProxyType({f: sheet.column(f).header for f in columns}),
        )
        table = Table(layout)
        key_col = columns[sheet.key_column.field]
        ended_at: int | None = None
        for index, cells in rows:
            if not cells:
                ended_at = index
                break
            by_col = {c.column: c for c in cells}
            first = by_col.get(key_col) or cells[0]
            fields = {f: by_col[c] for f, c in columns.items() if c in by_col}
            if is_text(first.value) and first.value.strip().casefold().startswith("total"):
                table.total = (index, fields)
                ended_at = index
                break
            table.rows.append((index, fields))
            if len(table.rows) > schema.MAX_DATA_ROWS:
                self.report.error(
                    title, f"A{index}", f"more than {schema.MAX_DATA_ROWS:,} data rows; refused"
                )
                return None
        self._mark_uncached(title, table)
        if table.total is not None:
            table.layout = replace(layout, total_row=table.total[0])
        if ended_at is not None:
            self._check_cut_off(sheet, title, columns, rows, ended_at)
        if not table.rows:
            report = self.report.warning if sheet.optional_rows else self.report.error
            report(title, f"A{header_row + 1}", f"sheet '{title}' has no data rows")
        return table

    def _mark_uncached(self, title: str, table: Table) -> None:
        """Report formula cells with no cached value; they read as empty, never as 0."""
        formulas = self.formulas.get(title)
        if not formulas:
            return
        records = table.rows + ([table.total] if table.total else [])
        for row, fields in records:
            for field_name, letter in table.layout.columns.items():
                if field_name not in fields and f"{letter}{row}" in formulas:
                    self.report.error(
                        title,
                        f"{letter}{row}",
                        "formula with no cached value (the file was saved by a program that "
                        "does not calculate); open it in Excel and save it again",
                    )
                    fields[field_name] = Cell(UNCACHED, column_index(letter))

    def _map_columns(
        self, sheet: Sheet, title: str, header_row: int, cells: list[Cell]
    ) -> dict[str, int] | None:
        wanted = {schema.normalise_header(c.header): c for c in sheet.columns}
        columns: dict[str, int] = {}
        for cell in cells:
            if not is_text(cell.value):
                continue
            col = wanted.get(schema.normalise_header(cell.value))
            if col is None:
                self.report.warning(
                    title,
                    f"{cell.letter}{header_row}",
                    f"unknown column '{clean(cell.value)}' is ignored",
                )
            elif col.field in columns:
                first = column_letter(columns[col.field])
                self.report.error(
                    title,
                    f"{cell.letter}{header_row}",
                    f"column '{col.header}' appears twice ({first}{header_row} and "
                    f"{cell.letter}{header_row})",
                )
            else:
                columns[col.field] = cell.column
        missing = [c.header for c in sheet.columns if c.field not in columns and c.required]
        for name in missing:
            self.report.error(
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
                self.report.warning(
                    title,
                    f"{column_letter(key_col)}{index}",
                    f"row {index} looks like data but comes after the end of the table at row "
                    f"{ended_at}; it is ignored (remove the blank or Total row above it)",
                )
                return


_SHEETS_LISTED = 12  # sheet names a message lists; Excel allows 31 characters a name


def _listed(titles: list[str]) -> str:
    """Sheet names for a one-line message, however many and however long a damaged or hostile
    workbook makes them."""
    names = ", ".join(f"'{shown(t, 40)}'" for t in titles[:_SHEETS_LISTED]) or "none"
    more = len(titles) - _SHEETS_LISTED
    return f"{names} and {more:,} more" if more > 0 else names
