"""Pictures of a deck as a user sees it: every slide as a PNG, and one contact sheet.

LibreOffice draws the slides (see libreoffice.py for why its exit code is not trusted), with
the fonts deckgen measured with; poppler's pdftoppm turns the pages into PNGs; Pillow lays out
the contact sheet. Each stage is announced as it starts: together they take tens of seconds.
"""

from __future__ import annotations

import math
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from deckgen.errors import DeckgenError
from deckgen.libreoffice import INSTALL_HINT, RendererMissingError, slide_count, to_pdf

SLIDE_DPI = 110  # about 1,470 x 825 pixels for a 16:9 slide: readable, and small on disk
SHEET_COLUMNS = 4
SHEET_TILE_WIDTH = 400  # pixels per slide on the contact sheet
SHEET_GAP = 12
SHEET_BACKGROUND = (233, 236, 240)


@dataclass(frozen=True)
class Preview:
    folder: Path
    slides: tuple[Path, ...]
    contact_sheet: Path


def _quiet(line: str) -> None:
    pass


def preview(
    deck: Path, out_dir: Path, dpi: int = SLIDE_DPI, report: Callable[[str], None] = _quiet
) -> Preview:
    """Render every slide of `deck` to `out_dir` as slide-NN.png, plus contact-sheet.png.

    `report` hears of each stage as it starts (the command line prints them).
    """
    pictures = slide_pictures(deck, out_dir, dpi, report)
    report(f"laying out the contact sheet of {len(pictures)} slides")
    sheet = contact_sheet(pictures, out_dir / "contact-sheet.png")
    return Preview(out_dir, pictures, sheet)


def slide_pictures(
    deck: Path, out_dir: Path, dpi: int = SLIDE_DPI, report: Callable[[str], None] = _quiet
) -> tuple[Path, ...]:
    """Render every slide of `deck` to `out_dir` as slide-NN.png, in slide order."""
    if not deck.exists():
        raise DeckgenError(f"{deck}: no such deck")
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise RendererMissingError(f"poppler (pdftoppm) is not installed; {INSTALL_HINT}")
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("slide-*.png"):
        old.unlink()
    report(f"converting {deck.name} to PDF with LibreOffice")
    pdf = to_pdf(deck, out_dir)
    report(f"rasterising {slide_count(deck)} pages at {dpi} dpi")
    result = subprocess.run(
        [pdftoppm, "-r", str(dpi), "-png", str(pdf), str(out_dir / "slide")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    pdf.unlink(missing_ok=True)
    # pdftoppm pads the page number to the width of the last one: slide-01 ... slide-45
    pictures = tuple(sorted(out_dir.glob("slide-*.png"), key=lambda p: int(p.stem.split("-")[-1])))
    if result.returncode != 0 or not pictures:
        raise DeckgenError(f"{deck}: pdftoppm could not draw the pages ({result.stderr.strip()})")
    return pictures


def contact_sheet(pictures: tuple[Path, ...], out: Path) -> Path:
    """Lay slide pictures out in a grid, in order, on one PNG."""
    from PIL import Image

    with Image.open(pictures[0]) as first:
        ratio = first.height / first.width
    tile_w = SHEET_TILE_WIDTH
    tile_h = round(tile_w * ratio)
    columns = min(SHEET_COLUMNS, len(pictures))
    rows = math.ceil(len(pictures) / columns)
    sheet = Image.new(
        "RGB",
        (columns * (tile_w + SHEET_GAP) + SHEET_GAP, rows * (tile_h + SHEET_GAP) + SHEET_GAP),
        SHEET_BACKGROUND,
    )
    for index, path in enumerate(pictures):
        with Image.open(path) as picture:
            tile = picture.convert("RGB").resize((tile_w, tile_h), Image.Resampling.LANCZOS)
        x = SHEET_GAP + (index % columns) * (tile_w + SHEET_GAP)
        y = SHEET_GAP + (index // columns) * (tile_h + SHEET_GAP)
        sheet.paste(tile, (x, y))
    sheet.save(out, optimize=True)
    return out
