"""Appendix tables from the workbook, totals recomputed, continued with the header repeated."""

from __future__ import annotations

import math
from dataclasses import replace

from deckgen.deckdef import SlideDef
from deckgen.model import PORTFOLIO_AMOUNTS
from deckgen.slides.chartdata import plan_chart
from deckgen.slides.compose import compose, content_page
from deckgen.slides.context import BuildContext
from deckgen.slides.kinds.chart import MIN_CHART_HEIGHT, chart_card
from deckgen.slides.layout import Card, TableCard
from deckgen.specs import WORDS, Align, Emu, FigureUse, SlideSpec, inches
from deckgen.workbook import schema

CHART_HEIGHT = 4.2  # inches, or the page's content height if less
ZERO = "–"


def build(ctx: BuildContext, slide: SlideDef) -> list[SlideSpec]:
    which = slide.text("table")
    table = _fte(ctx) if which == "fte" else _portfolio(ctx)
    rows: list[list[Card]] = [[table]]
    chart = slide.data.get("chart")
    if chart:
        page, _, _ = content_page(ctx, slide)
        height = Emu(min(inches(CHART_HEIGHT), page.content.height))
        plan = plan_chart(ctx, chart, f"Chart: {ctx.plain(slide.text('title'))}")
        rows.append(
            [
                chart_card(
                    ctx, plan, str(chart.get("note", "")), 12, height, inches(MIN_CHART_HEIGHT)
                )
            ]
        )
    return compose(ctx, slide, rows)


def _fte(ctx: BuildContext) -> TableCard:
    sheet = schema.FTE
    model = ctx.model
    rows, row_uses = [], []
    for p in model.projects:
        text = f"{p.fte:,.2f}"
        rows.append((p.name, text, p.status))
        row_uses.append(
            (
                _words(p.name, f"fte[{p.name}].name", model.cell("fte", "name", p.row)),
                FigureUse(text, p.fte, "FTE", f"fte[{p.name}]", model.cell("fte", "fte", p.row)),
                _words(p.status, f"fte[{p.name}].status", model.cell("fte", "status", p.row)),
            )
        )
    total = math.fsum(p.fte for p in model.projects)
    total_text = f"{total:,.2f}"
    return TableCard(
        name=sheet.title,
        headers=tuple(c.header for c in sheet.columns),
        aligns=(Align.LEFT, Align.RIGHT, Align.LEFT),
        weights=(5.0, 1.6, 3.0),
        rows=tuple(rows),
        total=("Total", total_text, ""),
        description=(
            f"Table of {len(rows)} projects with the FTE each releases and its status; "
            f"total {total_text} FTE."
        ),
        measurer=ctx.measurer,
        row_uses=tuple(row_uses),
        total_uses=(replace(ctx.figure("metrics.fte_total"), text=total_text, value=total),),
    )


def _words(text: str, reference: str, cell: str) -> FigureUse:
    return FigureUse(text, text, WORDS, reference, cell)


def _signed(value: float) -> str:
    return ZERO if round(value, 1) == 0 else f"{value:,.1f}"


def _portfolio(ctx: BuildContext) -> TableCard:
    sheet = schema.PORTFOLIO
    model = ctx.model
    rows, row_uses = [], []
    for line in model.portfolios:
        name = f"portfolio[{line.name}]"
        cells = [line.name]
        uses = [_words(line.name, f"{name}.name", model.cell("portfolio", "name", line.row))]
        for f in PORTFOLIO_AMOUNTS:
            value = getattr(line, f)
            cells.append(_signed(value))
            uses.append(
                FigureUse(
                    cells[-1], value, "£m", f"{name}.{f}", model.cell("portfolio", f, line.row)
                )
            )
        cells.append(_signed(line.total))
        items = ", ".join(model.cell("portfolio", f, line.row) for f in PORTFOLIO_AMOUNTS)
        uses.append(
            FigureUse(
                cells[-1],
                line.total,
                "£m",
                f"{name}.total",
                f"row total recomputed from the line items ({items})",
            )
        )
        rows.append(tuple(cells))
        row_uses.append(tuple(uses))
    total = ["Total £m"]
    total_uses = []
    portfolio_rows = tuple(line.row for line in model.portfolios)
    for f in PORTFOLIO_AMOUNTS:
        value = math.fsum(getattr(line, f) for line in model.portfolios)
        total.append(_signed(value))
        total_uses.append(
            FigureUse(
                total[-1],
                value,
                "£m",
                f"portfolio total {f}",
                "sum of " + model.cell_range("portfolio", f, portfolio_rows),
            )
        )
    grand = math.fsum(line.total for line in model.portfolios)
    total.append(_signed(grand))
    total_uses.append(
        FigureUse(
            total[-1],
            grand,
            "£m",
            "portfolio grand total",
            "sum of every line item ("
            + ", ".join(model.cell_range("portfolio", f, portfolio_rows) for f in PORTFOLIO_AMOUNTS)
            + ")",
        )
    )
    headers = tuple(c.header for c in sheet.columns)
    return TableCard(
        name=sheet.title,
        headers=headers,
        aligns=(Align.LEFT, *(Align.RIGHT for _ in headers[1:])),
        weights=(3.2, *(1.3 for _ in headers[1:])),
        rows=tuple(rows),
        total=tuple(total),
        description=(
            f"Table of {len(rows)} portfolios with capital, centrally managed, non-cashable and "
            f"cashable benefits, one-off and recurring costs and their totals in £m; benefits "
            f"are negative; grand total {_signed(grand)}."
        ),
        measurer=ctx.measurer,
        row_uses=tuple(row_uses),
        total_uses=tuple(total_uses),
    )
