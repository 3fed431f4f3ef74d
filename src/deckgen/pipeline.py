"""The stages in order: read -> compute -> plan -> render -> check -> save.

Everything is read, computed, planned and rendered before anything is written, so a problem
anywhere leaves the previous deck, manifest and per-slide decks as they were. The paths are
checked before anything is read (an output that is an input, a `-o` that is no deck's name),
and a build holds its deck's lock from start to end, so two builds of one deck take turns.
`validate` is the same pipeline stopped after reading.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from deckgen import changes as changes_module
from deckgen import manifest as manifest_module
from deckgen import metrics as metrics_module
from deckgen import output as output_module
from deckgen import paths, records
from deckgen.archive import write_zip
from deckgen.checks.findings import Finding, Rule, grouped
from deckgen.deckdef import DeckDef, check_references, load_deck
from deckgen.errors import DeckgenError, Issue
from deckgen.history import folder_of as history_folder
from deckgen.metrics import Metrics
from deckgen.model import Workbook
from deckgen.output import Commit
from deckgen.progress import SILENT, Progress
from deckgen.references import Resolver
from deckgen.reproducible import build_time, normalise, normalise_members
from deckgen.review import review_path
from deckgen.specs import ChartSpec, DeckSpec, PageGeometry, TableSpec
from deckgen.textmetrics import font_note
from deckgen.workbook.reader import ReadResult, read_workbook


def validate(workbook: Path) -> ReadResult:
    """Read and check a workbook; raise WorkbookError when it cannot be read at all."""
    return read_workbook(workbook)


Members = list[tuple[str, bytes]]  # a package's members by name, in zip order


class InvalidWorkbookError(DeckgenError):
    """The workbook has errors: nothing is built."""


class FindingsError(DeckgenError):
    """The built deck has findings and --strict was given: nothing is written."""

    exit_code = 1


OFF_SLIDE_SHOWN = 10  # a broken template puts hundreds of shapes off its slides: name a few


class OffSlideError(DeckgenError):
    """Something would lie beyond the slide's edge, where no one sees it: nothing is written."""


def check_members(members: Members, name: str, progress: Progress = SILENT) -> tuple[Finding, ...]:
    """Run the quality gate on the members of a deck just drawn, before they are zipped and
    written to their place.

    A shape beyond the slide's edge (text the planner could not fit even on a slide of its own)
    is never written, with or without --strict: it is an error naming what to shorten.
    """
    from deckgen.checks import check_deck_members

    report = check_deck_members(members, name, progress.advance)
    beyond = [str(f) for f in report.by_rule(Rule.OFF_SLIDE)]
    if beyond:
        more = len(beyond) - OFF_SLIDE_SHOWN
        raise OffSlideError(
            f"{name}: {len(beyond)} shapes would lie beyond the slide's edge; nothing was "
            "written. Shorten the text they hold, or fit the template's layouts to its slides\n"
            + "\n".join(beyond[:OFF_SLIDE_SHOWN])
            + (f"\n... and {more} more" if more > 0 else "")
        )
    return report.findings


@dataclass(frozen=True)
class BuildOptions:
    """What one build is asked to do: the command line and a batch pass one of these."""

    workbook: Path
    output: Path | None = None  # None: output/<workbook name>.pptx, making output/ if need be
    template: Path = paths.DEFAULT_TEMPLATE
    definition: Path = paths.DEFAULT_DECK
    chart_engine: str = "native"  # or "image"
    strict: bool = False
    slides: tuple[str, ...] | None = None  # only these slide ids
    split: bool = False  # also one deck per slide, in a folder named after the deck
    review_pictures: bool = False  # draw each slide with LibreOffice for the review page
    wait: float = output_module.LOCK_WAIT  # seconds to wait for another build of the deck

    @property
    def deck(self) -> Path:
        return self.output if self.output is not None else paths.default_output(self.workbook)

    @property
    def inputs(self) -> dict[str, Path]:
        return {
            "workbook": self.workbook,
            "template": self.template,
            "deck definition": self.definition,
        }


@dataclass(frozen=True)
class Outputs:
    """Where a build writes: the deck and the files named after it."""

    deck: Path
    manifest: Path
    changes: Path
    split: Path | None  # the folder of per-slide decks, with --split
    review: Path
    history: Path | None  # the manifests of earlier builds (None: a build of chosen slides)

    @classmethod
    def of(cls, options: BuildOptions) -> Outputs:
        deck = options.deck
        return cls(
            deck,
            manifest_module.manifest_path(deck),
            deck.with_name(f"{deck.stem}.changes.md"),
            deck.with_suffix("") if options.split else None,
            review_path(deck),
            None if options.slides else history_folder(deck),
        )

    @property
    def files(self) -> dict[str, Path]:
        return {
            "the deck": self.deck,
            "the deck's manifest": self.manifest,
            "the change report": self.changes,
            "the review page": self.review,
        }

    @property
    def folders(self) -> dict[str, Path]:
        found = {"the per-slide decks": self.split, "the history of builds": self.history}
        return {what: folder for what, folder in found.items() if folder is not None}


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
    elsewhere: dict[str, str] = field(default_factory=dict)  # titles of slides left out


