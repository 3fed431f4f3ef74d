"""Text from the workbook reaches the charts' embedded workbooks as text: never a formula or a
link, whatever it looks like (PowerPoint's Edit Data opens these workbooks in Excel)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation

from deckgen.chartbook import chart_workbook
from deckgen.refresh.charts import chart_data
from tests.conftest import Source, build_cli, row_of, sheet

MakeWorkbook = Callable[..., Path]

# Each would be a live formula, a DDE call or a link if written with XlsxWriter's write().
HOSTILE_PROJECTS = {
    "EER - CJS": "=cmd|' /C calc'!A0",
    "EER - FCID": '=HYPERLINK("http://a.b","x")',
    "EER - LOMU": "http://evil.example/x",
    "WMP2020 - CJS Review": "{=1+1}",
    "WMP2020 - Smarter Responding": "mailto:a@evil.example",
}
HOSTILE_PORTFOLIOS = {
    "Closed": "=1+2",
    "ESMCP": "https://evil.example/y",
    "Estates Strategy": "external:c:\\evil.xlsx",
}


def embedded_workbooks(deck: Path) -> Iterator[tuple[str, openpyxl.Workbook]]:
    """Every chart's embedded workbook in `deck`, opened with openpyxl (formulas kept)."""
    with zipfile.ZipFile(deck) as package:
        for name in package.namelist():
            if name.startswith("ppt/embeddings/") and name.endswith(".xlsx"):
                data = package.read(name)
                yield name, openpyxl.load_workbook(io.BytesIO(data), data_only=False)


def text_only(deck: Path) -> set[str]:
    """Assert no formula and no hyperlink in any embedded workbook of `deck`; return the
    strings its cells hold."""
    found: set[str] = set()
    live: list[str] = []
    books = 0
    for name, book in embedded_workbooks(deck):
        books += 1
        for ws in book.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    where = f"{deck.name} {name}!{cell.coordinate} {cell.value!r}"
                    if cell.data_type == "f":
                        live.append(f"{where} is a formula")
                    if cell.hyperlink is not None:
                        live.append(f"{where} is a link")
                    if isinstance(cell.value, str) and cell.data_type == "s":
                        found.add(cell.value)
    assert books, f"{deck.name} has no embedded workbooks"
    assert not live, "\n".join(live)
    return found


@pytest.fixture
def hostile(source: Source, make_workbook: MakeWorkbook) -> Path:
    for old, new in HOSTILE_PROJECTS.items():
        row_of(source, "FTE by Project", old)[0] = new
    for old, new in HOSTILE_PORTFOLIOS.items():
        row_of(source, "Portfolio", old)[0] = new
    return make_workbook(source, "hostile.xlsx")


def test_cell_text_is_never_a_formula_or_link_in_a_charts_workbook(
    hostile: Path, tmp_path: Path
) -> None:
    out = tmp_path / "deck.pptx"
    code, output = build_cli(hostile, out, "--split")
    assert code == 0, output
    hostile = set(HOSTILE_PROJECTS.values()) | set(HOSTILE_PORTFOLIOS.values())
    assert hostile <= text_only(out)  # there, as plain strings
    pieces = [p for p in (tmp_path / "deck").glob("*.pptx") if any(embedded_workbooks(p))]
    assert hostile <= set().union(*(text_only(piece) for piece in pieces))


def test_the_pictures_engine_embeds_no_workbook(hostile: Path, tmp_path: Path) -> None:
    """Charts drawn as pictures carry their data in the notes, as text: nothing to evaluate."""
    out = tmp_path / "pictures.pptx"
    code, output = build_cli(hostile, out, "--chart-engine", "image")
    assert code == 0, output
    assert not list(embedded_workbooks(out))


def test_the_sample_figures_stay_numbers(source: Source, make_workbook: MakeWorkbook) -> None:
    """Guarding text does not turn numbers into text: values stay numeric cells."""
    sheet(source, "FTE by Project")  # the sample as it is
    deck = make_workbook(source).with_name("sample.pptx")
    code, output = build_cli(make_workbook(source), deck)
    assert code == 0, output
    numbers = 0
    for _, book in embedded_workbooks(deck):
        for row in book.worksheets[0].iter_rows(min_row=2, min_col=2):
            numbers += sum(isinstance(cell.value, int | float) for cell in row)
            assert all(cell.data_type in ("n", "s") for cell in row if cell.value is not None)
    assert numbers > 20


def test_a_refreshed_charts_workbook_is_laid_out_as_a_built_ones(
    hostile: Path, tmp_path: Path
) -> None:
    """A refresh writes each chart's workbook again from the data the chart caches: every part
    of it is the part the build embedded (sheet, cells, formats, column widths), hostile text
    included; only the date it says it was made may differ."""
    out = tmp_path / "deck.pptx"
    code, output = build_cli(hostile, out)
    assert code == 0, output
    charts = [
        shape.chart
        for slide in Presentation(str(out)).slides
        for shape in slide.shapes
        if shape.has_chart
    ]
    assert len(charts) >= 5
    for chart in charts:
        built = chart.part.chart_workbook.xlsx_part.blob
        categories, columns = chart_data(chart._chartSpace)
        rewritten = chart_workbook(categories, columns, created=datetime(2020, 1, 1))
        with zipfile.ZipFile(io.BytesIO(built)) as a, zipfile.ZipFile(io.BytesIO(rewritten)) as b:
            assert sorted(a.namelist()) == sorted(b.namelist())
            for name in a.namelist():
                if name != "docProps/core.xml":
                    assert a.read(name) == b.read(name), (chart.part.partname, name)


def test_chart_workbook_text_is_never_a_formula_or_a_link() -> None:
    data = chart_workbook(
        ["=1+2", "https://example.org", "FY19/20"],
        [('=HYPERLINK("x")', [1.0, None, 3.0], '"£"#,##0"m"')],
        created=datetime(2020, 1, 1),
    )
    sheet_ = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet_.title == "Sheet1"
    assert sheet_["A2"].value == "=1+2" and sheet_["A2"].data_type == "s"
    assert sheet_["B1"].value == '=HYPERLINK("x")' and sheet_["B1"].data_type == "s"
    assert sheet_["A3"].hyperlink is None
    assert sheet_["B3"].value is None and sheet_["B4"].value == 3
    assert sheet_["B2"].number_format == '"£"#,##0"m"'
