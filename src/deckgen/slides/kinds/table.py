"""Appendix tables from the workbook, totals recomputed, continued with the header repeated.

A table reads as a designer sets one: each column as wide as what it holds, numbers with the
same decimals down a column and as few as the data needs (whole FTE as 162, not 162.00),
headings in words, rows grouped where the sheet groups them (projects achieved to date, then
forecast, each group under its subtotal), and the text at the largest size, down to the table
minimum, at which the table fits its slide. A narrow table has its notes beside it; a wide one
has them under it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace

from deckgen import formatting
from deckgen.deckdef import SlideDef
from deckgen.design import STYLES, TextStyle
from deckgen.model import PORTFOLIO_AMOUNTS, ProjectFte
from deckgen.slides.compose import compose, content_page
from deckgen.slides.context import BuildContext
from deckgen.slides.layout import Page, TableCard, TextCard, natural_widths
from deckgen.slides.parts import blocks_card, para
from deckgen.specs import WORDS, Align, FigureUse, SlideSpec, points

SIZES = (12.0, 11.0, STYLES[TextStyle.TABLE].minimum)  # tried largest first
SIDE_SPAN = 3  # grid columns at least, beside the table, for its notes
ZERO = "–"
MAX_DECIMALS = 2
# Words for the FTE table's groups when the deck definition does not give its own (`groups:`).
DEFAULT_GROUPS = {"achieved": "Achieved to date", "forecast": "Forecast"}

TableMaker = Callable[[BuildContext, SlideDef, float], TableCard]


def build(ctx: BuildContext, slide: SlideDef) -> list[SlideSpec]:
    page, _, _ = content_page(ctx, slide, footnote=False)
    make: TableMaker = _fte if slide.text("table") == "fte" else _portfolio
    side = _side(ctx, slide)
    table = make(ctx, slide, SIZES[0])
    for size in SIZES:
        table = _at_size(table, size)
        span = _span(page, table)
        beside = side is not None and 12 - span >= SIDE_SPAN
        table = replace(table, span=span if beside else 12)
        if table.fits(page.span_width(table.span), page.content.height):
            break
    if side is None:
        return compose(ctx, slide, [[table]])
    if table.span < 12:
        return compose(ctx, slide, [[table, replace(side, span=12 - table.span)]], footnote=False)
    return compose(ctx, slide, [[table], [replace(side, span=12)]], footnote=False)


def _at_size(table: TableCard, size: float) -> TableCard:
    """The table set in another type size: the same rows, its columns' natural widths at that
    size (as the table makers measure them), nothing measured at the old size kept. The rows
    of a 17,000-project table are made once, not once for each size tried."""
    if size == table.size:
        return table
    bold = [table.rows[i] for i in sorted(table.bold_rows)]
    heavy = [table.total, *bold] if table.total is not None else bold
    plain = [r for i, r in enumerate(table.rows) if i not in table.bold_rows]
    weights = natural_widths(table.measurer, size, table.headers, plain, heavy)
    return replace(table, size=size, weights=weights, measured={})


def _span(page: Page, table: TableCard) -> int:
    """The fewest grid columns that hold the table's columns at their natural widths."""
    natural = points(sum(table.weights))
    return next((s for s in range(1, 13) if page.span_width(s) >= natural), 12)


def _side(ctx: BuildContext, slide: SlideDef) -> TextCard | None:
    """The table's notes, to go beside it: its blocks, then its note."""
    blocks = slide.data.get("blocks", [])
    note = slide.text("note")
    if not blocks and not note:
        return None
    card = blocks_card(ctx, blocks, SIDE_SPAN, "Notes") if blocks else None
    paras = card.paras if card is not None else ()
    if note:
        paras += (para(ctx.text(note), TextStyle.BODY),)
    return TextCard("Notes", paras, SIDE_SPAN)


def _headings(ctx: BuildContext, slide: SlideDef, sheet: str, fields: Sequence[str]) -> list[str]:
    """Column headings: the deck definition's words, else the sheet's own headings."""
    own = slide.data.get("headings") or {}
    found = ctx.model.sheets[sheet].headers
    return [
        ctx.plain(str(own[f])) if f in own else found.get(f, f.replace("_", " ").capitalize())
        for f in fields
    ]


def _decimals(values: Sequence[float]) -> int:
    """As few decimals as the data needs: none unless a figure would read as 0 without them."""
    for decimals in range(MAX_DECIMALS + 1):
        if all(v == 0 or formatting.round_half_up(v, decimals) != 0 for v in values):
            return decimals
    return MAX_DECIMALS


