"""Derived figures equal the seed's published ones, and move when the workbook changes."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from deckgen import metrics
from deckgen.metrics import Metrics
from deckgen.model import Workbook
from deckgen.references import Resolver, UndefinedError
from deckgen.workbook.reader import read_workbook
from tests.conftest import SAMPLE_WORKBOOK, Source, build_cli, row_of, sheet

MakeWorkbook = Callable[..., Path]


def read(path: Path) -> Workbook:
    result = read_workbook(path)
    assert result.errors == (), [str(i) for i in result.errors]
    assert result.workbook is not None
    return result.workbook


@pytest.fixture(scope="module")
def sample() -> Metrics:
    return metrics.compute(read(SAMPLE_WORKBOOK))


def test_headline_returns_match_the_published_figures(sample: Metrics) -> None:
    assert round(sample.total_investment.value) == 778
    assert round(sample.total_benefits.value) == 896
    assert round(sample.net_benefit.value) == 118
    assert round(sample.return_per_pound.value, 2) == 1.15


def test_to_date_figures_match_the_published_figures(sample: Metrics) -> None:
    assert round(sample.invested_to_date.value) == 266
    assert round(sample.benefits_to_date.value) == 177
    assert sample.last_actual_year is not None
    assert sample.last_actual_year.text == "FY18/19"


def test_fte_matches_the_published_figures(sample: Metrics) -> None:
    assert round(sample.fte_total.value) == 1020
    assert round(sample.fte_achieved.value, -1) == 400
    assert round(sample.fte_forecast.value, -1) == 620
    assert sample.fte_achieved.value + sample.fte_forecast.value == pytest.approx(
        sample.fte_total.value
    )


def test_years_match_the_published_figures(sample: Metrics) -> None:
    assert sample.break_even_year is not None
    assert sample.break_even_year.text == "FY23/24"
    assert sample.horizon_year.text == "FY24/25"
    assert sample.first_year.text == "FY15/16"
    assert sample.peak_investment_year.text == "FY18/19"
    assert sample.peak_investment.value == 120
    assert sample.plateau_start_year.text == "FY20/21"
    assert round(sample.yearly_benefit_plateau.value) == 120


def test_cumulative_net_crosses_zero_once(sample: Metrics) -> None:
    cumulative = [round(y.cumulative_net) for y in sample.years]
    assert cumulative == [-20, -35, -44, -89, -85, -70, -48, -8, 50, 118]


def test_portfolio_costs_and_benefits_are_positive_amounts(sample: Metrics) -> None:
    closed = sample.portfolios[0]
    assert closed.name == "Closed"
    assert closed.costs == pytest.approx(77.0)
    assert closed.benefits == pytest.approx(205.8)
    assert sample.portfolio_net_benefit.value == pytest.approx(207.0)


def test_stated_totals_are_kept_beside_recomputed_ones(sample: Metrics) -> None:
    esmcp = next(c for c in sample.total_checks if c.what == "ESMCP total")
    assert esmcp.cell == "Portfolio!H6"
    assert esmcp.stated == 12.7
    assert esmcp.recomputed == pytest.approx(12.6)
    fte = next(c for c in sample.total_checks if c.what == "FTE total")
    assert fte.difference == pytest.approx(0)


def test_figures_carry_their_cells(sample: Metrics) -> None:
    assert sample.total_investment.cells == ("Finance by Year!B5:B14",)
    assert sample.invested_to_date.cells == ("Finance by Year!B5:B8",)
    assert sample.horizon_year.cells == ("Finance by Year!A14",)


def test_adding_a_year_moves_the_horizon_and_the_return(
    source: Source, make_workbook: MakeWorkbook
) -> None:
    sheet(source, "Finance by Year")["rows"].append(["FY25/26", 40, 120, "Forecast"])
    m = metrics.compute(read(make_workbook(source)))
    assert m.horizon_year.text == "FY25/26"
    assert round(m.total_investment.value) == 818
    assert round(m.total_benefits.value) == 1016
    assert round(m.return_per_pound.value, 2) == 1.24
    assert m.total_investment.cells == ("Finance by Year!B5:B15",)


def test_changing_the_workbook_changes_every_derived_figure(
    source: Source, make_workbook: MakeWorkbook
) -> None:
    row_of(source, "Finance by Year", "FY18/19")[1] = 150  # a bigger peak, still Actual
    row_of(source, "Finance by Year", "FY22/23")[2] = 200
    row_of(source, "FTE by Project", "WMP2020 - Connect")[1] = 500
    row_of(source, "FTE by Project", "WMP2020 - DES")[2] = "Achieved"
    sheet(source, "FTE by Project")["total"][1] = None
    m = metrics.compute(read(make_workbook(source)))
    assert round(m.invested_to_date.value) == 296
    assert m.peak_investment.value == 150
    assert m.break_even_year is not None and m.break_even_year.text == "FY22/23"
    assert round(m.fte_total.value, 2) == 1098.47
    assert round(m.fte_achieved.value, 2) == 411.67
    assert m.plateau_start_year.text == "FY23/24"


def test_no_break_even_within_the_horizon(source: Source, make_workbook: MakeWorkbook) -> None:
    for row in sheet(source, "Finance by Year")["rows"]:
        row[2] = 10
    m = metrics.compute(read(make_workbook(source)))
    assert m.break_even_year is None
    assert m.net_benefit.value < 0


# -- derived figures that are undefined are never shown as numbers ---------------------------


def zero_investment(source: Source) -> Source:
    for row in sheet(source, "Finance by Year")["rows"]:
        row[1] = 0
    return source


def test_the_return_per_pound_on_nothing_invested_is_undefined(
    source: Source, make_workbook: MakeWorkbook
) -> None:
    model = read(make_workbook(zero_investment(source)))
    m = metrics.compute(model)
    assert metrics.return_per_pound(model.years) is None
    assert m.return_per_pound.undefined == "total investment (Finance by Year!B5:B14) is 0"
    with pytest.raises(UndefinedError) as caught:
        Resolver(model, m).resolve("metrics.return_per_pound")
    assert "Finance by Year!B5:B14" in str(caught.value)
    assert Resolver(model, m).resolve("metrics.return_per_pound|not yet known").text == (
        "not yet known"
    )


def test_a_deck_showing_an_undefined_figure_is_not_built(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    """Today's deck would show "£0.00" for every £1 spent: the build names the cells instead."""
    out = tmp_path / "deck.pptx"
    code, output = build_cli(make_workbook(zero_investment(source)), out)
    assert code == 2
    assert "return_per_pound" in output and "Finance by Year!B5:B14) is 0" in output
    assert "£0.00" not in output
    assert not out.exists()


