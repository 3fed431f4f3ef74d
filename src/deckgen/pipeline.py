"""The stages in order: read -> compute -> plan -> render -> check -> save.

Everything is read, computed, planned and rendered before anything is written, so a problem
anywhere leaves the previous deck, manifest and per-slide decks as they were. `validate` is the
same pipeline stopped after reading.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from deckgen import changes as changes_module
from deckgen import manifest as manifest_module
from deckgen import metrics as metrics_module
from deckgen.deckdef import DeckDef, check_references, load_deck
from deckgen.errors import DeckgenError, Issue
from deckgen.metrics import Metrics
from deckgen.model import Workbook
from deckgen.output import Commit, recover
from deckgen.progress import SILENT, Progress
from deckgen.references import Resolver
from deckgen.reproducible import build_time, normalise
from deckgen.specs import ChartSpec, DeckSpec, PageGeometry, TableSpec
from deckgen.workbook.reader import ReadResult, read_workbook


def validate(workbook: Path) -> ReadResult:
    """Read and check a workbook; raise WorkbookError when it cannot be read at all."""
    return read_workbook(workbook)


class InvalidWorkbookError(DeckgenError):
    """The workbook has errors: nothing is built."""


class FindingsError(DeckgenError):
    """The built deck has findings and --strict was given: nothing is written."""

    exit_code = 1


def check_bytes(data: bytes, name: str, progress: Progress = SILENT) -> tuple[str, ...]:
    """Run the quality gate on a deck not yet written to its place."""
    from deckgen.checks import check_deck_bytes

    return tuple(str(f) for f in check_deck_bytes(data, name, progress.advance).findings)


@dataclass(frozen=True)
class Plan:
    """Everything decided before a byte is written."""

    workbook: Path
    model: Workbook
    metrics: Metrics
    definition: DeckDef
    geometry: PageGeometry
    deck: DeckSpec
    warnings: tuple[Issue, ...]
    built: datetime


@dataclass(frozen=True)
class BuildResult:
    output: Path
    deck: DeckSpec
    warnings: tuple[Issue, ...]
    seconds: float
    findings: tuple[str, ...] = field(default_factory=tuple)
    changes: changes_module.Changes | None = None
    changes_path: Path | None = None
    split_folder: Path | None = None

    @property
    def charts(self) -> int:
        return sum(isinstance(s, ChartSpec) for slide in self.deck.slides for s in slide.shapes)

    @property
    def tables(self) -> int:
        return sum(isinstance(s, TableSpec) for slide in self.deck.slides for s in slide.shapes)


def read_valid(workbook: Path, strict: bool) -> ReadResult:
    """Read a workbook and refuse it on errors (or warnings, with strict)."""
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
    return result


def plan(
    workbook: Path,
    template: Path,
    deck_path: Path,
    strict: bool = False,
    slides: Sequence[str] | None = None,
) -> Plan:
    """Read, check and plan a deck (or the named slides of it) without writing anything."""
    result = read_valid(workbook, strict)
    assert result.workbook is not None
    model = result.workbook
    figures = metrics_module.compute(model)
    definition = load_deck(deck_path)
    numbers = {s.id: n for n, s in enumerate(definition.slides, start=1)}
    check_references(definition, Resolver(model, figures, numbers))

    from deckgen.render.template import inspect_template
    from deckgen.slides.plan import plan_deck

    geometry = inspect_template(template)
    outside: dict[str, int] = {}
    chosen = definition
    if slides:
        chosen = select(definition, slides)
        full = plan_deck(definition, model, figures, geometry)
        outside = _first_numbers(full)
    deck = plan_deck(chosen, model, figures, geometry, outside)
    built = build_time(model.about.last_updated)
    return Plan(workbook, model, figures, chosen, geometry, deck, result.warnings, built)


def select(definition: DeckDef, slides: Sequence[str]) -> DeckDef:
    """The named slides only, in deck order; an unknown id lists the valid ones."""
    known = [s.id for s in definition.slides]
    unknown = [s for s in slides if s not in known]
    if unknown:
        raise DeckgenError(
            f"no slide {', '.join(repr(u) for u in unknown)} in {definition.path} "
            f"(slides: {', '.join(known)})"
        )
    wanted = set(slides)
    return replace(definition, slides=tuple(s for s in definition.slides if s.id in wanted))


def _first_numbers(deck: DeckSpec) -> dict[str, int]:
    numbers: dict[str, int] = {}
    for n, slide in enumerate(deck.slides, start=1):
        numbers.setdefault(slide.definition_id, n)
    return numbers


def build(
    workbook: Path,
    output: Path,
    template: Path,
    deck_path: Path,
    chart_engine: str = "native",
    strict: bool = False,
    slides: Sequence[str] | None = None,
    split: bool = False,
    progress: Progress = SILENT,
) -> BuildResult:
    """Build the deck for `workbook` into `output`; raise DeckgenError before writing on errors.

    `progress` hears of each stage and slide (the command line shows a bar on long builds).
    """
    started = time.perf_counter()
    recover(output.parent)  # a build killed earlier: put its outputs back, drop its temporaries
    planned = plan(workbook, template, deck_path, strict, slides)

    from deckgen.render.deck import render

    deck = planned.deck
    progress.stage("Drawing slides ", len(deck.slides))
    drawn = render(deck, template, planned.geometry, chart_engine, progress.advance)
    data = normalise(drawn, planned.built)
    progress.stage("Checking slides", len(deck.slides))
    findings = check_bytes(data, output.name, progress)
    progress.finish()
    # The planner's own notes add what to do, for slides the gate did not already report.
    reported = {f.split(":")[0].split(" '")[0] for f in findings}
    findings += tuple(
        f"slide {n} ({s.key}): {problem}"
        for n, s in enumerate(deck.slides, start=1)
        for problem in s.overflow
        if f"slide {n} ({s.key})" not in reported
    )
    if strict and findings:
        raise FindingsError(
            f"{output}: {len(findings)} findings with --strict; nothing was written\n"
            + "\n".join(findings)
        )
    commit = Commit()
    commit.add(output, data)

    manifest = manifest_module.build_manifest(deck, workbook, planned.built, chart_engine)
    manifest_file = manifest_module.manifest_path(output)
    found_changes, changes_file = _changes(manifest_file, manifest, commit)
    commit.add(manifest_file, manifest_module.dumps(manifest))

    split_folder = None
    if split:
        split_folder = output.with_suffix("")
        width = max(2, len(str(len(deck.slides))))
        pieces = {}
        progress.stage("Splitting      ", len(deck.slides))
        for number, slide in enumerate(deck.slides, start=1):
            alone = replace(deck, slides=(slide,))
            pieces[f"{number:0{width}d}-{slide.key}.pptx"] = normalise(
                render(alone, template, planned.geometry, chart_engine), planned.built
            )
            progress.advance()
        progress.finish()
        commit.add_folder(split_folder, pieces)

    commit.apply()
    return BuildResult(
        output,
        deck,
        planned.warnings,
        time.perf_counter() - started,
        findings,
        found_changes,
        changes_file,
        split_folder,
    )


def _changes(
    manifest_file: Path, manifest: dict[str, object], commit: Commit
) -> tuple[changes_module.Changes | None, Path | None]:
    """Compare with the manifest of the deck being replaced, if there is one."""
    if not manifest_file.exists():
        return None, None
    try:
        previous = manifest_module.load_manifest(manifest_file)
    except DeckgenError:
        return None, None  # a damaged or foreign manifest: nothing to compare with
    found = changes_module.compare(previous, manifest)
    path = manifest_file.with_name(manifest_file.name.replace(".manifest.json", ".changes.md"))
    text = changes_module.report(found, previous, manifest)
    commit.add(path, text.encode("utf-8"))
    return found, path
