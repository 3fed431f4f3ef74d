"""Text frames: paragraphs, runs, bullets and numbering, sized and coloured as the spec says.

Paragraphs are written as DrawingML directly rather than through python-pptx's run and font
objects: it is the same XML, in the order the schema requires (PowerPoint offers to repair a
file whose paragraph properties are out of order), and several times faster on large decks.
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu

from deckgen.design import STYLES, Role
from deckgen.slides.layout import BULLET_INDENT
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
_P, _PPR, _R, _RPR, _T = qn("a:p"), qn("a:pPr"), qn("a:r"), qn("a:rPr"), qn("a:t")


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
    for spec in paragraphs:
        body.append(paragraph_element(spec))


def paragraph_element(spec: Paragraph) -> Any:
    """An a:p element for a paragraph spec: its properties, bullet and runs."""
    style = STYLES[spec.style]
    paragraph = etree.Element(_P)
    properties = etree.SubElement(paragraph, _PPR)
    properties.set("algn", ALGN[spec.align])
    if spec.bullet is not Bullet.NONE:
        indent = inches(BULLET_INDENT)
        properties.set("marL", str(indent))
        properties.set("indent", str(-indent))
    spacing = etree.SubElement(etree.SubElement(properties, qn("a:lnSpc")), qn("a:spcPct"))
    spacing.set("val", str(round(style.line_spacing * 100_000)))
    # Written even when 0: text boxes take their defaults from places readers disagree on.
    before = etree.SubElement(etree.SubElement(properties, qn("a:spcBef")), qn("a:spcPts"))
    before.set("val", str(round(style.space_before * 100)))
    if spec.bullet is not Bullet.NONE:
        _bullet(properties, spec, style.color)
    for run_spec in spec.runs:
        run = etree.SubElement(paragraph, _R)
        font = etree.SubElement(run, _RPR)
        font.set("lang", LANGUAGE)
        font.set("sz", str(round(spec.size * 100)))
        font.set("b", "1" if (style.bold if run_spec.bold is None else run_spec.bold) else "0")
        if style.italic:
            font.set("i", "1")
        if style.caps:
            font.set("cap", "all")
        _scheme_fill(font, run_spec.color or style.color)
        etree.SubElement(run, _T).text = run_spec.text
    return paragraph


def _bullet(properties: Any, spec: Paragraph, color: Role) -> None:
    """A hanging bullet or number, its elements after spacing as the schema orders them."""
    colour = etree.SubElement(properties, qn("a:buClr"))
    etree.SubElement(colour, qn("a:schemeClr")).set(
        "val", (Role.PRIMARY if color is Role.TEXT else color).value
    )
    if spec.bullet is Bullet.NUMBER:
        marker = etree.SubElement(properties, qn("a:buAutoNum"))
        marker.set("type", "arabicPeriod")
        marker.set("startAt", str(max(spec.number, 1)))
    else:
        etree.SubElement(properties, qn("a:buFont")).set("typeface", BULLET_FONT)
        etree.SubElement(properties, qn("a:buChar")).set("char", BULLET_CHAR)


def _scheme_fill(parent: Any, role: Role) -> None:
    fill = etree.SubElement(parent, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:schemeClr")).set("val", role.value)
