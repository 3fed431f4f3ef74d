"""The workbook as typed, read-only data. Imports neither openpyxl nor pptx.

Every record remembers the row it came from and every sheet the columns it found, so any figure
can be traced back to its cell (`Workbook.cell`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType


@dataclass(frozen=True)
class SheetLayout:
    """Where a sheet's table was found: its name in the file, header row and column letters."""

    name: str
    header_row: int
    columns: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    total_row: int | None = None
    # Each found column's heading as the contract names it ("Grand Total"), for tables shown
    # from the sheet; a deck may put its own words over them.
    headers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def cell(self, field_name: str, row: int) -> str:
        """Return the A1 address of `field_name` in `row`, e.g. "D7"."""
        return f"{self.columns[field_name]}{row}"


@dataclass(frozen=True)
class PortfolioLine:
    """One row of the Portfolio sheet, signed as in the source: costs +, benefits -."""

    name: str
    capital: float
    centrally_managed: float
    non_cashable_benefits: float
    cashable_benefits: float
    one_off_costs: float
    recurring_costs: float
    stated_total: float | None
    row: int

    @property
    def costs(self) -> float:
        return self.capital + self.centrally_managed + self.one_off_costs + self.recurring_costs

    @property
    def benefits(self) -> float:
        """Benefits as a positive amount."""
        return -(self.non_cashable_benefits + self.cashable_benefits)

    @property
    def total(self) -> float:
        """Row total recomputed from the line items (negative = net benefit)."""
        return self.costs - self.benefits


PORTFOLIO_AMOUNTS: tuple[str, ...] = (
    "capital",
    "centrally_managed",
    "non_cashable_benefits",
    "cashable_benefits",
    "one_off_costs",
    "recurring_costs",
)


@dataclass(frozen=True)
class ProjectFte:
    name: str
    fte: float
    status: str  # as typed, e.g. "Achieved - cashed in"
    achieved: bool
    row: int


@dataclass(frozen=True)
class FinancialYear:
    label: str  # "FY18/19"
    start: int  # 2018
    investment: float
    benefits: float
    actual: bool
    row: int

    @property
    def net(self) -> float:
        return self.benefits - self.investment

    @property
    def basis(self) -> str:
        return "Actual" if self.actual else "Forecast"


@dataclass(frozen=True)
class Driver:
    """A policing-context driver: a big figure with a direction and its sentence."""

    name: str
    figure: float
    unit: str
    up: bool
    statement: str
    source: str
    row: int


@dataclass(frozen=True)
class Comparison:
    measure: str
    west_midlands: float
    msf_average: float
    unit: str
    period: str
    source: str
    row: int


@dataclass(frozen=True)
class Figure:
    slide: str
    key: str
    label: str
    value: float
    unit: str
    qualifier: str
    source: str
    row: int


@dataclass(frozen=True)
class About:
    title: str
    subtitle: str
    organisation: str
    audience: str
    data_as_of: date
    last_updated: date
    classification: str
    rows: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Workbook:
    """Everything the deck needs from the workbook, as read and checked by the reader."""

    path: str
    sheets: Mapping[str, SheetLayout]  # by schema key ("portfolio", "fte", ...)
    portfolios: tuple[PortfolioLine, ...]
    portfolio_stated_total: PortfolioLine | None
    projects: tuple[ProjectFte, ...]
    fte_stated_total: float | None
    years: tuple[FinancialYear, ...]
    drivers: tuple[Driver, ...]
    comparisons: tuple[Comparison, ...]
    figures: tuple[Figure, ...]
    about: About

    def cell(self, sheet_key: str, field_name: str, row: int) -> str:
        """Return a figure's full address, e.g. "Portfolio!D7"."""
        layout = self.sheets[sheet_key]
        return f"{layout.name}!{layout.cell(field_name, row)}"

    def cell_range(self, sheet_key: str, field_name: str, rows: tuple[int, ...]) -> str:
        """Return the address of a column over some rows, e.g. "Finance by Year!B4:B13"."""
        layout = self.sheets[sheet_key]
        if not rows:
            return layout.name
        first, last = min(rows), max(rows)
        col = layout.columns[field_name]
        span = f"{col}{first}" if first == last else f"{col}{first}:{col}{last}"
        return f"{layout.name}!{span}"
