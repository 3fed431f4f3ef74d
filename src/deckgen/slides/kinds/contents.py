"""The contents: each section with the slide it starts on, computed when the deck is planned."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from deckgen.deckdef import SlideDef
from deckgen.design import TextStyle
from deckgen.slides.compose import compose, content_page
from deckgen.slides.context import BuildContext
from deckgen.slides.layout import Card, Para, TextCard, paras_height
from deckgen.specs import SLIDE_NUMBER, FigureUse, Run, SlideSpec

COLUMNS = 2


@dataclass(frozen=True)
class Entry:
    """A line of the contents: a section or a slide outside any section, and what it holds."""

    number: int
    title: str
    children: tuple[tuple[int, str], ...]
    figures: tuple[FigureUse, ...] = ()


def entries(ctx: BuildContext, slide: SlideDef) -> list[Entry]:
    """Sections and their slides, numbered as the deck is: from the planned slide numbers."""
    numbers = ctx.resolver.slide_numbers
    result: list[Entry] = []
    children: list[tuple[int, str]] = []
    current: tuple[int, str] | None = None
    uses: list[FigureUse] = []
    started = False
    for item in ctx.deck.slides:
        if item.id == slide.id:
            started = True
            continue
        if not started or item.kind == "cover":
            continue
        rich = ctx.text(item.text("label") or item.text("title"))
        label = rich.plain
        number = numbers.get(item.id, 0)
        if item.kind == "section":
            if current is not None:
                result.append(Entry(current[0], current[1], tuple(children), tuple(uses)))
            current, children, uses = (number, label), [], list(rich.figures)
        elif current is None:
            result.append(Entry(number, label, (), rich.figures))
        else:
            children.append((number, label))
            uses.extend(rich.figures)
    if current is not None:
        result.append(Entry(current[0], current[1], tuple(children), tuple(uses)))
    return result


def build(ctx: BuildContext, slide: SlideDef) -> list[SlideSpec]:
    listed = entries(ctx, slide)
    groups = [_paras(entry) for entry in listed]
    page, _, _ = content_page(ctx, slide)
    width = page.span_width(12 // COLUMNS)
    heights = [paras_height(group, width, ctx.measurer) for group in groups]
    split = _balance(heights)
    columns = [groups[:split], groups[split:]]
    uses = tuple(
        FigureUse(str(n), n, SLIDE_NUMBER, f"slide.{sid}", f"number of slide '{sid}' in this deck")
        for sid, n in ctx.resolver.slide_numbers.items()
        if sid in {s.id for s in ctx.deck.slides}
    ) + tuple(f for entry in listed for f in entry.figures)
    cards: list[Card] = [
        TextCard(
            name=f"Contents column {n}",
            paras=tuple(p for g in column for p in g),
            span=12 // COLUMNS,
        )
        for n, column in enumerate(columns, start=1)
        if column
    ]
    return compose(ctx, slide, [cards], extra_figures=uses)


def _paras(entry: Entry) -> list[Para]:
    heading = Para(
        (Run(f"{entry.number}   ", bold=True), Run(entry.title, bold=True)), TextStyle.CONTENTS
    )
    children = [
        Para((Run(f"{number}   "), Run(title)), TextStyle.LABEL) for number, title in entry.children
    ]
    return [heading, *children]


def _balance(heights: Sequence[int]) -> int:
    """The index that splits entries into two columns of most nearly equal height."""
    total = sum(heights)
    best, best_gap = len(heights), total
    running = 0
    for index, height in enumerate(heights):
        gap = abs(total - 2 * running)
        if gap < best_gap:
            best, best_gap = index, gap
        running += height
    return best
