"""Draw a ChartSpec as a picture, for viewers that cannot show native charts (--chart-engine image).

The picture keeps the native chart's data and look: the same colour roles, forecast hatching,
data labels in the slide's number formats, call-outs and legend. matplotlib is imported inside
the functions only, so a build with native charts never loads it; pyplot is never used, so no
GUI backend or global figure state is involved and the same spec always gives the same bytes.
"""

from __future__ import annotations

import io
import itertools
import math
from contextlib import AbstractContextManager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from deckgen.design import Role, contrast_ratio, resolve_hex
from deckgen.fonts import register_with_matplotlib
from deckgen.specs import EMU_PER_INCH, Box, Callout, ChartKind, ChartSpec, Plot, SeriesSpec
from deckgen.textmetrics import METRIC_TWINS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.legend import Legend
    from matplotlib.lines import Line2D
    from matplotlib.text import Annotation
    from matplotlib.transforms import Bbox

DEFAULT_DPI = 200
_T = TypeVar("_T")
_D = TypeVar("_D")

# -- fonts ----------------------------------------------------------------------------------

# Metric-compatible stand-ins, so a picture drawn on Linux measures as the deck's font does.
FONT_STANDINS: dict[str, str] = METRIC_TWINS
FALLBACK_FONT = "DejaVu Sans"  # ships with matplotlib, so it is always there

# -- look -----------------------------------------------------------------------------------

FORECAST_HATCH = "//"  # matplotlib's spelling of design.FORECAST_PATTERN (wide upward diagonal)
FORECAST_LEGEND_LABEL = "Forecast"  # the legend key that says what the hatching means
HATCH_WIDTH_PT = 0.9
FORECAST_EDGE_PT = 1.0
LINE_WIDTH_PT = 2.25
FORECAST_DASH = (0, (4, 3))  # a line into a forecast point is dashed (PowerPoint's "dash")
MARKER_SIZE_PT = 7.0
CALLOUT_MARKER_SIZE_PT = 11.0
BASELINE_WIDTH_PT = 0.75
GRID_WIDTH_PT = 0.5
GRID_TINT = 0.75  # gridlines: the axis colour this much of the way to white, as natively
LABEL_OFFSET_PT = 4.0  # between a bar's end (or a line's marker) and its label
LABEL_STEP_LINES = 1.15  # how far a label that would cover another steps out, in font sizes
MAX_LABEL_STEPS = 2
LABEL_MARGIN_PT = 1.5  # labels closer than this to another label or a marker count as covering
CHIP_PAD = 0.2  # label background padding, in font sizes
EDGE_PAD_PT = 4.0  # between any text and the picture's edge
LEGEND_GAP_PT = 6.0  # between the plot and the legend
INSIDE_PAD_PT = 2.0  # a label sits inside its bar only with this much room around it
TEXT_CONTRAST = 4.5  # WCAG 1.4.3 minimum for text against what is behind it
CATEGORY_SLOT_SHARE = 0.94  # a column's category label may use this share of its slot
CATEGORY_ROTATION = 45  # degrees, for category names too wide for their slot even wrapped
TURNED_LABEL_SHARE = 0.3  # turned category labels may use this share of the height
BAR_LABEL_SHARE = 0.4  # a bar chart's category labels may use this share of the width
MIN_PLOT_SHARE = 0.2  # the plot never shrinks below this share of the picture
LAYOUT_PASSES = 5  # measure-and-fit rounds; the layout settles in two or three
VALUE_TICKS = 5

_BAR_KINDS = (ChartKind.BAR, ChartKind.STACKED_BAR)
_STACKED_KINDS = (ChartKind.STACKED_COLUMN, ChartKind.PERCENT_COLUMN, ChartKind.STACKED_BAR)

# -- number formats -------------------------------------------------------------------------

# Characters Excel shows as themselves without quotes.
_LITERAL_CHARS = frozenset(" $-+/():!^&'~{}<>=£€")
_DIGIT_CHARS = frozenset("0#?")
_COLOUR_CODES = frozenset(
    ("black", "blue", "cyan", "green", "magenta", "red", "white", "yellow"),
)
_GENERAL_DECIMALS = 2
_PERCENT = (False, "\x00%")  # an unquoted percent sign: shown as "%" and scales by 100


@dataclass(frozen=True)
class _NumberPattern:
    """One section of an Excel number format, reduced to what the deck's formats use."""

    prefix: str
    suffix: str
    min_integer_digits: int
    thousands: bool
    min_decimals: int
    max_decimals: int
    multiplier: Decimal  # 100 per unquoted %, 1/1000 per trailing comma
    has_digits: bool

    def render(self, magnitude: float) -> tuple[str, bool]:
        """Return the text for a non-negative number and whether it shows a non-zero amount."""
        if not self.has_digits:
            return self.prefix + self.suffix, False
        scaled = Decimal(repr(float(magnitude))) * self.multiplier
        rounded = scaled.quantize(Decimal(1).scaleb(-self.max_decimals), rounding=ROUND_HALF_UP)
        whole, _, fraction = f"{rounded:f}".partition(".")
        fraction = fraction.rstrip("0").ljust(self.min_decimals, "0")
        integer = int(whole)
        if integer == 0 and self.min_integer_digits == 0:
            whole = ""
        else:
            whole = f"{integer:0{self.min_integer_digits}d}"
            if self.thousands:
                whole = f"{int(whole):,}".rjust(len(whole), "0")
        number = f"{whole}.{fraction}" if fraction else whole
        return self.prefix + number + self.suffix, rounded != 0


