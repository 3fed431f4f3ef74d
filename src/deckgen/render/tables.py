"""Tables: a navy header row, zebra rows, numbers right-aligned and a bold total under a rule."""

from __future__ import annotations

from typing import Any

from lxml import etree
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from deckgen.design import Role, TextStyle
from deckgen.render.colors import fill_solid, set_color
from deckgen.render.shapes import set_description
from deckgen.render.text import ALIGN
from deckgen.render.xml import sort_children
from deckgen.slides.layout import CELL_INSET_X, CELL_INSET_Y
from deckgen.specs import Align, TableSpec, inches

# "No Style, No Grid": every fill and rule comes from the spec, not from a table style.
PLAIN_TABLE_STYLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"
TOTAL_RULE = Pt(1.25)
# Children of a:tcPr, in schema order: borders first, then the fill.
_TCPR_ORDER = (
    "lnL",
    "lnR",
    "lnT",
    "lnB",
    "lnTlToBr",
    "lnBlToTr",
    "cell3D",
    "noFill",
    "solidFill",
    "gradFill",
    "blipFill",
    "pattFill",
    "grpFill",
    "headers",
    "extLst",
)


def add_table(shapes: Any, spec: TableSpec) -> Any:
    """Draw a table as the spec says; return the graphic frame."""
    rows = 1 + len(spec.rows) + (1 if spec.total is not None else 0)
    box = spec.box
    frame = shapes.add_table(
        rows, len(spec.columns), Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height)
    )
    frame.name = spec.name
    set_description(frame, spec.description, title="Table")
    table = frame.table
    table.first_row = True
    table.horz_banding = False
    table._tbl.tblPr.find(qn("a:tableStyleId")).text = PLAIN_TABLE_STYLE
    for index, column in enumerate(spec.columns):
        table.columns[index].width = Emu(column.width)
    for index, height in enumerate(spec.row_heights[:rows]):
        table.rows[index].height = Emu(height)
    header = tuple(c.header for c in spec.columns)
    _row(table, 0, header, spec, TextStyle.TABLE_HEADER, fill=Role.PRIMARY, header=True)
    for index, values in enumerate(spec.rows, start=1):
        zebra = Role.PANEL if index % 2 == 0 else None
        _row(table, index, values, spec, TextStyle.TABLE, fill=zebra)
    if spec.total is not None:
        _row(table, rows - 1, spec.total, spec, TextStyle.TABLE, fill=None, total=True)
    return frame


def _row(
    table: Any,
    index: int,
    values: tuple[str, ...],
    spec: TableSpec,
    style: TextStyle,
    fill: Role | None,
    header: bool = False,
    total: bool = False,
) -> None:
    for col, (text, column) in enumerate(zip(values, spec.columns, strict=True)):
        cell = table.cell(index, col)
        cell.margin_left = cell.margin_right = Emu(inches(CELL_INSET_X))
        cell.margin_top = cell.margin_bottom = Emu(inches(CELL_INSET_Y))
        cell.vertical_anchor = MSO_ANCHOR.BOTTOM if header else MSO_ANCHOR.TOP
        frame = cell.text_frame
        frame.word_wrap = True
        paragraph = frame.paragraphs[0]
        paragraph.alignment = ALIGN[Align.LEFT if header and col == 0 else column.align]
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(spec.size)
        run.font.bold = header or total
        set_color(run.font.color, Role.BACKGROUND if header else Role.TEXT)
        if fill is not None:
            fill_solid(cell.fill, fill)
        else:
            cell.fill.background()
        if total:
            _rule_above(cell)
        sort_children(cell._tc.get_or_add_tcPr(), _TCPR_ORDER)


def _rule_above(cell: Any) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    line = etree.SubElement(tc_pr, qn("a:lnT"))
    line.set("w", str(int(TOTAL_RULE)))
    solid = etree.SubElement(line, qn("a:solidFill"))
    colour = etree.SubElement(solid, qn("a:schemeClr"))
    colour.set("val", Role.PRIMARY.value)
