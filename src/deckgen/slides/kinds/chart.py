"""A chart with its message: key figures above, the chart filling the page, words beside it."""

from __future__ import annotations

from deckgen.deckdef import SlideDef
from deckgen.design import GRID, TextStyle
from deckgen.slides.chartdata import ChartPlan, plan_chart
from deckgen.slides.compose import compose, content_page
from deckgen.slides.context import BuildContext
from deckgen.slides.layout import Card, FixedCard, Para, para_height, to_paragraph
from deckgen.slides.parts import blocks_card, key_figures, para, tile_rows
from deckgen.specs import Box, Emu, Shape, SlideSpec, TextSpec, inches

TILES_PER_ROW = 4
CHART_SPAN_WITH_TEXT = 7
MIN_CHART_HEIGHT = 2.4  # inches: below this a chart moves to the next slide


def build(ctx: BuildContext, slide: SlideDef) -> list[SlideSpec]:
    page, _, _ = content_page(ctx, slide)
    rows: list[list[Card]] = []
    used = 0
    keys = key_figures(ctx, slide.data.get("figures", []))
    for tiles in tile_rows(ctx, keys, TILES_PER_ROW):
        rows.append(tiles)
        used += max(t.measure(page.span_width(t.span), ctx.measurer) for t in tiles)
        used += inches(GRID.block_gap)
    blocks = slide.data.get("blocks", [])
    span = CHART_SPAN_WITH_TEXT if blocks else 12
    plan = plan_chart(ctx, slide.data["chart"], f"Chart: {ctx.plain(slide.text('title'))}")
    height = Emu(max(page.content.height - used, inches(MIN_CHART_HEIGHT)))
    row: list[Card] = [chart_card(ctx, plan, slide.text("note"), span, height)]
    if blocks:
        row.append(blocks_card(ctx, blocks, 12 - span, "Key points"))
    rows.append(row)
    return compose(ctx, slide, rows)


def chart_card(
    ctx: BuildContext,
    plan: ChartPlan,
    note: str,
    span: int,
    height: Emu,
    minimum: Emu | None = None,
) -> Card:
    """A chart of fixed height, with an optional one-line key under it (what hatching means)."""
    note_para: Para | None = None
    if note:
        note_para = para(ctx.text(note), TextStyle.FOOTNOTE)

    def draw(box: Box) -> list[Shape]:
        if note_para is None:
            return [plan.at(box)]
        note_height = Emu(
            para_height(note_para, Emu(box.width - 2 * inches(GRID.text_inset)), ctx.measurer)
            + 2 * inches(GRID.text_inset_y)
        )
        chart_box = Box(box.left, box.top, box.width, Emu(box.height - note_height))
        note_box = Box(box.left, chart_box.bottom, box.width, note_height)
        return [
            plan.at(chart_box),
            TextSpec("Chart key", note_box, (to_paragraph(note_para),)),
        ]

    uses = plan.figures + (note_para.figures if note_para else ())
    return FixedCard(plan.spec.name, height, draw, span, uses, minimum=minimum)
