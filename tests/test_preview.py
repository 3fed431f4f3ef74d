"""`deckgen preview`: each slide as a PNG plus a contact sheet, or what to install to get them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from deckgen.cli import cli
from deckgen.preview import preview
from tests.conftest import (
    ROOT,
    SAMPLE_WORKBOOK,
    build_cli,
    fontconfig_without_fonts,
    require_libreoffice,
)


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
@pytest.mark.slow  # LibreOffice draws all 32 slides (8 s); the next test previews two
def test_preview_draws_every_slide_and_a_contact_sheet(tmp_path: Path) -> None:
    require_libreoffice()
    deck = tmp_path / "wmp2020.pptx"
    build(deck)
    result = CliRunner().invoke(cli, ["preview", str(deck)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "wmp2020-preview"
    pictures = sorted(folder.glob("slide-*.png"))
    assert result.stdout == f"{folder}: {len(pictures)} slide pictures and contact-sheet.png\n"
    # each stage is announced as it starts, on stderr, so a long preview is not silent
    assert result.stderr.splitlines() == [
        "converting wmp2020.pptx to PDF with LibreOffice...",
        f"rasterising {len(pictures)} pages at 110 dpi...",
        f"laying out the contact sheet of {len(pictures)} slides...",
    ]
    assert len(pictures) > 30
    with Image.open(pictures[0]) as first:
        assert first.width > 1000 and abs(first.width / first.height - 16 / 9) < 0.01
    with Image.open(folder / "contact-sheet.png") as sheet:
        assert sheet.width > 4 * 300
    assert not list(folder.glob("*.pdf"))


@pytest.mark.render
def test_preview_draws_with_the_shipped_fonts_stage_by_stage_where_none_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a machine without Carlito the pictures still show Carlito, the font the build
    measured with; and each stage is reported before it runs, not all at the end."""
    require_libreoffice()
    pdffonts = shutil.which("pdffonts")
    assert pdffonts is not None  # poppler-utils, as pdfinfo
    deck = tmp_path / "deck.pptx"
    code, output = build_cli(SAMPLE_WORKBOOK, deck, "--slides", "roi,restructuring")
    assert code == 0, output
    monkeypatch.setenv("FONTCONFIG_FILE", str(fontconfig_without_fonts(tmp_path)))
    folder = tmp_path / "pictures"
    seen: list[tuple[str, int, bool]] = []
    drawn: set[str] = set()

    def report(stage: str) -> None:
        pictures = len(list(folder.glob("slide-*.png")))
        seen.append((stage.split()[0], pictures, (folder / "contact-sheet.png").exists()))
        pdf = folder / "deck.pdf"
        if pdf.exists():
            listing = subprocess.run(
                [pdffonts, str(pdf)], capture_output=True, text=True, timeout=60, check=True
            ).stdout
            drawn.update(line.split()[0].partition("+")[2] for line in listing.splitlines()[2:])

    result = preview(deck, folder, report=report)
    slides = len(result.slides)
    assert seen == [
        ("converting", 0, False),
        ("rasterising", 0, False),
        ("laying", slides, False),
    ]
    assert {"Carlito", "Carlito-Bold", "Carlito-Italic"} <= drawn, drawn
    assert not any(name.startswith("DejaVu") and "Math" not in name for name in drawn), drawn


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
