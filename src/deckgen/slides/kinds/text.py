"""Words only: an optional intro and headed blocks of bullets, at most two side by side."""

from __future__ import annotations

from deckgen.deckdef import SlideDef
from deckgen.design import TextStyle
from deckgen.slides.compose import compose
from deckgen.slides.context import BuildContext
from deckgen.slides.layout import Card, TextCard
from deckgen.slides.parts import block_rows, para
from deckgen.specs import SlideSpec

BLOCKS_PER_ROW = 2


def build(ctx: BuildContext, slide: SlideDef) -> list[SlideSpec]:
    rows: list[list[Card]] = []
    if slide.text("intro"):
        intro = para(ctx.text(slide.text("intro"), emphasise=True), TextStyle.BODY)
        rows.append([TextCard("Introduction", (intro,))])
    rows.extend(block_rows(ctx, slide.data.get("blocks", []), BLOCKS_PER_ROW))
    return compose(ctx, slide, rows)
