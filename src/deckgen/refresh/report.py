"""What a refresh did and what it left alone: changes, conflicts, and the summary printed."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Change:
    """One thing brought up to date: a figure, a chart, a table cell, a notes line."""

    slide: int  # the talk's slide number
    shape: str  # the shape as the user sees it: its name without the id mark
    what: str  # "figure", "chart", "table", "notes", "picture"
    old: str
    new: str

    def __str__(self) -> str:
        return f"slide {self.slide}, {self.shape}: {self.old} → {self.new}"


@dataclass(frozen=True)
class Conflict:
    """Something left as the talk has it, and why."""

    slide: int
    shape: str
    old: str  # what deckgen wrote, or "" when nothing applies
    new: str  # what the deck shows now, or ""
    reason: str

    def __str__(self) -> str:
        change = f"{self.old} → {self.new}: " if self.old or self.new else ""
        return f"slide {self.slide}, {self.shape}: {change}{self.reason}"


@dataclass
class Outcome:
    """What happened to one shape (or one slide's notes)."""

    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    def extend(self, other: Outcome) -> None:
        self.changes.extend(other.changes)
        self.conflicts.extend(other.conflicts)


@dataclass(frozen=True)
class Summary:
    talk: str
    source: str
    shapes: int  # shapes from the source deck found in the talk
    slides: int  # talk slides holding them
    refreshed: int  # shapes changed
    changes: tuple[Change, ...]
    conflicts: tuple[Conflict, ...]
    findings: tuple[str, ...] = ()  # what `deckgen check` finds in the result and not before
    written: str = ""  # where the result went ("" for --dry-run or nothing to write)
    backup: str = ""

    def lines(self, dry_run: bool) -> list[str]:
        verb = "would refresh" if dry_run else "refreshed"
        if not self.shapes:
            return [f"{self.talk}: no shapes from {self.source} found; nothing to refresh"]
        head = (
            f"{self.talk}: {_count(self.shapes, 'shape')} from {self.source} "
            f"on {_count(self.slides, 'slide')}; "
            f"{verb} {self.refreshed} ({_count(len(self.changes), 'change')}), "
            f"{_count(len(self.conflicts), 'conflict')} left as they are"
        )
        lines = [head]
        if self.written:
            lines.append(
                f"wrote {self.written}"
                + (f" (previous talk kept as {self.backup})" if self.backup else "")
            )
        if self.conflicts:
            lines.append("Left as the talk has them:")
            lines.extend(f"  {c}" for c in self.conflicts)
        if self.findings:
            lines.append("deckgen check finds in the result what it did not find before:")
            lines.extend(f"  {f}" for f in self.findings)
        return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
