"""Resolve a paragraph's and a run's properties as PowerPoint does, through the style chain.

A property not set on the run comes from the paragraph's defRPr, then the shape's own list
style at the paragraph's level, then (placeholders) the matching layout and master
placeholders' list styles and the master's title, body or other text style, then the
presentation's default text style, then PowerPoint's built-in default (18 pt, tx1). Text boxes
and table cells are not placeholders: they skip the layout and master and read the
presentation's default text style, as PowerPoint does (a text box does not take the master's
otherStyle). A shape's theme style (p:style fontRef) and a table's style sit between the
shape's own list style and the defaults.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from deckgen.checks.colors import FILL_TAGS
from deckgen.checks.deck import Deck, Slide
from deckgen.checks.ooxml import Element, bool_attr, int_attr, local_name, qn
from deckgen.checks.shapes import ShapeView
from deckgen.specs import Emu

DEFAULT_SIZE = 18.0  # points, when nothing in the chain gives a size
HUNDREDTHS = 100  # sz, spcPts: hundredths of a point
PERCENT = 100_000  # spcPct: thousandths of a percent
LEVELS = 9
DEFAULT_INSETS = (Emu(91_440), Emu(91_440), Emu(45_720), Emu(45_720))  # left, right, top, bottom
HORIZONTAL = "horz"
CAPS = frozenset({"all", "small"})
TEXT_STYLE_OF = {
    "title": "titleStyle",
    "ctrTitle": "titleStyle",
    "body": "bodyStyle",
    "subTitle": "bodyStyle",
    "obj": "bodyStyle",
}
OTHER_STYLE = "otherStyle"
THEME_FONT_PREFIXES = {"+mj": "major", "+mn": "minor"}


@dataclass(frozen=True)
class Layer:
    """One link of the chain: a list style (by level) and/or level-independent run defaults."""

    list_style: Element | None = None
    run_defaults: Element | None = None


@dataclass(frozen=True)
class Spacing:
    """Line or paragraph spacing: a multiple of single spacing, or exact points."""

    lines: float | None = None
    points: float | None = None


@dataclass(frozen=True)
class RunStyle:
    text: str
    size: float  # points
    bold: bool
    italic: bool
    typeface: str
    fill_holder: Element  # the element whose fill child colours the text


@dataclass(frozen=True)
class ParagraphStyle:
    runs: tuple[RunStyle, ...]
    margin_left: Emu
    margin_right: Emu
    indent: Emu
    line_spacing: Spacing
    space_before: Spacing
    space_after: Spacing

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class BodyProps:
    insets: tuple[Emu, Emu, Emu, Emu]  # left, right, top, bottom
    wrap: bool
    vertical: bool


def _default_text_colour() -> Element:
    holder = etree.Element(qn("a:rPr"))
    fill = etree.SubElement(holder, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:schemeClr"), val="tx1")
    return holder


TEXT_COLOUR_DEFAULT = _default_text_colour()


def run_defaults(
    bold: bool | None, italic: bool | None, typeface: str, colour: Element | None
) -> Element | None:
    """Run properties made from a shape's or table's style, as one more link of the chain."""
    if bold is None and italic is None and not typeface and colour is None:
        return None
    holder = etree.Element(qn("a:rPr"))
    if bold is not None:
        holder.set("b", "1" if bold else "0")
    if italic is not None:
        holder.set("i", "1" if italic else "0")
    if colour is not None:
        etree.SubElement(holder, qn("a:solidFill")).append(copy.deepcopy(colour))
    if typeface:
        etree.SubElement(holder, qn("a:latin"), typeface=typeface)
    return holder


@dataclass(frozen=True)
class StyleChain:
    """Where a text body's unset properties come from, nearest first."""

    layers: tuple[Layer, ...]
    major_font: str
    minor_font: str

    def paragraphs(self, body: Element | None) -> list[ParagraphStyle]:
        if body is None:
            return []
        return [self._paragraph(p) for p in body.iterfind(qn("a:p"))]

    def _paragraph(self, paragraph: Element) -> ParagraphStyle:
        p_pr = paragraph.find(qn("a:pPr"))
        level = min(max(int_attr(p_pr, "lvl", 0), 0), LEVELS - 1)
        tag = qn(f"a:lvl{level + 1}pPr")
        paragraph_props: list[Element] = [p_pr] if p_pr is not None else []
        run_props: list[Element] = []
        if p_pr is not None and p_pr.find(qn("a:defRPr")) is not None:
            run_props.append(p_pr.find(qn("a:defRPr")))
        for layer in self.layers:
            level_props = layer.list_style.find(tag) if layer.list_style is not None else None
            if level_props is not None:
                paragraph_props.append(level_props)
                if level_props.find(qn("a:defRPr")) is not None:
                    run_props.append(level_props.find(qn("a:defRPr")))
            if layer.run_defaults is not None:
                run_props.append(layer.run_defaults)
        runs = []
        for child in paragraph:
            name = local_name(child)
            if name in ("r", "fld", "br"):
                text = "\n" if name == "br" else (child.findtext(qn("a:t")) or "")
                runs.append(self._run(child.find(qn("a:rPr")), run_props, text))
        if not any(r.text for r in runs):
            runs = [self._run(paragraph.find(qn("a:endParaRPr")), run_props, "")]
        return ParagraphStyle(
            runs=tuple(runs),
            margin_left=Emu(_first_int(paragraph_props, "marL", 0)),
            margin_right=Emu(_first_int(paragraph_props, "marR", 0)),
            indent=Emu(_first_int(paragraph_props, "indent", 0)),
            line_spacing=_spacing(paragraph_props, "lnSpc", Spacing(lines=1.0)),
            space_before=_spacing(paragraph_props, "spcBef", Spacing(points=0.0)),
            space_after=_spacing(paragraph_props, "spcAft", Spacing(points=0.0)),
        )

    def _run(self, r_pr: Element | None, inherited: Sequence[Element], text: str) -> RunStyle:
        chain = ([r_pr] if r_pr is not None else []) + list(inherited)
        size = _first_int(chain, "sz", round(DEFAULT_SIZE * HUNDREDTHS)) / HUNDREDTHS
        caps = next((str(e.get("cap")) for e in chain if e.get("cap") is not None), "none")
        return RunStyle(
            text=text.upper() if caps in CAPS else text,
            size=size,
            bold=_first_bool(chain, "b"),
            italic=_first_bool(chain, "i"),
            typeface=self._typeface(chain),
            fill_holder=next(
                (e for e in chain if any(local_name(c) in FILL_TAGS for c in e)),
                TEXT_COLOUR_DEFAULT,
            ),
        )

    def _typeface(self, chain: Sequence[Element]) -> str:
        for element in chain:
            latin = element.find(qn("a:latin"))
            typeface = latin.get("typeface") if latin is not None else None
            if typeface:
                return self._theme_font(str(typeface))
        return self.minor_font

    def _theme_font(self, typeface: str) -> str:
        which = THEME_FONT_PREFIXES.get(typeface[:3]) if typeface.startswith("+") else None
        if which is None:
            return typeface
        return self.major_font if which == "major" else self.minor_font


