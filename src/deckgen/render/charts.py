"""Native, editable PowerPoint charts drawn from ChartSpecs.

Each chart keeps its data in its own embedded workbook, so a reader can edit it in PowerPoint,
and names its colours by theme slot, so another template restyles it. python-pptx draws the
chart; what it cannot (a line on a secondary axis, labels per point with their own words and
colours, schema-valid axis ids) is written into the chart XML here and in `combo`.

Label geometry (does a value fit inside its bar, how much room the labels need beyond the
longest bar) is estimated from the box and the label size, not measured: the estimates are
deliberately generous so that text is never cut, at the cost of a little empty space.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from pptx.chart.axis import ValueAxis
from pptx.chart.plot import BarPlot
from pptx.dml.chtfmt import ChartFormat
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
    XL_TICK_MARK,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.text.text import Font
from pptx.util import Emu as Length
from pptx.util import Pt

from deckgen.design import CHART_LABEL_SIZE, Role, contrast_ratio, resolve_hex
from deckgen.render import colors, combo
from deckgen.render.template import master_theme_colors
from deckgen.render.workbooks import TextOnlyChartData
from deckgen.specs import Callout, ChartKind, ChartSpec, Plot, SeriesSpec, inches, points

CHART_TYPE: dict[ChartKind, XL_CHART_TYPE] = {
    ChartKind.COLUMN: XL_CHART_TYPE.COLUMN_CLUSTERED,
    ChartKind.STACKED_COLUMN: XL_CHART_TYPE.COLUMN_STACKED,
    ChartKind.PERCENT_COLUMN: XL_CHART_TYPE.COLUMN_STACKED_100,
    ChartKind.BAR: XL_CHART_TYPE.BAR_CLUSTERED,
    ChartKind.STACKED_BAR: XL_CHART_TYPE.BAR_STACKED,
    ChartKind.LINE: XL_CHART_TYPE.LINE_MARKERS,
    # Drawn as clustered columns first; combo.add_secondary_line then moves the line series.
    ChartKind.COMBO: XL_CHART_TYPE.COLUMN_CLUSTERED,
}
HORIZONTAL = frozenset({ChartKind.BAR, ChartKind.STACKED_BAR})
STACKED = frozenset({ChartKind.STACKED_COLUMN, ChartKind.PERCENT_COLUMN, ChartKind.STACKED_BAR})
SCALED = frozenset(
    {ChartKind.COLUMN, ChartKind.STACKED_COLUMN, ChartKind.BAR, ChartKind.STACKED_BAR}
)
# Stacked segments only line up when they overlap fully, whatever the spec asks.
STACKED_OVERLAP = 100
MIN_GAP_WIDTH = 20  # percent of a bar: the narrowest gap between clusters labels may ask for

MIN_LABEL_SIZE = CHART_LABEL_SIZE  # points: the smallest text readable at presentation distance
TEXT_CONTRAST = 4.5  # WCAG 2.2 AA for text under 18 pt
ALT_TEXT_TITLE = "Chart"
CROSSES_MAXIMUM = "max"

LINE_WIDTH = Pt(2.25)
FORECAST_OUTLINE = Pt(1.5)  # hatched bars keep a firm edge in the series colour
AXIS_LINE_WIDTH = Pt(0.75)
GRIDLINE_WIDTH = Pt(0.5)
GRIDLINE_BRIGHTNESS = 0.75  # gridlines are a light tint of the axis colour
MARKER_SIZE = 7  # points
CALLOUT_MARKER_SIZE = 11  # points
FORECAST_DASH = MSO_LINE_DASH_STYLE.DASH  # forecast stretches of a line

# Text estimates, in ems of the label size: generous for the theme's sans-serif digits.
CHAR_WIDTH_EM = 0.6
LINE_HEIGHT_EM = 1.3
LABEL_GAP = points(4)  # between a label and the bar end or marker it belongs to
LABEL_PAD = points(2)  # inside a bar, each side of a label
PLOT_PADDING = inches(0.1)  # chart edge to plot area, each side
CATEGORY_AXIS_SHARE = 0.4  # horizontal bars: the most of the width category names may take
MAX_LABEL_SHARE = 0.45  # never give labels more than this share of the value axis
RANGE_PASSES = 4  # fixed-point passes of the axis range against the labels beyond it

NICE_MULTIPLIERS = (1.0, 2.0, 2.5, 5.0, 10.0)
TICKS_MIN, TICKS_TARGET, TICKS_MAX = 4, 5, 8
ROUNDING_SLACK = 1e-9

_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_QUOTED = re.compile(r'"[^"]*"')
_BRACKETED = re.compile(r"\[[^\]]*\]")
_ESCAPED = re.compile(r"[\\_](.)")
_FILLER = re.compile(r"\*.")
_XML_SPECIAL = re.compile("[<>&]")


# -- public ---------------------------------------------------------------------------------


def add_native_chart(shapes: Any, spec: ChartSpec) -> Any:
    """Draw `spec` at spec.box on a slide's shapes as a native chart; return its graphic frame.

    The data goes into the chart's own workbook, so the chart stays editable in PowerPoint.
    Raises ValueError when the spec is inconsistent (series length, call-out on a gap, ...).
    """
    check_spec(spec)
    box = spec.box
    frame = shapes.add_chart(
        CHART_TYPE[spec.kind],
        Length(box.left),
        Length(box.top),
        Length(box.width),
        Length(box.height),
        _chart_data(spec),
    )
    chart = frame.chart
    chart_space = chart.element
    if spec.kind is ChartKind.COMBO:
        combo.add_secondary_line(
            chart_space, [i for i, s in enumerate(spec.series) if s.plot is Plot.LINE]
        )
    drawing = _Drawing(spec, _Palette(_theme_colors(shapes)))
    _style_chart(chart, drawing)
    series = {s.index: s for plot in chart.plots for s in plot.series}
    for index, series_spec in enumerate(spec.series):
        if drawing.is_line(series_spec):
            _style_line(series[index], series_spec)
        else:
            _style_bars(series[index], series_spec)
        ser = chart_space.xpath(f".//c:ser[c:idx/@val='{index}']")[0]
        _label_series(series[index], ser, index, drawing)
    _style_axes(chart, drawing)
    combo.renumber_axis_ids(chart_space)
    combo.set_rounded_corners_off(chart_space)
    _describe(frame, spec)
    return frame


def check_spec(spec: ChartSpec) -> None:
    """Raise ValueError when a spec cannot be drawn as it says."""
    count = len(spec.categories)
    if not spec.series:
        raise ValueError(f"chart {spec.name!r}: no series")
    if count == 0:
        raise ValueError(f"chart {spec.name!r}: no categories")
    for series in spec.series:
        for what, length in (
            ("values", len(series.values)),
            ("forecast flags", len(series.forecast) or count),
            ("point colours", len(series.point_colors) or count),
        ):
            if length != count:
                raise ValueError(
                    f"chart {spec.name!r}, series {series.name!r}: {length} {what} "
                    f"for {count} categories"
                )
    if spec.kind is ChartKind.COMBO:
        plots = {s.plot for s in spec.series}
        if plots != {Plot.COLUMN, Plot.LINE}:
            raise ValueError(f"chart {spec.name!r}: a combo chart needs column and line series")
    for callout in spec.callouts:
        if not (0 <= callout.series < len(spec.series) and 0 <= callout.point < count):
            raise ValueError(f"chart {spec.name!r}: call-out {callout.text!r} is off the chart")
        if _value(spec.series[callout.series], callout.point) is None:
            raise ValueError(f"chart {spec.name!r}: call-out {callout.text!r} is on a gap")


# -- scales ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """A value axis' bounds and tick step."""

    minimum: float
    maximum: float
    step: float

    @property
    def span(self) -> float:
        return self.maximum - self.minimum


