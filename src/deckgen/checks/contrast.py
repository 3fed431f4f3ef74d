"""Rule: text stands out from what is behind it (WCAG 2.2: 4.5:1, 3:1 for large text).

What is behind a run of text is the shape's own fill, else (in a table) the cell's fill, else
the topmost shape drawn earlier with a fill that covers the text's centre (the slide's shapes,
then its layout's and master's own shapes), else the slide background (the slide's, its
layout's, else its master's). A translucent fill or text colour is blended over what lies under
it. Where that cannot be one colour (a gradient, a picture) the text is not judged.

A finding the template causes says so (findings.Cause), so that it is reported once for the
deck: a placeholder's text colour that comes from the layout or master, on a background the
template draws; or a theme colour deckgen gives text by role (secondary text, titles) on the
template's background or another theme colour.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from deckgen.checks.colors import (
    FILL_TAGS,
    NO_FILL,
    UNKNOWN,
    WHITE,
    Fill,
    FillKind,
    Palette,
    Rgba,
)
from deckgen.checks.deck import Slide
from deckgen.checks.findings import Cause, Finding, Rule
from deckgen.checks.ooxml import (
    A_DEF_RPR,
    A_LST_STYLE,
    A_P,
    A_PPR,
    A_RPR,
    LEVEL_TAGS,
    Element,
    bool_attr,
    local_name,
    qn,
)
from deckgen.checks.shapes import ShapeView, backdrop_shapes, centre, contains
from deckgen.checks.slidetext import SlideText
from deckgen.checks.textstyle import ParagraphStyle, body_props, shrunk
from deckgen.design import Role, contrast_ratio, slot

NORMAL_MINIMUM = 4.5
LARGE_MINIMUM = 3.0
LARGE_SIZE = 18.0  # points: large text at any weight
LARGE_BOLD_SIZE = 14.0  # points: large text when bold
OWN_FILL = "its fill"
BACKGROUND = "the slide background"
DRAWN_BEHIND = frozenset({"sp", "pic"})  # shapes whose fill can lie behind text
RATIO_CACHE_SIZE = 4096  # pairs of colours remembered: a deck uses a few dozen
WHITE_HEX = "FFFFFF"
PLACEHOLDER_KINDS = {
    "title": "title",
    "ctrTitle": "title",
    "subTitle": "subtitle",
    "ftr": "footer",
    "dt": "footer",
    "sldNum": "footer",
}
SLOT_NAMES = {
    "dk1": "Dark 1",
    "lt1": "Light 1",
    "dk2": "Dark 2",
    "lt2": "Light 2",
    **{f"accent{n}": f"Accent {n}" for n in range(1, 7)},
    "hlink": "Hyperlink",
    "folHlink": "Followed Hyperlink",
}
MASTER_VIEW = "(View › Slide Master)"
ROLE_OF_SLOT = {slot(role): role for role in reversed(Role)}  # the first role of a slot wins


@dataclass(frozen=True)
class Surface:
    """An opaque colour behind text, how to name it in a finding, and whether the template
    draws it (its background, a layout's or master's shape) or a theme colour fills it."""

    color: Rgba
    description: str
    template: bool = False
    theme: str = ""  # the theme slot of a fill in one plain theme colour ("lt2")

    @property
    def hex(self) -> str:
        return self.color.hex


@dataclass(frozen=True)
class _Problem:
    """The run furthest below its minimum contrast."""

    message: str
    text: Rgba  # the colour it shows
    ratio: float
    minimum: float
    theme: str  # the theme slot of its colour, when one plain theme colour


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
    shrink = body_props(view).shrink  # a stored autofit shrink may make large text small
    paragraphs = [shrunk(p, shrink) for p in text.shape_paragraphs(view)]
    surface = stage.surface(
        stage.fill(view), stage.index(view), centre(view.box), OWN_FILL, theme=_theme_of(view)
    )
    problem = _worst(paragraphs, surface, stage.palette)
    if problem is None or surface is None:
        return []
    cause = _cause(slide, view, problem, surface, stage.palette)
    return [_finding(slide, view, problem.message, cause=cause)]


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
        if problem is not None:
            rows.setdefault(cell.row, problem.message)
    return [
        _finding(slide, view, problem, f"row {row + 1}") for row, problem in sorted(rows.items())
    ]


def _finding(
    slide: Slide, view: ShapeView, message: str, part: str = "", cause: Cause | None = None
) -> Finding:
    layout = _layout_name(slide) if cause is not None else ""
    return Finding(
        Rule.CONTRAST, message, slide.number, slide.name, view.name, view.order, part, cause, layout
    )


def _worst(
    paragraphs: list[ParagraphStyle], surface: Surface | None, palette: Palette
) -> _Problem | None:
    """The run furthest below its minimum, None when every run passes."""
    if surface is None:
        return None
    worst: tuple[float, _Problem] | None = None
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
            message = (
                f"text contrast {_shown(ratio)}:1 against {surface.description}, needs "
                f"{minimum:g}:1 (#{colour.hex} on #{surface.hex})"
            )
            if worst is None or ratio / minimum < worst[0]:
                theme = _plain_theme(run.fill_holder, palette)
                worst = (ratio / minimum, _Problem(message, colour, ratio, minimum, theme))
    return worst[1] if worst else None


def _shown(ratio: float) -> str:
    """A ratio as findings show it: rounded down, so 4.49:1 never reads as 4.5:1."""
    return f"{math.floor(ratio * 10) / 10:.1f}"


def _cause(
    slide: Slide, view: ShapeView, problem: _Problem, surface: Surface, palette: Palette
) -> Cause | None:
    """What in the template makes this text hard to read, if the template does."""
    on = _surface_name(surface)
    ratio = f"is {_shown(problem.ratio)}:1, needs {problem.minimum:g}:1"
    placeholder = view.placeholder
    if placeholder is not None and surface.template and not _sets_colour(view, palette):
        kind = PLACEHOLDER_KINDS.get(placeholder.type, "placeholder")
        return Cause(
            f"{kind} text colour #{problem.text.hex} on {on} {ratio}",
            f"change the {kind} placeholders' text colour in {_coloured_in(slide, view)} "
            f"{MASTER_VIEW}",
        )
    if problem.theme and (surface.template or surface.theme):
        name = SLOT_NAMES.get(problem.theme, problem.theme)
        role = ROLE_OF_SLOT.get(problem.theme)
        used = f" (deckgen's {role.name.lower()} text)" if role is not None else ""
        return Cause(
            f"theme colour {name} #{problem.text.hex}{used} on {on} {ratio}",
            f"change {name} in the template's theme colours (Design › Variants › Colors) so "
            f"it reads on {on}",
        )
    return None


def _surface_name(surface: Surface) -> str:
    if surface.theme:
        return f"{SLOT_NAMES.get(surface.theme, surface.theme)} #{surface.hex}"
    return "white" if surface.hex == WHITE_HEX else f"#{surface.hex}"


def _plain_theme(holder: Element | None, palette: Palette) -> str:
    """The theme slot ("accent4") of a fill in one theme colour as it stands (no tint, shade or
    other change), "" otherwise."""
    if holder is None:
        return ""
    fill = next((c for c in holder if local_name(c) in FILL_TAGS), None)
    if fill is None or local_name(fill) != "solidFill" or len(fill) != 1:
        return ""
    colour = fill[0]
    if local_name(colour) != "schemeClr" or len(colour):
        return ""
    value = str(colour.get("val") or "")
    return palette.color_map.get(value, value)


def _theme_of(view: ShapeView) -> str:
    """The theme slot of a shape's own fill, when one plain theme colour (a deckgen panel)."""
    properties = view.properties
    if properties is None or view.kind != "sp":
        return ""
    fill = next((c for c in properties if local_name(c) in FILL_TAGS), None)
    if fill is None or local_name(fill) != "solidFill" or len(fill) != 1:
        return ""
    colour = fill[0]
    if local_name(colour) != "schemeClr" or len(colour):
        return ""
    return str(colour.get("val") or "")


