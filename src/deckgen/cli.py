"""The command line. Parses options, calls the pipeline, prints. No logic of its own.

Heavy modules (openpyxl, python-pptx, matplotlib) are imported inside the commands that use
them, so `deckgen --help` starts fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click

from deckgen import __version__
from deckgen.errors import EXIT_ERRORS, EXIT_OK, EXIT_WARNINGS, DeckgenError
from deckgen.paths import (
    DEFAULT_DECK,
    DEFAULT_TEMPLATE,
    DEFAULT_WORKBOOK,
    OUTPUT,
    refuse_overwrite,
)

if TYPE_CHECKING:
    from deckgen.pipeline import BuildOptions

_workbook_arg = click.argument(
    "workbook", type=click.Path(path_type=Path), default=DEFAULT_WORKBOOK, required=False
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="deckgen")
def cli() -> None:
    """Turn a workbook of programme benefits into a PowerPoint deck."""


@cli.command()
@_workbook_arg
@click.option("--strict", is_flag=True, help="Treat warnings as failures (exit 1).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON for machines.")
def validate(workbook: Path, strict: bool, as_json: bool) -> None:
    """Check WORKBOOK against the contract and report every issue found.

    Exit 0 when valid, 1 when there are warnings and --strict is given, 2 on errors.
    """
    from deckgen.pipeline import validate as run_validate

    try:
        result = run_validate(workbook)
    except DeckgenError as exc:
        if not as_json:
            raise
        click.echo(
            json.dumps(
                {
                    "workbook": str(workbook),
                    "valid": False,
                    "errors": 1,
                    "warnings": 0,
                    "counts": {},
                    "issues": [
                        {
                            "severity": "ERROR",
                            "sheet": "",
                            "cell": "",
                            "message": exc.format_message(),
                        }
                    ],
                },
                indent=2,
            )
        )
        sys.exit(EXIT_ERRORS)
    errors, warnings = len(result.errors), len(result.warnings)
    if as_json:
        payload = {
            "workbook": str(workbook),
            "valid": errors == 0,
            "errors": errors,
            "warnings": warnings,
            "counts": dict(result.counts),
            "issues": [issue.to_dict() for issue in result.issues],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        for issue in result.issues:
            click.echo(str(issue))
        click.echo(f"{workbook}: {_describe(result.counts)}: {_verdict(errors, warnings)}")
    if errors:
        sys.exit(EXIT_ERRORS)
    if warnings and strict:
        sys.exit(EXIT_WARNINGS)
    sys.exit(EXIT_OK)


@cli.command()
@click.argument("workbooks", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write the deck [default: output/<workbook name>.pptx].",
)
@click.option(
    "--template",
    type=click.Path(path_type=Path),
    default=DEFAULT_TEMPLATE,
    show_default=True,
    help="The PowerPoint template whose theme and layouts the deck uses.",
)
@click.option(
    "--deck",
    "deck_path",
    type=click.Path(path_type=Path),
    default=DEFAULT_DECK,
    show_default=True,
    help="The deck definition: slides, words and figure references.",
)
@click.option(
    "--chart-engine",
    type=click.Choice(["native", "image"]),
    default="native",
    show_default=True,
    help="native: editable PowerPoint charts; image: pictures drawn with matplotlib.",
)
@click.option("--strict", is_flag=True, help="Fail on workbook warnings and layout findings.")
@click.option(
    "--slides",
    default=None,
    metavar="IDS",
    help="Build only these slides: ids separated by commas (deckgen list shows them).",
)
@click.option(
    "--split",
    is_flag=True,
    help="Also write every slide as a deck of its own, in a folder named after the deck.",
)
@click.option(
    "--review-pictures/--no-review-pictures",
    default=True,
    envvar="DECKGEN_REVIEW_PICTURES",
    show_default=True,
    help="Draw every slide with LibreOffice for the review page (seconds); without, or "
    "without LibreOffice, the page shows each slide's text.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="How many workbooks to build at once.",
)
def build(
    workbooks: tuple[Path, ...],
    output: Path | None,
    template: Path,
    deck_path: Path,
    chart_engine: str,
    strict: bool,
    slides: str | None,
    split: bool,
    review_pictures: bool,
    jobs: int,
) -> None:
    """Build the deck for each WORKBOOK (default inputs/wmp2020.xlsx).

    The workbook is validated first: on an error nothing is written and the previous deck,
    manifest and per-slide decks are left as they were. Each deck is written atomically to
    output/<workbook name>.pptx with its manifest; a rebuild also reports what changed.
    """
    from deckgen import batch
    from deckgen.paths import (
        default_output,
        is_office_lock_file,
        refuse_inputs_as_outputs,
        same_file,
    )
    from deckgen.pipeline import BuildOptions, Outputs

    named = workbooks or (DEFAULT_WORKBOOK,)
    books = tuple(book for book in named if not is_office_lock_file(book))
    if not books:
        raise DeckgenError(f"{named[0]}: {_LOCK_FILE}; build the workbook itself")
    for skipped in (book for book in named if is_office_lock_file(book)):
        click.echo(f"note: {skipped}: {_LOCK_FILE}; passed over", err=True)
    chosen = tuple(s.strip() for s in slides.split(",") if s.strip()) if slides else None
    if len(books) > 1 and output is not None:
        raise DeckgenError(
            "-o names one deck; with several workbooks each deck is output/<workbook name>.pptx"
        )
    targets = [output or default_output(book) for book in books]
    clashes = sorted(
        {str(t) for i, t in enumerate(targets) for u in targets[:i] if same_file(t, u)}
    )
    if clashes:
        raise DeckgenError(f"several workbooks would write {', '.join(clashes)}; rename one")
    job_list = [
        BuildOptions(
            book,
            output,
            template,
            deck_path,
            chart_engine,
            strict,
            chosen,
            split,
            review_pictures=review_pictures,
        )
        for book in books
    ]
    if len(job_list) == 1:
        _build_one(job_list[0])
        return
    for job in job_list:  # one workbook's deck must not be written over another's workbook
        where = Outputs.of(job)
        refuse_inputs_as_outputs(where.files, where.folders, [("workbook", b) for b in books])
    failed = 0
    for outcome in batch.run(job_list, jobs):
        click.echo(outcome.line, err=not outcome.ok)
        if outcome.details:
            click.echo(outcome.details.rstrip(), err=True)
        failed += not outcome.ok
    if failed:
        click.echo(f"{failed} of {len(books)} workbooks failed", err=True)
        sys.exit(EXIT_ERRORS)


_LOCK_FILE = "an Office lock file (kept beside a workbook while it is open), not a workbook"


def _build_one(options: BuildOptions) -> None:
    from deckgen.checks.findings import grouped
    from deckgen.pipeline import build as run_build
    from deckgen.progress import TerminalBar

    def waiting() -> None:
        click.echo(f"waiting for another deckgen build of {options.deck} to finish...", err=True)

    bar = TerminalBar()
    try:
        result = run_build(options, bar, waiting)
    finally:
        bar.finish()  # the bar's line ends before any message
    for issue in result.warnings:
        click.echo(str(issue), err=True)
    findings = grouped(result.findings)  # a cause in the template once, not once a slide
    for line in findings:
        click.echo(f"WARNING {line}", err=True)
    for note in result.notes:
        click.echo(f"WARNING {note}", err=True)
    kept = result.records
    if kept is not None and kept.note:
        click.echo(f"note: {kept.note}", err=True)
    count = len(result.deck.slides)
    warnings = len(result.warnings) + len(findings) + len(result.notes)
    review = ""
    if kept is not None:
        shows = "pictures" if kept.pictures else "text"
        review = f"; review page ({shows}): {kept.review_path}"
    click.echo(
        f"{result.output}: {count} slides, {result.charts} charts, {result.tables} tables, "
        f"{warnings} warning{'' if warnings == 1 else 's'}, built in {result.seconds:.1f} s"
        + review
    )
    if result.font_note is not None:
        click.echo(result.font_note)
    if result.changes is not None:
        click.echo(f"{result.changes.summary()} (see {result.changes_path})")
    if result.split_folder is not None:
        click.echo(f"{result.split_folder}: {count} single-slide decks")


@cli.command()
@click.argument("deck", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON for machines.")
def check(deck: Path, as_json: bool) -> None:
    """Check DECK (any .pptx) for text that overflows, missing titles and alt text,
    shapes off the slide, empty placeholders, low contrast and missing notes.

    Exit 0 when clean, 1 when there are findings, 2 when the file cannot be read.
    """
    from deckgen.checks import check_deck

    report = check_deck(deck)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        shown = report.lines()  # a cause in the template once, with what to change there
        for line in shown:
            click.echo(line)
        count = len(report.findings)
        verdict = "no findings" if not count else f"{count} finding{'' if count == 1 else 's'}"
        if len(shown) < count:
            verdict += f" in {len(shown)} line{'' if len(shown) == 1 else 's'}"
        click.echo(f"{deck}: {report.slides} slides, {verdict}")
    sys.exit(EXIT_OK if report.clean else EXIT_WARNINGS)


@cli.command()
@click.argument("talk", type=click.Path(path_type=Path))
@click.option(
    "--from",
    "source",
    type=click.Path(path_type=Path),
    required=True,
    help="The deck to bring the talk up to date with (output/<name>.pptx).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write the refreshed talk here (default: in place, the previous talk kept as .bak).",
)
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
def refresh(talk: Path, source: Path, output: Path | None, dry_run: bool) -> None:
    """Bring the slides and shapes TALK reused from a deckgen deck up to date with DECK.

    Figures, charts, tables and notes are updated where they are, keeping the talk's own
    words, formatting and layout; what the user changed by hand is left and listed.
    Exit 0 when everything was refreshed, 1 when something was left as a conflict, 2 on errors.
    """
    from deckgen.refresh.command import run

    summary = run(talk, source, output, dry_run)
    for line in summary.lines(dry_run):
        click.echo(line)
    sys.exit(EXIT_WARNINGS if summary.conflicts else EXIT_OK)


@cli.command(name="list")
@_workbook_arg
@click.option("--template", type=click.Path(path_type=Path), default=DEFAULT_TEMPLATE)
@click.option("--deck", "deck_path", type=click.Path(path_type=Path), default=DEFAULT_DECK)
def list_slides(workbook: Path, template: Path, deck_path: Path) -> None:
    """List the deck's slides: number, id, kind and title (for --slides)."""
    from deckgen.pipeline import plan

    planned = plan(workbook, template, deck_path)
    seen: dict[str, int] = {}
    for number, slide in enumerate(planned.deck.slides, start=1):
        if slide.definition_id in seen:
            continue
        seen[slide.definition_id] = number
        parts = sum(1 for s in planned.deck.slides if s.definition_id == slide.definition_id)
        more = f" (+{parts - 1} continued)" if parts > 1 else ""
        click.echo(f"{number:>3}  {slide.definition_id:<24} {slide.kind:<11} {slide.title}{more}")


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
def init(folder: Path) -> None:
    """Start a new deck project in FOLDER from the sample: workbook, template, definition."""
    from deckgen.init import init_project

    for path in init_project(folder):
        click.echo(f"wrote {path}")
    click.echo(f"next: cd {folder} && deckgen build")


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("query")
@click.option(
    "--manifest",
    "manifest_file",
    type=click.Path(path_type=Path),
    default=OUTPUT / "wmp2020.manifest.json",
    show_default=True,
    help="The manifest written beside the deck.",
)
def explain(query: str, manifest_file: Path) -> None:
    """Say where a figure on the deck comes from ("£1.15", "-2.5", a chart's "108"), what a
    chart category or table row holds ("FY19/20"), or what a slide shows ("roi")."""
    from deckgen.manifest import explain as run_explain
    from deckgen.manifest import load_manifest

    for line in run_explain(load_manifest(manifest_file), query):
        click.echo(line)


