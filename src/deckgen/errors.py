"""Errors users are expected to see, and the issues the validator reports.

Expected problems (a bad file, a bad cell, a missing layout) are `DeckgenError`s: click prints
them as one line and exits with their code, no traceback. Anything else is a bug and shows one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import click

EXIT_OK = 0
EXIT_WARNINGS = 1
EXIT_ERRORS = 2


class DeckgenError(click.ClickException):
    """An expected failure: printed as one line, exit code 2."""

    exit_code = EXIT_ERRORS

    def show(self, file: object = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class WorkbookError(DeckgenError):
    """The workbook cannot be read at all (missing, not an .xlsx, hostile)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


class Severity(StrEnum):
    ERROR = "ERROR"
    WARNING = "WARNING"


@dataclass(frozen=True)
class Issue:
    """One problem found in a workbook, located as precisely as the reader can."""

    severity: Severity
    sheet: str
    cell: str  # "D7", "A3" or "" when the whole sheet is meant
    message: str

    @property
    def location(self) -> str:
        if not self.sheet:
            return ""
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def __str__(self) -> str:
        where = self.location
        return (
            f"{self.severity} {where}: {self.message}"
            if where
            else f"{self.severity} {self.message}"
        )

    def to_dict(self) -> dict[str, str]:
        return {
            "severity": self.severity.value,
            "sheet": self.sheet,
            "cell": self.cell,
            "message": self.message,
        }
