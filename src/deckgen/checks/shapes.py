"""A slide's shapes in reading order, each with its box on the slide and what it inherits.

Shapes inside groups are placed through the groups' child transforms (chOff/chExt mapped onto
off/ext), so a child's box is where PowerPoint draws it. A placeholder without a position of its
own takes the one of the layout placeholder it matches, else the master's, as PowerPoint does.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from deckgen.checks.deck import Slide
from deckgen.checks.ooxml import Element, int_attr, local_name, qn
from deckgen.identity import unmarked_name
from deckgen.specs import Box, Emu

SHAPE_KINDS = frozenset({"sp", "pic", "graphicFrame", "grpSp", "cxnSp", "contentPart"})
# A layout or slide placeholder of these types inherits from the master's placeholder of the
# type given (the master has one title, body, date, footer and slide-number placeholder).
MASTER_TYPE = {
    "ctrTitle": "title",
    "subTitle": "body",
    "obj": "body",
    "chart": "body",
    "tbl": "body",
    "clipArt": "body",
    "dgm": "body",
    "media": "body",
    "pic": "body",
}
ALTERNATIVES = frozenset({"Choice", "Fallback"})  # mc:AlternateContent's branches
TITLE_TYPES = frozenset({"title", "ctrTitle"})
FOOTER_TYPES = frozenset({"dt", "ftr", "sldNum"})
DEFAULT_PLACEHOLDER_TYPE = "obj"  # ST_PlaceholderType's default
DEGREE = 60_000  # DrawingML angles are in 60,000ths of a degree


@dataclass(frozen=True)
class Placeholder:
    type: str
    idx: int

    @property
    def is_title(self) -> bool:
        return self.type in TITLE_TYPES

    @property
    def is_footer(self) -> bool:
        return self.type in FOOTER_TYPES


Placeholders = list[tuple[Element, Placeholder]]  # a shape tree's placeholders, in order


@dataclass(frozen=True)
class ShapeView:
    """One shape as drawn: its element, name, place in reading order and box on the slide."""

    element: Element
    kind: str  # sp, pic, graphicFrame, grpSp, cxnSp, contentPart
    name: str
    order: int
    box: Box | None  # None when neither the shape nor what it inherits gives a position
    rotation: float  # degrees clockwise
    placeholder: Placeholder | None
    inherited: tuple[Element, ...]  # the layout's, then the master's placeholder it matches
    group: Element | None  # the group it sits in

    @property
    def properties(self) -> Element | None:
        """spPr (grpSpPr for a group)."""
        tag = "p:grpSpPr" if self.kind == "grpSp" else "p:spPr"
        return self.element.find(qn(tag))

    @property
    def text_body(self) -> Element | None:
        return self.element.find(qn("p:txBody"))

    @property
    def non_visual(self) -> Element | None:
        """cNvPr: the name, alt text and decorative flag."""
        holder = self.element[0] if len(self.element) else None
        return holder.find(qn("p:cNvPr")) if holder is not None else None

    def graphic_data(self) -> Element | None:
        return self.element.find(f"{qn('a:graphic')}/{qn('a:graphicData')}")


@dataclass(frozen=True)
class _Transform:
    """Child coordinates -> slide coordinates: scale, then shift."""

    scale_x: float = 1.0
    scale_y: float = 1.0
    shift_x: float = 0.0
    shift_y: float = 0.0

    def box(self, left: int, top: int, width: int, height: int) -> Box:
        return Box(
            Emu(round(self.shift_x + left * self.scale_x)),
            Emu(round(self.shift_y + top * self.scale_y)),
            Emu(round(width * self.scale_x)),
            Emu(round(height * self.scale_y)),
        )

    def into(self, xfrm: Element) -> _Transform:
        """The transform of a group's children, given the group's xfrm."""
        off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
        ch_off, ch_ext = xfrm.find(qn("a:chOff")), xfrm.find(qn("a:chExt"))
        width, height = int_attr(ext, "cx", 0), int_attr(ext, "cy", 0)
        child_w, child_h = int_attr(ch_ext, "cx", 0), int_attr(ch_ext, "cy", 0)
        sx = width / child_w if child_w else 1.0
        sy = height / child_h if child_h else 1.0
        dx = int_attr(off, "x", 0) - int_attr(ch_off, "x", 0) * sx
        dy = int_attr(off, "y", 0) - int_attr(ch_off, "y", 0) * sy
        return _Transform(
            self.scale_x * sx,
            self.scale_y * sy,
            self.shift_x + self.scale_x * dx,
            self.shift_y + self.scale_y * dy,
        )


def placeholder_of(element: Element) -> Placeholder | None:
    """The p:ph of a shape, with the type and index PowerPoint assumes when they are absent."""
    holder = element[0] if len(element) else None
    ph = holder.find(f"{qn('p:nvPr')}/{qn('p:ph')}") if holder is not None else None
    if ph is None:
        return None
    return Placeholder(str(ph.get("type") or DEFAULT_PLACEHOLDER_TYPE), int_attr(ph, "idx", 0))


def shape_tree(root: Element | None) -> Element | None:
    if root is None:
        return None
    return root.find(f"{qn('p:cSld')}/{qn('p:spTree')}")


def slide_shapes(slide: Slide) -> list[ShapeView]:
    """Every shape of a slide in reading order (groups before their children)."""
    layout = _placeholders(shape_tree(slide.layout.root) if slide.layout else None)
    master = _placeholders(shape_tree(slide.master.root) if slide.master else None)
    return list(_walk(shape_tree(slide.root), _Transform(), None, layout, master))


def backdrop_shapes(root: Element | None) -> list[ShapeView]:
    """The shapes a layout or master draws behind every slide: all but its placeholders."""
    return [
        view
        for view in _walk(shape_tree(root), _Transform(), None, [], [])
        if view.placeholder is None
    ]


def _walk(
    tree: Element | None,
    transform: _Transform,
    group: Element | None,
    layout: Placeholders,
    master: Placeholders,
    counter: list[int] | None = None,
) -> Iterator[ShapeView]:
    if tree is None:
        return
    counter = counter if counter is not None else [0]
    for element in _shape_elements(tree):
        kind = local_name(element)
        placeholder = placeholder_of(element)
        inherited = _inherited(placeholder, layout, master) if placeholder else ()
        xfrm = _xfrm(element, kind)
        if xfrm is None or xfrm.find(qn("a:off")) is None or xfrm.find(qn("a:ext")) is None:
            xfrm = next((x for x in (_xfrm(e, "sp") for e in inherited) if x is not None), None)
        box, rotation = None, 0.0
        if xfrm is not None and xfrm.find(qn("a:ext")) is not None:
            off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
            box = transform.box(
                int_attr(off, "x", 0),
                int_attr(off, "y", 0),
                int_attr(ext, "cx", 0),
                int_attr(ext, "cy", 0),
            )
            rotation = int_attr(xfrm, "rot", 0) / DEGREE
        holder = element[0] if len(element) else None
        c_nv_pr = holder.find(qn("p:cNvPr")) if holder is not None else None
        name = str(c_nv_pr.get("name") or "") if c_nv_pr is not None else ""
        name = unmarked_name(name)  # findings name a shape as the user knows it
        yield ShapeView(
            element, kind, name, counter[0], box, rotation, placeholder, inherited, group
        )
        counter[0] += 1
        if kind == "grpSp":
            inner = transform.into(xfrm) if xfrm is not None else transform
            yield from _walk(element, inner, element, layout, master, counter)


def _shape_elements(tree: Element) -> Iterator[Element]:
    """The shapes directly in a tree, in order; markup-compatibility wrappers (mc:Alternate-
    Content, used for newer kinds of shape) give the shapes of their first choice, as drawn."""
    for element in tree:
        name = local_name(element)
        if name in SHAPE_KINDS:
            yield element
        elif name == "AlternateContent":
            branch = next((c for c in element if local_name(c) in ALTERNATIVES), None)
            if branch is not None:
                yield from _shape_elements(branch)


def _xfrm(element: Element, kind: str) -> Element | None:
    if kind == "graphicFrame":
        return element.find(qn("p:xfrm"))
    tag = "p:grpSpPr" if kind == "grpSp" else "p:spPr"
    return element.find(f"{qn(tag)}/{qn('a:xfrm')}")


def _inherited(
    placeholder: Placeholder, layout: Placeholders, master: Placeholders
) -> tuple[Element, ...]:
    """The layout placeholder a slide placeholder matches (by index, else type), then the
    master's (by type)."""
    found: list[Element] = []
    layout_match = _match(layout, placeholder)
    if layout_match is not None:
        element, own = layout_match
        found.append(element)
        placeholder = own
    wanted = MASTER_TYPE.get(placeholder.type, placeholder.type)
    master_match = _find(master, lambda ph: MASTER_TYPE.get(ph.type, ph.type) == wanted)
    if master_match is not None:
        found.append(master_match[0])
    return tuple(found)


