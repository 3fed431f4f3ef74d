"""An Office package as parts and relationships, read through the guard (deckgen.archive).

The gate runs on any deck, including one a stranger sent, and the template loader on any
template: both see a package here. Opening it passes the guard (sizes, names, no DTD in any
part); then every XML part is parsed with a parser that resolves no entities and loads nothing
from the network. A file that cannot be read at all is a one-line `PackageError`; a part that
merely does not parse is kept for the caller to report.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias
from urllib.parse import unquote

from lxml import etree

from deckgen.archive import (
    CONTENT_TYPES,
    LIMITS,
    PRESENTATION,
    Archive,
    Kind,
    Limits,
    Member,
    MiB,
    open_archive,
    shown,
)
from deckgen.errors import DeckgenError

Element: TypeAlias = Any  # an lxml element; lxml ships no type information

_XML_SUFFIXES = (".xml", ".rels")
RELS_SUFFIX = ".rels"
ROOT_RELS = "_rels/.rels"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PRESENTATION_ROOT = "{http://schemas.openxmlformats.org/presentationml/2006/main}presentation"
REL_RELATIONSHIP = f"{{{_RELS_NS}}}Relationship"
CT_OVERRIDE = f"{{{_TYPES_NS}}}Override"
CT_DEFAULT = f"{{{_TYPES_NS}}}Default"


@dataclass(frozen=True)
class Relationship:
    rid: str
    kind: str  # the last segment of the type URI: "slide", "slideLayout", "notesSlide", ...
    target: str  # a member name (no leading slash), or the URI when external
    external: bool


RawRelationship = tuple[str | None, str | None, str | None, str | None]  # Id, Type, Target, Mode


@dataclass(frozen=True)
class ContentTypes:
    """[Content_Types].xml as two look-ups: part name overrides, then extension defaults."""

    overrides: dict[str, str]  # casefolded "/part/name" -> content type, the first given
    defaults: dict[str, str]  # casefolded extension -> content type, the first given

    @classmethod
    def of(cls, root: Element) -> ContentTypes:
        overrides: dict[str, str] = {}
        for override in root.iterfind(CT_OVERRIDE):
            key = (override.get("PartName") or "").casefold()
            overrides.setdefault(key, str(override.get("ContentType") or ""))
        defaults: dict[str, str] = {}
        for default in root.iterfind(CT_DEFAULT):
            key = (default.get("Extension") or "").casefold()
            defaults.setdefault(key, str(default.get("ContentType") or ""))
        return cls(overrides, defaults)

    def get(self, name: str) -> str | None:
        """The content type of member `name`, None when neither an override nor a default gives
        one."""
        found = self.overrides.get(("/" + name).casefold())
        if found is not None:
            return found
        base = posixpath.basename(name)
        extension = base.rpartition(".")[2].casefold() if "." in base else ""
        return self.defaults.get(extension)


class Package:
    """The members of an open package: their relationships, each XML part's tree on request,
    and the parts that do not parse.

    Opening parses only the relationship parts (the guard has already read every part once):
    the trees of a 1,000-slide deck take hundreds of MB. A part is parsed when it is asked for
    (`part`), and the caller decides how long to hold the tree; `broken` parses whatever nobody
    asked for, so it names every part that does not parse. Close the package when done (it is
    a context manager): parts are read from the open zip.
    """

    def __init__(self, archive: Archive, parser: etree.XMLParser, scan: _Scan) -> None:
        self.path = archive.path  # the file, or the name given with the bytes: messages show it
        self.kind = archive.kind
        self.names = scan.names
        self.duplicates = scan.duplicates
        self._archive = archive
        self._parser = parser
        self._readable = scan.readable  # member -> the zip entry known to parse
        self._unparsed = scan.unparsed  # member -> its zip entry, read and screened, not parsed
        self._broken = scan.broken  # member -> why it does not parse
        self._position = scan.position  # member -> its place in the zip, to report in zip order
        self._raw_rels = scan.relationships
        self._by_folded = {name.casefold(): name for name in self.names}
        self._rels: dict[str, dict[str, Relationship]] = {}
        self._types: ContentTypes | None = None
        self._types_read = False

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._archive.close()

    def member(self, name: str) -> str | None:
        """The member's name as stored (part names are case-insensitive), None when absent."""
        return self._by_folded.get(name.casefold())

    @property
    def infos(self) -> tuple[Member, ...]:
        """Every member as the zip lists it, in zip order (to write the package back)."""
        return self._archive.infos

    def data(self, info: Member) -> bytes:
        """One member's bytes as stored, whatever it holds."""
        return self._archive.data(info)

    def may_parse(self, name: str) -> bool:
        """Whether the member is there and is XML not found broken so far (`part` may still
        find it broken when it first parses it)."""
        stored = self.member(name)
        return stored is not None and (stored in self._readable or stored in self._unparsed)

    def part(self, name: str) -> Element | None:
        """The parsed root of an XML part, freshly parsed; None when absent, not XML or broken."""
        stored = self.member(name)
        if stored is None:
            return None
        first = self._unparsed.pop(stored, None)
        if first is not None:
            root, error = self._parse(first)
            if root is None:
                self._broken[stored] = error
                return None
            self._readable[stored] = first
            return root
        info = self._readable.get(stored)
        return self._parse(info)[0] if info is not None else None

    def parse_error(self, name: str) -> str | None:
        """Why the member does not parse, as far as is known; None when it is not known broken."""
        stored = self.member(name)
        return self._broken.get(stored) if stored is not None else None

    @property
    def broken(self) -> dict[str, str]:
        """Every XML part that does not parse, in zip order: member name -> why."""
        for name in list(self._unparsed):
            self.part(name)
        return dict(sorted(self._broken.items(), key=lambda item: self._position[item[0]]))

    def _parse(self, info: Member) -> tuple[Element | None, str]:
        return _parse(self._archive, info, self._parser)

    def relationships(self, source: str) -> dict[str, Relationship]:
        """The relationships of part `source` ("" for the package itself) by id."""
        if source in self._rels:
            return self._rels[source]
        folder = posixpath.dirname(source)
        stored = self.member(rels_part(source))
        found: dict[str, Relationship] = {}
        for rid, kind, target, mode in self._raw_rels.get(stored, ()) if stored else ():
            if not rid or not kind or target is None:
                continue
            external = mode == "External"
            resolved = target if external else _resolve(folder, target)
            found[rid] = Relationship(rid, kind.rstrip("/").rpartition("/")[2], resolved, external)
        self._rels[source] = found
        return found

    def related(self, source: str, kind: str) -> list[str]:
        """Targets of `source`'s internal relationships of one kind, in document order."""
        return [
            rel.target
            for rel in self.relationships(source).values()
            if rel.kind == kind and not rel.external
        ]

    def fail(self, message: str) -> DeckgenError:
        """The one-line error about this file."""
        return self._archive.fail(message)

    def content_types(self) -> ContentTypes | None:
        """[Content_Types].xml, read once; None when it is missing or does not parse."""
        if not self._types_read:
            root = self.part(CONTENT_TYPES)
            self._types = ContentTypes.of(root) if root is not None else None
            self._types_read = True
        return self._types

    def content_type(self, name: str) -> str | None:
        """The content type [Content_Types].xml gives a member, None when it gives none."""
        types = self.content_types()
        return types.get(name) if types is not None else None


