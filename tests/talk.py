"""Assemble a talk as PowerPoint's Reuse Slides does, for the refresh tests.

Reuse Slides (with "Keep source formatting" off) copies a slide into another presentation: the
slide's XML, and every part it points at (charts with their embedded workbooks, notes, tags,
pictures) under new part names, its relationship ids renumbered, the slide put on a layout of the
destination's own template. This does the same at the package level, so the tests meet the same
XML a user's talk would hold.
"""

from __future__ import annotations

import copy
import io
import posixpath
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.util import Inches

from deckgen import identity
from tests.conftest import Source, row_of, sheet

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
REUSED = ("roi", "yearly", "fte-table")  # talk slides 3, 4 and 5
NEW_PROJECT = "WMP2020 - Custody"
PRESENTER_LINE = "Thank the finance team before this slide."
CHART_SHIFT = 600_000  # EMU the user moves the chart right by
RED = "C00000"


# Where copies of each kind of part go in the destination (a %d template).
FOLDERS = {
    "slide": "ppt/slides/slide%d.xml",
    "notesSlide": "ppt/notesSlides/notesSlide%d.xml",
    "chart": "ppt/charts/chart%d.xml",
    "package": "ppt/embeddings/Microsoft_Excel_Sheet%d.xlsx",
    "tags": "ppt/tags/tag%d.xml",
    "image": "ppt/media/image%d.png",
    "chartStyle": "ppt/charts/style%d.xml",
    "chartColorStyle": "ppt/charts/colors%d.xml",
}


