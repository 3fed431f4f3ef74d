"""Paint a chart as a picture, for viewers that cannot show native charts (--chart-engine image).

The picture is the native chart's twin: both are drawn from one deckgen.chartlayout layout, so
the plot sits in the same place, the scales are the same, and every label, name, call-out and
legend entry is where the layout put it, in the colour it chose. This module only paints.
matplotlib is imported inside the functions, so a build with native charts never loads it;
pyplot is never used, so no GUI backend or global figure state is involved and the same spec
always gives the same bytes.
"""

from __future__ import annotations

import io
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from deckgen.chartlayout import ChartLayout, Rect, lay_out
from deckgen.design import CHART, Role, resolve_hex
from deckgen.fonts import register_with_matplotlib
from deckgen.specs import EMU_PER_INCH, Box, ChartSpec
from deckgen.textmetrics import FALLBACK_FAMILY, METRIC_TWINS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

DEFAULT_DPI = 200

# The font the layout measured with: the deck's, its metric twin (Carlito for Calibri), or
# DejaVu Sans, which ships with matplotlib and so is always there.
FALLBACK_FONT = FALLBACK_FAMILY

# design.py names patterns and dashes in words; matplotlib's spellings of them.
HATCHES: dict[str, str] = {
    "wide-upward-diagonal": "//",
    "wide-downward-diagonal": "\\\\",
    "light-upward-diagonal": "/",
    "dark-upward-diagonal": "///",
    "narrow-horizontal": "--",
    "dotted-grid": "..",
}
DASHES: dict[str, tuple[int, tuple[int, int]]] = {"dash": (0, (4, 3)), "round-dot": (0, (1, 2))}
MARKER_EDGE_PT = 1.5


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
    for candidate in (METRIC_TWINS.get(font_family.strip().casefold(), ""), font_family):
        if candidate and candidate.strip().lower() in installed:
            return installed[candidate.strip().lower()]
    return FALLBACK_FONT


def chart_png(
    spec: ChartSpec, theme_colors: dict[str, str], font_family: str, dpi: int = DEFAULT_DPI
) -> bytes:
    """Return the chart as PNG bytes of the box's size at `dpi`; one spec, one set of bytes."""
    family = resolve_font(font_family)
    with _settings(family):
        figure = _figure(spec, theme_colors, font_family, family, dpi)
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
    """Return the painted matplotlib Figure chart_png saves, for callers that inspect artists."""
    family = resolve_font(font_family)
    with _settings(family):
        return _figure(spec, theme_colors, font_family, family, dpi)


def _settings(family: str) -> AbstractContextManager[None]:
    """Settings some releases read at draw time rather than from the artists (hatch width)."""
    import matplotlib

    return matplotlib.rc_context(
        {"font.family": family, "hatch.linewidth": CHART.hatch_line, "axes.unicode_minus": False}
    )


def _figure(
    spec: ChartSpec, theme: dict[str, str], font_family: str, family: str, dpi: int
) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width, height = pixel_size(spec.box, dpi)
    figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    FigureCanvasAgg(figure)
    if not spec.series or not spec.categories:
        figure.set_facecolor(_css(_hex(Role.BACKGROUND, theme)))
        return figure  # nothing to chart: an empty picture of the right size
    layout = lay_out(spec, theme, font_family)
    _Painter(layout, figure, family).paint()
    return figure


def _hex(role: Role, theme: dict[str, str]) -> str:
    return resolve_hex(role, theme)


def _css(hex6: str) -> str:
    return f"#{hex6}"


def _tint(hex6: str, share: float) -> str:
    """Return "RRGGBB" moved `share` of the way to white."""
    channels = (int(hex6[i : i + 2], 16) for i in (0, 2, 4))
    return "".join(f"{round(c + (255 - c) * share):02X}" for c in channels)


