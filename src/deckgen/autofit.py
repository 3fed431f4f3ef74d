"""The shrink a text body carries: `<a:normAutofit fontScale="..." lnSpcReduction="..."/>`.

PowerPoint draws a text whose box says normAutofit at `fontScale` of its size, its lines closer
by `lnSpcReduction`, as stored in the file; it works them out again only when someone edits the
text (a bare `<a:normAutofit/>` is 100% and 0% until then). So a stored shrink is what a reader
sees, and deckgen both measures with it (checks) and writes it where it shrinks a text whose
runs it must not resize (refresh). The values are read in both forms the schema allows:
thousandths of a percent ("62500") and percentage strings ("62.5%").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NORM_AUTOFIT = f"{{{A}}}normAutofit"
AUTOFIT_TAGS = frozenset({NORM_AUTOFIT, f"{{{A}}}noAutofit", f"{{{A}}}spAutoFit"})
PER_CENT = 1000  # the schema's percentages are thousandths of a percent
SMALLEST_SCALE = 0.01  # ST_TextFontScalePercent's least: 1000, that is 1%
MOST_REDUCTION = 0.8  # lines never closer than a fifth of single spacing
_PERCENT_STRING = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*%\s*")


@dataclass(frozen=True)
class Shrink:
    """Text drawn at `font_scale` of its size, its lines `line_reduction` (a share of each
    line's spacing, 0.2 is 20 points of percentage) closer than they say."""

    font_scale: float = 1.0
    line_reduction: float = 0.0

    @property
    def shrinks(self) -> bool:
        return self.font_scale < 1.0 or self.line_reduction > 0.0

    def size(self, points: float) -> float:
        """A run's size as drawn."""
        return points * self.font_scale

    def spacing(self, lines: float) -> float:
        """A line spacing given as a multiple of single spacing, as drawn."""
        return max(lines - self.line_reduction, lines * (1 - MOST_REDUCTION))

    def spacing_points(self, points: float) -> float:
        """A line spacing given in points, as drawn (reduced in proportion)."""
        return points * max(1.0 - self.line_reduction, 1 - MOST_REDUCTION)

    def attributes(self) -> dict[str, str]:
        """normAutofit's attributes in thousandths of a percent; none for no shrink."""
        found = {}
        if self.font_scale < 1.0:
            found["fontScale"] = str(_thousandths(self.font_scale))
        if self.line_reduction > 0.0:
            found["lnSpcReduction"] = str(_thousandths(self.line_reduction))
        return found


NO_SHRINK = Shrink()


def _thousandths(share: float) -> int:
    """A share as the schema writes it, rounded down: a shrink written is never less than the
    one measured."""
    return math.floor(share * 100 * PER_CENT + 1e-6)


def percentage(value: str | None, default: float) -> float:
    """A share from "62500" or "62.5%"; `default` when absent or unreadable."""
    if value is None:
        return default
    match = _PERCENT_STRING.fullmatch(value)
    try:
        number = float(match.group(1)) if match else int(value.strip()) / (100 * PER_CENT)
    except ValueError:
        return default
    if match:
        number /= 100
    return number if math.isfinite(number) else default


def read(body_pr: Any) -> Shrink:
    """The shrink a bodyPr stores (NO_SHRINK without normAutofit or without its attributes)."""
    if body_pr is None:
        return NO_SHRINK
    autofit = body_pr.find(NORM_AUTOFIT)
    if autofit is None:
        return NO_SHRINK
    scale = min(max(percentage(autofit.get("fontScale"), 1.0), SMALLEST_SCALE), 1.0)
    reduction = min(max(percentage(autofit.get("lnSpcReduction"), 0.0), 0.0), MOST_REDUCTION)
    return Shrink(scale, reduction)


def write(body_pr: Any, shrink: Shrink) -> None:
    """Make `body_pr` say normAutofit with `shrink`, in the place the schema gives it (after
    prstTxWarp, before scene3d and the rest), replacing any other autofit."""
    for child in list(body_pr):
        if child.tag in AUTOFIT_TAGS:
            body_pr.remove(child)
    element = body_pr.makeelement(NORM_AUTOFIT, shrink.attributes())
    warp = body_pr.find(f"{{{A}}}prstTxWarp")
    body_pr.insert(0 if warp is None else body_pr.index(warp) + 1, element)
