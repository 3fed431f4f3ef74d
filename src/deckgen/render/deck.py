"""Draw a planned deck into the template: one slide per spec, then the file's bytes.

The renderer decides nothing: every word, size and position is in the specs. It only knows how
PowerPoint wants them written: titles in the layout's title placeholder, footers cloned from the
layout (with a real slide-number field), notes, alt text, and no empty placeholder left behind.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.serialized import PackageWriter
from pptx.util import Emu, Pt

from deckgen import autofit
from deckgen.archive import write_zip
from deckgen.autofit import NO_SHRINK
from deckgen.design import STYLES, TextStyle
from deckgen.errors import DeckgenError
from deckgen.identity import IMAGE, notes_text
from deckgen.render import growth, partnames, xpaths
from deckgen.render.charts import add_native_chart
from deckgen.render.footers import Footers
from deckgen.render.identity import Identifier
from deckgen.render.notes import NotesWriter
from deckgen.render.shapes import add_shape, set_description
from deckgen.render.tables import add_table
from deckgen.render.template import open_template, require_layouts
from deckgen.render.text import add_text
from deckgen.specs import (
    LAYOUT_COVER,
    LAYOUT_SECTION,
    Box,
    ChartSpec,
    DeckSpec,
    PageGeometry,
    Shape,
    ShapeSpec,
    SlideSpec,
    TableSpec,
    TextSpec,
)

NATIVE = "native"
CHART_ENGINES = (NATIVE, IMAGE)
IMAGE_DPI = 200
CORE_PROPERTY_LIMIT = 255
TITLE_STYLES = {LAYOUT_COVER: TextStyle.COVER_TITLE, LAYOUT_SECTION: TextStyle.SECTION_TITLE}


Members = list[tuple[str, bytes]]  # a package's parts and relationship parts, by member name


def render(
    deck: DeckSpec,
    template: Path,
    geometry: PageGeometry,
    chart_engine: str = NATIVE,
    on_slide: Callable[[], None] | None = None,
) -> bytes:
    """Return the .pptx bytes of `deck` drawn into `template`; `on_slide` is called after each
    slide is drawn, for a progress bar."""
    return write_zip(render_members(deck, template, geometry, chart_engine, on_slide))


def render_members(
    deck: DeckSpec,
    template: Path,
    geometry: PageGeometry,
    chart_engine: str = NATIVE,
    on_slide: Callable[[], None] | None = None,
) -> Members:
    """The members of the .pptx of `deck`, as python-pptx would write them into its zip.

    A build zips them once, normalised, and hands the same bytes to the quality gate: saving
    through python-pptx compressed every part only for the build to decompress and compress
    it again, and the gate to decompress it a third time.
    """
    xpaths.install()
    prs = open_template(template)
    layouts = require_layouts(prs, template)
    _remove_slides(prs)
    partnames.install(prs.part.package)
    growth.index_relationships(prs.part)
    slides = growth.SlideAdder(prs)
    footers, notes = Footers(deck), NotesWriter()
    identifier = Identifier(deck, chart_engine)
    for index, spec in enumerate(deck.slides, start=1):
        slide = slides.add(layouts[spec.layout])
        drawn = _draw_slide(slide, spec, geometry, chart_engine, footers, index)
        text = notes_text(spec, chart_engine)
        identifier.mark(slide, spec, drawn, text)  # after the footers, which carry the data date
        if text:
            notes.add(slide, text)
        if slide.has_notes_slide:
            growth.freeze(slide.notes_slide.part)
        growth.freeze(slide.part)
        if on_slide is not None:
            on_slide()
    props = prs.core_properties
    props.title = _property(deck.title)
    props.author = _property(deck.organisation)
    props.subject = _property(deck.subject)
    props.category = _property(deck.classification)
    props.keywords = _property(", ".join(deck.keywords))
    props.last_modified_by = _property(deck.organisation)
    return _members(prs.part.package)


class _Collector:
    """Stands in for python-pptx's zip writer: keeps each member instead of compressing it."""

    def __init__(self) -> None:
        self.members: Members = []

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.members.append((pack_uri.membername, blob))


