"""Words only: an optional intro and headed blocks of bullets, two blocks side by side."""

from __future__ import annotations

from deckgen.deckdef import SlideDef
from deckgen.design import TextStyle
from deckgen.slides.compose import compose
from deckgen.slides.context import BuildContext
from deckgen.slides.layout import Card, TextCard
from deckgen.slides.parts import block_card, para
from deckgen.specs import SlideSpec


def build(ctx: BuildContext, slide: SlideDef) -> list[SlideSpec]:
    rows: list[list[Card]] = []
    if slide.text("intro"):
        intro = para(ctx.text(slide.text("intro"), emphasise=True), TextStyle.BODY)
        rows.append([TextCard("Introduction", (intro,))])
    blocks = slide.data.get("blocks", [])
    per_row = 2 if len(blocks) == 2 else 1
    span = 12 // per_row
    for start in range(0, len(blocks), per_row):
        pair = blocks[start : start + per_row]
        rows.append(
            [block_card(ctx, b, span, f"Block {start + n}") for n, b in enumerate(pair, start=1)]
        )
    return compose(ctx, slide, rows)
