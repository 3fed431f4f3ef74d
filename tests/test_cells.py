"""Each cell read by its column's contract (workbook/cells.py), on real workbooks: empty cells,
text, allowed values, Excel errors, number formats, units, bounds and lengths."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from deckgen import metrics
from deckgen.model import SheetLayout
from deckgen.references import Resolver
from deckgen.workbook import schema
from deckgen.workbook.cells import Cell, CellReader, Report, column_index, column_letter
from deckgen.workbook.reader import read_workbook
from tests.conftest import SAMPLE_WORKBOOK, Source, data_row_number, row_of, sheet
from tests.workbooks import ExcelError, Formatted, edit_cells, only_error, with_cell_xml

MakeWorkbook = Callable[..., Path]


def test_text_in_a_number_cell(source: Source, make_workbook: MakeWorkbook) -> None:
    row_of(source, "Portfolio", "NGES")[4] = "n/a"
    row = data_row_number(source, "Portfolio", 6)
    result = read_workbook(make_workbook(source))
    assert f"ERROR Portfolio!E{row}: 'Cashable Benefits' must be a number (got 'n/a')" in [
        str(i) for i in result.errors
    ]


def test_negative_fte(source: Source, make_workbook: MakeWorkbook) -> None:
    row_of(source, "FTE by Project", "EER - CJS")[1] = -6
    row = data_row_number(source, "FTE by Project", 1)
    line = only_error(make_workbook(source))
    assert line.startswith(
        f"ERROR FTE by Project!B{row}: 'Grand Total' is -6; it cannot be negative"
    )


def test_negative_investment(source: Source, make_workbook: MakeWorkbook) -> None:
    row_of(source, "Finance by Year", "FY16/17")[1] = -50
    row = data_row_number(source, "Finance by Year", 1)
    assert only_error(make_workbook(source)).startswith(
        f"ERROR Finance by Year!B{row}: 'Investment' is -50; it cannot be negative"
    )


def test_unknown_status(source: Source, make_workbook: MakeWorkbook) -> None:
    row_of(source, "FTE by Project", "WMP2020 - DES")[2] = "Planned"
    row = data_row_number(source, "FTE by Project", 10)
    assert only_error(make_workbook(source)) == (
        f"ERROR FTE by Project!C{row}: 'Status' must start with one of 'Achieved', 'Forecast' "
        "(got 'Planned')"
    )


def test_unknown_basis(source: Source, make_workbook: MakeWorkbook) -> None:
    row_of(source, "Finance by Year", "FY19/20")[3] = "Budget"
    row = data_row_number(source, "Finance by Year", 4)
    assert only_error(make_workbook(source)) == (
        f"ERROR Finance by Year!D{row}: 'Basis' must be one of 'Actual', 'Forecast' (got 'Budget')"
    )


def test_missing_required_value(source: Source, make_workbook: MakeWorkbook) -> None:
    row_of(source, "FTE by Project", "TS1")[2] = None
    row = data_row_number(source, "FTE by Project", 0)
    assert only_error(make_workbook(source)) == f"ERROR FTE by Project!C{row}: 'Status' is empty"


def test_control_character_in_text(source: Source, make_workbook: MakeWorkbook) -> None:
    row_of(source, "FTE by Project", "TS1")[0] = "TS1\x07"
    line = only_error(make_workbook(source))
    assert "control character (U+0007)" in line and line.startswith("ERROR FTE by Project!A")


def test_numbers_typed_as_text(source: Source, make_workbook: MakeWorkbook) -> None:
    row_of(source, "Portfolio", "ESMCP")[4] = "(3.0)"
    row_of(source, "Portfolio", "Mobility - Airwave Refresh")[1] = "£8.1m"
    sheet(source, "FTE by Project")["total"][1] = "1,020.47"
    row_of(source, "Context", "Rise in Crime")[1] = "47%"
    result = read_workbook(make_workbook(source))
    assert result.issues == ()
    model = result.workbook
    assert model is not None
    assert model.portfolios[1].cashable_benefits == -3.0
    assert model.portfolios[3].capital == 8.1
    assert model.fte_stated_total == 1020.47
    assert model.drivers[0].figure == 47


def test_long_text_within_what_the_deck_holds_is_accepted(
    source: Source, make_workbook: MakeWorkbook
) -> None:
    long_name = ("Portfolio with a very long name " * 4)[:120]
    row_of(source, "Portfolio", "POD")[0] = long_name
    statement = row_of(source, "Context", "Budget Cuts")
    statement[4] = (statement[4] + " More detail." * 30)[:360]
    result = read_workbook(make_workbook(source))
    assert result.errors == ()
    assert result.workbook is not None
    assert result.workbook.portfolios[9].name == long_name.strip()


@pytest.mark.parametrize(
    ("sheet_name", "key", "column", "limit", "goes"),
    [
        ("Portfolio", "POD", 0, 120, "in a table row and as a chart label"),
        ("FTE by Project", "TS1", 0, 120, "in a table row and as a chart label"),
        ("Context", "Budget Cuts", 4, 360, "in a tile"),
        ("Context", "Budget Cuts", 0, 60, "as a tile's heading"),
        ("Comparisons", "Officer reduction", 0, 120, "as a chart label"),
        ("Figures", "roi", 2, 300, "as a figure's label or a chart label"),
        ("Figures", "roi", 6, 300, "in the speaker notes"),
    ],
)
def test_text_longer_than_the_deck_holds_is_refused_naming_the_cell_and_the_limit(
    sheet_name: str,
    key: str,
    column: int,
    limit: int,
    goes: str,
    source: Source,
    make_workbook: MakeWorkbook,
) -> None:
    row = row_of(source, sheet_name, key)
    row[column] = ("A sentence that goes on. " * 200)[:4999]
    s = sheet(source, sheet_name)
    number = data_row_number(source, sheet_name, s["rows"].index(row))
    letter = "ABCDEFG"[column]
    header = s["columns"][column]
    assert only_error(make_workbook(source)) == (
        f"ERROR {sheet_name}!{letter}{number}: '{header}' has 4,999 characters; at most "
        f"{limit} fit {goes}: shorten it"
    )


# -- Excel error values --------------------------------------------------------------------

# Cells the deck uses, one of each kind: words on the cover, names in tables and charts, a
# sentence on a tile, a chart label, a source in the notes, a number, a date.
USED_CELLS = {
    "About!B4": "'Title'",
    "FTE by Project!A5": "'Project Name'",
    "FTE by Project!C5": "'Status'",
    "Portfolio!A6": "'Portfolio'",
    "Context!E4": "'Statement'",
    "Context!A5": "'Driver'",
    "Comparisons!E4": "'Period'",
    "Figures!C4": "'Label'",
    "Figures!G4": "'Source'",
    "FTE by Project!B5": "'Grand Total'",
    "About!B8": "'Data as of'",
}


@pytest.mark.parametrize("address", USED_CELLS)
def test_an_excel_error_in_any_cell_the_deck_uses_is_an_error_naming_it(
    address: str, tmp_path: Path
) -> None:
    path = tmp_path / "errors.xlsx"
    shutil.copy(SAMPLE_WORKBOOK, path)
    edit_cells(path, {address: ExcelError("#N/A")})
    assert only_error(path) == (
        f"ERROR {address}: {USED_CELLS[address]} shows the Excel error #N/A instead of a value; "
        "correct the formula or the cells it uses, in Excel"
    )


@pytest.mark.parametrize(
    "code",
    [
        "#N/A",
        "#REF!",
        "#VALUE!",
        "#DIV/0!",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#GETTING_DATA",
    ],
)
def test_every_excel_error_value_is_refused(code: str, tmp_path: Path) -> None:
    path = tmp_path / "errors.xlsx"
    shutil.copy(SAMPLE_WORKBOOK, path)
    edit_cells(path, {"FTE by Project!A6": ExcelError(code)})
    assert f"shows the Excel error {code} instead of a value" in only_error(path)


def test_an_excel_error_pasted_as_text_is_refused(
    source: Source, make_workbook: MakeWorkbook
) -> None:
    row_of(source, "FTE by Project", "TS1")[0] = "#REF!"
    sheet(source, "About")["rows"][0][1] = " #n/a "
    lines = [str(i) for i in read_workbook(make_workbook(source)).errors]
    assert lines == [
        "ERROR FTE by Project!A4: 'Project Name' shows the Excel error #REF! instead of a value; "
        "correct the formula or the cells it uses, in Excel",
        "ERROR About!B4: 'Title' shows the Excel error #N/A instead of a value; "
        "correct the formula or the cells it uses, in Excel",
    ]


def test_a_formula_whose_saved_result_is_an_error_is_refused(tmp_path: Path) -> None:
    """As Excel saves it: the formula and its cached error value, in a text column."""
    path = with_cell_xml(
        SAMPLE_WORKBOOK,
        tmp_path / "formula.xlsx",
        "xl/worksheets/sheet2.xml",
        "A8",
        '<c r="A8" t="e"><f>VLOOKUP(X1,Y:Z,2,0)</f><v>#N/A</v></c>',
    )
    assert only_error(path).startswith(
        "ERROR FTE by Project!A8: 'Project Name' shows the Excel error #N/A"
    )


# -- number formats: a percentage is a percentage -----------------------------------------


def read_with(tmp_path: Path, cells: dict[str, object]) -> Any:
    """Read a copy of the sample with `cells` changed as Excel saves them."""
    path = tmp_path / "formats.xlsx"
    shutil.copy(SAMPLE_WORKBOOK, path)
    return read_workbook(edit_cells(path, cells))


def test_a_percent_formatted_fraction_reads_as_the_percentage_excel_shows(tmp_path: Path) -> None:
    result = read_with(
        tmp_path,
        {
            "Figures!D5": Formatted(0.33, "0%"),  # officer-loss.pcso_reduction, unit %
            "Context!B4": Formatted(0.47, "0.0%"),
            "Comparisons!B4": Formatted(0.097, "0.0%"),
            "Comparisons!C4": "6.3%",  # typed as text: both paths agree
        },
    )
    assert result.issues == ()
    model = result.workbook
    assert model is not None
    assert model.figures[1].value == 33
    assert model.drivers[0].figure == 47
    assert (model.comparisons[0].west_midlands, model.comparisons[0].msf_average) == (9.7, 6.3)
    resolver = Resolver(model, metrics.compute(model))
    assert resolver.resolve("figures.officer-loss.pcso_reduction").text == "33%"
    assert resolver.resolve("comparisons[Officer reduction].west_midlands").text == "9.7%"


def test_a_percent_sign_written_into_the_format_is_not_a_fraction(tmp_path: Path) -> None:
    """`0"%"` shows 33 as 33% without scaling, as deckgen's own chart formats do."""
    result = read_with(tmp_path, {"Figures!D5": Formatted(33, '0"%"')})
    assert result.issues == ()
    assert result.workbook is not None and result.workbook.figures[1].value == 33


