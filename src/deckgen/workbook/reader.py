"""Read a workbook that follows the contract into a typed model, with every issue found.

The only module that imports openpyxl: it opens the file, read-only and bounded, and turns
whatever a damaged file raises into one clear line. The reading itself never stops at the first
problem and never guesses: tables.py finds each sheet's table, cells.py reads each cell by its
column's contract, assemble.py builds the model and checks what spans rows and sheets. Each
problem is an Issue naming its sheet and cell, and the model is only returned when there are
no errors.
"""

from __future__ import annotations

import sys
import traceback
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any
from xml.etree.ElementTree import ParseError

from lxml.etree import XMLSyntaxError

from deckgen.archive import ZIP_ERRORS, detail
from deckgen.errors import DeckgenError, Issue, Severity, WorkbookError
from deckgen.model import Workbook
from deckgen.workbook import schema
from deckgen.workbook.archive import check_archive
from deckgen.workbook.assemble import Assembler
from deckgen.workbook.cells import Report
from deckgen.workbook.tables import TableReader


def _import_openpyxl() -> Any:
    """openpyxl, imported without numpy.

    openpyxl looks for numpy only to accept numpy numbers in cells it writes; deckgen only
    reads, and importing numpy as well doubles openpyxl's import (about 0.08 s of every build).
    None in sys.modules makes that one `import numpy` fail as if numpy were not installed; the
    entry goes at once, so matplotlib (the image engine) imports numpy as usual afterwards.
    """
    if "openpyxl" in sys.modules or "numpy" in sys.modules:
        import openpyxl as module

        return module
    sys.modules["numpy"] = None  # type: ignore[assignment]
    try:
        import openpyxl as module
    finally:
        if sys.modules.get("numpy", False) is None:
            del sys.modules["numpy"]
    return module


openpyxl = _import_openpyxl()

from openpyxl.utils.exceptions import InvalidFileException  # noqa: E402


def require_defusedxml() -> None:
    """Refuse to read any workbook unless openpyxl parses XML through defusedxml."""
    if not openpyxl.DEFUSEDXML:
        raise DeckgenError(
            "openpyxl is not using defusedxml, so hostile workbooks could exhaust memory; "
            "install defusedxml (pip install defusedxml) and unset OPENPYXL_DEFUSEDXML"
        )


@dataclass(frozen=True)
class ReadResult:
    """What the reader found: the model (None when there are errors) and every issue."""

    path: str
    workbook: Workbook | None
    issues: tuple[Issue, ...]
    counts: Mapping[str, int]

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.WARNING)


def read_workbook(path: str | Path) -> ReadResult:
    """Read `path`; raise WorkbookError when it is not a readable .xlsx at all."""
    require_defusedxml()
    file_path = Path(path)
    has_formulas = check_archive(file_path)
    try:
        formulas: dict[str, set[str]] = {}
        if has_formulas:
            formulas = _formula_cells(file_path)
        with _opened(file_path, data_only=True) as book:
            return _read(str(path), book, formulas)
    except DAMAGED as exc:
        raise WorkbookError(
            str(path), f"the workbook is damaged and cannot be read ({detail(exc)})"
        ) from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        if not _raised_by_parser(exc):
            raise  # our own bug: let it show its traceback
        raise WorkbookError(
            str(path),
            f"the workbook is damaged and cannot be read ({type(exc).__name__}: {detail(exc)})",
        ) from None


def _raised_by_parser(exc: BaseException) -> bool:
    """Whether an exception came from inside openpyxl or the XML parser (a damaged file)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and any(
        part in frames[-1].filename
        for part in ("/openpyxl/", "/xml/", "/defusedxml/", "/et_xmlfile/")
    )


# What a damaged part raises while it is read, after the archive checks passed.
DAMAGED = (
    *ZIP_ERRORS,
    EOFError,
    ParseError,
    XMLSyntaxError,
    NotImplementedError,
)


@contextmanager
def _opened(path: Path, data_only: bool) -> Iterator[Any]:
    """Open a workbook read-only; the file is closed afterwards even if openpyxl fails.

    openpyxl leaves its zip open when loading fails half-way, so the file handle is ours.
    """
    with path.open("rb") as handle:
        try:
            with warnings.catch_warnings():
                # openpyxl warns about workbook features it does not read (data validation,
                # conditional formatting); none of them matter for the figures.
                warnings.simplefilter("ignore")
                book = openpyxl.load_workbook(
                    handle, read_only=True, data_only=data_only, keep_links=False
                )
        except InvalidFileException as exc:
            raise WorkbookError(str(path), f"not an .xlsx workbook ({detail(exc)})") from None
        except (*DAMAGED, KeyError, ValueError) as exc:
            raise WorkbookError(
                str(path), f"the workbook is damaged and cannot be read ({detail(exc)})"
            ) from None
        try:
            yield book
        finally:
            book.close()


def _formula_cells(path: Path) -> dict[str, set[str]]:
    """Return, per sheet title, the coordinates of formula cells within the bounds read."""
    found: dict[str, set[str]] = {}
    with _opened(path, data_only=False) as book:
        for ws in book.worksheets:
            cells: set[str] = set()
            blank_run = 0
            most = schema.HEADER_SEARCH_ROWS + schema.MAX_DATA_ROWS + schema.TRAILING_ROWS_CHECKED
            for index, row in enumerate(ws.iter_rows(max_col=schema.MAX_COLUMNS), start=1):
                if index > most + 2:
                    break  # beyond anything the table reader will look at
                if not any(c.value is not None for c in row):
                    blank_run += 1
                    if blank_run > schema.TRAILING_ROWS_CHECKED + schema.HEADER_SEARCH_ROWS:
                        break
                    continue
                blank_run = 0
                for c in row:
                    if getattr(c, "data_type", None) == "f":
                        cells.add(c.coordinate)
            found[ws.title] = cells
    return found


def _read(path: str, book: Any, formulas: Mapping[str, set[str]]) -> ReadResult:
    """Find the tables, then build the model from them, collecting every issue on the way."""
    report = Report()
    tables = TableReader(report, formulas).read(book)
    model, counts = Assembler(path, report).build(tables)
    return ReadResult(path, model, tuple(report.issues), MappingProxyType(counts))
