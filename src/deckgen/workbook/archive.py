"""Checks on the workbook file itself, before any XML is parsed (see deckgen.archive)."""

from __future__ import annotations

from pathlib import Path

from deckgen.archive import LIMITS, WORKBOOK, Limits, check_package


def check_archive(path: Path, limits: Limits = LIMITS) -> bool:
    """Raise WorkbookError unless `path` is a plausible, safe .xlsx file; return whether any
    worksheet holds a formula (a hint, found while the guard reads the sheets anyway)."""
    return "formula" in check_package(path, WORKBOOK, limits)
