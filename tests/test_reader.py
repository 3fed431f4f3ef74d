"""The reader on real workbooks: the sample, every refused input and every accepted variation."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from deckgen import metrics
from deckgen.errors import DeckgenError, Severity, WorkbookError
from deckgen.references import Resolver
from deckgen.workbook.reader import read_workbook
from tests.conftest import SAMPLE_WORKBOOK, Source, data_row_number, row_of, sheet
from tests.workbooks import ExcelError, Formatted, edit_cells, with_cell_xml

MakeWorkbook = Callable[..., Path]


def only_error(path: Path) -> str:
    """Read `path`, assert exactly one error and no model, and return the error line."""
    result = read_workbook(path)
    assert result.workbook is None
    assert len(result.errors) == 1, [str(i) for i in result.issues]
    return str(result.errors[0])


def refused(path: Path) -> str:
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path)
    message = caught.value.format_message()
    assert str(path) in message
    assert "\n" not in message
    return message


# -- the sample ---------------------------------------------------------------------------


def test_sample_workbook_is_valid_with_no_issues() -> None:
    result = read_workbook(SAMPLE_WORKBOOK)
    assert result.issues == ()
    model = result.workbook
    assert model is not None
    assert len(model.portfolios) == 11
    assert len(model.projects) == 12
    assert model.years[0].label == "FY15/16"
    assert len(model.years) == 10
    assert len(model.drivers) == 6
    assert len(model.comparisons) == 4
    assert model.about.organisation == "West Midlands Police"


def test_model_remembers_the_cell_of_every_figure() -> None:
    model = read_workbook(SAMPLE_WORKBOOK).workbook
    assert model is not None
    closed = model.portfolios[0]
    assert model.cell("portfolio", "cashable_benefits", closed.row) == "Portfolio!E5"
    assert model.cell_range("finance", "investment", tuple(y.row for y in model.years)) == (
        "Finance by Year!B5:B14"
    )


# -- files that are not workbooks ---------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert "no such file" in refused(tmp_path / "absent.xlsx")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert "empty" in refused(path)


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "figures.xlsx"
    path.write_text("Portfolio,Capital\nNGES,0.2\n")
    assert "not an Excel .xlsx workbook" in refused(path)


def test_truncated_file(tmp_path: Path) -> None:
    path = tmp_path / "truncated.xlsx"
    data = SAMPLE_WORKBOOK.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert "truncated or damaged" in refused(path)


def test_legacy_xls(tmp_path: Path) -> None:
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    book.add_sheet("Portfolio").write(0, 0, "Portfolio")
    path = tmp_path / "old.xls"
    book.save(str(path))
    assert ".xls" in refused(path) and "save it as" in refused(path)


def test_encrypted_workbook(tmp_path: Path) -> None:
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    with SAMPLE_WORKBOOK.open("rb") as plain:
        OOXMLFile(plain).encrypt("secret", encrypted)
    path = tmp_path / "locked.xlsx"
    path.write_bytes(encrypted.getvalue())
    assert msoffcrypto is not None
    assert "password-protected" in refused(path)


def _copy_with(tmp_path: Path, name: str, replace: dict[str, bytes]) -> Path:
    """Copy the sample workbook, replacing or adding zip members."""
    path = tmp_path / name
    with zipfile.ZipFile(SAMPLE_WORKBOOK) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            if info.filename not in replace:
                dst.writestr(info, src.read(info))
        for member, data in replace.items():
            dst.writestr(member, data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def test_zip_bomb(tmp_path: Path) -> None:
    path = _copy_with(tmp_path, "bomb.xlsx", {"xl/media/padding.bin": b"\0" * (64 * 2**20)})
    assert path.stat().st_size < 2**20
    assert "zip bomb" in refused(path)


def test_xml_entity_bomb(tmp_path: Path) -> None:
    lol = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        b'uniqueCount="1"><si><t>&lol3;</t></si></sst>'
    )
    path = _copy_with(tmp_path, "entities.xlsx", {"xl/sharedStrings.xml": lol})
    assert "entity" in refused(path)


def test_unsafe_member_name(tmp_path: Path) -> None:
    path = _copy_with(tmp_path, "traversal.xlsx", {"../../evil.txt": b"x"})
    assert "unsafe part name" in refused(path)


def test_openpyxl_must_use_defusedxml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(DeckgenError, match="defusedxml"):
        read_workbook(SAMPLE_WORKBOOK)


# -- sheets, columns and cells that break the contract ------------------------------------


def test_missing_sheet(source: Source, make_workbook: MakeWorkbook) -> None:
    source["sheets"] = [s for s in source["sheets"] if s["name"] != "Finance by Year"]
    line = only_error(make_workbook(source))
    assert line.startswith("ERROR Finance by Year: missing sheet 'Finance by Year'")


def test_missing_column(source: Source, make_workbook: MakeWorkbook) -> None:
    fte = sheet(source, "FTE by Project")
    fte["columns"] = ["Project Name", "Grand Total"]
    fte["rows"] = [r[:2] for r in fte["rows"]]
    fte["total"] = fte["total"][:2]
    assert only_error(make_workbook(source)) == (
        "ERROR FTE by Project!A3: missing column 'Status' in header row 3"
    )


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


def test_missing_required_value(source: Source, make_workbook: MakeWorkbook) -> None:
    row_of(source, "FTE by Project", "TS1")[2] = None
    row = data_row_number(source, "FTE by Project", 0)
    assert only_error(make_workbook(source)) == f"ERROR FTE by Project!C{row}: 'Status' is empty"


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


def test_formula_without_cached_value(tmp_path: Path) -> None:
    path = tmp_path / "formula.xlsx"
    shutil.copy(SAMPLE_WORKBOOK, path)
    book = openpyxl.load_workbook(path)
    book["FTE by Project"]["B6"] = "=1+5"  # openpyxl saves formulas with no cached value
    book.save(path)
    assert only_error(path).startswith("ERROR FTE by Project!B6: formula with no cached value")


def test_formula_with_a_cached_value_is_read(tmp_path: Path) -> None:
    """A formula Excel has calculated is read by its value, like any number."""
    path = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(SAMPLE_WORKBOOK) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b'<c r="B6" s="', b'<c r="B6" s="', 1)
                data = data.replace(b"<v>6</v>", b"<f>2*3</f><v>6</v>", 1)
                assert b"<f>2*3</f>" in data
            dst.writestr(info, data)
    result = read_workbook(path)
    assert result.errors == ()
    assert result.workbook is not None
    assert result.workbook.projects[1].fte == 6


def test_control_character_in_text(source: Source, make_workbook: MakeWorkbook) -> None:
    row_of(source, "FTE by Project", "TS1")[0] = "TS1\x07"
    line = only_error(make_workbook(source))
    assert "control character (U+0007)" in line and line.startswith("ERROR FTE by Project!A")


def test_every_problem_is_reported_not_only_the_first(
    source: Source, make_workbook: MakeWorkbook
) -> None:
    row_of(source, "Portfolio", "NGES")[1] = "n/a"
    row_of(source, "FTE by Project", "TS1")[2] = "Maybe"
    row_of(source, "Finance by Year", "FY19/20")[3] = "Budget"
    result = read_workbook(make_workbook(source))
    assert {i.sheet for i in result.errors} == {"Portfolio", "FTE by Project", "Finance by Year"}


# -- variations that are accepted -----------------------------------------------------------


def test_title_rows_above_the_header_are_skipped(
    source: Source, make_workbook: MakeWorkbook
) -> None:
    sheet(source, "FTE by Project")["units"] = "FTE released, by project"
    result = read_workbook(make_workbook(source))
    assert result.issues == ()
    assert result.workbook is not None
    assert result.workbook.sheets["fte"].header_row == 4


def _reorder(s: dict[str, Any], order: list[int]) -> None:
    s["columns"] = [s["columns"][i] for i in order]
    s["rows"] = [[r[i] for i in order] for r in s["rows"]]
    if s.get("total"):
        s["total"] = [s["total"][i] for i in order]


def test_columns_in_another_order(source: Source, make_workbook: MakeWorkbook) -> None:
    _reorder(sheet(source, "Portfolio"), [7, 3, 0, 1, 2, 4, 5, 6])
    _reorder(sheet(source, "Finance by Year"), [3, 2, 1, 0])
    result = read_workbook(make_workbook(source))
    assert result.errors == ()
    assert result.workbook is not None
    nges = next(p for p in result.workbook.portfolios if p.name == "NGES")
    assert nges.cashable_benefits == -69.9
    assert result.workbook.years[3].investment == 120


def test_extra_columns_are_ignored_with_a_warning(
    source: Source, make_workbook: MakeWorkbook
) -> None:
    fte = sheet(source, "FTE by Project")
    fte["columns"].append("Owner")
    for r in fte["rows"]:
        r.append("ACC Johnson")
    result = read_workbook(make_workbook(source))
    assert result.errors == ()
    assert [str(w) for w in result.warnings] == [
        "WARNING FTE by Project!D3: unknown column 'Owner' is ignored"
    ]
    assert result.workbook is not None


def test_header_text_variations_match(source: Source, make_workbook: MakeWorkbook) -> None:
    portfolio = sheet(source, "Portfolio")
    portfolio["columns"] = [
        "PORTFOLIO",
        "Capital (£m)",
        "Centrally\nManaged",
        "Non  Cashable Benefits",
        "cashable benefits",
        "Revenue - One Off Costs (£m)",
        "Revenue - Recurring Costs",
        "Total",
    ]
    assert read_workbook(make_workbook(source)).issues == ()


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


def test_sheet_names_in_another_case_or_with_spaces(
    source: Source, make_workbook: MakeWorkbook
) -> None:
    sheet(source, "FTE by Project")["name"] = " fte BY project "
    sheet(source, "Portfolio")["name"] = "PORTFOLIO"
    result = read_workbook(make_workbook(source))
    assert result.issues == ()
    assert result.workbook is not None
    assert result.workbook.sheets["fte"].name == " fte BY project "


def test_stray_cell_far_away_is_read_quickly(tmp_path: Path) -> None:
    path = tmp_path / "stray.xlsx"
    shutil.copy(SAMPLE_WORKBOOK, path)
    book = openpyxl.load_workbook(path)
    book["Portfolio"]["XFD1048576"] = "stray"
    book["Figures"]["XFD1048576"] = 1
    book.save(path)
    result = read_workbook(path)
    assert result.errors == ()
    assert result.workbook is not None and len(result.workbook.portfolios) == 11


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


def test_data_cut_off_by_a_blank_row_is_a_warning(
    source: Source, make_workbook: MakeWorkbook
) -> None:
    rows = sheet(source, "FTE by Project")["rows"]
    rows.insert(6, [None, None, None])
    result = read_workbook(make_workbook(source))
    assert any(
        "looks like data but comes after the end of the table" in str(w) for w in result.warnings
    )


def test_empty_optional_sheet_is_a_warning(source: Source, make_workbook: MakeWorkbook) -> None:
    sheet(source, "Comparisons")["rows"] = []
    result = read_workbook(make_workbook(source))
    assert result.errors == ()
    assert [w.severity for w in result.warnings] == [Severity.WARNING]
    assert "has no data rows" in str(result.warnings[0])


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
        [f"Big project {n}", 9e11, "Forecast"] for n in range(3)
    ]
    fte["total"][1] = None
    lines = [str(i) for i in read_workbook(make_workbook(source)).errors]
    assert len(lines) == 4
    assert all("too large for any deck to show" in line for line in lines)
    assert lines[-1].startswith("ERROR FTE by Project!B7:B9: the amounts in 'Grand Total' add up")
