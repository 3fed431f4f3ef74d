"""Derived figures: pure functions of the model. Numbers here, never formatted text.

Each figure carries where it came from (the cells it used and how it was derived) so the deck
can say so in its notes and a reader can check it. Nothing from the seed is typed in: every
value is computed from the workbook, so adding a year or a project moves every figure with it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from deckgen.model import PORTFOLIO_AMOUNTS, FinancialYear, PortfolioLine, ProjectFte, Workbook


@dataclass(frozen=True)
class Quantity:
    """A number with its unit and provenance.

    A derivation can be undefined for a workbook (a return per £1 with nothing invested): then
    `undefined` says why, `value` is NaN, and the figure is never shown as a number.
    """

    value: float
    unit: str  # one of schema.UNITS, or "£ per £1"
    derivation: str  # how it was obtained, in words ("" for a single cell)
    cells: tuple[str, ...]  # "Finance by Year!B5:B14", ...
    undefined: str = ""  # why the derivation has no value, e.g. "total investment is 0"


@dataclass(frozen=True)
class Label:
    """A piece of text taken from the workbook (a year, a name), with its cell."""

    text: str
    derivation: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class YearNet:
    year: str
    investment: float
    benefits: float
    net: float
    cumulative_net: float
    actual: bool


@dataclass(frozen=True)
class PortfolioBalance:
    """One portfolio's costs and benefits, both as positive amounts."""

    name: str
    costs: float
    benefits: float
    net_benefit: float  # benefits - costs
    row: int


@dataclass(frozen=True)
class TotalCheck:
    """A stated total beside the total recomputed from its line items."""

    cell: str
    what: str
    stated: float
    recomputed: float

    @property
    def difference(self) -> float:
        return self.stated - self.recomputed


@dataclass(frozen=True)
class Metrics:
    """Every derived figure the deck uses."""

    total_investment: Quantity
    total_benefits: Quantity
    net_benefit: Quantity
    return_per_pound: Quantity
    invested_to_date: Quantity
    benefits_to_date: Quantity
    peak_investment: Quantity
    yearly_benefit_plateau: Quantity
    fte_total: Quantity
    fte_achieved: Quantity
    fte_forecast: Quantity
    portfolio_costs: Quantity
    portfolio_benefits: Quantity
    portfolio_net_benefit: Quantity
    first_year: Label
    last_actual_year: Label | None
    first_forecast_year: Label
    horizon_year: Label
    peak_investment_year: Label
    break_even_year: Label | None
    plateau_start_year: Label
    years: tuple[YearNet, ...]
    portfolios: tuple[PortfolioBalance, ...]
    total_checks: tuple[TotalCheck, ...]


# What each figure is, in words, for `deckgen explain` and the README.
DESCRIPTIONS: dict[str, str] = {
    "total_investment": "the total investment over every year",
    "total_benefits": "the total benefits over every year",
    "net_benefit": "the net benefit (total benefits less total investment)",
    "return_per_pound": "the benefits generated for every £1 invested",
    "invested_to_date": "the investment in the Actual years",
    "benefits_to_date": "the benefits of the Actual years",
    "peak_investment": "the highest yearly investment",
    "yearly_benefit_plateau": "the steady yearly benefits of the final years",
    "fte_total": "the total FTE released by all projects",
    "fte_achieved": "the FTE released by projects whose status is Achieved",
    "fte_forecast": "the FTE forecast from projects whose status is Forecast",
    "portfolio_costs": "the costs of all portfolios",
    "portfolio_benefits": "the benefits of all portfolios",
    "portfolio_net_benefit": "the portfolios' benefits less their costs",
    "first_year": "the first financial year",
    "last_actual_year": "the last Actual year",
    "first_forecast_year": "the first Forecast year",
    "horizon_year": "the last year of the forecast",
    "peak_investment_year": "the year of the highest investment",
    "break_even_year": "the year from which cumulative benefits stay at or above cumulative "
    "investment",
    "plateau_start_year": "the first year of steady benefits",
}


# -- finance by year ----------------------------------------------------------------------


def total_investment(years: Sequence[FinancialYear]) -> float:
    return math.fsum(y.investment for y in years)


def total_benefits(years: Sequence[FinancialYear]) -> float:
    return math.fsum(y.benefits for y in years)


def net_benefit(years: Sequence[FinancialYear]) -> float:
    return total_benefits(years) - total_investment(years)


