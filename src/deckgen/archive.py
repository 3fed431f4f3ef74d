"""Checks on an Office file itself (.xlsx or .pptx), made before any of its XML is parsed.

Office files are zips of XML parts. A hostile or broken one is refused here with a message
saying what the file is instead: missing, empty, a 97-2003 binary file, password-protected,
truncated, a zip bomb, an XML entity bomb or a zip with unsafe member names. Workbooks, templates
and decks to check all pass through here, so each gets the same protection.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from deckgen.errors import DeckgenError

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # 97-2003 files and encrypted OOXML alike
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class ArchiveLimits:
    """Bounds checked on the zip before any XML is parsed."""

    max_file_bytes: int = 200 * 1024 * 1024
    max_members: int = 10_000
    max_total_uncompressed: int = 500 * 1024 * 1024
    max_member_uncompressed: int = 300 * 1024 * 1024
    max_ratio: float = 200.0  # uncompressed / compressed, for members over ratio_floor
    ratio_floor: int = 1024 * 1024
    xml_prefix_scan: int = 4096  # bytes of each XML part scanned for a DOCTYPE


LIMITS = ArchiveLimits()


@dataclass(frozen=True)
class Kind:
    """What kind of Office file is expected, so messages can say what it is instead."""

    noun: str  # "workbook"
    described: str  # "an Excel .xlsx workbook"
    extension: str  # ".xlsx"
    main_part: str  # the part every file of this kind has
    application: str  # "Excel"
    legacy: str  # ".xls"
    error: Callable[[str, str], DeckgenError]  # (path, message) -> the error to raise
    part_limits: Mapping[str, tuple[int, str]] = field(default_factory=dict)

    @property
    def save_as(self) -> str:
        return f"open it in {self.application} and save it as {self.extension}"


def _workbook_error(path: str, message: str) -> DeckgenError:
    from deckgen.errors import WorkbookError

    return WorkbookError(path, message)


def _file_error(path: str, message: str) -> DeckgenError:
    return DeckgenError(f"{path}: {message}")


WORKBOOK = Kind(
    "workbook",
    "an Excel .xlsx workbook",
    ".xlsx",
    "xl/workbook.xml",
    "Excel",
    ".xls",
    _workbook_error,
    # openpyxl loads the whole shared-string table into memory before reading a cell.
    {"xl/sharedStrings.xml": (4 * 1024 * 1024, "shared-string table")},
)
PRESENTATION = Kind(
    "presentation",
    "a PowerPoint .pptx presentation",
    ".pptx",
    "ppt/presentation.xml",
    "PowerPoint",
    ".ppt",
    _file_error,
)


def check_package(path: Path, kind: Kind, limits: ArchiveLimits = LIMITS) -> None:
    """Raise the kind's error unless `path` is a plausible, safe file of that kind."""
    shown = str(path)
    fail = kind.error
    if not path.exists():
        raise fail(shown, "no such file")
    if path.is_dir():
        raise fail(shown, f"is a folder, not a {kind.noun} file")
    size = path.stat().st_size
    if size == 0:
        raise fail(shown, "the file is empty (0 bytes)")
    if size > limits.max_file_bytes:
        raise fail(
            shown,
            f"the file is {size // 2**20} MB; deckgen reads at most "
            f"{limits.max_file_bytes // 2**20} MB",
        )
    with path.open("rb") as handle:
        head = handle.read(8)
        if head.startswith(_OLE_MAGIC):
            handle.seek(0)
            body = handle.read(min(size, 8 * 2**20))
            if _ENCRYPTION_STREAM in body:
                raise fail(
                    shown,
                    f"the {kind.noun} is password-protected (encrypted); remove the password in "
                    f"{kind.application} (File > Info > Protect) and save it again",
                )
            raise fail(
                shown,
                f"this is a {kind.application} 97-2003 ({kind.legacy}) file; {kind.save_as}",
            )
    if not head.startswith(_ZIP_MAGIC):
        what = "text (perhaps CSV)" if _looks_like_text(head) else "not a zip archive"
        raise fail(shown, f"not {kind.described}: the file is {what}")
    try:
        with zipfile.ZipFile(path) as archive:
            _check_members(shown, archive, kind, limits)
    # A damaged central directory can also point a member past the end of the file (the seek
    # fails with OSError) or give impossible sizes (ValueError).
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        OSError,
        ValueError,
    ) as exc:
        raise fail(
            shown,
            f"the {kind.extension} file is truncated or damaged ({exc}); save it again from "
            f"{kind.application}",
        ) from None


def _check_members(shown: str, archive: zipfile.ZipFile, kind: Kind, limits: ArchiveLimits) -> None:
    fail = kind.error
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise fail(
            shown,
            f"the {kind.extension} holds {len(infos)} parts; at most {limits.max_members} are "
            "read (a zip bomb?)",
        )
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or kind.main_part not in names:
        raise fail(shown, f"a zip file but not {kind.described} ({_what_zip(names)})")
    total = 0
    for info in infos:
        _check_name(shown, info.filename, kind)
        if info.flag_bits & 0x1:
            raise fail(shown, f"the {kind.noun}'s parts are encrypted; remove the password")
        if info.file_size > limits.max_member_uncompressed:
            raise fail(
                shown,
                f"part {info.filename} expands to {info.file_size:,} bytes, too large to read "
                "safely (a zip bomb?)",
            )
        compressed = max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and info.file_size / compressed > limits.max_ratio:
            raise fail(
                shown,
                f"part {info.filename} expands {info.file_size // compressed:,} times "
                "(a zip bomb?); refused",
            )
        if info.filename in kind.part_limits:
            most, what = kind.part_limits[info.filename]
            if info.file_size > most:
                raise fail(
                    shown,
                    f"the {what} expands to {info.file_size // 2**20} MB; deckgen reads at most "
                    f"{most // 2**20} MB of it (is this the right {kind.noun}?)",
                )
        total += info.file_size
        if total > limits.max_total_uncompressed:
            raise fail(
                shown,
                f"the {kind.noun} expands to more than "
                f"{limits.max_total_uncompressed // 2**20} MB (a zip bomb?)",
            )
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            with archive.open(info) as part:
                prefix = part.read(limits.xml_prefix_scan)
            if _DTD.search(_as_utf8(prefix)):
                raise fail(
                    shown,
                    f"part {info.filename} declares a DTD or entities, which an Office file "
                    "never does (an XML entity bomb?); refused",
                )


def _check_name(shown: str, name: str, kind: Kind) -> None:
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", name):
        raise kind.error(shown, f"the zip holds an unsafe part name {name!r}; refused")


def _as_utf8(prefix: bytes) -> bytes:
    if prefix.startswith((b"\xff\xfe", b"\xfe\xff")):
        return prefix.decode("utf-16", errors="ignore").encode("utf-8")
    return prefix


def _what_zip(names: set[str]) -> str:
    if "word/document.xml" in names:
        return "it is a Word document"
    if "ppt/presentation.xml" in names:
        return "it is a PowerPoint file"
    if "xl/workbook.xml" in names:
        return "it is an Excel workbook"
    return "it has none of the parts such a file has"


def _looks_like_text(head: bytes) -> bool:
    return all(32 <= b < 127 or b in (9, 10, 13) for b in head)
