"""Where each data label and call-out goes: the first clear place, by geometry.

A label is kept off lines, markers, columns and the labels placed before it; a label too big
for its bar goes just beyond it, or beside it; a call-out that names a place between points
(break-even) points at that place with a leader, its words in the nearest clear space.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from deckgen.chartlayout.data import value
from deckgen.chartlayout.geometry import Bar, Label, Line, Marker, Point, Pointer, Position, Rect
from deckgen.chartlayout.scales import Scale
from deckgen.design import Role
from deckgen.specs import SeriesSpec

if TYPE_CHECKING:
    from deckgen.chartlayout.planner import Planner

TEXT_CONTRAST = 4.5  # WCAG 2.2 AA for text under 18 pt
DIAGONAL = math.sqrt(0.5)
# How much worse than overlapping a square point of text it is for a label to sit on a line,
# or to stick out of the plot by a point (where axis labels are): both only when nothing is clear.
ON_A_LINE = 10_000.0
ON_THE_AXIS = 500.0  # the category axis at zero: better crossed than the data's own line
FARTHER = (0.75, 1.5)  # line heights a label may stand further off when nothing near is clear
OFF_PLOT = 1_000.0


@dataclass(frozen=True)
class _BarText:
    """What a bar's label says, and how big it is, before a place is found for it."""

    bar: Bar
    text: str
    words: str | None  # a call-out's own words
    bold: bool
    callout_color: Role | None  # the colour a call-out gives the label
    width: float
    height: float

    @property
    def color(self) -> Role:
        """The label's colour where it does not sit on the bar."""
        return self.callout_color or Role.TEXT

    def at(self, rect: Rect, position: Position, color: Role, **placed: Any) -> Label:
        """The label, put at `rect`."""
        series, point = self.bar.series, self.bar.point
        return Label(
            series,
            point,
            self.text,
            rect,
            position,
            color,
            bold=self.bold,
            words=self.words,
            **placed,
        )


