"""Every zip deckgen reads or writes: one guard with one set of limits, one deterministic writer.

Office files are zips of XML parts. The workbook, the template and a deck to check all open
through `open_archive`, which refuses, before any XML is parsed and with one line naming the
file (and the part, where one is at fault): a missing, empty or legacy binary file, a
password-protected one, a truncated zip, a zip bomb (too many parts, too large, expanding too
many times), unsafe part names, and any part that declares a DTD or entities (an XML entity
bomb: no Office file ever has one) or that is written in an encoding that could hide one.

Every part whose bytes could be XML is read to its end, a chunk at a time, whatever it is
called: a relationship may point at any part name, and a DTD behind a long comment is still a
DTD. Memory stays at one chunk per part.

`write_zip` is the one zip writer: every zip deckgen makes is byte-identical from build to build,
and a package it edits (a talk that `deckgen refresh` brings up to date) keeps each part it did not
add as it was stamped. No other module imports zipfile.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any, BinaryIO

from deckgen.errors import DeckgenError

MiB = 1024 * 1024
DateTime = tuple[int, int, int, int, int, int]  # a zip member's time: year, month, day, h, m, s
ZIP_EPOCH: DateTime = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip member can carry
CONTENT_TYPES = "[Content_Types].xml"
Member = zipfile.ZipInfo  # one part as the zip lists it: its name, sizes and where it lies


@dataclass(frozen=True)
class Limits:
    """What deckgen reads of any package; beyond these a file is refused as hostile or broken."""

    max_file_bytes: int = 200 * MiB
    max_members: int = 10_000
    max_member_bytes: int = 300 * MiB  # any one part, uncompressed
    max_total_bytes: int = 1024 * MiB  # all parts, uncompressed
    max_xml_bytes: int = 64 * MiB  # one XML part (a parser holds it, and a tree several times it)
    max_xml_total_bytes: int = 256 * MiB  # all XML parts together
    max_directory_bytes: int = 8 * MiB  # the zip's list of parts (10,000 parts take under 1 MB)
    max_ratio: float = 200.0  # uncompressed / compressed, for parts over ratio_floor
    ratio_floor: int = 1 * MiB


LIMITS = Limits()

_CHUNK = 256 * 1024  # bytes of a part decompressed and scanned at a time
_OVERLAP = 256  # bytes carried from one chunk to the next, so nothing hides across the seam
_NAME_SHOWN = 100  # characters of a part name a message shows
_DETAIL_SHOWN = 160  # characters of a library's explanation a message shows


class PackageError(DeckgenError):
    """A package cannot be read at all: one line naming the file (and the part at fault)."""

    def __init__(self, path: str | Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = Path(path)


@dataclass(frozen=True)
class Marker:
    """Something a caller wants to know a package holds, found while the guard reads it anyway
    (the reader asks whether any sheet has a formula)."""

    name: str
    folder: str  # only parts whose names start with this
    pattern: re.Pattern[bytes]


@dataclass(frozen=True)
class Kind:
    """What kind of Office file is expected, so that messages say what a file is instead."""

    noun: str  # "workbook"
    described: str  # "an Excel .xlsx workbook"
    extension: str  # ".xlsx"
    main_part: str  # the part every file of this kind has
    application: str  # "Excel"
    legacy: str  # ".xls"
    error: Callable[[str, str], DeckgenError] = PackageError  # (file, message) -> raised
    part_limits: Mapping[str, tuple[int, str]] = field(default_factory=dict)  # name -> most, what
    markers: tuple[Marker, ...] = ()

    @property
    def save_as(self) -> str:
        return f"open it in {self.application} and save it as {self.extension}"


def _workbook_error(path: str, message: str) -> DeckgenError:
    from deckgen.errors import WorkbookError

    return WorkbookError(path, message)


WORKBOOK = Kind(
    "workbook",
    "an Excel .xlsx workbook",
    ".xlsx",
    "xl/workbook.xml",
    "Excel",
    ".xls",
    _workbook_error,
    # openpyxl loads the whole shared-string table into memory before reading a cell.
    {"xl/sharedStrings.xml": (4 * MiB, "shared-string table")},
    (Marker("formula", "xl/worksheets/", re.compile(rb"<(?:\w+:)?f[ >/]")),),
)
PRESENTATION = Kind(
    "presentation",
    "a PowerPoint .pptx presentation",
    ".pptx",
    "ppt/presentation.xml",
    "PowerPoint",
    ".ppt",
)
TEMPLATE = Kind(
    "template",
    "a PowerPoint .pptx template",
    ".pptx",
    "ppt/presentation.xml",
    "PowerPoint",
    ".ppt",
)
_MAIN_PARTS = {
    "word/document.xml": "a Word document",
    "xl/workbook.xml": "an Excel workbook",
    "ppt/presentation.xml": "a PowerPoint presentation",
}


# -- reading ---------------------------------------------------------------------------------


class Archive:
    """An open package that passed the guard: its parts listed and screened, read on request.

    Close it when done (it is a context manager).
    """

    def __init__(
        self, path: Path, kind: Kind, archive: zipfile.ZipFile, limits: Limits, marked: set[str]
    ) -> None:
        self.path = path  # the file, or the name that stands for bytes in messages
        self.kind = kind
        self.infos = tuple(archive.infolist())
        self.marked = frozenset(marked)  # the names of the kind's markers found
        self._zip = archive
        self._limits = limits

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def data(self, info: Member) -> bytes:
        """One part's bytes, whatever it holds (a picture, an embedded workbook): at most
        `max_member_bytes`, since more was refused on open."""
        with self._reading(info), self._zip.open(info) as part:
            return part.read(self._limits.max_member_bytes + 1)

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """One part, whole, for a parser: at most `max_xml_bytes` (more was refused on open)."""
        most = self._limits.max_xml_bytes
        if info.file_size > most:
            raise self.fail(
                f"part {shown(info.filename)} is {info.file_size // MiB:,} MB; at most "
                f"{most // MiB} MB of a part are read"
            )
        with self._reading(info), self._zip.open(info) as part:
            return part.read(most + 1)

    def fail(self, message: str) -> DeckgenError:
        """The kind's one-line error about this file."""
        return self.kind.error(str(self.path), message)

    @contextmanager
    def _reading(self, info: zipfile.ZipInfo) -> Iterator[None]:
        """A part that cannot be decompressed is the file's fault: one line, no traceback."""
        try:
            yield
        except _DAMAGE as error:
            raise self.fail(_undecompressable(info, self.kind, error)) from None


