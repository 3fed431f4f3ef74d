"""The slide template (layouts/template.pptx): build it from a theme, and read back what it holds.

The template carries the design so that slide code does not: the theme's colours and fonts, the
title band, the footer band and four named layouts. Every position is computed from the slide
size and design.GRID, so a 4:3 template lays out as well as a 16:9 one. The planner never opens
the template itself: it asks `inspect_template` for a `PageGeometry`, which also works on a
user's own template as long as it has the layouts named in specs.REQUIRED_LAYOUTS.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.exc import PackageNotFoundError
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Length

from deckgen.archive import PRESENTATION, check_package
from deckgen.design import GRID, SAMPLE_FONT, SAMPLE_THEME, STYLES, Role, Style, TextStyle
from deckgen.errors import DeckgenError
from deckgen.output import write_atomic
from deckgen.render.xml import escape_text, quote_attr
from deckgen.specs import (
    EMU_PER_INCH,
    LAYOUT_BLANK,
    LAYOUT_COVER,
    LAYOUT_SECTION,
    LAYOUT_TITLE_ONLY,
    REQUIRED_LAYOUTS,
    Box,
    Emu,
    LayoutGeometry,
    PageGeometry,
    inches,
    points,
)

# -- the theme ------------------------------------------------------------------------------

THEME_SLOTS: tuple[str, ...] = tuple(SAMPLE_THEME)  # dk1 lt1 dk2 lt2 accent1..6 hlink folHlink
_WIDESCREEN = (Emu(12_192_000), Emu(6_858_000))  # PowerPoint's 16:9, 13.333 x 7.5 in
_SCREEN_4X3 = (inches(10), inches(7.5))  # the only size with a preset python-pptx starts from
_HEX = re.compile(r"[0-9A-Fa-f]{6}")


@dataclass(frozen=True)
class TemplateTheme:
    """What makes one organisation's template differ from another's: colours, fonts, page size."""

    name: str
    colors: dict[str, str]  # theme slot -> "RRGGBB"
    heading_font: str
    body_font: str
    width: Emu
    height: Emu

    def __post_init__(self) -> None:
        missing = [s for s in THEME_SLOTS if s not in self.colors]
        if missing:
            raise DeckgenError(f"theme {self.name!r} has no colour for {', '.join(missing)}")
        bad = [f"{s}={v!r}" for s, v in self.colors.items() if not _HEX.fullmatch(v)]
        if bad:
            raise DeckgenError(f"theme {self.name!r}: colours must be RRGGBB hex: {', '.join(bad)}")
        for label, font in (("heading", self.heading_font), ("body", self.body_font)):
            if not font.strip() or not font.isprintable():
                raise DeckgenError(
                    f"theme {self.name!r}: the {label} font name {font!r} is unusable"
                )
        if self.width <= 0 or self.height <= 0:
            raise DeckgenError(f"theme {self.name!r}: the slide size must be positive")


SAMPLE_TEMPLATE = TemplateTheme(
    name="deckgen",
    colors=dict(SAMPLE_THEME),
    heading_font=SAMPLE_FONT,
    body_font=SAMPLE_FONT,
    width=_WIDESCREEN[0],
    height=_WIDESCREEN[1],
)

# -- fixed values that make two builds byte-identical ------------------------------------------

CORE_TITLE = "deckgen template"
CORE_AUTHOR = "deckgen"
CORE_DATE = dt.datetime(2019, 7, 31, 0, 0, 0)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
ZIP_MODE = 0o644 << 16  # -rw-r--r--
SLIDE_NUMBER_FIELD_ID = "{6D3C1E52-0B7A-4C8E-9F1D-2A5B8C4E7F10}"  # any fixed GUID will do
PROMPT_LANG = "en-GB"

# -- decoration: everything else comes from design.GRID and design.STYLES --------------------

LINE_HEIGHT = 1.25  # a single line is 1.22 x the size in Calibri, 1.15 in Arial: some spare
RULE_WEIGHT = points(1)  # the rule under the title band
ACCENT_WEIGHT = points(4)  # the accent strip on the cover and section layouts
COVER_BAND_SHARE = 0.38  # share of the slide height the cover's navy band takes
COVER_GAP = inches(0.4)  # from the cover band to the title
SECTION_TITLE_BOTTOM = 0.56  # the section title sits on this share of the slide height
SECTION_RULE_COLUMNS = 2  # width of the accent rule under a section title, in grid columns
SECTION_BAR_WIDTH = inches(GRID.gutter)  # the navy bar down the section slide's left edge
TITLE_LINES = 2  # action titles are one or two lines
SUBTITLE_LINES = 3  # description, organisation, date
DATE_COLUMNS = 3  # the date sits centred over this many grid columns; footer and number share
BULLET_INDENT = inches(0.25)  # per outline level of the master's body style
BULLET_MARKERS = ("•", "–")  # alternate by level
LEVELS = range(1, 10)  # DrawingML list styles have nine levels


def _pct(value: float) -> int:
    """DrawingML percentages are in thousandths of a percent."""
    return round(value * 100_000)


def _hundredths(pt: float) -> int:
    """DrawingML font sizes and point spacing are in hundredths of a point."""
    return round(pt * 100)


def _text_height(style: Style, lines: int) -> Emu:
    """The height a box needs for `lines` lines of `style`, insets included."""
    text = points(style.size * LINE_HEIGHT * style.line_spacing * lines)
    return Emu(text + 2 * inches(GRID.text_inset_y))


# -- geometry --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    """The grid laid over one slide size: bands, columns and the boxes of each layout."""

    width: Emu
    height: Emu

    @property
    def content(self) -> Box:
        """Inside the margins, from the top margin to the footer band."""
        left, top = inches(GRID.margin_x), inches(GRID.margin_top)
        return Box(left, top, Emu(self.width - 2 * left), Emu(self.footer_band.top - top))

    @property
    def title_band(self) -> Box:
        c = self.content
        return Box(c.left, c.top, c.width, inches(GRID.title_height))

    @property
    def rule(self) -> Box:
        """A thin rule centred in the gap between the title band and the content."""
        band = self.title_band
        top = band.bottom + (inches(GRID.title_gap) - RULE_WEIGHT) // 2
        return Box(band.left, Emu(top), band.width, RULE_WEIGHT)

    @property
    def body(self) -> Box:
        band = self.title_band
        top = Emu(band.bottom + inches(GRID.title_gap))
        return Box(band.left, top, band.width, Emu(self.footer_band.top - top))

    @property
    def footer_band(self) -> Box:
        left, height = inches(GRID.margin_x), inches(GRID.footer_height)
        return Box(left, Emu(self.height - height), Emu(self.width - 2 * left), height)

    def columns(self, first: int, count: int, band: Box) -> Box:
        """Grid columns first..first+count-1 (0-based) across `band`."""
        gutter = inches(GRID.gutter)
        column = (self.content.width - (GRID.columns - 1) * gutter) / GRID.columns
        left = self.content.left + round(first * (column + gutter))
        width = round(count * column + (count - 1) * gutter)
        return Box(Emu(left), band.top, Emu(width), band.height)

    def footers(self) -> tuple[Box, Box, Box]:
        """Footer (left), date (centred on the slide) and slide number (right).

        The classification takes all the room left of the date, so a long one ("OFFICIAL-
        SENSITIVE - not for public distribution") stays on one line even at 4:3.
        """
        band, gutter = self.footer_band, inches(GRID.gutter)
        width = self.columns(0, DATE_COLUMNS, band).width
        date = Box(Emu(band.left + (band.width - width) // 2), band.top, width, band.height)
        footer = Box(band.left, band.top, Emu(date.left - gutter - band.left), band.height)
        number = Box(Emu(date.right + gutter), band.top, footer.width, band.height)
        return footer, date, number

    @property
    def cover_band(self) -> Box:
        return Box(Emu(0), Emu(0), self.width, Emu(round(self.height * COVER_BAND_SHARE)))

    @property
    def cover_strip(self) -> Box:
        return Box(Emu(0), self.cover_band.bottom, self.width, ACCENT_WEIGHT)

    @property
    def cover_title(self) -> Box:
        top = Emu(self.cover_strip.bottom + COVER_GAP)
        height = _text_height(STYLES[TextStyle.COVER_TITLE], TITLE_LINES)
        return Box(self.content.left, top, self.content.width, height)

    @property
    def cover_subtitle(self) -> Box:
        top = Emu(self.cover_title.bottom + inches(GRID.title_gap))
        height = _text_height(STYLES[TextStyle.COVER_SUBTITLE], SUBTITLE_LINES)
        return Box(self.content.left, top, self.content.width, height)

    @property
    def section_title(self) -> Box:
        height = _text_height(STYLES[TextStyle.SECTION_TITLE], TITLE_LINES)
        top = Emu(round(self.height * SECTION_TITLE_BOTTOM) - height)
        return Box(self.content.left, top, self.content.width, height)

    @property
    def section_bar(self) -> Box:
        """Inside the left margin, so it never meets the text."""
        return Box(Emu(0), Emu(0), SECTION_BAR_WIDTH, self.height)

    @property
    def section_rule(self) -> Box:
        title = self.section_title
        left = Emu(title.left + inches(GRID.text_inset))  # under the text, not the box edge
        top = Emu(title.bottom + inches(GRID.title_gap))
        width = self.columns(0, SECTION_RULE_COLUMNS, title).width
        return Box(left, top, width, ACCENT_WEIGHT)


# -- XML fragments ---------------------------------------------------------------------------

_NS = nsdecls("a", "r", "p")


def _xfrm(box: Box) -> str:
    return (
        f'<a:xfrm><a:off x="{box.left}" y="{box.top}"/>'
        f'<a:ext cx="{box.width}" cy="{box.height}"/></a:xfrm>'
    )


def _body_pr(anchor: str) -> str:
    """Text box insets from the grid, so placeholder text lines up with the deck's text boxes."""
    x, y = inches(GRID.text_inset), inches(GRID.text_inset_y)
    return (
        f'<a:bodyPr vert="horz" wrap="square" lIns="{x}" tIns="{y}" '
        f'rIns="{x}" bIns="{y}" rtlCol="0" anchor="{anchor}"><a:noAutofit/></a:bodyPr>'
    )


def _run_props(style: Style, font: str) -> str:
    """`<a:defRPr>` for a style; `font` is a theme font reference: "+mj" or "+mn"."""
    attrs = f' sz="{_hundredths(style.size)}" b="{int(style.bold)}" i="{int(style.italic)}"'
    if style.caps:
        attrs += ' cap="all"'
    fill = f'<a:solidFill><a:schemeClr val="{style.color.value}"/></a:solidFill>'
    fonts = (
        f'<a:latin typeface="{font}-lt"/><a:ea typeface="{font}-ea"/><a:cs typeface="{font}-cs"/>'
    )
    return f'<a:defRPr{attrs} kern="1200">{fill}{fonts}</a:defRPr>'


def _para_props(
    level: int,
    style: Style,
    font: str,
    *,
    align: str = "l",
    margin: int = 0,
    bullet: str = "",
) -> str:
    """`<a:lvlNpPr>` with children in schema order: lnSpc, spcBef, bullet, defRPr."""
    indent = f' marL="{margin}" indent="{-margin if bullet else 0}"'
    spacing = (
        f'<a:lnSpc><a:spcPct val="{_pct(style.line_spacing)}"/></a:lnSpc>'
        f'<a:spcBef><a:spcPts val="{_hundredths(style.space_before)}"/></a:spcBef>'
    )
    if bullet:
        marker = f'<a:buFont typeface="Arial"/><a:buChar char={quote_attr(bullet)}/>'
    else:
        marker = "<a:buNone/>"
    return (
        f'<a:lvl{level}pPr{indent} algn="{align}" rtl="0">{spacing}{marker}'
        f"{_run_props(style, font)}</a:lvl{level}pPr>"
    )


def _paragraph(text: str) -> str:
    if not text:
        return f'<a:p><a:endParaRPr lang="{PROMPT_LANG}"/></a:p>'
    return f'<a:p><a:r><a:rPr lang="{PROMPT_LANG}"/><a:t>{escape_text(text)}</a:t></a:r></a:p>'


@dataclass(frozen=True)
class _Placeholder:
    """One placeholder shape; on a layout, `box` None inherits the master's position."""

    kind: str  # ST_PlaceholderType: title, ctrTitle, subTitle, body, dt, ftr, sldNum
    name: str
    idx: int | None
    box: Box | None = None
    anchor: str = ""
    lst_style: str = ""
    text: str = ""

    def xml(self, shape_id: int) -> str:
        idx = "" if self.idx is None else f' idx="{self.idx}"'
        size = {"dt": ' sz="half"', "ftr": ' sz="quarter"', "sldNum": ' sz="quarter"'}
        ph = f'<p:ph type="{self.kind}"{size.get(self.kind, "")}{idx}/>'
        sp_pr = "<p:spPr/>"
        if self.box is not None:
            geom = '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            sp_pr = f"<p:spPr>{_xfrm(self.box)}{geom}</p:spPr>"
        body_pr = _body_pr(self.anchor) if self.anchor else "<a:bodyPr/>"
        if self.kind == "sldNum":
            paragraph = (
                f'<a:p><a:fld id="{SLIDE_NUMBER_FIELD_ID}" type="slidenum">'
                f'<a:rPr lang="{PROMPT_LANG}"/><a:t>‹#›</a:t></a:fld></a:p>'
            )
        else:
            paragraph = _paragraph(self.text)
        return (
            f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{escape_text(self.name)}"/>'
            f'<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>{ph}</p:nvPr></p:nvSpPr>'
            f"{sp_pr}<p:txBody>{body_pr}<a:lstStyle>{self.lst_style}</a:lstStyle>"
            f"{paragraph}</p:txBody></p:sp>"
        )


@dataclass(frozen=True)
class _Rect:
    """A decorative filled rectangle (band, strip, rule) in a theme colour."""

    name: str
    box: Box
    fill: Role

    def xml(self, shape_id: int) -> str:
        return (
            f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{escape_text(self.name)}"/>'
            '<p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
            f'<p:spPr>{_xfrm(self.box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            f'<a:solidFill><a:schemeClr val="{self.fill.value}"/></a:solidFill>'
            "<a:ln><a:noFill/></a:ln></p:spPr></p:sp>"
        )


_Shape = _Placeholder | _Rect


def _common_slide_data(name: str, shapes: list[_Shape], background: str = "") -> Any:
    """A `<p:cSld>` holding `shapes` in drawing order (decoration first, behind the text)."""
    group = (
        '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
        '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/>'
        '<a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>'
    )
    body = "".join(shape.xml(n) for n, shape in enumerate(shapes, start=2))
    name_attr = f" name={quote_attr(name)}" if name else ""
    return parse_xml(
        f"<p:cSld {_NS}{name_attr}>{background}<p:spTree>{group}{body}</p:spTree></p:cSld>"
    )


def _background(role: Role) -> str:
    return (
        f'<p:bg><p:bgPr><a:solidFill><a:schemeClr val="{role.value}"/></a:solidFill>'
        "<a:effectLst/></p:bgPr></p:bg>"
    )


_MASTER_BACKGROUND = '<p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg>'


def _footer_style(align: str) -> str:
    return _para_props(1, STYLES[TextStyle.FOOTER], "+mn", align=align)


def _title_style(style: TextStyle) -> str:
    """A layout's override of the master title style (size, spacing; colour from STYLES)."""
    return _para_props(1, STYLES[style], "+mj")


# -- master and layouts ------------------------------------------------------------------------

# Placeholder indices as PowerPoint writes them: the master numbers its own, layouts use 10+.
_MASTER_IDX = {"body": 1, "dt": 2, "ftr": 3, "sldNum": 4}
_LAYOUT_IDX = {"subTitle": 1, "dt": 10, "ftr": 11, "sldNum": 12}
_FOOTER_KINDS = (("ftr", "Footer", "l"), ("dt", "Date", "ctr"), ("sldNum", "Slide Number", "r"))


def _master_shapes(frame: _Frame) -> list[_Shape]:
    shapes: list[_Shape] = [
        _Placeholder(
            "title", "Title Placeholder", None, frame.title_band, "b", text="Action title"
        ),
        _Placeholder(
            "body",
            "Text Placeholder",
            _MASTER_IDX["body"],
            frame.body,
            "t",
            text="Click to edit Master text styles",
        ),
    ]
    for (kind, label, align), box in zip(_FOOTER_KINDS, frame.footers(), strict=True):
        shapes.append(
            _Placeholder(
                kind, f"{label} Placeholder", _MASTER_IDX[kind], box, "ctr", _footer_style(align)
            )
        )
    return shapes


def _layout_footers() -> list[_Shape]:
    """Footers on a layout: the position comes from the master, the style is repeated here.

    LibreOffice (7.4) draws a slide's footer (ftr) text unstyled and out of place unless the
    slide's own placeholder carries the list style; with it on the layout, the renderer can copy
    it from the placeholder it clones.
    """
    return [
        _Placeholder(
            kind, f"{label} Placeholder", _LAYOUT_IDX[kind], lst_style=_footer_style(align)
        )
        for kind, label, align in _FOOTER_KINDS
    ]


@dataclass(frozen=True)
class _LayoutPlan:
    name: str
    type: str  # ST_SlideLayoutType
    shapes: list[_Shape]
    background: str = ""


def _layout_plans(frame: _Frame) -> list[_LayoutPlan]:
    cover = _LayoutPlan(
        LAYOUT_COVER,
        "title",
        [
            _Rect("Cover Band", frame.cover_band, Role.PRIMARY),
            _Rect("Cover Strip", frame.cover_strip, Role.BENEFIT),
            _Placeholder(
                "ctrTitle",
                "Title",
                None,
                frame.cover_title,
                "b",
                _title_style(TextStyle.COVER_TITLE),
                "Deck title",
            ),
            _Placeholder(
                "subTitle",
                "Subtitle",
                _LAYOUT_IDX["subTitle"],
                frame.cover_subtitle,
                "t",
                _para_props(1, STYLES[TextStyle.COVER_SUBTITLE], "+mn"),
                "Organisation, date",
            ),
            *_layout_footers(),
        ],
    )
    section = _LayoutPlan(
        LAYOUT_SECTION,
        "secHead",
        [
            _Rect("Section Bar", frame.section_bar, Role.PRIMARY),
            _Rect("Section Rule", frame.section_rule, Role.BENEFIT),
            _Placeholder(
                "title",
                "Title",
                None,
                frame.section_title,
                "b",
                _title_style(TextStyle.SECTION_TITLE),
                "Section title",
            ),
            *_layout_footers(),
        ],
        _background(Role.PANEL),
    )
    title_only = _LayoutPlan(
        LAYOUT_TITLE_ONLY,
        "titleOnly",
        [
            _Rect("Title Rule", frame.rule, Role.SECONDARY),
            _Placeholder("title", "Title", None, text="Action title"),
            *_layout_footers(),
        ],
    )
    blank = _LayoutPlan(LAYOUT_BLANK, "blank", _layout_footers())
    return [cover, section, title_only, blank]


def _text_styles() -> Any:
    """The master's title and body styles: theme fonts, STYLES sizes and colours."""
    title = _para_props(1, STYLES[TextStyle.TITLE], "+mj")
    body = "".join(
        _para_props(
            level,
            STYLES[TextStyle.BULLET],
            "+mn",
            margin=BULLET_INDENT * level,
            bullet=BULLET_MARKERS[(level - 1) % len(BULLET_MARKERS)],
        )
        for level in LEVELS
    )
    other = "".join(
        _para_props(level, STYLES[TextStyle.BODY], "+mn", margin=BULLET_INDENT * (level - 1))
        for level in LEVELS
    )
    return parse_xml(
        f"<p:txStyles {_NS}><p:titleStyle>{title}</p:titleStyle>"
        f"<p:bodyStyle>{body}</p:bodyStyle><p:otherStyle>{other}</p:otherStyle></p:txStyles>"
    )


def _replace(parent: Any, tag: str, new: Any) -> None:
    old = parent.find(qn(tag))
    parent.replace(old, new)


# -- theme, properties and package ----------------------------------------------------------


def _theme_xml(blob: bytes, theme: TemplateTheme) -> bytes:
    """The default theme with this theme's name, colours (all srgbClr) and fonts."""
    root = parse_xml(blob)
    root.set("name", theme.name)
    scheme = root.find(f"{qn('a:themeElements')}/{qn('a:clrScheme')}")
    scheme.set("name", theme.name)
    for slot in THEME_SLOTS:
        element = scheme.find(qn(f"a:{slot}"))
        for child in list(element):
            element.remove(child)
        etree.SubElement(element, qn("a:srgbClr"), val=theme.colors[slot].upper())
    fonts = root.find(f"{qn('a:themeElements')}/{qn('a:fontScheme')}")
    fonts.set("name", theme.name)
    fonts.find(f"{qn('a:majorFont')}/{qn('a:latin')}").set("typeface", theme.heading_font)
    fonts.find(f"{qn('a:minorFont')}/{qn('a:latin')}").set("typeface", theme.body_font)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


_PRESENTATION_FORMAT = {_WIDESCREEN: "Widescreen", _SCREEN_4X3: "On-screen Show (4:3)"}


def _app_xml(blob: bytes, theme: TemplateTheme) -> bytes:
    """Extended properties that say what the package now is (its size and theme name)."""
    root = parse_xml(blob)
    ns = {"ep": root.nsmap[None], "vt": root.nsmap["vt"]}
    fmt = _PRESENTATION_FORMAT.get((theme.width, theme.height), "Custom")
    root.find("ep:PresentationFormat", ns).text = fmt
    root.find("ep:TitlesOfParts/vt:vector/vt:lpstr", ns).text = theme.name
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _set_core_properties(prs: Any) -> None:
    props = prs.core_properties
    props.title = CORE_TITLE
    props.author = CORE_AUTHOR
    props.last_modified_by = CORE_AUTHOR
    props.comments = ""
    props.subject = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = CORE_DATE
    props.modified = CORE_DATE


def _drop_thumbnail(prs: Any) -> None:
    """The default template's thumbnail shows a 4:3 slide that is not ours; only the package
    itself relates to a thumbnail."""
    package = prs.part.package
    for rel in list(package.iter_rels()):
        if rel.reltype == RT.THUMBNAIL:
            package.drop_rel(rel.rId)


def _deterministic_zip(data: bytes) -> bytes:
    """Rewrite a package with fixed member times and attributes, in python-pptx's order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = ZIP_MODE
            target.writestr(info, source.read(member.filename))
    return out.getvalue()


# -- build -------------------------------------------------------------------------------------

# The default template's layouts we keep (renamed and redrawn); the others are removed.
_KEEP = {
    "Title Slide": LAYOUT_COVER,
    "Section Header": LAYOUT_SECTION,
    "Title Only": LAYOUT_TITLE_ONLY,
    "Blank": LAYOUT_BLANK,
}


def build_template(path: Path, theme: TemplateTheme = SAMPLE_TEMPLATE) -> None:
    """Write a slide-less template with the theme and the four layouts the deck is built on."""
    frame = _Frame(theme.width, theme.height)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Length(theme.width), Length(theme.height)
    size = prs.element.find(qn("p:sldSz"))
    if (theme.width, theme.height) != _SCREEN_4X3:
        size.attrib.pop("type", None)  # no preset fits; absent means custom

    layouts = prs.slide_layouts
    for layout in list(layouts):
        if layout.name not in _KEEP:
            layouts.remove(layout)
    plans = {plan.name: plan for plan in _layout_plans(frame)}
    for number, layout in enumerate(layouts, start=1):
        plan = plans[_KEEP[layout.name]]
        layout.part.partname = PackURI(f"/ppt/slideLayouts/slideLayout{number}.xml")
        element = layout.element
        _replace(element, "p:cSld", _common_slide_data(plan.name, plan.shapes, plan.background))
        element.set("type", plan.type)
        element.set("preserve", "1")

    slide_list = prs.element.find(qn("p:sldIdLst"))
    if slide_list is not None and len(slide_list) == 0:
        prs.element.remove(slide_list)  # removing layouts asked for the (empty) slide list

    master = prs.slide_master.element
    _replace(master, "p:cSld", _common_slide_data("", _master_shapes(frame), _MASTER_BACKGROUND))
    _replace(master, "p:txStyles", _text_styles())

    theme_part = prs.slide_master.part.part_related_by(RT.THEME)
    theme_part.blob = _theme_xml(theme_part.blob, theme)
    for part in prs.part.package.iter_parts():
        if part.content_type == CT.OFC_EXTENDED_PROPERTIES:
            part.blob = _app_xml(part.blob, theme)
    _set_core_properties(prs)
    _drop_thumbnail(prs)

    buffer = io.BytesIO()
    prs.save(buffer)
    write_atomic(path, _deterministic_zip(buffer.getvalue()))


# -- inspect -----------------------------------------------------------------------------------

_BOX_OF: dict[PP_PLACEHOLDER, str] = {
    PP_PLACEHOLDER.TITLE: "title",
    PP_PLACEHOLDER.CENTER_TITLE: "title",
    PP_PLACEHOLDER.SUBTITLE: "subtitle",
    PP_PLACEHOLDER.FOOTER: "footer",
    PP_PLACEHOLDER.DATE: "date",
    PP_PLACEHOLDER.SLIDE_NUMBER: "slide_number",
}


TEMPLATE = replace(PRESENTATION, noun="template")


def open_template(path: Path) -> Any:
    """Open a template with python-pptx, or say in one line why it cannot be one."""
    if not path.exists():
        raise DeckgenError(f"{path}: template not found")
    if not path.is_file():
        raise DeckgenError(f"{path}: is not a file; give the path of a .pptx template")
    if zipfile.is_zipfile(path):
        check_package(path, TEMPLATE)  # a hostile template is refused before it is parsed
    reason = "it is not a zip package, as every .pptx is"
    if zipfile.is_zipfile(path):
        try:
            return Presentation(str(path))
        except (
            zipfile.BadZipFile,
            KeyError,
            ValueError,
            PackageNotFoundError,
            etree.XMLSyntaxError,
        ):
            reason = "it holds no PowerPoint presentation"
    raise DeckgenError(f"{path}: not a .pptx template ({reason}); save it from PowerPoint as .pptx")


def _all_layouts(prs: Any) -> dict[str, Any]:
    """Every layout of every master by name (the first of a name wins, as in PowerPoint's menu)."""
    found: dict[str, Any] = {}
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            found.setdefault(layout.name, layout)
    return found


def require_layouts(prs: Any, path: Path) -> dict[str, Any]:
    """Return the template's layouts by name; a missing required one is a one-line error."""
    found = _all_layouts(prs)
    missing = [name for name in REQUIRED_LAYOUTS if name not in found]
    if missing:
        names = ", ".join(repr(name) for name in missing)
        has = ", ".join(found) or "none"
        if len(missing) == 1:
            what, fix = f"no slide layout named {names}", "add one with that name"
        else:
            what, fix = f"no slide layouts named {names}", "add them with those names"
        raise DeckgenError(f"{path}: the template has {what} (it has: {has}); {fix}")
    return found


def _theme_root(prs: Any, path: Path) -> Any:
    try:
        blob = prs.slide_master.part.part_related_by(RT.THEME).blob
        return parse_xml(blob)
    except (KeyError, etree.XMLSyntaxError) as error:
        raise DeckgenError(f"{path}: the template's slide master has no readable theme") from error


def master_theme_colors(master: Any) -> dict[str, str]:
    """Theme slot -> RRGGBB of a slide master's theme ({} when it has no readable theme)."""
    try:
        return _theme_colors(parse_xml(master.part.part_related_by(RT.THEME).blob))
    except (KeyError, etree.XMLSyntaxError):
        return {}


def _theme_colors(theme: Any) -> dict[str, str]:
    """Slot -> RRGGBB for slots given as srgbClr or sysClr (with its last computed colour)."""
    colors: dict[str, str] = {}
    scheme = theme.find(f"{qn('a:themeElements')}/{qn('a:clrScheme')}")
    if scheme is None:
        return colors
    for slot in THEME_SLOTS:
        element = scheme.find(qn(f"a:{slot}"))
        if element is None or len(element) == 0:
            continue
        color = element[0]
        value = {qn("a:srgbClr"): color.get("val"), qn("a:sysClr"): color.get("lastClr")}.get(
            color.tag
        )
        if value and _HEX.fullmatch(value):
            colors[slot] = value.upper()
    return colors


def _theme_font(theme: Any, which: str) -> str:
    """The latin typeface of the major or minor font; the sample font when the theme has none."""
    latin = theme.find(
        f"{qn('a:themeElements')}/{qn('a:fontScheme')}/{qn(f'a:{which}')}/{qn('a:latin')}"
    )
    typeface = latin.get("typeface", "") if latin is not None else ""
    return str(typeface) or SAMPLE_FONT


def _layout_geometry(layout: Any) -> LayoutGeometry:
    """Placeholder boxes of one layout, each inheriting the master's position when it has none."""
    boxes: dict[str, Box] = {}
    for placeholder in layout.placeholders:
        key = _BOX_OF.get(placeholder.placeholder_format.type)
        if key is None or key in boxes:
            continue
        dims = (placeholder.left, placeholder.top, placeholder.width, placeholder.height)
        if any(d is None for d in dims):
            continue
        boxes[key] = Box(*(Emu(int(d)) for d in dims))
    return LayoutGeometry(
        name=layout.name,
        title=boxes.get("title"),
        subtitle=boxes.get("subtitle"),
        footer=boxes.get("footer"),
        date=boxes.get("date"),
        slide_number=boxes.get("slide_number"),
    )


# -- slide size -------------------------------------------------------------------------------

# ISO/IEC 29500 (ST_SlideSizeCoordinate): a slide is 1 to 56 inches on each side.
SLIDE_SIDE = (Emu(914_400), Emu(51_206_400))
MIN_CONTENT = 2.0  # inches of content each way, inside the page grid's margins and bands


def check_slide_size(path: Path, width: int, height: int) -> None:
    """Refuse a slide size that is zero, absurd, or too small for the page grid.

    The grid's margins, title band, source line and footer take a fixed part of the page
    (design.GRID); a page that leaves less than MIN_CONTENT inches for content cannot hold a
    slide of the deck, and a size outside the standard's range is damage, not design.
    """
    low, high = SLIDE_SIDE
    for side, size in (("width", width), ("height", height)):
        if not low <= size <= high:
            raise DeckgenError(
                f"{path}: the template's slide {side} is {size / EMU_PER_INCH:g} in; a slide "
                f"is {low / EMU_PER_INCH:g} to {high / EMU_PER_INCH:g} in (ISO/IEC 29500)"
            )
    bands = GRID.margin_top + GRID.title_height + GRID.title_gap
    bands += GRID.source_height + GRID.footer_height
    smallest = {
        "width": 2 * GRID.margin_x + (GRID.columns - 1) * GRID.gutter + MIN_CONTENT,
        "height": bands + MIN_CONTENT,
    }
    for side, size in (("width", width), ("height", height)):
        if size / EMU_PER_INCH < smallest[side]:
            raise DeckgenError(
                f"{path}: the template's slide is {width / EMU_PER_INCH:g} x "
                f"{height / EMU_PER_INCH:g} in, too small for a deck: its {side} must be at "
                f"least {smallest[side]:.2f} in"
            )


def inspect_template(path: Path) -> PageGeometry:
    """Read what the planner needs from a template: size, fonts, theme colours and layouts."""
    prs = open_template(path)
    layouts = require_layouts(prs, path)
    theme = _theme_root(prs, path)
    if prs.slide_width is None or prs.slide_height is None:
        raise DeckgenError(f"{path}: the template does not say its slide size")
    check_slide_size(path, int(prs.slide_width), int(prs.slide_height))
    return PageGeometry(
        width=Emu(int(prs.slide_width)),
        height=Emu(int(prs.slide_height)),
        heading_font=_theme_font(theme, "majorFont"),
        body_font=_theme_font(theme, "minorFont"),
        layouts={name: _layout_geometry(layout) for name, layout in layouts.items()},
        theme_colors=_theme_colors(theme),
    )
