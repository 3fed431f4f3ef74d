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

from deckgen.design import GRID, Role, TextStyle
from deckgen.render.shapes import set_description
from deckgen.render.text import paragraph_xml
from deckgen.specs import Align, Paragraph, Run, TableSpec, inches

# "No Style, No Grid": every fill and rule comes from the spec, not from a table style.
PLAIN_TABLE_STYLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"
TOTAL_RULE = int(Pt(1.25))  # above the total row
GROUP_RULE = int(Pt(0.5))  # above a group's heading row


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
    bold = set(spec.bold_rows)
    stripe = 0  # zebra rows count from each group's heading
    for index, values in enumerate(spec.rows):
        if index in bold:
            rule = GROUP_RULE if index else None
            parts.append(_row(next(heights), values, spec, TextStyle.TABLE, None, rule=rule))
            stripe = 0
            continue
        stripe += 1
        zebra = Role.PANEL if stripe % 2 == 0 else None
        parts.append(_row(next(heights), values, spec, TextStyle.TABLE, zebra, plain=True))
    if spec.total is not None:
        parts.append(_row(next(heights), spec.total, spec, TextStyle.TABLE, None, rule=TOTAL_RULE))
    parts.append("</a:tbl>")
    return "".join(parts)


def _row(
    height: int,
    values: tuple[str, ...],
    spec: TableSpec,
    style: TextStyle,
    fill: Role | None,
    header: bool = False,
    rule: int | None = None,
    plain: bool = False,
) -> str:
    """One row; bold unless `plain`, with a rule of `rule` EMU above it when given."""
    inset_x, inset_y = inches(GRID.cell_inset_x), inches(GRID.cell_inset_y)
    properties = (
        f'<a:tcPr marL="{inset_x}" marR="{inset_x}" marT="{inset_y}" marB="{inset_y}" '
        f'anchor="{"b" if header else "t"}">'
    )
    if rule is not None:  # the rule above the row, then the fill: the schema's order
        colour = f"<a:solidFill>{_colour(Role.PRIMARY)}</a:solidFill>"
        properties += f'<a:lnT w="{rule}">{colour}</a:lnT>'
    properties += (
        f"<a:solidFill>{_colour(fill)}</a:solidFill></a:tcPr>"
        if fill is not None
        else "<a:noFill/></a:tcPr>"
    )
    parts = [f'<a:tr h="{height}">']
    for col, (text, column) in enumerate(zip(values, spec.columns, strict=True)):
        align = Align.LEFT if header and col == 0 else column.align
        paragraph = Paragraph((Run(text, bold=not plain),), style, spec.size, align=align)
        parts.append(
            f"<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{paragraph_xml(paragraph)}</a:txBody>"
            f"{properties}</a:tc>"
        )
    parts.append("</a:tr>")
    return "".join(parts)


def _colour(role: Role) -> str:
    return f'<a:schemeClr val="{role.value}"/>'
