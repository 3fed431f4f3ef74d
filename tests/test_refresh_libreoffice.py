"""What LibreOffice keeps of a reused shape's id, and refresh on a talk LibreOffice saved.

Measured here, on the LibreOffice installed (7.4 when this was written): a talk saved again by
LibreOffice (`soffice --convert-to pptx`) loses every tag and every extension, and the names of
placeholders, but keeps the names of the other shapes, so the id mark at the end of a shape's
name is the carrier that survives. docs/reuse.md records the finding.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation

from deckgen import identity
from deckgen.libreoffice import page_count, require_tools, to_pdf
from deckgen.sample.writer import load_source, write_sample
from tests.conftest import DECK, TEMPLATE, require_libreoffice
from tests.conftest import run_cli as run
from tests.talk import assemble, changed

pytestmark = [pytest.mark.render, pytest.mark.slow]
SLIDES = "roi,yearly,fte-table"


def build(workbook: Path, out: Path, *extra: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    args = [
        "build",
        str(workbook),
        "-o",
        str(out),
        "--template",
        str(TEMPLATE),
        "--deck",
        str(DECK),
    ]
    code, text = run(*args, "--slides", SLIDES, *extra)
    assert code == 0, text


def resave(deck: Path, folder: Path) -> Path:
    """The deck opened and saved as .pptx by LibreOffice."""
    soffice, _ = require_tools()
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-") as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pptx",
                "--outdir",
                str(folder),
                str(deck),
            ],
            check=False,
            capture_output=True,
            timeout=300,
            env={**os.environ, "HOME": profile},
        )
    saved = folder / deck.name
    assert saved.exists(), "LibreOffice wrote nothing"
    return saved


def test_libreoffice_keeps_shape_names_and_refresh_finds_them(tmp_path: Path) -> None:
    require_libreoffice()
    source = load_source()
    old, new = tmp_path / "q1" / "wmp2020.pptx", tmp_path / "q2" / "wmp2020.pptx"
    build(write_sample(tmp_path / "q1.xlsx", source), old, "--split")
    build(write_sample(tmp_path / "q2.xlsx", changed(source)), new)
    (tmp_path / "talk").mkdir()
    talk = assemble(old, tmp_path / "talk")
    saved = resave(talk, tmp_path / "libreoffice")

    # What survived: the names of shapes that are not placeholders, and nothing else.
    with zipfile.ZipFile(saved) as archive:
        slides = {n: archive.read(n) for n in archive.namelist() if n.startswith("ppt/slides/s")}
        assert not [n for n in archive.namelist() if n.startswith("ppt/tags/")]
        assert not [n for n in archive.namelist() if n.startswith("ppt/embeddings/")]
    assert not any(
        b"custDataLst" in data or identity.EXT_URI.encode() in data for data in slides.values()
    )
    names = [s.name for slide in Presentation(str(saved)).slides for s in slide.shapes]
    kept = {identity.name_mark(n)[1] for n in names if identity.name_mark(n)}
    assert {"roi/text1", "roi/text4", "yearly/chart1", "fte-table/table1"} <= kept
    assert not any(k.endswith(("/title", "/footer")) for k in kept)  # placeholders renamed
    frames = [s for slide in Presentation(str(saved)).slides for s in slide.shapes]
    assert not any(s._element.xpath("string(.//p:cNvPr/@descr)") for s in frames)  # alt text

    # Without its record, a figure's old value is taken from the previous build's manifest,
    # kept in the history beside the deck.
    history = new.with_name("wmp2020.history")
    history.mkdir()
    shutil.copy(old.with_name("wmp2020.manifest.json"), history / "2019-07-31.manifest.json")
    out = tmp_path / "refreshed.pptx"
    code, output = run("refresh", str(saved), "--from", str(new), "-o", str(out))
    assert code == 1, output
    assert "'Key figure 1': £778m → £811m: rewritten by hand" in output
    roi = Presentation(str(out)).slides[2]
    shown = {
        identity.unmarked_name(s.name): s.text_frame.text for s in roi.shapes if s.has_text_frame
    }
    assert shown["Key figure 3"].startswith("£205m")
    assert "£1.25 of benefits by FY25/26" in roi.shapes.title.text_frame.text
    table = next(s for s in Presentation(str(out)).slides[4].shapes if s.has_table).table
    assert [c.text for c in table.rows[2].cells][:2] == ["TS1", "340"]
    # The chart got a workbook again (LibreOffice dropped it), so Edit Data works.
    chart = next(s for s in Presentation(str(out)).slides[3].shapes if s.has_chart).chart
    assert chart.part.chart_workbook.xlsx_part is not None

    # Both refreshed talks open in LibreOffice, every slide drawn.
    assert page_count(to_pdf(out, tmp_path / "pdf")) == 5
    refreshed = tmp_path / "refreshed-powerpoint.pptx"
    code, output = run("refresh", str(talk), "--from", str(new), "-o", str(refreshed))
    assert code == 1, output
    assert page_count(to_pdf(refreshed, tmp_path / "pdf2")) == 5
