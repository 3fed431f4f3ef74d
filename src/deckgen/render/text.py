"""Text frames: paragraphs, runs, bullets and numbering, sized and coloured as the spec says.

python-pptx has no bullet API and PowerPoint is strict about the order of a paragraph's
properties, so bullet elements are inserted where the schema's sequence puts them.
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from deckgen.design import STYLES, Role
from deckgen.render.colors import set_color
from deckgen.render.xml import sort_children
from deckgen.slides.layout import BULLET_INDENT
from deckgen.specs import Align, Anchor, Bullet, Paragraph, TextSpec, inches

ALIGN = {Align.LEFT: PP_ALIGN.LEFT, Align.CENTER: PP_ALIGN.CENTER, Align.RIGHT: PP_ALIGN.RIGHT}
ANCHOR = {
    Anchor.TOP: MSO_ANCHOR.TOP,
    Anchor.MIDDLE: MSO_ANCHOR.MIDDLE,
    Anchor.BOTTOM: MSO_ANCHOR.BOTTOM,
}
BULLET_CHAR = "•"
# Children of a:pPr, in the order CT_TextParagraphProperties requires them.
_PPR_ORDER = (
    "lnSpc", "spcBef", "spcAft", "buClrTx", "buClr", "buSzTx", "buSzPct", "buSzPts", "buFontTx",
    "buFont", "buNone", "buAutoNum", "buChar", "buBlip", "tabLst", "defRPr", "extLst",
)  # fmt: skip


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
    fill_paragraphs(frame, spec.paragraphs)
    return shape


def fill_paragraphs(frame: Any, paragraphs: tuple[Paragraph, ...]) -> None:
    """Replace a text frame's paragraphs with the spec's."""
    for index, spec in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        write_paragraph(paragraph, spec)


def write_paragraph(paragraph: Any, spec: Paragraph) -> None:
    style = STYLES[spec.style]
    paragraph.alignment = ALIGN[spec.align]
    paragraph.line_spacing = style.line_spacing
    # Written even when 0: text boxes take their defaults from places readers disagree on.
    paragraph.space_before = Pt(style.space_before)
    if spec.bullet is not Bullet.NONE:
        _bullet(paragraph, spec, style.color)
    for run_spec in spec.runs:
        run = paragraph.add_run()
        run.text = run_spec.text
        font = run.font
        font.size = Pt(spec.size)
        font.bold = style.bold if run_spec.bold is None else run_spec.bold
        if style.italic:
            font.italic = True
        set_color(font.color, run_spec.color or style.color)
        if style.caps:
            font._rPr.set("cap", "all")


def _bullet(paragraph: Any, spec: Paragraph, color: Role) -> None:
    """Give a paragraph a hanging bullet or number, with its elements in schema order."""
    p_pr = paragraph._p.get_or_add_pPr()
    indent = inches(BULLET_INDENT)
    p_pr.set("marL", str(indent))
    p_pr.set("indent", str(-indent))
    colour = etree.SubElement(p_pr, qn("a:buClr"))
    scheme = etree.SubElement(colour, qn("a:schemeClr"))
    scheme.set("val", (Role.PRIMARY if color is Role.TEXT else color).value)
    if spec.bullet is Bullet.NUMBER:
        marker = etree.SubElement(p_pr, qn("a:buAutoNum"))
        marker.set("type", "arabicPeriod")
        marker.set("startAt", str(max(spec.number, 1)))
    else:
        font = etree.SubElement(p_pr, qn("a:buFont"))
        font.set("typeface", "Arial")
        marker = etree.SubElement(p_pr, qn("a:buChar"))
        marker.set("char", BULLET_CHAR)
    sort_children(p_pr, _PPR_ORDER)
