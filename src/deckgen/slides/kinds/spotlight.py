"""A spotlight on one project: key figures, outcomes, a summary, headed blocks, a quote, a chart.

The content flows down the page in rows and continues on a "(cont.)" slide when it needs more
room, so nothing is cut however long the workbook's words and the definition's text are.
"""

from __future__ import annotations

from deckgen.deckdef import SlideDef
from deckgen.design import TextStyle
from deckgen.slides.chartdata import plan_chart
from deckgen.slides.compose import compose, content_page
from deckgen.slides.context import BuildContext
from deckgen.slides.kinds.chart import MIN_CHART_HEIGHT, chart_card
from deckgen.slides.layout import Card, Para, TextCard
from deckgen.slides.parts import (
    block_rows,
    key_figures,
    numbered,
    para,
    plain_para,
    quote_card,
    tile_rows,
)
from deckgen.specs import Emu, SlideSpec, inches

KEY_INFORMATION = "Key information"
KEY_OUTCOMES = "Key outcomes for the public"
TILES_PER_ROW = 4
BLOCKS_PER_ROW = 3
SUMMARY_SPAN = 7
CHART_SPAN = 7
CHART_HEIGHT = 3.3  # inches


def build(ctx: BuildContext, slide: SlideDef) -> list[SlideSpec]:
    rows: list[list[Card]] = []
    keys = key_figures(ctx, slide.data.get("figures", []))
    notes_lines = [k for k in keys if k.number is None]
    numbers = [k for k in keys if k.number is not None]
    heading = plain_para(KEY_INFORMATION, TextStyle.PANEL_HEADING)
    lines = tuple(Para(k.label.runs, TextStyle.LABEL, figures=k.label.figures) for k in notes_lines)
    rows.append([TextCard(KEY_INFORMATION, lines, heading=heading)])
    rows.extend(tile_rows(ctx, numbers, TILES_PER_ROW))
    summary = para(ctx.text(slide.text("summary"), emphasise=True), TextStyle.BODY)
    second: list[Card] = [TextCard("Summary", (summary,), span=SUMMARY_SPAN)]
    outcomes = slide.texts("outcomes")
    if outcomes:
        second.append(
            TextCard(
                KEY_OUTCOMES,
                numbered(ctx, outcomes),
                span=12 - SUMMARY_SPAN,
                heading=plain_para(KEY_OUTCOMES, TextStyle.PANEL_HEADING),
                panel=True,
                keep_together=True,
            )
        )
    rows.append(second)
    rows.extend(block_rows(ctx, slide.data.get("blocks", []), BLOCKS_PER_ROW))
    quote = slide.data.get("quote")
    chart = slide.data.get("chart")
    if chart:
        page, _, _ = content_page(ctx, slide)
        height = Emu(min(inches(CHART_HEIGHT), page.content.height))
        plan = plan_chart(ctx, chart, f"Chart: {ctx.plain(slide.text('title'))}")
        row: list[Card] = [
            chart_card(
                ctx, plan, str(chart.get("note", "")), CHART_SPAN, height, inches(MIN_CHART_HEIGHT)
            )
        ]
        if quote:
            row.append(quote_card(ctx, quote, 12 - CHART_SPAN))
            quote = None
        rows.append(row)
    if quote:
        rows.append([quote_card(ctx, quote)])
    return compose(ctx, slide, rows)
