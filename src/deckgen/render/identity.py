"""Write each data-carrying shape's id into the shape, in three carriers, so it travels.

What each application keeps of a shape copied into another talk (docs/reuse.md has the
measurements): PowerPoint for Windows and Mac keeps a shape's tags (`p:custDataLst`, pointing at
a tags part) through copy and paste and Reuse Slides; PowerPoint on the web loses them on cut
and paste. LibreOffice 7.4 keeps neither tags nor extensions, only the names of shapes that are
not placeholders. So every data shape gets:

- a tag, DECKGEN, holding its record (id, role, what it showed) as JSON: the full carrier;
- the same record in a `p:cNvPr/a:extLst` extension of deckgen's own, which readers that follow
  ISO/IEC 29500's rule of keeping unknown extensions carry along;
- its id after its name, "Key figure 1 [deckgen:1a2b3c:roi/text2]", which LibreOffice keeps.

The slide's one-per-slide records (title, subtitle, footer date, notes) go into a tag on the slide
itself, which Reuse Slides carries with the slide.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from pptx.opc.package import Part
from pptx.oxml.ns import qn

from deckgen import identity
from deckgen.identity import Record
from deckgen.refresh import fingerprint
from deckgen.specs import DeckSpec, Shape, SlideSpec

TAGS_PARTNAME = "/ppt/tags/tag%d.xml"
P_NAMESPACE = "http://schemas.openxmlformats.org/presentationml/2006/main"
_NV_PR, _CNV_PR, _EXT_LST = qn("p:nvPr"), qn("p:cNvPr"), qn("a:extLst")
_PH = qn("p:ph")


class Identifier:
    """Marks the data shapes of every slide of one deck as it is drawn."""

    def __init__(self, deck: DeckSpec, chart_engine: str) -> None:
        self.key = identity.deck_key(deck)
        self.engine = chart_engine
        self.footer = f"{identity.DATA_AS_OF}{deck.data_as_of}"

    def mark(
        self, slide: Any, spec: SlideSpec, drawn: Sequence[tuple[Shape, Any]], notes: str
    ) -> None:
        """Give `slide`'s data shapes (`drawn`: each spec beside the shape drawn from it) their
        carriers, and the slide its tag (`notes`: the text of its notes)."""
        planned = identity.plan_slide(spec, notes, self.footer)
        for (_, record), (_, shape) in zip(planned.shapes, drawn, strict=True):
            if record is None:
                continue
            record = _with_render_facts(record, shape)
            element = shape._element
            _add_tags(slide.part, _nv_pr(element), identity.shape_payload(self.key, record))
            self._label(element, record.uid)
        if not planned.slide:
            return
        for record in planned.slide:
            element = _slide_shape(slide, record.role)
            if element is not None:
                self._label(element, record.uid)
        tag = identity.SlideTag(self.key, spec.key, planned.slide)
        c_sld = slide._element.cSld
        holder = _tags_holder(slide.part, identity.slide_payload(tag))
        c_sld.find(qn("p:spTree")).addnext(holder)

    def _label(self, element: Any, uid: str) -> None:
        """The name mark and the extension (deck and id only), on the shape's cNvPr."""
        c_nv_pr = element.find(f"./*/{_CNV_PR}")
        if c_nv_pr is None:
            return
        c_nv_pr.set("name", identity.marked_name(c_nv_pr.get("name", ""), self.key, uid))
        ext_lst = c_nv_pr.find(_EXT_LST)
        if ext_lst is None:
            ext_lst = etree.SubElement(c_nv_pr, _EXT_LST)
        ext = etree.SubElement(ext_lst, qn("a:ext"))
        ext.set("uri", identity.EXT_URI)
        etree.SubElement(
            ext,
            f"{{{identity.EXT_NAMESPACE}}}shape",
            {"deck": self.key, "id": uid},
            nsmap={"dg": identity.EXT_NAMESPACE},
        )


def _with_render_facts(record: Record, shape: Any) -> Record:
    """Add what only the drawn shape knows: a chart's look, a picture's bytes."""
    from dataclasses import replace

    alt = shape._element.find(f"./*/{_CNV_PR}").get("descr", "")
    if record.role == identity.CHART and getattr(shape, "has_chart", False):
        space = shape.chart.element
        extra: dict[str, Any] = {
            "look": fingerprint.chart_look(space),
            "series": fingerprint.series_looks(space),
            "axes": fingerprint.axis_bounds(space),
            "alt": alt,
        }
        drawing = _user_shapes(shape.chart.part)
        if drawing is not None:  # call-outs drawn over the chart, placed by the data
            extra["drawing"] = fingerprint.bytes_digest(drawing)
        return replace(record, extra=extra)
    if record.role == identity.CHART:  # drawn as a picture
        image = hashlib.sha256(shape.image.blob).hexdigest()[: fingerprint.DIGITS]
        return replace(record, extra={"image": image, "alt": alt})
    if record.role == identity.TABLE:
        return replace(record, extra={"alt": alt})
    return record


def _user_shapes(chart_part: Any) -> bytes | None:
    """The bytes of the drawing a chart carries over itself, if it has one."""
    for rel in chart_part.rels.values():
        if rel.reltype == RELATIONSHIP_TYPE.CHART_USER_SHAPES and not rel.is_external:
            blob: bytes = rel.target_part.blob
            return blob
    return None


def _nv_pr(element: Any) -> Any:
    return element.find(f"./*/{_NV_PR}")


def _add_tags(part: Any, nv_pr: Any, payload: str) -> None:
    """A tags part holding DECKGEN = payload, referenced from the shape's p:nvPr."""
    holder = _tags_holder(part, payload)
    ext_lst = nv_pr.find(qn("p:extLst"))
    if ext_lst is not None:  # custDataLst comes before extLst in p:nvPr
        ext_lst.addprevious(holder)
    else:
        nv_pr.append(holder)


def _tags_holder(part: Any, payload: str) -> Any:
    """A p:custDataLst pointing at a new tags part related from `part`."""
    root = etree.Element(qn("p:tagLst"), nsmap={"p": P_NAMESPACE})
    etree.SubElement(root, qn("p:tag"), name=identity.TAG_NAME, val=payload)
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    package = part.package
    tags = Part(package.next_partname(TAGS_PARTNAME), CONTENT_TYPE.PML_TAGS, package, blob)
    rid = part.relate_to(tags, RELATIONSHIP_TYPE.TAGS)
    holder = etree.Element(qn("p:custDataLst"))
    etree.SubElement(holder, qn("p:tags")).set(qn("r:id"), rid)
    return holder


_PLACEHOLDER_TYPES = {
    identity.TITLE: ("title", "ctrTitle"),
    identity.SUBTITLE: ("subTitle", "body"),
    identity.FOOTER: ("dt",),
}


def _slide_shape(slide: Any, role: str) -> Any:
    """The placeholder holding a slide-level record's text (None for notes)."""
    wanted = _PLACEHOLDER_TYPES.get(role)
    if wanted is None:
        return None
    for element in slide.shapes._spTree.iterchildren(qn("p:sp")):
        placeholder = element.find(f"./*/{_NV_PR}/{_PH}")
        if placeholder is not None and placeholder.get("type", "obj") in wanted:
            return element
    return None
