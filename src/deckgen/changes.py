"""What changed since the last build: slides added or removed, and every figure old -> new.

This is what a presenter reads before standing up with an updated deck. Figures are matched by
slide and by the reference that produced them, so a figure that moves is not a change but a
figure whose value moves is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from deckgen.specs import SLIDE_NUMBER


@dataclass(frozen=True)
class FigureChange:
    slide: str  # "slide 6 (roi)"
    reference: str
    old: str | None  # None: the figure is new on this slide
    new: str | None  # None: the figure is gone from this slide

    def __str__(self) -> str:
        if self.old is None:
            return f"{self.slide}: added {self.new}"
        if self.new is None:
            return f"{self.slide}: removed {self.old}"
        return f"{self.slide}: {self.old} -> {self.new}"


@dataclass(frozen=True)
class Changes:
    added_slides: tuple[str, ...]
    removed_slides: tuple[str, ...]
    figures: tuple[FigureChange, ...]

    @property
    def empty(self) -> bool:
        return not (self.added_slides or self.removed_slides or self.figures)

    def summary(self) -> str:
        if self.empty:
            return "no changes since the last build"
        changed = sum(1 for f in self.figures if f.old is not None and f.new is not None)
        other = len(self.figures) - changed
        return (
            f"changes since the last build: {_count(len(self.added_slides), 'slide')} added, "
            f"{len(self.removed_slides)} removed, {_count(changed, 'figure')} changed"
            + (f", {other} added or removed" if other else "")
        )


def compare(old: dict[str, Any], new: dict[str, Any]) -> Changes:
    """Compare two manifests."""
    old_slides = {s["key"]: s for s in old["slides"]}
    new_slides = {s["key"]: s for s in new["slides"]}
    added = tuple(_name(s) for k, s in new_slides.items() if k not in old_slides)
    removed = tuple(_name(s) for k, s in old_slides.items() if k not in new_slides)
    figures: list[FigureChange] = []
    for key, slide in new_slides.items():
        if key not in old_slides:
            continue
        before, after = _figures(old_slides[key]), _figures(slide)
        where = _name(slide)
        for ref in dict.fromkeys([*before, *after]):
            olds, news = before.get(ref, []), after.get(ref, [])
            for index in range(max(len(olds), len(news))):
                was = olds[index] if index < len(olds) else None
                now = news[index] if index < len(news) else None
                if was != now:
                    figures.append(FigureChange(where, ref, was, now))
    return Changes(added, removed, tuple(figures))


def report(changes: Changes, old: dict[str, Any], new: dict[str, Any]) -> str:
    """The change report as Markdown."""
    deck = new["deck"]
    lines = [
        f"# What changed in {deck['title']}",
        "",
        f"Built {new['deck']['built']} from {deck['workbook']} (data as of {deck['data_as_of']});",
        f"compared with the build of {old['deck']['built']} from {old['deck']['workbook']} "
        f"(data as of {old['deck']['data_as_of']}).",
        "",
    ]
    if changes.empty:
        lines.append("Nothing changed: every slide and every figure is as before.")
        return "\n".join(lines) + "\n"
    if changes.added_slides:
        lines += ["## Slides added", "", *(f"- {s}" for s in changes.added_slides), ""]
    if changes.removed_slides:
        lines += ["## Slides removed", "", *(f"- {s}" for s in changes.removed_slides), ""]
    if changes.figures:
        lines += ["## Figures", "", "| slide | figure | before | now |", "|---|---|---|---|"]
        for f in changes.figures:
            lines.append(
                f"| {f.slide} | `{f.reference}` | {f.old or '(none)'} | {f.new or '(none)'} |"
            )
        lines.append("")
    return "\n".join(lines)


def _figures(slide: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for figure in slide["figures"]:
        if figure["unit"] != SLIDE_NUMBER:
            found[str(figure["reference"])].append(str(figure["text"]))
    return found


def _name(slide: dict[str, Any]) -> str:
    return f"slide {slide['number']} ({slide['key']})"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