def _tidy(value: float) -> float:
    """Drop binary noise (0.30000000000000004) from a computed bound."""
    return float(f"{value:.12g}")


def nice_step(span: float, ticks: int = TICKS_TARGET) -> float:
    """Return a 1, 2, 2.5 or 5 x 10^n step giving about `ticks` intervals over `span`."""
    raw = max(span, ROUNDING_SLACK) / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiplier in NICE_MULTIPLIERS:
        if multiplier * magnitude >= raw * (1 - ROUNDING_SLACK):
            return _tidy(multiplier * magnitude)
    return _tidy(10 * magnitude)


def _steps(low: float, high: float, step: float) -> tuple[int, int]:
    """Whole steps below and above zero needed to hold [low, high] (low <= 0 <= high)."""
    below = math.ceil(-low / step - ROUNDING_SLACK)
    above = math.ceil(high / step - ROUNDING_SLACK)
    return max(below, 0), max(above, 0)


def nice_scale(low: float, high: float) -> Scale:
    """Round [low, high] (which holds zero) out to whole nice steps, wasting the least span."""
    if high - low <= 0:
        high = low + 1.0
    scales = []
    for ticks in range(TICKS_MIN, TICKS_MAX + 1):
        step = nice_step(high - low, ticks)
        below, above = _steps(low, high, step)
        scales.append(Scale(_tidy(-below * step), _tidy(above * step), step))
    return min(scales, key=lambda scale: (round(scale.span, 9), scale.span / scale.step))


def aligned_scales(
    primary: tuple[float, float], secondary: tuple[float, float]
) -> tuple[Scale, Scale]:
    """Scale two value axes so that their zeros and gridlines line up.

    A line on a secondary axis crosses the category axis exactly where it crosses zero (the
    break-even year reads off the chart), and neither axis' ticks float against the other's.
    Of the step pairs that do this, the one whose axes the data fill best (the product of the
    two shares) is taken.
    """
    best: tuple[float, int, Scale, Scale] | None = None
    for ticks_a in range(TICKS_MIN, TICKS_MAX + 1):
        step_a = nice_step(max(primary[1] - primary[0], ROUNDING_SLACK), ticks_a)
        for ticks_b in range(TICKS_MIN, TICKS_MAX + 1):
            step_b = nice_step(max(secondary[1] - secondary[0], ROUNDING_SLACK), ticks_b)
            below_a, above_a = _steps(*primary, step_a)
            below_b, above_b = _steps(*secondary, step_b)
            below, above = max(below_a, below_b), max(above_a, above_b)
            total = below + above
            if not TICKS_MIN <= total <= TICKS_MAX:
                continue
            fill = (
                (primary[1] - primary[0])
                / (total * step_a)
                * (secondary[1] - secondary[0])
                / (total * step_b)
            )
            a = Scale(_tidy(-below * step_a), _tidy(above * step_a), step_a)
            b = Scale(_tidy(-below * step_b), _tidy(above * step_b), step_b)
            if best is None or (fill, -total) > (best[0], -best[1]):
                best = (fill, total, a, b)
    if best is None:
        return nice_scale(*primary), nice_scale(*secondary)
    return best[2], best[3]


