"""Opening a workbook: the sample reads clean; files that are not workbooks, damaged or hostile
ones are one clear line; formulas are read by the value Excel saved (workbook/reader.py)."""

from __future__ import annotations

import ast
import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from deckgen.errors import DeckgenError, WorkbookError
from deckgen.workbook.reader import read_workbook
from tests.conftest import ROOT, SAMPLE_WORKBOOK
from tests.workbooks import only_error

MakeWorkbook = Callable[..., Path]


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


def test_only_the_reader_imports_openpyxl() -> None:
    """Finding tables, reading cells and building the model work on what the reader opened."""
    importers = set()
    for path in (ROOT / "src" / "deckgen").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "openpyxl" not in text:
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            if any(name.split(".")[0] == "openpyxl" for name in names):
                importers.add(path.relative_to(ROOT / "src").as_posix())
    assert importers == {"deckgen/workbook/reader.py"}
