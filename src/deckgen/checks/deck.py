"""Follow a presentation's relationships to its slides, layouts, masters, themes and notes.

Part names are never guessed ("slide3.xml" need not be the third slide): slides come from
presentation.xml's sldIdLst in order, and each slide's layout, master, theme and notes from
its relationships, as PowerPoint finds them. A relationship that leads nowhere is recorded as a
problem for the package rule, and the slide is still checked with what could be found.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from deckgen.archive import PackageError
from deckgen.checks.ooxml import Element, int_attr, qn
from deckgen.design import SLOT_OF
from deckgen.opc import Package
from deckgen.specs import Emu

OFFICE_FONT = "Calibri"  # Office's default theme font, for a deck whose theme names none
DEFAULT_SLIDE_SIZE = (Emu(9_144_000), Emu(6_858_000))  # 10 x 7.5 in, as sldSz defaults
THEME_SLOTS = (
    "dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4", "accent5",
    "accent6", "hlink", "folHlink",
)  # fmt: skip
DEFAULT_COLOR_MAP = {
    **SLOT_OF,
    **{f"accent{n}": f"accent{n}" for n in range(1, 7)},
    "hlink": "hlink",
    "folHlink": "folHlink",
}


@dataclass(frozen=True)
class Theme:
    """A theme's colour slots, fonts and the fill styles shapes and backgrounds refer to."""

    scheme: dict[str, Element] = field(default_factory=dict)  # slot -> its colour element
    major_font: str = OFFICE_FONT
    minor_font: str = OFFICE_FONT
    fill_styles: tuple[Element, ...] = ()
    background_fill_styles: tuple[Element, ...] = ()


@dataclass(frozen=True)
class Master:
    part: str
    root: Element
    theme: Theme
    color_map: dict[str, str]

    def text_style(self, bucket: str) -> Element | None:
        """titleStyle, bodyStyle or otherStyle of the master's txStyles."""
        return self.root.find(f"{qn('p:txStyles')}/{qn('p:' + bucket)}")


@dataclass(frozen=True)
class Layout:
    part: str
    root: Element
    master: Master | None


@dataclass(frozen=True)
class SlideRef:
    """Where one slide is, in presentation order, found from relationships alone: its part is
    parsed only when the slide's turn comes (Deck.load), so a large deck is never all in memory.
    """

    number: int
    part: str
    layout: Layout | None
    notes: str | None  # its notes slide's part
    problems: tuple[str, ...] = ()  # for a readable slide, they hold only if its part parses
    readable: bool = False  # its part is there and is XML (Deck.load tells whether it parses)


@dataclass(frozen=True)
class Slide:
    """One slide in presentation order, parsed."""

    number: int
    part: str
    root: Element
    layout: Layout | None
    notes: Element | None
    problems: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        data = self.root.find(qn("p:cSld"))
        return str(data.get("name") or "") if data is not None else ""

    @property
    def master(self) -> Master | None:
        return self.layout.master if self.layout is not None else None

    @property
    def color_map(self) -> dict[str, str]:
        """The slide's colour map: its own override, else its layout's, else the master's."""
        for root in (self.root, self.layout.root if self.layout else None):
            override = _color_map_override(root)
            if override is not None:
                return override
        return self.master.color_map if self.master is not None else dict(DEFAULT_COLOR_MAP)

    @property
    def theme(self) -> Theme:
        return self.master.theme if self.master is not None else Theme()


@dataclass(frozen=True)
class Deck:
    """The presentation: its size, its slides (located, not parsed), layouts, masters and the
    styles every slide shares."""

    package: Package
    width: Emu
    height: Emu
    slides: tuple[SlideRef, ...]
    default_text_style: Element | None
    table_styles: Element | None

    def load(self, ref: SlideRef) -> Slide | None:
        """The slide and its notes slide, parsed now; None when its part is missing or broken.
        Nothing keeps them: they go when the caller lets go of them."""
        root = self.package.part(ref.part) if ref.readable else None
        if root is None:
            return None
        notes = self.package.part(ref.notes) if ref.notes is not None else None
        return Slide(ref.number, ref.part, root, ref.layout, notes, ref.problems)