def format_number(value: float, number_format: str) -> str:
    """Return `value` as Excel shows it under `number_format`, so picture labels match the deck.

    Covers the formats the deck uses (currency and unit literals, thousands separators, fixed
    decimals, unquoted %, two or three sections); anything else reads as a general number.
    """
    if not math.isfinite(value) or not number_format.strip():
        return _general(value)
    sections = _split_sections(number_format)
    if value < 0 and len(sections) > 1:
        section, sign = sections[1], ""  # the section writes its own sign, or none
    elif value == 0 and len(sections) > 2:
        section, sign = sections[2], ""
    else:
        section, sign = sections[0], "-" if value < 0 else ""
    pattern = _parse_section(section)
    if pattern is None:
        return _general(value)
    text, nonzero = pattern.render(abs(value))
    return (sign if nonzero else "") + text


def _general(value: float) -> str:
    """Return a plain readable number: thousands separated, at most two decimals, no "-0"."""
    if not math.isfinite(value):
        return str(value)
    step = Decimal(1).scaleb(-_GENERAL_DECIMALS)
    rounded = Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if rounded == 0 else text


def _split_sections(number_format: str) -> list[str]:
    """Split a format on the semicolons that are not quoted or escaped."""
    sections: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in number_format:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            sections.append("".join(current))
            current = []
            continue
        current.append(char)
    sections.append("".join(current))
    return sections


def _tokenize(section: str) -> list[tuple[bool, str]] | None:
    """Return (is_digit_token, text) tokens of a section, or None for codes it does not know.

    An unquoted % is returned as the token (False, _PERCENT) since it scales the number.
    """
    tokens: list[tuple[bool, str]] = []
    i = 0
    while i < len(section):
        char = section[i]
        if char == '"':
            end = section.find('"', i + 1)
            if end < 0:
                return None
            tokens.append((False, section[i + 1 : end]))
            i = end + 1
            continue
        if char in "\\_*" and i + 1 < len(section):
            # \x shows x; _x leaves x's width (a space); *x repeats x to fill (ignored).
            tokens.append((False, {"\\": section[i + 1], "_": " ", "*": ""}[char]))
            i += 2
            continue
        if char == "[":
            end = section.find("]", i)
            if end < 0:
                return None
            code = section[i + 1 : end]
            if code.startswith("$"):  # [$£-809]: a currency symbol with a locale
                tokens.append((False, code[1:].split("-")[0]))
            elif code.lower() not in _COLOUR_CODES and not code.lower().startswith("color"):
                return None  # conditions and elapsed times
            i = end + 1
            continue
        if char in _DIGIT_CHARS or char in ".,":
            tokens.append((True, char))
        elif char == "%":
            tokens.append(_PERCENT)
        elif char in _LITERAL_CHARS:
            tokens.append((False, char))
        else:
            return None  # dates, times, scientific, text (@) and General
        i += 1
    return tokens


def _parse_section(section: str) -> _NumberPattern | None:
    """Return the pattern of one format section, or None when it is not a number format."""
    tokens = _tokenize(section)
    if tokens is None:
        return None
    digit_positions = [i for i, (digit, text) in enumerate(tokens) if digit and text not in ".,"]
    multiplier = Decimal(100) ** tokens.count(_PERCENT)
    tokens = [(False, "%") if token == _PERCENT else token for token in tokens]
    if not digit_positions:
        text = "".join(text for _, text in tokens)
        return _NumberPattern(text, "", 0, False, 0, 0, multiplier, has_digits=False)
    first, last = digit_positions[0], digit_positions[-1]
    while last + 1 < len(tokens) and tokens[last + 1] in ((True, ","), (True, ".")):
        last += 1  # trailing commas scale by 1000; a trailing point shows nothing
    if any(not digit for digit, _ in tokens[first : last + 1]):
        return None  # literals among the digits: not a format the deck uses
    prefix = "".join(text for digit, text in tokens[:first] if not digit)
    suffix = "".join(text for digit, text in tokens[last + 1 :] if not digit)
    if any(digit for digit, _ in tokens[:first]) or any(digit for digit, _ in tokens[last + 1 :]):
        return None
    body = "".join(text for _, text in tokens[first : last + 1])
    trimmed = body.rstrip(",")
    multiplier /= Decimal(1000) ** (len(body) - len(trimmed))
    integer, point, fraction = trimmed.partition(".")
    if "." in fraction or "," in fraction:
        return None
    fraction = fraction if point else ""
    digits = integer.replace(",", "")
    return _NumberPattern(
        prefix=prefix,
        suffix=suffix,
        min_integer_digits=digits.count("0"),
        thousands="," in integer,
        min_decimals=len(fraction.rstrip("#?")),
        max_decimals=len(fraction),
        multiplier=multiplier,
        has_digits=True,
    )


# -- geometry and colour helpers ------------------------------------------------------------


def pixel_size(box: Box, dpi: int = DEFAULT_DPI) -> tuple[int, int]:
    """Return the picture's (width, height) in pixels: the box's size at `dpi`, at least 1."""
    return (
        max(1, round(box.width / EMU_PER_INCH * dpi)),
        max(1, round(box.height / EMU_PER_INCH * dpi)),
    )


