"""LibreOffice renders the sample deck: one page per slide, in both chart engines."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

from deckgen.cli import cli
from deckgen.libreoffice import page_count, to_pdf
from tests.conftest import ROOT, SAMPLE_WORKBOOK, require_libreoffice

pytestmark = pytest.mark.render


@pytest.mark.parametrize("engine", ["native", "image"])
def test_sample_deck_renders_one_page_per_slide(tmp_path: Path, engine: str) -> None:
    require_libreoffice()
    deck = tmp_path / "wmp2020.pptx"
    result = CliRunner().invoke(
        cli,
        [
            "build",
            str(SAMPLE_WORKBOOK),
            "-o",
            str(deck),
            "--chart-engine",
            engine,
            "--template",
            str(ROOT / "layouts" / "template.pptx"),
            "--deck",
            str(ROOT / "layouts" / "wmp2020.yaml"),
        ],
    )
    assert result.exit_code == 0, result.output
    pdf = to_pdf(deck, tmp_path / "pdf")
    slides = len(Presentation(str(deck)).slides)
    assert slides > 30
    assert page_count(pdf) == slides
