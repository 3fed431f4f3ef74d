"""The stages in order: read -> compute -> plan -> render -> check -> save.

Everything is read, computed and planned before anything is written, so a problem anywhere
leaves the previous output as it was. `validate` is the same pipeline stopped after reading.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from deckgen import metrics as metrics_module
from deckgen.deckdef import check_references, load_deck
from deckgen.errors import DeckgenError, Issue
from deckgen.output import write_atomic
from deckgen.references import Resolver
from deckgen.specs import ChartSpec, DeckSpec, TableSpec
from deckgen.workbook.reader import ReadResult, read_workbook


def validate(workbook: Path) -> ReadResult:
    """Read and check a workbook; raise WorkbookError when it cannot be read at all."""
    return read_workbook(workbook)


class InvalidWorkbookError(DeckgenError):
    """The workbook has errors: nothing is built."""


@dataclass(frozen=True)
class BuildResult:
    output: Path
    deck: DeckSpec
    warnings: tuple[Issue, ...]
    seconds: float
    findings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def charts(self) -> int:
        return sum(isinstance(s, ChartSpec) for slide in self.deck.slides for s in slide.shapes)

    @property
    def tables(self) -> int:
        return sum(isinstance(s, TableSpec) for slide in self.deck.slides for s in slide.shapes)


def build(
    workbook: Path,
    output: Path,
    template: Path,
    deck_path: Path,
    chart_engine: str = "native",
    strict: bool = False,
) -> BuildResult:
    """Build the deck for `workbook` into `output`; raise DeckgenError before writing on errors."""
    started = time.perf_counter()
    result = read_workbook(workbook)
    if result.errors or result.workbook is None:
        lines = [str(i) for i in result.issues]
        raise InvalidWorkbookError(
            f"{workbook}: not valid ({len(result.errors)} errors); nothing was built\n"
            + "\n".join(lines)
        )
    if strict and result.warnings:
        lines = [str(i) for i in result.warnings]
        raise InvalidWorkbookError(
            f"{workbook}: {len(result.warnings)} warnings with --strict; nothing was built\n"
            + "\n".join(lines)
        )
    model = result.workbook
    figures = metrics_module.compute(model)
    deck_def = load_deck(deck_path)
    numbers = {s.id: n for n, s in enumerate(deck_def.slides, start=1)}
    check_references(deck_def, Resolver(model, figures, numbers))

    from deckgen.render.deck import render
    from deckgen.render.template import inspect_template
    from deckgen.slides.plan import plan_deck

    geometry = inspect_template(template)
    deck = plan_deck(deck_def, model, figures, geometry)
    data = render(deck, template, geometry, chart_engine)
    write_atomic(output, data)
    findings = tuple(
        f"slide {n} ({s.key}): {problem}"
        for n, s in enumerate(deck.slides, start=1)
        for problem in s.overflow
    )
    return BuildResult(output, deck, result.warnings, time.perf_counter() - started, findings)
