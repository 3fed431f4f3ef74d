"""Keep the cost of each new slide flat: finished slides are kept as bytes, not as XML trees.

python-pptx holds every slide and notes slide as a parsed tree until the deck is saved: about
12 times the XML's size, so a 1,000-slide deck held 450 MB. A slide is never touched again once
drawn, so it is serialised there and then and its tree let go; saving writes the same bytes it
would have written.

python-pptx also looks for an existing relationship before adding one by scanning all of the
part's relationships (a new list of them per call), so adding slide n to the presentation cost
n steps, and numbering it read every slide id again. The presentation part gets an index of
its relationships, and slide ids come from a counter.
"""

from __future__ import annotations

from typing import Any

from pptx.opc.oxml import serialize_part_xml
from pptx.opc.package import XmlPart

# The attributes python-pptx caches on a slide part that hold its tree (lazyproperty values).
_CACHED = ("slide", "notes_slide")
MIN_SLIDE_ID, MAX_SLIDE_ID = 256, 2_147_483_647  # the schema's range for a slide id
_FROZEN_CLASSES: dict[type, type] = {}


def _frozen_class(cls: type) -> type:
    """A subclass of the part's class whose blob is the bytes kept at freezing time."""
    frozen = _FROZEN_CLASSES.get(cls)
    if frozen is None:

        def blob(self: Any) -> bytes:
            blob: bytes = self._frozen_blob
            return blob

        frozen = type(f"Frozen{cls.__name__}", (cls,), {"blob": property(blob)})
        _FROZEN_CLASSES[cls] = frozen
    return frozen


def freeze(finished: Any) -> None:
    """Serialise a finished XML part now and drop its tree; it saves as the same bytes."""
    if not isinstance(finished, XmlPart) or "_frozen_blob" in finished.__dict__:
        return
    part: Any = finished  # given attributes python-pptx's class does not declare
    part._frozen_blob = serialize_part_xml(part._element)
    part.__class__ = _frozen_class(type(part))
    part._element = None
    for name in _CACHED:
        part.__dict__.pop(name, None)


def index_relationships(part: Any) -> None:
    """Make `part.relate_to(target, reltype)` a dictionary look-up instead of a scan.

    Only this part changes. A relationship is still found again when it exists (so a layout
    used twice gets one relationship); the index follows every relationship added through it.
    """
    rels = part.rels
    index: dict[tuple[str, int], str] = {
        (rel.reltype, id(rel.target_part)): rid for rid, rel in rels.items() if not rel.is_external
    }
    add_internal = rels._add_relationship

    def get_or_add(reltype: str, target_part: Any) -> str:
        key = (reltype, id(target_part))
        rid = index.get(key)
        if rid is None or rid not in rels:
            rid = add_internal(reltype, target_part)
            index[key] = rid
        return rid

    rels.get_or_add = get_or_add


class SlideAdder:
    """Adds slides as `prs.slides.add_slide` does, numbering them from a counter."""

    def __init__(self, prs: Any) -> None:
        self._prs = prs
        self._id_list = prs.slides._sldIdLst
        used = [int(i) for i in self._id_list.xpath("./p:sldId/@id")]
        self._next_id = max([MIN_SLIDE_ID - 1, *used]) + 1

    def add(self, layout: Any) -> Any:
        """A new slide on `layout`, with the layout's placeholders, last in the deck."""
        if self._next_id > MAX_SLIDE_ID:  # python-pptx then looks for a free gap
            return self._prs.slides.add_slide(layout)
        rid, slide = self._prs.part.add_slide(layout)
        slide.shapes.clone_layout_placeholders(layout)
        self._id_list._add_sldId(id=self._next_id, rId=rid)
        self._next_id += 1
        return slide
