"""Open a .pptx safely: bounded zip reading, XML parsed without entities, relationships resolved.

The gate runs on any deck, including one a stranger sent. Before anything is decompressed the
zip's directory is checked (member count, sizes, compression ratios, names that would escape
the package); every XML part is parsed with a parser that resolves no entities and loads
nothing from the network, and a part that declares a DTD is refused outright, since no Office
file ever does. A file that cannot be read at all is a one-line `DeckFileError`; a part that
merely does not parse is kept as a finding for the caller.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from lxml import etree

from deckgen.checks.ooxml import NS, Element, qn
from deckgen.errors import DeckgenError

MiB = 1024 * 1024
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_SUFFIXES = (".xml", ".rels")
RELS_SUFFIX = ".rels"
CONTENT_TYPES = "[Content_Types].xml"
ROOT_RELS = "_rels/.rels"
PRESENTATION_ROOT = qn("p:presentation")
REL_RELATIONSHIP = f"{{{NS['rel']}}}Relationship"
CT_OVERRIDE = f"{{{NS['ct']}}}Override"
CT_DEFAULT = f"{{{NS['ct']}}}Default"
_ENCRYPTED_FLAG = 0x1


@dataclass(frozen=True)
class Limits:
    """What the gate will read; beyond these a deck is refused as hostile or broken."""

    max_members: int = 10_000
    max_member_bytes: int = 300 * MiB  # any one member, uncompressed
    max_total_bytes: int = 1024 * MiB  # all members, uncompressed
    max_xml_bytes: int = 64 * MiB  # an XML part parsed into memory
    max_xml_total_bytes: int = 256 * MiB  # all XML parts together (trees take several times more)
    max_ratio: float = 200.0  # uncompressed / compressed, for members over ratio_floor
    ratio_floor: int = 1 * MiB


LIMITS = Limits()


class DeckFileError(DeckgenError):
    """The deck cannot be read at all: missing, not a zip, truncated, hostile, not a deck."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


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
    """The members of an open .pptx: their relationships, each XML part's tree on request, and
    the parts that do not parse.

    Opening reads every XML part, in zip order, within the limits and refusing any DTD, but
    parses only the relationship parts: the trees of a 1,000-slide deck take hundreds of MB. A
    part is parsed when it is asked for (`part`), and the caller decides how long to hold the
    tree; `broken` parses whatever nobody asked for, so it names every part that does not parse.
    Close the package when done (it is a context manager): parts are read from the open zip.
    """

    def __init__(
        self,
        path: Path,
        archive: zipfile.ZipFile,
        limits: Limits,
        parser: etree.XMLParser,
        scan: _Scan,
    ) -> None:
        self.path = path  # the file, or the name given with the bytes: findings and errors show it
        self.names = scan.names
        self.duplicates = scan.duplicates
        self._archive = archive
        self._limits = limits
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

    def _parse(self, info: zipfile.ZipInfo) -> tuple[Element | None, str]:
        with _reading(self.path):
            data = _read(self.path, self._archive, info, self._limits)
        return _parse(self.path, info.filename, data, self._parser)

    def relationships(self, source: str) -> dict[str, Relationship]:
        """The relationships of part `source` ("" for the package itself) by id."""
        if source in self._rels:
            return self._rels[source]
        folder, base = posixpath.split(source)
        stored = self.member(posixpath.join(folder, "_rels", f"{base}.rels"))
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


def _resolve(folder: str, target: str) -> str:
    """A relationship target as a member name; "" when it points outside the package."""
    target = unquote(target.split("#", 1)[0])
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    normal = posixpath.normpath(path) if path else ""
    return "" if normal.startswith("..") or normal == "." else normal


def open_package(path: Path, limits: Limits = LIMITS) -> Package:
    """Open the .pptx at `path` within `limits`; raise DeckFileError when it cannot be read at
    all. The package keeps the file open until it is closed."""
    with _reading(path):
        _check_file(path)
    return _open(path, path, limits)


