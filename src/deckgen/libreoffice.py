"""Render a deck with LibreOffice (headless) to PDF, and count what it drew.

LibreOffice's exit code says nothing (it exits 0 when a file cannot be loaded), so success is
judged by the PDF: it must exist and have one page per slide. Each run gets its own profile
folder, since runs sharing one fail under concurrency, and a timeout. The profile carries the
fonts deckgen measures with (deckgen/fonts), so the pictures show the line breaks the build
planned even on a machine without Carlito.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from deckgen.errors import DeckgenError
from deckgen.fonts import install_for_libreoffice

PACKAGES = "libreoffice-impress poppler-utils"  # the fonts come with deckgen
INSTALL_HINT = f"install them with: apt-get install -y {PACKAGES}"
DEFAULT_TIMEOUT = 300  # seconds


class RendererMissingError(DeckgenError):
    """LibreOffice or poppler is not installed."""


def require_tools() -> tuple[str, str]:
    """Return the paths of soffice and pdfinfo, or say which packages to install."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdfinfo = shutil.which("pdfinfo")
    if soffice is None or pdfinfo is None:
        missing = "LibreOffice (soffice)" if soffice is None else "poppler (pdfinfo)"
        raise RendererMissingError(f"{missing} is not installed; {INSTALL_HINT}")
    return soffice, pdfinfo


def slide_count(deck: Path) -> int:
    """Count the slides of a .pptx from its parts, without opening it in python-pptx."""
    with zipfile.ZipFile(deck) as archive:
        return sum(
            1
            for name in archive.namelist()
            if name.startswith("ppt/slides/slide") and name.endswith(".xml")
        )


def page_count(pdf: Path) -> int:
    _, pdfinfo = require_tools()
    info = subprocess.run(
        [pdfinfo, str(pdf)], capture_output=True, text=True, timeout=60, check=False
    )
    for line in info.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise DeckgenError(f"{pdf}: LibreOffice wrote a PDF that cannot be read")


def to_pdf(deck: Path, out_dir: Path, timeout: int = DEFAULT_TIMEOUT) -> Path:
    """Convert `deck` to PDF in `out_dir`; raise unless it has one page per slide."""
    soffice, _ = require_tools()
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf = out_dir / f"{deck.stem}.pdf"
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="deckgen-lo-") as profile:
        install_for_libreoffice(Path(profile))
        try:
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation={Path(profile).as_uri()}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(out_dir),
                    str(deck),
                ],
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise DeckgenError(f"{deck}: LibreOffice took more than {timeout} s; stopped") from None
    if not pdf.exists() or pdf.stat().st_size == 0:
        raise DeckgenError(f"{deck}: LibreOffice could not render the deck (no PDF was written)")
    pages, slides = page_count(pdf), slide_count(deck)
    if pages != slides:
        raise DeckgenError(f"{deck}: LibreOffice rendered {pages} pages for {slides} slides")
    return pdf
