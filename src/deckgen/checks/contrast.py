"""Rule: text stands out from what is behind it (WCAG 2.2: 4.5:1, 3:1 for large text).

What is behind a run of text is the shape's own fill, else (in a table) the cell's fill, else
the topmost shape drawn earlier with a fill that covers the text's centre (the slide's shapes,
then its layout's and master's own shapes), else the slide background (the slide's, its
layout's, else its master's). A translucent fill or text colour is blended over what lies under
it. Where that cannot be one colour (a gradient, a picture) the text is not judged.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from deckgen.checks.colors import NO_FILL, UNKNOWN, WHITE, Fill, FillKind, Palette, Rgba
from deckgen.checks.deck import Slide
from deckgen.checks.findings import Finding, Rule
from deckgen.checks.ooxml import Element, bool_attr, qn
from deckgen.checks.shapes import ShapeView, backdrop_shapes, centre, contains
from deckgen.checks.slidetext import SlideText
from deckgen.checks.textstyle import ParagraphStyle
from deckgen.design import contrast_ratio

NORMAL_MINIMUM = 4.5
LARGE_MINIMUM = 3.0
LARGE_SIZE = 18.0  # points: large text at any weight
LARGE_BOLD_SIZE = 14.0  # points: large text when bold
OWN_FILL = "its fill"
BACKGROUND = "the slide background"
DRAWN_BEHIND = frozenset({"sp", "pic"})  # shapes whose fill can lie behind text
RATIO_CACHE_SIZE = 4096  # pairs of colours remembered: a deck uses a few dozen


@dataclass(frozen=True)
class Surface:
    """An opaque colour behind text, and how to name it in a finding."""

    color: Rgba
    description: str

    @property
    def hex(self) -> str:
        return self.color.hex


class ContrastCheck:
    """The contrast rule for one deck's slides. The shapes a layout or master draws behind its
    slides are found once, not once for every slide that uses them."""

    def __init__(self) -> None:
        self._backdrops: dict[Element, list[ShapeView]] = {}

    def __call__(self, slide: Slide, shapes: list[ShapeView], text: SlideText) -> list[Finding]:
        palette = Palette(slide.theme, slide.color_map)
        stage = _Stage(slide, shapes, palette, self._backdrop)
        findings: list[Finding] = []
        for view in shapes:
            if view.box is None:
                continue
            if view.kind == "sp" and view.text_body is not None:
                findings.extend(_shape(slide, view, stage, text))
            elif view.kind == "graphicFrame":
                findings.extend(_table(slide, view, stage, text))
        return findings

    def _backdrop(self, root: Element | None) -> list[ShapeView]:
        if root is None:
            return []
        if root not in self._backdrops:
            self._backdrops[root] = backdrop_shapes(root)
        return self._backdrops[root]


def _shape(slide: Slide, view: ShapeView, stage: _Stage, text: SlideText) -> list[Finding]:
    if view.box is None:
        return []
    paragraphs = text.shape_paragraphs(view)
    surface = stage.surface(stage.fill(view), stage.index(view), centre(view.box), OWN_FILL)
    problem = _worst(paragraphs, surface, stage.palette)
    return [_finding(slide, view, problem)] if problem else []


def _table(slide: Slide, view: ShapeView, stage: _Stage, text: SlideText) -> list[Finding]:
    """One finding per table row: the worst run of the row's cells."""
    table = text.table(view)
    if table is None or view.box is None:
        return []
    rows: dict[int, str] = {}
    for cell in table.cells:
        fill = stage.palette.fill(cell.properties)
        if fill.kind is FillKind.UNSET:
            fill = table.style_fill(cell, stage.palette)
        surface = stage.surface(fill, stage.index(view), centre(view.box), OWN_FILL)
        problem = _worst(text.cell_paragraphs(table, cell), surface, stage.palette)
        if problem:
            rows.setdefault(cell.row, problem)
    return [
        _finding(slide, view, problem, f"row {row + 1}") for row, problem in sorted(rows.items())
    ]


def _finding(slide: Slide, view: ShapeView, message: str, part: str = "") -> Finding:
    return Finding(Rule.CONTRAST, message, slide.number, slide.name, view.name, view.order, part)