# What a library reading a zip (python-pptx, openpyxl) raises when the zip itself is damaged, for
# callers that hand a package the guard passed to such a library.
ZIP_ERRORS: tuple[type[Exception], ...] = (zipfile.BadZipFile, zlib.error)

# What zipfile and zlib raise on a damaged file: a central directory pointing past the end of
# the file gives OSError, impossible sizes ValueError, a bad stream zlib.error or EOFError.
_DAMAGE: tuple[type[Exception], ...] = (
    *ZIP_ERRORS,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
)


def open_archive(
    source: Path | bytes, kind: Kind, name: str | None = None, limits: Limits = LIMITS
) -> Archive:
    """Open the package at `source` (a path, or bytes that `name` stands for in messages) after
    the guard's checks; raise the kind's one-line error when it is not a safe file of the kind."""
    stream: Path | io.BytesIO
    if isinstance(source, Path):
        path, stream = source if name is None else Path(name), source
        _check_file(source, kind, limits)
    else:
        path, stream = Path(name or "<package>"), io.BytesIO(source)
        _check_size(path, kind, len(source), limits)
        _check_start(path, kind, len(source), source[:8], lambda: source[: 8 * MiB])
        _check_end_record(path, kind, stream, len(source), limits)
    try:
        archive = zipfile.ZipFile(stream)
    except _DAMAGE as error:
        raise _damaged(path, kind, error) from None
    try:
        marked = _check(path, archive, kind, limits)
    except _DAMAGE as error:
        archive.close()
        raise _damaged(path, kind, error) from None
    except BaseException:
        archive.close()
        raise
    return Archive(path, kind, archive, limits, marked)


def check_package(path: Path, kind: Kind, limits: Limits = LIMITS) -> frozenset[str]:
    """Raise the kind's error unless `path` is a safe file of that kind; return the names of the
    kind's markers the file holds."""
    with open_archive(path, kind, limits=limits) as archive:
        return archive.marked


def _undecompressable(info: zipfile.ZipInfo, kind: Kind, error: BaseException) -> str:
    return (
        f"part {shown(info.filename)} cannot be decompressed ({detail(error)}); the "
        f"{kind.extension} file is damaged"
    )