def _match(layout: Placeholders, placeholder: Placeholder) -> tuple[Element, Placeholder] | None:
    by_index = _find(layout, lambda ph: ph.idx == placeholder.idx)
    if by_index is not None:
        return by_index
    family = TITLE_TYPES if placeholder.is_title else frozenset({placeholder.type})
    return _find(layout, lambda ph: ph.type in family)


def _placeholders(tree: Element | None) -> Placeholders:
    """The placeholders directly in a layout's or master's shape tree, in order: read once per
    slide, not once per placeholder looked up."""
    if tree is None:
        return []
    found = []
    for element in tree:
        if local_name(element) in SHAPE_KINDS:
            ph = placeholder_of(element)
            if ph is not None:
                found.append((element, ph))
    return found


def _find(
    placeholders: Placeholders, wanted: Callable[[Placeholder], bool]
) -> tuple[Element, Placeholder] | None:
    return next((pair for pair in placeholders if wanted(pair[1])), None)


def bounds(view: ShapeView) -> Box | None:
    """The box a rotated shape covers on the slide (its own box when not rotated)."""
    box = view.box
    if box is None or not view.rotation % 180:
        return box
    turn = math.radians(view.rotation)
    cos, sin = abs(math.cos(turn)), abs(math.sin(turn))
    width = box.width * cos + box.height * sin
    height = box.width * sin + box.height * cos
    centre_x, centre_y = box.left + box.width / 2, box.top + box.height / 2
    return Box(
        Emu(round(centre_x - width / 2)),
        Emu(round(centre_y - height / 2)),
        Emu(round(width)),
        Emu(round(height)),
    )


def contains(box: Box, x: float, y: float) -> bool:
    return box.left <= x <= box.right and box.top <= y <= box.bottom


def centre(box: Box) -> tuple[float, float]:
    return box.left + box.width / 2, box.top + box.height / 2
