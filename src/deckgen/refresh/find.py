"""Find, in any deck, the shapes deckgen marked: on which slide, with which id and record.

A shape is deckgen's when one of its carriers says so (render/identity.py writes them): its
DECKGEN tag (the full record as written), its deckgen extension (deck and id) or the id mark at
the end of its name (the only one LibreOffice keeps). The title, subtitle, footer date and notes
are found through the slide's own tag; where that was lost too (LibreOffice), a slide holding
shapes of exactly one deckgen slide is taken to be that slide, and its title, date and notes to
be that slide's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from deckgen import identity
from deckgen.identity import Record, SlideTag
from deckgen.refresh.names import GRAPHIC_CHART, GRAPHIC_TABLE, REL_OFFICE_DOCUMENT, qn
from deckgen.refresh.package import Package

SHAPE_TAGS = (qn("p:sp"), qn("p:graphicFrame"), qn("p:pic"))
_FALLBACK = qn("mc:Fallback")
PLACEHOLDER_TYPES = {
    identity.TITLE: ("title", "ctrTitle"),
    identity.SUBTITLE: ("subTitle",),
    identity.FOOTER: ("dt",),
}

# What kind of thing a shape is, as refresh treats it.
TEXT_KIND, CHART_KIND, TABLE_KIND, PICTURE_KIND, OTHER_KIND = (
    "text",
    "chart",
    "table",
    "picture",
    "other",
)


@dataclass
class Found:
    """A shape (or a slide's notes) that came from a deckgen deck."""

    number: int  # the slide's number in this deck
    part: str  # the part holding `element`: the slide, or its notes slide
    element: Any  # p:sp, p:graphicFrame or p:pic; for notes, the body placeholder's p:sp
    uid: str
    deck: str  # the deck key when a carrier gives it, else ""
    mark: str  # the deck mark (six hex digits)
    record: Record | None  # as written, when the tags travelled
    kind: str
    name: str  # the shape's name without the id mark
    tags: str = ""  # the tags part holding `record`, to write the new record into
    inferred: bool = False  # taken to be deckgen's from its slide, not from a carrier of its own

    @property
    def role(self) -> str:
        return role_of(self.uid)

    def belongs_to(self, deck_key: str) -> bool:
        if self.deck:
            return self.deck == deck_key
        return self.mark == identity.deck_mark(deck_key)


@dataclass
class Slide:
    number: int
    part: str
    tag: SlideTag | None
    tags: str = ""  # the tags part holding `tag`
    found: list[Found] = field(default_factory=list)


def role_of(uid: str) -> str:
    """roi/text2 -> text, roi/title -> title"""
    return uid.rpartition("/")[2].rstrip("0123456789")


def slide_parts(package: Package) -> list[str]:
    """The deck's slides in presentation order."""
    main = next(
        (r.target for r in package.relationships("").values() if r.type == REL_OFFICE_DOCUMENT),
        "ppt/presentation.xml",
    )
    root = package.tree(main)
    if root is None:
        return []
    found = (package.target(main, entry.get(qn("r:id"))) for entry in root.iter(qn("p:sldId")))
    return [slide for slide in found if slide is not None]


def scan(package: Package) -> list[Slide]:
    """Every slide, with the deckgen shapes found on it (slides with none included)."""
    slides = []
    for number, name in enumerate(slide_parts(package), start=1):
        root = package.tree(name)
        if root is None:
            continue
        tag, tags = _slide_tag(package, name, root)
        slide = Slide(number, name, tag, tags)
        for element in shapes(root):
            found = _shape(package, number, name, element, slide.tag)
            if found is not None:
                slide.found.append(found)
        _slide_roles(package, slide, root)
        slides.append(slide)
    return slides


def shapes(root: Any) -> list[Any]:
    """The shapes of a slide, groups opened, the fallback copies of alternate content skipped."""
    tree = root.find(f"{qn('p:cSld')}/{qn('p:spTree')}")
    if tree is None:
        return []
    found = []
    for element in tree.iter(*SHAPE_TAGS):
        if any(a.tag == _FALLBACK for a in element.iterancestors()):
            continue
        found.append(element)
    return found


def kind_of(element: Any) -> str:
    if element.tag == qn("p:pic"):
        return PICTURE_KIND
    if element.tag == qn("p:graphicFrame"):
        data = element.find(f"{qn('a:graphic')}/{qn('a:graphicData')}")
        uri = data.get("uri") if data is not None else ""
        if uri == GRAPHIC_CHART:
            return CHART_KIND
        if uri == GRAPHIC_TABLE:
            return TABLE_KIND
        return OTHER_KIND
    return TEXT_KIND if element.find(qn("p:txBody")) is not None else OTHER_KIND


def name_of(element: Any) -> str:
    c_nv_pr = element.find(f"./*/{qn('p:cNvPr')}")
    return str(c_nv_pr.get("name") or "") if c_nv_pr is not None else ""


def _shape(
    package: Package, number: int, part: str, element: Any, slide_tag: SlideTag | None
) -> Found | None:
    name = name_of(element)
    deck, uid, record, tags = "", "", None, ""
    payload, where = _tag_payload(package, part, element.find(f"./*/{qn('p:nvPr')}"))
    if isinstance(payload, tuple):
        (deck, record), tags = payload, where
        uid = record.uid
    if not uid:
        ext = element.find(
            f"./*/{qn('p:cNvPr')}/{qn('a:extLst')}/{qn('a:ext')}[@uri='{identity.EXT_URI}']/"
            f"{qn('dg:shape')}"
        )
        if ext is not None and ext.get("id"):
            deck, uid = str(ext.get("deck") or ""), str(ext.get("id"))
    marked = identity.name_mark(name)
    if not uid and marked is not None:
        uid = marked[1]
    if not uid:
        return None
    mark = identity.deck_mark(deck) if deck else (marked[0] if marked else "")
    # A title, subtitle or date: its record is in the slide's tag, when that is the same deck's.
    if (
        record is None
        and slide_tag is not None
        and role_of(uid) in identity.SLIDE_ROLES
        and deck in ("", slide_tag.deck)
    ):
        deck = slide_tag.deck
        mark = identity.deck_mark(deck)
        record = next((r for r in slide_tag.records if r.uid == uid), None)
    kind, shown = kind_of(element), identity.unmarked_name(name)
    return Found(number, part, element, uid, deck, mark, record, kind, shown, tags)


def _slide_tag(package: Package, part: str, root: Any) -> tuple[SlideTag | None, str]:
    payload, where = _tag_payload(package, part, root.find(qn("p:cSld")))
    return (payload, where) if isinstance(payload, SlideTag) else (None, "")


Payload = tuple[str, Record] | SlideTag | None


def _tag_payload(package: Package, part: str, holder: Any) -> tuple[Payload, str]:
    """The DECKGEN tag under `holder`'s p:custDataLst and the tags part it was read from."""
    if holder is None:
        return None, ""
    rels = None
    for tags in holder.iterfind(f"{qn('p:custDataLst')}/{qn('p:tags')}"):
        rels = rels if rels is not None else package.relationships(part)
        rel = rels.get(tags.get(qn("r:id")) or "")
        if rel is None or rel.external or rel.kind != "tags":
            continue
        root = package.tree(rel.target)
        if root is None:
            continue
        for tag in root.iter(qn("p:tag")):
            if (tag.get("name") or "").upper() == identity.TAG_NAME:
                payload = identity.read_payload(tag.get("val") or "")
                if payload is not None:
                    return payload, rel.target
    return None, ""


def _slide_roles(package: Package, slide: Slide, root: Any) -> None:
    """Add the title, subtitle, footer date and notes of a slide that came from a deckgen slide,
    when their own carriers did not already bring them."""
    have = {f.uid for f in slide.found}
    tag = slide.tag
    if tag is not None:
        key, deck, records = tag.slide, tag.deck, {r.uid: r for r in tag.records}
        mark = identity.deck_mark(deck)
    else:
        keys = Counter(
            (identity.uid_slide(f.uid), f.deck, f.mark)
            for f in slide.found
            if f.role not in identity.SLIDE_ROLES
        )
        if len(keys) != 1:
            return  # no deckgen slide, or pieces of several: nothing to infer
        (key, deck, mark), _ = keys.most_common(1)[0]
        records = {}

    def add(part: str, element: Any, uid: str, name: str) -> None:
        """A text of the slide's own, known by its place on a deckgen slide."""
        record = records.get(uid)
        found = Found(slide.number, part, element, uid, deck, mark, record, TEXT_KIND, name)
        slide.found.append(replace(found, inferred=tag is None))

    for role, types in PLACEHOLDER_TYPES.items():
        uid = f"{key}/{role}"
        if uid in have or (tag is not None and uid not in records):
            continue
        element = _placeholder(root, types)
        if element is not None:
            add(slide.part, element, uid, identity.unmarked_name(name_of(element)))
    uid = f"{key}/{identity.NOTES}"
    if tag is not None and uid not in records:
        return
    notes = notes_body(package, slide.part)
    if notes is not None:
        add(*notes, uid, "notes")


def _placeholder(root: Any, types: tuple[str, ...]) -> Any:
    tree = root.find(f"{qn('p:cSld')}/{qn('p:spTree')}")
    if tree is None:
        return None
    for element in tree.iterchildren(qn("p:sp")):
        placeholder = element.find(f"./{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}")
        if placeholder is not None and placeholder.get("type", "obj") in types:
            return element
    return None


def notes_body(package: Package, slide_part: str) -> tuple[str, Any] | None:
    """The notes slide of a slide and its body placeholder's shape."""
    for rel in package.related(slide_part, "notesSlide"):
        root = package.tree(rel.target)
        if root is None:
            continue
        placeholder = _placeholder(root, ("body",))
        if placeholder is not None:
            return rel.target, placeholder
    return None
