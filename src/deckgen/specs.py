"""Plain slide specs: what each slide shows and where, as data. No pptx, no workbook.

Slide builders produce these from the deck definition and the model; the renderer is the only
code that turns them into PowerPoint. Lengths are EMU (914,400 to the inch), typed as `Emu`.
Every text already holds its final words and its final point size: the renderer draws, it
does not decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import NewType

from deckgen.design import Role, TextStyle

Emu = NewType("Emu", int)
EMU_PER_INCH = 914_400
EMU_PER_POINT = 12_700


def inches(value: float) -> Emu:
    return Emu(round(value * EMU_PER_INCH))


def points(value: float) -> Emu:
    return Emu(round(value * EMU_PER_POINT))


def to_inches(value: int) -> float:
    return value / EMU_PER_INCH


@dataclass(frozen=True)
class Box:
    left: Emu
    top: Emu
    width: Emu
    height: Emu

    @property
    def right(self) -> Emu:
        return Emu(self.left + self.width)

    @property
    def bottom(self) -> Emu:
        return Emu(self.top + self.height)

    def inset(self, dx: Emu, dy: Emu) -> Box:
        return Box(
            Emu(self.left + dx),
            Emu(self.top + dy),
            Emu(max(self.width - 2 * dx, 0)),
            Emu(max(self.height - 2 * dy, 0)),
        )


# -- page geometry, read from the template by the renderer ---------------------------------


DEFAULT_INSETS = (Emu(91_440), Emu(91_440), Emu(45_720), Emu(45_720))  # PowerPoint's


@dataclass(frozen=True)
class PlaceholderText:
    """How a template's placeholder sets the text put into it, resolved as PowerPoint resolves
    it (layout, master, the master's text styles, the presentation's defaults): what the
    planner must measure a title or footer with to agree with the check."""

    font: str  # the typeface, theme fonts resolved ("Cambria")
    size: float  # points, the template's own
    bold: bool = False
    italic: bool = False
    caps: bool = False
    insets: tuple[Emu, Emu, Emu, Emu] = DEFAULT_INSETS  # left, right, top, bottom
    wrap: bool = True
    margins: Emu = Emu(0)  # the paragraph's left and right margins and first-line indent
    line_spacing: float = 1.0  # a multiple of single spacing
    line_points: float | None = None  # exact line spacing in points, when the template says so
    space_before: float = 0.0  # points
    space_after: float = 0.0  # points
    space_lines: tuple[float, float] = (0.0, 0.0)  # before and after, given in lines instead


@dataclass(frozen=True)
class LayoutGeometry:
    """Where a layout's placeholders are: title, body, footers (None when it has none), and
    how each sets its text (`text`, by the same names: "title", "footer", ...)."""

    name: str
    title: Box | None
    subtitle: Box | None
    footer: Box | None
    date: Box | None
    slide_number: Box | None
    text: dict[str, PlaceholderText] = field(default_factory=dict)
    under_title: Emu | None = None  # the top of what the layout draws under its title (a rule)


@dataclass(frozen=True)
class PageGeometry:
    """What the planner needs to know of the template: size, fonts and layouts."""

    width: Emu
    height: Emu
    heading_font: str
    body_font: str
    layouts: dict[str, LayoutGeometry]
    theme_colors: dict[str, str]  # theme slot ("dk1", "accent1", ...) -> "RRGGBB"


# Layout names every template must have (the template builder writes them; a user's template
# must use the same names).
LAYOUT_COVER = "Cover"
LAYOUT_SECTION = "Section"
LAYOUT_TITLE_ONLY = "Title Only"
LAYOUT_BLANK = "Blank"
REQUIRED_LAYOUTS: tuple[str, ...] = (LAYOUT_COVER, LAYOUT_SECTION, LAYOUT_TITLE_ONLY, LAYOUT_BLANK)


# -- text ---------------------------------------------------------------------------------


class Align(Enum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class Anchor(Enum):
    TOP = "top"
    MIDDLE = "middle"
    BOTTOM = "bottom"


class Bullet(Enum):
    NONE = "none"
    BULLET = "bullet"
    NUMBER = "number"


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool | None = None  # None: as the paragraph's style says
    color: Role | None = None


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    style: TextStyle
    size: float  # final size in points, chosen by the planner
    bullet: Bullet = Bullet.NONE
    number: int = 0  # for Bullet.NUMBER: the number shown
    align: Align = Align.LEFT
    figures: tuple[FigureUse, ...] = ()  # what the runs show, each at its offset in the text
    indent: Emu = Emu(0)  # where the first line starts, from the left inset
    hanging: Emu = Emu(0)  # how much further in the lines after the first start
    right_tab: Emu = Emu(0)  # a right-aligned tab stop this far from the left inset; 0: none

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class TextSpec:
    name: str  # the shape's name, shown in PowerPoint's selection pane and in findings
    box: Box
    paragraphs: tuple[Paragraph, ...]
    fill: Role | None = None
    anchor: Anchor = Anchor.TOP
    inset_x: Emu = Emu(73_152)  # 0.08 in
    inset_y: Emu = Emu(45_720)  # 0.05 in


class ShapeKind(Enum):
    RECTANGLE = "rectangle"
    ARROW_UP = "arrow-up"
    ARROW_DOWN = "arrow-down"
    RULE = "rule"  # a thin horizontal line


@dataclass(frozen=True)
class ShapeSpec:
    """A decorative or meaningful autoshape (panel, arrow, rule)."""

    name: str
    kind: ShapeKind
    box: Box
    fill: Role
    description: str = ""  # alt text when the shape carries meaning (an arrow), else decorative


# -- charts -------------------------------------------------------------------------------


class ChartKind(Enum):
    COLUMN = "column"  # clustered columns
    STACKED_COLUMN = "stacked-column"
    PERCENT_COLUMN = "percent-column"  # 100% stacked columns
    BAR = "bar"  # clustered horizontal bars
    STACKED_BAR = "stacked-bar"  # also diverging bars: negative and positive series
    LINE = "line"
    COMBO = "combo"  # columns on the primary axis, line series on a secondary axis


class Plot(Enum):
    COLUMN = "column"
    LINE = "line"


@dataclass(frozen=True)
class SeriesSpec:
    name: str
    values: tuple[float | None, ...]  # None is a gap
    color: Role
    number_format: str  # Excel number format of the data labels, e.g. '£#,##0"m"'
    forecast: tuple[bool, ...] = ()  # per point: drawn lighter and hatched
    point_colors: tuple[Role | None, ...] = ()  # per point colour override
    plot: Plot = Plot.COLUMN  # in a COMBO chart, LINE series go on the secondary axis
    labels: bool = True  # data labels on every point
    sources: tuple[str, ...] = ()  # per point: the cell, or how it was computed from which cells


@dataclass(frozen=True)
class Callout:
    """Words of their own on one point (the peak), or at a place a line passes (break-even).

    With `crossing`, the call-out names where its line crosses zero on the way into `point`,
    between that point and the one before when that is where it happens, not the point itself.
    """

    series: int
    point: int
    text: str
    color: Role = Role.ACCENT
    crossing: bool = False


@dataclass(frozen=True)
class ChartSpec:
    name: str
    box: Box
    kind: ChartKind
    categories: tuple[str, ...]
    series: tuple[SeriesSpec, ...]
    alt_text: str  # what the chart shows and means, written from the data
    value_format: str  # value axis number format
    secondary_format: str = ""  # secondary (line) axis number format, COMBO only
    legend: bool = True
    callouts: tuple[Callout, ...] = ()
    gap_width: int = 60
    overlap: int = 0  # -100..100; 100 for stacked and diverging bars
    label_size: float = 11.0  # points, data labels, axes and legend
    value_axis_visible: bool = False  # bars carry direct labels, so the axis is usually hidden
    data_table: tuple[tuple[str, ...], ...] = ()  # header row + rows, formatted as shown


# -- tables -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableColumn:
    header: str
    align: Align
    width: Emu


@dataclass(frozen=True)
class TableSpec:
    name: str
    box: Box
    columns: tuple[TableColumn, ...]
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...] | None  # drawn bold with a rule above
    size: float  # points, every cell
    row_heights: tuple[Emu, ...]  # header, each row, then the total row if any
    description: str  # alt text: what the table holds
    cells: tuple[tuple[FigureUse, ...], ...] = ()  # each row's figures, then the total row's
    bold_rows: tuple[int, ...] = ()  # indexes into `rows` drawn bold: a group's heading


Shape = TextSpec | ShapeSpec | ChartSpec | TableSpec


# -- slides and the deck --------------------------------------------------------------------


WORDS = "text"  # the unit of words taken from the workbook (a statement, a label, a year)
SLIDE_NUMBER = "slide"  # the unit of a slide number shown on another slide


@dataclass(frozen=True)
class FigureUse:
    """A figure as shown on a slide, with where it came from (for notes and the manifest).

    Words taken from the workbook (unit WORDS) and slide numbers (unit SLIDE_NUMBER) are
    recorded too, so every number a slide shows can be traced.
    """

    text: str  # as displayed: "£1.15"
    value: float | str
    unit: str
    reference: str  # as written in the deck definition: "metrics.return_per_pound"
    source: str  # "total benefits / total investment (Finance by Year!B5:B14, ...)"
    citation: str = ""  # the workbook's Source column, where it has one
    context: str = ""  # what a reader sees it with: its label, or the sentence it is in
    offset: int = -1  # where `text` starts in the text it was filled into; -1 when not known


@dataclass(frozen=True)
class SlideSpec:
    key: str  # unique in the deck: the definition id, "-2", "-3" for continuations
    definition_id: str  # the id in the deck definition
    kind: str
    layout: str
    title: str
    shapes: tuple[Shape, ...] = ()
    title_size: float = 0.0  # points; 0 keeps the layout's size
    subtitle: str = ""
    subtitle_size: float = 0.0
    title_box: Box | None = None  # the title's box grown to hold it; None: the layout's
    subtitle_box: Box | None = None
    notes: str = ""
    figures: tuple[FigureUse, ...] = ()
    footer: bool = True
    overflow: tuple[str, ...] = ()  # content the planner could not fit (reported by the check)
    label: str = ""  # the slide's short name, as the contents lists it ("" : its title)
    title_figures: tuple[FigureUse, ...] = ()  # the figures the title shows (also in `figures`)
    subtitle_figures: tuple[FigureUse, ...] = ()


@dataclass(frozen=True)
class DeckSpec:
    title: str
    organisation: str
    classification: str
    data_as_of: str  # "31 July 2019", as shown in every footer
    slides: tuple[SlideSpec, ...]
    subject: str = ""
    keywords: tuple[str, ...] = field(default_factory=tuple)
    definition: str = ""  # the deck definition's name ("wmp2020"): with the organisation, which
    # deck a reused shape came from
    # The size (points) each layout's footer placeholders ("footer", "date", "slide_number")
    # set their text at, where the template's size does not fit it: by layout name.
    footer_sizes: dict[str, dict[str, float]] = field(default_factory=dict)