@cli.command()
@click.argument(
    "deck", type=click.Path(path_type=Path), default=OUTPUT / "wmp2020.pptx", required=False
)
@click.option(
    "--since",
    default=None,
    metavar="DATE|MANIFEST",
    help="Compare with the build of this data date (2019-07-31), a history entry "
    "(2019-07-31-2) or a manifest file [default: the latest earlier build of other data].",
)
def changes(deck: Path, since: str | None) -> None:
    """Print what changed between the last build of DECK and an earlier one, in words:
    every figure by the label it is read with, every chart value by series and category,
    every table cell by row and column, rows and slides added or removed."""
    from deckgen import history
    from deckgen.changes import compare, report
    from deckgen.manifest import load_manifest, manifest_path

    current = load_manifest(manifest_path(deck))
    kept = history.entries(deck)
    if since is not None:
        previous, against = history.chosen(kept, current, since)
    else:
        earlier = history.baseline(kept, current)
        if earlier is None:
            click.echo(
                f"{deck}: no earlier build of other data in {history.folder_of(deck)}; "
                "nothing to compare with"
            )
            return
        previous = earlier.manifest
        against = earlier.describe()
    click.echo(report(compare(previous, current), previous, current, against).rstrip())


@cli.command()
@click.argument("deck", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder for the pictures [default: <deck name>-preview beside the deck].",
)
def preview(deck: Path, out_dir: Path | None) -> None:
    """Draw every slide of DECK as a PNG, plus a contact sheet, with LibreOffice."""
    from deckgen.preview import preview as run_preview

    folder = out_dir if out_dir is not None else deck.with_name(f"{deck.stem}-preview")
    result = run_preview(deck, folder, report=lambda stage: click.echo(f"{stage}...", err=True))
    click.echo(f"{folder}: {len(result.slides)} slide pictures and {result.contact_sheet.name}")


