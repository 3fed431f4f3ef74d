"""Open a .pptx safely: bounded zip reading, XML parsed without entities, relationships resolved.

The gate runs on any deck, including one a stranger sent. Before anything is decompressed the
zip's directory is checked (member count, sizes, compression ratios, names that would escape
the package); every XML part is parsed with a parser that resolves no entities and loads
nothing from the network, and a part that declares a DTD is refused outright, since no Office
file ever does. A file that cannot be read at all is a one-line `DeckFileError`; a part that
merely does not parse is kept as a finding for the caller.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
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
CONTENT_TYPES = "[Content_Types].xml"
ROOT_RELS = "_rels/.rels"
PRESENTATION_ROOT = qn("p:presentation")
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


@dataclass
class Package:
    """The members of a .pptx, its XML parsed, and what could not be."""

    path: Path
    names: tuple[str, ...]
    xml: dict[str, Element]
    broken: dict[str, str]  # member name -> why it does not parse
    duplicates: tuple[str, ...] = ()
    _by_folded: dict[str, str] = field(default_factory=dict)
    _rels: dict[str, dict[str, Relationship]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_folded = {name.casefold(): name for name in self.names}

    def member(self, name: str) -> str | None:
        """The member's name as stored (part names are case-insensitive), None when absent."""
        return self._by_folded.get(name.casefold())

    def part(self, name: str) -> Element | None:
        """The parsed root of an XML part; None when absent, not XML or broken."""
        stored = self.member(name)
        return self.xml.get(stored) if stored is not None else None

    def relationships(self, source: str) -> dict[str, Relationship]:
        """The relationships of part `source` ("" for the package itself) by id."""
        if source in self._rels:
            return self._rels[source]
        folder, base = posixpath.split(source)
        root = self.part(posixpath.join(folder, "_rels", f"{base}.rels"))
        found: dict[str, Relationship] = {}
        if root is not None:
            for rel in root.iterfind(f"{{{NS['rel']}}}Relationship"):
                rid, kind, target = rel.get("Id"), rel.get("Type"), rel.get("Target")
                if not rid or not kind or target is None:
                    continue
                external = rel.get("TargetMode") == "External"
                resolved = target if external else _resolve(folder, target)
                found[rid] = Relationship(
                    rid, kind.rstrip("/").rpartition("/")[2], resolved, external
                )
        self._rels[source] = found
        return found

    def related(self, source: str, kind: str) -> list[str]:
        """Targets of `source`'s internal relationships of one kind, in document order."""
        return [
            rel.target
            for rel in self.relationships(source).values()
            if rel.kind == kind and not rel.external
        ]

    def content_type(self, name: str) -> str | None:
        """The content type [Content_Types].xml gives a member, None when it gives none."""
        types = self.part(CONTENT_TYPES)
        if types is None:
            return None
        wanted = "/" + name
        for override in types.iterfind(f"{{{NS['ct']}}}Override"):
            if (override.get("PartName") or "").casefold() == wanted.casefold():
                return str(override.get("ContentType") or "")
        base = posixpath.basename(name)
        extension = base.rpartition(".")[2].casefold() if "." in base else ""
        for default in types.iterfind(f"{{{NS['ct']}}}Default"):
            if (default.get("Extension") or "").casefold() == extension:
                return str(default.get("ContentType") or "")
        return None


def _resolve(folder: str, target: str) -> str:
    """A relationship target as a member name; "" when it points outside the package."""
    target = unquote(target.split("#", 1)[0])
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    normal = posixpath.normpath(path) if path else ""
    return "" if normal.startswith("..") or normal == "." else normal


def open_package(path: Path, limits: Limits = LIMITS) -> Package:
    """Read a .pptx within `limits`; raise DeckFileError when it cannot be read at all."""
    try:
        _check_file(path)
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_directory(path, infos, limits)
            names = tuple(dict.fromkeys(info.filename for info in infos))
            duplicates = tuple(
                n for n, count in Counter(i.filename for i in infos).items() if count > 1
            )
            xml: dict[str, Element] = {}
            broken: dict[str, str] = {}
            for info in infos:
                if info.filename.casefold().endswith(_XML_SUFFIXES) and info.filename not in xml:
                    data = _read(path, archive, info, limits)
                    root, error = _parse(path, info.filename, data)
                    if root is not None:
                        xml[info.filename] = root
                    else:
                        broken[info.filename] = error
    except zipfile.BadZipFile as exc:
        raise DeckFileError(path, f"the .pptx file is truncated or damaged ({exc})") from None
    except OSError as exc:
        raise DeckFileError(path, f"cannot be read ({exc.strerror or exc})") from None
    package = Package(path, names, xml, broken, duplicates)
    _require_presentation(package)
    return package


def _check_file(path: Path) -> None:
    if not path.exists():
        raise DeckFileError(path, "no such file")
    if path.is_dir():
        raise DeckFileError(path, "is a folder, not a .pptx file")
    if path.stat().st_size == 0:
        raise DeckFileError(path, "the file is empty (0 bytes)")
    with path.open("rb") as handle:
        head = handle.read(8)
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
    except (zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise DeckFileError(
            path, f"part {info.filename} cannot be decompressed ({exc}); the file is damaged"
        ) from None


def _parse(path: Path, name: str, data: bytes) -> tuple[Element | None, str]:
    """Parse one part: its root, or None and why it does not parse. A DTD is refused."""
    if _DTD.search(_as_utf8(data)):  # anywhere: a comment may push it past any prefix
        raise _dtd_error(path, name)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
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
    if package.part(CONTENT_TYPES) is None:
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
    if stored in package.broken:
        raise DeckFileError(
            package.path, f"the presentation part {name} does not parse ({package.broken[stored]})"
        )
    root = package.part(name)
    if root is None or root.tag != PRESENTATION_ROOT:
        kinds = [kind for n, kind in _OTHER_DOCUMENTS.items() if package.member(n)]
        what = kinds[0] if kinds else f"its main part {name} is not a presentation"
        raise DeckFileError(package.path, f"not a PowerPoint presentation: {what}")
