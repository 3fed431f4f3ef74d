"""Read a table as PowerPoint lays it out: columns, rows, merged cells and its table style.

A cell that PowerPoint draws as part of a merged neighbour (hMerge/vMerge) has no box of its
own. A table style (from tableStyles.xml) may give a cell its fill and its text bold or colour,
depending on where the cell sits (header row, banded rows, first column ...); the parts apply
in PowerPoint's order, the later winning. A built-in style that the file names but does not
write out (python-pptx's default, "Medium Style 2 - Accent 1") fills cells in colours only
PowerPoint knows, so such a cell's fill is unknown rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from deckgen.checks.colors import COLOR_TAGS, UNKNOWN, UNSET, Fill, Palette
from deckgen.checks.deck import Deck
from deckgen.checks.ooxml import (
    A_TC_PR,
    A_TX_BODY,
    GRAPHIC_TABLE,
    Element,
    bool_attr,
    int_attr,
    local_name,
    qn,
)
from deckgen.checks.shapes import ShapeView
from deckgen.checks.textstyle import run_defaults
from deckgen.specs import Emu

# Built-in table styles that fill nothing: "No Style, No Grid" and "No Style, Table Grid".
PLAIN_STYLES = frozenset(
    {"{2D5ABB26-0587-4C30-8999-92F81FD0307C}", "{5940675A-B579-460E-94D1-54222C63F5DA}"}
)


@dataclass(frozen=True)
class Cell:
    element: Element
    row: int
    column: int
    width: Emu  # of the columns it spans
    row_span: int
    body: Element | None  # its txBody
    properties: Element | None  # its tcPr


@dataclass(frozen=True)
class Table:
    element: Element
    column_widths: tuple[Emu, ...]
    row_heights: tuple[Emu, ...]
    cells: tuple[Cell, ...]  # the cells drawn (merged-over cells left out)
    style: Element | None
    style_known: bool  # False: a built-in style whose fills are not in the file
    # The run defaults made for each set of style parts: most cells share a few sets, and sharing
    # the element lets their paragraphs share one resolved style chain.
    _text_defaults: dict[tuple[Element, ...], Element | None] = field(
        default_factory=dict, compare=False, repr=False
    )

    def flag(self, name: str) -> bool:
        return bool(bool_attr(self.element.find(qn("a:tblPr")), name))

    def parts_for(self, cell: Cell) -> list[Element]:
        """The table style's parts that style this cell, in the order they apply."""
        if self.style is None:
            return []
        rows, columns = len(self.row_heights), len(self.column_widths)
        wanted = ["wholeTbl"]
        first_row, first_col = self.flag("firstRow"), self.flag("firstCol")
        if self.flag("bandCol"):
            wanted.append("band1V" if (cell.column - first_col) % 2 == 0 else "band2V")
        if self.flag("bandRow"):
            wanted.append("band1H" if (cell.row - first_row) % 2 == 0 else "band2H")
        if self.flag("lastCol") and cell.column == columns - 1:
            wanted.append("lastCol")
        if first_col and cell.column == 0:
            wanted.append("firstCol")
        if self.flag("lastRow") and cell.row == rows - 1:
            wanted.append("lastRow")
        if first_row and cell.row == 0:
            wanted.append("firstRow")
        return [part for name in wanted if (part := self.style.find(qn(f"a:{name}"))) is not None]

    def style_fill(self, cell: Cell, palette: Palette) -> Fill:
        """The fill the table style gives a cell (UNSET when it gives none)."""
        if not self.style_known:
            return UNKNOWN
        fill = UNSET
        for part in self.parts_for(cell):
            style = part.find(qn("a:tcStyle"))
            if style is None:
                continue
            given = palette.fill(style.find(qn("a:fill")))
            if given is UNSET and style.find(qn("a:fillRef")) is not None:
                given = palette.style_fill(style.find(qn("a:fillRef")))
            if given is not UNSET:
                fill = given
        return fill

    def text_defaults(self, cell: Cell) -> Element | None:
        """The table style's bold, italic, font and colour for a cell's text, as run defaults."""
        parts = tuple(self.parts_for(cell))
        if parts not in self._text_defaults:
            self._text_defaults[parts] = _text_defaults(parts)
        return self._text_defaults[parts]


