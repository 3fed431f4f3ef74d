"""Draw a planned deck into the template: one slide per spec, then the file's bytes.

The renderer decides nothing: every word, size and position is in the specs. It only knows how
PowerPoint wants them written: titles in the layout's title placeholder, footers cloned from the
layout (with a real slide-number field), notes, alt text, and no empty placeholder left behind.
"""

from __future__ import annotations

import copy
import io
import uuid
from pathlib import Path
from typing import Any

from lxml import etree
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from deckgen.design import STYLES, TextStyle
from deckgen.errors import DeckgenError
from deckgen.render import partnames
from deckgen.render.charts import add_native_chart
from deckgen.render.shapes import add_shape, set_description
from deckgen.render.tables import add_table
from deckgen.render.template import open_template, require_layouts
from deckgen.render.text import add_text
from deckgen.slides.layout import Page
from deckgen.specs import (
    LAYOUT_COVER,
    LAYOUT_SECTION,
    ChartSpec,
    DeckSpec,
    PageGeometry,
    Paragraph,
    Run,
    ShapeSpec,
    SlideSpec,
    TableSpec,
    TextSpec,
)

NATIVE = "native"
IMAGE = "image"
CHART_ENGINES = (NATIVE, IMAGE)
IMAGE_DPI = 200
CORE_PROPERTY_LIMIT = 255
TITLE_STYLES = {LAYOUT_COVER: TextStyle.COVER_TITLE, LAYOUT_SECTION: TextStyle.SECTION_TITLE}
FOOTER_TYPES = (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.SLIDE_NUMBER)
_FIELD_NAMESPACE = uuid.UUID("5b0f0f5e-7a43-4c38-9b0e-3c3f7d2f8a10")


def render(
    deck: DeckSpec, template: Path, geometry: PageGeometry, chart_engine: str = NATIVE
) -> bytes:
    """Return the .pptx bytes of `deck` drawn into `template`."""
    prs = open_template(template)
    layouts = require_layouts(prs, template)
    _remove_slides(prs)
    partnames.install(prs.part.package)
    for index, spec in enumerate(deck.slides, start=1):
        slide = prs.slides.add_slide(layouts[spec.layout])
        _draw_slide(slide, spec, deck, geometry, chart_engine, index)
    props = prs.core_properties
    props.title = _property(deck.title)
    props.author = _property(deck.organisation)
    props.subject = _property(deck.subject)
    props.category = _property(deck.classification)
    props.keywords = _property(", ".join(deck.keywords))
    props.last_modified_by = _property(deck.organisation)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _property(text: str) -> str:
    """Core properties hold at most 255 characters; the slides keep the full text."""
    return text if len(text) <= CORE_PROPERTY_LIMIT else text[: CORE_PROPERTY_LIMIT - 1] + "…"


def _remove_slides(prs: Any) -> None:
    """A template may carry example slides; the deck starts from none."""
    id_list = prs.slides._sldIdLst
    for slide_id in list(id_list):
        prs.part.drop_rel(slide_id.rId)
        id_list.remove(slide_id)


def _draw_slide(
    slide: Any,
    spec: SlideSpec,
    deck: DeckSpec,
    geometry: PageGeometry,
    chart_engine: str,
    index: int,
) -> None:
    slide._element.cSld.set("name", spec.key)  # the slide's id, for findings and reuse
    _title(slide, spec)
    _subtitle(slide, spec)
    _remove_empty_placeholders(slide)
    if spec.footer:
        _footers(slide, deck, index)
    notes = spec.notes
    for shape in spec.shapes:
        if isinstance(shape, TextSpec):
            add_text(slide.shapes, shape)
        elif isinstance(shape, ShapeSpec):
            add_shape(slide.shapes, shape)
        elif isinstance(shape, TableSpec):
            add_table(slide.shapes, shape)
        elif isinstance(shape, ChartSpec):
            if chart_engine == IMAGE:
                _chart_picture(slide.shapes, shape, geometry)
                notes = _with_data_table(notes, shape)
            else:
                add_native_chart(slide.shapes, shape)
    if spec.source_line:
        page = Page.of(geometry, spec.layout)
        paragraph = Paragraph(
            (Run(spec.source_line),), TextStyle.SOURCE, STYLES[TextStyle.SOURCE].size
        )
        add_text(slide.shapes, TextSpec("Source", page.source, (paragraph,)))
    if notes:
        slide.notes_slide.notes_text_frame.text = notes