def _first_int(chain: Sequence[Element], name: str, default: int) -> int:
    for element in chain:
        if element.get(name) is not None:
            return int_attr(element, name, default)
    return default


def _first_bool(chain: Sequence[Element], name: str) -> bool:
    for element in chain:
        value = bool_attr(element, name)
        if value is not None:
            return value
    return False


def _spacing(chain: Sequence[Element], tag: str, default: Spacing) -> Spacing:
    for element in chain:
        holder = element.find(qn(f"a:{tag}"))
        if holder is None:
            continue
        percent = holder.find(qn("a:spcPct"))
        if percent is not None:
            return Spacing(lines=int_attr(percent, "val", PERCENT) / PERCENT)
        points = holder.find(qn("a:spcPts"))
        if points is not None:
            return Spacing(points=int_attr(points, "val", 0) / HUNDREDTHS)
    return default


def shape_chain(view: ShapeView, slide: Slide, deck: Deck) -> StyleChain:
    """The chain of a shape's text: its own list style, its theme style, then placeholders'
    or the presentation's defaults."""
    layers = [Layer(list_style=_list_style(view.element))]
    font_ref = view.element.find(f"{qn('p:style')}/{qn('a:fontRef')}")
    if font_ref is not None:
        which = font_ref.get("idx")
        typeface = {"major": "+mj-lt", "minor": "+mn-lt"}.get(str(which), "")
        colour = next((c for c in font_ref), None)
        layers.append(Layer(run_defaults=run_defaults(None, None, typeface, colour)))
    if view.placeholder is not None:
        layers.extend(Layer(list_style=_list_style(e)) for e in view.inherited)
        master = slide.master
        if master is not None:
            bucket = TEXT_STYLE_OF.get(view.placeholder.type, OTHER_STYLE)
            layers.append(Layer(list_style=master.text_style(bucket)))
    layers.append(Layer(list_style=deck.default_text_style))
    theme = slide.theme
    return StyleChain(tuple(layers), theme.major_font, theme.minor_font)


def cell_chain(cell: Element, table_style: Element | None, slide: Slide, deck: Deck) -> StyleChain:
    """The chain of a table cell's text: its own list style, the table style, the defaults."""
    body = cell.find(qn("a:txBody"))
    own = body.find(qn("a:lstStyle")) if body is not None else None
    layers = [Layer(list_style=own)]
    if table_style is not None:
        layers.append(Layer(run_defaults=table_style))
    layers.append(Layer(list_style=deck.default_text_style))
    theme = slide.theme
    return StyleChain(tuple(layers), theme.major_font, theme.minor_font)


def _list_style(shape: Element) -> Element | None:
    body = shape.find(qn("p:txBody"))
    return body.find(qn("a:lstStyle")) if body is not None else None


def body_props(view: ShapeView) -> BodyProps:
    """Insets, wrapping and direction of a shape's text, inherited for placeholders."""
    chain = [e.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}") for e in (view.element, *view.inherited)]
    present = [e for e in chain if e is not None]
    insets = tuple(
        Emu(_first_int(present, name, default))
        for name, default in zip(("lIns", "rIns", "tIns", "bIns"), DEFAULT_INSETS, strict=True)
    )
    wrap = next((str(e.get("wrap")) for e in present if e.get("wrap") is not None), "square")
    vert = next((str(e.get("vert")) for e in present if e.get("vert") is not None), HORIZONTAL)
    left, right, top, bottom = insets
    return BodyProps((left, right, top, bottom), wrap != "none", vert != HORIZONTAL)


def cell_insets(cell: Element) -> tuple[Emu, Emu, Emu, Emu]:
    """A table cell's margins (tcPr marL/marR/marT/marB), PowerPoint's defaults otherwise."""
    tc_pr = cell.find(qn("a:tcPr"))
    return tuple(  # type: ignore[return-value]
        Emu(int_attr(tc_pr, name, default))
        for name, default in zip(("marL", "marR", "marT", "marB"), DEFAULT_INSETS, strict=True)
    )
