"""The command line. Parses options, calls the pipeline, prints. No logic of its own.

Heavy modules (openpyxl, python-pptx, matplotlib) are imported inside the commands that use
them, so `deckgen --help` starts fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path

import click

from deckgen import __version__
from deckgen.errors import EXIT_ERRORS, EXIT_OK, EXIT_WARNINGS, DeckgenError
from deckgen.paths import DEFAULT_DECK, DEFAULT_TEMPLATE, DEFAULT_WORKBOOK, OUTPUT

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
@_workbook_arg
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
def build(
    workbook: Path,
    output: Path | None,
    template: Path,
    deck_path: Path,
    chart_engine: str,
    strict: bool,
) -> None:
    """Build the deck for WORKBOOK (default inputs/wmp2020.xlsx).

    The workbook is validated first: on an error nothing is written and the previous deck is
    left as it was. The deck is written atomically to output/<workbook name>.pptx.
    """
    from deckgen.pipeline import build as run_build

    target = output if output is not None else OUTPUT / f"{workbook.stem}.pptx"
    result = run_build(workbook, target, template, deck_path, chart_engine, strict)
    for issue in result.warnings:
        click.echo(str(issue), err=True)
    for finding in result.findings:
        click.echo(f"WARNING {finding}", err=True)
    slides = len(result.deck.slides)
    warnings = len(result.warnings) + len(result.findings)
    click.echo(
        f"{target}: {slides} slides, {result.charts} charts, {result.tables} tables, "
        f"{warnings} warning{'' if warnings == 1 else 's'}, built in {result.seconds:.1f} s"
    )
    if strict and result.findings:
        sys.exit(EXIT_WARNINGS)


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
    result = run_preview(deck, folder)
    click.echo(f"{folder}: {len(result.slides)} slide pictures and {result.contact_sheet.name}")


@cli.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=DEFAULT_TEMPLATE,
    show_default=True,
    help="Where to write the template.",
)
def template(output: Path) -> None:
    """Write the sample template (theme, fonts and the four slide layouts)."""
    from deckgen.render.template import build_template

    build_template(output)
    click.echo(f"wrote {output}")


@cli.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=DEFAULT_WORKBOOK,
    show_default=True,
    help="Where to write the workbook.",
)
def sample(output: Path) -> None:
    """Write the sample workbook (the WMP2020 figures) from its source in the package."""
    from deckgen.sample.writer import write_sample

    write_sample(output)
    click.echo(f"wrote {output}")


def _describe(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{n} {noun}" if n == 1 else f"{n} {noun}s" for noun, n in counts.items())


def _verdict(errors: int, warnings: int) -> str:
    def plural(n: int, word: str) -> str:
        return f"{n} {word}" if n == 1 else f"{n} {word}s"

    if errors:
        return f"not valid ({plural(errors, 'error')}, {plural(warnings, 'warning')})"
    if warnings:
        return f"valid with {plural(warnings, 'warning')}"
    return "valid"


def main() -> None:
    """Entry point of the `deckgen` console script."""
    cli(prog_name="deckgen")
