"""Lay content out on the page grid and continue it on further slides when it does not fit.

A slide's content is a list of rows; a row is a list of cards side by side, each spanning some
of the 12 grid columns. Cards measure themselves with real font metrics. Rows are stacked down
the content area; a row that does not fit is split (a text card between paragraphs, a table
between rows, a stack between its rows) or moved to a continuation slide. When content runs on
to another slide, the last two slides are balanced: the break moves up until both are about
equally full, so no continuation is a line or two on an empty page. Nothing is ever cut: a card
that cannot be split and does not fit on an empty page is placed anyway and reported by the
check.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Protocol

from deckgen.design import GRID, STYLES, Role, TextStyle
from deckgen.specs import (
    EMU_PER_INCH,
    Align,
    Anchor,
    Box,
    Bullet,
    Emu,
    FigureUse,
    PageGeometry,
    Paragraph,
    Run,
    Shape,
    ShapeKind,
    ShapeSpec,
    TableColumn,
    TableSpec,
    TextSpec,
    inches,
    points,
)
from deckgen.textmetrics import Measurer

Row = list[tuple[int, "Card"]]  # cards with the grid column each starts at
ShapesAt = Callable[[Box], list[Shape]]  # draws a card in the box it is given
HeightFor = Callable[[Emu, Measurer], Emu]  # a card's height at a width

MIN_SPLIT = 0.6  # inches: do not start a card in less space than this
BALANCE_STEP = 0.1  # inches: how finely the break between the last two slides is searched
BALANCE_FLOOR = 0.3  # of the page's height: the highest the break is tried
ZERO = Emu(0)


# -- the page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """The content area of one layout, and the 12-column grid across it."""

    geometry: PageGeometry
    layout: str
    content: Box
    source: Box  # the source line, above the footer
    columns: int = GRID.columns  # grid columns across `content` (fewer inside a stack)
    fit_rows: bool = False  # each row spread across the width on a grid of its own spans

    @classmethod
    def of(cls, geometry: PageGeometry, layout: str, title_bottom: Emu | None = None) -> Page:
        """The page of `layout`; `title_bottom` is where a title band grown to hold its title
        ends, when it ends below the layout's, so the content starts below it."""
        width, height = geometry.width, geometry.height
        shape = geometry.layouts[layout]
        left = inches(GRID.margin_x)
        right = Emu(width - inches(GRID.margin_x))
        band = shape.title.bottom if shape.title is not None else None
        if band is not None and title_bottom is not None:
            band = max(band, title_bottom)
        top = Emu(band + inches(GRID.title_gap)) if band is not None else inches(GRID.margin_top)
        footers = [b for b in (shape.footer, shape.date, shape.slide_number) if b is not None]
        footer_top = (
            min(b.top for b in footers)
            if footers
            else Emu(height - inches(GRID.margin_top + GRID.footer_height))
        )
        source_top = Emu(footer_top - inches(GRID.source_height))
        bottom = Emu(source_top - inches(GRID.block_gap / 2))
        content = Box(left, top, Emu(right - left), Emu(max(bottom - top, 0)))
        source = Box(left, source_top, Emu(right - left), inches(GRID.source_height))
        return cls(geometry, layout, content, source)

    @property
    def column_width(self) -> Emu:
        gutters = inches(GRID.gutter) * (self.columns - 1)
        return Emu((self.content.width - gutters) // self.columns)

    def span_width(self, span: int) -> Emu:
        return Emu(self.column_width * span + inches(GRID.gutter) * (span - 1))

    def column_left(self, column: int) -> Emu:
        return Emu(self.content.left + column * (self.column_width + inches(GRID.gutter)))

    def within(self, box: Box, columns: int, fit_rows: bool = False) -> Page:
        """The grid of `columns` columns across `box`: the page inside a stack of rows."""
        return replace(self, content=box, columns=columns, fit_rows=fit_rows)

    def for_row(self, row: Row) -> Page:
        """The grid a row is laid on: the page's, or (fitting rows) one of the row's own spans,
        so three blocks in an eight-column stack are three equal columns."""
        total = sum(c.span for _, c in row)
        if not self.fit_rows or total == self.columns:
            return self
        return replace(self, columns=total)


def spans(count: int, total: int = 12) -> list[int]:
    """Share `total` grid columns among `count` cards as evenly as whole columns allow."""
    base, extra = divmod(total, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def rescale(widths: Sequence[int], total: int) -> list[int]:
    """Spans in the same proportions over `total` columns (3+3+3 of 9 -> 4+4+4 of 12), each at
    least one column, shared by largest remainder so they add up to `total`."""
    whole = sum(widths)
    if whole == total or not widths:
        return list(widths)
    exact = [w * total / whole for w in widths]
    result = [max(int(e), 1) for e in exact]
    order = sorted(range(len(widths)), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    for i in order[: max(total - sum(result), 0)]:
        result[i] += 1
    return result


def balanced_rows(count: int, most: int) -> list[range]:
    """Split `count` items into rows of at most `most`, as evenly as possible (5 -> 3 + 2)."""
    if count == 0:
        return []
    rows = -(-count // most)
    per_row = -(-count // rows)
    return [range(start, min(start + per_row, count)) for start in range(0, count, per_row)]


# -- text blocks --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Para:
    """A paragraph before layout: its words, style and the figures it shows."""

    runs: tuple[Run, ...]
    style: TextStyle
    bullet: Bullet = Bullet.NONE
    number: int = 0
    align: Align = Align.LEFT
    figures: tuple[FigureUse, ...] = ()
    size: float | None = None  # override the style's size (shrunk titles, big numbers)
    indent: Emu = ZERO  # where the first line starts (a contents entry under its section)
    hanging: Emu = ZERO  # how much further in the lines after the first start
    right_tab: Emu = ZERO  # a right-aligned tab stop (a contents entry's slide number)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @property
    def point_size(self) -> float:
        return self.size if self.size is not None else STYLES[self.style].size


def para_height(para: Para, width: Emu, measurer: Measurer) -> Emu:
    """Height PowerPoint gives a paragraph in a box of `width` (EMU), spacing included."""
    style = STYLES[para.style]
    size = para.point_size
    # Every line is measured at the narrowest line's width, as the check measures it.
    indent = para.indent + (
        inches(GRID.bullet_indent) if para.bullet is not Bullet.NONE else para.hanging
    )
    text = para.text.upper() if style.caps else para.text
    usable = (width - indent) / 12_700
    bold = style.bold or any(r.bold for r in para.runs)
    lines = len(measurer.wrap(text, usable, size, bold=bold, italic=style.italic))
    height = lines * measurer.line_height(size, style.line_spacing) + style.space_before
    return points(height)


def paras_height(paras: Sequence[Para], width: Emu, measurer: Measurer) -> Emu:
    return Emu(sum(para_height(p, width, measurer) for p in paras))


def to_paragraph(para: Para) -> Paragraph:
    return Paragraph(
        runs=para.runs,
        style=para.style,
        size=para.point_size,
        bullet=para.bullet,
        number=para.number,
        align=para.align,
        figures=para.figures,
        indent=para.indent,
        hanging=para.hanging,
        right_tab=para.right_tab,
    )


class Card(Protocol):
    """Something placed on the grid: it measures, splits and draws itself."""

    @property
    def span(self) -> int: ...

    def measure(self, width: Emu, measurer: Measurer) -> Emu: ...

    def split(
        self, width: Emu, height: Emu, measurer: Measurer
    ) -> tuple[Card | None, Card | None]: ...

    def draw(self, box: Box) -> list[Shape]: ...

    def figures(self) -> tuple[FigureUse, ...]: ...


@dataclass(frozen=True)
class TextCard:
    """A block of text: an optional heading, then paragraphs; optionally on a filled panel."""

    name: str
    paras: tuple[Para, ...]
    span: int = 12
    heading: Para | None = None
    panel: bool = False
    stretch: bool = False  # grow to the row's height (panels side by side line up)
    continued: bool = False
    anchor: Anchor = Anchor.TOP
    keep_together: bool = False  # move to the next slide whole rather than split (a panel)

    def _pad(self) -> Emu:
        return inches(GRID.panel_padding) if self.panel else Emu(0)

    def _inner(self, width: Emu) -> Emu:
        return Emu(width - 2 * inches(GRID.text_inset) - 2 * self._pad())

    def _all(self) -> tuple[Para, ...]:
        return ((self.heading,) if self.heading else ()) + self.paras

    def measure(self, width: Emu, measurer: Measurer) -> Emu:
        body = paras_height(self._all(), self._inner(width), measurer)
        return Emu(body + 2 * inches(GRID.text_inset_y) + 2 * self._pad())

    def split(self, width: Emu, height: Emu, measurer: Measurer) -> tuple[Card | None, Card | None]:
        inner = self._inner(width)
        budget = height - 2 * inches(GRID.text_inset_y) - 2 * self._pad()
        if self.heading:
            budget -= para_height(self.heading, inner, measurer)
        used = 0
        for count, para in enumerate(self.paras):
            h = para_height(para, inner, measurer)
            if used + h > budget:
                while count > 0 and self.paras[count - 1].style in _HEADINGS:
                    count -= 1  # a heading stays with what it heads
                if count == 0:
                    return None, self
                head = replace(self, paras=self.paras[:count])
                tail_heading = _continued(self.heading) if self.heading else None
                tail = replace(self, paras=self.paras[count:], heading=tail_heading, continued=True)
                return head, tail
            used += h
        return self, None

    def draw(self, box: Box) -> list[Shape]:
        shapes: list[Shape] = []
        text_box = box
        if self.panel:
            shapes.append(ShapeSpec(f"{self.name} panel", ShapeKind.RECTANGLE, box, Role.PANEL))
            text_box = box.inset(self._pad(), self._pad())
        shapes.append(
            TextSpec(
                name=self.name,
                box=text_box,
                paragraphs=tuple(to_paragraph(p) for p in self._all()),
                anchor=self.anchor,
                inset_x=inches(GRID.text_inset),
                inset_y=inches(GRID.text_inset_y),
            )
        )
        return shapes

    def figures(self) -> tuple[FigureUse, ...]:
        return tuple(f for p in self._all() for f in p.figures)


_HEADINGS = (TextStyle.HEADING, TextStyle.PANEL_HEADING, TextStyle.CONTENTS)


def _continued(heading: Para) -> Para:
    if heading.text.endswith("(cont.)"):
        return heading
    return replace(heading, runs=(*heading.runs, Run(" (cont.)")))


@dataclass(frozen=True)
class FixedCard:
    """A card drawn at a height it chooses: a chart. It can make do with less, down to `minimum`,
    rather than move to a slide of its own."""

    name: str
    height: Emu
    shapes_at: ShapesAt
    span: int = 12
    uses: tuple[FigureUse, ...] = ()
    stretch: bool = False
    minimum: Emu | None = None

    def measure(self, width: Emu, measurer: Measurer) -> Emu:
        return self.height

    def split(self, width: Emu, height: Emu, measurer: Measurer) -> tuple[Card | None, Card | None]:
        if self.height <= height:
            return self, None
        if self.minimum is not None and self.minimum <= height:
            return replace(self, height=height), None
        return None, self

    def draw(self, box: Box) -> list[Shape]:
        return self.shapes_at(box)

    def figures(self) -> tuple[FigureUse, ...]:
        return self.uses


@cache
def _table_row_lines(
    family: str, cells: tuple[str, ...], widths: tuple[float, ...], size: float, bold: bool
) -> int:
    """Lines the tallest cell of a table row wraps to (cached: long tables are measured often)."""
    measurer = Measurer(family)
    return max(
        [
            1,
            *(
                len(measurer.wrap(text, w, size, bold=bold))
                for text, w in zip(cells, widths, strict=True)
            ),
        ]
    )


@dataclass(frozen=True)
class MeasuredCard:
    """A card whose height depends on its width (a tile), drawn by a function of its box."""

    name: str
    height_for: HeightFor
    shapes_at: ShapesAt
    span: int = 12
    uses: tuple[FigureUse, ...] = ()
    stretch: bool = False

    def measure(self, width: Emu, measurer: Measurer) -> Emu:
        return self.height_for(width, measurer)

    def split(self, width: Emu, height: Emu, measurer: Measurer) -> tuple[Card | None, Card | None]:
        return (self, None) if self.measure(width, measurer) <= height else (None, self)

    def draw(self, box: Box) -> list[Shape]:
        return self.shapes_at(box)

    def figures(self) -> tuple[FigureUse, ...]:
        return self.uses


@dataclass(frozen=True)
class TableCard:
    """A table that continues on further slides between rows, its header repeated.

    Columns share the card's width in proportion to `weights` (their content's natural widths,
    so a column is as wide as what it holds). Rows listed in `bold_rows` (a group's heading
    and subtotal) are drawn bold and never end a slide.
    """

    name: str
    headers: tuple[str, ...]
    aligns: tuple[Align, ...]
    weights: tuple[float, ...]  # relative column widths
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...] | None
    description: str
    measurer: Measurer = field(compare=False, repr=False)
    span: int = 12
    row_uses: tuple[tuple[FigureUse, ...], ...] = ()  # the figures each row shows
    total_uses: tuple[FigureUse, ...] = ()
    size: float = STYLES[TextStyle.TABLE].size  # points, every cell
    bold_rows: frozenset[int] = frozenset()  # indexes into `rows`
    measured: dict[int, tuple[Emu, ...]] = field(default_factory=dict, compare=False, repr=False)

    def _widths(self, width: Emu) -> list[Emu]:
        scale = width / sum(self.weights)
        return [Emu(int(w * scale)) for w in self.weights]

    def _row_height(self, cells: tuple[str, ...], width: Emu, bold: bool) -> Emu:
        return self._row_measure(width)(cells, bold)

    def _row_measure(self, width: Emu) -> Callable[[tuple[str, ...], bool], Emu]:
        """A row's height at `width`, with what every row shares (the columns' widths, the
        line height) worked out once: a 17,000-row table is measured row by row."""
        usable = tuple((w - 2 * inches(GRID.cell_inset_x)) / 12_700 for w in self._widths(width))
        style = STYLES[TextStyle.TABLE]
        line = self.measurer.line_height(self.size, style.line_spacing)
        padding = 2 * inches(GRID.cell_inset_y)
        family, size = self.measurer.family, self.size

        def height(cells: tuple[str, ...], bold: bool) -> Emu:
            lines = _table_row_lines(family, cells, usable, size, bold)
            return Emu(points(lines * line) + padding)

        return height

    def _row_heights(self, width: Emu) -> tuple[Emu, ...]:
        """Each row's height at `width`, measured once and shared with the card's parts."""
        if width not in self.measured:
            height, bold = self._row_measure(width), self.bold_rows
            self.measured[width] = tuple(height(r, i in bold) for i, r in enumerate(self.rows))
        return self.measured[width]

    def fits(self, width: Emu, height: Emu) -> bool:
        """Whether the whole table fits `height` at `width` (measure <= height), measuring
        rows only until they overflow: a long table is not measured to its end at every type
        size tried."""
        if width in self.measured:
            return self.measure(width, self.measurer) <= height
        row = self._row_measure(width)
        used: int = row(self.headers, True)
        for index, cells in enumerate(self.rows):
            used += row(cells, index in self.bold_rows)
            if used > height:
                return False
        if self.total is not None:
            used += row(self.total, True)
        return used <= height

    def _heights(self, width: Emu) -> list[Emu]:
        heights = [self._row_height(self.headers, width, True), *self._row_heights(width)]
        if self.total is not None:
            heights.append(self._row_height(self.total, width, True))
        return heights

    def measure(self, width: Emu, measurer: Measurer) -> Emu:
        return Emu(sum(self._heights(width)))

    def split(self, width: Emu, height: Emu, measurer: Measurer) -> tuple[Card | None, Card | None]:
        rows = self._row_heights(width)
        used: int = self._row_height(self.headers, width, True)
        count = 0
        for h in rows:
            if used + h > height:
                break
            used += h
            count += 1
        if count == len(self.rows):
            count -= 1  # the total row never stands alone: the last row goes with it
        while count > 0 and count - 1 in self.bold_rows:
            count -= 1  # a group's heading goes with its first row
        if count == 0:
            return None, self
        uses = self.row_uses or tuple(() for _ in self.rows)
        head = replace(
            self,
            rows=self.rows[:count],
            total=None,
            row_uses=uses[:count],
            total_uses=(),
            bold_rows=frozenset(i for i in self.bold_rows if i < count),
            measured={width: rows[:count]},
        )
        tail = replace(
            self,
            rows=self.rows[count:],
            row_uses=uses[count:],
            bold_rows=frozenset(i - count for i in self.bold_rows if i >= count),
            measured={width: rows[count:]},
        )
        return head, tail

    def draw(self, box: Box) -> list[Shape]:
        widths = self._widths(box.width)
        columns = tuple(
            TableColumn(h, a, w) for h, a, w in zip(self.headers, self.aligns, widths, strict=True)
        )
        return [
            TableSpec(
                name=self.name,
                box=box,
                columns=columns,
                rows=self.rows,
                total=self.total,
                size=self.size,
                row_heights=tuple(self._heights(box.width)),
                description=self.description,
                cells=(*self.row_uses, *((self.total_uses,) if self.total is not None else ())),
                bold_rows=tuple(sorted(self.bold_rows)),
            )
        ]

    def figures(self) -> tuple[FigureUse, ...]:
        return tuple(f for row in self.row_uses for f in row) + self.total_uses


def natural_widths(
    measurer: Measurer,
    size: float,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    bold: Sequence[Sequence[str]] = (),
) -> tuple[float, ...]:
    """Each column's width (points) to hold its content on one line, cell insets included: the
    longest word of a header (headings may wrap), every cell of the rows, and of the `bold`
    rows (total, subtotals) in bold."""
    inset = 2 * GRID.cell_inset_x * 72
    widths = [measurer.longest_word(h, size, bold=True) + inset for h in headers]
    for cells, heavy in [*((r, False) for r in rows), *((r, True) for r in bold)]:
        for column, text in enumerate(cells):
            widths[column] = max(widths[column], measurer.width(text, size, bold=heavy) + inset)
    return tuple(widths)


# -- stacks: rows within a column of the grid ----------------------------------------------------


@dataclass(frozen=True)
class StackCard:
    """Rows of cards stacked in a column of the grid, such as a spotlight's summary, blocks and
    quote beside its key-information panel. Its rows' spans add up to its own span. It splits
    between its rows (and inside the row that straddles the break); continued on a slide of its
    own it spreads across the whole width. As a panel, its rows sit on one light fill."""

    name: str
    rows: tuple[tuple[Card, ...], ...]
    grid: Page = field(compare=False, repr=False)
    measurer: Measurer = field(compare=False, repr=False)
    span: int = 12
    stretch: bool = False
    panel: bool = False
    gap: float = GRID.block_gap  # inches between rows
    keep_together: bool = False  # cut only when it is taller than a page

    def _pad(self) -> Emu:
        return inches(GRID.panel_padding) if self.panel else ZERO

    def _page(self, box: Box) -> Page:
        return self.grid.within(box.inset(self._pad(), self._pad()), self.span, fit_rows=True)

    def _heights(self, page: Page) -> list[Emu]:
        return [_row_height(_columns(row), page, self.measurer) for row in self.rows]

    def measure(self, width: Emu, measurer: Measurer) -> Emu:
        heights = self._heights(self._page(Box(ZERO, ZERO, width, ZERO)))
        gaps = inches(self.gap) * max(len(heights) - 1, 0)
        return Emu(sum(heights) + gaps + 2 * self._pad())

    def split(self, width: Emu, height: Emu, measurer: Measurer) -> tuple[Card | None, Card | None]:
        page = self._page(Box(ZERO, ZERO, width, height))
        queue = [_columns(row) for row in self.rows]
        sheet = _fill(queue, page, measurer, force=False, gap=inches(self.gap))
        if not sheet.rows:
            return None, self
        head = replace(self, rows=tuple(tuple(c for _, c in row.cards) for row in sheet.rows))
        if not queue:
            return head, None
        return head, replace(self, rows=tuple(tuple(c for _, c in row) for row in queue))

    def with_span(self, span: int) -> StackCard:
        """The same rows spread over `span` columns, each row's cards in the same proportions."""
        rows = tuple(
            tuple(
                _respan(card, width)
                for card, width in zip(row, rescale([c.span for c in row], span), strict=True)
            )
            for row in self.rows
        )
        return replace(self, rows=rows, span=span)

    def draw(self, box: Box) -> list[Shape]:
        placed = PlacedPage()
        if self.panel:
            placed.shapes.append(
                ShapeSpec(f"{self.name} panel", ShapeKind.RECTANGLE, box, Role.PANEL)
            )
        page = self._page(box)
        top = page.content.top
        for row in self.rows:
            bottom = _place(placed, _columns(row), page, self.measurer, top)
            top = Emu(bottom + inches(self.gap))
        return placed.shapes

    def figures(self) -> tuple[FigureUse, ...]:
        return tuple(f for row in self.rows for card in row for f in card.figures())


def _respan(card: Card, span: int) -> Card:
    """`card` over `span` grid columns."""
    if card.span == span:
        return card
    if isinstance(card, StackCard):
        return card.with_span(span)
    return replace(card, span=span)  # type: ignore[type-var]


# -- flowing rows onto pages --------------------------------------------------------------------


@dataclass
class PlacedPage:
    """The shapes of one slide's content, and the figures they show."""

    shapes: list[Shape] = field(default_factory=list)
    figures: list[FigureUse] = field(default_factory=list)
    overflow: list[str] = field(default_factory=list)
    used: Emu = ZERO  # height from the top of the content area to the bottom of the content

    @property
    def empty(self) -> bool:
        return not self.shapes


@dataclass
class _PlacedRow:
    top: Emu
    cards: Row
    area: float = 0.0  # square EMU its cards cover


@dataclass
class _Sheet:
    """One page's rows, placed but not yet drawn."""

    rows: list[_PlacedRow] = field(default_factory=list)
    overflow: list[str] = field(default_factory=list)
    broken: int = 0  # cards meant to stay whole that had to be cut (taller than a page)

    def fill(self, page: Page) -> float:
        """How full the page is: the share of its content area that cards cover."""
        return sum(r.area for r in self.rows) / max(page.content.width * page.content.height, 1)


def flow(rows: Sequence[Sequence[Card]], page: Page, measurer: Measurer) -> list[PlacedPage]:
    """Place rows of cards down the page, continuing on new pages as needed; when content
    continues, the last two pages share what they hold about equally."""
    queue = [_columns(r) for r in rows if r]
    sheets, starts = _paginate(queue, page, measurer)
    if len(sheets) >= 2:
        sheets = sheets[:-2] + _balance(starts[-2], page, measurer, sheets[-2:])
    return [_draw(s, page, measurer) for s in sheets] or [PlacedPage()]


def _paginate(
    queue: list[Row], page: Page, measurer: Measurer, cap: Emu | None = None
) -> tuple[list[_Sheet], list[list[Row]]]:
    """Fill pages until the queue is empty; also the queue as it stood when each page began."""
    sheets: list[_Sheet] = []
    starts: list[list[Row]] = []
    while queue:
        starts.append(list(queue))
        sheets.append(_fill(queue, page, measurer, force=True, cap=cap))
    return sheets, starts


def _balance(
    start: list[Row], page: Page, measurer: Measurer, sheets: list[_Sheet]
) -> list[_Sheet]:
    """The last two pages laid out again with the break moved up, step by step, keeping the
    layout whose emptier page is fullest: two pages still, no more overflow, and no card that
    should stay whole cut. A panel that stays whole may reach below the break."""
    problems = sum(len(s.overflow) + s.broken for s in sheets)
    best, score = sheets, min(s.fill(page) for s in sheets)
    step = inches(BALANCE_STEP)
    cap = Emu(page.content.height - step)
    while cap > page.content.height * BALANCE_FLOOR:
        trial = _paginate(list(start), page, measurer, cap)[0]
        if len(trial) > 2 or sum(len(s.overflow) + s.broken for s in trial) > problems:
            break  # a shorter break only makes more pages
        trial_score = min(s.fill(page) for s in trial)
        if trial_score > score:
            best, score = trial, trial_score
        cap = Emu(cap - step)
    return best


def _fill(
    queue: list[Row],
    page: Page,
    measurer: Measurer,
    force: bool,
    gap: Emu | None = None,
    cap: Emu | None = None,
) -> _Sheet:
    """Place rows from the front of `queue` on one page, splitting the row at the break; what is
    left stays in `queue`. The break is `cap` below the top (balancing), or the page's bottom;
    a card that stays whole (a panel) may reach below `cap` to the page's bottom. With `force`,
    an empty page that nothing fits on still takes the first row, reported as overflow (else
    the same empty page would come back for ever)."""
    sheet = _Sheet()
    top = page.content.top
    bottom = page.content.bottom
    limit = bottom if cap is None else min(bottom, Emu(top + cap))
    gap = inches(GRID.block_gap) if gap is None else gap
    while queue:
        row = queue[0]
        grid = page.for_row(row)
        widths = [grid.span_width(c.span) for _, c in row]
        heights = [c.measure(w, measurer) for (_, c), w in zip(row, widths, strict=True)]
        room = Emu(bottom - top)
        rooms = [room if _whole(c) else Emu(limit - top) for _, c in row]
        if all(h <= r for h, r in zip(heights, rooms, strict=True)):
            area = _area(row, widths, heights)
            sheet.rows.append(_PlacedRow(top, queue.pop(0), area))
            top = Emu(top + max(heights) + gap)
            continue
        fresh = not sheet.rows
        held = any(_whole(c) and h > room for (_, c), h in zip(row, heights, strict=True))
        if (min(rooms) >= inches(MIN_SPLIT) and not held) or fresh:
            split = [
                c.split(w, Emu(max(r, 0)), measurer)
                for (_, c), w, r in zip(row, widths, rooms, strict=True)
            ]
            whole = all(head is not None for head, _ in split)
            if whole or (fresh and any(head is not None for head, _ in split)):
                queue.pop(0)
                heads = [(col, h) for (col, _), (h, _) in zip(row, split, strict=True) if h]
                head_widths = [grid.span_width(c.span) for _, c in heads]
                head_heights = [
                    c.measure(w, measurer) for (_, c), w in zip(heads, head_widths, strict=True)
                ]
                area = _area(heads, head_widths, head_heights)
                sheet.rows.append(_PlacedRow(top, heads, area))
                sheet.broken += sum(
                    1
                    for (_, card), (head, tail) in zip(row, split, strict=True)
                    if _whole(card) and head and tail
                )
                tails: list[Card] = []
                for (_, card), (head, tail) in zip(row, split, strict=True):
                    if head is None:
                        tails.append(card)
                    elif tail is not None:
                        tails.append(tail)
                if tails:
                    queue.insert(0, _continued_row(tails, page.columns))
                return sheet
        if fresh and force:
            queue.pop(0)
            sheet.rows.append(_PlacedRow(top, row, _area(row, widths, heights)))
            sheet.overflow.extend(
                f"'{getattr(c, 'name', 'content')}' needs {h / EMU_PER_INCH:.1f} in, "
                f"the page has {room / EMU_PER_INCH:.1f} in"
                for (_, c), h in zip(row, heights, strict=True)
                if h > room
            )
        return sheet
    return sheet


def _whole(card: Card) -> bool:
    return bool(getattr(card, "keep_together", False))


def _area(row: Row, widths: Sequence[Emu], heights: Sequence[Emu]) -> float:
    """The area a row's cards cover, stretched cards at the row's height."""
    tallest = max(heights, default=0)
    return float(
        sum(
            w * (tallest if getattr(c, "stretch", False) else h)
            for (_, c), w, h in zip(row, widths, heights, strict=True)
        )
    )


def _continued_row(cards: Sequence[Card], columns: int) -> Row:
    """What continues of a row, spread across the page: a stack whose neighbour has ended takes
    the whole width; blocks keep their proportions."""
    widths = rescale([c.span for c in cards], columns)
    return _columns([_respan(c, w) for c, w in zip(cards, widths, strict=True)])


def _columns(row: Sequence[Card]) -> Row:
    """Give each card of a row its starting grid column, left to right."""
    placed = []
    column = 0
    for card in row:
        placed.append((column, card))
        column += card.span
    return placed


def _row_height(row: Row, page: Page, measurer: Measurer) -> Emu:
    grid = page.for_row(row)
    return Emu(max(c.measure(grid.span_width(c.span), measurer) for _, c in row))


def _draw(sheet: _Sheet, page: Page, measurer: Measurer) -> PlacedPage:
    placed = PlacedPage(overflow=list(sheet.overflow))
    for row in sheet.rows:
        bottom = _place(placed, row.cards, page, measurer, row.top)
        placed.used = Emu(max(placed.used, bottom - page.content.top))
    return placed


def _place(placed: PlacedPage, row: Row, page: Page, measurer: Measurer, top: Emu) -> Emu:
    """Draw a row of cards at `top`; return the bottom of the row."""
    page = page.for_row(row)
    widths = [page.span_width(c.span) for _, c in row]
    heights = [c.measure(w, measurer) for (_, c), w in zip(row, widths, strict=True)]
    row_height = max(heights)
    for (column, card), width, height in zip(row, widths, heights, strict=True):
        stretch = getattr(card, "stretch", False)
        box = Box(page.column_left(column), top, width, Emu(row_height if stretch else height))
        placed.shapes.extend(card.draw(box))
        placed.figures.extend(card.figures())
    return Emu(top + row_height)
