"""The policing context: one tile per driver, with its figure, direction and sentence."""

from __future__ import annotations

from deckgen import formatting
from deckgen.deckdef import SlideDef
from deckgen.design import TextStyle
from deckgen.slides.compose import compose
from deckgen.slides.context import BuildContext, RichText
from deckgen.slides.layout import Card, TextCard
from deckgen.slides.parts import driver_tile, para
from deckgen.specs import WORDS, FigureUse, Run, SlideSpec

TILES_PER_ROW = 3


def build(ctx: BuildContext, slide: SlideDef) -> list[SlideSpec]:
    rows: list[list[Card]] = []
    if slide.text("intro"):
        intro = para(ctx.text(slide.text("intro"), emphasise=True), TextStyle.BODY)
        rows.append([TextCard("Introduction", (intro,))])
    span = 12 // TILES_PER_ROW
    tiles: list[Card] = []
    for driver in ctx.model.drivers:
        shown = formatting.format_value(driver.figure, driver.unit)
        cell = ctx.model.cell("context", "figure", driver.row)
        use = FigureUse(
            shown,
            driver.figure,
            driver.unit,
            f"context[{driver.name}]",
            cell,
            citation=driver.source,
            context=driver.name,
        )
        statement = FigureUse(
            driver.statement,
            driver.statement,
            WORDS,
            f"context[{driver.name}].statement",
            ctx.model.cell("context", "statement", driver.row),
            citation=driver.source,
        )
        tiles.append(
            driver_tile(
                ctx,
                RichText((Run(driver.name),)),
                RichText((Run(shown),), (use,)),
                driver.up,
                RichText((Run(driver.statement),), (statement,)),
                span,
                driver.name,
            )
        )
    rows.extend(tiles[i : i + TILES_PER_ROW] for i in range(0, len(tiles), TILES_PER_ROW))
    return compose(ctx, slide, rows)
