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
from deckgen.paths import DEFAULT_WORKBOOK

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
