"""Words only: an optional intro and headed blocks of bullets, at most two side by side.

A short text is set larger, up to 18 pt, rather than leave most of its slide empty; a single
block keeps a comfortable line length (nine of the twelve columns).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from deckgen.deckdef import SlideDef
from deckgen.design import TextStyle
from deckgen.slides.compose import compose, content_page
from deckgen.slides.context import BuildContext
from deckgen.slides.layout import Card, TextCard, flow
from deckgen.slides.parts import block_rows, para, sized
from deckgen.specs import SlideSpec

BLOCKS_PER_ROW = 2
SIZES = (18.0, 16.0, 14.0, 12.0)  # points, largest first: the largest that fits one slide
SINGLE_SPAN = 9  # grid columns of a block alone in its row


def build(ctx: BuildContext, slide: SlideDef) -> list[SlideSpec]:
    rows: list[list[TextCard]] = []
    if slide.text("intro"):
        intro = para(ctx.text(slide.text("intro"), emphasise=True), TextStyle.BODY)
        rows.append([TextCard("Introduction", (intro,))])
    for row in block_rows(ctx, slide.data.get("blocks", []), BLOCKS_PER_ROW):
        cards = [c for c in row if isinstance(c, TextCard)]
        rows.append([replace(cards[0], span=SINGLE_SPAN)] if len(cards) == 1 else cards)
    return compose(ctx, slide, fit_size(ctx, slide, rows))


def fit_size(
    ctx: BuildContext,
    slide: SlideDef,
    rows: Sequence[Sequence[TextCard]],
    reserved: Sequence[Sequence[Card]] = (),
) -> list[list[Card]]:
    """The rows at the largest size of SIZES at which they fit on one slide under `reserved`
    (rows above them that keep their size)."""
    page, _, _ = content_page(ctx, slide)
    for size in SIZES:
        trial: list[list[Card]] = [[sized(card, size) for card in row] for row in rows]
        pages = flow([*reserved, *trial], page, ctx.measurer)
        if len(pages) == 1 and not pages[0].overflow:
            return trial
    return [list(row) for row in rows]
