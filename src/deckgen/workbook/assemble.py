"""Build the model from the tables found, with the checks that span rows and sheets.

Each data row is read once, by the contract, in one loop for every sheet (`_records`): rows
with an unreadable value or a repeated key are reported and left out. Then what no single cell
shows: years in order, stated totals against their line items, sums within what a deck can
show, a driver's statement mentioning its figure. The model is only made when there are no
errors.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import fields
from types import MappingProxyType
from typing import Any, TypeVar

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
from deckgen.workbook.cells import Cell, CellReader, Report, clean, column_index, large, plain
from deckgen.workbook.numbers import NumberError, decimals_shown, parse_number
from deckgen.workbook.schema import Column, Kind, Sheet
from deckgen.workbook.tables import Table

_YEAR_FORMS = (
    re.compile(r"^FY\s*(\d{2})\s*/\s*(\d{2})$", re.IGNORECASE),
    re.compile(r"^(?:FY\s*)?(\d{4})\s*[/-]\s*(\d{2})$", re.IGNORECASE),
)
Record = TypeVar("Record")
Tables = Mapping[str, Table | None]


class Assembler:
    """Turns one workbook's tables into the model, reporting to the read's `report`."""

    def __init__(self, path: str, report: Report) -> None:
        self.path = path
        self.report = report
        self.cells = CellReader(report)

    def build(self, tables: Tables) -> tuple[Workbook | None, dict[str, int]]:
        """The model (None when anything is wrong) and how many records of each kind were read."""
        portfolios, portfolio_total = self._portfolios(tables["portfolio"])
        projects, fte_total = self._projects(tables["fte"])
        years = self._years(tables["finance"])
        drivers = self._list(
            schema.CONTEXT, tables["context"], Driver, _as_driver, self._check_statement
        )
        comparisons = self._list(schema.COMPARISONS, tables["comparisons"], Comparison)
        figures = self._list(schema.FIGURES, tables["figures"], Figure)
        about = self._about(tables["about"])
        counts = {
            "portfolio": len(portfolios),
            "project": len(projects),
            "year": len(years),
            "context driver": len(drivers),
            "comparison": len(comparisons),
            "figure": len(figures),
        }
        if about is None or self.report.has_errors():
            return None, counts
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
        return model, counts

    # -- every sheet's rows, once -----------------------------------------------------------
    def _records(self, sheet: Sheet, table: Table) -> Iterator[tuple[int, dict[str, Any]]]:
        """Each data row's values by field, read by the contract; a row with an unreadable
        value, or with the key (sheet.unique) of an earlier row, is reported and left out."""
        seen: dict[str, int] = {}
        for row, cells in table.rows:
            values = self.cells.record(sheet, table.layout, row, cells)
            if values is None:
                continue
            key = ".".join(values[f] for f in sheet.unique)
            where = table.layout.cell(sheet.unique[-1], row)
            if self._unique(table.layout, seen, key, where, row, sheet.noun):
                yield row, values

    def _list(
        self,
        sheet: Sheet,
        table: Table | None,
        kind: type[Record],
        adapt: Callable[[dict[str, Any]], dict[str, Any]] = dict,
        check: Callable[[SheetLayout, Record], None] | None = None,
    ) -> list[Record]:
        """The sheet's rows as model records of `kind`, whose fields are named as the
        contract's columns (after `adapt`), plus the row; `check` looks at each in turn."""
        if table is None:
            return []
        names = [f.name for f in fields(kind) if f.name != "row"]  # type: ignore[arg-type]
        records = []
        for row, values in self._records(sheet, table):
            adapted = adapt(values)
            record = kind(**({name: adapted[name] for name in names} | {"row": row}))
            if check is not None:
                check(table.layout, record)
            records.append(record)
        return records

    def _unique(
        self, layout: SheetLayout, seen: dict[str, int], key: str, where: str, row: int, what: str
    ) -> bool:
        """Record a row's key; report and return False when an earlier row has it."""
        folded = " ".join(key.split()).casefold()
        if folded in seen:
            self.report.error(
                layout.name,
                where,
                f"duplicate {what} '{clean(key)}' (first in row {seen[folded]})",
            )
            return False
        seen[folded] = row
        return True

    # -- Portfolio ------------------------------------------------------------------------
    def _portfolios(self, table: Table | None) -> tuple[list[PortfolioLine], PortfolioLine | None]:
        if table is None:
            return [], None
        sheet, layout = schema.PORTFOLIO, table.layout
        lines = [_portfolio_line(values, row) for row, values in self._records(sheet, table)]
        total: PortfolioLine | None = None
        if table.total is not None:
            row, cells = table.total
            values = self.cells.record(sheet, layout, row, {**cells, "name": Cell("Total", 1)})
            if values is not None:
                values["name"] = str(cells["name"].value).strip() if "name" in cells else "Total"
                total = _portfolio_line(values, row)
        self._check_sums(sheet, layout, [(x.row, _amounts(x)) for x in lines])
        if lines and not self.report.has_errors(layout.name):
            self._check_portfolio_totals(table, lines, total)
        return lines, total

    def _check_portfolio_totals(
        self, table: Table, lines: list[PortfolioLine], total: PortfolioLine | None
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

    # -- FTE by Project ---------------------------------------------------------------------
    def _projects(self, table: Table | None) -> tuple[list[ProjectFte], float | None]:
        if table is None:
            return [], None
        sheet, layout = schema.FTE, table.layout
        by_row = dict(table.rows)
        projects = [
            ProjectFte(
                values["name"],
                values["fte"],
                " ".join(str(by_row[row]["status"].value).split()),  # as typed
                values["status"] == "Achieved",
                row,
            )
            for row, values in self._records(sheet, table)
        ]
        self._check_sums(sheet, layout, [(p.row, {"fte": p.fte}) for p in projects])
        stated: float | None = None
        if table.total is not None:
            row, cells = table.total
            if "fte" in cells:
                stated = self.cells.number(layout, row, sheet.column("fte"), cells)
            if stated is not None and projects and not self.report.has_errors(layout.name):
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

    # -- Finance by Year --------------------------------------------------------------------
    def _years(self, table: Table | None) -> list[FinancialYear]:
        """Years in order, none missing, Actual before Forecast. A year is checked against its
        neighbours even when another cell of its row cannot be read."""
        if table is None:
            return []
        sheet, layout = schema.FINANCE, table.layout
        years: list[FinancialYear] = []
        seen: dict[str, int] = {}
        previous: tuple[int, str] | None = None  # last readable year, kept even when its row fails
        previous_actual = True
        required = [c.field for c in sheet.columns]
        for row, cells in table.rows:
            values = self.cells.fields(sheet, layout, row, cells)
            label_text = values["year"]
            if label_text is None:
                continue
            where = layout.cell("year", row)
            start = _year_start(label_text)
            if start is None:
                self.report.error(
                    layout.name,
                    where,
                    f"'Financial Year' must look like FY15/16 (got '{clean(label_text)}')",
                )
                continue
            label = _year_label(start)
            if not self._unique(layout, seen, label, where, row, sheet.noun):
                continue
            if previous is not None and start != previous[0] + 1:
                if start <= previous[0]:
                    problem = f"{label} comes after {previous[1]}; years must be in order"
                else:
                    gap = ", ".join(_year_label(y) for y in range(previous[0] + 1, start))
                    problem = f"{label} follows {previous[1]}: missing {gap}"
                self.report.error(layout.name, where, problem)
            previous = (start, label)
            if any(values[f] is None for f in required):
                continue
            actual = values["basis"] == "Actual"
            if actual and not previous_actual:
                self.report.error(
                    layout.name,
                    layout.cell("basis", row),
                    f"{label} is Actual but follows a Forecast year; actual years come first",
                )
            previous_actual = actual
            years.append(
                FinancialYear(label, start, values["investment"], values["benefits"], actual, row)
            )
        amounts = [(y.row, {"investment": y.investment, "benefits": y.benefits}) for y in years]
        self._check_sums(sheet, layout, amounts)
        return years

    # -- Context ----------------------------------------------------------------------------
    def _check_statement(self, layout: SheetLayout, driver: Driver) -> None:
        """Warn when a driver's sentence does not mention the figure shown beside it."""
        if plain(driver.figure) not in driver.statement.replace(",", ""):
            self.report.warning(
                layout.name,
                layout.cell("statement", driver.row),
                f"the statement for '{driver.name}' does not mention its figure "
                f"{plain(driver.figure)}",
            )

    # -- About ------------------------------------------------------------------------------
    def _about(self, table: Table | None) -> About | None:
        if table is None:
            return None
        layout = table.layout
        title = layout.name
        by_label = {f.label.casefold(): f for f in schema.ABOUT_FIELDS}
        values: dict[str, Any] = {}
        rows: dict[str, int] = {}
        for row, cells in table.rows:
            label = self.cells.text(layout, row, schema.ABOUT.column("field"), cells)
            if label is None:
                continue
            spec = by_label.get(label.casefold())
            if spec is None:
                self.report.warning(
                    title, layout.cell("field", row), f"unknown field '{clean(label)}' is ignored"
                )
                continue
            if spec.field in rows:
                self.report.error(
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
                    self.report.error(title, where, f"'{spec.label}' is empty")
                values[spec.field] = None if spec.required else ""
            elif cell.excel_error:
                self.cells.excel_error(title, where, spec.label, cell)
                values[spec.field] = None
            elif spec.kind is Kind.DATE:
                values[spec.field] = self.cells.read_date(title, where, spec.label, cell.value)
            else:
                text = self.cells.text(layout, row, schema.ABOUT.column("value"), cells)
                if text is not None and spec.max_length and len(text) > spec.max_length:
                    self.report.error(
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
                self.report.error(title, "", f"missing field '{spec.label}' (add a row for it)")
                values[spec.field] = None
            else:
                values[spec.field] = ""
        if any(values[s.field] is None for s in schema.ABOUT_FIELDS):
            return None
        return About(**values, rows=MappingProxyType(rows))

    # -- totals -----------------------------------------------------------------------------
    def _check_sums(
        self,
        sheet: Sheet,
        layout: SheetLayout,
        records: Sequence[tuple[int, Mapping[str, float]]],
    ) -> None:
        """Refuse amounts that add up beyond what a deck can show: it shows their totals.

        Every sum the deck takes of a sheet (a column total, a row total, the net of two
        columns) is at most the sum of the amounts' sizes, so that is what is bounded.
        """
        by_unit: dict[str, list[Column]] = {}
        for col in sheet.columns:
            if col.summed and col.field in layout.columns:
                by_unit.setdefault(col.unit, []).append(col)
        rows = [row for row, _ in records]
        for unit, columns in by_unit.items():
            total = math.fsum(abs(amounts[c.field]) for _, amounts in records for c in columns)
            largest = schema.LARGEST[unit]
            if total <= largest:
                continue
            letters = sorted((layout.columns[c.field] for c in columns), key=column_index)
            headers = ", ".join(f"'{c.header}'" for c in columns)
            self.report.error(
                layout.name,
                f"{letters[0]}{min(rows)}:{letters[-1]}{max(rows)}",
                f"the amounts in {headers} add up to {large(total)} {unit}: too large for any "
                f"deck to show its totals (at most {largest:,.0f} {unit})",
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
        self.report.warning(
            layout.name,
            where,
            f"{what} is stated as {stated:,.{d}f} but the line items add up to "
            f"{recomputed:,.{d}f} (difference {stated - recomputed:+,.{d}f}, more than rounding "
            f"explains); the deck uses {recomputed:,.{d}f}",
        )


def _as_driver(values: dict[str, Any]) -> dict[str, Any]:
    """A Context row in the model's terms: its name, and whether it goes up."""
    return {**values, "name": values["driver"], "up": values["direction"] == "up"}


def _amounts(line: PortfolioLine) -> dict[str, float]:
    return {f: getattr(line, f) for f in PORTFOLIO_AMOUNTS}


def _portfolio_line(values: Mapping[str, Any], row: int) -> PortfolioLine:
    return PortfolioLine(
        name=values["name"],
        **{f: values[f] for f in PORTFOLIO_AMOUNTS},
        stated_total=values["total"],
        row=row,
    )


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


def _as_float(value: object) -> float:
    try:
        return parse_number(value).value
    except NumberError:
        return 0.0