@pytest.mark.parametrize(
    ("reference", "cells"),
    [
        ("figures.mobility.devices / figures.mobility.apps", "Figures!D22, which is 0"),
        ("comparisons[Officer reduction].relative", "its MSF average (Comparisons!C4) is 0"),
    ],
)
def test_a_division_by_zero_names_the_cell_that_is_zero(
    reference: str, cells: str, source: Source, make_workbook: MakeWorkbook
) -> None:
    apps = next(r for r in sheet(source, "Figures")["rows"] if r[:2] == ["mobility", "apps"])
    apps[3] = 0
    row_of(source, "Comparisons", "Officer reduction")[2] = 0
    model = read(make_workbook(source))
    with pytest.raises(UndefinedError, match=re.escape(cells)):
        Resolver(model, metrics.compute(model)).resolve(reference)


@pytest.mark.parametrize(
    ("reference", "change"),
    [
        # a share of a tiny figure: 5,000 / 1e-300 is beyond any float
        ("figures.mobility.devices / figures.mobility.apps", 1e-300),
        # a share a deck could compute but not show: 5,000 / 1e-12 = 5e17 %
        ("figures.mobility.devices / figures.mobility.apps", 1e-12),
    ],
)
def test_a_derived_figure_too_large_to_show_is_an_error_naming_its_cells(
    reference: str, change: float, source: Source, make_workbook: MakeWorkbook
) -> None:
    apps = next(r for r in sheet(source, "Figures")["rows"] if r[:2] == ["mobility", "apps"])
    apps[3] = change
    model = read(make_workbook(source))
    with pytest.raises(UndefinedError) as caught:
        Resolver(model, metrics.compute(model)).resolve(reference)
    message = str(caught.value)
    assert "too large for any deck to show" in message
    assert "Figures!D21" in message and "Figures!D22" in message


def test_a_return_too_large_to_show_is_an_error(
    source: Source, make_workbook: MakeWorkbook
) -> None:
    """A trace of investment beside real benefits: £896m per 1e-12 £m invested."""
    for row in sheet(source, "Finance by Year")["rows"]:
        row[1] = 0
    sheet(source, "Finance by Year")["rows"][0][1] = 1e-12
    model = read(make_workbook(source))
    with pytest.raises(UndefinedError, match="too large for any deck to show"):
        Resolver(model, metrics.compute(model)).resolve("metrics.return_per_pound")
