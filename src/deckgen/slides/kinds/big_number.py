"""One figure made the hero (£1.15 per £1), with its supporting figures and words."""

from __future__ import annotations

from deckgen.deckdef import SlideDef
from deckgen.design import TextStyle
from deckgen.slides.compose import compose
from deckgen.slides.context import BuildContext
from deckgen.slides.layout import Card
from deckgen.slides.parts import block_card, figure_tile, key_figures
from deckgen.specs import SlideSpec

HERO_SPAN = 4


def build(ctx: BuildContext, slide: SlideDef) -> list[SlideSpec]:
    hero = key_figures(ctx, slide.data.get("hero", []))
    others = key_figures(ctx, slide.data.get("figures", []))
    top: list[Card] = [
        figure_tile(ctx, h, HERO_SPAN, "Headline figure", number_style=TextStyle.HERO_NUMBER)
        for h in hero[:1]
    ]
    if others:
        span = (12 - HERO_SPAN * len(top)) // len(others)
        top.extend(
            figure_tile(ctx, k, span, f"Key figure {n}") for n, k in enumerate(others, start=1)
        )
    rows: list[list[Card]] = [top]
    blocks = slide.data.get("blocks", [])
    if blocks:
        span = 12 // min(len(blocks), 3)
        rows.append([block_card(ctx, b, span, f"Block {n}") for n, b in enumerate(blocks, start=1)])
    return compose(ctx, slide, rows)