def exact_scale(low: float, high: float) -> Scale:
    """[low, high] as it is (for a hidden axis: no ticks to round to)."""
    if high - low <= 0:
        high = low + 1.0
    return Scale(_tidy(low), _tidy(high), nice_step(high - low))


def _share_below_zero(bounds: tuple[float, float]) -> float:
    low, high = bounds
    return -low / (high - low) if high > low else 0.0


def aligned_exact_scales(
    primary: tuple[float, float], secondary: tuple[float, float]
) -> tuple[Scale, Scale]:
    """Two hidden axes with their zeros at the same height, neither wider than it must be."""
    share = max(_share_below_zero(primary), _share_below_zero(secondary))
    if share >= 1:
        return exact_scale(*primary), exact_scale(*secondary)
    scales = []
    for low, high in (primary, secondary):
        if _share_below_zero((low, high)) < share:
            low = -share * high / (1 - share)
        scales.append(exact_scale(low, high))
    return scales[0], scales[1]


# -- number formats and text estimates ---------------------------------------------------------


def _sections(number_format: str) -> list[str]:
    """Split an Excel number format into its ;-sections (not inside quotes)."""
    sections, current, quoted = [], "", False
    for char in number_format:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += char
    sections.append(current)
    return sections


def label_length(value: float, number_format: str) -> int:
    """Estimate how many characters Excel's `number_format` shows for `value`."""
    sections = _sections(number_format)
    sign = 0
    if value < 0 and len(sections) > 1:
        section = sections[1]
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    else:
        section, sign = sections[0], int(value < 0)
    literal = sum(len(quoted) - 2 for quoted in _QUOTED.findall(section))
    codes = _FILLER.sub("", _ESCAPED.sub("x", _BRACKETED.sub("", _QUOTED.sub("", section))))
    if codes.strip().lower() in ("", "general"):
        return sign + literal + len(f"{abs(value):g}")
    integer, _, fraction = codes.partition(".")
    decimals = sum(char in "0#?" for char in fraction)
    scaled = abs(value) * (100 if "%" in codes else 1)
    grouping = "," if "," in integer else ""
    digits = len(f"{scaled:{grouping}.{decimals}f}")
    literal += sum(char not in "0#?.," for char in codes)
    return sign + literal + digits


def _workbook_format(number_format: str) -> str:
    """The series' format for its workbook cells, where python-pptx can write it unescaped."""
    return "General" if _XML_SPECIAL.search(number_format) else number_format


def _xml_text(text: str) -> str:
    """Drop characters XML 1.0 cannot hold (python-pptx crashes on them in chart names)."""
    return _XML_INVALID.sub("", text)


def _value(series: SeriesSpec, index: int) -> float | None:
    """A point's value; None (a gap) for None, NaN and infinities, which python-pptx rejects."""
    value = series.values[index]
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def _chart_data(spec: ChartSpec) -> Any:
    """Every series, the line ones too: the workbook python-pptx embeds holds them all."""
    data = TextOnlyChartData()  # type: ignore[no-untyped-call]
    data.categories = [_xml_text(category) for category in spec.categories]
    for series in spec.series:
        values = [_value(series, i) for i in range(len(series.values))]
        name, number_format = _xml_text(series.name), _workbook_format(series.number_format)
        data.add_series(name, values, number_format)  # type: ignore[no-untyped-call]
    return data


# -- colour -----------------------------------------------------------------------------------


def _theme_colors(shapes: Any) -> dict[str, str]:
    """Theme slot -> "RRGGBB" of the slide's theme, so contrast is judged on the real colours."""
    try:
        master = shapes.part.slide_layout.slide_master
    except AttributeError:
        return {}
    return master_theme_colors(master)


@dataclass(frozen=True)
class _Palette:
    theme: dict[str, str]

    def contrast(self, first: Role, second: Role) -> float:
        return contrast_ratio(resolve_hex(first, self.theme), resolve_hex(second, self.theme))

    def text_on(self, fill: Role) -> Role | None:
        """The text colour readable on `fill`, or None when neither text colour is."""
        best = max((Role.TEXT, Role.BACKGROUND), key=lambda role: self.contrast(role, fill))
        return best if self.contrast(best, fill) >= TEXT_CONTRAST else None


# -- labels -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Label:
    """How one data label is drawn."""

    position: XL_LABEL_POSITION
    text: Role
    box: Role | None = None  # a fill behind the text where it sits on a pattern or a mid tone
    offset: tuple[float, float] | None = None  # from the default place, fractions of the chart
    bold: bool = False
    words: str | None = None  # a call-out's own text instead of the value