class _Painter:
    """Paints one laid-out chart: marks in data coordinates, text where the layout put it."""

    def __init__(self, layout: ChartLayout, figure: Figure, family: str) -> None:
        self.layout = layout
        self.figure = figure
        self.family = family
        self.style = layout.style

    def color(self, role: Role) -> str:
        return _css(self.layout.hex(role))

    def font(self, bold: bool = False) -> FontProperties:
        from matplotlib.font_manager import FontProperties

        return FontProperties(
            family=self.family, size=self.layout.size, weight="bold" if bold else "normal"
        )

    def at(self, x: float, y: float) -> tuple[float, float]:
        """A layout point (points from the top-left) in figure coordinates."""
        return x / self.layout.width, 1 - y / self.layout.height

    def axes(self) -> Axes:
        plot = self.layout.plot
        left, top = self.at(plot.x, plot.y)
        right, bottom = self.at(plot.right, plot.bottom)
        axes = self.figure.add_axes((left, bottom, right - left, top - bottom))
        axes.set_axis_off()
        axes.set_facecolor("none")
        count = self.layout.categories
        if self.layout.horizontal:
            axes.set_ylim(count - 0.5, -0.5)  # first category on top
        else:
            axes.set_xlim(-0.5, count - 0.5)
        return axes

    def set_values(self, axes: Axes, minimum: float, maximum: float) -> None:
        if self.layout.horizontal:
            axes.set_xlim(minimum, maximum)
        else:
            axes.set_ylim(minimum, maximum)

    def paint(self) -> None:
        layout = self.layout
        self.figure.set_facecolor(self.color(Role.BACKGROUND))
        columns = self.axes()
        self.set_values(columns, layout.primary.scale.minimum, layout.primary.scale.maximum)
        lines = columns
        if layout.secondary is not None:
            lines = self.axes()
            self.set_values(lines, layout.secondary.scale.minimum, layout.secondary.scale.maximum)
        self.gridlines()
        self.bars(columns)
        self.baseline()
        self.lines(lines)
        self.pointers(lines)
        self.ticks()
        self.names()
        self.labels(columns)
        self.legend()

    def gridlines(self) -> None:
        layout = self.layout
        color = _css(_tint(layout.hex(Role.SECONDARY), self.style.gridline_tint))
        for axis in (layout.primary, layout.secondary):
            if axis is None or not (axis.visible and axis.gridlines):
                continue
            for tick in axis.ticks:
                self.segment(self.along(tick.number, axis), color, self.style.gridline, 1.0)

    def along(self, number: float, axis: Any) -> tuple[tuple[float, float], tuple[float, float]]:
        """The line across the plot at a value of an axis, in layout points."""
        plot = self.layout.plot
        scale = axis.scale
        share = (number - scale.minimum) / scale.span if scale.span else 0.0
        if self.layout.horizontal:
            x = plot.x + share * plot.width
            return (x, plot.y), (x, plot.bottom)
        y = plot.bottom - share * plot.height
        return (plot.x, y), (plot.right, y)

    def segment(
        self,
        ends: tuple[tuple[float, float], tuple[float, float]],
        color: str,
        width: float,
        zorder: float,
    ) -> None:
        from matplotlib.lines import Line2D

        (x0, y0), (x1, y1) = (self.at(*ends[0]), self.at(*ends[1]))
        self.figure.add_artist(
            Line2D(
                [x0, x1],
                [y0, y1],
                transform=self.figure.transFigure,
                color=color,
                linewidth=width,
                zorder=zorder,
            )
        )

    def baseline(self) -> None:
        """The zero line bars grow from: the category axis."""
        self.segment(self.layout.baseline, self.color(Role.SECONDARY), self.style.axis_line, 2.5)

    def bars(self, axes: Axes) -> None:
        from matplotlib.patches import Rectangle

        hatch = HATCHES[self.style.forecast_pattern]
        background = self.color(Role.BACKGROUND)
        for bar in self.layout.bars:
            color = self.color(bar.fill)
            low, size = min(bar.start, bar.end), abs(bar.end - bar.start)
            corner = (bar.category - bar.thickness / 2, low)
            extent = (bar.thickness, size)
            if self.layout.horizontal:
                corner, extent = (low, bar.category - bar.thickness / 2), (size, bar.thickness)
            axes.add_patch(
                Rectangle(
                    corner,
                    *extent,
                    facecolor=background if bar.hatched else color,
                    edgecolor=color if bar.hatched else "none",
                    linewidth=self.style.forecast_outline if bar.hatched else 0,
                    hatch=hatch if bar.hatched else None,
                    zorder=2,
                )
            )

    def lines(self, axes: Axes) -> None:
        dash = DASHES[self.style.forecast_dash]
        for line in self.layout.lines:
            color = self.color(line.color)
            for start, end in line.segments:
                xs, ys = [float(start.point), float(end.point)], [start.number, end.number]
                if self.layout.horizontal:
                    xs, ys = ys, xs
                axes.plot(
                    xs,
                    ys,
                    color=color,
                    linewidth=self.style.line_width,
                    linestyle=dash if end.forecast else "solid",
                    solid_capstyle="round",
                    zorder=3,
                )
            for marker in line.markers:
                x, y = float(marker.point), marker.number
                if self.layout.horizontal:
                    x, y = y, x
                axes.plot(
                    [x],
                    [y],
                    linestyle="none",
                    marker="o",
                    markersize=marker.size,
                    markerfacecolor=self.color(marker.fill),
                    markeredgecolor=self.color(marker.color),
                    markeredgewidth=MARKER_EDGE_PT,
                    zorder=4,
                )

    def pointers(self, axes: Axes) -> None:
        for pointer in self.layout.pointers:
            color = self.color(pointer.color)
            self.segment(pointer.leader, color, self.style.leader_line, 4.5)
            x, y = self.at(*pointer.at)
            axes.plot(
                [x],
                [y],
                transform=self.figure.transFigure,
                linestyle="none",
                marker="o",
                markersize=pointer.marker_size,
                markerfacecolor=color,
                markeredgecolor=color,
                zorder=5,
            )
            self.words(axes, pointer.text, pointer.rect, pointer.color, True, None)

    def words(
        self, axes: Axes, text: str, rect: Rect, color: Role, bold: bool, chip: Role | None
    ) -> None:
        """A label: its words centred in the box the layout gave them."""
        x, y = self.at(*rect.center)
        pad = self.style.chip_pad / self.layout.size
        axes.text(
            x,
            y,
            text,
            transform=self.figure.transFigure,
            ha="center",
            va="center",
            color=self.color(color),
            fontproperties=self.font(bold),
            zorder=6,
            clip_on=False,
            bbox=(
                {
                    "boxstyle": f"square,pad={pad}",
                    "facecolor": self.color(chip),
                    "edgecolor": "none",
                }
                if chip is not None
                else None
            ),
        )

    def labels(self, axes: Axes) -> None:
        for label in self.layout.labels:
            self.words(axes, label.text, label.rect, label.color, label.bold, label.chip)

    def ticks(self) -> None:
        layout = self.layout
        for axis, right_side in ((layout.primary, False), (layout.secondary, True)):
            if axis is None or not axis.visible:
                continue
            for tick in axis.ticks:
                rect = tick.rect
                if layout.horizontal:
                    x, y, ha = rect.center[0], rect.center[1], "center"
                elif right_side:
                    x, y, ha = rect.x, rect.center[1], "left"
                else:
                    x, y, ha = rect.right, rect.center[1], "right"
                self.figure.text(
                    *self.at(x, y),
                    tick.text,
                    ha=ha,
                    va="center",
                    color=self.color(Role.SECONDARY),
                    fontproperties=self.font(),
                )

    def names(self) -> None:
        """Category names where the layout measured them: wrapped, or turned when too wide."""
        layout = self.layout
        for name in layout.names:
            rect = name.rect
            if layout.horizontal:
                x, y, ha, va = rect.right, rect.center[1], "right", "center"
                rotation, anchor = 0.0, "default"
            elif name.turned:
                x, y, ha, va = rect.center[0], rect.y, "right", "top"
                rotation, anchor = 45.0, "anchor"
            else:
                x, y, ha, va = rect.center[0], rect.y, "center", "top"
                rotation, anchor = 0.0, "default"
            self.figure.text(
                *self.at(x, y),
                name.text,
                ha=ha,
                va=va,
                multialignment="right" if layout.horizontal else "center",
                linespacing=1.0,
                rotation=rotation,
                rotation_mode=anchor,
                color=self.color(Role.SECONDARY),
                fontproperties=self.font(),
            )

    def legend(self) -> None:
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        legend = self.layout.legend
        if legend is None:
            return
        background = self.color(Role.BACKGROUND)
        handles: list[Any] = []
        for entry in legend.entries:
            color = self.color(entry.color)
            if entry.line:
                handles.append(
                    Line2D(
                        [],
                        [],
                        color=color,
                        linewidth=self.style.line_width,
                        linestyle=DASHES[self.style.forecast_dash] if entry.dashed else "solid",
                        marker="o",
                        markersize=self.style.marker_size,
                        markerfacecolor=background if entry.dashed else color,
                        label=entry.text,
                    )
                )
            elif entry.hatched:
                handles.append(
                    Patch(
                        facecolor=background,
                        edgecolor=color,
                        hatch=HATCHES[self.style.forecast_pattern],
                        linewidth=self.style.forecast_outline,
                        label=entry.text,
                    )
                )
            else:
                handles.append(Patch(facecolor=color, edgecolor="none", label=entry.text))
        rect = legend.rect
        left, top = self.at(rect.x, rect.y)
        right, bottom = self.at(rect.right, rect.bottom)
        self.figure.legend(
            handles=handles,
            loc="center",
            bbox_to_anchor=(left, bottom, right - left, top - bottom),
            ncol=legend.columns,
            frameon=False,
            prop=self.font(),
            labelcolor=self.color(Role.TEXT),
            handlelength=self.style.legend_key / self.layout.size,
            handleheight=1.1,
            columnspacing=self.style.legend_spacing / self.layout.size,
            borderaxespad=0,
            borderpad=0,
        )