def _sets_colour(view: ShapeView, palette: Palette) -> bool:
    """Whether the slide's own placeholder colours its text, rather than its layout or master:
    a run's or paragraph's colour, or a list style of its own whose colours differ from the
    layout's (deckgen copies the layout's footer style onto each slide, LibreOffice asks it)."""
    body = view.text_body
    if body is None:
        return False
    for paragraph in body.iterfind(A_P):
        for child in paragraph:
            holder = child.find(A_DEF_RPR) if child.tag == A_PPR else child.find(A_RPR)
            if child.tag.endswith("endParaRPr"):
                holder = child
            if holder is not None and palette.fill(holder).kind is not FillKind.UNSET:
                return True
    own = body.find(A_LST_STYLE)
    if own is None or not len(own):
        return False
    layout = view.inherited[0].find(f"{qn('p:txBody')}/{A_LST_STYLE}") if view.inherited else None
    for tag in LEVEL_TAGS:
        mine = _level_colour(own, tag, palette)
        if mine is not None and mine != _level_colour(layout, tag, palette):
            return True
    return False


def _level_colour(style: Element | None, tag: str, palette: Palette) -> str | None:
    level = style.find(tag) if style is not None else None
    defaults = level.find(A_DEF_RPR) if level is not None else None
    fill = palette.fill(defaults) if defaults is not None else None
    if fill is None or fill.kind is FillKind.UNSET:
        return None
    return fill.color.hex if fill.color is not None else fill.kind.value


