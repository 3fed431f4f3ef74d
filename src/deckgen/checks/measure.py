"""Measure paragraphs with real font metrics, the way the planner does (slides/layout.py).

The planner's para_height decides what fits when the deck is built; the gate must agree with
it on our own decks or one of them is wrong. So a paragraph is measured as the planner measures
it: wrapped as one string at its largest size, bold or italic when any run is, in the first
run's font, at the width left by the box's insets and the paragraph's margins, lines spaced by
the font's own line metrics times the line spacing, with the space before (and after) added.
That is conservative for a paragraph that mixes bold and regular text, never generous.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from deckgen.checks.textstyle import ParagraphStyle, Spacing
from deckgen.specs import EMU_PER_POINT, Emu
from deckgen.textmetrics import FALLBACK_FAMILY, Measurer

# Bounds that keep a hostile deck from costing minutes: each new family asks fontconfig once,
# and wrapping a paragraph costs more than linearly in its length (any paragraph this long
# overflows a slide long before its end).
MAX_FAMILIES = 32
MAX_MEASURED_CHARS = 10_000
MAX_REMEMBERED = 100_000  # texts whose widest word is kept, for a deck of any size


@dataclass(frozen=True)
class ParagraphFit:
    """How much room a paragraph takes, and the widest thing in it that cannot wrap."""

    height: float  # points, spacing included
    widest: str  # the widest word (wrapping) or line (not wrapping)
    widest_width: float  # points
    available: float  # points of width the text has


class TextMeasure:
    """Measures paragraphs, one Measurer per font family."""

    def __init__(self) -> None:
        self._measurers: dict[str, Measurer] = {}
        self._widest_found: dict[tuple[tuple[str, str, float, bool, bool], bool], tuple[str, float]]
        self._widest_found = {}

    def measurer(self, family: str) -> Measurer:
        if family not in self._measurers:
            if len(self._measurers) >= MAX_FAMILIES:
                family = FALLBACK_FAMILY
            self._measurers.setdefault(family, Measurer(family))
        return self._measurers[family]

    def paragraph(self, paragraph: ParagraphStyle, width: Emu, wrap: bool = True) -> ParagraphFit:
        """The height of `paragraph` in a text area `width` wide (insets already taken off)."""
        setting = self._setting(paragraph, width)
        lines = len(setting.wrapped()) if wrap else len(setting.text.split("\n"))
        widest, widest_width = self._widest(setting, wrap)
        return ParagraphFit(setting.height(lines), widest, widest_width, setting.available)

    def _widest(self, setting: _Setting, wrap: bool) -> tuple[str, float]:
        """The widest word (wrapping) or line (not wrapping) and its width, found once for
        each text in each font: a footer's words on every slide are measured on the first."""
        key = (setting.measurer.family, setting.text, setting.size, setting.bold, setting.italic)
        found = self._widest_found.get((key, wrap))
        if found is not None:
            return found
        pieces = setting.text.split() if wrap else setting.text.split("\n")
        widest, widest_width = "", 0.0
        for piece in pieces:
            piece_width = setting.measurer.width(piece, setting.size, setting.bold, setting.italic)
            if piece_width > widest_width:
                widest, widest_width = piece, piece_width
        if len(self._widest_found) < MAX_REMEMBERED:
            self._widest_found[(key, wrap)] = (widest, widest_width)
        return widest, widest_width

    def height(self, paragraph: ParagraphStyle, width: Emu) -> float:
        """Just the height of a wrapping paragraph (points), as `paragraph` gives it: a table
        cell's row grows to it, and its words need not be measured one by one."""
        setting = self._setting(paragraph, width)
        return setting.height(len(setting.wrapped()))

    def _setting(self, paragraph: ParagraphStyle, width: Emu) -> _Setting:
        runs = [r for r in paragraph.runs if r.text] or list(paragraph.runs)
        first_line = max(paragraph.indent, 0)
        margins = paragraph.margin_left + paragraph.margin_right + first_line
        return _Setting(
            paragraph=paragraph,
            measurer=self.measurer(runs[0].typeface),
            text=paragraph.text[:MAX_MEASURED_CHARS],
            size=max(r.size for r in runs),
            bold=any(r.bold for r in runs),
            italic=any(r.italic for r in runs),
            available=(width - margins) / EMU_PER_POINT,
        )


class _Setting(NamedTuple):
    """A paragraph as the planner sets it: one string, in one font at one size and weight."""

    paragraph: ParagraphStyle
    measurer: Measurer
    text: str
    size: float
    bold: bool
    italic: bool
    available: float  # points of width the text has

    def wrapped(self) -> list[str]:
        return self.measurer.wrap(
            self.text, self.available, self.size, bold=self.bold, italic=self.italic
        )

    def height(self, lines: int) -> float:
        """`lines` lines spaced as the paragraph says, with its space before and after."""
        line = _line_height(self.paragraph.line_spacing, self.measurer, self.size)
        before = _space(self.paragraph.space_before, self.measurer, self.size)
        after = _space(self.paragraph.space_after, self.measurer, self.size)
        return lines * line + before + after


def _line_height(spacing: Spacing, measurer: Measurer, size: float) -> float:
    if spacing.points is not None:
        return spacing.points
    return measurer.line_height(size, spacing.lines if spacing.lines is not None else 1.0)


def _space(spacing: Spacing, measurer: Measurer, size: float) -> float:
    if spacing.points is not None:
        return spacing.points
    return measurer.line_height(size, spacing.lines) if spacing.lines else 0.0