class Talk:
    """A presentation held as its members, to which slides of other decks are added."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            self.order = archive.namelist()
            self.members = {name: archive.read(name) for name in self.order}

    # -- reading -------------------------------------------------------------------------
    def xml(self, name: str) -> Any:
        return etree.fromstring(self.members[name])

    def rels(self, source: str) -> list[tuple[str, str, str, str]]:
        """(id, type, target member, mode) of a part's relationships."""
        name = rels_name(source)
        if name not in self.members:
            return []
        folder = posixpath.dirname(source)
        found = []
        for rel in self.xml(name).iter(f"{{{RELS}}}Relationship"):
            mode = rel.get("TargetMode", "")
            target = rel.get("Target")
            member = (
                target if mode == "External" else posixpath.normpath(posixpath.join(folder, target))
            )
            found.append((rel.get("Id"), rel.get("Type"), member, mode))
        return found

    def slides(self) -> list[str]:
        presentation = self.xml("ppt/presentation.xml")
        targets = {rid: t for rid, _, t, _ in self.rels("ppt/presentation.xml")}
        return [targets[s.get(f"{{{R}}}id")] for s in presentation.iter(f"{{{P}}}sldId")]

    def layouts(self) -> dict[str, str]:
        """Layout name -> member."""
        found = {}
        for name in self.members:
            if re.fullmatch(r"ppt/slideLayouts/slideLayout\d+\.xml", name):
                c_sld = self.xml(name).find(f"{{{P}}}cSld")
                found[c_sld.get("name", "")] = name
        return found

    # -- adding slides ---------------------------------------------------------------------
    def reuse(self, source: Talk, slide: str, layout: str = "Title Only") -> str:
        """Copy `slide` of `source` in as the last slide, on this deck's `layout` (or its
        first layout); return the new slide's member name."""
        layouts = self.layouts()
        target_layout = layouts.get(layout) or sorted(layouts.values())[0]
        copies: dict[str, str] = {}
        new_slide = self._copy(source, slide, "slide", copies, target_layout)
        presentation = self.xml("ppt/presentation.xml")
        rid = self._relate("ppt/presentation.xml", RT + "slide", new_slide)
        id_list = presentation.find(f"{{{P}}}sldIdLst")
        if id_list is None:
            id_list = etree.SubElement(presentation, f"{{{P}}}sldIdLst")
            master_list = presentation.find(f"{{{P}}}sldMasterIdLst")
            master_list.addnext(id_list)
        used = [int(s.get("id")) for s in id_list]
        entry = etree.SubElement(id_list, f"{{{P}}}sldId")
        entry.set("id", str(max([255, *used]) + 1))
        entry.set(f"{{{R}}}id", rid)
        self.members["ppt/presentation.xml"] = _bytes(presentation)
        return new_slide

    def _copy(self, source: Talk, name: str, kind: str, copies: dict[str, str], layout: str) -> str:
        """Copy part `name` (a `kind` part) and what it points at, once each; return the
        copy's name."""
        if name in copies:
            return copies[name]
        new_name = self._free(
            FOLDERS.get(kind, name.rsplit(".", 1)[0] + "-%d." + name.rsplit(".", 1)[1])
        )
        copies[name] = new_name
        data = source.members[name]
        self.members[new_name] = data
        self._content_type(new_name, source.content_type(name))
        relations = []
        renumber: dict[str, str] = {}
        for number, (rid, rel_type, target, mode) in enumerate(source.rels(name), start=1):
            new_rid = f"rId{number + 6}"  # PowerPoint numbers the copy's relationships anew
            renumber[rid] = new_rid
            kind_of_rel = rel_type.rsplit("/", 1)[1]
            if mode == "External":
                relations.append((new_rid, rel_type, target, mode))
            elif kind_of_rel == "slideLayout":
                relations.append((new_rid, rel_type, layout, ""))
            elif kind_of_rel == "notesMaster":
                relations.append((new_rid, rel_type, self._notes_master(), ""))
            elif kind_of_rel == "slide":
                relations.append((new_rid, rel_type, copies.get(target, target), ""))
            else:
                copy = self._copy(source, target, kind_of_rel, copies, layout)
                relations.append((new_rid, rel_type, copy, ""))
        if name.endswith(".xml") and renumber:
            self.members[new_name] = _renumber(data, renumber)
        if relations:
            self.members[rels_name(new_name)] = _rels_xml(new_name, relations)
            self.order.append(rels_name(new_name))
        return new_name

    def paste(self, source: Talk, slide: str, name: str, target: str) -> None:
        """Copy the shape called `name` (its id mark aside) from `slide` of `source` onto slide
        `target` of this deck, with the parts it points at, as copy and paste does."""
        shape = next(
            e
            for e in etree.fromstring(source.members[slide]).iter(
                f"{{{P}}}sp", f"{{{P}}}graphicFrame"
            )
            if identity.unmarked_name(e.find(f"./*/{{{P}}}cNvPr").get("name")) == name
        )
        rels = {rid: (kind, member) for rid, kind, member, _ in source.rels(slide)}
        copies: dict[str, str] = {}
        for element in shape.iter():
            for key, value in element.attrib.items():
                if key.startswith(f"{{{R}}}") and value in rels:
                    kind, member = rels[value]
                    copied = self._copy(source, member, kind.rsplit("/", 1)[1], copies, "")
                    element.set(key, self._relate(target, kind, copied))

        def add(root: Any) -> None:
            tree = root.find(f"{{{P}}}cSld/{{{P}}}spTree")
            ids = [int(c.get("id")) for c in root.iter(f"{{{P}}}cNvPr")]
            shape.find(f"./*/{{{P}}}cNvPr").set("id", str(max(ids) + 1))
            tree.append(shape)

        self.edit(target, add)

    def _notes_master(self) -> str:
        masters = [n for n in self.members if n.startswith("ppt/notesMasters/notesMaster")]
        if not masters:
            raise ValueError("the destination needs a notes master for slides with notes")
        return sorted(masters)[0]

    def _free(self, template: str) -> str:
        number = 1
        while template % number in self.members:
            number += 1
        name = template % number
        self.order.append(name)
        return name

    def _relate(self, source: str, rel_type: str, target: str) -> str:
        name = rels_name(source)
        root = self.xml(name)
        used = {r.get("Id") for r in root}
        number = 1
        while f"rId{number}" in used:
            number += 1
        rel = etree.SubElement(root, f"{{{RELS}}}Relationship")
        rel.set("Id", f"rId{number}")
        rel.set("Type", rel_type)
        rel.set("Target", posixpath.relpath(target, posixpath.dirname(source)))
        self.members[name] = _bytes(root)
        return f"rId{number}"

    def content_type(self, name: str) -> str:
        root = self.xml("[Content_Types].xml")
        for override in root.iter(f"{{{CT}}}Override"):
            if override.get("PartName") == "/" + name:
                return override.get("ContentType")
        extension = name.rsplit(".", 1)[-1]
        for default in root.iter(f"{{{CT}}}Default"):
            if default.get("Extension") == extension:
                return default.get("ContentType")
        return ""

    def _content_type(self, name: str, content_type: str) -> None:
        root = self.xml("[Content_Types].xml")
        extension = name.rsplit(".", 1)[-1]
        defaults = {d.get("Extension"): d.get("ContentType") for d in root.iter(f"{{{CT}}}Default")}
        if defaults.get(extension) == content_type:
            return
        if extension not in defaults and extension in ("xlsx", "png"):
            default = etree.Element(f"{{{CT}}}Default")
            default.set("Extension", extension)
            default.set("ContentType", content_type)
            root.insert(0, default)
        else:
            override = etree.SubElement(root, f"{{{CT}}}Override")
            override.set("PartName", "/" + name)
            override.set("ContentType", content_type)
        self.members["[Content_Types].xml"] = _bytes(root)

    # -- hand edits ------------------------------------------------------------------------
    def edit(self, name: str, change: Any) -> None:
        """Apply `change(root)` to part `name`."""
        root = self.xml(name)
        change(root)
        self.members[name] = _bytes(root)

    def save(self, path: Path) -> Path:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in dict.fromkeys(self.order):
                if name in self.members:
                    archive.writestr(name, self.members[name])
        path.write_bytes(out.getvalue())
        return path


def rels_name(source: str) -> str:
    folder, base = posixpath.split(source)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def _renumber(data: bytes, renumber: dict[str, str]) -> bytes:
    root = etree.fromstring(data)
    for element in root.iter():
        for key, value in element.attrib.items():
            if key.startswith(f"{{{R}}}") and value in renumber:
                element.set(key, renumber[value])
    return _bytes(root)