@dataclass(frozen=True)
class _Drawing:
    """A spec with what the drawing works out from it: sizes, scales, label places."""

    spec: ChartSpec
    palette: _Palette

    @property
    def size(self) -> float:
        return max(self.spec.label_size, MIN_LABEL_SIZE)

    @property
    def horizontal(self) -> bool:
        return self.spec.kind in HORIZONTAL

    @property
    def stacked(self) -> bool:
        return self.spec.kind in STACKED

    def is_line(self, series: SeriesSpec) -> bool:
        kind = self.spec.kind
        return kind is ChartKind.LINE or (kind is ChartKind.COMBO and series.plot is Plot.LINE)

    def callout(self, series: int, point: int) -> Callout | None:
        for callout in self.spec.callouts:
            if (callout.series, callout.point) == (series, point):
                return callout
        return None

    def labelled(self, series: int, point: int) -> bool:
        if _value(self.spec.series[series], point) is None:
            return False
        return self.spec.series[series].labels or self.callout(series, point) is not None

    # geometry

    def value_length(self) -> float:
        """Estimated length of the plot along the value axis, in EMU."""
        em = points(self.size)
        box = self.spec.box
        longest = max(len(category) for category in self.spec.categories)
        if self.horizontal:
            names = min(longest * CHAR_WIDTH_EM * em, CATEGORY_AXIS_SHARE * box.width)
            return max(box.width - names - 2 * PLOT_PADDING, em)
        per_category = box.width / len(self.spec.categories)
        lines = 1 if longest * CHAR_WIDTH_EM * em <= per_category else 2
        legend = LINE_HEIGHT_EM * em + PLOT_PADDING if self.spec.legend else 0
        return max(box.height - lines * LINE_HEIGHT_EM * em - legend - 2 * PLOT_PADDING, em)

    def label_extent(self, series: int, point: int) -> float:
        """Room a label needs along the value axis, in EMU."""
        em = points(self.size)
        if not self.horizontal:
            return LINE_HEIGHT_EM * em
        callout = self.callout(series, point)
        if callout is not None:
            chars = len(callout.text)
        else:
            spec = self.spec.series[series]
            chars = label_length(_value(spec, point) or 0.0, spec.number_format)
        return chars * CHAR_WIDTH_EM * em

    def fits(self, series: int, point: int, span: float) -> bool:
        """Whether a label fits inside its stacked segment on an axis of `span`."""
        share = abs(self.segment_share(series, point) or 0.0) / span
        return share * self.value_length() >= self.label_extent(series, point) + 2 * LABEL_PAD

    def segment_share(self, series: int, point: int) -> float | None:
        """A segment's length in axis units (of 1 for 100% stacked columns)."""
        value = _value(self.spec.series[series], point)
        if value is None or self.spec.kind is not ChartKind.PERCENT_COLUMN:
            return value
        total = sum(abs(_value(s, point) or 0.0) for s in self.spec.series)
        return value / total if total else 0.0

    def outermost(self, series: int, point: int) -> bool:
        """Whether a stacked segment is the last one out from zero on its side."""
        value = _value(self.spec.series[series], point) or 0.0
        for later in self.spec.series[series + 1 :]:
            other = _value(later, point) or 0.0
            if other and (other > 0) == (value > 0):
                return False
        return True

    def stack_end(self, series: int, point: int) -> float:
        value = _value(self.spec.series[series], point) or 0.0
        same_side = (_value(s, point) or 0.0 for s in self.spec.series[: series + 1])
        return sum(v for v in same_side if (v > 0) == (value > 0))

    # scales

    def _extent(self, indexes: Sequence[int]) -> tuple[float, float]:
        low = high = 0.0
        for point in range(len(self.spec.categories)):
            values = [_value(self.spec.series[i], point) for i in indexes]
            present = [v for v in values if v is not None]
            if self.stacked:
                high = max(high, sum(v for v in present if v > 0))
                low = min(low, sum(v for v in present if v < 0))
            else:
                high = max([high, *present])
                low = min([low, *present])
        return low, high

    def _outward(self, indexes: Sequence[int], span: float) -> list[tuple[float, float]]:
        """(end, extent) of every label drawn beyond the end of its bar or above its point."""
        needs: list[tuple[float, float]] = []
        for series in indexes:
            line = self.is_line(self.spec.series[series])
            for point in range(len(self.spec.categories)):
                if not self.labelled(series, point):
                    continue
                extent = self.label_extent(series, point)
                value = _value(self.spec.series[series], point) or 0.0
                if line:
                    marker = points(CALLOUT_MARKER_SIZE / 2)
                    needs.append((max(value, 0.0), extent + marker))
                elif not self.stacked:
                    needs.append((value, extent))
                elif self.outermost(series, point) and not self.fits(series, point, span):
                    needs.append((self.stack_end(series, point), extent))
        return needs

    def value_range(self, indexes: Sequence[int]) -> tuple[float, float]:
        """The data's range widened so that labels beyond the bars stay inside the plot."""
        base_low, base_high = self._extent(indexes)
        low, high = base_low, base_high
        length = self.value_length()
        for _ in range(RANGE_PASSES):
            needs = self._outward(indexes, max(high - low, ROUNDING_SLACK))
            new_low, new_high = base_low, base_high
            for end, extent in needs:
                share = min((extent + LABEL_GAP) / length, MAX_LABEL_SHARE)
                if end >= 0:
                    new_high = max(new_high, (end - share * low) / (1 - share))
                else:
                    new_low = min(new_low, (end - share * high) / (1 - share))
            low, high = new_low, new_high
        return low, high

    @cached_property
    def scales(self) -> tuple[Scale | None, Scale | None]:
        """Primary and secondary value-axis scales (None: leave it to PowerPoint).

        A visible axis gets whole nice steps; a hidden one ends where the labels need it to,
        so the bars use the height the box gives them.
        """
        kind = self.spec.kind
        every = range(len(self.spec.series))
        if kind in SCALED:
            low, high = self.value_range(every)
            if self.spec.value_axis_visible:
                return nice_scale(low, high), None
            return exact_scale(low, high), None
        if kind is ChartKind.COMBO:
            columns = [i for i in every if self.spec.series[i].plot is Plot.COLUMN]
            lines = [i for i in every if self.spec.series[i].plot is Plot.LINE]
            bounds = self.value_range(columns), self.value_range(lines)
            if self.spec.value_axis_visible or self.secondary_visible:
                return aligned_scales(*bounds)
            return aligned_exact_scales(*bounds)
        return None, None

    @property
    def span(self) -> float:
        """The primary axis' span (1 for 100% stacked), to judge what fits in a bar."""
        primary = self.scales[0]
        return primary.span if primary is not None else 1.0

    @property
    def secondary_visible(self) -> bool:
        """A combo's line axis shows when asked, or when a line has no labels to read it by."""
        lines = [s for s in self.spec.series if s.plot is Plot.LINE]
        return self.spec.value_axis_visible or not all(s.labels for s in lines)

    def category_length(self) -> float:
        """Estimated room per category along the category axis, in EMU."""
        em = points(self.size)
        box = self.spec.box
        count = len(self.spec.categories)
        if self.horizontal:
            legend = LINE_HEIGHT_EM * em + PLOT_PADDING if self.spec.legend else 0
            return (box.height - legend - 2 * PLOT_PADDING) / count
        axes = 0.0
        formats = [(self.spec.value_axis_visible, self.spec.value_format, self.scales[0])]
        if self.spec.kind is ChartKind.COMBO:
            secondary_format = self.spec.secondary_format or self.spec.value_format
            formats.append((self.secondary_visible, secondary_format, self.scales[1]))
        for visible, number_format, scale in formats:
            if visible:
                ends = (scale.minimum, scale.maximum) if scale else (0.0, 100.0)
                chars = max(label_length(end, number_format) for end in ends)
                axes += chars * CHAR_WIDTH_EM * em + PLOT_PADDING
        return (box.width - 2 * PLOT_PADDING - axes) / count

    def gap_width(self) -> int:
        """The spec's gap, narrowed where side-by-side value labels would run into each other.

        Clustered bars put each label over its own bar; when the bars are narrower than the
        labels, neighbours collide. The gap between clusters gives the bars room, down to
        MIN_GAP_WIDTH (call-outs, usually on a peak, are left out of the reckoning).
        """
        spec = self.spec
        bars = [i for i, s in enumerate(spec.series) if not self.is_line(s)]
        if self.stacked or len(bars) < 2 or spec.overlap >= STACKED_OVERLAP:
            return spec.gap_width
        em = points(self.size)
        across = 0.0
        for series in bars:
            bar = spec.series[series]
            if not bar.labels:
                continue
            for point in range(len(spec.categories)):
                value = _value(bar, point)
                if value is None or self.callout(series, point) is not None:
                    continue
                if self.horizontal:
                    across = max(across, LINE_HEIGHT_EM * em)
                else:
                    chars = label_length(value, bar.number_format)
                    across = max(across, chars * CHAR_WIDTH_EM * em)
        if not across:
            return spec.gap_width
        needed = (across + 2 * LABEL_PAD) / (1 - spec.overlap / 100)
        slots = len(bars) - (len(bars) - 1) * spec.overlap / 100
        fitting = math.floor(100 * (self.category_length() / needed - slots))
        return max(min(spec.gap_width, fitting), MIN_GAP_WIDTH)

    # labels

    def default_label(self, series: SeriesSpec) -> _Label:
        """The label most points of a series get (written once, on the series)."""
        if self.is_line(series):
            readable = self.palette.contrast(series.color, Role.BACKGROUND) >= TEXT_CONTRAST
            return _Label(XL_LABEL_POSITION.ABOVE, series.color if readable else Role.TEXT)
        if not self.stacked:
            return _Label(XL_LABEL_POSITION.OUTSIDE_END, Role.TEXT)
        return self.inside_label(series.color)

    def inside_label(self, fill: Role, forecast: bool = False) -> _Label:
        text = None if forecast else self.palette.text_on(fill)
        if text is None:
            return _Label(XL_LABEL_POSITION.CENTER, Role.TEXT, box=Role.BACKGROUND)
        return _Label(XL_LABEL_POSITION.CENTER, text)

    def point_label(self, series: int, point: int) -> _Label:
        spec = self.spec.series[series]
        label = self.default_label(spec)
        span = self.span
        if self.stacked:
            label = self.inside_label(_point_color(spec, point), _is_forecast(spec, point))
            if not self.fits(series, point, span):
                if self.outermost(series, point):
                    label = _Label(
                        label.position, Role.TEXT, offset=self._outside(series, point, span)
                    )
                else:
                    label = _Label(label.position, Role.TEXT, box=Role.BACKGROUND)
        elif self.is_line(spec):
            label = self.line_label(series, point, label)
        callout = self.callout(series, point)
        if callout is not None:
            label = replace(label, text=callout.color, bold=True, words=callout.text)
            if self.is_line(spec):
                # A call-out's words run wider than a point: keep whatever they cross legible.
                label = replace(label, box=Role.BACKGROUND)
        return label

    def line_label(self, series: int, point: int, label: _Label) -> _Label:
        """Above or below a line's point, whichever keeps it off the other lines and columns."""
        value = _value(self.spec.series[series], point) or 0.0
        if self.spec.kind is ChartKind.COMBO:
            return self._combo_line_label(value, point, label)
        others = [
            (other, index)
            for index, spec in enumerate(self.spec.series)
            if index != series and (other := _value(spec, point)) is not None
        ]
        higher = sum(1 for other, index in others if (other, -index) > (value, -series))
        if others and higher == len(others):
            return replace(label, position=XL_LABEL_POSITION.BELOW)
        return label

    def _combo_line_label(self, value: float, point: int, label: _Label) -> _Label:
        """A combo line's label: below when negative; over the columns, boxed, and off their labels.

        Positions are shares of the plot height; the two axes share their zero (aligned_scales).
        """
        primary, secondary = self.scales
        if primary is None or secondary is None:
            return label
        if value < 0:
            return replace(label, position=XL_LABEL_POSITION.BELOW)
        height = (LINE_HEIGHT_EM * points(self.size) + LABEL_GAP) / self.value_length()
        at = (value - secondary.minimum) / secondary.span
        tops: list[float] = []  # column tops at this category
        column_labels: list[tuple[float, float]] = []  # the bands their labels take
        for index, spec in enumerate(self.spec.series):
            column_value = _value(spec, point)
            if spec.plot is not Plot.COLUMN or column_value is None or column_value < 0:
                continue
            top = (column_value - primary.minimum) / primary.span
            tops.append(top)
            if self.labelled(index, point):
                column_labels.append((top, top + height))
        if not tops:
            return label
        # A line label centred on the category spans the middle of every column there, so it
        # must clear all their labels; where it still sits over a column it gets a box.
        above, below = (at, at + height), (at - height, at)
        position, band = XL_LABEL_POSITION.ABOVE, above
        if any(_overlaps(above, other) for other in column_labels) and not any(
            _overlaps(below, other) for other in column_labels
        ):
            position, band = XL_LABEL_POSITION.BELOW, below
        covered = max([*tops, *(end for _, end in column_labels)])
        boxed = band[0] < covered
        return replace(label, position=position, box=Role.BACKGROUND if boxed else None)

    def _outside(self, series: int, point: int, span: float) -> tuple[float, float]:
        """Offset moving a label from the middle of its segment to just beyond its end."""
        share = abs(self.segment_share(series, point) or 0.0) / span
        distance = share * self.value_length() / 2 + self.label_extent(series, point) / 2
        distance += LABEL_GAP
        sign = 1 if (_value(self.spec.series[series], point) or 0.0) >= 0 else -1
        box = self.spec.box
        if self.horizontal:
            return (_tidy(sign * distance / box.width), 0.0)
        return (0.0, _tidy(-sign * distance / box.height))


