"""Shared test helpers: real workbooks built from the sample source, changed a cell at a time."""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from deckgen.cli import cli
from deckgen.sample.writer import load_source, write_sample

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLE_WORKBOOK = ROOT / "inputs" / "wmp2020.xlsx"

# A source that names one cell, "Sheet!B5": what tests check against the workbook itself.
CELL_SOURCE = re.compile(r"^(?P<sheet>[^!]+)!(?P<cell>[A-Z]+\d+)$")
TEMPLATE = ROOT / "layouts" / "template.pptx"
DECK = ROOT / "layouts" / "wmp2020.yaml"

Source = dict[str, Any]

# Builds in tests write their review page with each slide's text: drawing every slide with
# LibreOffice costs seconds a build. The tests of the pictures turn them on themselves.
os.environ.setdefault("DECKGEN_REVIEW_PICTURES", "0")


def run_cli(*args: str) -> tuple[int, str]:
    """Run a deckgen command in-process: its exit code and output. A traceback fails the test;
    an exception other than the command's exit is raised, so a bug shows as itself."""
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output, result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def build_args(workbook: Path, out: Path, *extra: str) -> list[str]:
    """`deckgen build` of `workbook` into `out` with the repository's template and deck."""
    paths = ["-o", str(out), "--template", str(TEMPLATE), "--deck", str(DECK)]
    return ["build", str(workbook), *paths, *extra]


def build_cli(workbook: Path, out: Path, *extra: str) -> tuple[int, str]:
    """Build a deck through the command line, as a user would; its exit code and output."""
    return run_cli(*build_args(workbook, out, *extra))


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


EMPTY_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


def fontconfig_without_fonts(folder: Path) -> Path:
    """A fontconfig file that knows no font: as FONTCONFIG_FILE, a machine with none installed."""
    conf = folder / "fonts.conf"
    conf.write_text(EMPTY_FONTS_CONF.format(cache=folder / "fc-cache"), encoding="utf-8")
    return conf


def require_libreoffice() -> None:
    """Skip a render test where LibreOffice is missing, unless CI says it must run."""
    from deckgen.libreoffice import RendererMissingError, require_tools

    try:
        require_tools()
    except RendererMissingError as exc:
        if os.environ.get("DECKGEN_REQUIRE_RENDER") == "1":
            pytest.fail(f"DECKGEN_REQUIRE_RENDER=1 but {exc.format_message()}")
        pytest.skip(exc.format_message())
