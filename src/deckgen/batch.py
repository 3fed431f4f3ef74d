"""Build several workbooks, one deck each, in parallel processes; one failure stops no other."""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from dataclasses import dataclass

from deckgen.errors import DeckgenError
from deckgen.pipeline import BuildOptions


@dataclass(frozen=True)
class Outcome:
    options: BuildOptions
    ok: bool
    line: str  # the one line printed for this workbook
    details: str = ""  # issue lines or a traceback, printed after


def run(jobs: Sequence[BuildOptions], workers: int) -> list[Outcome]:
    """Build every job; in the order given, whatever order they finish in."""
    if workers <= 1 or len(jobs) <= 1:
        return [build_one(job) for job in jobs]
    from concurrent.futures import ProcessPoolExecutor  # only builds in parallel need it

    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        return list(pool.map(build_one, jobs))


def build_one(job: BuildOptions) -> Outcome:
    """Build one deck and describe the result in one line, never raising."""
    from deckgen.checks.findings import grouped
    from deckgen.pipeline import build

    try:
        result = build(job)
    except DeckgenError as exc:
        first, _, rest = exc.format_message().partition("\n")
        return Outcome(job, False, f"error: {first}", rest)
    except Exception:  # a bug: report it with its traceback, and build the others
        return Outcome(
            job,
            False,
            f"error: {job.workbook}: deckgen failed (a bug)",
            traceback.format_exc(),
        )
    findings = grouped(result.findings)  # a cause in the template counts once, as printed
    warnings = len(result.warnings) + len(findings) + len(result.notes)
    details = "\n".join(f"WARNING {note}" for note in result.notes)
    return Outcome(
        job,
        True,
        f"{result.output}: {len(result.deck.slides)} slides, {warnings} "
        f"warning{'' if warnings == 1 else 's'}, built in {result.seconds:.1f} s",
        "\n".join(filter(None, (details, result.font_note or ""))),
    )