def _overlaps(first: tuple[float, float], second: tuple[float, float]) -> bool:
    return first[0] < second[1] and second[0] < first[1]


def _point_color(series: SeriesSpec, point: int) -> Role:
    override = series.point_colors[point] if series.point_colors else None
    return override or series.color


def _is_forecast(series: SeriesSpec, point: int) -> bool:
    return bool(series.forecast) and series.forecast[point]


def _all_forecast(series: SeriesSpec) -> bool:
    """Whether every drawn point is a forecast (the series itself is then hatched)."""
    drawn = [i for i in range(len(series.values)) if _value(series, i) is not None]
    return bool(drawn) and all(_is_forecast(series, i) for i in drawn)


def _label_series(series: Any, ser: Any, index: int, drawing: _Drawing) -> None:
    """Data labels on every point, and the points that differ from the series' own labels."""
    spec = drawing.spec.series[index]
    points_with_callouts = {c.point for c in drawing.spec.callouts if c.series == index}
    if not spec.labels and not points_with_callouts:
        return
    default = drawing.default_label(spec)
    labels = series.data_labels
    if spec.labels:
        labels.number_format = spec.number_format
        labels.number_format_is_linked = False
        labels.position = default.position
        labels.show_value = True
        _set_font(labels.font, drawing.size, default.text, bold=False)
    # python-pptx asks for leader lines, which LibreOffice draws across bars to moved labels.
    leader_lines = ser.find(f"{qn('c:dLbls')}/{qn('c:showLeaderLines')}")
    if leader_lines is not None:
        leader_lines.set("val", "0")
    for point in range(len(spec.values)):
        if not drawing.labelled(index, point):
            continue
        label = drawing.point_label(index, point)
        if label != default or not spec.labels:
            _write_point_label(ser, point, label, spec.number_format, drawing.size)
        if label.words is not None and drawing.is_line(spec):
            _mark_callout(series.points[point], label.text)