def return_per_pound(years: Sequence[FinancialYear]) -> float | None:
    """Benefits generated for every £1 invested over all years; None (undefined) when nothing
    is invested: there is no return on nothing, and £0.00 would be a wrong number."""
    invested = total_investment(years)
    return total_benefits(years) / invested if invested else None


def actual_years(years: Sequence[FinancialYear]) -> tuple[FinancialYear, ...]:
    return tuple(y for y in years if y.actual)


def peak_investment_year(years: Sequence[FinancialYear]) -> FinancialYear:
    """The year with the highest investment; the earliest when several tie."""
    return max(years, key=lambda y: (y.investment, -y.start))


def cumulative_net(years: Sequence[FinancialYear]) -> tuple[YearNet, ...]:
    running = 0.0
    result = []
    for y in years:
        running += y.net
        result.append(YearNet(y.label, y.investment, y.benefits, y.net, running, y.actual))
    return tuple(result)


def break_even_year(years: Sequence[FinancialYear]) -> FinancialYear | None:
    """The first year from whose end cumulative benefits stay at or above cumulative investment
    to the horizon; None when they end below it. A programme ahead in its first years that falls
    behind again has not broken even, and its chart must not say it has."""
    found = None
    for year, point in zip(years, cumulative_net(years), strict=True):
        if point.cumulative_net < -1e-9:
            found = None
        elif found is None:
            found = year
    return found


def benefit_plateau(years: Sequence[FinancialYear], step: float = 1.0) -> tuple[int, float]:
    """Return (index of first year, mean) of the final run of years with the same benefits.

    Years belong to the run while their benefits round, to the nearest `step` (£1m), to the same
    figure as the last year's, so "c.£120m a year from FY20/21" follows the data rather than
    being typed in.
    """
    target = round(years[-1].benefits / step)
    start = len(years) - 1
    while start > 0 and round(years[start - 1].benefits / step) == target:
        start -= 1
    run = years[start:]
    return start, math.fsum(y.benefits for y in run) / len(run)


# -- FTE ----------------------------------------------------------------------------------


def fte_total(projects: Sequence[ProjectFte]) -> float:
    return math.fsum(p.fte for p in projects)


def fte_achieved(projects: Sequence[ProjectFte]) -> float:
    return math.fsum(p.fte for p in projects if p.achieved)


def fte_forecast(projects: Sequence[ProjectFte]) -> float:
    return math.fsum(p.fte for p in projects if not p.achieved)


# -- portfolios ---------------------------------------------------------------------------


def portfolio_balances(lines: Sequence[PortfolioLine]) -> tuple[PortfolioBalance, ...]:
    return tuple(
        PortfolioBalance(line.name, line.costs, line.benefits, line.benefits - line.costs, line.row)
        for line in lines
    )


def portfolio_column_totals(lines: Sequence[PortfolioLine]) -> dict[str, float]:
    """Recomputed column totals, signed as in the source."""
    return {f: math.fsum(getattr(line, f) for line in lines) for f in PORTFOLIO_AMOUNTS}


def total_checks(model: Workbook) -> tuple[TotalCheck, ...]:
    """Every stated total beside its recomputed value."""
    checks: list[TotalCheck] = []
    for line in model.portfolios:
        if line.stated_total is not None:
            checks.append(
                TotalCheck(
                    model.cell("portfolio", "total", line.row),
                    f"{line.name} total",
                    line.stated_total,
                    line.total,
                )
            )
    stated = model.portfolio_stated_total
    if stated is not None:
        recomputed = portfolio_column_totals(model.portfolios)
        for f in PORTFOLIO_AMOUNTS:
            checks.append(
                TotalCheck(
                    model.cell("portfolio", f, stated.row),
                    f"{f} total",
                    getattr(stated, f),
                    recomputed[f],
                )
            )
        if stated.stated_total is not None:
            checks.append(
                TotalCheck(
                    model.cell("portfolio", "total", stated.row),
                    "portfolio grand total",
                    stated.stated_total,
                    math.fsum(line.total for line in model.portfolios),
                )
            )
    if model.fte_stated_total is not None:
        layout = model.sheets["fte"]
        row = layout.total_row or 0
        checks.append(
            TotalCheck(
                model.cell("fte", "fte", row),
                "FTE total",
                model.fte_stated_total,
                fte_total(model.projects),
            )
        )
    return tuple(checks)


