"""Tables: a navy header row, zebra rows, numbers right-aligned and a bold total under a rule.

The rows are written as DrawingML text and parsed once per table: python-pptx's cell objects
cost a millisecond a cell, and setting a row's height through them re-adds every row's height
(n² in a long table).
"""

from __future__ import annotations

from typing import Any

from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Pt

from deckgen.design import Role, TextStyle
from deckgen.render.shapes import set_description
from deckgen.render.text import paragraph_xml
from deckgen.slides.layout import CELL_INSET_X, CELL_INSET_Y
from deckgen.specs import Align, Paragraph, Run, TableSpec, inches

# "No Style, No Grid": every fill and rule comes from the spec, not from a table style.
PLAIN_TABLE_STYLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"
TOTAL_RULE = Pt(1.25)


def add_table(shapes: Any, spec: TableSpec) -> Any:
    """Draw a table as the spec says; return the graphic frame."""
    rows = 1 + len(spec.rows) + (1 if spec.total is not None else 0)
    if len(spec.row_heights) != rows:
        raise ValueError(f"table '{spec.name}': {rows} rows but {len(spec.row_heights)} heights")
    box = spec.box
    frame = shapes.add_table(
        1, len(spec.columns), Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height)
    )
    frame.name = spec.name
    set_description(frame, spec.description, title="Table")
    frame.height = Emu(sum(spec.row_heights))
    old = frame._element.find(f".//{qn('a:tbl')}")
    old.getparent().replace(old, parse_xml(table_xml(spec)))
    return frame


def table_xml(spec: TableSpec) -> str:
    """The a:tbl markup: properties, column widths, then the header, body and total rows."""
    heights = iter(spec.row_heights)
    header = tuple(c.header for c in spec.columns)
    parts = [
        f'<a:tbl {nsdecls("a")}><a:tblPr firstRow="1"><a:tableStyleId>{PLAIN_TABLE_STYLE}'
        "</a:tableStyleId></a:tblPr><a:tblGrid>",
        *(f'<a:gridCol w="{column.width}"/>' for column in spec.columns),
        "</a:tblGrid>",
        _row(next(heights), header, spec, TextStyle.TABLE_HEADER, Role.PRIMARY, header=True),
    ]
    for index, values in enumerate(spec.rows, start=1):
        zebra = Role.PANEL if index % 2 == 0 else None
        parts.append(_row(next(heights), values, spec, TextStyle.TABLE, zebra))
    if spec.total is not None:
        parts.append(_row(next(heights), spec.total, spec, TextStyle.TABLE, None, total=True))
    parts.append("</a:tbl>")
    return "".join(parts)


def _row(
    height: int,
    values: tuple[str, ...],
    spec: TableSpec,
    style: TextStyle,
    fill: Role | None,
    header: bool = False,
    total: bool = False,
) -> str:
    inset_x, inset_y = inches(CELL_INSET_X), inches(CELL_INSET_Y)
    properties = (
        f'<a:tcPr marL="{inset_x}" marR="{inset_x}" marT="{inset_y}" marB="{inset_y}" '
        f'anchor="{"b" if header else "t"}">'
    )
    if total:  # the rule above the total row, then the fill: the schema's order
        rule = f"<a:solidFill>{_colour(Role.PRIMARY)}</a:solidFill>"
        properties += f'<a:lnT w="{int(TOTAL_RULE)}">{rule}</a:lnT>'
    properties += (
        f"<a:solidFill>{_colour(fill)}</a:solidFill></a:tcPr>"
        if fill is not None
        else "<a:noFill/></a:tcPr>"
    )
    parts = [f'<a:tr h="{height}">']
    for col, (text, column) in enumerate(zip(values, spec.columns, strict=True)):
        align = Align.LEFT if header and col == 0 else column.align
        paragraph = Paragraph((Run(text, bold=header or total),), style, spec.size, align=align)
        parts.append(
            f"<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{paragraph_xml(paragraph)}</a:txBody>"
            f"{properties}</a:tc>"
        )
    parts.append("</a:tr>")
    return "".join(parts)


def _colour(role: Role) -> str:
    return f'<a:schemeClr val="{role.value}"/>'