def resolve_font(font_family: str) -> str:
    """Return the family to draw with: the shipped stand-in, the deck's own, or DejaVu Sans.

    Checked against matplotlib's font list first, so a missing font never logs "findfont".
    """
    from matplotlib import font_manager

    register_with_matplotlib()  # the shipped Carlito, Caladea and Liberation files come first
    installed = {entry.name.lower(): entry.name for entry in font_manager.fontManager.ttflist}
    for candidate in (FONT_STANDINS.get(font_family.strip().lower(), ""), font_family):
        if candidate and candidate.strip().lower() in installed:
            return installed[candidate.strip().lower()]
    return FALLBACK_FONT


def _tint(hex6: str, share: float) -> str:
    """Return "RRGGBB" moved `share` of the way to white."""
    channels = (int(hex6[i : i + 2], 16) for i in (0, 2, 4))
    return "".join(f"{round(c + (255 - c) * share):02X}" for c in channels)


def _css(hex6: str) -> str:
    return f"#{hex6}"


def _point(values: tuple[_T, ...], index: int, default: _D) -> _T | _D:
    """Return a per-point setting, or `default` where the tuple is shorter than the data."""
    return values[index] if index < len(values) else default


# -- drawing --------------------------------------------------------------------------------


class _Place(Enum):
    OUTSIDE = "outside"  # beyond a bar's end (clustered bars)
    INSIDE = "inside"  # in a stacked segment's middle, moved out or onto a chip when it won't fit
    MARKER = "marker"  # above a line's marker, or below it at a dip


@dataclass(frozen=True)
class _Label:
    """A data label to place once the plot's size is known."""

    axes: Axes
    category: float  # category coordinate of the label's anchor
    start: float  # value coordinates of the bar segment (start == end for line points)
    end: float
    text: str
    place: _Place
    fill: str  # "RRGGBB" behind the label when inside a bar; background otherwise
    hatched: bool
    outermost: bool  # the stack's last segment on its side: there is room beyond it
    color: str | None = None  # a call-out's colour; None for the readable default
    callout: bool = False  # a call-out: bold, and clear of its bigger marker
    chip: bool = False  # always on a background-coloured chip (line labels over columns)
    below: bool = False  # a line label that reads better under its marker (a dip in the line)


@dataclass
class _ValueAxis:
    """A value axis's data range and the room its labels need beyond it."""

    low: float
    high: float
    pad_low: float = 0.0
    pad_high: float = 0.0

    def limits(self) -> tuple[float, float]:
        low, high = self.low - self.pad_low, self.high + self.pad_high
        return (low, high) if high > low else (low, low + 1.0)


def chart_png(
    spec: ChartSpec, theme_colors: dict[str, str], font_family: str, dpi: int = DEFAULT_DPI
) -> bytes:
    """Return the chart as PNG bytes of the box's size at `dpi`; one spec, one set of bytes."""
    family = resolve_font(font_family)
    with _settings(family):
        figure = _Chart(spec, theme_colors, family, dpi).draw()
        buffer = io.BytesIO()
        figure.savefig(
            buffer,
            format="png",
            dpi=dpi,
            facecolor=figure.get_facecolor(),
            metadata={"Software": None},  # no version stamp: bytes depend on the spec alone
        )
    return buffer.getvalue()


def chart_figure(
    spec: ChartSpec, theme_colors: dict[str, str], font_family: str, dpi: int = DEFAULT_DPI
) -> Figure:
    """Return the laid-out matplotlib Figure chart_png saves, for callers that inspect artists."""
    family = resolve_font(font_family)
    with _settings(family):
        return _Chart(spec, theme_colors, family, dpi).draw()


def _settings(family: str) -> AbstractContextManager[None]:
    """Settings some releases read at draw time rather than from the artists (hatch width)."""
    import matplotlib

    return matplotlib.rc_context(
        {"font.family": family, "hatch.linewidth": HATCH_WIDTH_PT, "axes.unicode_minus": False}
    )


