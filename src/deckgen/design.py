"""The design system in one place: colour roles, type sizes and the page grid.

Slides name colours by role, never by value: the renderer maps each role to a theme colour slot,
so a template with another theme restyles the whole deck. The hex values here are the sample
theme's (written into layouts/template.pptx by the template builder) and the fallback for
things that cannot use theme colours (image charts, contrast checks on a theme-less deck).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Role(Enum):
    """A colour's job on a slide. The value is the theme slot it maps to."""

    TEXT = "tx1"  # body text (dk1)
    BACKGROUND = "bg1"  # slide background (lt1)
    PRIMARY = "tx2"  # titles, header fills (dk2)
    PANEL = "bg2"  # panel backgrounds (lt2)
    INVESTMENT = "accent1"  # investment series, costs
    BENEFIT = "accent2"  # benefits series, positive figures
    ACCENT = "accent3"  # call-outs, break-even marker
    SECONDARY = "accent4"  # secondary text, axes, rules
    NEGATIVE = "accent5"  # negative figures, alerts
    HIGHLIGHT = "accent6"  # a third series where one is needed


# Theme slot -> the sample theme's colour. Contrast against white is given in design.md.
SAMPLE_THEME: dict[str, str] = {
    "dk1": "1F2328",
    "lt1": "FFFFFF",
    "dk2": "1B365D",
    "lt2": "F2F4F7",
    "accent1": "1B365D",
    "accent2": "00706B",
    "accent3": "B35900",
    "accent4": "4A5560",
    "accent5": "A4262C",
    "accent6": "6E83A6",
    "hlink": "1B365D",
    "folHlink": "4A5560",
}

# Scheme names in slide XML ("tx1") resolve to theme slots ("dk1") through the master's colour map.
SLOT_OF: dict[str, str] = {"tx1": "dk1", "bg1": "lt1", "tx2": "dk2", "bg2": "lt2"}

# Forecast points are hatched in their series colour on the background colour, so they read
# lighter and differ by texture as well as tone (colour is never the only carrier of meaning).
FORECAST_PATTERN = "wide-upward-diagonal"

SAMPLE_FONT = "Calibri"


class TextStyle(Enum):
    """Every kind of text the deck shows; sizes and weights live in STYLES."""

    TITLE = "title"
    COVER_TITLE = "cover-title"
    COVER_SUBTITLE = "cover-subtitle"
    COVER_BAND = "cover-band"
    SECTION_TITLE = "section-title"
    BODY = "body"
    BULLET = "bullet"
    NUMBERED = "numbered"
    HEADING = "heading"
    PANEL_HEADING = "panel-heading"
    BIG_NUMBER = "big-number"
    KEY_FIGURE = "key-figure"
    HERO_NUMBER = "hero-number"
    LABEL = "label"
    QUOTE = "quote"
    SOURCE = "source"
    FOOTNOTE = "footnote"
    FOOTER = "footer"
    TABLE = "table"
    TABLE_HEADER = "table-header"
    CONTENTS = "contents"
    CONTENTS_ENTRY = "contents-entry"


@dataclass(frozen=True)
class Style:
    size: float  # points
    minimum: float  # the smallest the build may shrink it to before continuing elsewhere
    bold: bool = False
    italic: bool = False
    color: Role = Role.TEXT
    line_spacing: float = 1.1  # multiple of single spacing
    space_before: float = 0.0  # points
    caps: bool = False


STYLES: dict[TextStyle, Style] = {
    TextStyle.TITLE: Style(26, 20, bold=True, color=Role.PRIMARY, line_spacing=0.95),
    TextStyle.COVER_TITLE: Style(36, 28, bold=True, color=Role.PRIMARY, line_spacing=0.95),
    TextStyle.COVER_SUBTITLE: Style(18, 14, color=Role.SECONDARY),
    TextStyle.COVER_BAND: Style(24, 14, color=Role.BACKGROUND, caps=True),
    TextStyle.SECTION_TITLE: Style(36, 28, bold=True, color=Role.PRIMARY, line_spacing=0.95),
    # A reading deck (design.md): body and bullets 12 pt, tile labels 11, table cells 10,
    # chart labels 10, footnotes and source lines 8 at the least.
    TextStyle.BODY: Style(12, 12, line_spacing=1.0, space_before=3),
    TextStyle.BULLET: Style(12, 12, line_spacing=1.0, space_before=3),
    TextStyle.NUMBERED: Style(12, 12, line_spacing=1.0, space_before=2),
    TextStyle.HEADING: Style(12, 12, bold=True, color=Role.PRIMARY, caps=True, space_before=6),
    TextStyle.PANEL_HEADING: Style(12, 12, bold=True, color=Role.PRIMARY, caps=True),
    TextStyle.BIG_NUMBER: Style(36, 28, bold=True, color=Role.PRIMARY, line_spacing=0.9),
    TextStyle.KEY_FIGURE: Style(28, 28, bold=True, color=Role.PRIMARY, line_spacing=0.9),
    TextStyle.HERO_NUMBER: Style(54, 40, bold=True, color=Role.BENEFIT, line_spacing=0.9),
    TextStyle.LABEL: Style(11, 11, color=Role.TEXT, line_spacing=1.0),
    TextStyle.QUOTE: Style(12, 12, italic=True, color=Role.PRIMARY),
    TextStyle.SOURCE: Style(8, 8, color=Role.SECONDARY),
    TextStyle.FOOTNOTE: Style(9, 8, color=Role.SECONDARY),
    TextStyle.FOOTER: Style(9, 9, color=Role.SECONDARY),
    TextStyle.TABLE: Style(10, 10, line_spacing=1.0),
    TextStyle.TABLE_HEADER: Style(10, 10, bold=True, color=Role.BACKGROUND, line_spacing=1.0),
    TextStyle.CONTENTS: Style(14, 12, bold=True, color=Role.PRIMARY, space_before=10),
    TextStyle.CONTENTS_ENTRY: Style(12, 12, space_before=2),
}

