"""Native, editable PowerPoint charts, written as deckgen.chartlayout decided them.

The layout decides everything: the scales, where the plot sits in the chart, which label goes
where (above, beside, inside or beyond its mark) and in which colour, the forecast hatch, the
break-even call-out. This module only writes that as chart XML. Each chart keeps its data in
its own embedded workbook, so a reader can edit it in PowerPoint, and names its colours by theme
slot, so another template restyles it. python-pptx draws the chart; what it cannot (a line on a
secondary axis, labels per point with their own words, places and colours, the plot's manual
layout, a call-out between two points, schema-valid axis ids) is written here and in `combo`.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from pptx.chart.axis import ValueAxis
from pptx.chart.plot import BarPlot
from pptx.dml.chtfmt import ChartFormat
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
    XL_TICK_MARK,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.opc.package import Part
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.text.text import Font
from pptx.util import Emu as Length
from pptx.util import Pt

from deckgen.chartlayout import ChartLayout, Label, Pointer, Rect, lay_out
from deckgen.chartlayout import ValueAxis as AxisLayout
from deckgen.chartlayout import value as _value
from deckgen.design import SAMPLE_FONT, Role
from deckgen.render import colors, combo
from deckgen.render.template import master_theme_colors
from deckgen.render.workbooks import TextOnlyChartData
from deckgen.specs import ChartKind, ChartSpec, Plot

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
DASHES = {"dash": MSO_LINE_DASH_STYLE.DASH, "round-dot": MSO_LINE_DASH_STYLE.ROUND_DOT}
ALT_TEXT_TITLE = "Chart"
CROSSES_MAXIMUM = "max"
USER_SHAPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartUserShapes"
USER_SHAPES_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chartshapes+xml"
USER_SHAPES_NAME = "/ppt/drawings/drawing%d.xml"
CHART_DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/chartDrawing"
LABEL_FLAGS = (
    "showLegendKey",
    "showVal",
    "showCatName",
    "showSerName",
    "showPercent",
    "showBubbleSize",
)

_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_XML_SPECIAL = re.compile("[<>&]")


# -- public ---------------------------------------------------------------------------------


def add_native_chart(shapes: Any, spec: ChartSpec, font: str = SAMPLE_FONT) -> Any:
    """Draw `spec` at spec.box on a slide's shapes as a native chart; return its graphic frame.

    `font` is the template's body font, which the chart's text is set in (its widths decide
    where labels fit). Raises ValueError when the spec is inconsistent (series length, ...).
    """
    return draw_layout(shapes, lay_out(spec, _theme_colors(shapes), font))


def draw_layout(shapes: Any, layout: ChartLayout) -> Any:
    """Write a decided chart on a slide's shapes; return its graphic frame."""
    spec = layout.spec
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
    _style_chart(chart, layout)
    series = {s.index: s for plot in chart.plots for s in plot.series}
    for index, series_spec in enumerate(spec.series):
        if layout.is_line(series_spec):
            _style_line(series[index], layout, index)
        else:
            _style_bars(series[index], layout, index)
        ser = chart_space.xpath(f".//c:ser[c:idx/@val='{index}']")[0]
        _label_series(series[index], ser, index, layout)
    _style_axes(chart, layout)
    _draw_pointers(chart.part, chart_space, layout)
    combo.renumber_axis_ids(chart_space)
    combo.set_rounded_corners_off(chart_space)
    _describe(frame, spec)
    return frame


# -- data -------------------------------------------------------------------------------------


def _workbook_format(number_format: str) -> str:
    """The series' format for its workbook cells, where python-pptx can write it unescaped."""
    return "General" if _XML_SPECIAL.search(number_format) else number_format


def _xml_text(text: str) -> str:
    """Drop characters XML 1.0 cannot hold (python-pptx crashes on them in chart names)."""
    return _XML_INVALID.sub("", text)


