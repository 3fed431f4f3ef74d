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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from lxml import etree

from deckgen import autofit
from deckgen.autofit import NO_SHRINK, Shrink
from deckgen.checks.colors import FILL_TAGS
from deckgen.checks.deck import Deck, Slide
from deckgen.checks.ooxml import (
    A_DEF_RPR,
    A_END_PARA_RPR,
    A_LATIN,
    A_LST_STYLE,
    A_P,
    A_PPR,
    A_RPR,
    A_SPC_PCT,
    A_SPC_PTS,
    A_T,
    LEVEL_TAGS,
    P_TX_BODY,
    Element,
    bool_attr,
    int_attr,
    local_name,
    qn,
)
from deckgen.checks.shapes import ShapeView
from deckgen.specs import DEFAULT_INSETS, Emu

DEFAULT_SIZE = 18.0  # points, when nothing in the chain gives a size
HUNDREDTHS = 100  # sz, spcPts: hundredths of a point
DEFAULT_SIZE_HUNDREDTHS = round(DEFAULT_SIZE * HUNDREDTHS)
PERCENT = 100_000  # spcPct: thousandths of a percent
LEVELS = 9
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
MEMO_LIMIT = 10_000  # chains, or formattings in one chain, kept before starting afresh
RUN_KINDS = frozenset({"r", "fld", "br"})  # a paragraph's children that hold its text
A_LN_SPC, A_SPC_BEF, A_SPC_AFT = qn("a:lnSpc"), qn("a:spcBef"), qn("a:spcAft")


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


@dataclass(frozen=True, slots=True)
class RunFormat:
    """A run's resolved style without its text: what a chain resolves once per formatting."""

    size: float  # points
    bold: bool
    italic: bool
    typeface: str
    fill_holder: Element  # the element whose fill child colours the text
    caps: bool  # shown in capitals (already applied to a RunStyle's text)

    def with_text(self, text: str) -> RunStyle:
        shown = text.upper() if self.caps else text
        return RunStyle(
            self.size, self.bold, self.italic, self.typeface, self.fill_holder, False, shown
        )


@dataclass(frozen=True, slots=True)
class RunStyle(RunFormat):
    """A run as drawn: its format and its text."""

    text: str


@dataclass(frozen=True, slots=True)
class ParagraphLayout:
    """A paragraph's margins and spacing, shared by its format and its style."""

    margin_left: Emu
    margin_right: Emu
    indent: Emu
    line_spacing: Spacing
    space_before: Spacing
    space_after: Spacing


@dataclass(frozen=True, slots=True)
class ParagraphStyle(ParagraphLayout):
    """A paragraph as drawn: its layout and its runs with their text."""

    runs: tuple[RunStyle, ...]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class BodyProps:
    insets: tuple[Emu, Emu, Emu, Emu]  # left, right, top, bottom
    wrap: bool
    vertical: bool
    shrink: Shrink = NO_SHRINK  # the shape's own stored normAutofit shrink


def shrunk(paragraph: ParagraphStyle, shrink: Shrink) -> ParagraphStyle:
    """A paragraph as drawn under a stored autofit shrink: every run at `fontScale` of its
    size, lines closer by `lnSpcReduction`. Space before and after stay as they are (or scale
    with the size, when given in lines), so the height is never less than PowerPoint's."""
    if not shrink.shrinks:
        return paragraph
    spacing = paragraph.line_spacing
    if spacing.points is not None:
        spacing = Spacing(points=shrink.spacing_points(spacing.points))
    else:
        spacing = Spacing(lines=shrink.spacing(spacing.lines if spacing.lines is not None else 1))
    runs = tuple(replace(run, size=shrink.size(run.size)) for run in paragraph.runs)
    return replace(paragraph, runs=runs, line_spacing=spacing)


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


