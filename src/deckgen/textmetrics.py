"""Measure text with real font metrics, so the build knows what fits before PowerPoint draws it.

PowerPoint does not shrink text until someone edits it, and LibreOffice hides overflow that
PowerPoint shows, so neither can be trusted to tell. Text is measured with the fonts deckgen ships
(fonts/: Carlito for Calibri, Caladea for Cambria, Liberation Sans, Serif and Mono for Arial, Times
New Roman and Courier New), whatever the machine has installed, so a deck lays out the same
everywhere. Only a family deckgen does not ship is looked up on the machine (fontconfig), and
failing that measured with DejaVu Sans, which is wider than most and so errs on the side of space;
`font_note` says so for the build summary.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache
from pathlib import Path

from deckgen.fontfile import FontFile, FontFileError, LineMetrics, is_font_file, open_font
from deckgen.fonts import SHIPPED, shipped_family, shipped_file

# Metric-compatible stand-ins: same advance widths, so line breaks fall in the same places.
METRIC_TWINS = {name: family for name, family in SHIPPED.items() if name != family.casefold()}
FALLBACK_FAMILY = "DejaVu Sans"
WRAP_CACHE = 100_000  # paragraphs whose lines are kept (a 1,000-slide deck wraps tens of thousands)
ADVANCE_CACHE = 250_000  # strings whose width is kept (a 1,000-slide deck measures ~100,000)
SAFETY = 1.015  # PowerPoint and deckgen round advance widths differently: keep 1.5% spare


class Source(Enum):
    """Where the font a family is measured with comes from."""

    SHIPPED = "shipped"  # files that come with deckgen (or matplotlib): the same everywhere
    INSTALLED = "installed"  # the family itself, found by fontconfig on this machine
    FALLBACK = "fallback"  # neither: DejaVu Sans stands in


@dataclass(frozen=True)
class FontFace:
    family: str  # the family measured with (may be a stand-in)
    path: Path
    exact: bool  # the requested family itself, or its metric twin
    source: Source = Source.SHIPPED
    index: int = 0  # the face within a font collection (.ttc)


@cache
def find_face(family: str, bold: bool = False, italic: bool = False) -> FontFace:
    """Return the font file to measure `family` with: shipped, else installed, else DejaVu Sans."""
    path = shipped_file(family, bold, italic)
    if path is not None:
        return FontFace(shipped_family(family) or family, path, True, Source.SHIPPED)
    if family.strip().casefold() == FALLBACK_FAMILY.casefold():
        return FontFace(FALLBACK_FAMILY, _dejavu(bold, italic), True, Source.SHIPPED)
    found = _fc_match(family, bold, italic)
    if found is not None:
        return FontFace(family, found[0], True, Source.INSTALLED, found[1])
    return FontFace(FALLBACK_FAMILY, _dejavu(bold, italic), False, Source.FALLBACK)


def font_note(families: Iterable[str]) -> str | None:
    """One line for the build summary when a template's font is not one deckgen ships, or None.

    Such a family is measured with this machine's copy, or approximated with DejaVu Sans, so
    the same deck may lay out differently elsewhere.
    """
    approximated, installed = [], []
    for family in dict.fromkeys(families):
        face = find_face(family)
        if face.source is Source.FALLBACK:
            approximated.append(repr(family))
        elif face.source is Source.INSTALLED:
            installed.append(repr(family))
    parts = []
    if approximated:
        parts.append(
            f"{' and '.join(approximated)} approximated with {FALLBACK_FAMILY} (not shipped "
            "with deckgen, not installed here)"
        )
    if installed:
        parts.append(f"{' and '.join(installed)} measured with this machine's copy")
    if not parts:
        return None
    return (
        f"fonts: {'; '.join(parts)}, so another machine may lay the deck out differently; "
        "Calibri, Cambria, Arial, Times New Roman and Courier New lay out the same everywhere"
    )


def _fc_match(family: str, bold: bool, italic: bool) -> tuple[Path, int] | None:
    """Ask fontconfig for `family`; None unless it really has that family (not a substitute)
    in a file deckgen can read."""
    if shutil.which("fc-match") is None:
        return None
    style = ":bold" if bold else ""
    style += ":italic" if italic else ""
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{family}\t%{index}\t%{file}", f"{family}{style}"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    families, _, rest = out.partition("\t")
    index, _, file = rest.partition("\t")
    names = {n.strip().casefold() for n in families.split(",")}
    if family.strip().casefold() not in names or not file or not is_font_file(Path(file)):
        return None
    try:
        open_font(Path(file), int(index or 0))
    except (FontFileError, ValueError, OSError):
        return None
    return Path(file), int(index or 0)


def _dejavu(bold: bool, italic: bool) -> Path:
    """DejaVu Sans as shipped with matplotlib (a dependency), found without importing it.

    matplotlib's copy rather than the system's, so every machine measures with the same file.
    """
    suffix = {
        (False, False): "",
        (True, False): "-Bold",
        (False, True): "-Oblique",
        (True, True): "-BoldOblique",
    }
    name = f"DejaVuSans{suffix[(bold, italic)]}.ttf"
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        raise RuntimeError("no font to measure text with: install matplotlib")
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / name


def font_file(face: FontFace) -> FontFile:
    """The parsed font file of `face`."""
    return open_font(face.path, face.index)


@cache
def line_metrics(path: Path) -> LineMetrics:
    """The font's own line metrics (see fontfile.FontFile.line_metrics)."""
    return open_font(path).line_metrics()


_SPACE = re.compile(r"(\s+)")


class Measurer:
    """Measures and wraps text in one font family. All lengths in points."""

    def __init__(self, family: str) -> None:
        self.family = family

    def face(self, bold: bool = False, italic: bool = False) -> FontFace:
        return find_face(self.family, bold, italic)

    def width(self, text: str, size: float, bold: bool = False, italic: bool = False) -> float:
        """Advance width of `text` on one line, kerned."""
        return _advance(font_file(self.face(bold, italic)), text) * size * SAFETY

    def line_height(self, size: float, spacing: float = 1.0) -> float:
        """Distance between baselines, as PowerPoint spaces lines at `spacing` x single."""
        return font_file(self.face()).line_metrics().single * size * spacing

    def wrap(
        self, text: str, width: float, size: float, bold: bool = False, italic: bool = False
    ) -> list[str]:
        """Break `text` into lines no wider than `width`, at spaces, as PowerPoint does.

        A word wider than the line is broken between characters, as PowerPoint breaks it.
        Each answer is remembered (see `_wrapped`).
        """
        return list(_wrapped(self.family, text, width, size, bold, italic))

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


@lru_cache(maxsize=WRAP_CACHE)
def _wrapped(
    family: str, text: str, width: float, size: float, bold: bool, italic: bool
) -> tuple[str, ...]:
    """The lines of `text` wrapped in `family` at `width`, asked once per process.

    The planner wraps the same text at the same width several times while it tries layouts,
    and the quality gate measures every box the planner placed again, as it is written in the
    deck: each finds the planner's answer here. A box the planner did not place, or one whose
    text, width, size or weight is not what the planner measured, is a new question and is
    measured afresh, so the gate checks as much as it did.
    """
    measurer = Measurer(family)
    lines: list[str] = []
    for hard_line in text.split("\n"):
        lines.extend(measurer._wrap_line(hard_line, width, size, bold, italic))
    return tuple(lines)


@lru_cache(maxsize=ADVANCE_CACHE)  # bounded: a long batch of builds measures many strings
def _advance(font: FontFile, text: str) -> float:
    return font.width(text)