def _worst(paragraphs: list[ParagraphStyle], surface: Surface | None, palette: Palette) -> str:
    """The message for the run furthest below its minimum, "" when every run passes."""
    if surface is None:
        return ""
    worst: tuple[float, str] | None = None
    for paragraph in paragraphs:
        for run in paragraph.runs:
            if not run.text.strip():
                continue
            fill = palette.fill(run.fill_holder)
            if fill.kind is not FillKind.SOLID or fill.color is None:
                continue  # invisible (noFill) or not one colour: not judged
            colour, ratio = _ratio(fill.color, surface.color)
            large = run.size >= LARGE_SIZE or (run.bold and run.size >= LARGE_BOLD_SIZE)
            minimum = LARGE_MINIMUM if large else NORMAL_MINIMUM
            if ratio >= minimum:
                continue
            shown = math.floor(ratio * 10) / 10
            message = (
                f"text contrast {shown:.1f}:1 against {surface.description}, needs {minimum:g}:1 "
                f"(#{colour.hex} on #{surface.hex})"
            )
            if worst is None or ratio / minimum < worst[0]:
                worst = (ratio / minimum, message)
    return worst[1] if worst else ""


@lru_cache(maxsize=RATIO_CACHE_SIZE)
def _ratio(text: Rgba, surface: Rgba) -> tuple[Rgba, float]:
    """The colour text shows over an opaque surface, and their contrast ratio; a slide asks
    for the same few pairs for every run."""
    colour = text.over(surface)
    return colour, contrast_ratio(colour.hex, surface.hex)


class _Stage:
    """What is drawn on a slide, bottom to top: master and layout shapes, then the slide's."""

    def __init__(
        self,
        slide: Slide,
        shapes: list[ShapeView],
        palette: Palette,
        backdrop: Callable[[Element | None], list[ShapeView]],
    ) -> None:
        self.palette = palette
        shown = bool_attr(slide.root, "showMasterSp") is not False
        layout_root = slide.layout.root if slide.layout else None
        master_shown = shown and bool_attr(layout_root, "showMasterSp") is not False
        below: list[ShapeView] = []
        if master_shown and slide.master is not None:
            below.extend(backdrop(slide.master.root))
        if shown:
            below.extend(backdrop(layout_root))
        self.stack = [(view, self.fill(view)) for view in (*below, *shapes)]
        self._index = {id(view): i for i, (view, _) in enumerate(self.stack)}
        self.background = _background(slide, palette)

    def index(self, view: ShapeView) -> int:
        return self._index[id(view)]

    def fill(self, view: ShapeView) -> Fill:
        """A shape's fill as drawn: its own, its placeholder's, its theme style's, its group's."""
        if view.kind == "pic":
            return UNKNOWN
        if view.kind != "sp":
            return NO_FILL
        fill = self.palette.fill(view.properties)
        for inherited in view.inherited:
            if fill.kind is not FillKind.UNSET:
                break
            fill = self.palette.fill(inherited.find(qn("p:spPr")))
        if fill.kind is FillKind.UNSET:
            fill = self.palette.style_fill(view.element.find(f"{qn('p:style')}/{qn('a:fillRef')}"))
        if fill.kind is FillKind.GROUP and view.group is not None:
            fill = self.palette.fill(view.group.find(qn("p:grpSpPr")))
        return fill if fill.kind in (FillKind.SOLID, FillKind.UNKNOWN) else NO_FILL

    def surface(
        self, fill: Fill, index: int, point: tuple[float, float], description: str
    ) -> Surface | None:
        """The opaque colour `fill` shows at `point`, blended over what lies beneath it."""
        if fill.kind is FillKind.UNKNOWN:
            return None
        if fill.kind is not FillKind.SOLID or fill.color is None:
            return self.behind(index, point)
        if fill.color.alpha >= 1:
            return Surface(fill.color, description)
        below = self.behind(index, point)
        if below is None:
            return None
        return Surface(fill.color.over(below.color), description)

    def behind(self, index: int, point: tuple[float, float]) -> Surface | None:
        for position in range(index - 1, -1, -1):
            view, fill = self.stack[position]
            if fill.kind is FillKind.NONE or view.box is None or view.kind not in DRAWN_BEHIND:
                continue
            if contains(view.box, *point):
                return self.surface(fill, position, point, f"'{view.name}'")
        return self.background


def _background(slide: Slide, palette: Palette) -> Surface | None:
    """The slide's background: its own, else its layout's, else its master's, else white."""
    roots = (
        slide.root,
        slide.layout.root if slide.layout else None,
        slide.master.root if slide.master else None,
    )
    for root in roots:
        background = root.find(f"{qn('p:cSld')}/{qn('p:bg')}") if root is not None else None
        if background is None:
            continue
        properties = background.find(qn("p:bgPr"))
        if properties is not None:
            fill = palette.fill(properties)
        else:
            fill = palette.style_fill(background.find(qn("p:bgRef")))
        if fill.kind is FillKind.UNKNOWN:
            return None
        if fill.kind is FillKind.SOLID and fill.color is not None:
            return Surface(fill.color.over(WHITE), BACKGROUND)
        return Surface(WHITE, BACKGROUND)
    return Surface(WHITE, BACKGROUND)