def load_deck(package: Package) -> Deck:
    """The deck as PowerPoint sees it; the package must hold a presentation (open_package)."""
    main = package.related("", "officeDocument")[0]
    presentation = package.part(main)
    if presentation is None:  # open_package refuses such a file; this keeps the types honest
        raise PackageError(package.path, f"the presentation part {main} cannot be read")
    size = presentation.find(qn("p:sldSz"))
    width = Emu(int_attr(size, "cx", DEFAULT_SLIDE_SIZE[0]))
    height = Emu(int_attr(size, "cy", DEFAULT_SLIDE_SIZE[1]))
    rels = package.relationships(main)
    masters: dict[str, Master | None] = {}
    layouts: dict[str, Layout | None] = {}
    slides: list[SlideRef] = []
    id_list = presentation.find(qn("p:sldIdLst"))
    entries = list(id_list.iterfind(qn("p:sldId"))) if id_list is not None else []
    for number, entry in enumerate(entries, start=1):
        rid = str(entry.get(qn("r:id")) or "")
        rel = rels.get(rid)
        if rel is None or rel.external or rel.kind != "slide":
            problem = f"its entry in presentation.xml ({rid or 'no r:id'}) points to no slide"
            slides.append(_missing(number, "", problem))
            continue
        slides.append(_slide(package, number, rel.target, layouts, masters))
    table_styles = package.related(main, "tableStyles")
    return Deck(
        package=package,
        width=width,
        height=height,
        slides=tuple(slides),
        default_text_style=presentation.find(qn("p:defaultTextStyle")),
        table_styles=package.part(table_styles[0]) if table_styles else None,
    )


def _missing(number: int, part: str, problem: str = "") -> SlideRef:
    """A slide that cannot be checked; a missing or broken part is the package rule's to report."""
    return SlideRef(number, part, None, None, (problem,) if problem else ())


def _slide(
    package: Package,
    number: int,
    part: str,
    layouts: dict[str, Layout | None],
    masters: dict[str, Master | None],
) -> SlideRef:
    stored = package.member(part)
    if stored is None:
        return _missing(number, part)
    if not package.may_parse(stored):
        return _missing(number, stored)
    problems: list[str] = []  # missing or broken targets are the package rule's to report
    layout = None
    targets = package.related(stored, "slideLayout")
    if not targets:
        problems.append("has no slide layout")
    else:
        if targets[0] not in layouts:
            layouts[targets[0]] = _layout(package, targets[0], masters)
        layout = layouts[targets[0]]
        if layout is not None and not package.related(layout.part, "slideMaster"):
            problems.append(f"its layout {layout.part} has no slide master")
    notes = package.related(stored, "notesSlide")  # of several, the last is the one read
    return SlideRef(number, stored, layout, notes[-1] if notes else None, tuple(problems), True)


def _layout(package: Package, part: str, masters: dict[str, Master | None]) -> Layout | None:
    root = package.part(part)
    if root is None:
        return None
    targets = package.related(part, "slideMaster")
    master = None
    if targets:
        if targets[0] not in masters:
            masters[targets[0]] = _master(package, targets[0])
        master = masters[targets[0]]
    return Layout(part, root, master)


def _master(package: Package, part: str) -> Master | None:
    root = package.part(part)
    if root is None:
        return None
    themes = package.related(part, "theme")
    theme_root = package.part(themes[0]) if themes else None
    theme = _theme(theme_root) if theme_root is not None else Theme()
    color_map = dict(DEFAULT_COLOR_MAP)
    mapping = root.find(qn("p:clrMap"))
    if mapping is not None:
        color_map.update({k: str(v) for k, v in mapping.attrib.items() if k in DEFAULT_COLOR_MAP})
    return Master(part, root, theme, color_map)


def _color_map_override(root: Element | None) -> dict[str, str] | None:
    if root is None:
        return None
    override = root.find(f"{qn('p:clrMapOvr')}/{qn('a:overrideClrMapping')}")
    if override is None:
        return None
    mapping = dict(DEFAULT_COLOR_MAP)
    mapping.update({k: str(v) for k, v in override.attrib.items() if k in DEFAULT_COLOR_MAP})
    return mapping


def _theme(root: Element) -> Theme:
    elements = root.find(qn("a:themeElements"))
    if elements is None:
        return Theme()
    scheme: dict[str, Element] = {}
    colors = elements.find(qn("a:clrScheme"))
    if colors is not None:
        for slot in THEME_SLOTS:
            holder = colors.find(qn(f"a:{slot}"))
            if holder is not None and len(holder):
                scheme[slot] = holder[0]
    fonts = elements.find(qn("a:fontScheme"))
    formats = elements.find(qn("a:fmtScheme"))
    return Theme(
        scheme=scheme,
        major_font=_font(fonts, "majorFont"),
        minor_font=_font(fonts, "minorFont"),
        fill_styles=_styles(formats, "fillStyleLst"),
        background_fill_styles=_styles(formats, "bgFillStyleLst"),
    )


def _font(fonts: Element | None, which: str) -> str:
    if fonts is None:
        return OFFICE_FONT
    latin = fonts.find(f"{qn('a:' + which)}/{qn('a:latin')}")
    typeface = latin.get("typeface") if latin is not None else None
    return str(typeface) if typeface else OFFICE_FONT


def _styles(formats: Element | None, which: str) -> tuple[Element, ...]:
    if formats is None:
        return ()
    styles = formats.find(qn(f"a:{which}"))
    return tuple(styles) if styles is not None else ()