def _damaged(path: Path, kind: Kind, error: BaseException) -> DeckgenError:
    return kind.error(
        str(path),
        f"the {kind.extension} file is truncated or damaged ({detail(error)}); save it again "
        f"from {kind.application}",
    )


# -- the file, by its first bytes --------------------------------------------------------------

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # 97-2003 files and encrypted OOXML alike
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


def _check_file(path: Path, kind: Kind, limits: Limits) -> None:
    fail = kind.error
    try:
        if not path.exists():
            raise fail(str(path), "no such file")
        if path.is_dir():
            raise fail(str(path), f"is a folder, not a {kind.noun} file")
        size = path.stat().st_size
        _check_size(path, kind, size, limits)
        with path.open("rb") as handle:
            head = handle.read(8)

            def body() -> bytes:
                handle.seek(0)
                return handle.read(8 * MiB)

            _check_start(path, kind, size, head, body)
            _check_end_record(path, kind, handle, size, limits)
    except OSError as error:
        raise fail(str(path), f"cannot be read ({error.strerror or detail(error)})") from None


def _check_size(path: Path, kind: Kind, size: int, limits: Limits) -> None:
    if size > limits.max_file_bytes:
        raise kind.error(
            str(path),
            f"the file is {size // MiB:,} MB; deckgen reads at most "
            f"{limits.max_file_bytes // MiB} MB",
        )


def _check_start(path: Path, kind: Kind, size: int, head: bytes, body: Callable[[], bytes]) -> None:
    """Refuse an empty file, a legacy or encrypted binary file and anything not a zip."""
    fail = kind.error
    if size == 0:
        raise fail(str(path), "the file is empty (0 bytes)")
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTION_STREAM in body():
            raise fail(
                str(path),
                f"the {kind.noun} is password-protected (encrypted); remove the password in "
                f"{kind.application} (File > Info > Protect) and save it again",
            )
        raise fail(
            str(path),
            f"this is a {kind.application} 97-2003 ({kind.legacy}) file; {kind.save_as}",
        )
    if not head.startswith(_ZIP_MAGIC):
        what = "text (perhaps CSV)" if _looks_like_text(head) else "not a zip archive"
        raise fail(str(path), f"not {kind.described}: the file is {what}")


_END = b"PK\x05\x06"  # the end of central directory record
_END64_LOCATOR = b"PK\x06\x07"
_END64 = b"PK\x06\x06"


def _check_end_record(path: Path, kind: Kind, handle: BinaryIO, size: int, limits: Limits) -> None:
    """Refuse a zip whose end record declares more parts, or a longer list of them, than are
    read: zipfile builds an object for every part listed before anyone can count them."""
    tail_size = min(size, 22 + 0xFFFF)  # the record and the longest comment it may carry
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(_END)  # as zipfile looks for it
    if at < 0 or len(tail) - at < 22:
        return  # not a zip's end: zipfile will say the file is damaged
    parts = int.from_bytes(tail[at + 10 : at + 12], "little")
    listing = int.from_bytes(tail[at + 12 : at + 16], "little")
    locator = tail[at - 20 : at] if at >= 20 else b""
    if locator.startswith(_END64_LOCATOR):
        handle.seek(min(int.from_bytes(locator[8:16], "little"), size))
        record = handle.read(56)
        if record.startswith(_END64):
            parts = int.from_bytes(record[32:40], "little")
            listing = int.from_bytes(record[40:48], "little")
    if parts > limits.max_members:
        raise kind.error(
            str(path),
            f"the {kind.extension} lists {parts:,} parts; at most {limits.max_members:,} are "
            "read (a zip bomb?)",
        )
    if listing > limits.max_directory_bytes:
        raise kind.error(
            str(path),
            f"the {kind.extension}'s list of parts takes {listing // MiB:,} MB; at most "
            f"{limits.max_directory_bytes // MiB} MB are read (a zip bomb?)",
        )


def _looks_like_text(head: bytes) -> bool:
    return all(32 <= b < 127 or b in (9, 10, 13) for b in head)


# -- the zip's directory -----------------------------------------------------------------------