def _chart_data(spec: ChartSpec) -> Any:
    """Every series, the line ones too: the workbook python-pptx embeds holds them all."""
    data = TextOnlyChartData()  # type: ignore[no-untyped-call]
    data.categories = [_xml_text(category) for category in spec.categories]
    for series in spec.series:
        values = [_value(series, i) for i in range(len(series.values))]
        name, number_format = _xml_text(series.name), _workbook_format(series.number_format)
        data.add_series(name, values, number_format)  # type: ignore[no-untyped-call]
    return data


def _theme_colors(shapes: Any) -> dict[str, str]:
    """Theme slot -> "RRGGBB" of the slide's theme, so contrast is judged on the real colours."""
    try:
        master = shapes.part.slide_layout.slide_master
    except AttributeError:
        return {}
    return master_theme_colors(master)


# -- labels -----------------------------------------------------------------------------------


def _set_font(font: Any, size: float, color: Role, bold: bool) -> None:
    font.size = Pt(size)
    font.bold = bold
    colors.set_color(font.color, color)


def _look(label: Label) -> tuple[str, Role, Role | None, bool]:
    return (label.position.value, label.color, label.chip, label.bold)


def _plain(label: Label) -> bool:
    """Whether a label can be the series' own: at its place, showing its value, no chip."""
    return (
        label.moved is None and label.words is None and not label.series_name and label.chip is None
    )


def _label_series(series: Any, ser: Any, index: int, layout: ChartLayout) -> None:
    """The series' own labels, then every point whose label differs from them."""
    spec = layout.spec.series[index]
    labels = [label for label in layout.labels if label.series == index]
    if not labels:
        return
    plain = [label for label in labels if _plain(label)]
    looks = Counter(_look(label) for label in plain or labels)
    default = looks.most_common(1)[0][0] if plain else None
    if spec.labels:
        # The series' own labels, even where every point has one of its own: the format and
        # the text style are then where PowerPoint's "Format Data Labels" looks for them.
        position, color, _, bold = looks.most_common(1)[0][0]
        data_labels = series.data_labels
        data_labels.number_format = spec.number_format
        data_labels.number_format_is_linked = False
        data_labels.show_value = True
        _set_font(data_labels.font, layout.size, color, bold=bold)
        _set_position(ser.find(qn("c:dLbls")), position)
    for label in labels:
        if not spec.labels or default is None or not _plain(label) or _look(label) != default:
            _write_point_label(ser, label, spec.number_format, layout)
    dlbls = ser.find(qn("c:dLbls"))
    # python-pptx asks for leader lines, which LibreOffice draws across bars to moved labels.
    leader_lines = dlbls.find(qn("c:showLeaderLines"))
    if leader_lines is not None:
        leader_lines.set("val", "0")
    # One line each: LibreOffice wraps a label wider than a third of the chart otherwise.
    for body in dlbls.iter(qn("a:bodyPr")):
        body.set("wrap", "none")


def _set_position(dlbls: Any, position: str) -> None:
    """The series' c:dLblPos, in its place in the schema's order (before the show flags)."""
    existing = dlbls.find(qn("c:dLblPos"))
    if existing is not None:
        existing.set("val", position)
        return
    element = parse_xml(f'<c:dLblPos {nsdecls("c")} val="{position}"/>')
    dlbls.find(qn("c:showLegendKey")).addprevious(element)


