"""Chart XML python-pptx cannot write: a line plot on a secondary axis, and schema-valid axis ids.

python-pptx makes a bar chart only (no combo, upstream #338). The combo chart starts as a
clustered column chart holding every series, so the chart part and its embedded workbook
(with every series' cells) exist; the line series are then moved into a `c:lineChart` of their
own, drawn against a second category/value axis pair. The moved series keep their `c:cat` and
`c:val` references, so editing the data in PowerPoint still updates the line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn

# Ids for the secondary axes until every id is renumbered; they only need to differ from
# python-pptx's own (which are negative in bar charts).
SECONDARY_CATEGORY_AXIS = 3
SECONDARY_VALUE_AXIS = 4

# Renumbered ids start here: any positive 32-bit value is valid (ST_UnsignedInt).
AXIS_ID_BASE = 50_000_001

# Children of a bar chart's c:ser that a line chart's c:ser may not hold.
BAR_ONLY_SERIES_CHILDREN = ("c:invertIfNegative", "c:pictureOptions", "c:shape")

# What may follow the chart-type elements in c:plotArea (CT_PlotArea's sequence).
AXIS_TAGS = ("c:valAx", "c:catAx", "c:dateAx", "c:serAx")


def _children(element: Any, *tags: str) -> list[Any]:
    names = {qn(tag) for tag in tags}
    return [child for child in element if child.tag in names]


def add_secondary_line(chart_space: Any, series_indexes: Iterable[int]) -> Any:
    """Move the series with these c:idx values from the bar plot to a new line plot.

    The line plot gets its own axes: a deleted category axis (so the categories are shared by
    position) and a value axis on the right that crosses at the maximum category. Returns the
    new `c:lineChart` element.
    """
    wanted = set(series_indexes)
    plot_area = chart_space.find(f"{qn('c:chart')}/{qn('c:plotArea')}")
    bar_chart = plot_area.find(qn("c:barChart"))
    line_chart = parse_xml(
        f"<c:lineChart {nsdecls('c')}>"
        '<c:grouping val="standard"/>'
        '<c:varyColors val="0"/>'
        '<c:marker val="1"/>'
        f'<c:axId val="{SECONDARY_CATEGORY_AXIS}"/>'
        f'<c:axId val="{SECONDARY_VALUE_AXIS}"/>'
        "</c:lineChart>"
    )
    first_after_series = line_chart.find(qn("c:marker"))
    for ser in _children(bar_chart, "c:ser"):
        if int(ser.find(qn("c:idx")).get("val")) not in wanted:
            continue
        bar_chart.remove(ser)
        for child in _children(ser, *BAR_ONLY_SERIES_CHILDREN):
            ser.remove(child)
        add_before_extensions(ser, parse_xml(f'<c:smooth {nsdecls("c")} val="0"/>'))
        first_after_series.addprevious(ser)
    bar_chart.addnext(line_chart)

    axes = _children(plot_area, *AXIS_TAGS)
    axes[-1].addnext(_secondary_value_axis())
    axes[-1].addnext(_secondary_category_axis())
    return line_chart


def add_before_extensions(parent: Any, element: Any) -> None:
    """Add `element` as the last child of a chart element but before its extensions (c:extLst
    comes last in every chart element that has one)."""
    extension = parent.find(qn("c:extLst"))
    if extension is None:
        parent.append(element)
    else:
        extension.addprevious(element)


def _secondary_category_axis() -> Any:
    """A deleted category axis: the line shares the columns' categories by position."""
    return parse_xml(
        f"<c:catAx {nsdecls('c')}>"
        f'<c:axId val="{SECONDARY_CATEGORY_AXIS}"/>'
        '<c:scaling><c:orientation val="minMax"/></c:scaling>'
        '<c:delete val="1"/>'
        '<c:axPos val="b"/>'
        '<c:majorTickMark val="none"/>'
        '<c:minorTickMark val="none"/>'
        '<c:tickLblPos val="nextTo"/>'
        f'<c:crossAx val="{SECONDARY_VALUE_AXIS}"/>'
        '<c:crosses val="autoZero"/>'
        '<c:auto val="1"/>'
        '<c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/>'
        '<c:noMultiLvlLbl val="0"/>'
        "</c:catAx>"
    )


def _secondary_value_axis() -> Any:
    """The line's value axis, on the right (it crosses the category axis at its maximum)."""
    return parse_xml(
        f"<c:valAx {nsdecls('c')}>"
        f'<c:axId val="{SECONDARY_VALUE_AXIS}"/>'
        '<c:scaling><c:orientation val="minMax"/></c:scaling>'
        '<c:delete val="0"/>'
        '<c:axPos val="r"/>'
        '<c:majorTickMark val="none"/>'
        '<c:minorTickMark val="none"/>'
        '<c:tickLblPos val="nextTo"/>'
        f'<c:crossAx val="{SECONDARY_CATEGORY_AXIS}"/>'
        '<c:crosses val="max"/>'
        '<c:crossBetween val="between"/>'
        "</c:valAx>"
    )


def renumber_axis_ids(chart_space: Any) -> dict[int, int]:
    """Give every axis a positive id (python-pptx writes negative ones, which the XSD rejects).

    Every c:axId and c:crossAx is rewritten through one mapping, so references stay consistent.
    Returns the mapping (old id -> new id).
    """
    mapping: dict[int, int] = {}
    references = chart_space.iter(qn("c:axId"), qn("c:crossAx"))
    for element in references:
        old = int(element.get("val"))
        new = mapping.setdefault(old, AXIS_ID_BASE + len(mapping))
        element.set("val", str(new))
    return mapping


def set_rounded_corners_off(chart_space: Any) -> None:
    """Square chart corners: PowerPoint rounds them when c:roundedCorners is absent."""
    if chart_space.find(qn("c:roundedCorners")) is not None:
        return
    element = parse_xml(f'<c:roundedCorners {nsdecls("c")} val="0"/>')
    anchor = None
    for tag in ("c:lang", "c:date1904"):
        anchor = chart_space.find(qn(tag))
        if anchor is not None:
            break
    if anchor is None:
        chart_space.insert(0, element)
    else:
        anchor.addnext(element)