@pytest.mark.parametrize(
    ("address", "value", "unit"),
    [
        ("Finance by Year!B5", Formatted(0.3, "0%"), "£m"),
        ("FTE by Project!B5", Formatted(6, "0.00%"), "FTE"),
        ("Figures!D4", Formatted(0.5, "0%"), "count"),  # roi.officer_posts_protected
    ],
)
def test_a_percent_format_in_a_column_of_another_unit_is_a_warning_naming_the_cell(
    address: str, value: Formatted, unit: str, tmp_path: Path
) -> None:
    result = read_with(tmp_path, {address: value})
    assert result.errors == ()
    assert len(result.warnings) == 1
    warning = str(result.warnings[0])
    assert warning.startswith(f"WARNING {address}: ")
    assert f"is formatted as a percentage ('{value.number_format}') but its unit is {unit}" in (
        warning
    )


@pytest.mark.parametrize("number_format", ['"£"#,##0', "[$£-809]#,##0.0", "£0", "$0.00"])
def test_a_money_format_in_a_percent_row_is_a_warning_naming_the_cell(
    number_format: str, tmp_path: Path
) -> None:
    result = read_with(tmp_path, {"Context!B5": Formatted(86, number_format)})
    assert result.errors == ()
    assert [str(w).split(" (")[0] for w in result.warnings] == [
        "WARNING Context!B5: 'Figure' is formatted as money"
    ]
    assert result.workbook is not None and result.workbook.drivers[1].figure == 86


