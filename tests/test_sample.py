"""The committed sample workbook is exactly what its readable source says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from deckgen.sample.writer import write_sample
from tests.conftest import SAMPLE_WORKBOOK


def cells(path: Path) -> dict[str, list[tuple[str, Any, str]]]:
    book = openpyxl.load_workbook(path)
    try:
        return {
            ws.title: [
                (c.coordinate, c.value, c.number_format)
                for row in ws.iter_rows()
                for c in row
                if c.value is not None
            ]
            for ws in book.worksheets
        }
    finally:
        book.close()


def test_committed_workbook_matches_its_source(tmp_path: Path) -> None:
    fresh = write_sample(tmp_path / "fresh.xlsx")
    committed, regenerated = cells(SAMPLE_WORKBOOK), cells(fresh)
    assert list(committed) == list(regenerated)
    for name in committed:
        assert committed[name] == regenerated[name], (
            f"sheet {name!r} of inputs/wmp2020.xlsx differs from src/deckgen/sample/wmp2020.yaml;"
            " run `deckgen sample` to regenerate it"
        )


def test_workbook_is_kept_as_a_person_keeps_one() -> None:
    book = openpyxl.load_workbook(SAMPLE_WORKBOOK)
    portfolio = book["Portfolio"]
    assert portfolio["A1"].value == "WMP2020 Cost & Benefit Summary 19/20 to 24/25"
    assert portfolio["A2"].value == "£m"
    assert portfolio["B5"].number_format == "0.0"
    assert portfolio.freeze_panes == "B5"
    assert portfolio["A4"].font.bold
    assert portfolio.column_dimensions["A"].width > 20
    finance = book["Finance by Year"]
    notes = [c.value for row in finance.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(n.startswith("Illustrative split") for n in notes)