def _check(path: Path, archive: zipfile.ZipFile, kind: Kind, limits: Limits) -> set[str]:
    infos = archive.infolist()
    _check_directory(path, infos, kind, limits)
    names = {info.filename for info in infos}
    if CONTENT_TYPES not in names or kind.main_part not in names:
        found = [what for part, what in _MAIN_PARTS.items() if part in names]
        what = f"it is {found[0]}" if found else f"the zip holds no {kind.main_part}"
        raise kind.error(str(path), f"not {kind.described}: {what}")
    marked: set[str] = set()
    xml_total = 0
    for info in infos:
        try:
            xml_total += _screen(path, archive, info, kind, limits, marked)
        except _DAMAGE as error:
            raise kind.error(str(path), _undecompressable(info, kind, error)) from None
        if xml_total > limits.max_xml_total_bytes:
            raise kind.error(
                str(path),
                f"the {kind.extension} holds more than {limits.max_xml_total_bytes // MiB} MB "
                "of XML; refused",
            )
    return marked


def _check_directory(path: Path, infos: list[zipfile.ZipInfo], kind: Kind, limits: Limits) -> None:
    fail = kind.error
    if len(infos) > limits.max_members:
        raise fail(
            str(path),
            f"the {kind.extension} holds {len(infos):,} parts; at most {limits.max_members:,} "
            "are read (a zip bomb?)",
        )
    total = 0
    for info in infos:
        name = info.filename
        if not name:
            raise fail(str(path), "the zip holds a part with no name; refused")
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", name):
            raise fail(str(path), f"the zip holds an unsafe part name '{shown(name)}'; refused")
        if info.flag_bits & 0x1:
            raise fail(str(path), f"part {shown(name)} is encrypted; remove the password")
        if info.file_size > limits.max_member_bytes:
            raise fail(
                str(path),
                f"part {shown(name)} expands to {info.file_size:,} bytes, too large to read "
                "safely (a zip bomb?); refused",
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            raise fail(
                str(path), f"part {shown(name)} expands {ratio:,.0f} times (a zip bomb?); refused"
            )
        if name in kind.part_limits:
            most, what = kind.part_limits[name]
            if info.file_size > most:
                raise fail(
                    str(path),
                    f"the {what} expands to {info.file_size // MiB} MB; deckgen reads at most "
                    f"{most // MiB} MB of it (is this the right {kind.noun}?)",
                )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise fail(
                str(path),
                f"the {kind.noun} expands to more than {limits.max_total_bytes // MiB:,} MB "
                "(a zip bomb?); refused",
            )


# -- every part that could be XML, to its end --------------------------------------------------

_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_BOMS = (
    b"\xff\xfe\x00\x00",  # UTF-32 LE (before UTF-16 LE, whose mark it starts with)
    b"\x00\x00\xfe\xff",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
)
_EBCDIC = b"\x4c\x6f\xa7\x94"  # "<?xm" in EBCDIC, which libxml2 may decode where iconv is built in
_XML_START = (b"<", b" ", b"\t", b"\r", b"\n")
_DECLARATION = re.compile(rb"<\?xml\b(.*?)\?>", re.DOTALL)
_ENCODING = re.compile(rb"""\bencoding\s*=\s*["']([^"']*)["']""")
_DECLARATION_MOST = 1024  # bytes an XML declaration may take
# Encodings in which markup is spelt in ASCII bytes (the wide ones once their zero bytes are
# dropped), with no shift or escape that could hide "<!DOCTYPE" from a byte scan.
_PLAIN_ENCODINGS = re.compile(
    r"(?:utf-?8|utf-?16(?:le|be)?|utf-?32(?:le|be)?|ucs-?2|ucs-?4|iso-10646-ucs-[24]|"
    r"us-ascii|ascii|iso[-_]?8859-\d{1,2}|latin-?1|(?:windows|cp)-?125\d)",
    re.IGNORECASE,
)


def _screen(
    path: Path,
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    kind: Kind,
    limits: Limits,
    marked: set[str],
) -> int:
    """Scan one part to its end if it could be XML; return its size when it could, else 0."""
    if info.filename.endswith("/") or info.file_size == 0:
        return 0
    markers = [
        m for m in kind.markers if m.name not in marked and info.filename.startswith(m.folder)
    ]
    with archive.open(info) as part:
        chunk = part.read(_CHUNK)
        start = _xml_start(chunk)
        if start is None:
            if chunk.startswith(_EBCDIC):
                raise _refused(path, kind, info, "is written in EBCDIC, which no Office file is")
            return 0
        if info.file_size > limits.max_xml_bytes:
            raise kind.error(
                str(path),
                f"part {shown(info.filename)} is {info.file_size // MiB:,} MB of XML; at most "
                f"{limits.max_xml_bytes // MiB} MB are read",
            )
        _check_encoding(path, kind, info, start)
        carried = b""
        while chunk:
            # Markup in UTF-16 or UTF-32 is ASCII with zero bytes between; with them dropped it
            # reads as ASCII, however the part's encoding changes after its declaration. XML
            # holds no zero byte otherwise.
            text = chunk.replace(b"\x00", b"") if b"\x00" in chunk else chunk
            window = carried + text
            if _DTD.search(window):
                raise _refused(
                    path,
                    kind,
                    info,
                    "declares a DTD or entities, which an Office file never does (an XML "
                    "entity bomb?); refused",
                )
            for marker in list(markers):
                if marker.pattern.search(window):
                    marked.add(marker.name)
                    markers.remove(marker)
            carried = window[-_OVERLAP:]
            chunk = part.read(_CHUNK)
    return info.file_size


def _xml_start(chunk: bytes) -> bytes | None:
    """The part's first bytes as ASCII (its byte-order mark and, if it is wide, its zero bytes
    dropped) when the part could be XML; None when no XML parser would read it."""
    for bom in _BOMS:
        if chunk.startswith(bom):
            chunk = chunk[len(bom) :]
            break
    if b"\x00" in chunk[:4]:
        start = chunk[: _DECLARATION_MOST * 4].replace(b"\x00", b"")
    else:
        start = chunk[:_DECLARATION_MOST]
    return start if start.startswith(_XML_START) else None


def _check_encoding(path: Path, kind: Kind, info: zipfile.ZipInfo, start: bytes) -> None:
    """Refuse a declared encoding that could spell markup in other bytes (UTF-7 writes "<!" as
    "+ADwAIQ-"), or a declaration too long to read."""
    if not start.startswith(b"<?xml"):
        return
    declaration = _DECLARATION.match(start)
    if declaration is None:
        raise _refused(path, kind, info, "has an XML declaration that does not end; refused")
    encoding = _ENCODING.search(declaration.group(1))
    if encoding is None:
        return
    name = encoding.group(1).decode("ascii", "replace").strip()
    if not _PLAIN_ENCODINGS.fullmatch(name):
        raise _refused(
            path,
            kind,
            info,
            f"is written in {shown(name, 40)}, an encoding Office files never use and that can "
            "hide markup; refused",
        )


def _refused(path: Path, kind: Kind, info: zipfile.ZipInfo, why: str) -> DeckgenError:
    return kind.error(str(path), f"part {shown(info.filename)} {why}")


# -- writing -----------------------------------------------------------------------------------


def write_zip(
    members: Iterable[tuple[str | Member, bytes]], date_time: DateTime = ZIP_EPOCH
) -> bytes:
    """A zip of `members`, in the order given, that is the same bytes on every machine.

    A member named by a string gets fixed times (`date_time`), attributes and compression; one
    given as the `Member` an opened package listed it as keeps that stamp (its name, date,
    attributes and compression), so a package written back changes only what was edited."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry, data in members:
            if isinstance(entry, str):
                info = zipfile.ZipInfo(entry, date_time=date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16  # -rw-r--r--
                info.create_system = 3  # Unix, whatever the machine
            else:
                info = copy.copy(entry)  # writing fills in offsets and sizes: not the reader's
            target.writestr(info, data, compresslevel=6)
    return out.getvalue()


def members(
    package: bytes, order: Callable[[str], Any] | None = None
) -> Iterator[tuple[str, bytes]]:
    """The parts of a package deckgen has just written itself, one at a time, in zip order or
    sorted by `order` of their names (no guard: the bytes never left this process)."""
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        infos = source.infolist()
        if order is not None:
            infos.sort(key=lambda info: order(info.filename))
        for info in infos:
            yield info.filename, source.read(info)


# -- messages ----------------------------------------------------------------------------------


def shown(text: str, most: int = _NAME_SHOWN) -> str:
    """`text` (a part name, say) safe to put in a one-line message: control characters escaped,
    and the middle left out when it is long."""
    safe = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    if len(safe) <= most:
        return safe
    keep = (most - 1) // 2
    return f"{safe[:keep]}…{safe[-keep:]}"


def detail(error: BaseException, most: int = _DETAIL_SHOWN) -> str:
    """A library's explanation of an error, on one line and of bounded length."""
    return shown(" ".join(str(error).split()) or type(error).__name__, most)