def _rounded_together(values: Sequence[float], shown_total: float, decimals: int) -> list[float]:
    """Values rounded so that, shown, they add up to `shown_total` (largest remainder)."""
    step = 10.0**-decimals
    exact = [v / step for v in values]
    floors = [math.floor(e + 1e-9) for e in exact]
    missing = round(shown_total / step) - sum(floors)
    order = sorted(range(len(values)), key=lambda i: exact[i] - floors[i], reverse=True)
    for i in order[: max(missing, 0)]:
        floors[i] += 1
    return [f * step for f in floors]


def _fte(ctx: BuildContext, slide: SlideDef, size: float) -> TableCard:
    """Projects grouped by status, each group under its subtotal, FTE rounded together so that
    projects add up to their group and groups to the total, as shown."""
    model = ctx.model
    groups_words = {**DEFAULT_GROUPS, **(slide.data.get("groups") or {})}
    projects = model.projects
    decimals = _decimals([p.fte for p in projects])
    total = math.fsum(p.fte for p in projects)
    shown_total = formatting.round_half_up(total, decimals)
    groups: list[tuple[str, list[ProjectFte], FigureUse]] = []
    for key, achieved in (("achieved", True), ("forecast", False)):
        members = [p for p in projects if p.achieved is achieved]
        if members:
            use = ctx.figure(f"metrics.fte_{key}")
            groups.append((ctx.plain(str(groups_words[key])), members, use))
    subtotals = _rounded_together(
        [math.fsum(p.fte for p in members) for _, members, _ in groups], shown_total, decimals
    )
    rows: list[tuple[str, ...]] = []
    row_uses: list[tuple[FigureUse, ...]] = []
    bold: set[int] = set()
    for (words, members, use), subtotal in zip(groups, subtotals, strict=True):
        shown = formatting.number(subtotal, decimals)
        bold.add(len(rows))
        rows.append((words, shown, ""))
        statuses = model.cell_range("fte", "status", tuple(p.row for p in members))
        label = _words(words, f"FTE group {words}", f"the projects by Status ({statuses})")
        row_uses.append((label, replace(use, text=shown)))
        values = _rounded_together([p.fte for p in members], subtotal, decimals)
        for p, value in zip(members, values, strict=True):
            text = formatting.number(value, decimals)
            rows.append((p.name, text, p.status))
            row_uses.append(
                (
                    _words(p.name, f"fte[{p.name}].name", model.cell("fte", "name", p.row)),
                    FigureUse(
                        text, p.fte, "FTE", f"fte[{p.name}]", model.cell("fte", "fte", p.row)
                    ),
                    _words(p.status, f"fte[{p.name}].status", model.cell("fte", "status", p.row)),
                )
            )
    total_text = formatting.number(shown_total, decimals)
    headers = tuple(_headings(ctx, slide, "fte", ("name", "fte", "status")))
    totals = ("Total", total_text, "")
    widths = natural_widths(
        ctx.measurer,
        size,
        headers,
        [r for i, r in enumerate(rows) if i not in bold],
        [totals, *(rows[i] for i in bold)],
    )
    return TableCard(
        name=ctx.plain(slide.text("label") or slide.text("title")),
        headers=headers,
        aligns=(Align.LEFT, Align.RIGHT, Align.LEFT),
        weights=widths,
        rows=tuple(rows),
        total=totals,
        description=(
            f"Table of {len(projects)} projects with the FTE each releases and its status, "
            f"grouped by status with a subtotal for each group; total {total_text} FTE."
        ),
        measurer=ctx.measurer,
        row_uses=tuple(row_uses),
        total_uses=(replace(ctx.figure("metrics.fte_total"), text=total_text, value=total),),
        size=size,
        bold_rows=frozenset(bold),
    )


def _words(text: str, reference: str, cell: str) -> FigureUse:
    return FigureUse(text, text, WORDS, reference, cell)


def _signed(value: float) -> str:
    return ZERO if round(value, 1) == 0 else f"{value:,.1f}"


def _portfolio(ctx: BuildContext, slide: SlideDef, size: float) -> TableCard:
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
    headers = tuple(_headings(ctx, slide, "portfolio", ("name", *PORTFOLIO_AMOUNTS, "total")))
    return TableCard(
        name=ctx.plain(slide.text("label") or slide.text("title")),
        headers=headers,
        aligns=(Align.LEFT, *(Align.RIGHT for _ in headers[1:])),
        weights=natural_widths(ctx.measurer, size, headers, rows, [tuple(total)]),
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
        size=size,
    )
