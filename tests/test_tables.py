"""Finding each table by the contract: sheets by name, the header row, columns by header text,
the rows down to a blank or Total row (workbook/tables.py), on real workbooks."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl

from deckgen.errors import Severity
from deckgen.workbook.reader import read_workbook
from tests.conftest import SAMPLE_WORKBOOK, Source, sheet
from tests.workbooks import only_error

MakeWorkbook = Callable[..., Path]


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
