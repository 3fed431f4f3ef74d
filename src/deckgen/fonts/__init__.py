"""The fonts deckgen ships, so text is measured and drawn the same on every machine.

Office themes name Calibri, Cambria, Arial, Times New Roman or Courier New, which only Windows and
macOS have. Their metric-compatible twins (same advance widths, so lines break in the same places)
are free: Carlito, Caladea and Liberation Sans, Serif and Mono, under the SIL Open Font License
1.1 (LICENSE-*.txt here, from the Debian packages the files come from). deckgen measures text
with them whatever is installed, and hands them to LibreOffice and matplotlib for pictures.
README.md in this folder lists the files and their versions.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent

# What a theme may name -> the shipped family measured and drawn in its place.
SHIPPED: dict[str, str] = {
    "calibri": "Carlito",
    "carlito": "Carlito",
    "cambria": "Caladea",
    "caladea": "Caladea",
    "arial": "Liberation Sans",
    "helvetica": "Liberation Sans",
    "liberation sans": "Liberation Sans",
    "times new roman": "Liberation Serif",
    "times": "Liberation Serif",
    "liberation serif": "Liberation Serif",
    "courier new": "Liberation Mono",
    "courier": "Liberation Mono",
    "liberation mono": "Liberation Mono",
}
_STYLES = {
    (False, False): "Regular",
    (True, False): "Bold",
    (False, True): "Italic",
    (True, True): "BoldItalic",
}


def shipped_family(family: str) -> str | None:
    """The shipped family that stands for `family` (itself or its metric twin), if any."""
    return SHIPPED.get(family.strip().casefold())


def shipped_file(family: str, bold: bool = False, italic: bool = False) -> Path | None:
    """The shipped font file for `family` in that style, if deckgen ships the family."""
    shipped = shipped_family(family)
    if shipped is None:
        return None
    return FOLDER / f"{shipped.replace(' ', '')}-{_STYLES[(bold, italic)]}.ttf"


def font_files() -> tuple[Path, ...]:
    """Every shipped font file, in a fixed order."""
    return tuple(sorted(FOLDER.glob("*.ttf")))


def install_for_libreoffice(profile: Path) -> Path:
    """Put the shipped fonts in a LibreOffice profile's private font folder.

    LibreOffice loads every font in `<profile>/user/fonts` at start, for that profile only, and
    its own table stands Carlito in for Calibri and Caladea for Cambria: a render then draws what
    deckgen measured even where none of these fonts is installed. The files are copied, not
    linked, since LibreOffice writes into its profile.
    """
    folder = profile / "user" / "fonts"
    folder.mkdir(parents=True, exist_ok=True)
    for source in font_files():
        (folder / source.name).write_bytes(source.read_bytes())
    return folder


@cache
def register_with_matplotlib() -> None:
    """Make matplotlib draw the shipped families from the shipped files.

    matplotlib takes the first of equally good matches in its font list, so the shipped files go
    first: an installed copy of Carlito (perhaps another version) is never picked instead.
    """
    from matplotlib import font_manager

    fonts = font_manager.fontManager.ttflist
    before = len(fonts)
    for path in font_files():
        font_manager.fontManager.addfont(str(path))  # clears matplotlib's lookup cache
    added = fonts[before:]
    del fonts[before:]
    fonts[:0] = added