def open_package_bytes(data: bytes, name: str, limits: Limits = LIMITS) -> Package:
    """Open a .pptx held in memory, as `open_package` opens a file; `name` stands for the file
    in errors and findings."""
    path = Path(name)
    _check_start(path, len(data), data[: len(_OLE_MAGIC)])
    return _open(path, io.BytesIO(data), limits)


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """The zip's and the file system's errors as one-line DeckFileErrors naming the file."""
    try:
        yield
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError) as exc:
        # a damaged directory also gives "zip file version 8.3" or impossible sizes and offsets
        raise DeckFileError(path, f"the .pptx file is truncated or damaged ({exc})") from None
    except OSError as exc:
        raise DeckFileError(path, f"cannot be read ({exc.strerror or exc})") from None


@dataclass(frozen=True)
class _Scan:
    """What one pass over the zip found."""

    names: tuple[str, ...]
    duplicates: tuple[str, ...]
    readable: dict[str, zipfile.ZipInfo]
    unparsed: dict[str, zipfile.ZipInfo]
    broken: dict[str, str]
    position: dict[str, int]
    relationships: dict[str, tuple[RawRelationship, ...]]


def _open(path: Path, source: Path | io.BytesIO, limits: Limits) -> Package:
    parser = _parser()
    with _reading(path):
        archive = zipfile.ZipFile(source)
    try:
        with _reading(path):
            scan = _scan(path, archive, limits, parser)
        package = Package(path, archive, limits, parser, scan)
        _require_presentation(package)
    except BaseException:
        archive.close()
        raise
    return package


def _scan(path: Path, archive: zipfile.ZipFile, limits: Limits, parser: etree.XMLParser) -> _Scan:
    """Check the zip's directory, then read every XML part in zip order, so that a part too
    large, damaged or declaring a DTD is refused before anything is checked. Relationship parts
    (and any part the zip holds twice) are parsed now; the rest when asked for."""
    infos = archive.infolist()
    _check_directory(path, infos, limits)
    counts = Counter(info.filename for info in infos)
    names = tuple(counts)
    duplicates = tuple(name for name, count in counts.items() if count > 1)
    readable: dict[str, zipfile.ZipInfo] = {}
    unparsed: dict[str, zipfile.ZipInfo] = {}
    broken: dict[str, str] = {}
    position: dict[str, int] = {}
    relationships: dict[str, tuple[RawRelationship, ...]] = {}
    for index, info in enumerate(infos):
        name, folded = info.filename, info.filename.casefold()
        if not folded.endswith(_XML_SUFFIXES) or name in readable:
            continue
        data = _read(path, archive, info, limits)
        _screen(path, name, data)
        position.setdefault(name, index)
        if counts[name] == 1 and not folded.endswith(RELS_SUFFIX):
            unparsed[name] = info
            continue
        root, error = _parse(path, name, data, parser)
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


def _check_file(path: Path) -> None:
    if not path.exists():
        raise DeckFileError(path, "no such file")
    if path.is_dir():
        raise DeckFileError(path, "is a folder, not a .pptx file")
    size = path.stat().st_size
    head = b""
    if size:
        with path.open("rb") as handle:
            head = handle.read(len(_OLE_MAGIC))
    _check_start(path, size, head)


def _check_start(path: Path, size: int, head: bytes) -> None:
    """Refuse an empty file, an old binary .ppt and anything that is not a zip, by its first
    bytes."""
    if size == 0:
        raise DeckFileError(path, "the file is empty (0 bytes)")
    if head.startswith(_OLE_MAGIC):
        raise DeckFileError(
            path,
            "a PowerPoint 97-2003 (.ppt) file or a password-protected deck, not a .pptx; "
            "save it from PowerPoint as .pptx without a password",
        )
    if not head.startswith(_ZIP_MAGIC):
        raise DeckFileError(path, "not a .pptx file: it is not a zip package, as every .pptx is")


