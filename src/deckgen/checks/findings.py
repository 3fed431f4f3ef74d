"""What the quality gate reports: one finding per problem, one line each, in reading order.

A finding says where the problem is the way a person finds it in PowerPoint: the slide number
as shown in the slide sorter, the slide's name, then the shape's name from the selection pane.
A finding the template itself causes (a footer colour, a placeholder too small) carries that
cause: it is the same on every slide of the layouts it shows on, and is fixed once, in the
template. The findings stay one per slide; `grouped` is the view that reports each such cause
once, with what to change in the template.
"""

from __future__ import annotations

from collections.abc import Iterable
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
class Cause:
    """What in the template makes a finding, and what to change there."""

    what: str  # "footer text colour #999999 on white is 2.8:1, needs 4.5:1"
    fix: str  # "change the footer placeholders' text colour in the slide master ..."


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
    cause: Cause | None = None  # set when the template itself causes it
    layout: str = ""  # the slide's layout, named where the cause is the template

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

    def to_dict(self) -> dict[str, object]:
        found: dict[str, object] = {
            "rule": self.rule.value,
            "slide": self.slide,
            "slide_name": self.slide_name,
            "shape": self.shape,
            "part": self.part,
            "message": self.message,
            "line": str(self),
        }
        if self.cause is not None:
            found["template"] = {"cause": self.cause.what, "fix": self.cause.fix}
            found["layout"] = self.layout
        return found


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
        """One line per finding, but one per cause for those the template causes."""
        return grouped(self.findings)

    def by_rule(self, rule: Rule) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.rule is rule)

    def to_dict(self) -> dict[str, object]:
        return {
            "deck": str(self.path),
            "slides": self.slides,
            "clean": self.clean,
            "findings": [finding.to_dict() for finding in self.findings],
            "template": [group.to_dict() for group in template_causes(self.findings)],
        }


@dataclass(frozen=True)
class TemplateCause:
    """A cause in the template, with the layouts and slides it shows on."""

    cause: Cause
    layouts: tuple[str, ...]
    slides: tuple[int, ...]

    def __str__(self) -> str:
        named = ", ".join(f"'{name}'" for name in self.layouts if name)
        where = f"in {'layout' if len(self.layouts) == 1 else 'layouts'} {named} " if named else ""
        count = len(self.slides)
        return (
            f"template: {self.cause.what} — {where}({count} slide{'' if count == 1 else 's'}); "
            f"{self.cause.fix}"
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "cause": self.cause.what,
            "fix": self.cause.fix,
            "layouts": list(self.layouts),
            "slides": list(self.slides),
            "line": str(self),
        }


def template_causes(findings: Iterable[Finding]) -> list[TemplateCause]:
    """The template's causes among `findings`, each once, in the order first met."""
    layouts: dict[Cause, dict[str, None]] = {}
    slides: dict[Cause, dict[int, None]] = {}
    for finding in findings:
        if finding.cause is None:
            continue
        layouts.setdefault(finding.cause, {})[finding.layout] = None
        slides.setdefault(finding.cause, {})[finding.slide] = None
    return [TemplateCause(cause, tuple(layouts[cause]), tuple(slides[cause])) for cause in layouts]


def grouped(findings: Iterable[Finding]) -> list[str]:
    """The lines a person reads: each cause in the template once, then every other finding."""
    found = list(findings)
    return [str(group) for group in template_causes(found)] + [
        str(finding) for finding in found if finding.cause is None
    ]


def sort_findings(findings: list[Finding]) -> tuple[Finding, ...]:
    """Order by slide, then reading order; a stable sort keeps each shape's rules in check order."""
    return tuple(sorted(findings, key=lambda f: (f.slide, f.order)))