def _title(slide: Any, spec: SlideSpec) -> None:
    title = slide.shapes.title
    if title is None:
        raise DeckgenError(f"layout '{spec.layout}' of the template has no title placeholder")
    frame = title.text_frame
    frame.text = spec.title
    style = STYLES[TITLE_STYLES.get(spec.layout, TextStyle.TITLE)]
    for paragraph in frame.paragraphs:
        paragraph.line_spacing = style.line_spacing  # as the planner measured it
    if spec.title_size:
        for paragraph in frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(spec.title_size)


def _subtitle(slide: Any, spec: SlideSpec) -> None:
    if not spec.subtitle:
        return
    for placeholder in slide.placeholders:
        kind = placeholder.placeholder_format.type
        if kind in (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY):
            frame = placeholder.text_frame
            lines = spec.subtitle.split("\n")
            style = STYLES[TextStyle.COVER_SUBTITLE]
            for number, line in enumerate(lines):
                paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
                paragraph.line_spacing = style.line_spacing  # as the planner measured it
                paragraph.space_before = Pt(style.space_before)
                run = paragraph.add_run()
                run.text = line
                if spec.subtitle_size:
                    run.font.size = Pt(spec.subtitle_size)
            return


def _remove_empty_placeholders(slide: Any) -> None:
    """No "Click to add text" is left on a slide."""
    for placeholder in list(slide.placeholders):
        if placeholder.has_text_frame and not placeholder.text_frame.text.strip():
            placeholder._element.getparent().remove(placeholder._element)


def _footers(slide: Any, deck: DeckSpec, index: int) -> None:
    """Copy the layout's footer, date and slide-number placeholders and fill them."""
    texts = {
        PP_PLACEHOLDER.FOOTER: deck.classification,
        PP_PLACEHOLDER.DATE: f"Data as of {deck.data_as_of}",
    }
    for placeholder in slide.slide_layout.placeholders:
        kind = placeholder.placeholder_format.type
        if kind not in FOOTER_TYPES:
            continue
        slide.shapes.clone_placeholder(placeholder)
        clone = slide.placeholders[placeholder.placeholder_format.idx]
        _copy_list_style(placeholder, clone)
        frame = clone.text_frame
        if kind == PP_PLACEHOLDER.SLIDE_NUMBER:
            _slide_number_field(frame.paragraphs[0], index)
        else:
            frame.text = texts[kind]


def _copy_list_style(layout_placeholder: Any, clone: Any) -> None:
    """Carry the layout's footer style onto the slide's copy.

    LibreOffice draws a slide footer without it in a large serif face, whatever the layout says.
    """
    style = layout_placeholder.element.txBody.find(qn("a:lstStyle"))
    body = clone.element.get_or_add_txBody()
    if style is None:
        return
    existing = body.find(qn("a:lstStyle"))
    if existing is not None:
        body.remove(existing)
    body.find(qn("a:bodyPr")).addnext(copy.deepcopy(style))


def _slide_number_field(paragraph: Any, index: int) -> None:
    """A real slide-number field, so the number stays right when the slide is moved or reused."""
    field = etree.SubElement(paragraph._p, qn("a:fld"))
    field.set("id", "{" + str(uuid.uuid5(_FIELD_NAMESPACE, str(index))).upper() + "}")
    field.set("type", "slidenum")
    etree.SubElement(field, qn("a:rPr")).set("lang", "en-GB")
    etree.SubElement(field, qn("a:t")).text = str(index)
    end = paragraph._p.find(qn("a:endParaRPr"))
    if end is not None:
        paragraph._p.remove(end)
        paragraph._p.append(end)


def _chart_picture(shapes: Any, spec: ChartSpec, geometry: PageGeometry) -> None:
    from deckgen.render.images import chart_png

    png = chart_png(spec, geometry.theme_colors, geometry.body_font, IMAGE_DPI)
    box = spec.box
    picture = shapes.add_picture(
        io.BytesIO(png), Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height)
    )
    picture.name = spec.name
    set_description(picture, spec.alt_text, title="Chart")


def _with_data_table(notes: str, spec: ChartSpec) -> str:
    if not spec.data_table:
        return notes
    rows = [" | ".join(cell or "-" for cell in row) for row in spec.data_table]
    table = "\n".join([f"Chart data ({spec.name}):", *rows])
    return f"{notes}\n\n{table}" if notes else table
