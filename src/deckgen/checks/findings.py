"""What the quality gate reports: one finding per problem, one line each, in reading order.

A finding says where the problem is the way a person finds it in PowerPoint: the slide number
as shown in the slide sorter, the slide's name, then the shape's name from the selection pane.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from deckgen.specs import EMU_PER_INCH

PACKAGE_ORDER = -1  # findings about the whole slide (no shape) come before its shapes'


def inches(emu: float) -> str:
    """A length in EMU as findings show it: inches, one decimal."""
    return f"{emu / EMU_PER_INCH:.1f} in"


class Rule(StrEnum):
    """The rule a finding breaks; stable ids for tests and JSON."""

    PACKAGE = "package"  # a part does not parse, a relationship points nowhere
    TITLE = "title"  # missing, empty, duplicated or not first in reading order
    ALT_TEXT = "alt-text"  # a chart, picture or diagram a screen reader cannot describe
    TABLE_HEADER = "table-header"  # a table without a header row
    OFF_SLIDE = "off-slide"  # a shape partly or wholly outside the slide
    EMPTY_PLACEHOLDER = "empty-placeholder"  # "Click to add text" left on the slide
    OVERFLOW = "overflow"  # text that does not fit its box or table row
    CONTRAST = "contrast"  # text too close in colour to what is behind it
    NOTES = "notes"  # a slide with figures but no speaker notes


@dataclass(frozen=True)
class Finding:
    """One problem, located by slide (0 for the file as a whole) and shape."""

    rule: Rule
    message: str
    slide: int = 0
    slide_name: str = ""
    shape: str = ""
    order: int = PACKAGE_ORDER  # the shape's place in the slide's reading order
    part: str = ""  # where in the shape: "row 3" of a table

    @property
    def location(self) -> str:
        if not self.slide:
            return ""
        where = f"slide {self.slide}"
        if self.slide_name:
            where += f" ({self.slide_name})"
        if self.shape:
            where += f" '{self.shape}'"
        if self.part:
            where += f" {self.part}"
        return where

    def __str__(self) -> str:
        where = self.location
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, str | int]:
        return {
            "rule": self.rule.value,
            "slide": self.slide,
            "slide_name": self.slide_name,
            "shape": self.shape,
            "part": self.part,
            "message": self.message,
            "line": str(self),
        }


@dataclass(frozen=True)
class CheckReport:
    """The findings on one deck, sorted by slide and then by reading order."""

    path: Path
    slides: int
    findings: tuple[Finding, ...]

    @property
    def clean(self) -> bool:
        return not self.findings

    def lines(self) -> list[str]:
        return [str(finding) for finding in self.findings]

    def by_rule(self, rule: Rule) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.rule is rule)

    def to_dict(self) -> dict[str, object]:
        return {
            "deck": str(self.path),
            "slides": self.slides,
            "clean": self.clean,
            "findings": [finding.to_dict() for finding in self.findings],
        }


def sort_findings(findings: list[Finding]) -> tuple[Finding, ...]:
    """Order by slide, then reading order; a stable sort keeps each shape's rules in check order."""
    return tuple(sorted(findings, key=lambda f: (f.slide, f.order)))
