"""The model built from the tables, and the checks that span rows and sheets
(workbook/assemble.py): duplicate keys, years in order, stated totals, sums a deck can show."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from deckgen.workbook.reader import read_workbook
from tests.conftest import SAMPLE_WORKBOOK, Source, data_row_number, row_of, sheet
from tests.workbooks import only_error

MakeWorkbook = Callable[..., Path]


def test_model_remembers_the_cell_of_every_figure() -> None:
    model = read_workbook(SAMPLE_WORKBOOK).workbook
    assert model is not None
    closed = model.portfolios[0]
    assert model.cell("portfolio", "cashable_benefits", closed.row) == "Portfolio!E5"
    assert model.cell_range("finance", "investment", tuple(y.row for y in model.years)) == (
        "Finance by Year!B5:B14"
    )


def test_duplicate_project(source: Source, make_workbook: MakeWorkbook) -> None:
    row_of(source, "FTE by Project", "EER - FCID")[0] = "EER - CJS"
    row = data_row_number(source, "FTE by Project", 2)
    first = data_row_number(source, "FTE by Project", 1)
    assert only_error(make_workbook(source)) == (
        f"ERROR FTE by Project!A{row}: duplicate project 'EER - CJS' (first in row {first})"
    )


def test_duplicate_portfolio(source: Source, make_workbook: MakeWorkbook) -> None:
    row_of(source, "Portfolio", "POD")[0] = "nges"
    line = only_error(make_workbook(source))
    assert "duplicate portfolio 'nges'" in line and line.startswith("ERROR Portfolio!A")


def test_years_out_of_order(source: Source, make_workbook: MakeWorkbook) -> None:
    rows = sheet(source, "Finance by Year")["rows"]
    rows[2], rows[3] = rows[3], rows[2]
    result = read_workbook(make_workbook(source))
    messages = [str(i) for i in result.errors]
    assert any("FY17/18 comes after FY18/19; years must be in order" in m for m in messages)


def test_years_with_a_gap(source: Source, make_workbook: MakeWorkbook) -> None:
    rows = sheet(source, "Finance by Year")["rows"]
    del rows[5]
    row = data_row_number(source, "Finance by Year", 5)
    assert only_error(make_workbook(source)) == (
        f"ERROR Finance by Year!A{row}: FY21/22 follows FY19/20: missing FY20/21"
    )


def test_every_problem_is_reported_not_only_the_first(
    source: Source, make_workbook: MakeWorkbook
) -> None:
    row_of(source, "Portfolio", "NGES")[1] = "n/a"
    row_of(source, "FTE by Project", "TS1")[2] = "Maybe"
    row_of(source, "Finance by Year", "FY19/20")[3] = "Budget"
    result = read_workbook(make_workbook(source))
    assert {i.sheet for i in result.errors} == {"Portfolio", "FTE by Project", "Finance by Year"}


def test_total_row_that_disagrees_is_a_warning(source: Source, make_workbook: MakeWorkbook) -> None:
    sheet(source, "Portfolio")["total"][1] = 119.2  # Capital total off by 5.0
    result = read_workbook(make_workbook(source))
    assert result.errors == ()
    assert [str(w) for w in result.warnings] == [
        "WARNING Portfolio!B16: the 'Capital' total is stated as 119.2 but the line items add up "
        "to 114.2 (difference +5.0, more than rounding explains); the deck uses 114.2"
    ]
    assert result.workbook is not None


def test_source_rounding_differences_are_within_tolerance() -> None:
    """The seed's own appendix is off by 0.1 in places (ESMCP, Estates Strategy): no warning."""
    model = read_workbook(SAMPLE_WORKBOOK).workbook
    assert model is not None
    esmcp = next(p for p in model.portfolios if p.name == "ESMCP")
    assert esmcp.stated_total == 12.7
    assert esmcp.total == pytest.approx(12.6)


def test_amounts_that_add_up_beyond_what_a_deck_can_show_are_an_error(
    source: Source, make_workbook: MakeWorkbook
) -> None:
    """Each year is within bounds, but their total, shown on the slides, is not."""
    for row in sheet(source, "Finance by Year")["rows"]:
        row[1] = 9e8
    first = data_row_number(source, "Finance by Year", 0)
    last = data_row_number(source, "Finance by Year", 9)
    assert only_error(make_workbook(source)) == (
        f"ERROR Finance by Year!B{first}:C{last}: the amounts in 'Investment', 'Benefits' add "
        "up to 9,000,000,896 £m: too large for any deck to show its totals "
        "(at most 1,000,000,000 £m)"
    )


def test_many_projects_whose_sum_overflows_are_an_error(
    source: Source, make_workbook: MakeWorkbook
) -> None:
    fte = sheet(source, "FTE by Project")
    fte["rows"] = [[f"Project {n}", 1.7e308, "Achieved"] for n in range(3)] + [
        [f"Big project {n}", 9e8, "Forecast"] for n in range(3)
    ]
    fte["total"][1] = None
    lines = [str(i) for i in read_workbook(make_workbook(source)).errors]
    assert len(lines) == 4
    assert all("too large for any deck to show" in line for line in lines)
    assert lines[-1].startswith("ERROR FTE by Project!B7:B9: the amounts in 'Grand Total' add up")


@pytest.mark.parametrize(
    ("sheet_name", "keys", "column", "noun"),
    [
        ("Portfolio", [0], "A", "portfolio"),
        ("FTE by Project", [0], "A", "project"),
        ("Context", [0], "A", "driver"),
        ("Comparisons", [0], "A", "measure"),
        ("Figures", [0, 1], "B", "figure"),
    ],
)
def test_every_sheet_of_records_refuses_a_repeated_key_the_same_way(
    sheet_name: str,
    keys: list[int],
    column: str,
    noun: str,
    source: Source,
    make_workbook: MakeWorkbook,
) -> None:
    """One loop reads every sheet's rows: its key and what a row is come from the contract."""
    rows = sheet(source, sheet_name)["rows"]
    for k in keys:
        rows[2][k] = rows[0][k].upper()  # the same key, whatever its case
    shown = ".".join(rows[2][k] for k in keys)
    first, third = (data_row_number(source, sheet_name, i) for i in (0, 2))
    assert only_error(make_workbook(source)) == (
        f"ERROR {sheet_name}!{column}{third}: duplicate {noun} '{shown}' (first in row {first})"
    )