def _rels_xml(source: str, relations: list[tuple[str, str, str, str]]) -> bytes:
    root = etree.Element(f"{{{RELS}}}Relationships", nsmap={None: RELS})
    folder = posixpath.dirname(source)
    for rid, rel_type, target, mode in relations:
        rel = etree.SubElement(root, f"{{{RELS}}}Relationship")
        rel.set("Id", rid)
        rel.set("Type", rel_type)
        if mode == "External":
            rel.set("Target", target)
            rel.set("TargetMode", "External")
        else:
            rel.set("Target", posixpath.relpath(target, folder))
    return _bytes(root)


def _bytes(root: Any) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# -- the refresh tests' scenario ------------------------------------------------------


def changed(source: Source) -> Source:
    """The next quarter: new data date, a year's investment revised, a project's FTE up, a
    project and a forecast year added."""
    new = copy.deepcopy(source)
    row_of(new, "About", "Data as of")[1] = date(2019, 10, 31)
    row_of(new, "About", "Last updated")[1] = date(2019, 11, 4)
    row_of(new, "Finance by Year", "FY19/20")[1] = 108
    sheet(new, "Finance by Year")["rows"].append(["FY25/26", 40, 120, "Forecast"])
    row_of(new, "FTE by Project", "TS1")[1] = 340.0
    sheet(new, "FTE by Project")["rows"].append([NEW_PROJECT, 12.0, "Forecasted"])
    return new


def other_template(path: Path) -> Path:
    """A talk of its own: python-pptx's default template, 4:3, two slides and notes."""
    prs = Presentation()
    first = prs.slides.add_slide(prs.slide_layouts[0])
    first.shapes.title.text = "Our year"
    first.placeholders[1].text = "A talk of my own"
    first.notes_slide.notes_text_frame.text = "My own notes, not deckgen's."
    second = prs.slides.add_slide(prs.slide_layouts[5])
    second.shapes.title.text = "What the coffee fund did"
    box = second.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(1))
    box.text_frame.text = "We spent £5m on coffee in FY19/20"
    prs.save(str(path))
    return path


def shape(root: Any, name: str) -> Any:
    """The shape called `name` (its id mark aside) on a slide."""
    for element in root.iter(f"{{{P}}}sp", f"{{{P}}}graphicFrame", f"{{{P}}}pic"):
        c_nv_pr = element.find(f"./*/{{{P}}}cNvPr")
        if identity.unmarked_name(c_nv_pr.get("name")) == name:
            return element
    raise KeyError(name)


def chart_frame(root: Any) -> Any:
    return next(
        e for e in root.iter(f"{{{P}}}graphicFrame") if e.find(f".//{{{C}}}chart") is not None
    )


def hand_edits(talk: Talk, slides: dict[str, str]) -> None:
    """What a presenter does: move a chart, recolour a title, rewrite one figure, write a word
    beside another and a line of notes."""

    def roi(root: Any) -> None:
        for properties in shape(root, "Title 1").iter(f"{{{A}}}rPr"):
            fill = etree.SubElement(properties, f"{{{A}}}solidFill")
            etree.SubElement(fill, f"{{{A}}}srgbClr").set("val", RED)
            properties.insert(0, fill)
        figure = next(t for t in shape(root, "Key figure 1").iter(f"{{{A}}}t") if t.text == "£778m")
        figure.text = "£780m"  # the presenter's own rounding
        summary = shape(root, "Return on investment FY15/16 to FY24/25")
        net = next(t for t in summary.iter(f"{{{A}}}t") if t.text == "£118m")
        net.text = "£118m (audited)"

    def yearly(root: Any) -> None:
        offset = chart_frame(root).find(f"{{{P}}}xfrm/{{{A}}}off")
        offset.set("x", str(int(offset.get("x")) + CHART_SHIFT))

    talk.edit(slides["roi"], roi)
    talk.edit(slides["yearly"], yearly)
    notes = next(t for _, kind, t, _ in talk.rels(slides["roi"]) if kind.endswith("/notesSlide"))

    def presenter(root: Any) -> None:
        body = next(
            sp
            for sp in root.iter(f"{{{P}}}sp")
            if sp.find(f".//{{{P}}}ph[@type='body']") is not None
        )
        paragraph = etree.SubElement(body.find(f"{{{P}}}txBody"), f"{{{A}}}p")
        etree.SubElement(
            etree.SubElement(paragraph, f"{{{A}}}r"), f"{{{A}}}t"
        ).text = PRESENTER_LINE

    talk.edit(notes, presenter)


def assemble(old: Path, folder: Path, slides: tuple[str, ...] = REUSED, edit: bool = True) -> Path:
    """A talk: two slides of its own, then `slides` reused from the per-slide decks of `old`."""
    talk = Talk(other_template(folder / "own.pptx"))
    pieces = {p.stem.split("-", 1)[1]: p for p in old.with_suffix("").glob("*.pptx")}
    placed = {}
    for key in slides:
        piece = Talk(pieces[key])
        placed[key] = talk.reuse(piece, piece.slides()[0])
    if edit:
        hand_edits(talk, placed)
    return talk.save(folder / "talk.pptx")
