"""`deckgen preview`: each slide as a PNG plus a contact sheet, or what to install to get them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from deckgen.cli import cli
from tests.conftest import ROOT, SAMPLE_WORKBOOK, require_libreoffice


def build(out: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "build",
            str(SAMPLE_WORKBOOK),
            "-o",
            str(out),
            "--template",
            str(ROOT / "layouts" / "template.pptx"),
            "--deck",
            str(ROOT / "layouts" / "wmp2020.yaml"),
        ],
    )
    assert result.exit_code == 0, result.output


@pytest.mark.render
def test_preview_draws_every_slide_and_a_contact_sheet(tmp_path: Path) -> None:
    require_libreoffice()
    deck = tmp_path / "wmp2020.pptx"
    build(deck)
    result = CliRunner().invoke(cli, ["preview", str(deck)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "wmp2020-preview"
    pictures = sorted(folder.glob("slide-*.png"))
    assert result.output == f"{folder}: {len(pictures)} slide pictures and contact-sheet.png\n"
    assert len(pictures) > 30
    with Image.open(pictures[0]) as first:
        assert first.width > 1000 and abs(first.width / first.height - 16 / 9) < 0.01
    with Image.open(folder / "contact-sheet.png") as sheet:
        assert sheet.width > 4 * 300
    assert not list(folder.glob("*.pdf"))


def test_preview_without_libreoffice_names_the_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = tmp_path / "wmp2020.pptx"
    build(deck)
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))
    result = CliRunner().invoke(cli, ["preview", str(deck)])
    assert result.exit_code == 2
    assert "apt-get install -y libreoffice-impress poppler-utils" in result.output
    assert "Traceback" not in result.output
