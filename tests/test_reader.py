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

from deckgen.errors import DeckgenError, Severity, WorkbookError
from deckgen.workbook.reader import read_workbook
from tests.conftest import SAMPLE_WORKBOOK, Source, data_row_number, row_of, sheet

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


def test_very_long_text_is_accepted(source: Source, make_workbook: MakeWorkbook) -> None:
    long_name = "Portfolio with a very long name " * 60
    row_of(source, "Portfolio", "POD")[0] = long_name
    statement = row_of(source, "Context", "Budget Cuts")
    statement[4] = statement[4] + " More detail." * 200
    result = read_workbook(make_workbook(source))
    assert result.errors == ()
    assert result.workbook is not None
    assert result.workbook.portfolios[9].name == long_name.strip()


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