class Places:
    """Places labels one by one, each clear of the marks and of the labels placed before it."""

    def __init__(
        self, planner: Planner, plot: Rect, bars: list[Bar], lines: list[Line], scale: Scale
    ) -> None:
        self.planner = planner
        self.style = planner.style
        self.plot = plot
        self.bars = bars
        self.lines = lines
        self.scale = scale
        self.labels: list[Label] = []
        self.pointers: list[Pointer] = []
        self.pointer_at: dict[int, tuple[Point, float]] = {}
        self.taken: list[Rect] = []  # labels placed so far
        self.markers = [
            Rect.around(m.center, m.size, m.size) for line in lines for m in line.markers
        ]
        self.segments = [(a.center, b.center) for line in lines for a, b in line.segments]
        self.axis: list[tuple[Point, Point]] = []  # the category axis line, at zero
        zero = planner.along(0.0, scale, plot)
        if scale.minimum <= 0 <= scale.maximum:
            if planner.horizontal:
                self.axis.append(((zero, plot.y), (zero, plot.bottom)))
            else:
                self.axis.append(((plot.x, zero), (plot.right, zero)))

    # -- what a label may not touch --

    def clash(self, rect: Rect, own_bar: Bar | None = None, marks: bool = True) -> float:
        """How badly a label at `rect` sits on something: 0 when it is clear of everything."""
        style = self.style
        clear = rect.grown(style.clearance)
        score = sum(clear.overlap(other) for other in self.taken)
        if marks:
            score += sum(clear.overlap(m) for m in self.markers)
            on_line = rect.grown(style.clearance + style.line_width / 2)
            score += sum(ON_A_LINE for a, b in self.segments if on_line.crosses(a, b))
            score += sum(ON_THE_AXIS for a, b in self.axis if on_line.crosses(a, b))
            score += sum(rect.overlap(bar.rect) for bar in self.bars if bar is not own_bar)
        return score

    def outside_plot(self, rect: Rect) -> float:
        """How far a box runs past the plot's sides across the value axis (which cannot grow)."""
        plot = self.plot
        if self.planner.horizontal:
            return max(plot.y - rect.y, 0.0) + max(rect.bottom - plot.bottom, 0.0)
        return max(plot.x - rect.x, 0.0) + max(rect.right - plot.right, 0.0)

    def keep(self, label: Label) -> None:
        self.labels.append(label)
        self.taken.append(label.rect)

    # -- bars --

    def bar_labels(self) -> None:
        planner = self.planner
        for bar in self.bars:
            if not planner.labelled(bar.series, bar.point):
                continue
            if planner.stacked:
                self.keep(self.stacked_label(bar))
            else:
                self.keep(self.clustered_label(bar))

    def _ends(self, bar: Bar) -> tuple[Point, int]:
        """The middle of a bar's far end and the direction it grows in (+1 or -1)."""
        rect = bar.rect
        grows = 1 if bar.end >= bar.start else -1
        if self.planner.horizontal:
            return ((rect.right if grows > 0 else rect.x), rect.center[1]), grows
        return (rect.center[0], (rect.y if grows > 0 else rect.bottom)), grows

    def beyond(self, bar: Bar, width: float, height: float) -> Rect:
        """A label's box just beyond a bar's end."""
        (x, y), grows = self._ends(bar)
        gap = self.style.label_gap
        if self.planner.horizontal:
            return Rect(x + gap if grows > 0 else x - gap - width, y - height / 2, width, height)
        return Rect(x - width / 2, y - gap - height if grows > 0 else y + gap, width, height)

    def beside(self, bar: Bar, width: float, height: float, side: int) -> Rect:
        """A box beside a segment, in the gap next to its stack (side +1: after it)."""
        gap = self.style.label_gap
        x, y = bar.rect.center
        if self.planner.horizontal:
            top = bar.rect.bottom + gap if side > 0 else bar.rect.y - gap - height
            return Rect(x - width / 2, top, width, height)
        left = bar.rect.right + gap if side > 0 else bar.rect.x - gap - width
        return Rect(left, y - height / 2, width, height)

    def off_axis(self, rect: Rect, bar: Bar) -> Rect:
        """A box beside a segment that sits on the category axis (the first segment of a short
        stack), moved along the value axis to clear it, on the segment's side of zero."""
        planner = self.planner
        zero = planner.along(0.0, self.scale, self.plot)
        margin = self.style.clearance + self.style.line_width / 2 + self.style.axis_line
        grows = 1 if bar.end >= bar.start else -1
        if planner.horizontal:  # bars grow right from zero, or left
            if grows > 0 and rect.x < zero + margin:
                return Rect(zero + margin, rect.y, rect.width, rect.height)
            if grows < 0 and rect.right > zero - margin:
                return Rect(zero - margin - rect.width, rect.y, rect.width, rect.height)
            return rect
        if grows > 0 and rect.bottom > zero - margin:  # columns grow up (smaller y) from zero
            return Rect(rect.x, zero - margin - rect.height, rect.width, rect.height)
        if grows < 0 and rect.y < zero + margin:
            return Rect(rect.x, zero + margin, rect.width, rect.height)
        return rect

    def fits(self, bar: Bar, width: float, height: float, hatched: bool) -> bool:
        """Whether a label has room inside its bar, with space around it, measured."""
        pad = (self.style.hatched_pad if hatched else self.style.inside_pad) * self.planner.size
        length, thickness = bar.rect.width, bar.rect.height
        if not self.planner.horizontal:
            length, thickness = thickness, length
        # Across a bar the words need their own height (the font size), not a whole line's.
        across = self.planner.size if self.planner.horizontal else width
        along = width if self.planner.horizontal else height
        return length >= along + 2 * pad and thickness >= across + 2 * self.style.clearance

    def inside_color(self, bar: Bar, color: Role | None) -> tuple[Role, Role | None]:
        """(text colour, chip) for words inside a bar: readable on the fill, else on a chip."""
        if bar.hatched:
            return color or Role.TEXT, Role.BACKGROUND
        readable = self.planner.text_on(bar.fill)
        if color is not None:
            if self.planner.contrast(color, bar.fill) >= TEXT_CONTRAST:
                return color, None
            return color, Role.BACKGROUND
        if readable is None:
            return Role.TEXT, Role.BACKGROUND
        return readable, None

    def clustered_label(self, bar: Bar) -> Label:
        """Beyond the bar's end; inside it where that would sit on another label or a mark."""
        said = self._bar_text(bar)
        named = self._named(bar)
        rect = self.beyond(bar, said.width, said.height)
        if self.clash(rect, bar) and self.fits(bar, said.width, said.height, bar.hatched):
            inner = self._inside_end(bar, said.width, said.height)
            if not self.clash(inner, bar, marks=False):
                color, chip = self.inside_color(bar, said.callout_color)
                return said.at(inner, Position.INSIDE_END, color, chip=chip, series_name=named)
        return said.at(rect, Position.OUTSIDE_END, said.color, series_name=named)

    def _bar_text(self, bar: Bar) -> _BarText:
        planner = self.planner
        text, words, bold = planner.value_text(bar.series, bar.point)
        callout = planner.callout(bar.series, bar.point)
        width, height = planner.text_size(text, bold)
        color = callout.color if callout else None
        return _BarText(bar, text, words, bold, color, width, height)

    def _named(self, bar: Bar) -> bool:
        return self.planner.direct_names and bar.point == self.planner.first_full_category

    def _inside_end(self, bar: Bar, width: float, height: float) -> Rect:
        (x, y), grows = self._ends(bar)
        pad = self.style.inside_pad * self.planner.size / 2
        if self.planner.horizontal:
            return Rect(x - pad - width if grows > 0 else x + pad, y - height / 2, width, height)
        return Rect(x - width / 2, y + pad if grows > 0 else y - pad - height, width, height)

    def outermost(self, bar: Bar) -> bool:
        """Whether a stacked segment is the last one out from zero on its side."""
        side = bar.end >= bar.start
        spec = self.planner.spec
        for later in self.planner.columns:
            if later <= bar.series:
                continue
            other = value(spec.series[later], bar.point)
            if other and (other > 0) == side:
                return False
        return True

    def stacked_label(self, bar: Bar) -> Label:
        """In the segment's middle if it fits, beyond the stack if last, else on a chip."""
        said = self._bar_text(bar)
        width, height = said.width, said.height
        middle = bar.rect.center
        if self.fits(bar, width, height, bar.hatched):
            color, chip = self.inside_color(bar, said.callout_color)
            return said.at(Rect.around(middle, width, height), Position.CENTER, color, chip=chip)
        beside = [self.beside(bar, width, height, side) for side in (1, -1)]
        beside += [self.off_axis(rect, bar) for rect in beside]
        clear = [r for r in beside if not self.clash(r, bar) and not self.outside_plot(r)]
        if self.outermost(bar) or clear:
            rect = self.beyond(bar, width, height) if self.outermost(bar) else clear[0]
            moved = (rect.center[0] - middle[0], rect.center[1] - middle[1])
            return said.at(rect, Position.CENTER, said.color, moved=moved)
        rect = Rect.around(middle, width, height)
        return said.at(rect, Position.CENTER, said.color, chip=Role.BACKGROUND)

    # -- lines --

    def line_labels(self) -> None:
        planner = self.planner
        for line in self.lines:
            series = planner.spec.series[line.series]
            for index, marker in enumerate(line.markers):
                if not planner.labelled(line.series, marker.point):
                    continue
                before = line.markers[index - 1] if index > 0 else None
                after = line.markers[index + 1] if index + 1 < len(line.markers) else None
                self.keep(self.line_label(series, marker, before, after))

    def line_label(
        self, series: SeriesSpec, marker: Marker, before: Marker | None, after: Marker | None
    ) -> Label:
        """Above, below or beside a point, or off to a corner: the first place that is clear."""
        planner = self.planner
        text, words, bold = planner.value_text(marker.series, marker.point)
        width, height = planner.text_size(text, bold)
        callout = planner.callout(marker.series, marker.point)
        color = callout.color if callout else planner.line_text(series)
        reach = marker.size / 2 + self.style.label_gap
        x, y = marker.center
        neighbours = [m.center[1] for m in (before, after) if m is not None]
        # y grows downwards: a dip has its neighbours above it (smaller y).
        dip = bool(neighbours) and all(n < y for n in neighbours)
        if planner.horizontal:
            dip = False
        side = marker.size / 2 + self.style.label_gap * DIAGONAL  # corners clear the marker
        candidates: list[tuple[Position, Rect, bool]] = [
            (Position.ABOVE, Rect(x - width / 2, y - reach - height, width, height), False),
            (Position.BELOW, Rect(x - width / 2, y + reach, width, height), False),
        ]
        if dip:
            candidates.reverse()
        candidates += [
            (Position.CENTER, Rect(x - side - width, y - side - height, width, height), True),
            (Position.CENTER, Rect(x + side, y - side - height, width, height), True),
            (Position.CENTER, Rect(x + side, y + side, width, height), True),
            (Position.CENTER, Rect(x - side - width, y + side, width, height), True),
            (Position.RIGHT, Rect(x + reach, y - height / 2, width, height), False),
            (Position.LEFT, Rect(x - reach - width, y - height / 2, width, height), False),
        ]
        for step in FARTHER:
            far = reach + step * planner.line_height
            candidates += [
                (Position.CENTER, Rect(x - width / 2, y - far - height, width, height), True),
                (Position.CENTER, Rect(x - width / 2, y + far, width, height), True),
            ]
        best: tuple[float, int, Position, Rect, bool] | None = None
        for order, (position, rect, moved) in enumerate(candidates):
            score = self.clash(rect) + OFF_PLOT * self.outside_plot(rect)
            if best is None or (score, order) < (best[0], best[1]):
                best = (score, order, position, rect, moved)
            if score == 0:
                break
        assert best is not None
        score, _, position, rect, moved = best
        offset = (rect.center[0] - x, rect.center[1] - y) if moved else None
        return Label(
            marker.series,
            marker.point,
            text,
            rect,
            position,
            color,
            moved=offset,
            chip=Role.BACKGROUND if score > 0 else None,  # still legible where nothing is clear
            bold=bold,
            words=words,
        )

    # -- call-outs between points --

    def pointer_marks(self, line_scale: Scale) -> None:
        """Where each crossing call-out points: where its line crosses zero, between points."""
        planner = self.planner
        for number, callout in enumerate(planner.spec.callouts):
            if not callout.crossing:
                continue
            series = planner.spec.series[callout.series]
            point = callout.point
            after = value(series, point) or 0.0
            before = value(series, point - 1) if point > 0 else None
            category, at_value = float(point), after
            if (
                before is not None
                and before != after
                and (before < 0 <= after or before > 0 >= after)
            ):
                category = point - 1 + (0 - before) / (after - before)
                at_value = 0.0
            at = planner.xy(category, at_value, line_scale, self.plot)
            self.pointer_at[number] = (at, category)
            size = self.style.callout_marker_size
            self.markers.append(Rect.around(at, size, size))

    def pointer_words(self) -> None:
        """The call-out's words in the nearest clear space, with a leader to the place."""
        planner = self.planner
        style = self.style
        for number, callout in enumerate(planner.spec.callouts):
            if number not in self.pointer_at:
                continue
            (x, y), category = self.pointer_at[number]
            width, height = planner.text_size(callout.text, True)
            best: tuple[float, int, Rect] | None = None
            order = 0
            for distance in (1.0, 1.8, 2.8, 4.0):
                reach = style.callout_marker_size / 2 + distance * planner.line_height
                for dx, dy in (
                    (1, 1),
                    (-1, -1),
                    (-1, 1),
                    (1, -1),
                    (0, 1),
                    (0, -1),
                    (1, 0),
                    (-1, 0),
                ):
                    rect = self.within(_beside((x, y), reach, dx, dy, width, height))
                    score = self.clash(rect) + OFF_PLOT * self.off_plot(rect)
                    if best is None or (score, order) < (best[0], best[1]):
                        best = (score, order, rect)
                    order += 1
                if best is not None and best[0] == 0:
                    break
            assert best is not None
            rect = best[2]
            self.taken.append(rect)
            tip = rect.nearest((x, y))
            length = math.hypot(tip[0] - x, tip[1] - y)
            radius = style.callout_marker_size / 2
            start = (x, y)
            if length > 0:
                start = (x + (tip[0] - x) * radius / length, y + (tip[1] - y) * radius / length)
            self.pointers.append(
                Pointer(
                    callout.series,
                    callout.point,
                    callout.text,
                    (x, y),
                    category,
                    rect,
                    (start, tip),
                    callout.color,
                    style.callout_marker_size,
                )
            )

    def within(self, rect: Rect) -> Rect:
        """The box slid into the plot where it sticks out (it stays beside its place)."""
        plot = self.plot
        x = min(max(rect.x, plot.x), max(plot.right - rect.width, plot.x))
        y = min(max(rect.y, plot.y), max(plot.bottom - rect.height, plot.y))
        return Rect(x, y, rect.width, rect.height)

    def off_plot(self, rect: Rect) -> float:
        plot = self.plot
        return (
            max(plot.x - rect.x, 0.0)
            + max(rect.right - plot.right, 0.0)
            + max(plot.y - rect.y, 0.0)
            + max(rect.bottom - plot.bottom, 0.0)
        )


def _beside(at: Point, reach: float, dx: int, dy: int, width: float, height: float) -> Rect:
    """A box `reach` away from `at` in direction (dx, dy), its nearest corner or edge facing it."""
    x, y = at
    if dx and dy:
        side = reach * DIAGONAL
        left = x + side if dx > 0 else x - side - width
        top = y + side if dy > 0 else y - side - height
        return Rect(left, top, width, height)
    if dx:
        left = x + reach if dx > 0 else x - reach - width
        return Rect(left, y - height / 2, width, height)
    top = y + reach if dy > 0 else y - reach - height
    return Rect(x - width / 2, top, width, height)