# -- numbers no deck can show ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "found"),
    [
        (1e308, "is 1e+308"),
        (-1.7e308, "is -1.7e+308"),
        ("1" * 400, "has 400 digits"),
        ("2,000,000,000,000,000", "is 2,000,000,000,000,000"),
        ("2,000,000bn", "is 2,000,000,000,000,000"),
        (2e15, "is 2,000,000,000,000,000"),
    ],
)
def test_a_number_no_deck_can_show_is_an_error_naming_the_cell(
    value: object, found: str, tmp_path: Path
) -> None:
    path = tmp_path / "huge.xlsx"
    shutil.copy(SAMPLE_WORKBOOK, path)
    edit_cells(path, {"Figures!D4": value})  # roi.officer_posts_protected, a count
    assert only_error(path) == (
        f"ERROR Figures!D4: 'Value' {found}: too large for any deck to show "
        "(at most 1,000,000,000,000,000 count)"
    )


@pytest.mark.parametrize(
    ("saved", "found"), [("1" + "0" * 400, "has 401 digits"), ("1E+400", "is infinite")]
)
def test_a_number_saved_beyond_what_a_float_holds_is_an_error_naming_the_cell(
    saved: str, found: str, tmp_path: Path
) -> None:
    """Written by another program: a whole number of 401 digits, or one past 1.8e308."""
    path = with_cell_xml(
        SAMPLE_WORKBOOK,
        tmp_path / "huge.xlsx",
        "xl/worksheets/sheet6.xml",
        "D4",
        f'<c r="D4"><v>{saved}</v></c>',
    )
    assert only_error(path) == (
        f"ERROR Figures!D4: 'Value' {found}: too large for any deck to show "
        "(at most 1,000,000,000,000,000 count)"
    )


