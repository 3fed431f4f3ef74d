"""Tables: a navy header row, zebra rows, numbers right-aligned and a bold total under a rule.

Cells are written as DrawingML directly (python-pptx's cell objects cost a millisecond a cell,
and setting a row's height through them re-adds every row's height: n² in a long table).
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from deckgen.design import Role, TextStyle
from deckgen.render.shapes import set_description
from deckgen.render.text import paragraph_element
from deckgen.slides.layout import CELL_INSET_X, CELL_INSET_Y
from deckgen.specs import Align, Paragraph, Run, TableSpec, inches

# "No Style, No Grid": every fill and rule comes from the spec, not from a table style.
PLAIN_TABLE_STYLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"
TOTAL_RULE = Pt(1.25)


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
    tbl = table._tbl
    tbl.tblPr.find(qn("a:tableStyleId")).text = PLAIN_TABLE_STYLE
    for grid_col, column in zip(tbl.tblGrid.findall(qn("a:gridCol")), spec.columns, strict=True):
        grid_col.set("w", str(column.width))
    rows_xml = tbl.findall(qn("a:tr"))
    for tr, height in zip(rows_xml, spec.row_heights, strict=False):
        tr.set("h", str(height))
    frame.height = Emu(sum(spec.row_heights[:rows]))
    header = tuple(c.header for c in spec.columns)
    _row(rows_xml[0], header, spec, TextStyle.TABLE_HEADER, Role.PRIMARY, header=True)
    for index, values in enumerate(spec.rows, start=1):
        zebra = Role.PANEL if index % 2 == 0 else None
        _row(rows_xml[index], values, spec, TextStyle.TABLE, zebra)
    if spec.total is not None:
        _row(rows_xml[-1], spec.total, spec, TextStyle.TABLE, None, total=True)
    return frame


def _row(
    tr: Any,
    values: tuple[str, ...],
    spec: TableSpec,
    style: TextStyle,
    fill: Role | None,
    header: bool = False,
    total: bool = False,
) -> None:
    cells = tr.findall(qn("a:tc"))
    for col, (tc, text, column) in enumerate(zip(cells, values, spec.columns, strict=True)):
        align = Align.LEFT if header and col == 0 else column.align
        paragraph = Paragraph((Run(text, bold=header or total),), style, spec.size, align=align)
        body = tc.find(qn("a:txBody"))
        for old in body.findall(qn("a:p")):
            body.remove(old)
        body.append(paragraph_element(paragraph))
        properties = tc.get_or_add_tcPr()
        for child in list(properties):
            properties.remove(child)
        inset_x, inset_y = str(inches(CELL_INSET_X)), str(inches(CELL_INSET_Y))
        properties.set("marL", inset_x)
        properties.set("marR", inset_x)
        properties.set("marT", inset_y)
        properties.set("marB", inset_y)
        properties.set("anchor", "b" if header else "t")
        if total:  # the rule above the total row, then the fill: the schema's order
            line = etree.SubElement(properties, qn("a:lnT"))
            line.set("w", str(int(TOTAL_RULE)))
            _colour(etree.SubElement(line, qn("a:solidFill")), Role.PRIMARY)
        if fill is not None:
            _colour(etree.SubElement(properties, qn("a:solidFill")), fill)
        else:
            etree.SubElement(properties, qn("a:noFill"))


def _colour(parent: Any, role: Role) -> None:
    etree.SubElement(parent, qn("a:schemeClr")).set("val", role.value)