def _write_point_label(ser: Any, label: Label, number_format: str, layout: ChartLayout) -> None:
    """Write one point's c:dLbl in full (a point's label does not inherit the series' one)."""
    point, size = label.point, layout.size
    dlbl = parse_xml(f'<c:dLbl {nsdecls("c", "a")}><c:idx val="{point}"/></c:dLbl>')
    if label.moved is not None:
        dx, dy = label.moved[0] / layout.width, label.moved[1] / layout.height
        dlbl.append(
            parse_xml(
                f"<c:layout {nsdecls('c')}><c:manualLayout>"
                f'<c:x val="{dx:.6f}"/><c:y val="{dy:.6f}"/>'
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
            _set_font(Font(properties), size, label.color, label.bold)
        dlbl.append(rich)
    number = parse_xml(f'<c:numFmt {nsdecls("c")} sourceLinked="0"/>')
    number.set("formatCode", number_format)
    dlbl.append(number)
    if label.chip is not None:
        colors.fill_solid(ChartFormat(dlbl).fill, label.chip)
    text = parse_xml(
        f"<c:txPr {nsdecls('c', 'a')}><a:bodyPr/><a:lstStyle/>"
        '<a:p><a:pPr><a:defRPr/></a:pPr><a:endParaRPr lang="en-GB"/></a:p></c:txPr>'
    )
    _set_font(Font(text.find(f".//{qn('a:defRPr')}")), size, label.color, label.bold)
    dlbl.append(text)
    shown = {"showVal": True, "showSerName": label.series_name}
    flags = "".join(f'<c:{flag} val="{int(shown.get(flag, False))}"/>' for flag in LABEL_FLAGS)
    separator = "<c:separator> </c:separator>" if label.series_name else ""
    for child in parse_xml(
        f'<c:x {nsdecls("c")}><c:dLblPos val="{label.position.value}"/>{flags}{separator}</c:x>'
    ).iterchildren():
        dlbl.append(child)
    dlbls = ser.get_or_add_dLbls()
    for other in dlbls.findall(qn("c:dLbl")):
        if int(other.find(qn("c:idx")).get("val")) == point:
            dlbls.remove(other)
    existing = dlbls.findall(qn("c:dLbl"))
    later = [d for d in existing if int(d.find(qn("c:idx")).get("val")) > point]
    if later:
        later[0].addprevious(dlbl)
    else:
        dlbls.insert(len(existing), dlbl)


# -- series -----------------------------------------------------------------------------------


def _hatch(fill: Any, line: Any, color: Role, layout: ChartLayout) -> None:
    """A forecast bar: patterned in its colour over the background, with a firm edge."""
    colors.fill_pattern(fill, color, layout.style.forecast_pattern)
    colors.set_color(line.color, color)
    line.width = Pt(layout.style.forecast_outline)


def _style_bars(series: Any, layout: ChartLayout, index: int) -> None:
    """Bars as the layout fills them; points that differ from the series get their own fill."""
    spec = layout.spec.series[index]
    bars = [bar for bar in layout.bars if bar.series == index]
    series.invert_if_negative = False
    hatched = bool(bars) and all(bar.hatched for bar in bars)
    if hatched:
        _hatch(series.format.fill, series.format.line, spec.color, layout)
    else:
        colors.fill_solid(series.format.fill, spec.color)
        series.format.line.fill.background()
    for bar in bars:
        if bar.hatched == hatched and bar.fill is spec.color:
            continue
        point = series.points[bar.point]
        if bar.hatched:
            _hatch(point.format.fill, point.format.line, bar.fill, layout)
        else:
            colors.fill_solid(point.format.fill, bar.fill)
            point.format.line.fill.background()


def _style_line(series: Any, layout: ChartLayout, index: int) -> None:
    """A line with markers; forecast stretches dashed with hollow markers; call-outs bigger."""
    style = layout.style
    spec = layout.spec.series[index]
    line = next(line for line in layout.lines if line.series == index)
    series.smooth = False
    series_line = series.format.line
    colors.set_color(series_line.color, spec.color)
    series_line.width = Pt(style.line_width)
    marker = series.marker
    marker.style = XL_MARKER_STYLE.CIRCLE
    marker.size = round(style.marker_size)
    colors.fill_solid(marker.format.fill, spec.color)
    colors.set_color(marker.format.line.color, spec.color)
    for point_mark in line.markers:
        plain = (
            not point_mark.forecast
            and point_mark.color is spec.color
            and point_mark.fill is spec.color
            and point_mark.size == style.marker_size
        )
        if plain:
            continue
        point = series.points[point_mark.point]
        point_line = point.format.line
        colors.set_color(point_line.color, point_mark.color)
        point_line.width = Pt(style.line_width)
        if point_mark.forecast:
            point_line.dash_style = DASHES[style.forecast_dash]
        point.marker.style = XL_MARKER_STYLE.CIRCLE
        point.marker.size = round(point_mark.size)
        colors.fill_solid(point.marker.format.fill, point_mark.fill)
        colors.set_color(point.marker.format.line.color, point_mark.color)


# -- chart, axes, alt text ----------------------------------------------------------------------


def _no_fill_properties() -> Any:
    return parse_xml(f"<c:spPr {nsdecls('c', 'a')}><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>")


def _place_legend(legend: Any, element: Any) -> None:
    """Put the legend's c:layout where the schema has it: after its entries, before the rest."""
    for old in legend.findall(qn("c:layout")):
        legend.remove(old)
    later = [legend.find(qn(f"c:{tag}")) for tag in ("overlay", "spPr", "txPr", "extLst")]
    following = next((e for e in later if e is not None), None)
    if following is None:
        legend.append(element)
    else:
        following.addprevious(element)


def _legend_layout(rect: Rect, layout: ChartLayout) -> Any:
    """The legend's box, as a share of the chart: the width the layout gave its entries, so a
    viewer lays them in the rows the layout counted (and LibreOffice does not wrap them into
    rows of its own, up against the category names)."""
    return parse_xml(
        f"<c:layout {nsdecls('c')}><c:manualLayout>"
        '<c:xMode val="edge"/><c:yMode val="edge"/>'
        f'<c:x val="{rect.x / layout.width:.6f}"/><c:y val="{rect.y / layout.height:.6f}"/>'
        f'<c:w val="{rect.width / layout.width:.6f}"/>'
        f'<c:h val="{rect.height / layout.height:.6f}"/>'
        "</c:manualLayout></c:layout>"
    )


def _plot_layout(plot: Rect, layout: ChartLayout) -> Any:
    """The plot's inner rectangle (without axis labels), as a share of the chart: every viewer
    then puts bars and points where the layout placed their labels."""
    x, y = plot.x / layout.width, plot.y / layout.height
    w, h = plot.width / layout.width, plot.height / layout.height
    return parse_xml(
        f"<c:layout {nsdecls('c')}><c:manualLayout>"
        '<c:layoutTarget val="inner"/><c:xMode val="edge"/><c:yMode val="edge"/>'
        f'<c:x val="{x:.6f}"/><c:y val="{y:.6f}"/><c:w val="{w:.6f}"/><c:h val="{h:.6f}"/>'
        "</c:manualLayout></c:layout>"
    )


def _style_chart(chart: Any, layout: ChartLayout) -> None:
    """No title (the slide's title carries the message), no fills, theme fonts at label size."""
    chart.has_title = False
    _set_font(chart.font, layout.size, Role.TEXT, bold=False)
    chart_space = chart.element
    chart_space.find(qn("c:chart")).addnext(_no_fill_properties())
    plot_area = chart_space.find(f"{qn('c:chart')}/{qn('c:plotArea')}")
    existing = plot_area.find(qn("c:layout"))
    if existing is not None:
        plot_area.remove(existing)
    plot_area.insert(0, _plot_layout(layout.plot, layout))
    plot_area.append(_no_fill_properties())
    chart.has_legend = layout.legend is not None
    if layout.legend is not None:
        legend = chart.legend
        legend.position = XL_LEGEND_POSITION.BOTTOM
        legend.include_in_layout = False
        _set_font(legend.font, layout.size, Role.TEXT, bold=False)
        _place_legend(legend._element, _legend_layout(layout.legend.rect, layout))
    for plot in chart.plots:
        plot.vary_by_categories = False
        if isinstance(plot, BarPlot):
            plot.gap_width = layout.gap_width
            plot.overlap = layout.overlap


def _style_value_axis(axis: Any, layout: ChartLayout, decided: AxisLayout) -> None:
    style = layout.style
    axis.major_tick_mark = XL_TICK_MARK.NONE
    axis.minor_tick_mark = XL_TICK_MARK.NONE
    axis.has_minor_gridlines = False
    axis.format.line.fill.background()
    scale = decided.scale
    axis.minimum_scale = scale.minimum
    axis.maximum_scale = scale.maximum
    axis.major_unit = scale.step
    _cross_between(axis._element)
    axis.has_major_gridlines = decided.visible and decided.gridlines
    if axis.has_major_gridlines:
        grid = axis.major_gridlines.format.line
        grid.width = Pt(style.gridline)
        colors.set_color(grid.color, Role.SECONDARY)
        grid.color.brightness = style.gridline_tint
    if not decided.visible:
        # Kept (not deleted) so the axis still scales its series in every viewer.
        axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
        return
    axis.tick_label_position = XL_TICK_LABEL_POSITION.NEXT_TO_AXIS
    labels = axis.tick_labels
    labels.number_format = decided.number_format
    labels.number_format_is_linked = False
    _set_font(labels.font, layout.size, Role.SECONDARY, bold=False)


def _cross_between(value_axis: Any) -> None:
    """Points sit mid-category, as bars do, in every chart kind (the layout placed them so)."""
    existing = value_axis.find(qn("c:crossBetween"))
    if existing is not None:
        existing.set("val", "between")
        return
    crosses = value_axis.find(qn("c:crosses"))
    if crosses is None:
        crosses = value_axis.find(qn("c:crossesAt"))
    crosses.addnext(parse_xml(f'<c:crossBetween {nsdecls("c")} val="between"/>'))


def _style_axes(chart: Any, layout: ChartLayout) -> None:
    category = chart.category_axis
    category.has_major_gridlines = False
    category.has_minor_gridlines = False
    category.major_tick_mark = XL_TICK_MARK.NONE
    category.minor_tick_mark = XL_TICK_MARK.NONE
    axis_line = category.format.line
    colors.set_color(axis_line.color, Role.SECONDARY)
    axis_line.width = Pt(layout.style.axis_line)
    _set_font(category.tick_labels.font, layout.size, Role.SECONDARY, bold=False)
    plot_area = chart.element.find(f"{qn('c:chart')}/{qn('c:plotArea')}")
    value_axes = plot_area.findall(qn("c:valAx"))
    if layout.horizontal:
        # Categories read top to bottom as given; the value axis stays at the bottom, where
        # the last category now is (c:crosses on a value axis: where on the category axis).
        category.reverse_order = True
        value_axes[0].find(qn("c:crosses")).set("val", CROSSES_MAXIMUM)
    if layout.names_low:
        # Names at the low end of the value axis, clear of bars going either way from zero.
        category.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    # Not chart.value_axis: python-pptx answers the second value axis when there are two.
    _style_value_axis(ValueAxis(value_axes[0]), layout, layout.primary)  # type: ignore[no-untyped-call]
    if layout.secondary is not None and len(value_axes) > 1:
        _style_value_axis(ValueAxis(value_axes[1]), layout, layout.secondary)  # type: ignore[no-untyped-call]


def _describe(frame: Any, spec: ChartSpec) -> None:
    """Name the shape and give it alt text (python-pptx has no API for a chart's)."""
    frame.name = _xml_text(spec.name)
    properties = frame.element.find(f".//{qn('p:cNvPr')}")
    properties.set("descr", _xml_text(spec.alt_text))
    properties.set("title", ALT_TEXT_TITLE)


# -- call-outs between points: shapes drawn inside the chart ------------------------------------


def _draw_pointers(chart_part: Any, chart_space: Any, layout: ChartLayout) -> None:
    """A call-out that names a place between points is drawn in the chart's own drawing (it
    moves and scales with the chart): a marker on the place, a leader and the words."""
    if not layout.pointers:
        return
    shapes: list[str] = []
    for pointer in layout.pointers:
        shapes.extend(_pointer_shapes(pointer, layout, first_id=2 + len(shapes)))
    xml = (
        f'<c:userShapes {nsdecls("c", "a")} xmlns:cdr="{CHART_DRAWING}">'
        + "".join(shapes)
        + "</c:userShapes>"
    )
    package = chart_part.package
    partname = package.next_partname(USER_SHAPES_NAME)
    part = Part(partname, USER_SHAPES_TYPE, package, xml.encode("utf-8"))
    rid = chart_part.relate_to(part, USER_SHAPES)
    element = parse_xml(f'<c:userShapes {nsdecls("c", "r")} r:id="{rid}"/>')
    combo.add_before_extensions(chart_space, element)


def _anchor(layout: ChartLayout, left: float, top: float, right: float, bottom: float) -> str:
    def share(value: float, whole: float) -> float:
        return min(max(value / whole, 0.0), 1.0)

    return (
        f"<cdr:from><cdr:x>{share(left, layout.width):.6f}</cdr:x>"
        f"<cdr:y>{share(top, layout.height):.6f}</cdr:y></cdr:from>"
        f"<cdr:to><cdr:x>{share(right, layout.width):.6f}</cdr:x>"
        f"<cdr:y>{share(bottom, layout.height):.6f}</cdr:y></cdr:to>"
    )


def _pointer_shapes(pointer: Pointer, layout: ChartLayout, first_id: int) -> list[str]:
    color = f'<a:solidFill><a:schemeClr val="{pointer.color.value}"/></a:solidFill>'
    x, y = pointer.at
    radius = pointer.marker_size / 2
    marker = (
        "<cdr:relSizeAnchor>"
        + _anchor(layout, x - radius, y - radius, x + radius, y + radius)
        + '<cdr:sp macro="" textlink=""><cdr:nvSpPr>'
        f'<cdr:cNvPr id="{first_id}" name="{_escape(pointer.text)} marker"/><cdr:cNvSpPr/>'
        '</cdr:nvSpPr><cdr:spPr><a:prstGeom prst="ellipse"><a:avLst/></a:prstGeom>'
        f"{color}<a:ln><a:noFill/></a:ln></cdr:spPr></cdr:sp></cdr:relSizeAnchor>"
    )
    (x0, y0), (x1, y1) = pointer.leader
    flips = (' flipH="1"' if x1 < x0 else "") + (' flipV="1"' if y1 < y0 else "")
    width = Pt(layout.style.leader_line)
    leader = (
        "<cdr:relSizeAnchor>"
        + _anchor(layout, min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        + '<cdr:cxnSp macro=""><cdr:nvCxnSpPr>'
        f'<cdr:cNvPr id="{first_id + 1}" name="{_escape(pointer.text)} leader"/>'
        "<cdr:cNvCxnSpPr/></cdr:nvCxnSpPr>"
        f'<cdr:spPr><a:xfrm{flips}><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></a:xfrm>'
        '<a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
        f'<a:ln w="{int(width)}">{color}</a:ln></cdr:spPr></cdr:cxnSp></cdr:relSizeAnchor>'
    )
    rect = pointer.rect
    size = round(layout.size * 100)
    words = (
        "<cdr:relSizeAnchor>"
        + _anchor(layout, rect.x, rect.y, rect.right, rect.bottom)
        + '<cdr:sp macro="" textlink=""><cdr:nvSpPr>'
        f'<cdr:cNvPr id="{first_id + 2}" name="{_escape(pointer.text)}"/>'
        '<cdr:cNvSpPr txBox="1"/></cdr:nvSpPr>'
        '<cdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></cdr:spPr>'
        '<cdr:txBody><a:bodyPr wrap="none" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr">'
        '<a:noAutofit/></a:bodyPr><a:lstStyle/><a:p><a:pPr algn="ctr"/>'
        f'<a:r><a:rPr lang="en-GB" sz="{size}" b="1">{color}'
        '<a:latin typeface="+mn-lt"/></a:rPr>'
        f"<a:t>{_escape(pointer.text)}</a:t></a:r></a:p></cdr:txBody></cdr:sp>"
        "</cdr:relSizeAnchor>"
    )
    return [marker, leader, words]


def _escape(text: str) -> str:
    clean = _xml_text(text)
    return (
        clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