def _text_defaults(parts: tuple[Element, ...]) -> Element | None:
    """Run defaults from the tcTxStyle of the style parts, later parts winning."""
    bold: bool | None = None
    italic: bool | None = None
    typeface = ""
    colour: Element | None = None
    for part in parts:
        text = part.find(qn("a:tcTxStyle"))
        if text is None:
            continue
        bold = _on_off(text.get("b"), bold)
        italic = _on_off(text.get("i"), italic)
        font_ref = text.find(qn("a:fontRef"))
        if font_ref is not None:
            typeface = {"major": "+mj-lt", "minor": "+mn-lt"}.get(
                str(font_ref.get("idx")), typeface
            )
            colour = next((c for c in font_ref if local_name(c) in COLOR_TAGS), colour)
        latin = text.find(f"{qn('a:font')}/{qn('a:latin')}")
        if latin is not None and latin.get("typeface"):
            typeface = str(latin.get("typeface"))
        colour = next((c for c in text if local_name(c) in COLOR_TAGS), colour)
    return run_defaults(bold, italic, typeface, colour)


def _on_off(value: str | None, current: bool | None) -> bool | None:
    if value == "on":
        return True
    if value == "off":
        return False
    return current


def table_of(view: ShapeView, deck: Deck) -> Table | None:
    """The table in a graphic frame, None when it holds something else."""
    data = view.graphic_data()
    if data is None or data.get("uri") != GRAPHIC_TABLE:
        return None
    element = data.find(qn("a:tbl"))
    if element is None:
        return None
    widths = tuple(
        Emu(int_attr(col, "w", 0))
        for col in element.iterfind(f"{qn('a:tblGrid')}/{qn('a:gridCol')}")
    )
    rows = list(element.iterfind(qn("a:tr")))
    cells: list[Cell] = []
    for row_index, row in enumerate(rows):
        for column, tc in enumerate(row.iterfind(qn("a:tc"))):
            if bool_attr(tc, "hMerge") or bool_attr(tc, "vMerge"):
                continue  # drawn as part of the merged cell to its left or above
            span = max(int_attr(tc, "gridSpan", 1), 1)
            width = Emu(sum(widths[column : column + span]))
            row_span = max(int_attr(tc, "rowSpan", 1), 1)
            body, properties = _parts(tc)
            cells.append(Cell(tc, row_index, column, width, row_span, body, properties))
    heights = tuple(Emu(int_attr(row, "h", 0)) for row in rows)
    style, known = _style(element, deck)
    return Table(element, widths, heights, tuple(cells), style, known)


def _parts(tc: Element) -> tuple[Element | None, Element | None]:
    """A cell's txBody and tcPr (the first of each), read in one pass over its children."""
    body = properties = None
    for child in tc:
        if child.tag == A_TX_BODY and body is None:
            body = child
        elif child.tag == A_TC_PR and properties is None:
            properties = child
    return body, properties


def _style(table: Element, deck: Deck) -> tuple[Element | None, bool]:
    """The table's style from tableStyles.xml, and whether its fills are known."""
    styles = deck.table_styles
    wanted = table.findtext(f"{qn('a:tblPr')}/{qn('a:tableStyleId')}")
    if not wanted and styles is not None:
        wanted = styles.get("def")
    if not wanted or wanted.strip().upper() in PLAIN_STYLES:
        return None, True
    for style in styles.iterfind(qn("a:tblStyle")) if styles is not None else ():
        if style.get("styleId") == wanted:
            return style, True
    return None, False