def rels_part(source: str) -> str:
    """The name of the part holding the relationships of part `source` ("" for the package)."""
    folder, base = posixpath.split(source)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def _resolve(folder: str, target: str) -> str:
    """A relationship target as a member name; "" when it points outside the package."""
    target = unquote(target.split("#", 1)[0])
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    normal = posixpath.normpath(path) if path else ""
    return "" if normal.startswith("..") or normal == "." else normal


def open_package(path: Path, kind: Kind = PRESENTATION) -> Package:
    """Open the package at `path` through the guard; raise PackageError (one line) when it
    cannot be read at all or holds no presentation. The file stays open until it is closed."""
    return _open(open_archive(path, kind))


def open_package_bytes(data: bytes, name: str, kind: Kind = PRESENTATION) -> Package:
    """Open a package held in memory, as `open_package` opens a file; `name` stands for the
    file in errors and findings."""
    return _open(open_archive(data, kind, name))


def open_package_members(
    members: Sequence[tuple[str, bytes]], name: str, limits: Limits = LIMITS
) -> Package:
    """Open the members of a deck deckgen has just made, in zip order, as `open_package_bytes`
    opens its zip, without zipping and unzipping it.

    They never left this process, so they are not screened for what only a stranger's file
    could hold (a DTD is still refused by the parser); the limits on parts and sizes hold as
    for the file, so the gate passes no deck that `deckgen check` would refuse to open.
    """
    return _open(_Members(members, name, limits))