def _coloured_in(slide: Slide, view: ShapeView) -> str:
    """Where the template sets a placeholder's text colour: its layouts, its master, or both."""
    layout_root = slide.layout.root if slide.layout is not None else None
    places = []
    for element in view.inherited:
        style = element.find(f"{qn('p:txBody')}/{A_LST_STYLE}")
        level = style.find(LEVEL_TAGS[0]) if style is not None else None
        defaults = level.find(A_DEF_RPR) if level is not None else None
        if defaults is None or not any(local_name(c) in FILL_TAGS for c in defaults):
            continue
        places.append("layouts" if element.getroottree().getroot() is layout_root else "master")
    if "layouts" in places and "master" in places:
        return "the slide master and its layouts"
    if "layouts" in places:
        return "the slide layouts"
    if "master" in places:
        return "the slide master"
    return "the slide master's text styles"


def _layout_name(slide: Slide) -> str:
    data = slide.layout.root.find(qn("p:cSld")) if slide.layout is not None else None
    return str(data.get("name") or "") if data is not None else ""


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
        self.below = len(below)  # the first shapes of the stack are the template's
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
        self,
        fill: Fill,
        index: int,
        point: tuple[float, float],
        description: str,
        template: bool = False,
        theme: str = "",
    ) -> Surface | None:
        """The opaque colour `fill` shows at `point`, blended over what lies beneath it."""
        if fill.kind is FillKind.UNKNOWN:
            return None
        if fill.kind is not FillKind.SOLID or fill.color is None:
            return self.behind(index, point)
        slot = self.palette.color_map.get(theme, theme) if theme else ""
        if fill.color.alpha >= 1:
            return Surface(fill.color, description, template, slot)
        below = self.behind(index, point)
        if below is None:
            return None
        return Surface(fill.color.over(below.color), description, template and below.template)

    def behind(self, index: int, point: tuple[float, float]) -> Surface | None:
        for position in range(index - 1, -1, -1):
            view, fill = self.stack[position]
            if fill.kind is FillKind.NONE or view.box is None or view.kind not in DRAWN_BEHIND:
                continue
            if contains(view.box, *point):
                template = position < self.below
                return self.surface(
                    fill, position, point, f"'{view.name}'", template, _theme_of(view)
                )
        return self.background


def _background(slide: Slide, palette: Palette) -> Surface | None:
    """The slide's background: its own, else its layout's, else its master's, else white."""
    roots = (
        slide.root,
        slide.layout.root if slide.layout else None,
        slide.master.root if slide.master else None,
    )
    for number, root in enumerate(roots):
        background = root.find(f"{qn('p:cSld')}/{qn('p:bg')}") if root is not None else None
        if background is None:
            continue
        template = number > 0  # the layout's or the master's
        properties = background.find(qn("p:bgPr"))
        if properties is not None:
            fill = palette.fill(properties)
        else:
            fill = palette.style_fill(background.find(qn("p:bgRef")))
        if fill.kind is FillKind.UNKNOWN:
            return None
        if fill.kind is FillKind.SOLID and fill.color is not None:
            return Surface(fill.color.over(WHITE), BACKGROUND, template)
        return Surface(WHITE, BACKGROUND, template)
    return Surface(WHITE, BACKGROUND, True)
