"""The contents: each section with the slide it starts on, computed when the deck is planned.

Entries read like a printed contents page: each section in bold with its slides under it, the
slide number right-aligned on a tab stop at the column's right edge, and an entry too long for
one line continuing on a hanging indent, so the numbers stand alone down the right.

An entry that fits on one line has no indent at all: a tab stop's position is counted from the
text box's edge by PowerPoint but from the paragraph's indent by LibreOffice, and where there
is no indent the two agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from deckgen.deckdef import SlideDef
from deckgen.design import GRID, STYLES, TextStyle
from deckgen.slides.compose import compose, content_page
from deckgen.slides.context import BuildContext
from deckgen.slides.layout import Card, Para, TextCard, paras_height
from deckgen.specs import SLIDE_NUMBER, Emu, FigureUse, Run, SlideSpec, inches

COLUMNS = 2
HANGING = 0.3  # inches: the second line of a wrapped entry starts this much further in


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
    page, _, _ = content_page(ctx, slide)
    width = page.span_width(12 // COLUMNS)
    inner = Emu(width - 2 * inches(GRID.text_inset))
    groups = [_paras(ctx, entry, inner) for entry in listed]
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


def _paras(ctx: BuildContext, entry: Entry, width: Emu) -> list[Para]:
    """A section's line and its slides' lines, each number on a right tab at `width`."""
    lines = [(entry.title, entry.number, TextStyle.CONTENTS, True)]
    lines += [(title, n, TextStyle.CONTENTS_ENTRY, False) for n, title in entry.children]
    paras = []
    for title, number, style, bold in lines:
        runs = (Run(title, bold=bold), Run(f"\t{number}", bold=bold))
        wrapped = (
            len(ctx.measurer.wrap(f"{title} {number}", width / 12_700, STYLES[style].size, bold))
            > 1
        )
        hanging = inches(HANGING) if wrapped else Emu(0)
        paras.append(Para(runs, style, hanging=hanging, right_tab=width))
    return paras


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
