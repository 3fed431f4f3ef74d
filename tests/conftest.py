"""Shared test helpers: real workbooks built from the sample source, changed a cell at a time."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from deckgen.sample.writer import load_source, write_sample

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLE_WORKBOOK = ROOT / "inputs" / "wmp2020.xlsx"

Source = dict[str, Any]


def sheet(source: Source, name: str) -> dict[str, Any]:
    """Return the sheet called `name` in a sample source."""
    return next(s for s in source["sheets"] if s["name"] == name)


def row_of(source: Source, name: str, key: str) -> list[Any]:
    """Return the data row of sheet `name` whose first cell is `key`."""
    return next(r for r in sheet(source, name)["rows"] if r[0] == key)


def data_row_number(source: Source, name: str, index: int) -> int:
    """Return the spreadsheet row number of data row `index` (0-based) as the writer lays it out."""
    s = sheet(source, name)
    header = 3 + (1 if s.get("units") else 0)  # title, [units], blank, header
    return header + 1 + index


@pytest.fixture
def source() -> Source:
    """A fresh, editable copy of the sample workbook's source."""
    return copy.deepcopy(load_source())


@pytest.fixture
def make_workbook(tmp_path: Path) -> Callable[..., Path]:
    """Write a workbook from a (changed) sample source and return its path."""

    def make(src: Source, name: str = "book.xlsx") -> Path:
        return write_sample(tmp_path / name, src)

    return make


def require_libreoffice() -> None:
    """Skip a render test where LibreOffice is missing, unless CI says it must run."""
    from deckgen.libreoffice import RendererMissingError, require_tools

    try:
        require_tools()
    except RendererMissingError as exc:
        if os.environ.get("DECKGEN_REQUIRE_RENDER") == "1":
            pytest.fail(f"DECKGEN_REQUIRE_RENDER=1 but {exc.format_message()}")
        pytest.skip(exc.format_message())
