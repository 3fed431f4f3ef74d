"""A .pptx opened for reading and for a few careful edits, written back member for member.

The talk comes from anyone: it passes the same guard as `deckgen check` (bounded zip reading, no
DTD anywhere, names that stay inside the package) before a part is parsed, and parts are parsed
without entities or network access. Members refresh does not change are written back with the
same bytes, name, date and order; changed XML parts are spliced (splice.py), so only the elements
refresh edited are serialised again.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from deckgen.archive import PackageError, write_zip
from deckgen.opc import open_package
from deckgen.refresh.splice import EditablePart

RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CONTENT_TYPES = "[Content_Types].xml"


@dataclass(frozen=True)
class Relationship:
    rid: str
    type: str  # the full type URI
    target: str  # the member name (no leading slash); the URI itself when external
    external: bool

    @property
    def kind(self) -> str:
        """The type's last segment: "slide", "chart", "tags", "package", ..."""
        return self.type.rstrip("/").rpartition("/")[2]


class Package:
    """The members of one .pptx, read on request, with the edits made to them."""

    def __init__(self, path: Path) -> None:
        # The guard of every package deckgen opens: bombs, DTDs, escaping names, non-decks.
        self._zip = open_package(path)
        if self._zip.duplicates:
            self._zip.close()
            raise PackageError(path, f"the zip holds {self._zip.duplicates[0]} twice; refused")
        self.path = path
        self.infos = self._zip.infos
        self._info = {info.filename: info for info in self.infos}
        self._folded = {info.filename.casefold(): info.filename for info in self.infos}
        self._bytes: dict[str, bytes] = {}
        self._parts: dict[str, EditablePart] = {}
        self._new: dict[str, bytes] = {}  # members added or replaced as whole bytes
        self._added: list[str] = []

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading --------------------------------------------------------------------------
    def member(self, name: str) -> str | None:
        """The stored name of a member (part names ignore case), None when absent."""
        if name in self._new:
            return name
        return self._folded.get(name.casefold())

    def read(self, name: str) -> bytes:
        stored = self.member(name)
        if stored is None:
            raise KeyError(name)
        if stored in self._parts:
            return self._parts[stored].to_bytes()
        if stored in self._new:
            return self._new[stored]
        data = self._bytes.get(stored)
        if data is None:
            data = self._zip.data(self._info[stored])  # a damaged part is one line naming it
            self._bytes[stored] = data
        return data

    def part(self, name: str) -> EditablePart | None:
        """The XML part `name` parsed for reading and editing; None when absent or broken."""
        stored = self.member(name)
        if stored is None:
            return None
        part = self._parts.get(stored)
        if part is None:
            try:
                part = EditablePart(self.read(stored))
            except (etree.XMLSyntaxError, ValueError):
                return None
            self._parts[stored] = part
        return part

    def tree(self, name: str) -> Any:
        part = self.part(name)
        return part.root if part is not None else None

    def relationships(self, source: str) -> dict[str, Relationship]:
        """The relationships of part `source` by id ({} when it has none)."""
        part = self.part(rels_name(source))
        if part is None:
            return {}
        folder = posixpath.dirname(source)
        found: dict[str, Relationship] = {}
        for rel in part.root.iter(f"{{{RELS_NS}}}Relationship"):
            rid, kind, target = rel.get("Id"), rel.get("Type"), rel.get("Target")
            if not rid or not kind or target is None:
                continue
            external = rel.get("TargetMode") == "External"
            found[rid] = Relationship(
                rid, kind, target if external else resolve(folder, target), external
            )
        return found

    def target(self, source: str, rid: str | None) -> str | None:
        """The member relationship `rid` of part `source` points to; None when `source` has no
        such relationship, or it points outside the package or to a part that is missing."""
        rel = self.relationships(source).get(rid or "")
        if rel is None or rel.external or not self.member(rel.target):
            return None
        return rel.target

    def related(self, source: str, kind: str) -> list[Relationship]:
        return [r for r in self.relationships(source).values() if r.kind == kind and not r.external]

    # -- editing --------------------------------------------------------------------------
    def put(self, name: str, data: bytes, content_type: str | None = None) -> None:
        """Replace member `name` with `data`, or add it (with its content type) when new."""
        stored = self.member(name)
        if stored is None:
            self._added.append(name)
            stored = name
            if content_type:
                self._declare(name, content_type)
        self._parts.pop(stored, None)
        self._new[stored] = data

    def free_name(self, template: str) -> str:
        """The first free member name for a %d template such as "ppt/media/image%d.png"."""
        number = 1
        while self.member(template % number) is not None:
            number += 1
        return template % number

    def relate(self, source: str, kind_uri: str, target: str) -> str:
        """Add a relationship from `source` to member `target`; return its id."""
        name = rels_name(source)
        part = self.part(name)
        if part is None:
            self.put(name, _EMPTY_RELS, "application/vnd.openxmlformats-package.relationships+xml")
            part = self.part(name)
            assert part is not None
        used = {r.get("Id") for r in part.root}
        number = len(used) + 1
        while f"rId{number}" in used:
            number += 1
        rid = f"rId{number}"
        element = etree.SubElement(part.root, f"{{{RELS_NS}}}Relationship")
        element.set("Id", rid)
        element.set("Type", kind_uri)
        element.set("Target", relative(posixpath.dirname(source), target))
        part.changed(part.root)
        return rid

    def _declare(self, name: str, content_type: str) -> None:
        part = self.part(CONTENT_TYPES)
        if part is None:
            return
        override = etree.SubElement(part.root, f"{{{CT_NS}}}Override")
        override.set("PartName", "/" + name)
        override.set("ContentType", content_type)
        part.changed(part.root)

    def declare_default(self, extension: str, content_type: str) -> None:
        """Make sure files ending `.extension` have a content type."""
        part = self.part(CONTENT_TYPES)
        if part is None:
            return
        for default in part.root.iter(f"{{{CT_NS}}}Default"):
            if (default.get("Extension") or "").casefold() == extension.casefold():
                return
        element = etree.Element(f"{{{CT_NS}}}Default")
        element.set("Extension", extension)
        element.set("ContentType", content_type)
        part.root.insert(0, element)
        part.changed(part.root)

    @property
    def changed(self) -> bool:
        return bool(self._new) or any(p.dirty for p in self._parts.values())

    def to_bytes(self) -> bytes:
        """The package with every edit, members in their original order and with their own
        stamps, new ones last, dated as the first member is."""
        kept = [(info, self.read(info.filename)) for info in self.infos]
        added = [(name, self.read(name)) for name in self._added]
        return write_zip([*kept, *added], self.infos[0].date_time)


_EMPTY_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{RELS_NS}"/>'
).encode()


def rels_name(source: str) -> str:
    folder, base = posixpath.split(source)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def resolve(folder: str, target: str) -> str:
    """A relationship target as a member name; "" when it points outside the package."""
    target = target.split("#", 1)[0]
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    normal = posixpath.normpath(path) if path else ""
    return "" if normal.startswith("..") or normal == "." else normal


def relative(folder: str, target: str) -> str:
    return posixpath.relpath(target, folder or ".")