class _Chart:
    """One chart being drawn: the figure, its axes, and the labels placed after measuring."""

    def __init__(
        self, spec: ChartSpec, theme_colors: dict[str, str], family: str, dpi: int
    ) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.spec = spec
        self.theme = theme_colors
        self.family = family
        self.dpi = dpi
        width, height = pixel_size(spec.box, dpi)
        self.figure = Figure(
            figsize=(width / dpi, height / dpi), dpi=dpi, facecolor=_css(self.hex(Role.BACKGROUND))
        )
        self.canvas: FigureCanvasAgg = FigureCanvasAgg(self.figure)
        self.ax: Axes = self.figure.add_axes((0.1, 0.1, 0.8, 0.8))
        self.twin: Axes | None = None
        self.horizontal = spec.kind in _BAR_KINDS
        self.labels: list[_Label] = []
        self.label_artists: list[Annotation] = []
        self.markers: list[Line2D] = []  # line markers: the value axis leaves room for them
        self.taken: list[Bbox] = []  # where placed labels and markers are, in pixels
        self.measured: dict[tuple[str, bool], tuple[float, float]] = {}
        self.value_axes: dict[Axes, _ValueAxis] = {}
        self.legend: Legend | None = None
        self.categories = len(spec.categories)

    # -- small helpers --

    def hex(self, role: Role) -> str:
        return resolve_hex(role, self.theme)

    def px(self, points_: float) -> float:
        return points_ * self.dpi / 72

    def font(self, bold: bool = False) -> FontProperties:
        from matplotlib.font_manager import FontProperties

        return FontProperties(
            family=self.family, size=self.spec.label_size, weight="bold" if bold else "normal"
        )

    def renderer(self) -> RendererAgg:
        renderer: RendererAgg = self.canvas.get_renderer()  # type: ignore[no-untyped-call]
        return renderer

    def text_size(self, text: str, bold: bool = False) -> tuple[float, float]:
        """Return a one-line text's (width, height) in pixels, measured with the real font."""
        key = (text, bold)
        if key not in self.measured:
            measure = self.renderer().get_text_width_height_descent
            width, height, _ = measure(text, self.font(bold), ismath=False)  # type: ignore[no-untyped-call]
            self.measured[key] = (float(width), float(height))
        return self.measured[key]

    def text_width(self, text: str) -> float:
        return self.text_size(text)[0]

    def all_axes(self) -> list[Axes]:
        return [self.ax] if self.twin is None else [self.ax, self.twin]

    def bar_series(self) -> list[int]:
        if self.spec.kind is ChartKind.LINE:
            return []
        if self.spec.kind is ChartKind.COMBO:
            return [i for i, s in enumerate(self.spec.series) if s.plot is not Plot.LINE]
        return list(range(len(self.spec.series)))

    def line_series(self) -> list[int]:
        if self.spec.kind is ChartKind.LINE:
            return list(range(len(self.spec.series)))
        if self.spec.kind is ChartKind.COMBO:
            return [i for i, s in enumerate(self.spec.series) if s.plot is Plot.LINE]
        return []

    def callout(self, series: int, point: int) -> Callout | None:
        return next(
            (c for c in self.spec.callouts if c.series == series and c.point == point), None
        )

    # -- the drawing --

    def draw(self) -> Figure:
        """Draw the marks, then lay labels, names and legend out until they all fit."""
        self.style_axes(self.ax)
        bars = self.bar_series()
        if bars:
            self.draw_bars(bars)
        lines = self.line_series()
        if lines:
            axes = self.ax
            if self.spec.kind is ChartKind.COMBO:
                self.twin = self.ax.twinx()
                self.style_axes(self.twin)
                axes = self.twin
            self.draw_lines(lines, axes)
        self.draw_baseline()
        self.make_legend()
        # Labels, margins and the plot's size depend on each other: measure and fit until
        # nothing moves (two or three rounds).
        settled: tuple[float, ...] = ()
        for _ in range(LAYOUT_PASSES):
            self.set_categories()
            self.apply_limits()
            self.place_labels()
            self.pad_for_labels()
            self.apply_limits()
            self.place_labels()
            self.fit()
            state = self.layout_state()
            if state == settled:
                break
            settled = state
        return self.figure

    def layout_state(self) -> tuple[float, ...]:
        """The plot's place in whole pixels and its value ranges, to tell when layout settles."""
        place = self.ax.get_position().bounds
        width, height = self.figure.bbox.width, self.figure.bbox.height
        pixels = [round(v * size) for v, size in zip(place, (width, height) * 2, strict=True)]
        ranges = [axis.limits() for axis in self.value_axes.values()]
        return (*pixels, *(round(v, 6) for pair in ranges for v in pair))

    def style_axes(self, axes: Axes) -> None:
        """No frame, no ticks; a value axis only when the spec asks, with light gridlines."""
        axes.set_facecolor("none")
        for spine in axes.spines.values():
            spine.set_visible(False)
        axes.tick_params(
            which="both",
            length=0,
            labelsize=self.spec.label_size,
            labelcolor=_css(self.hex(Role.SECONDARY)),
            labelfontfamily=self.family,
        )
        category_axis: Axis = axes.yaxis if self.horizontal else axes.xaxis
        value_axis: Axis = axes.xaxis if self.horizontal else axes.yaxis
        category_axis.set_tick_params(pad=self.spec.label_size * 0.4)
        if self.spec.value_axis_visible:
            from matplotlib.ticker import FuncFormatter, MaxNLocator

            number_format = self.spec.value_format
            if axes is self.twin:
                number_format = self.spec.secondary_format or number_format
            if self.spec.kind is ChartKind.PERCENT_COLUMN:
                value_axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v * 100:.0f}%"))
            else:
                value_axis.set_major_formatter(
                    FuncFormatter(lambda v, _: format_number(v, number_format))
                )
            value_axis.set_major_locator(MaxNLocator(VALUE_TICKS))
            if axes is self.ax:
                axes.grid(
                    axis="x" if self.horizontal else "y",
                    color=_css(_tint(self.hex(Role.SECONDARY), GRID_TINT)),
                    linewidth=GRID_WIDTH_PT,
                )
                axes.set_axisbelow(True)
        else:
            value_axis.set_ticks([])
        if self.horizontal:
            axes.tick_params(axis="x", labelbottom=self.spec.value_axis_visible)
        category_axis.set_ticks([])

    def geometry(self, count: int) -> tuple[float, list[float]]:
        """Return the bar thickness and each series' offset in a category, as Excel spaces them."""
        gap = max(self.spec.gap_width, 0) / 100
        if self.spec.kind in _STACKED_KINDS or count == 0:
            return 1 / (1 + gap), [0.0] * count
        overlap = min(max(self.spec.overlap, -100), 100) / 100
        width = 1 / (count - (count - 1) * overlap + gap)
        step = width * (1 - overlap)
        first = -step * (count - 1) / 2
        return width, [first + i * step for i in range(count)]

    def draw_bars(self, indexes: list[int]) -> None:
        """Columns or bars from zero (stacks by sign); forecast points hatched, gaps left out."""
        from matplotlib.patches import Rectangle

        spec = self.spec
        stacked = spec.kind in _STACKED_KINDS
        width, offsets = self.geometry(len(indexes))
        totals = [
            sum(
                abs(v) for i in indexes if (v := _point(spec.series[i].values, c, None)) is not None
            )
            for c in range(self.categories)
        ]
        positive_base = [0.0] * self.categories
        negative_base = [0.0] * self.categories
        # The last series with a value on each side of each stack: its label may go outside.
        outer: dict[tuple[int, bool], int] = {}
        for i in indexes:
            for c in range(self.categories):
                value = _point(spec.series[i].values, c, None)
                if value is not None and value != 0:
                    outer[(c, value < 0)] = i
        low, high = 0.0, 0.0
        for slot, i in enumerate(indexes):
            series = spec.series[i]
            for c in range(self.categories):
                raw = _point(series.values, c, None)
                if raw is None:
                    continue  # a gap: nothing drawn, no label
                value = float(raw)
                if spec.kind is ChartKind.PERCENT_COLUMN:
                    value = value / totals[c] if totals[c] else 0.0
                if stacked:
                    bases = negative_base if value < 0 else positive_base
                    start = bases[c]
                    bases[c] += value
                    if value == 0:
                        continue  # an empty segment: nothing to see or label
                else:
                    start = 0.0
                end = start + value
                low, high = min(low, start, end), max(high, start, end)
                color = self.hex(_point(series.point_colors, c, None) or series.color)
                hatched = bool(_point(series.forecast, c, False))
                center = c + offsets[slot]
                corner = (
                    (min(start, end), center - width / 2)
                    if self.horizontal
                    else (center - width / 2, min(start, end))
                )
                size = (abs(value), width) if self.horizontal else (width, abs(value))
                self.ax.add_patch(
                    Rectangle(
                        corner,
                        *size,
                        facecolor=_css(self.hex(Role.BACKGROUND) if hatched else color),
                        edgecolor=_css(color) if hatched else "none",
                        linewidth=FORECAST_EDGE_PT if hatched else 0,
                        hatch=FORECAST_HATCH if hatched else None,
                        zorder=2,
                    )
                )
                callout = self.callout(i, c)
                if not series.labels and callout is None:
                    continue
                self.labels.append(
                    _Label(
                        axes=self.ax,
                        category=center,
                        start=start,
                        end=end,
                        text=callout.text if callout else format_number(raw, series.number_format),
                        place=_Place.INSIDE if stacked else _Place.OUTSIDE,
                        fill=self.hex(Role.BACKGROUND) if hatched else color,
                        hatched=hatched,
                        outermost=outer.get((c, value < 0)) == i,
                        color=self.hex(callout.color) if callout else None,
                        callout=callout is not None,
                    )
                )
        if spec.kind is ChartKind.PERCENT_COLUMN:
            high = max(high, 1.0)
        self.value_axes[self.ax] = _ValueAxis(low, high)

    def draw_lines(self, indexes: list[int], axes: Axes) -> None:
        """Lines with markers on `axes` (a COMBO's secondary axis), broken at gaps."""
        spec = self.spec
        background = _css(self.hex(Role.BACKGROUND))
        on_columns = spec.kind is ChartKind.COMBO
        values = [
            float(v)
            for i in indexes
            for v in spec.series[i].values[: self.categories]
            if v is not None
        ]
        low, high = min([0.0, *values]), max([0.0, *values])
        for i in indexes:
            series = spec.series[i]
            color = _css(self.hex(series.color))
            points = [
                (c, float(v))
                for c in range(self.categories)
                if (v := _point(series.values, c, None)) is not None
            ]
            # Segments between neighbours only, so a gap (None) breaks the line; a segment
            # into a forecast point is dashed, its marker hollow.
            for (c0, v0), (c1, v1) in itertools.pairwise(points):
                if c1 != c0 + 1:
                    continue
                forecast = bool(_point(series.forecast, c1, False))
                axes.plot(
                    [c0, c1],
                    [v0, v1],
                    color=color,
                    linewidth=LINE_WIDTH_PT,
                    linestyle=FORECAST_DASH if forecast else "solid",
                    solid_capstyle="round",
                    zorder=3,
                )
            for c, v in points:
                forecast = bool(_point(series.forecast, c, False))
                point_color = _css(self.hex(_point(series.point_colors, c, None) or series.color))
                callout = self.callout(i, c)
                (marker,) = axes.plot(
                    [c],
                    [v],
                    linestyle="none",
                    marker="o",
                    markersize=CALLOUT_MARKER_SIZE_PT if callout else MARKER_SIZE_PT,
                    markerfacecolor=(
                        _css(self.hex(callout.color))
                        if callout
                        else (background if forecast else point_color)
                    ),
                    markeredgecolor=_css(self.hex(callout.color)) if callout else point_color,
                    markeredgewidth=1.5,
                    zorder=4,
                )
                self.markers.append(marker)
                if not series.labels and callout is None:
                    continue
                neighbours = [n for m, n in points if abs(m - c) == 1]
                dip = bool(neighbours) and v < sum(neighbours) / len(neighbours)
                self.labels.append(
                    _Label(
                        axes=axes,
                        category=c,
                        start=v,
                        end=v,
                        text=callout.text if callout else format_number(v, series.number_format),
                        place=_Place.MARKER,
                        fill=self.hex(Role.BACKGROUND),
                        hatched=False,
                        outermost=True,
                        color=(self.hex(callout.color) if callout else self.line_text(series)),
                        callout=callout is not None,
                        chip=on_columns,
                        below=dip and callout is None,  # a call-out reads first above
                    )
                )
        self.value_axes[axes] = _ValueAxis(low, high)

    def text_on(self, fill: str) -> str | None:
        """Return the text or background colour that reads on `fill`, or None if neither does."""
        best = max(
            (self.hex(Role.TEXT), self.hex(Role.BACKGROUND)), key=lambda c: contrast_ratio(c, fill)
        )
        return best if contrast_ratio(best, fill) >= TEXT_CONTRAST else None

    def line_text(self, series: SeriesSpec) -> str:
        """Line labels in the line's colour where it reads as text, else in the text colour."""
        color = self.hex(series.color)
        if contrast_ratio(color, self.hex(Role.BACKGROUND)) >= TEXT_CONTRAST:
            return color
        return self.hex(Role.TEXT)

    def draw_baseline(self) -> None:
        """The zero line bars grow from; it is the category axis."""
        line = self.ax.axvline if self.horizontal else self.ax.axhline
        line(0, color=_css(self.hex(Role.SECONDARY)), linewidth=BASELINE_WIDTH_PT, zorder=2.5)

    def make_legend(self) -> None:
        """A legend under the plot, in as many columns as fit the width."""
        if not self.spec.legend or not self.spec.series:
            return
        from matplotlib.lines import Line2D

        background = _css(self.hex(Role.BACKGROUND))
        neutral = _css(self.hex(Role.SECONDARY))
        lines = set(self.line_series())
        handles: list[Any] = []
        some_forecast = False  # a series with actual and forecast points: needs a key
        for i, series in enumerate(self.spec.series):
            color = _css(self.hex(series.color))
            flags = [
                bool(_point(series.forecast, c, False))
                for c, v in enumerate(series.values[: self.categories])
                if v is not None
            ]
            all_forecast = bool(flags) and all(flags)
            some_forecast = some_forecast or (any(flags) and not all_forecast)
            if i in lines:
                handles.append(
                    Line2D(
                        [],
                        [],
                        color=color,
                        linewidth=LINE_WIDTH_PT,
                        linestyle=FORECAST_DASH if all_forecast else "solid",
                        marker="o",
                        markersize=MARKER_SIZE_PT,
                        markerfacecolor=background if all_forecast else color,
                        label=series.name,
                    )
                )
            else:
                handles.append(_bar_handle(color, background, all_forecast, series.name))
        if some_forecast:
            bar_forecast = any(any(self.spec.series[i].forecast) for i in self.bar_series())
            if bar_forecast:
                handles.append(_bar_handle(neutral, background, True, FORECAST_LEGEND_LABEL))
            else:
                handles.append(
                    Line2D(
                        [],
                        [],
                        color=neutral,
                        linewidth=LINE_WIDTH_PT,
                        linestyle=FORECAST_DASH,
                        marker="o",
                        markersize=MARKER_SIZE_PT,
                        markerfacecolor=background,
                        label=FORECAST_LEGEND_LABEL,
                    )
                )
        available = self.figure.bbox.width - 2 * self.px(EDGE_PAD_PT)
        for columns in range(len(handles), 0, -1):
            if self.legend is not None:
                self.legend.remove()
            self.legend = self.figure.legend(
                handles=handles,
                loc="lower center",
                bbox_to_anchor=(0.5, self.px(EDGE_PAD_PT) / self.figure.bbox.height),
                ncol=columns,
                frameon=False,
                prop=self.font(),
                labelcolor=_css(self.hex(Role.TEXT)),
                handlelength=1.6,
                handleheight=1.1,
                columnspacing=1.6,
                borderaxespad=0,
                borderpad=0,
            )
            if self.legend.get_window_extent(self.renderer()).width <= available:
                break

    # -- category labels --

    def wrap(self, text: str, width: float) -> str:
        """Break a category name into lines no wider than `width` pixels, measured: at spaces,
        keeping " - " with the word before it, and inside a word only when it alone is wider."""
        words = text.replace(" - ", " -\u00a0").replace(" – ", " –\u00a0").split(" ")
        lines: list[str] = []
        for word in words:
            candidate = f"{lines[-1]} {word}" if lines else word
            if lines and self.text_width(candidate) <= width:
                lines[-1] = candidate
            else:
                lines.extend(self.split_word(word, width))
        return "\n".join(line.replace("\u00a0", " ") for line in lines)

    def split_word(self, word: str, width: float) -> list[str]:
        """Return a word as pieces no wider than `width` (one piece when it fits)."""
        pieces = [""]
        for char in word:
            if pieces[-1] and self.text_width(pieces[-1] + char) > width:
                pieces.append("")
            pieces[-1] += char
        return pieces

    def set_categories(self) -> None:
        """Name each category: wrapped to its slot, or turned 45° when a word is wider still."""
        names = [name.strip() for name in self.spec.categories]
        positions = list(range(self.categories))
        if self.horizontal:
            limit = self.figure.bbox.width * BAR_LABEL_SHARE
            self.ax.set_yticks(positions, [self.wrap(n, limit) for n in names], linespacing=1.0)
            return
        plot_width = self.ax.get_window_extent(self.renderer()).width
        limit = plot_width / max(self.categories, 1) * CATEGORY_SLOT_SHARE
        words = [word for name in names for word in name.split()]
        if all(self.text_width(word) <= limit for word in words):
            wrapped = [self.wrap(name, limit) for name in names]
            self.ax.set_xticks(positions, wrapped, linespacing=1.0, rotation=0, ha="center")
        else:
            turned = (
                self.figure.bbox.height
                * TURNED_LABEL_SHARE
                / math.sin(math.radians(CATEGORY_ROTATION))
            )
            self.ax.set_xticks(
                positions,
                [self.wrap(name, turned) for name in names],
                linespacing=1.0,
                rotation=CATEGORY_ROTATION,
                ha="right",
                rotation_mode="anchor",
            )

    # -- limits and labels --

    def apply_limits(self) -> None:
        """Categories fill their slots; values start from zero; a COMBO's two zeros line up."""
        category_limits = (-0.5, max(self.categories, 1) - 0.5)
        for axes in self.all_axes():
            if self.horizontal:
                axes.set_ylim(category_limits[1], category_limits[0])  # first category on top
            else:
                axes.set_xlim(*category_limits)
        limits = {key: axis.limits() for key, axis in self.value_axes.items()}
        if self.twin is not None and len(limits) == 2:
            limits = _align_zeros(limits)
        for axes in self.all_axes():
            if axes in limits:
                low, high = limits[axes]
                (axes.set_xlim if self.horizontal else axes.set_ylim)(low, high)

    def place_labels(self) -> None:
        """(Re)place every data label for the plot's current size, in order, avoiding those
        already placed and the markers."""
        for artist in self.label_artists:
            artist.remove()
        self.label_artists = []
        renderer = self.renderer()
        self.taken = [marker.get_window_extent(renderer) for marker in self.markers]
        for label in self.labels:
            annotation = self.place_label(label)
            self.label_artists.append(annotation)
            self.taken.append(annotation.get_window_extent(renderer))

    def place_label(self, label: _Label) -> Annotation:
        """Draw one label where it reads: beyond the bar, inside it, on a chip, off the line."""
        dark = self.hex(Role.TEXT)
        place, color, chip = label.place, label.color or dark, label.chip
        if place is _Place.INSIDE:
            if self.fits_inside(label):
                readable = self.text_on(label.fill)
                if label.color is None and not label.hatched and readable is not None:
                    color = readable
                chip = chip or label.hatched or label.color is not None or readable is None
            elif label.outermost:
                place = _Place.OUTSIDE
            else:
                chip = True
        if place is _Place.INSIDE:
            return self.annotate(label, place, False, color, chip)
        if place is _Place.OUTSIDE:
            # Neighbouring bars of nearly equal length would print their labels into each
            # other; a label that would cover one already placed steps out a line at a time.
            flip = label.end < min(label.start, 0)
            for step in range(MAX_LABEL_STEPS + 1):
                annotation = self.annotate(label, place, flip, color, chip, step)
                if step == MAX_LABEL_STEPS or self.covered(annotation) == 0:
                    break
                annotation.remove()
            return annotation
        # A line label goes on its preferred side of the marker unless that covers a label
        # already placed (a column's, in a COMBO); then on the side that covers least.
        best: tuple[float, Annotation] | None = None
        for below in (label.below, not label.below):
            annotation = self.annotate(label, place, below, color, chip)
            covered = self.covered(annotation)
            if best is None or covered < best[0]:
                if best is not None:
                    best[1].remove()
                best = (covered, annotation)
            else:
                annotation.remove()
            if covered == 0:
                break
        assert best is not None
        return best[1]

    def annotate(
        self, label: _Label, place: _Place, flip: bool, color: str, chip: bool, step: int = 0
    ) -> Annotation:
        """Add one label's text: `flip` puts it before the anchor (negative bars, dips);
        `step` moves it that many lines further out."""
        if place is _Place.INSIDE:
            value, shift, ha, va = (label.start + label.end) / 2, 0.0, "center", "center"
        else:
            offset = LABEL_OFFSET_PT + step * self.spec.label_size * LABEL_STEP_LINES
            if place is _Place.MARKER:  # clear of the marker, a call-out's bigger one too
                marker = CALLOUT_MARKER_SIZE_PT if label.callout else MARKER_SIZE_PT
                offset += marker / 2
            value, shift = label.end, -offset if flip else offset
            if self.horizontal:
                ha, va = ("right" if flip else "left"), "center"
            else:
                ha, va = "center", ("top" if flip else "bottom")
        xy = (value, label.category) if self.horizontal else (label.category, value)
        annotation = label.axes.annotate(
            label.text,
            xy=xy,
            xytext=(shift, 0.0) if self.horizontal else (0.0, shift),
            textcoords="offset points",
            ha=ha,
            va=va,
            color=_css(color),
            fontproperties=self.font(label.callout),
            annotation_clip=False,
            zorder=5,
            bbox=(
                {
                    "boxstyle": f"round,pad={CHIP_PAD}",
                    "facecolor": _css(self.hex(Role.BACKGROUND)),
                    "edgecolor": "none",
                }
                if chip
                else None
            ),
        )
        self.keep_inside(annotation)
        return annotation

    def covered(self, annotation: Annotation) -> float:
        """Return the area, in square pixels, `annotation` covers of the labels placed so far
        and of the line markers, with a small margin so that labels do not touch either."""
        box = annotation.get_window_extent(self.renderer()).padded(self.px(LABEL_MARGIN_PT))
        area = 0.0
        for extent in self.taken:
            width = min(box.x1, extent.x1) - max(box.x0, extent.x0)
            height = min(box.y1, extent.y1) - max(box.y0, extent.y0)
            area += max(width, 0) * max(height, 0)
        return area

    def fits_inside(self, label: _Label) -> bool:
        """Whether the label has room inside its segment, in both directions, measured."""
        width, height = self.text_size(label.text, label.callout)
        half = self.geometry(len(self.bar_series()))[0] / 2
        corners = [(label.start, label.category - half), (label.end, label.category + half)]
        if not self.horizontal:
            corners = [(across, along) for along, across in corners]
            width, height = height, width  # the text's extent along the bar, then across it
        (x0, y0), (x1, y1) = label.axes.transData.transform(corners)
        length, thickness = (abs(x1 - x0), abs(y1 - y0))
        if not self.horizontal:
            length, thickness = thickness, length
        pad = 2 * self.px(INSIDE_PAD_PT)
        return bool(length >= width + pad and thickness >= height + pad)

    def keep_inside(self, annotation: Annotation) -> None:
        """Align a centred label that would cross the plot's side (into the picture's edge or a
        value axis) with its anchor's side instead."""
        if annotation.get_horizontalalignment() != "center":
            return
        renderer = self.renderer()
        extent = annotation.get_window_extent(renderer)
        plot = self.ax.get_window_extent(renderer)
        if extent.x1 > plot.x1:
            annotation.set_horizontalalignment("right")
        elif extent.x0 < plot.x0:
            annotation.set_horizontalalignment("left")

    def pad_for_labels(self) -> None:
        """Widen each value axis so labels and markers beyond its data stay inside the plot."""
        renderer = self.renderer()
        for axes in self.all_axes():
            axis = self.value_axes.get(axes)
            if axis is None:
                continue
            box = axes.get_window_extent(renderer)
            low, high = axes.get_xlim() if self.horizontal else axes.get_ylim()
            span_px = box.width if self.horizontal else box.height
            per_px = (high - low) / span_px if span_px > 0 else 0.0
            over_low = over_high = 0.0
            for artist in [*self.label_artists, *self.markers]:
                if artist.axes is not axes:
                    continue
                extent = artist.get_window_extent(renderer)
                if self.horizontal:
                    over_low = max(over_low, box.x0 - extent.x0)
                    over_high = max(over_high, extent.x1 - box.x1)
                else:
                    over_low = max(over_low, box.y0 - extent.y0)
                    over_high = max(over_high, extent.y1 - box.y1)
            axis.pad_low += over_low * per_px
            axis.pad_high += over_high * per_px

    def fit(self) -> None:
        """Place the plot so every label, tick and the legend sit inside the picture."""
        from matplotlib.transforms import Bbox

        renderer = self.renderer()
        width, height = self.figure.bbox.width, self.figure.bbox.height
        edge = self.px(EDGE_PAD_PT)
        bottom = edge
        if self.legend is not None:
            bottom += self.legend.get_window_extent(renderer).height + self.px(LEGEND_GAP_PT)
        box = self.ax.get_window_extent(renderer)
        extents = [axes.get_tightbbox(renderer) for axes in self.all_axes()]
        tight = Bbox.union([extent for extent in extents if extent is not None])
        x0 = edge + max(box.x0 - tight.x0, 0)
        x1 = width - edge - max(tight.x1 - box.x1, 0)
        y0 = bottom + max(box.y0 - tight.y0, 0)
        y1 = height - edge - max(tight.y1 - box.y1, 0)
        if x1 - x0 < width * MIN_PLOT_SHARE:
            x0, x1 = width * (0.5 - MIN_PLOT_SHARE / 2), width * (0.5 + MIN_PLOT_SHARE / 2)
        if y1 - y0 < height * MIN_PLOT_SHARE:
            y0, y1 = height * (0.5 - MIN_PLOT_SHARE / 2), height * (0.5 + MIN_PLOT_SHARE / 2)
        position = (x0 / width, y0 / height, (x1 - x0) / width, (y1 - y0) / height)
        for axes in self.all_axes():
            axes.set_position(position)


def _bar_handle(color: str, background: str, hatched: bool, name: str) -> Any:
    """Return a legend key drawn as the bars are: solid, or hatched for forecast."""
    from matplotlib.patches import Patch

    if hatched:
        return Patch(
            facecolor=background,
            edgecolor=color,
            hatch=FORECAST_HATCH,
            linewidth=FORECAST_EDGE_PT,
            label=name,
        )
    return Patch(facecolor=color, edgecolor="none", label=name)


def _align_zeros(limits: dict[_T, tuple[float, float]]) -> dict[_T, tuple[float, float]]:
    """Stretch two value ranges so zero sits at the same height on both axes."""

    def share_below(low: float, high: float) -> float:
        return -low / (high - low) if high > low else 0.0

    target = max(share_below(*pair) for pair in limits.values())
    aligned: dict[_T, tuple[float, float]] = {}
    for key, (low, high) in limits.items():
        if target >= 1:
            aligned[key] = (low, high)
        elif share_below(low, high) < target:
            aligned[key] = (-target * high / (1 - target), high)
        else:
            aligned[key] = (low, high)  # already the axis with the most room below zero
    return aligned
