"""Build several workbooks, one deck each, in parallel processes; one failure stops no other."""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from deckgen.errors import DeckgenError


@dataclass(frozen=True)
class Job:
    workbook: Path
    output: Path
    template: Path
    deck_path: Path
    chart_engine: str
    strict: bool
    slides: tuple[str, ...] | None
    split: bool


@dataclass(frozen=True)
class Outcome:
    workbook: Path
    ok: bool
    line: str  # the one line printed for this workbook
    details: str = ""  # issue lines or a traceback, printed after


def run(jobs: Sequence[Job], workers: int) -> list[Outcome]:
    """Build every job; in the order given, whatever order they finish in."""
    if workers <= 1 or len(jobs) <= 1:
        return [build_one(job) for job in jobs]
    from concurrent.futures import ProcessPoolExecutor  # only builds in parallel need it

    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        return list(pool.map(build_one, jobs))


def build_one(job: Job) -> Outcome:
    """Build one deck and describe the result in one line, never raising."""
    from deckgen.pipeline import build

    try:
        result = build(
            job.workbook,
            job.output,
            job.template,
            job.deck_path,
            job.chart_engine,
            job.strict,
            job.slides,
            job.split,
        )
    except DeckgenError as exc:
        first, _, rest = exc.format_message().partition("\n")
        return Outcome(job.workbook, False, f"error: {first}", rest)
    except Exception:  # a bug: report it with its traceback, and build the others
        return Outcome(
            job.workbook,
            False,
            f"error: {job.workbook}: deckgen failed (a bug)",
            traceback.format_exc(),
        )
    warnings = len(result.warnings) + len(result.findings)
    return Outcome(
        job.workbook,
        True,
        f"{job.output}: {len(result.deck.slides)} slides, {warnings} "
        f"warning{'' if warnings == 1 else 's'}, built in {result.seconds:.1f} s",
        result.font_note or "",
    )
