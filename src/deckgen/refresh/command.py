"""`deckgen refresh TALK --from DECK`: refresh in memory, check the result, then write it safely.

The result is written as a build writes: under the talk's lock, staged and swapped into place
under a journal (output.Commit), so a refresh killed at any moment leaves the talk as it was.
In place, the previous talk is kept beside it as TALK.pptx.bak, written in the same commit. A
.bak already there is never overwritten unless it holds exactly the talk being replaced: it
may be the user's own, or the talk as it was before an earlier refresh, so the next free
TALK.pptx.1.bak, TALK.pptx.2.bak ... is used instead.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from deckgen.errors import DeckgenError
from deckgen.output import Commit, locked, write_atomic
from deckgen.refresh import engine
from deckgen.refresh.report import Summary
from deckgen.refresh.source import Source

BACKUP = ".bak"
MAX_BACKUPS = 1000


@dataclass(frozen=True)
class Plan:
    talk: Path
    source: Path
    output: Path
    in_place: bool


def plan(talk: Path, source: Path, output: Path | None) -> Plan:
    """Where the result goes; an output that is the source deck is refused before any work."""
    target = output if output is not None else talk
    if _same(target, source):
        raise DeckgenError(f"{target}: this is the deck to refresh from; give another output")
    if _same(talk, source):
        raise DeckgenError(f"{talk}: the talk and the deck to refresh from are the same file")
    if target.suffix.lower() != ".pptx":
        raise DeckgenError(f"{target}: the refreshed talk must be written as a .pptx file")
    return Plan(talk, source, target, _same(target, talk))


def run(talk: Path, source: Path, output: Path | None = None, dry_run: bool = False) -> Summary:
    """Refresh `talk` from `source`; write the result unless `dry_run`. Raise DeckgenError on
    errors, before anything is written."""
    chosen = plan(talk, source, output)
    with Source(source) as deck:
        done = engine.refresh(talk, deck)
    findings: tuple[str, ...] = ()
    if done.data is not None:
        _reopens(done.data, talk)
        findings = _new_findings(talk, done.data, done.unfitted)
    written = backup = ""
    if not dry_run:
        written, backup = _write(chosen, done.data)
    return Summary(
        talk=talk.name,
        source=source.name,
        shapes=done.shapes,
        slides=len(done.slides),
        refreshed=done.refreshed,
        changes=tuple(done.outcome.changes),
        conflicts=tuple(done.outcome.conflicts),
        findings=findings,
        written=written,
        backup=backup,
    )


def _write(chosen: Plan, data: bytes | None) -> tuple[str, str]:
    """Write the result; return where it went and where the previous talk was kept."""
    if chosen.in_place:
        if data is None:
            return "", ""  # nothing changed: the talk stays as it is, and no backup is made
        with locked(chosen.talk):
            previous = chosen.talk.read_bytes()
            backup = backup_path(chosen.talk, previous)
            commit = Commit(chosen.talk)
            commit.add(chosen.talk, data)  # the first file added is swapped in last
            if not backup.exists():
                commit.add(backup, previous)
            commit.apply()
        return str(chosen.talk), str(backup)
    write_atomic(chosen.output, data if data is not None else chosen.talk.read_bytes())
    return str(chosen.output), ""


def backup_path(talk: Path, previous: bytes) -> Path:
    """TALK.pptx.bak, or the first TALK.pptx.N.bak that is free or already holds `previous`."""
    for number in range(MAX_BACKUPS):
        name = f"{talk.name}{BACKUP}" if number == 0 else f"{talk.name}.{number}{BACKUP}"
        candidate = talk.with_name(name)
        if not candidate.exists():
            return candidate
        try:
            if candidate.is_file() and candidate.read_bytes() == previous:
                return candidate
        except OSError:
            continue
    raise DeckgenError(f"{talk}: {MAX_BACKUPS} backups beside it already; remove some first")


def _reopens(data: bytes, talk: Path) -> None:
    """The result must open in python-pptx before it replaces anything."""
    from pptx import Presentation

    try:
        Presentation(io.BytesIO(data))
    except Exception as exc:  # any failure here is a refresh bug; the talk is left as it was
        raise DeckgenError(
            f"{talk}: the refreshed talk would not reopen ({exc}); nothing was written. "
            "Please report this."
        ) from None


def _new_findings(talk: Path, data: bytes, listed: set[tuple[int, str]]) -> tuple[str, ...]:
    """What `deckgen check` finds in the result and did not find in the talk, but for the
    overflow of a text already listed as too long for its box."""
    from deckgen.checks import Rule, check_deck, check_deck_bytes

    try:
        before = {str(f) for f in check_deck(talk).findings}
    except DeckgenError:
        before = set()
    after = [
        str(f)
        for f in check_deck_bytes(data, talk.name).findings
        if not (f.rule is Rule.OVERFLOW and (f.slide, f.shape) in listed)
    ]
    return tuple(f for f in after if f not in before)


def _same(first: Path, second: Path) -> bool:
    try:
        return first.resolve() == second.resolve() or (
            first.exists() and second.exists() and first.samefile(second)
        )
    except OSError:
        return False