def _members(package: Any) -> Members:
    """What `Presentation.save` writes, in its order: the content types, the package's
    relationships, then each part and its relationships (python-pptx's own PackageWriter)."""
    writer: Any = PackageWriter("", package._rels, tuple(package.iter_parts()))
    collector = _Collector()
    writer._write_content_types_stream(collector)
    writer._write_pkg_rels(collector)
    writer._write_parts(collector)
    return collector.members


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
    geometry: PageGeometry,
    chart_engine: str,
    footers: Footers,
    index: int,
) -> list[tuple[Shape, Any]]:
    """Draw the slide; return each shape of the spec beside the shape drawn from it."""
    slide._element.cSld.set("name", spec.key)  # the slide's id, for findings and reuse
    _title(slide, spec)
    _subtitle(slide, spec)
    _remove_empty_placeholders(slide)
    if spec.footer:  # after the layout's placeholders, before the content, as readers expect
        footers.add(slide, index)
    drawn: list[tuple[Shape, Any]] = []
    for shape in spec.shapes:
        if isinstance(shape, TextSpec):
            made = add_text(slide.shapes, shape)
        elif isinstance(shape, ShapeSpec):
            made = add_shape(slide.shapes, shape)
        elif isinstance(shape, TableSpec):
            made = add_table(slide.shapes, shape)
        elif chart_engine == IMAGE:
            made = _chart_picture(slide.shapes, shape, geometry)
        else:
            made = add_native_chart(slide.shapes, shape, geometry.body_font)
        drawn.append((shape, made))
    return drawn


def _title(slide: Any, spec: SlideSpec) -> None:
    title = slide.shapes.title
    if title is None:
        raise DeckgenError(f"layout '{spec.layout}' of the template has no title placeholder")
    frame = title.text_frame
    frame.text = spec.title
    style = STYLES[TITLE_STYLES.get(spec.layout, TextStyle.TITLE)]
    for paragraph in frame.paragraphs:
        _space(paragraph, style.line_spacing, style.space_before)  # as the planner measured it
    if spec.title_size:
        for paragraph in frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(spec.title_size)
    _fitted(title, spec.title_box)


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
                _space(paragraph, style.line_spacing, style.space_before)
                run = paragraph.add_run()
                run.text = line
                if spec.subtitle_size:
                    run.font.size = Pt(spec.subtitle_size)
            _fitted(placeholder, spec.subtitle_box)
            return


def _space(paragraph: Any, line_spacing: float, before: float) -> None:
    """Line spacing and the space around a placeholder's paragraph as the planner measured
    them, whatever the template says."""
    paragraph.line_spacing = line_spacing
    paragraph.space_before = Pt(before)
    paragraph.space_after = Pt(0)


def _fitted(placeholder: Any, box: Box | None) -> None:
    """A placeholder the planner fitted its text into: in the box it grew to (the layout's
    otherwise), saying normAutofit with no shrink, which is what it needs: PowerPoint draws it
    as written, and shrinks it should someone lengthen it."""
    if box is not None:
        placeholder.left, placeholder.top = Emu(box.left), Emu(box.top)
        placeholder.width, placeholder.height = Emu(box.width), Emu(box.height)
    autofit.write(placeholder.text_frame._txBody.bodyPr, NO_SHRINK)


def _remove_empty_placeholders(slide: Any) -> None:
    """No "Click to add text" is left on a slide."""
    for placeholder in list(slide.placeholders):
        if placeholder.has_text_frame and not placeholder.text_frame.text.strip():
            placeholder._element.getparent().remove(placeholder._element)


def _chart_picture(shapes: Any, spec: ChartSpec, geometry: PageGeometry) -> Any:
    from deckgen.render.images import chart_png

    png = chart_png(spec, geometry.theme_colors, geometry.body_font, IMAGE_DPI)
    box = spec.box
    picture = shapes.add_picture(
        io.BytesIO(png), Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height)
    )
    picture.name = spec.name
    set_description(picture, spec.alt_text, title="Chart")
    return picture
