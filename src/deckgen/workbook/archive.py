"""Checks on the workbook file itself, made before any XML is parsed.

An .xlsx is a zip of XML parts. A hostile or broken one is refused here, with a message saying
what the file is instead: missing, empty, an old .xls, password-protected, truncated, a zip bomb,
an XML entity bomb or a zip with unsafe member names.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath

from deckgen.errors import WorkbookError
from deckgen.workbook.schema import LIMITS, ArchiveLimits

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
_SAVE_AS = "open it in Excel and save it as an Excel Workbook (.xlsx)"


def check_archive(path: Path, limits: ArchiveLimits = LIMITS) -> None:
    """Raise WorkbookError unless `path` is a plausible, safe .xlsx file."""
    shown = str(path)
    if not path.exists():
        raise WorkbookError(shown, "no such file")
    if path.is_dir():
        raise WorkbookError(shown, "is a folder, not a workbook file")
    size = path.stat().st_size
    if size == 0:
        raise WorkbookError(shown, "the file is empty (0 bytes)")
    if size > limits.max_file_bytes:
        raise WorkbookError(
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
                raise WorkbookError(
                    shown,
                    "the workbook is password-protected (encrypted); remove the password in "
                    "Excel (File > Info > Protect Workbook) and save it again",
                )
            raise WorkbookError(shown, f"this is an Excel 97-2003 (.xls) file; {_SAVE_AS}")
    if not head.startswith(_ZIP_MAGIC):
        kind = "text (perhaps CSV)" if _looks_like_text(head) else "not a zip archive"
        raise WorkbookError(shown, f"not an Excel .xlsx workbook: the file is {kind}")
    try:
        with zipfile.ZipFile(path) as archive:
            _check_members(shown, archive, limits)
    except zipfile.BadZipFile as exc:
        raise WorkbookError(
            shown, f"the .xlsx file is truncated or damaged ({exc}); save it again from Excel"
        ) from None


def has_formulas(path: Path) -> bool:
    """Return whether any worksheet part contains a formula element (a hint, checked later)."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not info.filename.startswith("xl/worksheets/"):
                continue
            with archive.open(info) as part:
                tail = b""
                while chunk := part.read(1 << 20):
                    if _FORMULA.search(tail + chunk):
                        return True
                    tail = chunk[-8:]
    return False


def _check_members(shown: str, archive: zipfile.ZipFile, limits: ArchiveLimits) -> None:
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise WorkbookError(
            shown,
            f"the .xlsx holds {len(infos)} parts; at most "
            f"{limits.max_members} are read (a zip bomb?)",
        )
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise WorkbookError(shown, f"a zip file but not an Excel workbook ({_what_zip(names)})")
    total = 0
    for info in infos:
        _check_name(shown, info.filename)
        if info.flag_bits & 0x1:
            raise WorkbookError(shown, "the workbook's parts are encrypted; remove the password")
        if info.file_size > limits.max_member_uncompressed:
            raise WorkbookError(
                shown,
                f"part {info.filename} expands to {info.file_size:,} "
                "bytes, too large to read safely (a zip bomb?)",
            )
        compressed = max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and info.file_size / compressed > limits.max_ratio:
            raise WorkbookError(
                shown,
                f"part {info.filename} expands {info.file_size // compressed:,} times "
                "(a zip bomb?); refused",
            )
        if info.filename == "xl/sharedStrings.xml" and info.file_size > limits.max_shared_strings:
            raise WorkbookError(
                shown,
                f"the shared-string table expands to {info.file_size // 2**20} MB; deckgen reads "
                f"at most {limits.max_shared_strings // 2**20} MB of text (is this the right "
                "workbook?)",
            )
        total += info.file_size
        if total > limits.max_total_uncompressed:
            raise WorkbookError(
                shown,
                "the workbook expands to more than "
                f"{limits.max_total_uncompressed // 2**20} MB (a zip bomb?)",
            )
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            with archive.open(info) as part:
                prefix = part.read(limits.xml_prefix_scan)
            if _DTD.search(_as_utf8(prefix)):
                raise WorkbookError(
                    shown,
                    f"part {info.filename} declares a DTD or entities, which an Excel workbook "
                    "never does (an XML entity bomb?); refused",
                )


def _check_name(shown: str, name: str) -> None:
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", name):
        raise WorkbookError(shown, f"the zip holds an unsafe part name {name!r}; refused")


def _as_utf8(prefix: bytes) -> bytes:
    if prefix.startswith((b"\xff\xfe", b"\xfe\xff")):
        return prefix.decode("utf-16", errors="ignore").encode("utf-8")
    return prefix


def _what_zip(names: set[str]) -> str:
    if "word/document.xml" in names:
        return "it is a Word document"
    if "ppt/presentation.xml" in names:
        return "it is a PowerPoint file"
    return "no xl/workbook.xml inside"


def _looks_like_text(head: bytes) -> bool:
    return all(32 <= b < 127 or b in (9, 10, 13) for b in head)
