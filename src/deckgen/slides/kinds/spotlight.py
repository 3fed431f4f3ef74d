"""A spotlight on one project, on one slide as in the report: a key-information panel down the
left (key figures, then the outcomes for the public) and, beside it, the summary, the headed
blocks of bullets side by side, an optional chart and the quote.

The right-hand side is a stack of rows. When a spotlight holds more than one slide can (a longer
spotlight in another workbook), it continues on a "(cont.)" slide: the break falls where both
slides are about equally full, a block cut in two repeats its heading, and what continues
spreads across the whole width.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from deckgen.deckdef import SlideDef
from deckgen.design import GRID, STYLES, TextStyle
from deckgen.slides.chartdata import plan_chart
from deckgen.slides.compose import compose, content_page
from deckgen.slides.context import BuildContext
from deckgen.slides.kinds.chart import chart_card
from deckgen.slides.layout import Card, Page, Para, StackCard, TextCard, balanced_rows
from deckgen.slides.parts import (
    KeyFigure,
    block_card,
    figure_row,
    fit_number,
    key_figures,
    numbered,
    para,
    plain_para,
    quote_card,
)
from deckgen.specs import Emu, SlideSpec, inches, points

KEY_INFORMATION = "Key information"
KEY_OUTCOMES = "Key outcomes for the public"
KEY_SPAN = 4  # grid columns of the key-information panel
NUMBER_SHARE = 0.55  # of the panel's width, at most, for the key figures' numbers
PANEL_GAP = 0.06  # inches between the rows of the key-information panel
BLOCKS_PER_ROW = 3
QUOTE_SPAN = 3  # grid columns of the quote beside a spotlight's chart
CHART_HEIGHT = 2.2  # inches: a spotlight's chart at its preferred height
CHART_MINIMUM = 1.8  # inches: it may shrink to this before moving to a continuation slide


def build(ctx: BuildContext, slide: SlideDef) -> list[SlideSpec]:
    page, _, _ = content_page(ctx, slide, footnote=False)
    keys = key_figures(ctx, slide.data.get("figures", []))
    footnote = para(ctx.text(slide.text("footnote")), TextStyle.FOOTNOTE)
    panel = key_panel(ctx, page, keys, slide.texts("outcomes"), footnote)
    span = 12 - KEY_SPAN
    summary = para(ctx.text(slide.text("summary"), emphasise=True), TextStyle.BODY)
    rows: list[tuple[Card, ...]] = [(TextCard("Summary", (summary,), span=span),)]
    rows.extend(_block_rows(ctx, slide.data.get("blocks", [])))
    quote = slide.data.get("quote")
    last: list[Card] = []
    chart = slide.data.get("chart")
    if chart:
        plan = plan_chart(ctx, chart, f"Chart: {ctx.plain(slide.text('title'))}")
        note = str(chart.get("note", ""))
        width = span - QUOTE_SPAN if quote else span
        height, minimum = inches(CHART_HEIGHT), inches(CHART_MINIMUM)
        last.append(chart_card(ctx, plan, note, width, height, minimum))
    if quote:
        last.append(quote_card(ctx, quote, span - sum(c.span for c in last)))
    if last:
        rows.append(tuple(last))
    stack = StackCard("Spotlight", tuple(rows), page, ctx.measurer, span=span)
    return compose(ctx, slide, [[panel, stack]], footnote=False)


def key_panel(
    ctx: BuildContext,
    page: Page,
    keys: Sequence[KeyFigure],
    outcomes: Sequence[str],
    footnote: Para,
) -> StackCard:
    """The left-hand panel: key information (lines of text, then each figure large beside its
    label, the numbers lined up), the numbered outcomes for the public, and the footnote on
    the figures, as in the report."""
    lines = tuple(
        Para(k.label.runs, TextStyle.LABEL, figures=k.label.figures)
        for k in keys
        if k.number is None
    )
    heading = plain_para(KEY_INFORMATION, TextStyle.PANEL_HEADING)
    rows: list[tuple[Card, ...]] = [(TextCard("Key information", lines, KEY_SPAN, heading),)]
    numbers = [k for k in keys if k.number is not None]
    inner = Emu(page.span_width(KEY_SPAN) - 2 * inches(GRID.panel_padding))
    most = Emu(int(inner * NUMBER_SHARE) - 2 * inches(GRID.text_inset))
    size = min(
        (
            fit_number(ctx.measurer, k.number.plain, TextStyle.KEY_FIGURE, most)
            for k in numbers
            if k.number is not None
        ),
        default=STYLES[TextStyle.KEY_FIGURE].size,
    )
    widest = max(
        (
            ctx.measurer.width(k.number.plain, size, bold=True)
            for k in numbers
            if k.number is not None
        ),
        default=0.0,
    )
    width = Emu(min(points(widest) + 1, most))
    rows.extend(
        (figure_row(ctx, k, width, size, KEY_SPAN, f"Key figure {n}"),)
        for n, k in enumerate(numbers, start=1)
    )
    if outcomes:
        outcome_heading = plain_para(KEY_OUTCOMES, TextStyle.PANEL_HEADING)
        rows.append((TextCard(KEY_OUTCOMES, numbered(ctx, outcomes), KEY_SPAN, outcome_heading),))
    if footnote.text:
        rows.append((TextCard("Footnote", (footnote,), KEY_SPAN),))
    return StackCard(
        KEY_INFORMATION,
        tuple(rows),
        page,
        ctx.measurer,
        span=KEY_SPAN,
        stretch=True,
        panel=True,
        gap=PANEL_GAP,
        keep_together=True,
    )


def _block_rows(ctx: BuildContext, blocks: Sequence[Mapping[str, Any]]) -> list[tuple[Card, ...]]:
    """Headed blocks side by side across the stack, at most three to a row, rows balanced."""
    rows: list[tuple[Card, ...]] = []
    for indexes in balanced_rows(len(blocks), BLOCKS_PER_ROW):
        # One grid column each: the stack spreads the row across its width in equal columns.
        rows.append(tuple(block_card(ctx, blocks[i], 1, f"Block {i + 1}") for i in indexes))
    return rows
