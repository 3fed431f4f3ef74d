"""Lay content out on the page grid and continue it on further slides when it does not fit.

A slide's content is a list of rows; a row is a list of cards side by side, each spanning some
of the 12 grid columns. Cards measure themselves with real font metrics. Rows are stacked down
the content area; a row that does not fit is split (a text card between paragraphs, a table
between rows) or moved to a continuation slide. Nothing is ever cut: a card that cannot be
split and does not fit on an empty page is placed anyway and reported by the check.
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

ShapesAt = Callable[[Box], list[Shape]]  # draws a card in the box it is given
HeightFor = Callable[[Emu, Measurer], Emu]  # a card's height at a width

BULLET_INDENT = 0.22  # inches: hanging indent of bullets and numbers
PANEL_PADDING = 0.12  # inches: space inside a filled panel
MIN_SPLIT = 0.6  # inches: do not start a card in less space than this
CELL_INSET_X = 0.08  # inches: left/right margin inside a table cell
CELL_INSET_Y = 0.04  # inches: top/bottom margin inside a table cell


# -- the page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """The content area of one layout, and the 12-column grid across it."""

    geometry: PageGeometry
    layout: str
    content: Box
    source: Box  # the source line, above the footer

    @classmethod
    def of(cls, geometry: PageGeometry, layout: str) -> Page:
        width, height = geometry.width, geometry.height
        shape = geometry.layouts[layout]
        left = inches(GRID.margin_x)
        right = Emu(width - inches(GRID.margin_x))
        top = (
            Emu(shape.title.bottom + inches(GRID.title_gap))
            if shape.title is not None
            else inches(GRID.margin_top)
        )
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
        gutters = inches(GRID.gutter) * (GRID.columns - 1)
        return Emu((self.content.width - gutters) // GRID.columns)

    def span_width(self, span: int) -> Emu:
        return Emu(self.column_width * span + inches(GRID.gutter) * (span - 1))

    def column_left(self, column: int) -> Emu:
        return Emu(self.content.left + column * (self.column_width + inches(GRID.gutter)))


def spans(count: int, total: int = 12) -> list[int]:
    """Share `total` grid columns among `count` cards as evenly as whole columns allow."""
    base, extra = divmod(total, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


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
    indent = inches(BULLET_INDENT) if para.bullet is not Bullet.NONE else 0
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
        return inches(PANEL_PADDING) if self.panel else Emu(0)

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
    family: str, cells: tuple[str, ...], widths: tuple[float, ...], bold: bool
) -> int:
    """Lines the tallest cell of a table row wraps to (cached: long tables are measured often)."""
    measurer = Measurer(family)
    size = STYLES[TextStyle.TABLE].size
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
    """A table that continues on further slides between rows, its header repeated."""

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
    measured: dict[int, tuple[Emu, ...]] = field(default_factory=dict, compare=False, repr=False)

    def _widths(self, width: Emu) -> list[Emu]:
        scale = width / sum(self.weights)
        return [Emu(int(w * scale)) for w in self.weights]

    def _row_height(self, cells: tuple[str, ...], width: Emu, bold: bool) -> Emu:
        usable = tuple((w - 2 * inches(CELL_INSET_X)) / 12_700 for w in self._widths(width))
        lines = _table_row_lines(self.measurer.family, cells, usable, bold)
        style = STYLES[TextStyle.TABLE]
        line = self.measurer.line_height(style.size, style.line_spacing)
        return Emu(points(lines * line) + 2 * inches(CELL_INSET_Y))

    def _row_heights(self, width: Emu) -> tuple[Emu, ...]:
        """Each row's height at `width`, measured once and shared with the card's parts."""
        if width not in self.measured:
            self.measured[width] = tuple(self._row_height(r, width, False) for r in self.rows)
        return self.measured[width]

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
        if count == 0:
            return None, self
        uses = self.row_uses or tuple(() for _ in self.rows)
        head = replace(
            self,
            rows=self.rows[:count],
            total=None,
            row_uses=uses[:count],
            total_uses=(),
            measured={width: rows[:count]},
        )
        tail = replace(
            self, rows=self.rows[count:], row_uses=uses[count:], measured={width: rows[count:]}
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
                size=STYLES[TextStyle.TABLE].size,
                row_heights=tuple(self._heights(box.width)),
                description=self.description,
                cells=(*self.row_uses, *((self.total_uses,) if self.total is not None else ())),
            )
        ]

    def figures(self) -> tuple[FigureUse, ...]:
        return tuple(f for row in self.row_uses for f in row) + self.total_uses


# -- flowing rows onto pages --------------------------------------------------------------------


@dataclass
class PlacedPage:
    """The shapes of one slide's content, and the figures they show."""

    shapes: list[Shape] = field(default_factory=list)
    figures: list[FigureUse] = field(default_factory=list)
    overflow: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.shapes


