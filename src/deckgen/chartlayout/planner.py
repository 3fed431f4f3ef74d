"""Lay a chart out: legend, scales, the plot's place, the marks, then the labels on them.

The scale and the labels depend on each other (a label above the highest point needs room
above it), so the layout is tried, the labels' overflow measured, the scale widened by it and
the layout tried again until nothing sticks out: two or three rounds.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from deckgen.chartlayout.data import (
    HORIZONTAL,
    STACKED,
    check_spec,
    is_forecast,
    is_line,
    point_color,
    value,
)
from deckgen.chartlayout.geometry import (
    Bar,
    CategoryName,
    ChartLayout,
    Label,
    Legend,
    LegendEntry,
    Line,
    Marker,
    Point,
    Pointer,
    Rect,
    Tick,
    ValueAxis,
)
from deckgen.chartlayout.labels import TEXT_CONTRAST, Places
from deckgen.chartlayout.numbers import format_number, positive_only, unit_of
from deckgen.chartlayout.scales import (
    Scale,
    aligned_exact_scales,
    aligned_scales,
    exact_scale,
    nice_scale,
)
from deckgen.design import CHART, SAMPLE_FONT, ChartStyle, Role, contrast_ratio, resolve_hex
from deckgen.specs import EMU_PER_POINT, Callout, ChartKind, ChartSpec, SeriesSpec
from deckgen.textmetrics import Measurer

STACKED_OVERLAP = 100  # stacked segments only line up when they overlap fully
TURN_ANGLE = 45.0  # degrees, category names too wide for their slot even wrapped
CATEGORY_SLOT_SHARE = 0.94  # a column's name may use this share of its slot
PASSES = 6  # scale against labels beyond the data: settles in two or three
SETTLED = 0.5  # points of overflow that count as none


def lay_out(
    spec: ChartSpec,
    theme: Mapping[str, str] | None = None,
    font: str = SAMPLE_FONT,
    style: ChartStyle = CHART,
) -> ChartLayout:
    """Decide how `spec` is drawn at its box, in a template of this theme and body font.

    Raises ValueError when the spec is inconsistent (see check_spec).
    """
    check_spec(spec)
    return Planner(spec, dict(theme or {}), font, style).run()


@dataclass
class _Room:
    """Value-axis room beyond the data that labels and markers need, in each axis' units."""

    low: float = 0.0
    high: float = 0.0


@dataclass
class _Pass:
    """One trial of the layout at one pair of scales."""

    plot: Rect
    primary: ValueAxis
    secondary: ValueAxis | None
    names: tuple[CategoryName, ...]
    gap_width: int
    bars: list[Bar]
    lines: list[Line]
    labels: list[Label]
    pointers: list[Pointer]