@dataclass(frozen=True, slots=True)
class _RunProps:
    """Run properties given so far along a chain; None where no link has given one yet."""

    size: int | None = None  # hundredths of a point
    cap: str | None = None
    bold: bool | None = None
    italic: bool | None = None
    typeface: str | None = None  # as written: "+mn-lt" is resolved against the theme last
    fill_holder: Element | None = None

    def overridden_by(self, element: Element) -> _RunProps:
        """These properties, with those `element` (an rPr or defRPr) gives taking precedence."""
        size, cap = element.get("sz"), element.get("cap")
        bold, italic = bool_attr(element, "b"), bool_attr(element, "i")
        latin = element.find(A_LATIN)
        typeface = latin.get("typeface") if latin is not None else None
        filled = any(local_name(child) in FILL_TAGS for child in element)
        return _RunProps(
            size=self.size if size is None else int_attr(element, "sz", DEFAULT_SIZE_HUNDREDTHS),
            cap=self.cap if cap is None else str(cap),
            bold=self.bold if bold is None else bold,
            italic=self.italic if italic is None else italic,
            typeface=str(typeface) if typeface else self.typeface,
            fill_holder=element if filled else self.fill_holder,
        )


@dataclass(frozen=True, slots=True)
class _Level:
    """What a chain gives every paragraph of one level, before the paragraph's own pPr."""

    margin_left: int
    margin_right: int
    indent: int
    line_spacing: Spacing
    space_before: Spacing
    space_after: Spacing
    runs: _RunProps


@dataclass(frozen=True, slots=True)
class _ParagraphFormat(ParagraphLayout):
    """A paragraph's resolved style without its text: one run format per run, or the end of
    paragraph's alone when no run has text."""

    runs: tuple[RunFormat, ...]


# A paragraph's formatting as written: its pPr, its runs' rPr, and its endParaRPr when no run has
# text, each serialised (None when absent), and whether any run has text. Equal keys resolve to
# equal styles in one chain.
FormatKey = tuple[bytes | None, tuple[bytes | None, ...], bytes | None, bool]


@dataclass
class _ChainMemo:
    """What one chain has resolved: by paragraph level, and by paragraph formatting."""

    levels: dict[int, _Level] = field(default_factory=dict)
    formats: dict[FormatKey, _ParagraphFormat] = field(default_factory=dict)


class StyleChain:
    """Where a text body's unset properties come from, nearest first.

    Resolving is done once per paragraph level and once per distinct paragraph formatting, and
    kept: a deck's table cells and footers share a few chains (StyleChains) and a handful of
    formattings, so their many thousand paragraphs cost a handful of walks down the chain.
    """

    def __init__(self, layers: tuple[Layer, ...], major_font: str, minor_font: str) -> None:
        self.layers = _effective(layers)
        self.major_font = major_font
        self.minor_font = minor_font
        self._memo = _ChainMemo()

    def paragraphs(self, body: Element | None) -> list[ParagraphStyle]:
        if body is None:
            return []
        return [self._paragraph(p) for p in body.iterfind(A_P)]

    def _paragraph(self, paragraph: Element) -> ParagraphStyle:
        p_pr = end = None
        r_prs: list[Element | None] = []
        texts: list[str] = []
        for child in paragraph:  # one pass: find() costs more than reading a few children
            tag = child.tag
            if tag == A_PPR:
                p_pr = child if p_pr is None else p_pr
            elif tag == A_END_PARA_RPR:
                end = child if end is None else end
            else:
                name = local_name(child)
                if name in RUN_KINDS:
                    r_pr, text = _run_parts(child)
                    r_prs.append(r_pr)
                    texts.append("\n" if name == "br" else text)
        has_text = any(texts)
        if has_text:
            end = None  # the end of paragraph's properties only count in an empty paragraph
        key = (
            serialised(p_pr),
            tuple(serialised(r_pr) for r_pr in r_prs),
            serialised(end),
            has_text,
        )
        found = self._memo.formats.get(key)
        if found is None:
            if len(self._memo.formats) >= MEMO_LIMIT:
                self._memo.formats.clear()
            # Resolved from copies, so that what is kept for later slides keeps no slide alive.
            found = self._memo.formats[key] = self._format(
                _detached(p_pr), [_detached(r_pr) for r_pr in r_prs], _detached(end), has_text
            )
        shown = (
            tuple(f.with_text(t) for f, t in zip(found.runs, texts, strict=True))
            if has_text
            else (found.runs[0].with_text(""),)
        )
        return ParagraphStyle(
            found.margin_left,
            found.margin_right,
            found.indent,
            found.line_spacing,
            found.space_before,
            found.space_after,
            shown,
        )

    def _level(self, index: int) -> _Level:
        found = self._memo.levels.get(index)
        if found is None:
            found = self._memo.levels[index] = _resolve_level(self.layers, index)
        return found

    def _format(
        self,
        p_pr: Element | None,
        r_prs: list[Element | None],
        end: Element | None,
        has_text: bool,
    ) -> _ParagraphFormat:
        """Resolve a paragraph's formatting through the chain: the pPr, then its level's."""
        level = self._level(min(max(int_attr(p_pr, "lvl", 0), 0), LEVELS - 1))
        inherited = level.runs
        if p_pr is not None:
            own_defaults = p_pr.find(A_DEF_RPR)
            if own_defaults is not None:
                inherited = inherited.overridden_by(own_defaults)
        if has_text:
            runs = tuple(self._run(r_pr, inherited) for r_pr in r_prs)
        else:
            runs = (self._run(end, inherited),)
        if p_pr is None:
            return _ParagraphFormat(
                Emu(level.margin_left),
                Emu(level.margin_right),
                Emu(level.indent),
                level.line_spacing,
                level.space_before,
                level.space_after,
                runs,
            )
        return _ParagraphFormat(
            runs=runs,
            margin_left=Emu(_own_int(p_pr, "marL", level.margin_left)),
            margin_right=Emu(_own_int(p_pr, "marR", level.margin_right)),
            indent=Emu(_own_int(p_pr, "indent", level.indent)),
            line_spacing=_own_spacing(p_pr, A_LN_SPC, None) or level.line_spacing,
            space_before=_own_spacing(p_pr, A_SPC_BEF, None) or level.space_before,
            space_after=_own_spacing(p_pr, A_SPC_AFT, None) or level.space_after,
        )

    def _run(self, r_pr: Element | None, inherited: _RunProps) -> RunFormat:
        props = inherited.overridden_by(r_pr) if r_pr is not None else inherited
        size = props.size if props.size is not None else DEFAULT_SIZE_HUNDREDTHS
        return RunFormat(
            size=size / HUNDREDTHS,
            bold=bool(props.bold),
            italic=bool(props.italic),
            typeface=self._theme_font(props.typeface) if props.typeface else self.minor_font,
            fill_holder=props.fill_holder if props.fill_holder is not None else TEXT_COLOUR_DEFAULT,
            caps=(props.cap if props.cap is not None else "none") in CAPS,
        )

    def _theme_font(self, typeface: str) -> str:
        which = THEME_FONT_PREFIXES.get(typeface[:3]) if typeface.startswith("+") else None
        if which is None:
            return typeface
        return self.major_font if which == "major" else self.minor_font