def _check_directory(path: Path, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_members:
        raise DeckFileError(
            path, f"the .pptx holds {len(infos):,} parts; at most {limits.max_members:,} are read"
        )
    total = xml_total = 0
    for info in infos:
        name = info.filename
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", name):
            raise DeckFileError(path, f"the zip holds an unsafe part name {name!r}; refused")
        if info.flag_bits & _ENCRYPTED_FLAG:
            raise DeckFileError(path, f"part {name} is encrypted; remove the password")
        if info.file_size > limits.max_member_bytes:
            raise DeckFileError(
                path,
                f"part {name} expands to {info.file_size:,} bytes, "
                "too large to read safely (a zip bomb?); refused",
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            raise DeckFileError(
                path, f"part {name} expands {ratio:,.0f} times (a zip bomb?); refused"
            )
        total += info.file_size
        if info.filename.casefold().endswith(_XML_SUFFIXES):
            xml_total += info.file_size
        if xml_total > limits.max_xml_total_bytes:
            raise DeckFileError(
                path,
                f"the .pptx holds more than {limits.max_xml_total_bytes // MiB:,} MB of XML; "
                "refused",
            )
        if total > limits.max_total_bytes:
            raise DeckFileError(
                path,
                f"the .pptx expands to more than {limits.max_total_bytes // MiB:,} MB "
                "(a zip bomb?); refused",
            )


def _read(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> bytes:
    if info.file_size > limits.max_xml_bytes:
        raise DeckFileError(
            path,
            f"part {info.filename} is {info.file_size // MiB:,} MB of XML; at most "
            f"{limits.max_xml_bytes // MiB} MB are read",
        )
    try:
        with archive.open(info) as member:
            return member.read(limits.max_xml_bytes + 1)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
        ValueError,
        OSError,
    ) as exc:
        raise DeckFileError(
            path, f"part {info.filename} cannot be decompressed ({exc}); the file is damaged"
        ) from None


def _screen(path: Path, name: str, data: bytes) -> None:
    """Refuse a part that declares a DTD or entities, before it is parsed."""
    if _DTD.search(_as_utf8(data)):  # anywhere: a comment may push it past any prefix
        raise _dtd_error(path, name)


def _parse(
    path: Path, name: str, data: bytes, parser: etree.XMLParser
) -> tuple[Element | None, str]:
    """Parse one part: its root, or None and why it does not parse. A DTD is refused."""
    _screen(path, name, data)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return None, str(exc.msg or exc).splitlines()[0]
    if root is None:
        return None, "the part is empty"
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise _dtd_error(path, name)
    return root, ""


def _dtd_error(path: Path, name: str) -> DeckFileError:
    return DeckFileError(
        path,
        f"part {name} declares a DTD or entities, which a PowerPoint file never does "
        "(an XML entity bomb?); refused",
    )


def _as_utf8(data: bytes) -> bytes:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="ignore").encode("utf-8")
    return data


_OTHER_DOCUMENTS = {
    "word/document.xml": "it is a Word document",
    "xl/workbook.xml": "it is an Excel workbook",
}


def _require_presentation(package: Package) -> None:
    """The package's main part must be a PowerPoint presentation that parses."""
    if package.content_types() is None:
        raise DeckFileError(
            package.path, f"not an Office file: {CONTENT_TYPES} is missing or does not parse"
        )
    main = package.related("", "officeDocument")
    if not main:
        kinds = [kind for name, kind in _OTHER_DOCUMENTS.items() if package.member(name)]
        what = kinds[0] if kinds else "it is a zip file with no presentation inside"
        raise DeckFileError(package.path, f"not a PowerPoint presentation: {what}")
    name = main[0]
    stored = package.member(name)
    if stored is None:
        raise DeckFileError(package.path, f"the presentation part {name} is missing")
    root = package.part(name)
    error = package.parse_error(name)
    if error is not None:
        raise DeckFileError(package.path, f"the presentation part {name} does not parse ({error})")
    if root is None or root.tag != PRESENTATION_ROOT:
        kinds = [kind for n, kind in _OTHER_DOCUMENTS.items() if package.member(n)]
        what = kinds[0] if kinds else f"its main part {name} is not a presentation"
        raise DeckFileError(package.path, f"not a PowerPoint presentation: {what}")
