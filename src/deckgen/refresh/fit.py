"""A refreshed text that no longer fits its box is shrunk as PowerPoint would shrink it.

Next quarter's figures are longer ("FY24/25" becomes "FY25/26", £118m becomes £205m) and a box
the text filled may no longer hold it. Refresh must not leave a talk worse than it found it, and
must not touch the runs the user formatted, so the shrink is written where PowerPoint keeps it,
on the box: `<a:normAutofit fontScale="..." lnSpcReduction="..."/>` (deckgen.autofit). It is
worked out with the check's own measurement, in the shape's actual box, fonts and insets as the
talk has them: the largest font scale, in whole percents, at which the text fits, never taking
a run below the least size its role allows (a title's style minimum, body text's 12 pt); then,
at that least size, lines up to 20% closer. A text that does not fit even so is shrunk as far
as it goes and reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from deckgen import identity
from deckgen.autofit import NO_SHRINK, Shrink
from deckgen.checks.deck import load_deck
from deckgen.checks.measure import TextMeasure
from deckgen.checks.overflow import BoxFit, box_fit
from deckgen.checks.shapes import ShapeView, slide_shapes
from deckgen.checks.slidetext import SlideText
from deckgen.checks.textstyle import ParagraphStyle, StyleChains
from deckgen.design import STYLES, TextStyle
from deckgen.opc import open_package_bytes
from deckgen.specs import EMU_PER_INCH

SCALE_STEP = 0.01  # font scales tried: whole percents
LINE_REDUCTIONS = (0.1, 0.2)  # then lines closer, as PowerPoint brings them closer
# The least size (points) a run of each role may be shrunk to: its deck style's minimum.
FLOORS = {
    identity.TITLE: min(
        STYLES[s].minimum for s in (TextStyle.TITLE, TextStyle.COVER_TITLE, TextStyle.SECTION_TITLE)
    ),
    identity.SUBTITLE: STYLES[TextStyle.COVER_SUBTITLE].minimum,
    identity.FOOTER: STYLES[TextStyle.FOOTER].minimum,
}
BODY_FLOOR = STYLES[TextStyle.BODY].minimum  # text boxes: body and bullets' minimum


@dataclass(frozen=True)
class Wanted:
    """A text refresh changed, to fit: where it is (slide part, shape id) and its role."""

    part: str
    shape_id: str
    role: str


@dataclass(frozen=True)
class Fitted:
    """What a changed text needs: the shrink to write (None when it fits as it is), and, when
    even the least size allowed does not fit, how much it needs and has."""

    wanted: Wanted
    shrink: Shrink | None
    problem: str = ""


def fit_texts(data: bytes, name: str, wanted: Iterable[Wanted]) -> list[Fitted]:
    """Measure each wanted text in the talk `data` as the check measures it, and work out the
    shrink it needs."""
    by_part: dict[str, dict[str, Wanted]] = {}
    for item in wanted:
        by_part.setdefault(item.part, {})[item.shape_id] = item
    found: list[Fitted] = []
    measure, chains = TextMeasure(), StyleChains()
    with open_package_bytes(data, name) as package:
        deck = load_deck(package)
        for ref in deck.slides:
            shapes = by_part.get(ref.part)
            slide = deck.load(ref) if shapes else None
            if slide is None or not shapes:
                continue
            text = SlideText(deck, slide, chains)
            for view in slide_shapes(slide):
                one = shapes.get(_shape_id(view))
                if one is None or view.kind != "sp":
                    continue
                fitted = _fit(one, view, text.shape_paragraphs(view), measure)
                if fitted is not None:
                    found.append(fitted)
    return found


def _shape_id(view: ShapeView) -> str:
    holder = view.non_visual
    return str(holder.get("id") or "") if holder is not None else ""


def _fit(
    item: Wanted, view: ShapeView, paragraphs: list[ParagraphStyle], measure: TextMeasure
) -> Fitted | None:
    """The shrink a text needs to fit its box; None when it fits as it stands."""
    stored = box_fit(view, paragraphs, measure)
    if stored is None or stored.fits:
        return None
    least = _least_scale(paragraphs, FLOORS.get(item.role, BODY_FLOOR))
    scale = 1.0 - SCALE_STEP
    shrink = NO_SHRINK
    while scale >= least - 1e-9:
        shrink = Shrink(round(scale, 2))
        if _fits(view, paragraphs, measure, shrink):
            return Fitted(item, shrink)
        scale -= SCALE_STEP
    shrink = Shrink(least) if least < 1.0 else NO_SHRINK
    for reduction in LINE_REDUCTIONS:
        closer = Shrink(shrink.font_scale, reduction)
        if _fits(view, paragraphs, measure, closer):
            return Fitted(item, closer)
    closest = Shrink(shrink.font_scale, LINE_REDUCTIONS[-1])
    fit = box_fit(view, paragraphs, measure, closest)
    return Fitted(item, closest, _problem(fit, paragraphs, closest))


def _least_scale(paragraphs: list[ParagraphStyle], floor: float) -> float:
    """The smallest font scale that keeps every run at `floor` points or its own size, if that
    is smaller: such a run cannot shrink at all."""
    sizes = [run.size for p in paragraphs for run in p.runs if run.text.strip() and run.size > 0]
    if not sizes:
        return 1.0
    least = max(min(floor, size) / size for size in sizes)
    return min(max(least, SCALE_STEP), 1.0)


def _fits(
    view: ShapeView, paragraphs: list[ParagraphStyle], measure: TextMeasure, shrink: Shrink
) -> bool:
    fit = box_fit(view, paragraphs, measure, shrink)
    return fit is not None and fit.fits


def _problem(fit: BoxFit | None, paragraphs: list[ParagraphStyle], shrink: Shrink) -> str:
    smallest = min((r.size for p in paragraphs for r in p.runs if r.text.strip()), default=0.0)
    at = f"{shrink.size(smallest):g} pt, lines {shrink.line_reduction:.0%} closer"
    if fit is not None and fit.too_tall:
        needs = f"needs {fit.needed / EMU_PER_INCH:.1f} in at {at}; the box has "
        needs += f"{fit.height / EMU_PER_INCH:.1f} in"
    else:
        needs = f"has a word too wide for the box at {at}"
    return (
        f"the refreshed text does not fit its box even at the least size allowed ({needs}); "
        "it is shrunk that far: enlarge the box or shorten the text"
    )