class _Members(Archive):
    """Members held in memory, read as an Archive reads its zip."""

    def __init__(self, members: Sequence[tuple[str, bytes]], name: str, limits: Limits) -> None:
        self.path = Path(name)
        self.kind = PRESENTATION
        self.marked = frozenset()
        self._limits = limits
        self._data: dict[Member, bytes] = {}
        for member, data in members:
            info = Member(member)
            info.file_size = len(data)
            self._data[info] = data
        self.infos = tuple(self._data)
        self._check()

    def _check(self) -> None:
        limits = self._limits
        if len(self.infos) > limits.max_members:
            raise self.fail(
                f"the .pptx holds {len(self.infos):,} parts; at most {limits.max_members:,} "
                "are read"
            )
        total = xml = 0
        for info, data in self._data.items():
            total += info.file_size
            if data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
                xml += info.file_size
                if info.file_size > limits.max_xml_bytes:
                    raise self.fail(
                        f"part {shown(info.filename)} is {info.file_size // MiB:,} MB of XML; "
                        f"at most {limits.max_xml_bytes // MiB} MB are read"
                    )
            elif info.file_size > limits.max_member_bytes:
                raise self.fail(f"part {shown(info.filename)} is too large to read safely")
        if total > limits.max_total_bytes or xml > limits.max_xml_total_bytes:
            raise self.fail("the .pptx is too large to read safely")

    def close(self) -> None:
        self._data.clear()

    def read(self, info: Member) -> bytes:
        return self._data[info]


@dataclass(frozen=True)
class _Scan:
    """What one pass over the zip found."""

    names: tuple[str, ...]
    duplicates: tuple[str, ...]
    readable: dict[str, Member]
    unparsed: dict[str, Member]
    broken: dict[str, str]
    position: dict[str, int]
    relationships: dict[str, tuple[RawRelationship, ...]]


def _open(archive: Archive) -> Package:
    try:
        parser = _parser()
        package = Package(archive, parser, _scan(archive, parser))
        _require_presentation(package)
    except BaseException:
        archive.close()
        raise
    return package


def _scan(archive: Archive, parser: etree.XMLParser) -> _Scan:
    """List the XML parts in zip order; parse the relationship parts (and any part the zip
    holds twice) now, the rest when asked for."""
    counts = Counter(info.filename for info in archive.infos)
    names = tuple(counts)
    duplicates = tuple(name for name, count in counts.items() if count > 1)
    readable: dict[str, Member] = {}
    unparsed: dict[str, Member] = {}
    broken: dict[str, str] = {}
    position: dict[str, int] = {}
    relationships: dict[str, tuple[RawRelationship, ...]] = {}
    for index, info in enumerate(archive.infos):
        name, folded = info.filename, info.filename.casefold()
        if not folded.endswith(_XML_SUFFIXES) or name in readable or name in broken:
            continue
        position.setdefault(name, index)
        if counts[name] == 1 and not folded.endswith(RELS_SUFFIX):
            unparsed[name] = info
            continue
        root, error = _parse(archive, info, parser)
        if root is None:
            broken[name] = error
            continue
        readable[name] = info
        if folded.endswith(RELS_SUFFIX):
            relationships[name] = tuple(
                (rel.get("Id"), rel.get("Type"), rel.get("Target"), rel.get("TargetMode"))
                for rel in root.iterfind(REL_RELATIONSHIP)
            )
    return _Scan(names, duplicates, readable, unparsed, broken, position, relationships)


def _parser() -> etree.XMLParser:
    """One parser for all of a package's parts (making one per part costs more than parsing
    the part): it resolves no entities and loads nothing from the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def _parse(archive: Archive, info: Member, parser: etree.XMLParser) -> tuple[Element | None, str]:
    """Parse one part: its root, or None and why it does not parse. A DTD is refused (the
    guard has already refused any part that declares one; this is the parser's word on it)."""
    data = archive.read(info)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return None, str(exc.msg or exc).splitlines()[0]
    if root is None:
        return None, "the part is empty"
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise archive.fail(f"part {shown(info.filename)} declares a DTD or entities; refused")
    return root, ""


def _require_presentation(package: Package) -> None:
    """The package's main part must be a PowerPoint presentation that parses."""
    fail = package.fail
    if package.content_types() is None:
        raise fail(f"not an Office file: part {CONTENT_TYPES} does not parse")
    main = package.related("", "officeDocument")
    if not main:
        raise fail(f"not {package.kind.described}: {ROOT_RELS} names no main part")
    name = main[0]
    if package.member(name) is None:
        raise fail(f"the presentation part {shown(name)} is missing")
    root = package.part(name)
    error = package.parse_error(name)
    if error is not None:
        raise fail(f"part {shown(name)} does not parse ({shown(error)})")
    if root is None or root.tag != PRESENTATION_ROOT:
        raise fail(f"not {package.kind.described}: its main part {shown(name)} is not one")