class StyleChains:
    """The style chains of one deck, each made once and known by what its layers say: the
    footers of a thousand slides share one chain, as do their table cells. A chain is made
    from copies of its layers, so keeping it keeps no slide in memory."""

    def __init__(self) -> None:
        self._chains: dict[tuple[object, ...], StyleChain] = {}

    def get(
        self,
        layers: tuple[Layer, ...],
        major_font: str,
        minor_font: str,
        markup: Callable[[Element | None], bytes | None],
    ) -> StyleChain:
        """The chain of `layers`; `markup` serialises an element (the caller may remember)."""
        used = _effective(layers)
        key = (
            tuple((markup(layer.list_style), markup(layer.run_defaults)) for layer in used),
            major_font,
            minor_font,
        )
        chain = self._chains.get(key)
        if chain is None:
            if len(self._chains) >= MEMO_LIMIT:
                self._chains.clear()
            copies = tuple(
                Layer(_detached(layer.list_style), _detached(layer.run_defaults)) for layer in used
            )
            chain = self._chains[key] = StyleChain(copies, major_font, minor_font)
        return chain


def _effective(layers: tuple[Layer, ...]) -> tuple[Layer, ...]:
    """The layers that give anything: an empty list style gives nothing at any level."""
    return tuple(
        layer
        for layer in layers
        if layer.run_defaults is not None
        or (layer.list_style is not None and len(layer.list_style))
    )


def _detached(element: Element | None) -> Element | None:
    """A copy of an element outside its document."""
    return copy.deepcopy(element) if element is not None else None


def _run_parts(run: Element) -> tuple[Element | None, str]:
    """A run's (or field's, or break's) rPr and text: its first a:rPr and a:t children."""
    r_pr = t = None
    for child in run:
        tag = child.tag
        if tag == A_RPR:
            r_pr = child if r_pr is None else r_pr
        elif tag == A_T:
            t = child if t is None else t
    return r_pr, (t.text or "") if t is not None else ""