def _set_font(font: Any, size: float, color: Role, bold: bool) -> None:
    font.size = Pt(size)
    font.bold = bold
    colors.set_color(font.color, color)


def _write_point_label(
    ser: Any, point: int, label: _Label, number_format: str, size: float
) -> None:
    """Write one point's c:dLbl in full (a point's label does not inherit the series' one)."""
    dlbl = parse_xml(f'<c:dLbl {nsdecls("c", "a")}><c:idx val="{point}"/></c:dLbl>')
    if label.offset is not None:
        dlbl.append(
            parse_xml(
                f"<c:layout {nsdecls('c')}><c:manualLayout>"
                f'<c:x val="{label.offset[0]}"/><c:y val="{label.offset[1]}"/>'
                "</c:manualLayout></c:layout>"
            )
        )
    if label.words is not None:
        rich = parse_xml(
            f"<c:tx {nsdecls('c', 'a')}><c:rich><a:bodyPr/><a:lstStyle/>"
            '<a:p><a:pPr><a:defRPr/></a:pPr><a:r><a:rPr lang="en-GB"/><a:t/></a:r></a:p>'
            "</c:rich></c:tx>"
        )
        rich.find(f".//{qn('a:t')}").text = _xml_text(label.words)
        for properties in rich.iter(qn("a:defRPr"), qn("a:rPr")):
            _set_font(Font(properties), size, label.text, label.bold)
        dlbl.append(rich)
    number = parse_xml(f'<c:numFmt {nsdecls("c")} sourceLinked="0"/>')
    number.set("formatCode", number_format)
    dlbl.append(number)
    if label.box is not None:
        colors.fill_solid(ChartFormat(dlbl).fill, label.box)
    text = parse_xml(
        f"<c:txPr {nsdecls('c', 'a')}><a:bodyPr/><a:lstStyle/>"
        '<a:p><a:pPr><a:defRPr/></a:pPr><a:endParaRPr lang="en-GB"/></a:p></c:txPr>'
    )
    _set_font(Font(text.find(f".//{qn('a:defRPr')}")), size, label.text, label.bold)
    dlbl.append(text)
    position = XL_LABEL_POSITION.to_xml(label.position)
    flags = "".join(
        f'<c:{flag} val="{int(flag == "showVal")}"/>'
        for flag in (
            "showLegendKey",
            "showVal",
            "showCatName",
            "showSerName",
            "showPercent",
            "showBubbleSize",
        )
    )
    for child in parse_xml(
        f'<c:x {nsdecls("c")}><c:dLblPos val="{position}"/>{flags}</c:x>'
    ).iterchildren():
        dlbl.append(child)
    dlbls = ser.get_or_add_dLbls()
    existing = dlbls.findall(qn("c:dLbl"))
    for other in existing:
        if int(other.find(qn("c:idx")).get("val")) == point:
            dlbls.remove(other)
    existing = dlbls.findall(qn("c:dLbl"))
    later = [d for d in existing if int(d.find(qn("c:idx")).get("val")) > point]
    if later:
        later[0].addprevious(dlbl)
    else:
        dlbls.insert(len(existing), dlbl)


