"""Measure text with real font metrics, so the build knows what fits before PowerPoint draws it.

PowerPoint does not shrink text until someone edits it, and LibreOffice hides overflow that
PowerPoint shows, so neither can be trusted to tell. Text is measured with the theme's font, or a
metric-compatible one found on the machine (Carlito for Calibri, Liberation Sans for Arial), else
with DejaVu Sans, which is wider than either and so errs on the side of space.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import struct
import subprocess
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

# Metric-compatible stand-ins: same advance widths, so line breaks fall in the same places.
METRIC_TWINS = {
    "calibri": "Carlito",
    "arial": "Liberation Sans",
    "helvetica": "Liberation Sans",
    "times new roman": "Liberation Serif",
    "cambria": "Caladea",
    "courier new": "Liberation Mono",
}
FALLBACK_FAMILY = "DejaVu Sans"
_REFERENCE_SIZE = 200  # measure at a large size and scale, for sub-point precision
ADVANCE_CACHE = 250_000  # strings whose width is kept (a 1,000-slide deck measures ~100,000)
SAFETY = 1.015  # PowerPoint and Pillow round advance widths differently: keep 1.5% spare


@dataclass(frozen=True)
class FontFace:
    family: str  # the family measured with (may be a stand-in)
    path: Path
    exact: bool  # the requested family itself, or its metric twin


@cache
def find_face(family: str, bold: bool = False, italic: bool = False) -> FontFace:
    """Return the font file to measure `family` with, preferring exact or metric-twin fonts."""
    wanted = [family]
    twin = METRIC_TWINS.get(family.casefold())
    if twin:
        wanted.append(twin)
    for name in wanted:
        path = _fc_match(name, bold, italic)
        if path is not None:
            return FontFace(name, path, True)
    return FontFace(FALLBACK_FAMILY, _dejavu(bold, italic), False)


def _fc_match(family: str, bold: bool, italic: bool) -> Path | None:
    """Ask fontconfig for `family`; None unless it really has that family (not a substitute)."""
    if shutil.which("fc-match") is None:
        return None
    style = ":bold" if bold else ""
    style += ":italic" if italic else ""
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{family}\t%{file}", f"{family}{style}"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    families, _, file = out.partition("\t")
    names = {n.strip().casefold() for n in families.split(",")}
    if family.casefold() in names and file and Path(file).exists():
        return Path(file)
    return None


def _dejavu(bold: bool, italic: bool) -> Path:
    """DejaVu Sans as shipped with matplotlib (found without importing matplotlib)."""
    suffix = {
        (False, False): "",
        (True, False): "-Bold",
        (False, True): "-Oblique",
        (True, True): "-BoldOblique",
    }
    name = f"DejaVuSans{suffix[(bold, italic)]}.ttf"
    system = Path("/usr/share/fonts/truetype/dejavu") / name
    if system.exists():
        return system
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        raise RuntimeError("no font to measure text with: install fonts-dejavu or matplotlib")
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / name


@cache
def _font(path: Path) -> Any:
    from PIL import ImageFont

    return ImageFont.truetype(str(path), _REFERENCE_SIZE)


@dataclass(frozen=True)
class LineMetrics:
    """Vertical metrics of a face, as fractions of the font size."""

    ascent: float
    descent: float
    gap: float

    @property
    def single(self) -> float:
        """Height of one line at single spacing, as a multiple of the font size."""
        return self.ascent + self.descent + self.gap


@cache
def line_metrics(path: Path) -> LineMetrics:
    """Read the font's own line metrics (hhea with line gap, or OS/2 win metrics if larger).

    Office spaces single lines by these, about 1.2 x the size for Calibri, not by the glyphs'
    ascent and descent alone.
    """
    tables = _tables(path)
    units = struct.unpack(">H", tables["head"][18:20])[0]
    ascender, descender, gap = struct.unpack(">hhh", tables["hhea"][4:10])
    hhea = (ascender - descender + gap) / units
    os2 = tables.get("OS/2", b"")
    if len(os2) >= 78:
        win_ascent, win_descent = struct.unpack(">HH", os2[74:78])
        if (win_ascent + win_descent) / units > hhea:
            return LineMetrics(win_ascent / units, win_descent / units, 0.0)
    return LineMetrics(ascender / units, -descender / units, gap / units)


def _tables(path: Path) -> dict[str, bytes]:
    """Return the raw tables of a TrueType/OpenType file by tag."""
    data = path.read_bytes()
    count = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * i : 28 + 16 * i])
        tables[tag.decode("latin-1")] = data[offset : offset + length]
    return tables


_SPACE = re.compile(r"(\s+)")


class Measurer:
    """Measures and wraps text in one font family. All lengths in points."""

    def __init__(self, family: str) -> None:
        self.family = family

    def face(self, bold: bool = False, italic: bool = False) -> FontFace:
        return find_face(self.family, bold, italic)

    def width(self, text: str, size: float, bold: bool = False, italic: bool = False) -> float:
        """Advance width of `text` on one line."""
        return _advance(self.face(bold, italic).path, text) * size / _REFERENCE_SIZE * SAFETY

    def line_height(self, size: float, spacing: float = 1.0) -> float:
        """Distance between baselines, as PowerPoint spaces lines at `spacing` x single."""
        return line_metrics(self.face().path).single * size * spacing

    def wrap(
        self, text: str, width: float, size: float, bold: bool = False, italic: bool = False
    ) -> list[str]:
        """Break `text` into lines no wider than `width`, at spaces, as PowerPoint does.

        A word wider than the line is broken between characters, as PowerPoint breaks it.
        """
        lines: list[str] = []
        for hard_line in text.split("\n"):
            lines.extend(self._wrap_line(hard_line, width, size, bold, italic))
        return lines

    def _wrap_line(
        self, text: str, width: float, size: float, bold: bool, italic: bool
    ) -> list[str]:
        words = text.split()
        if not words:
            return [""]
        whole = " ".join(words)
        if self.width(whole, size, bold, italic) <= width:
            return [whole]  # most lines fit: one measurement instead of one per word
        lines: list[str] = []
        current = ""
        for word in words:
            candidate = f"{current} {word}" if current else word
            if self.width(candidate, size, bold, italic) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = word
            while self.width(current, size, bold, italic) > width and len(current) > 1:
                cut = self._fit_chars(current, width, size, bold, italic)
                lines.append(current[:cut])
                current = current[cut:]
        lines.append(current)
        return lines

    def _fit_chars(self, word: str, width: float, size: float, bold: bool, italic: bool) -> int:
        cut = 1
        while cut < len(word) and self.width(word[: cut + 1], size, bold, italic) <= width:
            cut += 1
        return cut

    def longest_word(self, text: str, size: float, bold: bool = False) -> float:
        """Width of the widest single word: a box narrower than this must break a word."""
        return max((self.width(w, size, bold) for w in text.split()), default=0.0)


@lru_cache(maxsize=ADVANCE_CACHE)  # bounded: a long batch of builds measures many strings
def _advance(path: Path, text: str) -> float:
    return float(_font(path).getlength(text))
