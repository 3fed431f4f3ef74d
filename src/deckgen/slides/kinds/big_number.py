"""One figure made the hero (£1.15 per £1), with its supporting figures and words."""

from __future__ import annotations

from deckgen.deckdef import SlideDef
from deckgen.design import TextStyle
from deckgen.slides.compose import compose
from deckgen.slides.context import BuildContext
from deckgen.slides.kinds.text import fit_size
from deckgen.slides.layout import Card, TextCard, spans
from deckgen.slides.parts import block_rows, figure_tile, key_figures
from deckgen.specs import SlideSpec

HERO_SPAN = 3
BLOCKS_PER_ROW = 3


def build(ctx: BuildContext, slide: SlideDef) -> list[SlideSpec]:
    hero = key_figures(ctx, slide.data.get("hero", []))
    others = key_figures(ctx, slide.data.get("figures", []))
    top: list[Card] = [
        figure_tile(ctx, h, HERO_SPAN, "Headline figure", number_style=TextStyle.HERO_NUMBER)
        for h in hero[:1]
    ]
    if others:
        widths = spans(len(others), 12 - HERO_SPAN * len(top))
        top.extend(
            figure_tile(ctx, k, w, f"Key figure {n}")
            for n, (k, w) in enumerate(zip(others, widths, strict=True), start=1)
        )
    blocks = [
        [c for c in row if isinstance(c, TextCard)]
        for row in block_rows(ctx, slide.data.get("blocks", []), BLOCKS_PER_ROW)
    ]
    return compose(ctx, slide, [top, *fit_size(ctx, slide, blocks, reserved=[top])])