def _writes(what: str, default: Path) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The options of a command that writes one file: where (-o) and whether to replace it."""

    def options(command: Callable[..., None]) -> Callable[..., None]:
        command = click.option("--force", is_flag=True, help="Replace the file if it exists.")(
            command
        )
        return click.option(
            "-o",
            "--output",
            type=click.Path(path_type=Path),
            default=default,
            show_default=True,
            help=f"Where to write the {what}.",
        )(command)

    return options


def _write_new(output: Path, force: bool, write: Callable[[Path], object]) -> None:
    refuse_overwrite(output, force)
    write(output)
    click.echo(f"wrote {output}")


@cli.command()
@_writes("template", DEFAULT_TEMPLATE)
def template(output: Path, force: bool) -> None:
    """Write the sample template (theme, fonts and the four slide layouts)."""
    from deckgen.sample.template import build_template

    _write_new(output, force, build_template)


@cli.command()
@_writes("workbook", DEFAULT_WORKBOOK)
def sample(output: Path, force: bool) -> None:
    """Write the sample workbook (the WMP2020 figures) from its source in the package."""
    from deckgen.sample.writer import write_sample

    _write_new(output, force, write_sample)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _describe(counts: Mapping[str, int]) -> str:
    return ", ".join(_plural(n, noun) for noun, n in counts.items())


def _verdict(errors: int, warnings: int) -> str:
    if errors:
        return f"not valid ({_plural(errors, 'error')}, {_plural(warnings, 'warning')})"
    if warnings:
        return f"valid with {_plural(warnings, 'warning')}"
    return "valid"


def main() -> None:
    """Entry point of the `deckgen` console script."""
    cli(prog_name="deckgen")
