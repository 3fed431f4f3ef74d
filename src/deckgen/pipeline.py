"""The stages in order: read -> compute -> plan -> render -> check -> save.

`validate` is the same pipeline stopped after reading: it builds nothing and writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from deckgen.workbook.reader import ReadResult, read_workbook


def validate(workbook: Path) -> ReadResult:
    """Read and check a workbook; raise WorkbookError when it cannot be read at all."""
    return read_workbook(workbook)