def _mark_callout(point: Any, color: Role) -> None:
    """A bigger marker in the call-out colour on the point a line call-out names."""
    marker = point.marker
    marker.style = XL_MARKER_STYLE.CIRCLE
    marker.size = CALLOUT_MARKER_SIZE
    colors.fill_solid(marker.format.fill, color)
    colors.set_color(marker.format.line.color, color)


# -- series -----------------------------------------------------------------------------------


def _outline(line: Any, color: Role) -> None:
    colors.set_color(line.color, color)
    line.width = FORECAST_OUTLINE


def _style_bars(series: Any, spec: SeriesSpec) -> None:
    """Bars in the series' theme colour; forecast points hatched, outlined in the same colour."""
    series.invert_if_negative = False
    hatched = _all_forecast(spec)
    if hatched:
        colors.fill_forecast(series.format.fill, spec.color)
        _outline(series.format.line, spec.color)
    else:
        colors.fill_solid(series.format.fill, spec.color)
        series.format.line.fill.background()
    for index in range(len(spec.values)):
        if _value(spec, index) is None:
            continue
        color, forecast = _point_color(spec, index), _is_forecast(spec, index)
        if forecast == hatched and color is spec.color:
            continue
        point = series.points[index]
        if forecast:
            colors.fill_forecast(point.format.fill, color)
            _outline(point.format.line, color)
        else:
            colors.fill_solid(point.format.fill, color)
            point.format.line.fill.background()


def _style_line(series: Any, spec: SeriesSpec) -> None:
    """A 2.25 pt line with markers; forecast stretches dashed with hollow markers."""
    series.smooth = False
    line = series.format.line
    colors.set_color(line.color, spec.color)
    line.width = LINE_WIDTH
    marker = series.marker
    marker.style = XL_MARKER_STYLE.CIRCLE
    marker.size = MARKER_SIZE
    colors.fill_solid(marker.format.fill, spec.color)
    colors.set_color(marker.format.line.color, spec.color)
    for index in range(len(spec.values)):
        if _value(spec, index) is None:
            continue
        color, forecast = _point_color(spec, index), _is_forecast(spec, index)
        if not forecast and color is spec.color:
            continue
        point = series.points[index]
        point_line = point.format.line
        colors.set_color(point_line.color, color)
        point_line.width = LINE_WIDTH
        if forecast:
            point_line.dash_style = FORECAST_DASH
        point.marker.style = XL_MARKER_STYLE.CIRCLE
        point.marker.size = MARKER_SIZE
        colors.fill_solid(point.marker.format.fill, Role.BACKGROUND if forecast else color)
        colors.set_color(point.marker.format.line.color, color)


# -- chart, axes, alt text ----------------------------------------------------------------------


def _no_fill_properties() -> Any:
    return parse_xml(f"<c:spPr {nsdecls('c', 'a')}><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>")


