"""Text frames: paragraphs, runs, bullets and numbering, sized and coloured as the spec says.

Paragraphs are written as DrawingML directly rather than through python-pptx's run and font
objects: it is the same XML, in the order the schema requires (PowerPoint offers to repair a
file whose paragraph properties are out of order), and several times faster on large decks.
"""

from __future__ import annotations

from typing import Any

from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu

from deckgen.design import GRID, STYLES, Role
from deckgen.render.xml import escape_text
from deckgen.specs import Align, Anchor, Bullet, Paragraph, TextSpec, inches

ALIGN = {Align.LEFT: PP_ALIGN.LEFT, Align.CENTER: PP_ALIGN.CENTER, Align.RIGHT: PP_ALIGN.RIGHT}
ALGN = {Align.LEFT: "l", Align.CENTER: "ctr", Align.RIGHT: "r"}
ANCHOR = {
    Anchor.TOP: MSO_ANCHOR.TOP,
    Anchor.MIDDLE: MSO_ANCHOR.MIDDLE,
    Anchor.BOTTOM: MSO_ANCHOR.BOTTOM,
}
BULLET_CHAR = "•"
BULLET_FONT = "Arial"
LANGUAGE = "en-GB"
_P = qn("a:p")
NSDECL_A = nsdecls("a")


def add_text(shapes: Any, spec: TextSpec) -> Any:
    """Draw a text box as the spec says; return the shape."""
    box = spec.box
    shape = shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
    shape.name = spec.name
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = Emu(spec.inset_x)
    frame.margin_top = frame.margin_bottom = Emu(spec.inset_y)
    frame.vertical_anchor = ANCHOR[spec.anchor]
    if spec.fill is not None:
        from deckgen.render.colors import fill_solid

        fill_solid(shape.fill, spec.fill)
    fill_paragraphs(frame._txBody, spec.paragraphs)
    return shape


def fill_paragraphs(body: Any, paragraphs: tuple[Paragraph, ...]) -> None:
    """Replace the paragraphs of a txBody element (a text box's or a table cell's)."""
    for old in body.findall(_P):
        body.remove(old)
    markup = "".join(paragraph_xml(spec) for spec in paragraphs)
    body.extend(list(parse_xml(f"<a:txBody {NSDECL_A}>{markup}</a:txBody>")))


def paragraph_xml(spec: Paragraph) -> str:
    """The a:p markup for a paragraph spec, in the schema's order, for text boxes and cells.

    Written as text and parsed once (a whole table at a time for tables): building the same
    elements one by one through lxml costs several times as much on a large deck.
    """
    style = STYLES[spec.style]
    bulleted = spec.bullet is not Bullet.NONE
    parts = [f'<a:p><a:pPr algn="{ALGN[spec.align]}"']
    hanging = inches(GRID.bullet_indent) if bulleted else spec.hanging
    if hanging or spec.indent:  # marL: where lines after the first start; indent: the first's
        parts.append(f' marL="{spec.indent + hanging}" indent="{-hanging}"')
    parts.append(
        f'><a:lnSpc><a:spcPct val="{round(style.line_spacing * 100_000)}"/></a:lnSpc>'
        # Written even when 0: text boxes take their defaults from places readers disagree on.
        f'<a:spcBef><a:spcPts val="{round(style.space_before * 100)}"/></a:spcBef>'
    )
    if bulleted:
        parts.append(_bullet_xml(spec, style.color))
    if spec.right_tab:  # positions count from the left inset, not from marL
        parts.append(f'<a:tabLst><a:tab pos="{spec.right_tab}" algn="r"/></a:tabLst>')
    parts.append("</a:pPr>")
    size = round(spec.size * 100)
    extra = (' i="1"' if style.italic else "") + (' cap="all"' if style.caps else "")
    for run in spec.runs:
        if not run.text:
            continue
        bold = "1" if (style.bold if run.bold is None else run.bold) else "0"
        colour = (run.color or style.color).value
        parts.append(
            f'<a:r><a:rPr lang="{LANGUAGE}" sz="{size}" b="{bold}"{extra}>'
            f'<a:solidFill><a:schemeClr val="{colour}"/></a:solidFill></a:rPr>'
            f"<a:t>{escape_text(run.text)}</a:t></a:r>"
        )
    if not spec.text:  # an empty cell keeps its size: readers fall back to 18 pt otherwise
        parts.append(f'<a:endParaRPr lang="{LANGUAGE}" sz="{size}"/>')
    parts.append("</a:p>")
    return "".join(parts)


def _bullet_xml(spec: Paragraph, color: Role) -> str:
    """A hanging bullet or number, its elements after spacing as the schema orders them."""
    colour = (Role.PRIMARY if color is Role.TEXT else color).value
    marker = (
        f'<a:buAutoNum type="arabicPeriod" startAt="{max(spec.number, 1)}"/>'
        if spec.bullet is Bullet.NUMBER
        else f'<a:buFont typeface="{BULLET_FONT}"/><a:buChar char="{BULLET_CHAR}"/>'
    )
    return f'<a:buClr><a:schemeClr val="{colour}"/></a:buClr>{marker}'
