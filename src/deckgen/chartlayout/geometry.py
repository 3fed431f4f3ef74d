"""What a laid-out chart is made of: boxes in points, marks, labels, axes and the legend.

Lengths are points from the chart box's top-left corner, y downwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cached_property

from deckgen.chartlayout.data import is_line
from deckgen.chartlayout.scales import Scale
from deckgen.design import ChartStyle, Role, resolve_hex
from deckgen.specs import ChartSpec, SeriesSpec

Point = tuple[float, float]


@dataclass(frozen=True)
class Rect:
    """A box in points, from the chart's top-left corner, y downwards."""

    x: float
    y: float
    width: float
    height: float

    @classmethod
    def around(cls, center: Point, width: float, height: float) -> Rect:
        return cls(center[0] - width / 2, center[1] - height / 2, width, height)

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def center(self) -> Point:
        return (self.x + self.width / 2, self.y + self.height / 2)

    def grown(self, by: float) -> Rect:
        return Rect(self.x - by, self.y - by, self.width + 2 * by, self.height + 2 * by)

    def overlap(self, other: Rect) -> float:
        """The area two boxes share (0 when they only touch)."""
        width = min(self.right, other.right) - max(self.x, other.x)
        height = min(self.bottom, other.bottom) - max(self.y, other.y)
        return max(width, 0.0) * max(height, 0.0)

    def crosses(self, start: Point, end: Point) -> bool:
        """Whether the segment from `start` to `end` passes through the box (Liang-Barsky)."""
        (x0, y0), (x1, y1) = start, end
        dx, dy = x1 - x0, y1 - y0
        low, high = 0.0, 1.0
        for p, q in (
            (-dx, x0 - self.x),
            (dx, self.right - x0),
            (-dy, y0 - self.y),
            (dy, self.bottom - y0),
        ):
            if p == 0:
                if q < 0:
                    return False
                continue
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
            if low > high:
                return False
        return True

    def nearest(self, point: Point) -> Point:
        """The point of the box nearest to `point`."""
        return (min(max(point[0], self.x), self.right), min(max(point[1], self.y), self.bottom))


class Position(Enum):
    """Where a data label sits against its mark; the values are c:dLblPos codes."""

    CENTER = "ctr"
    INSIDE_END = "inEnd"
    OUTSIDE_END = "outEnd"
    ABOVE = "t"
    BELOW = "b"
    LEFT = "l"
    RIGHT = "r"


@dataclass(frozen=True)
class Label:
    """A data label: its words, the box they take, and how a native chart says where that is.

    `moved` is the offset of the label's centre from where `position` alone puts it (the
    mark's centre for CENTER), in points; None when the position alone puts it there.
    """

    series: int
    point: int
    text: str
    rect: Rect
    position: Position
    color: Role
    moved: Point | None = None
    chip: Role | None = None  # a fill behind the words, where they sit on a pattern or a mark
    bold: bool = False
    words: str | None = None  # a call-out's own words, shown instead of the value
    series_name: bool = False  # "West Midlands 9.7%": the series named where it is first met


@dataclass(frozen=True)
class Bar:
    """One column, bar or stacked segment: where it is and how it is filled."""

    series: int
    point: int
    category: float  # its centre along the category axis, in categories (0 = the first one's)
    thickness: float  # across the category axis, in categories
    start: float  # primary-axis values (shares of the stack for 100% columns)
    end: float
    rect: Rect
    fill: Role
    hatched: bool


@dataclass(frozen=True)
class Marker:
    series: int
    point: int
    center: Point
    number: float  # the value, on the line's own axis
    color: Role
    fill: Role  # the series colour, or the background for a forecast point (hollow)
    size: float  # points across
    forecast: bool  # the line into this point is dashed


@dataclass(frozen=True)
class Line:
    series: int
    color: Role
    secondary: bool  # drawn against the secondary axis (a combo's line)
    markers: tuple[Marker, ...]
    segments: tuple[tuple[Marker, Marker], ...]  # neighbours only: a gap breaks the line


@dataclass(frozen=True)
class Pointer:
    """A call-out naming a place between points (break-even: where a line crosses zero)."""

    series: int
    point: int
    text: str
    at: Point  # the place named, where the call-out's marker is drawn
    category: float  # the place along the category axis, in categories
    rect: Rect  # the words
    leader: tuple[Point, Point]  # from the marker's edge to the words
    color: Role
    marker_size: float


@dataclass(frozen=True)
class Tick:
    number: float
    text: str
    rect: Rect


@dataclass(frozen=True)
class ValueAxis:
    scale: Scale
    number_format: str  # what the axis writes: a blank negative section where nothing is below
    visible: bool
    gridlines: bool
    ticks: tuple[Tick, ...]


@dataclass(frozen=True)
class CategoryName:
    text: str  # lines joined by "\n" (native charts wrap their own)
    rect: Rect  # the box the lines take, before turning
    turned: bool  # written at TURN_ANGLE, ending under its slot


@dataclass(frozen=True)
class LegendEntry:
    text: str
    series: int | None  # None: the key that says what hatching means (pictures only)
    line: bool
    color: Role
    hatched: bool  # a bar key hatched as forecast bars are
    dashed: bool  # a line key dashed as forecast stretches are


@dataclass(frozen=True)
class Legend:
    entries: tuple[LegendEntry, ...]
    rect: Rect
    columns: int


@dataclass(frozen=True)
class ChartLayout:
    """Everything either writer needs to draw a chart: where, how big, in which colours."""

    spec: ChartSpec
    style: ChartStyle
    font: str
    size: float  # label size, points
    width: float  # the chart box, points
    height: float
    plot: Rect
    horizontal: bool
    stacked: bool
    gap_width: int
    overlap: int
    primary: ValueAxis
    secondary: ValueAxis | None
    names: tuple[CategoryName, ...]
    names_low: bool  # category names at the low end of the value axis, clear of negative bars
    baseline: tuple[Point, Point]  # the category axis line, at zero
    bars: tuple[Bar, ...]
    lines: tuple[Line, ...]
    labels: tuple[Label, ...]
    pointers: tuple[Pointer, ...]
    legend: Legend | None
    theme: Mapping[str, str]

    @property
    def categories(self) -> int:
        return len(self.spec.categories)

    def label(self, series: int, point: int) -> Label | None:
        return self._labels.get((series, point))

    @cached_property
    def _labels(self) -> dict[tuple[int, int], Label]:
        return {(label.series, label.point): label for label in self.labels}

    def hex(self, role: Role) -> str:
        """A role's "RRGGBB" under the chart's theme."""
        return resolve_hex(role, dict(self.theme))

    def is_line(self, series: SeriesSpec) -> bool:
        return is_line(self.spec, series)


def texts(layout: ChartLayout) -> Iterable[tuple[str, Rect]]:
    """Every piece of text the chart draws with its box: labels, call-outs, names, ticks."""
    for label in layout.labels:
        yield label.text, label.rect
    for pointer in layout.pointers:
        yield pointer.text, pointer.rect