def test_the_bound_follows_the_unit(source: Source, make_workbook: MakeWorkbook) -> None:
    """£2bn is a £m figure of 2,000; £2,000tn (2e9 £m) is beyond any deck."""
    row_of(source, "Finance by Year", "FY16/17")[1] = "£2bn"
    row_of(source, "Finance by Year", "FY17/18")[1] = 2e9
    lines = [str(i) for i in read_workbook(make_workbook(source)).errors]
    row = data_row_number(source, "Finance by Year", 2)
    assert lines == [
        f"ERROR Finance by Year!B{row}: 'Investment' is 2,000,000,000: too large for any deck "
        "to show (at most 1,000,000,000 £m)"
    ]


# -- the cell reader on its own: one cell, no workbook ---------------------------------------

FIGURES = SheetLayout("Figures", 3, MappingProxyType({"value": "D", "unit": "E", "label": "C"}))


def read_value(cell: Cell, unit: str = "%") -> tuple[float | None, list[str]]:
    report = Report()
    value = CellReader(report).number(
        FIGURES, 4, schema.FIGURES.column("value"), {"value": cell}, unit
    )
    return value, [str(i) for i in report.issues]


def test_one_cell_is_read_in_its_row_unit_as_its_format_shows_it() -> None:
    assert read_value(Cell(0.33, 4, "0%")) == (33, [])
    assert read_value(Cell("33%", 4)) == (33, [])
    assert read_value(Cell(33, 4, '0"%"')) == (33, [])
    assert read_value(Cell(0.324, 4), "£m") == (0.324, [])


def test_one_cell_that_cannot_be_read_is_none_and_one_issue_naming_it() -> None:
    assert read_value(Cell("#N/A", 4, error=True)) == (
        None,
        [
            "ERROR Figures!D4: 'Value' shows the Excel error #N/A instead of a value; correct "
            "the formula or the cells it uses, in Excel"
        ],
    )
    value, issues = read_value(Cell(5e9, 4), "FTE")
    assert value is None and issues == [
        "ERROR Figures!D4: 'Value' is 5,000,000,000: too large for any deck to show "
        "(at most 1,000,000,000 FTE)"
    ]


def test_text_stored_with_xml_escapes_reads_as_typed() -> None:
    """.xlsx writes characters XML cannot hold as _xHHHH_; a tab becomes a space."""
    report = Report()
    label = CellReader(report).text(
        FIGURES, 4, schema.FIGURES.column("label"), {"label": Cell("Calls_x0009_answered", 3)}
    )
    assert (label, report.issues) == ("Calls answered", [])


@pytest.mark.parametrize(("index", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (64, "BL")])
def test_column_letters_as_excel_writes_them(index: int, letters: str) -> None:
    assert column_letter(index) == letters
    assert column_index(letters) == index