# -- everything ---------------------------------------------------------------------------


def compute(model: Workbook) -> Metrics:
    """Compute every derived figure of `model`."""
    years = model.years
    rows = tuple(y.row for y in years)
    inv_cells = (model.cell_range("finance", "investment", rows),)
    ben_cells = (model.cell_range("finance", "benefits", rows),)
    both = inv_cells + ben_cells
    actual = actual_years(years)
    actual_rows = tuple(y.row for y in actual)
    peak = peak_investment_year(years)
    plateau_index, plateau_mean = benefit_plateau(years)
    plateau_rows = tuple(y.row for y in years[plateau_index:])
    breakeven = break_even_year(years)
    forecast = [y for y in years if not y.actual]
    fte_rows = tuple(p.row for p in model.projects)
    fte_cells = (model.cell_range("fte", "fte", fte_rows),)
    status_cells = (*fte_cells, model.cell_range("fte", "status", fte_rows))
    balances = portfolio_balances(model.portfolios)
    portfolio_rows = tuple(line.row for line in model.portfolios)
    portfolio_cells = tuple(
        model.cell_range("portfolio", f, portfolio_rows) for f in PORTFOLIO_AMOUNTS
    )
    year_cell = "finance", "year"
    costs = math.fsum(b.costs for b in balances)
    gains = math.fsum(b.benefits for b in balances)

    def label(year: FinancialYear, how: str) -> Label:
        return Label(year.label, how, (model.cell(*year_cell, year.row),))

    per_pound = return_per_pound(years)

    return Metrics(
        total_investment=Quantity(total_investment(years), "£m", "sum of investment", inv_cells),
        total_benefits=Quantity(total_benefits(years), "£m", "sum of benefits", ben_cells),
        net_benefit=Quantity(net_benefit(years), "£m", "total benefits - total investment", both),
        return_per_pound=Quantity(
            math.nan if per_pound is None else per_pound,
            "£ per £1",
            "total benefits / total investment",
            both,
            "" if per_pound is not None else f"total investment ({inv_cells[0]}) is 0",
        ),
        invested_to_date=Quantity(
            total_investment(actual),
            "£m",
            "sum of investment in Actual years",
            (model.cell_range("finance", "investment", actual_rows),),
        ),
        benefits_to_date=Quantity(
            total_benefits(actual),
            "£m",
            "sum of benefits in Actual years",
            (model.cell_range("finance", "benefits", actual_rows),),
        ),
        peak_investment=Quantity(
            peak.investment,
            "£m",
            "highest yearly investment",
            (model.cell("finance", "investment", peak.row),),
        ),
        yearly_benefit_plateau=Quantity(
            plateau_mean,
            "£m",
            "mean yearly benefits over the final run of years with the same benefits (to £1m)"
            if len(plateau_rows) > 1
            else "benefits of the last year alone (the year before differs by £1m or more)",
            (model.cell_range("finance", "benefits", plateau_rows),),
        ),
        fte_total=Quantity(fte_total(model.projects), "FTE", "sum of project FTE", fte_cells),
        fte_achieved=Quantity(
            fte_achieved(model.projects), "FTE", "sum of FTE with status Achieved", status_cells
        ),
        fte_forecast=Quantity(
            fte_forecast(model.projects), "FTE", "sum of FTE with status Forecast", status_cells
        ),
        portfolio_costs=Quantity(costs, "£m", "sum of portfolio costs", portfolio_cells),
        portfolio_benefits=Quantity(gains, "£m", "sum of portfolio benefits", portfolio_cells),
        portfolio_net_benefit=Quantity(
            gains - costs, "£m", "portfolio benefits - portfolio costs", portfolio_cells
        ),
        first_year=label(years[0], "first year"),
        last_actual_year=label(actual[-1], "last Actual year") if actual else None,
        first_forecast_year=label(forecast[0] if forecast else years[-1], "first Forecast year"),
        horizon_year=label(years[-1], "last year"),
        peak_investment_year=label(peak, "year of highest investment"),
        break_even_year=(
            None
            if breakeven is None
            else label(
                breakeven,
                "first year from which cumulative benefits stay at or above cumulative investment",
            )
        ),
        plateau_start_year=label(years[plateau_index], "first year of steady benefits"),
        years=cumulative_net(years),
        portfolios=balances,
        total_checks=total_checks(model),
    )