class Planner:
    """Works a layout out: scales, plot, marks, then labels, until labels fit their scale."""

    def __init__(self, spec: ChartSpec, theme: dict[str, str], font: str, style: ChartStyle):
        self.spec = spec
        self.theme = theme
        self.font = font
        self.style = style
        self.measurer = Measurer(font)
        self.size = max(spec.label_size, style.label_size)
        self.width = spec.box.width / EMU_PER_POINT
        self.height = spec.box.height / EMU_PER_POINT
        self.horizontal = spec.kind in HORIZONTAL
        self.stacked = spec.kind in STACKED
        self.count = len(spec.categories)
        self.line_height = self.measurer.line_height(self.size)
        self.columns = [i for i, s in enumerate(spec.series) if not is_line(spec, s)]
        self.line_indexes = [i for i, s in enumerate(spec.series) if is_line(spec, s)]
        self.sizes: dict[tuple[str, bool], tuple[float, float]] = {}
        # Clustered horizontal bars name their series on the bars themselves: LibreOffice lists
        # such a legend bottom-up while the bars read top-down (PowerPoint does not), so a
        # legend there cannot be in the order the eye meets the series in every viewer.
        self.direct_names = (
            spec.kind is ChartKind.BAR
            and spec.legend
            and len(spec.series) > 1
            and all(s.labels for s in spec.series)
        )

    # -- helpers --

    def text_size(self, text: str, bold: bool = False) -> tuple[float, float]:
        key = (text, bold)
        if key not in self.sizes:
            width = self.measurer.width(text, self.size, bold=bold)
            self.sizes[key] = (width, self.line_height)
        return self.sizes[key]

    def contrast(self, first: Role, second: Role) -> float:
        return contrast_ratio(resolve_hex(first, self.theme), resolve_hex(second, self.theme))

    def text_on(self, fill: Role) -> Role | None:
        """The text colour readable on `fill`, or None when neither text colour is."""
        best = max((Role.TEXT, Role.BACKGROUND), key=lambda role: self.contrast(role, fill))
        return best if self.contrast(best, fill) >= TEXT_CONTRAST else None

    def line_text(self, series: SeriesSpec) -> Role:
        """Line labels in the line's colour where it reads as text, else in the text colour."""
        if self.contrast(series.color, Role.BACKGROUND) >= TEXT_CONTRAST:
            return series.color
        return Role.TEXT

    def callout(self, series: int, point: int) -> Callout | None:
        for callout in self.spec.callouts:
            if (callout.series, callout.point) == (series, point) and not callout.crossing:
                return callout
        return None

    def labelled(self, series: int, point: int) -> bool:
        if value(self.spec.series[series], point) is None:
            return False
        return self.spec.series[series].labels or self.callout(series, point) is not None

    def value_text(self, series: int, point: int) -> tuple[str, str | None, bool]:
        """(text shown, call-out words or None, bold) of a point's label."""
        spec = self.spec.series[series]
        callout = self.callout(series, point)
        if callout is not None:
            return callout.text, callout.text, True
        text = format_number(value(spec, point) or 0.0, spec.number_format)
        if self.direct_names and point == self.first_full_category:
            return f"{spec.name} {text}", None, False
        return text, None, False

    @cached_property
    def first_full_category(self) -> int:
        """Where clustered bars name their series: the first category every series has."""
        for point in range(self.count):
            if all(value(s, point) is not None for s in self.spec.series):
                return point
        return 0

    # -- legend and category names --

    def legend_entries(self) -> list[LegendEntry]:
        if not self.spec.legend or self.direct_names:
            return []
        entries: list[LegendEntry] = []
        partly = False
        for index, series in enumerate(self.spec.series):
            drawn = [i for i in range(self.count) if value(series, i) is not None]
            flags = [is_forecast(series, i) for i in drawn]
            every = bool(flags) and all(flags)
            partly = partly or (any(flags) and not every)
            line = is_line(self.spec, series)
            entries.append(
                LegendEntry(
                    series.name, index, line, series.color, not line and every, line and every
                )
            )
        if partly:
            bars = any(
                is_forecast(self.spec.series[i], p) for i in self.columns for p in range(self.count)
            )
            entries.append(LegendEntry("Forecast", None, not bars, Role.SECONDARY, bars, not bars))
        return entries

    def legend(self, entries: list[LegendEntry]) -> Legend | None:
        if not entries:
            return None
        style = self.style
        available = self.width - 2 * style.edge_pad
        widths = [style.legend_key + 4 + self.text_size(e.text)[0] for e in entries]
        columns = len(entries)
        while columns > 1:
            rows = [widths[i : i + columns] for i in range(0, len(widths), columns)]
            if all(sum(r) + style.legend_spacing * (len(r) - 1) <= available for r in rows):
                break
            columns -= 1
        rows_needed = math.ceil(len(entries) / columns)
        height = rows_needed * self.line_height
        top = self.height - style.edge_pad - height
        # As wide as its widest row, centred: a viewer given a wider box spreads the entries
        # over it (LibreOffice does), and one given none wraps them as it likes.
        grid = [widths[i : i + columns] for i in range(0, len(widths), columns)]
        width = max(sum(r) + style.legend_spacing * (len(r) - 1) for r in grid)
        width = min(width + style.legend_spacing, available)
        left = style.edge_pad + (available - width) / 2
        return Legend(tuple(entries), Rect(left, top, width, height), columns)

    def wrap(self, text: str, width: float) -> list[str]:
        return self.measurer.wrap(text, max(width, 1.0), self.size) or [""]

    def names_room(self, slot: float) -> float:
        """Horizontal bars: the width category names take, left of the plot. Up to the style's
        share of the chart, wrapped; wider, up to its most, where names wrapped that narrow
        would need more lines than their slot holds and crowd the next name."""
        names = [n.strip() for n in self.spec.categories]
        widest = max((self.text_size(n)[0] for n in names), default=0.0)
        room = min(widest, self.style.category_share * self.width)
        lines = max(1, int((slot - self.style.label_gap) // self.line_height))
        if all(len(self.wrap(n, room)) <= lines for n in names):
            return room
        most = min(widest, self.style.category_share_most * self.width)
        return min(max(room, *(self._width_in(n, lines) for n in names)), most)

    def _width_in(self, name: str, lines: int) -> float:
        """The narrowest width at which `name` wraps into `lines` lines or fewer."""
        words = name.split()
        runs = {
            " ".join(words[start:end])
            for start in range(len(words))
            for end in range(start + 1, len(words) + 1)
        }
        widths = sorted(self.text_size(run)[0] for run in runs)
        return next((w for w in widths if len(self.wrap(name, w)) <= lines), widths[-1])

    def vertical_names(self, plot: Rect) -> tuple[list[list[str]], bool, float]:
        """Column and line charts: each name's lines, whether they are turned, their height."""
        slot = plot.width / max(self.count, 1) * CATEGORY_SLOT_SHARE
        names = [n.strip() for n in self.spec.categories]
        words = [w for n in names for w in n.split()]
        if all(self.text_size(w)[0] <= slot for w in words):
            wrapped = [self.wrap(n, slot) for n in names]
            return wrapped, False, max(len(w) for w in wrapped) * self.line_height
        turned = math.radians(TURN_ANGLE)
        limit = self.height * self.style.turned_share / math.sin(turned)
        wrapped = [self.wrap(n, limit) for n in names]
        tallest = 0.0
        for lines in wrapped:
            width = max(self.text_size(line)[0] for line in lines)
            depth = len(lines) * self.line_height
            tallest = max(tallest, width * math.sin(turned) + depth * math.cos(turned))
        return wrapped, True, tallest

    # -- scales --

    def extent(self, indexes: Sequence[int]) -> tuple[float, float]:
        """The data's range on one axis, zero included (stacks summed by sign)."""
        if self.spec.kind is ChartKind.PERCENT_COLUMN:
            return 0.0, 1.0
        low = high = 0.0
        for point in range(self.count):
            present = [v for i in indexes if (v := value(self.spec.series[i], point)) is not None]
            if self.stacked:
                high = max(high, sum(v for v in present if v > 0))
                low = min(low, sum(v for v in present if v < 0))
            else:
                high = max([high, *present])
                low = min([low, *present])
        return low, high

    @cached_property
    def shared_unit(self) -> bool:
        """A combo whose columns and line are in one unit (both £m): one scale for both axes."""
        if self.spec.kind is not ChartKind.COMBO:
            return False
        first = unit_of(self.spec.value_format)
        second = unit_of(self.spec.secondary_format or self.spec.value_format)
        return first is not None and first == second

    @cached_property
    def secondary_visible(self) -> bool:
        """A combo's line axis shows when asked, or when a line has no labels to read it by."""
        lines = [self.spec.series[i] for i in self.line_indexes]
        return self.spec.value_axis_visible or not all(s.labels for s in lines)

    def scales(self, room: dict[str, _Room]) -> tuple[Scale, Scale | None]:
        style = self.style
        if self.spec.kind is ChartKind.PERCENT_COLUMN:
            return Scale(0.0, 1.0, 0.25), None

        def widened(indexes: Sequence[int], extra: _Room) -> tuple[float, float]:
            low, high = self.extent(indexes)
            return low - extra.low, high + extra.high

        if self.spec.kind is not ChartKind.COMBO:
            low, high = widened(range(len(self.spec.series)), room["primary"])
            if self.spec.value_axis_visible:
                return nice_scale(low, high, style), None
            return exact_scale(low, high, style), None
        first = widened(self.columns, room["primary"])
        second = widened(self.line_indexes, room["secondary"])
        visible = self.spec.value_axis_visible or self.secondary_visible
        if self.shared_unit:
            union = (min(first[0], second[0]), max(first[1], second[1]))
            scale = nice_scale(*union, style) if visible else exact_scale(*union, style)
            return scale, scale
        if visible:
            return aligned_scales(first, second, style)
        return aligned_exact_scales(first, second, style)

    def axis(
        self, scale: Scale, number_format: str, visible: bool, gridlines: bool, blank_below: bool
    ) -> ValueAxis:
        shown = positive_only(number_format) if blank_below else number_format
        ticks = []
        if visible:
            for number in scale.ticks():
                text = format_number(number, shown)
                ticks.append(Tick(number, text, Rect(0, 0, *self.text_size(text))))
        return ValueAxis(scale, shown, visible, gridlines, tuple(ticks))

    def axes(self, primary: Scale, secondary: Scale | None) -> tuple[ValueAxis, ValueAxis | None]:
        spec = self.spec
        shown = spec.value_axis_visible
        if spec.kind is not ChartKind.COMBO or secondary is None:
            return self.axis(primary, spec.value_format, shown, shown, False), None
        columns_below = any(
            (v := value(spec.series[i], p)) is not None and v < 0
            for i in self.columns
            for p in range(self.count)
        )
        # The columns' axis runs below zero only to line up with the line's: no column is
        # negative, so where the axes differ in unit its negative ticks stay blank.
        blank = primary.minimum < 0 and not columns_below and not self.shared_unit
        first = self.axis(primary, spec.value_format, shown, shown, blank)
        other_format = spec.secondary_format or spec.value_format
        # Gridlines once: the two axes' ticks coincide, so the left axis draws them if shown.
        second = self.axis(secondary, other_format, self.secondary_visible, not shown, False)
        return first, second

    # -- the plot and its marks --

    def plot_rect(
        self, primary: ValueAxis, secondary: ValueAxis | None, legend: Legend | None
    ) -> tuple[Rect, tuple[CategoryName, ...]]:
        style = self.style
        pad = style.edge_pad
        bottom = self.height - pad
        if legend is not None:
            bottom = legend.rect.y - style.legend_gap
        top = pad
        if self.horizontal:
            right = self.width - pad
            if primary.visible and primary.ticks:
                bottom -= self.line_height + style.axis_gap
                right -= primary.ticks[-1].rect.width / 2
            room = self.names_room((bottom - top) / max(self.count, 1))
            left = pad + room + style.axis_gap
            if primary.visible and primary.ticks:
                left = max(left, pad + primary.ticks[0].rect.width / 2)
            plot = self._guarded(Rect(left, top, right - left, bottom - top))
            return plot, self._bar_names(plot, room)
        left, right = pad, self.width - pad
        if primary.visible and primary.ticks:
            left += max(t.rect.width for t in primary.ticks) + style.axis_gap
            top += self.line_height / 2
        if secondary is not None and secondary.visible and secondary.ticks:
            right -= max(t.rect.width for t in secondary.ticks) + style.axis_gap
            top = pad + self.line_height / 2
        trial = Rect(left, top, right - left, bottom - top)
        wrapped, turned, depth = self.vertical_names(trial)
        plot = self._guarded(Rect(left, top, right - left, bottom - top - depth - style.axis_gap))
        return plot, self._column_names(plot, wrapped, turned)

    def _guarded(self, plot: Rect) -> Rect:
        """Never less than a share of the chart: tiny boxes still get a plot to draw in."""
        share = self.style.min_plot_share
        width, height = plot.width, plot.height
        x, y = plot.x, plot.y
        if width < self.width * share:
            width = self.width * share
            x = (self.width - width) / 2
        if height < self.height * share:
            height = self.height * share
            y = (self.height - height) / 2
        return Rect(x, y, width, height)

    def _bar_names(self, plot: Rect, room: float) -> tuple[CategoryName, ...]:
        slot = plot.height / max(self.count, 1)
        names = []
        for index, name in enumerate(self.spec.categories):
            lines = self.wrap(name.strip(), room)
            height = len(lines) * self.line_height
            width = max(self.text_size(line)[0] for line in lines)
            center_y = plot.y + (index + 0.5) * slot
            x = plot.x - self.style.axis_gap - width
            names.append(
                CategoryName("\n".join(lines), Rect(x, center_y - height / 2, width, height), False)
            )
        return tuple(names)

    def _column_names(
        self, plot: Rect, wrapped: list[list[str]], turned: bool
    ) -> tuple[CategoryName, ...]:
        slot = plot.width / max(self.count, 1)
        names = []
        for index, lines in enumerate(wrapped):
            width = max(self.text_size(line)[0] for line in lines)
            height = len(lines) * self.line_height
            center_x = plot.x + (index + 0.5) * slot
            top = plot.bottom + self.style.axis_gap
            names.append(
                CategoryName(
                    "\n".join(lines), Rect(center_x - width / 2, top, width, height), turned
                )
            )
        return tuple(names)

    def along(self, number: float, scale: Scale, plot: Rect) -> float:
        """Where a value sits along the value axis, in points."""
        share = (number - scale.minimum) / scale.span if scale.span else 0.0
        if self.horizontal:
            return plot.x + share * plot.width
        return plot.bottom - share * plot.height

    def across(self, category: float, plot: Rect) -> float:
        """Where a category position (0 = the first one's centre) sits, in points."""
        slot = (plot.height if self.horizontal else plot.width) / max(self.count, 1)
        return (plot.y if self.horizontal else plot.x) + (category + 0.5) * slot

    def xy(self, category: float, number: float, scale: Scale, plot: Rect) -> Point:
        along, across = self.along(number, scale, plot), self.across(category, plot)
        return (along, across) if self.horizontal else (across, along)

    def gap_width(self, plot: Rect) -> int:
        """The spec's gap, narrowed where side-by-side value labels would run into each other.

        Clustered bars put each label over its own bar; when the bars are narrower than the
        labels, neighbours collide. The gap between clusters gives the bars room, down to the
        style's narrowest gap (call-outs, usually on a peak, are left out of the reckoning).
        """
        spec = self.spec
        bars = self.columns
        if self.stacked or len(bars) < 2 or spec.overlap >= STACKED_OVERLAP:
            return spec.gap_width
        across = 0.0
        for series in bars:
            if not spec.series[series].labels:
                continue
            for point in range(self.count):
                if value(spec.series[series], point) is None or self.callout(series, point):
                    continue
                width, height = self.text_size(self.value_text(series, point)[0])
                across = max(across, height if self.horizontal else width)
        if not across:
            return spec.gap_width
        slot = (plot.height if self.horizontal else plot.width) / max(self.count, 1)
        needed = (across + 2 * self.style.clearance) / (1 - spec.overlap / 100)
        slots = len(bars) - (len(bars) - 1) * spec.overlap / 100
        fitting = math.floor(100 * (slot / needed - slots))
        return max(min(spec.gap_width, fitting), self.style.min_gap_width)

    def bars(self, scale: Scale, plot: Rect, gap_width: int) -> list[Bar]:
        """Columns or bars from zero (stacks by sign, as Excel spaces them); gaps left out."""
        spec = self.spec
        count = len(self.columns)
        if not count:
            return []
        gap = max(gap_width, 0) / 100
        if self.stacked:
            thickness, offsets = 1 / (1 + gap), [0.0] * count
        else:
            overlap = min(max(spec.overlap, -100), 100) / 100
            thickness = 1 / (count - (count - 1) * overlap + gap)
            step = thickness * (1 - overlap)
            first = -step * (count - 1) / 2
            offsets = [first + i * step for i in range(count)]
        totals = [
            sum(abs(v) for i in self.columns if (v := value(spec.series[i], c)) is not None)
            for c in range(self.count)
        ]
        positive, negative = [0.0] * self.count, [0.0] * self.count
        slot = (plot.height if self.horizontal else plot.width) / max(self.count, 1)
        bars = []
        for place, index in enumerate(self.columns):
            series = spec.series[index]
            for c in range(self.count):
                number = value(series, c)
                if number is None:
                    continue
                if spec.kind is ChartKind.PERCENT_COLUMN:
                    number = number / totals[c] if totals[c] else 0.0
                start = 0.0
                if self.stacked:
                    bases = negative if number < 0 else positive
                    start = bases[c]
                    bases[c] += number
                end = start + number
                center = c + offsets[place]
                a, b = self.along(start, scale, plot), self.along(end, scale, plot)
                middle = self.across(center, plot)
                half = thickness * slot / 2
                if self.horizontal:
                    rect = Rect(min(a, b), middle - half, abs(b - a), 2 * half)
                else:
                    rect = Rect(middle - half, min(a, b), 2 * half, abs(b - a))
                bars.append(
                    Bar(
                        index,
                        c,
                        center,
                        thickness,
                        start,
                        end,
                        rect,
                        point_color(series, c),
                        is_forecast(series, c),
                    )
                )
        return bars

    def lines(self, scale: Scale, plot: Rect) -> list[Line]:
        style = self.style
        lines = []
        for index in self.line_indexes:
            series = self.spec.series[index]
            markers = []
            for c in range(self.count):
                number = value(series, c)
                if number is None:
                    continue
                forecast = is_forecast(series, c)
                color = point_color(series, c)
                callout = self.callout(index, c)
                size = style.callout_marker_size if callout else style.marker_size
                fill = callout.color if callout else (Role.BACKGROUND if forecast else color)
                markers.append(
                    Marker(
                        index,
                        c,
                        self.xy(c, number, scale, plot),
                        number,
                        callout.color if callout else color,
                        fill,
                        size,
                        forecast,
                    )
                )
            segments = tuple(
                (a, b) for a, b in itertools.pairwise(markers) if b.point == a.point + 1
            )
            secondary = self.spec.kind is ChartKind.COMBO
            lines.append(Line(index, series.color, secondary, tuple(markers), segments))
        return lines

    # -- labels --

    def run(self) -> ChartLayout:
        entries = self.legend_entries()
        legend = self.legend(entries)
        room = {"primary": _Room(), "secondary": _Room()}
        trial = self.trial(room, legend)
        for _ in range(PASSES):
            grew = False
            scales = [trial.primary.scale] + ([trial.secondary.scale] if trial.secondary else [])
            below, above = self.overflow(trial)
            length = trial.plot.width if self.horizontal else trial.plot.height
            if below <= SETTLED and above <= SETTLED:
                break
            for key, scale in zip(("primary", "secondary"), scales, strict=False):
                per_point = scale.span / max(length, 1.0)
                if above > SETTLED:
                    room[key].high += above * per_point
                    grew = True
                if below > SETTLED:
                    room[key].low += below * per_point
                    grew = True
            if not grew or self.spec.kind is ChartKind.PERCENT_COLUMN:
                break
            trial = self.trial(room, legend)
        primary = trial.primary.scale
        plot = trial.plot
        zero = (
            self.along(0.0, primary, plot)
            if primary.minimum <= 0 <= primary.maximum
            else (self.along(primary.minimum, primary, plot))
        )
        if self.horizontal:
            baseline = ((zero, plot.y), (zero, plot.bottom))
        else:
            baseline = ((plot.x, zero), (plot.right, zero))
        negative = any(
            (v := value(s, i)) is not None and v < 0
            for s in self.spec.series
            for i in range(self.count)
        )
        return ChartLayout(
            spec=self.spec,
            style=self.style,
            font=self.font,
            size=self.size,
            width=self.width,
            height=self.height,
            plot=plot,
            horizontal=self.horizontal,
            stacked=self.stacked,
            gap_width=trial.gap_width,
            overlap=STACKED_OVERLAP if self.stacked else self.spec.overlap,
            primary=trial.primary,
            secondary=trial.secondary,
            names=trial.names,
            names_low=negative or primary.minimum < 0,
            baseline=baseline,
            bars=tuple(trial.bars),
            lines=tuple(trial.lines),
            labels=tuple(trial.labels),
            pointers=tuple(trial.pointers),
            legend=legend,
            theme=dict(self.theme),
        )

    def trial(self, room: dict[str, _Room], legend: Legend | None) -> _Pass:
        primary_scale, secondary_scale = self.scales(room)
        primary, secondary = self.axes(primary_scale, secondary_scale)
        plot, names = self.plot_rect(primary, secondary, legend)
        primary, secondary = self.place_ticks(primary, secondary, plot)
        gap_width = self.gap_width(plot)
        bars = self.bars(primary.scale, plot, gap_width)
        line_scale = secondary.scale if secondary is not None else primary.scale
        lines = self.lines(line_scale, plot)
        places = Places(self, plot, bars, lines, primary.scale)
        places.pointer_marks(line_scale)
        places.bar_labels()
        places.line_labels()
        places.pointer_words()
        return _Pass(
            plot, primary, secondary, names, gap_width, bars, lines, places.labels, places.pointers
        )

    def place_ticks(
        self, primary: ValueAxis, secondary: ValueAxis | None, plot: Rect
    ) -> tuple[ValueAxis, ValueAxis | None]:
        gap = self.style.axis_gap

        def placed(axis: ValueAxis, right_side: bool) -> ValueAxis:
            ticks = []
            for tick in axis.ticks:
                width, height = tick.rect.width, tick.rect.height
                at = self.along(tick.number, axis.scale, plot)
                if self.horizontal:
                    rect = Rect(at - width / 2, plot.bottom + gap, width, height)
                elif right_side:
                    rect = Rect(plot.right + gap, at - height / 2, width, height)
                else:
                    rect = Rect(plot.x - gap - width, at - height / 2, width, height)
                ticks.append(Tick(tick.number, tick.text, rect))
            return ValueAxis(
                axis.scale, axis.number_format, axis.visible, axis.gridlines, tuple(ticks)
            )

        return placed(primary, False), (placed(secondary, True) if secondary else None)

    def overflow(self, trial: _Pass) -> tuple[float, float]:
        """How far labels and markers reach beyond the plot at its low and high value ends."""
        margin = self.style.clearance
        rects = [label.rect for label in trial.labels]
        rects += [p.rect for p in trial.pointers]
        for line in trial.lines:
            rects += [Rect.around(m.center, m.size, m.size) for m in line.markers]
        plot = trial.plot
        low = high = 0.0
        for rect in rects:
            if self.horizontal:
                low = max(low, plot.x + margin - rect.x)
                high = max(high, rect.right - (plot.right - margin))
            else:
                low = max(low, rect.bottom - (plot.bottom - margin))
                high = max(high, plot.y + margin - rect.y)
        return low, high