def flow(rows: Sequence[Sequence[Card]], page: Page, measurer: Measurer) -> list[PlacedPage]:
    """Place rows of cards down the page, continuing on new pages as needed."""
    pages = [PlacedPage()]
    top = page.content.top
    bottom = page.content.bottom
    gap = inches(GRID.block_gap)
    queue: list[list[tuple[int, Card]]] = [_columns(r) for r in rows if r]
    while queue:
        row = queue.pop(0)
        widths = [page.span_width(c.span) for _, c in row]
        heights = [c.measure(w, measurer) for (_, c), w in zip(row, widths, strict=True)]
        room = Emu(bottom - top)
        if max(heights) <= room:
            _place(pages[-1], row, widths, measurer, page, top)
            top = Emu(top + max(heights) + gap)
            continue
        fresh = pages[-1].empty
        held = any(
            getattr(c, "keep_together", False) and h > room
            for (_, c), h in zip(row, heights, strict=True)
        )
        if (room >= inches(MIN_SPLIT) and not held) or fresh:
            split = [c.split(w, room, measurer) for (_, c), w in zip(row, widths, strict=True)]
            whole = all(head is not None for head, _ in split)
            if whole or (fresh and any(head is not None for head, _ in split)):
                heads = [(col, h) for (col, _), (h, _) in zip(row, split, strict=True) if h]
                tails = [
                    (col, t if h is not None else c)
                    for (col, c), (h, t) in zip(row, split, strict=True)
                    if t is not None or h is None
                ]
                head_widths = [page.span_width(c.span) for _, c in heads]
                _place(pages[-1], heads, head_widths, measurer, page, top)
                if tails:
                    queue.insert(0, [(col, c) for col, c in tails if c is not None])
                pages.append(PlacedPage())
                top = page.content.top
                continue
        if fresh:
            # Nothing fits even on an empty page and nothing splits: place it, report it.
            _place(pages[-1], row, widths, measurer, page, top)
            pages[-1].overflow.extend(
                f"'{getattr(c, 'name', 'content')}' needs {h / EMU_PER_INCH:.1f} in, "
                f"the page has {room / EMU_PER_INCH:.1f} in"
                for (_, c), h in zip(row, heights, strict=True)
                if h > room
            )
            pages.append(PlacedPage())
            top = page.content.top
            continue
        pages.append(PlacedPage())
        top = page.content.top
        queue.insert(0, row)
    return [p for p in pages if not p.empty] or [PlacedPage()]


def _columns(row: Sequence[Card]) -> list[tuple[int, Card]]:
    """Give each card of a row its starting grid column, left to right."""
    placed = []
    column = 0
    for card in row:
        placed.append((column, card))
        column += card.span
    return placed


def _place(
    placed: PlacedPage,
    row: Sequence[tuple[int, Card]],
    widths: Sequence[Emu],
    measurer: Measurer,
    page: Page,
    top: Emu,
) -> None:
    heights = [c.measure(w, measurer) for (_, c), w in zip(row, widths, strict=True)]
    row_height = max(heights)
    for (column, card), width, height in zip(row, widths, heights, strict=True):
        stretch = getattr(card, "stretch", False)
        box = Box(page.column_left(column), top, width, Emu(row_height if stretch else height))
        placed.shapes.extend(card.draw(box))
        placed.figures.extend(card.figures())