def _style_chart(chart: Any, drawing: _Drawing) -> None:
    """No title (the slide's title carries the message), no fills, theme fonts at label size."""
    spec = drawing.spec
    chart.has_title = False
    _set_font(chart.font, drawing.size, Role.TEXT, bold=False)
    chart_space = chart.element
    chart_space.find(qn("c:chart")).addnext(_no_fill_properties())
    plot_area = chart_space.find(f"{qn('c:chart')}/{qn('c:plotArea')}")
    plot_area.append(_no_fill_properties())
    chart.has_legend = spec.legend
    if spec.legend:
        legend = chart.legend
        legend.position = XL_LEGEND_POSITION.BOTTOM
        legend.include_in_layout = False
        _set_font(legend.font, drawing.size, Role.TEXT, bold=False)
    for plot in chart.plots:
        plot.vary_by_categories = False
        if isinstance(plot, BarPlot):
            plot.gap_width = drawing.gap_width()
            plot.overlap = STACKED_OVERLAP if drawing.stacked else spec.overlap


def _style_value_axis(
    axis: Any,
    drawing: _Drawing,
    number_format: str,
    scale: Scale | None,
    visible: bool,
    gridlines: bool,
) -> None:
    axis.major_tick_mark = XL_TICK_MARK.NONE
    axis.minor_tick_mark = XL_TICK_MARK.NONE
    axis.has_minor_gridlines = False
    axis.format.line.fill.background()
    if scale is not None:
        axis.minimum_scale = scale.minimum
        axis.maximum_scale = scale.maximum
        axis.major_unit = scale.step
    axis.has_major_gridlines = visible and gridlines
    if axis.has_major_gridlines:
        grid = axis.major_gridlines.format.line
        grid.width = GRIDLINE_WIDTH
        colors.set_color(grid.color, Role.SECONDARY)
        grid.color.brightness = GRIDLINE_BRIGHTNESS
    if not visible:
        # Kept (not deleted) so the axis still scales its series in every viewer.
        axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
        return
    axis.tick_label_position = XL_TICK_LABEL_POSITION.NEXT_TO_AXIS
    labels = axis.tick_labels
    labels.number_format = number_format
    labels.number_format_is_linked = False
    _set_font(labels.font, drawing.size, Role.SECONDARY, bold=False)


def _style_axes(chart: Any, drawing: _Drawing) -> None:
    spec = drawing.spec
    primary, secondary = drawing.scales
    category = chart.category_axis
    category.has_major_gridlines = False
    category.has_minor_gridlines = False
    category.major_tick_mark = XL_TICK_MARK.NONE
    category.minor_tick_mark = XL_TICK_MARK.NONE
    axis_line = category.format.line
    colors.set_color(axis_line.color, Role.SECONDARY)
    axis_line.width = AXIS_LINE_WIDTH
    _set_font(category.tick_labels.font, drawing.size, Role.SECONDARY, bold=False)
    plot_area = chart.element.find(f"{qn('c:chart')}/{qn('c:plotArea')}")
    value_axes = plot_area.findall(qn("c:valAx"))
    if drawing.horizontal:
        # Categories read top to bottom as given; the value axis stays at the bottom, where
        # the last category now is (c:crosses on a value axis: where on the category axis).
        category.reverse_order = True
        value_axes[0].find(qn("c:crosses")).set("val", CROSSES_MAXIMUM)
    has_negative = any(
        (v := _value(s, i)) is not None and v < 0 for s in spec.series for i in range(len(s.values))
    )
    if has_negative or (primary is not None and primary.minimum < 0):
        # Names at the low end of the value axis, clear of bars going either way from zero.
        category.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    # Not chart.value_axis: python-pptx answers the second value axis when there are two.
    left = ValueAxis(value_axes[0])  # type: ignore[no-untyped-call]
    number_format = spec.value_format
    columns = [s for s in spec.series if s.plot is Plot.COLUMN]
    columns_negative = any(
        (v := _value(s, i)) is not None and v < 0 for s in columns for i in range(len(s.values))
    )
    if (
        spec.kind is ChartKind.COMBO
        and primary is not None
        and primary.minimum < 0
        and not columns_negative
    ):
        # The columns' axis runs below zero only to line up with the line's: no column is
        # negative, so its negative ticks stay blank (an empty second format section).
        positive = _sections(number_format)[0]
        number_format = f"{positive};;{positive}"
    visible = spec.value_axis_visible
    _style_value_axis(left, drawing, number_format, primary, visible, gridlines=True)
    if spec.kind is ChartKind.COMBO:
        right = ValueAxis(value_axes[1])  # type: ignore[no-untyped-call]
        number_format = spec.secondary_format or spec.value_format
        visible = drawing.secondary_visible
        # Gridlines once: the two axes' ticks coincide, so the left axis draws them if shown.
        gridlines = not spec.value_axis_visible
        _style_value_axis(right, drawing, number_format, secondary, visible, gridlines)


def _describe(frame: Any, spec: ChartSpec) -> None:
    """Name the shape and give it alt text (python-pptx has no API for a chart's)."""
    frame.name = _xml_text(spec.name)
    properties = frame.element.find(f".//{qn('p:cNvPr')}")
    properties.set("descr", _xml_text(spec.alt_text))
    properties.set("title", ALT_TEXT_TITLE)
