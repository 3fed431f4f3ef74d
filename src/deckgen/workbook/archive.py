"""Checks on the workbook file itself, before any XML is parsed (see deckgen.archive)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from deckgen.archive import LIMITS, WORKBOOK, ArchiveLimits, check_package

_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def check_archive(path: Path, limits: ArchiveLimits = LIMITS) -> None:
    """Raise WorkbookError unless `path` is a plausible, safe .xlsx file."""
    check_package(path, WORKBOOK, limits)


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