@dataclass(frozen=True)
class BuildResult:
    output: Path
    deck: DeckSpec
    warnings: tuple[Issue, ...]
    seconds: float
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    changes: changes_module.Changes | None = None
    changes_path: Path | None = None
    split_folder: Path | None = None
    font_note: str | None = None  # a template font not shipped with deckgen (textmetrics)
    notes: tuple[str, ...] = ()  # warnings about earlier outputs (a damaged manifest)
    records: records.Records | None = None  # the history, change report and review page

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
    from deckgen.slides.plan import plan_deck, titles

    geometry = inspect_template(template)
    elsewhere: dict[str, str] = {}
    chosen = definition
    if slides:
        chosen = select(definition, slides)
        elsewhere = titles(plan_deck(definition, model, figures, geometry))
    deck = plan_deck(chosen, model, figures, geometry, elsewhere)
    built = build_time(model.about.last_updated)
    return Plan(workbook, model, figures, chosen, geometry, deck, result.warnings, built, elsewhere)


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


def check_paths(options: BuildOptions) -> Outputs:
    """Refuse, before any work, outputs that are inputs and a `-o` that names no deck."""
    where = Outputs.of(options)
    paths.refuse_inputs_as_outputs(where.files, where.folders, options.inputs.items())
    paths.check_deck_path(where.deck, create_folder=options.output is None)
    for what, path in where.files.items():
        paths.check_writable_file(path, what)
    return where


def build(
    options: BuildOptions,
    progress: Progress = SILENT,
    on_wait: Callable[[], None] | None = None,
) -> BuildResult:
    """Build the deck `options` ask for; raise DeckgenError before writing on errors.

    `progress` hears of each stage and slide (the command line shows a bar on long builds);
    `on_wait` is told when the build waits for another build of the same deck.
    """
    started = time.perf_counter()
    where = check_paths(options)
    parent = where.deck.parent
    made = False
    if not parent.exists():
        try:
            parent.mkdir()  # the default output/ folder
            made = True
        except FileExistsError:
            pass  # another build (`-j N`) made it a moment ago
        except OSError as exc:
            raise DeckgenError(f"{where.deck}: cannot write ({exc.strerror or exc})") from None
    try:
        with output_module.locked(where.deck, options.wait, on_wait):
            for split_folder in where.folders.values():
                output_module.owned_files(split_folder)  # a folder deckgen did not make: refuse
            files = {w: p for w, p in where.files.items() if p != where.manifest}
            records.refuse_foreign(where.deck, files)  # a file deckgen did not write: refuse
            return _build(options, where, progress, started)
    finally:
        if made:
            with suppress(OSError):
                parent.rmdir()  # the build failed before writing anything: leave no folder


def _build(
    options: BuildOptions, where: Outputs, progress: Progress, started: float
) -> BuildResult:
    output, template = where.deck, options.template
    planned = plan(options.workbook, template, options.definition, options.strict, options.slides)

    from deckgen.render.deck import render, render_members

    deck = planned.deck
    progress.stage("Drawing slides ", len(deck.slides))
    drawn = render_members(deck, template, planned.geometry, options.chart_engine, progress.advance)
    members = normalise_members(drawn, planned.built)
    data = write_zip(members)
    progress.stage("Checking slides", len(deck.slides))
    findings = check_members(members, output.name, progress)
    del drawn, members
    progress.finish()
    # The planner's own notes add what to do, for slides the gate did not already report.
    reported = {f.slide for f in findings}
    findings += tuple(
        Finding(Rule.OVERFLOW, problem, slide=n, slide_name=s.key)
        for n, s in enumerate(deck.slides, start=1)
        for problem in s.overflow
        if n not in reported
    )
    if options.strict and findings:
        raise FindingsError(
            f"{output}: {len(findings)} findings with --strict; nothing was written\n"
            + "\n".join(grouped(findings))
        )
    pictures: list[bytes] = []
    note = ""
    if options.review_pictures:
        progress.stage("Drawing review ", 1)
        pictures, note = records.slide_pictures(data, output.name)
        progress.advance()
        progress.finish()
    commit = Commit(output)
    commit.add(output, data)
    kept = records.add(
        commit,
        output,
        deck,
        planned.model,
        options.workbook,
        planned.built,
        options.slides,
        pictures,
        note,
        options.chart_engine,
        data,
    )

    if where.split is not None:
        width = max(2, len(str(len(deck.slides))))
        pieces = {}
        progress.stage("Splitting      ", len(deck.slides))
        from deckgen.slides.plan import standalone

        own = standalone(
            planned.definition,
            planned.model,
            planned.metrics,
            planned.geometry,
            deck,
            planned.elsewhere,
        )
        for number, slide in enumerate(deck.slides, start=1):
            alone = replace(deck, slides=own.get(slide.key, (slide,)))
            pieces[f"{number:0{width}d}-{slide.key}.pptx"] = normalise(
                render(alone, template, planned.geometry, options.chart_engine), planned.built
            )
            progress.advance()
        progress.finish()
        commit.add_folder(where.split, pieces, f"one deck per slide of {output.name}")

    commit.apply()
    return BuildResult(
        output,
        deck,
        planned.warnings,
        time.perf_counter() - started,
        findings,
        kept.changes,
        kept.changes_path,
        where.split,
        font_note((planned.geometry.heading_font, planned.geometry.body_font)),
        kept.notes,
        kept,
    )