def serialised(element: Element | None) -> bytes | None:
    """An element's markup, to tell formattings apart by what is written, not where."""
    return etree.tostring(element, with_tail=False) if element is not None else None


def _resolve_level(layers: tuple[Layer, ...], index: int) -> _Level:
    """Walk the chain once for paragraphs of level `index`: the first link giving a property
    wins."""
    tag = LEVEL_TAGS[index]
    paragraph_props: list[Element] = []
    run_props: list[Element] = []
    for layer in layers:
        level_props = layer.list_style.find(tag) if layer.list_style is not None else None
        if level_props is not None:
            paragraph_props.append(level_props)
            own_defaults = level_props.find(A_DEF_RPR)
            if own_defaults is not None:
                run_props.append(own_defaults)
        if layer.run_defaults is not None:
            run_props.append(layer.run_defaults)
    runs = _RunProps()
    for element in reversed(run_props):
        runs = runs.overridden_by(element)
    return _Level(
        margin_left=_first_int(paragraph_props, "marL", 0),
        margin_right=_first_int(paragraph_props, "marR", 0),
        indent=_first_int(paragraph_props, "indent", 0),
        line_spacing=_spacing(paragraph_props, A_LN_SPC, Spacing(lines=1.0)),
        space_before=_spacing(paragraph_props, A_SPC_BEF, Spacing(points=0.0)),
        space_after=_spacing(paragraph_props, A_SPC_AFT, Spacing(points=0.0)),
        runs=runs,
    )


def _first_int(chain: Sequence[Element], name: str, default: int) -> int:
    for element in chain:
        if element.get(name) is not None:
            return int_attr(element, name, default)
    return default


def _own_int(element: Element, name: str, inherited: int) -> int:
    """An integer the element gives (its default 0 when unreadable), else the inherited one."""
    return int_attr(element, name, 0) if element.get(name) is not None else inherited


def _spacing(chain: Sequence[Element], tag: str, default: Spacing) -> Spacing:
    for element in chain:
        spacing = _own_spacing(element, tag, None)
        if spacing is not None:
            return spacing
    return default


def _own_spacing(element: Element, tag: str, inherited: Spacing | None) -> Spacing | None:
    """The spacing an element's lnSpc, spcBef or spcAft (`tag`) gives, else the inherited one
    (an lnSpc with neither spcPct nor spcPts in it gives none)."""
    holder = element.find(tag)
    if holder is None:
        return inherited
    percent = holder.find(A_SPC_PCT)
    if percent is not None:
        return Spacing(lines=int_attr(percent, "val", PERCENT) / PERCENT)
    points = holder.find(A_SPC_PTS)
    if points is not None:
        return Spacing(points=int_attr(points, "val", 0) / HUNDREDTHS)
    return inherited


def shape_layers(view: ShapeView, slide: Slide, deck: Deck) -> tuple[Layer, ...]:
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
    return tuple(layers)


def cell_layers(body: Element | None, table_style: Element | None, deck: Deck) -> tuple[Layer, ...]:
    """The chain of a table cell's text (`body`, its txBody): its own list style, the table
    style, the defaults."""
    own = body.find(A_LST_STYLE) if body is not None else None
    layers = [Layer(list_style=own)]
    if table_style is not None:
        layers.append(Layer(run_defaults=table_style))
    layers.append(Layer(list_style=deck.default_text_style))
    return tuple(layers)


def _list_style(shape: Element) -> Element | None:
    body = shape.find(P_TX_BODY)
    return body.find(A_LST_STYLE) if body is not None else None


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
    # A stored shrink belongs to the shape's own text: a layout's is for its prompt text.
    return BodyProps(
        (left, right, top, bottom), wrap != "none", vert != HORIZONTAL, autofit.read(chain[0])
    )


def cell_insets(tc_pr: Element | None) -> tuple[Emu, Emu, Emu, Emu]:
    """A table cell's margins (its tcPr's marL/marR/marT/marB), PowerPoint's defaults
    otherwise."""
    left, right, top, bottom = DEFAULT_INSETS
    if tc_pr is None:
        return DEFAULT_INSETS
    return (
        Emu(int_attr(tc_pr, "marL", left)),
        Emu(int_attr(tc_pr, "marR", right)),
        Emu(int_attr(tc_pr, "marT", top)),
        Emu(int_attr(tc_pr, "marB", bottom)),
    )