CHART_LABEL_SIZE = 10.0  # points: data labels, axes, legend
MAX_BULLETS_PER_BLOCK = 6


@dataclass(frozen=True)
class ChartStyle:
    """How every chart looks, in points unless said: the one place to restyle charts.

    deckgen.chartlayout decides each chart from these; the native writer (render/charts.py)
    and the picture writer (render/images.py) draw what it decided, so both pictures of a chart
    change together.
    """

    label_size: float = CHART_LABEL_SIZE  # data labels, axes and legend; never smaller
    line_width: float = 2.25
    marker_size: float = 7.0
    callout_marker_size: float = 11.0  # the point or place a call-out names
    forecast_pattern: str = FORECAST_PATTERN  # forecast bars: hatched in the series colour
    forecast_outline: float = 1.0  # a hatched bar's edge, in its series colour
    hatch_line: float = 0.9  # the hatching's own lines (pictures; PowerPoint fixes its own)
    forecast_dash: str = "dash"  # a line into a forecast point
    axis_line: float = 0.75  # the category axis, drawn at zero
    gridline: float = 0.5
    gridline_tint: float = 0.75  # gridlines: the axis colour this share of the way to white
    leader_line: float = 1.0  # from a call-out's words to the place it names
    label_gap: float = 3.0  # between a mark and its label
    inside_pad: float = 0.5  # ems each side a label needs to sit inside its bar
    hatched_pad: float = 1.0  # ems each side inside a hatched bar, which needs a chip
    chip_pad: float = 1.5  # the background chip around a label, each side
    clearance: float = 1.5  # labels closer than this to a line, mark or label count as on it
    edge_pad: float = 4.0  # chart edge to its text
    axis_gap: float = 5.0  # axis labels to the plot
    legend_gap: float = 8.0  # plot (and its names) to the legend
    legend_key: float = 14.0  # a legend key's width
    legend_spacing: float = 14.0  # between legend entries
    category_share: float = 0.42  # bar charts: the width category names take, wrapped, at most
    category_share_most: float = 0.6  # ... and where wrapped names would crowd each other
    turned_share: float = 0.3  # turned category names: the most of the height they may take
    min_plot_share: float = 0.25  # the plot never gets less of the chart than this
    min_gap_width: int = 20  # percent of a bar: the narrowest gap labels may ask for
    ticks: tuple[int, int, int] = (4, 5, 8)  # value-axis intervals: fewest, aim, most


CHART = ChartStyle()


@dataclass(frozen=True)
class Grid:
    """The page grid in inches; positions come from the slide size and these, never elsewhere."""

    margin_x: float = 0.5
    margin_top: float = 0.4
    columns: int = 12
    gutter: float = 0.2
    title_height: float = 0.95  # title band: two lines of the title style
    title_gap: float = 0.15  # between the title band and the content
    title_top: float = 0.15  # the highest a title band grown to hold its title may start
    title_growth: float = 0.95  # the most a title band may grow down into the content area
    footer_height: float = 0.35
    source_height: float = 0.26  # the source line above the footer (8 pt, one line)
    block_gap: float = 0.18  # between stacked blocks of content
    text_inset: float = 0.08  # left/right inset of text boxes
    text_inset_y: float = 0.05  # top/bottom inset of text boxes
    bullet_indent: float = 0.22  # hanging indent of bullets and numbers
    panel_padding: float = 0.12  # space inside a filled panel
    cell_inset_x: float = 0.08  # left/right margin inside a table cell
    cell_inset_y: float = 0.04  # top/bottom margin inside a table cell


GRID = Grid()


def slot(role: Role) -> str:
    """Return the theme slot a role's colour lives in ("dk1", "accent1", ...)."""
    return SLOT_OF.get(role.value, role.value)


def resolve_hex(role: Role, theme_colors: dict[str, str]) -> str:
    """Return "RRGGBB" for a role under a theme (the sample theme's colour when it has none)."""
    return (theme_colors.get(slot(role)) or SAMPLE_THEME[slot(role)]).upper()


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.2 relative luminance of "RRGGBB"."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two "RRGGBB" colours, from 1 to 21."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
