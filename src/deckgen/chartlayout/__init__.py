"""Decide a chart once: scales, where every bar, point and label goes, colours, number formats.

Both chart writers draw from the ChartLayout made here and decide nothing themselves:
render/charts.py writes it as a native, editable PowerPoint chart, render/images.py paints it
with matplotlib (--chart-engine image). The plot area is placed here too (the native chart gets
it as a manual layout), so the place of every bar, marker and label is known before either
writer draws, and labels are kept off lines, markers, columns and each other by geometry.

The look itself (widths, sizes, gaps, the forecast hatch) is design.CHART; text is measured
with the theme font's real metrics (deckgen.textmetrics). No pptx and no matplotlib here.

    numbers   Excel number formats, read as Excel shows them
    scales    value-axis scales; two axes sharing zero (and scale, in one unit)
    data      a spec's values, read safely, and whether a spec can be drawn
    geometry  what a layout is made of: boxes, marks, labels, axes, legend
    planner   the layout: legend, scales, plot, marks, then labels
    labels    where each label and call-out goes
"""

from deckgen.chartlayout.data import check_spec, is_line, value
from deckgen.chartlayout.geometry import (
    Bar,
    CategoryName,
    ChartLayout,
    Label,
    Legend,
    LegendEntry,
    Line,
    Marker,
    Pointer,
    Position,
    Rect,
    Tick,
    ValueAxis,
    texts,
)
from deckgen.chartlayout.numbers import format_number, split_sections, unit_of
from deckgen.chartlayout.planner import lay_out
from deckgen.chartlayout.scales import Scale, aligned_scales, exact_scale, nice_scale

__all__ = [
    "Bar",
    "CategoryName",
    "ChartLayout",
    "Label",
    "Legend",
    "LegendEntry",
    "Line",
    "Marker",
    "Pointer",
    "Position",
    "Rect",
    "Scale",
    "Tick",
    "ValueAxis",
    "aligned_scales",
    "check_spec",
    "exact_scale",
    "format_number",
    "is_line",
    "lay_out",
    "nice_scale",
    "split_sections",
    "texts",
    "unit_of",
    "value",
]
