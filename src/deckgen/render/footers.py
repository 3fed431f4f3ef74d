"""Footer, date and slide number: the layout's placeholders copied onto each slide and filled.

The first slide of each layout gets them through python-pptx (clone the placeholder, carry the
layout's list style across, fill it); later slides of that layout get a copy of that result with
their own shape id and slide number. Cloning through python-pptx walks the slide's and layout's
shapes several times per placeholder, which was a tenth of a large deck's drawing time.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from typing import Any

from lxml import etree
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn

from deckgen import autofit
from deckgen.autofit import NO_SHRINK
from deckgen.identity import DATA_AS_OF
from deckgen.specs import DeckSpec

FOOTER_TYPES = (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.SLIDE_NUMBER)
_FIELD_NAMESPACE = uuid.UUID("5b0f0f5e-7a43-4c38-9b0e-3c3f7d2f8a10")
_CNVPR, _FLD, _T, _RPR, _R = qn("p:cNvPr"), qn("a:fld"), qn("a:t"), qn("a:rPr"), qn("a:r")
_NAMES = {
    PP_PLACEHOLDER.FOOTER: "footer",
    PP_PLACEHOLDER.DATE: "date",
    PP_PLACEHOLDER.SLIDE_NUMBER: "slide_number",
}  # as the planner names them (slides/footers.py)


@dataclass(frozen=True)
class _Prepared:
    """A filled footer placeholder as drawn on the first slide of its layout."""

    element: Any
    basename: str  # "Footer Placeholder": the shape is named "<basename> <id - 1>"


class Footers:
    """Fills the footer placeholders of every slide of one deck."""

    def __init__(self, deck: DeckSpec) -> None:
        self._texts = {
            PP_PLACEHOLDER.FOOTER: deck.classification,
            PP_PLACEHOLDER.DATE: f"{DATA_AS_OF}{deck.data_as_of}",
        }
        self._sizes = deck.footer_sizes
        self._prepared: dict[int, list[_Prepared]] = {}

    def add(self, slide: Any, index: int) -> None:
        """Add the footer, date and slide-number `index` to `slide`."""
        key = id(slide.slide_layout.part)
        prepared = self._prepared.get(key)
        if prepared is None:
            self._prepared[key] = self._first(slide, index)
            return
        tree = slide.shapes._spTree
        next_id = slide.shapes._next_shape_id
        for piece in prepared:
            element = copy.deepcopy(piece.element)
            properties = element.find(f".//{_CNVPR}")
            properties.set("id", str(next_id))
            properties.set("name", f"{piece.basename} {next_id - 1}")
            next_id += 1
            field = element.find(f".//{_FLD}")
            if field is not None:
                _number(field, index)
            tree.insert_element_before(element, "p:extLst")

    def _first(self, slide: Any, index: int) -> list[_Prepared]:
        """Draw the footers through python-pptx and keep what it drew."""
        prepared = []
        sizes = self._sizes.get(slide.slide_layout.name, {})
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
                frame.text = self._texts[kind]
            _fitted(clone.element, sizes.get(_NAMES[kind]))
            prepared.append(_Prepared(copy.deepcopy(clone.element), slide.shapes.ph_basename(kind)))
        return prepared


def _fitted(element: Any, size: float | None) -> None:
    """A footer the planner fitted to its placeholder: at the size it chose where the
    template's does not fit, and saying normAutofit with no shrink (see render/deck.py)."""
    if size is not None:
        for run in (*element.iter(_R), *element.iter(_FLD)):
            properties = run.find(_RPR)
            if properties is None:
                properties = etree.Element(_RPR)
                run.insert(0, properties)
            properties.set("sz", str(round(size * 100)))
    autofit.write(element.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}"), NO_SHRINK)


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
    field = etree.SubElement(paragraph._p, _FLD)
    field.set("id", "")  # set by _number; first, as PowerPoint writes it
    field.set("type", "slidenum")
    etree.SubElement(field, qn("a:rPr")).set("lang", "en-GB")
    etree.SubElement(field, _T)
    _number(field, index)
    end = paragraph._p.find(qn("a:endParaRPr"))
    if end is not None:
        paragraph._p.remove(end)
        paragraph._p.append(end)


def _number(field: Any, index: int) -> None:
    """Set the field's id (stable per slide number, for identical rebuilds) and its number."""
    field.set("id", "{" + str(uuid.uuid5(_FIELD_NAMESPACE, str(index))).upper() + "}")
    field.find(_T).text = str(index)
