"""Native charts: real decks saved, reopened with python-pptx, validated and rendered."""

from __future__ import annotations

import io
import itertools
import math
import re
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from lxml import etree
from pptx import Presentation
from pptx.chart.plot import BarPlot, LinePlot
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Inches, Pt

from deckgen.chartlayout import ChartLayout, Position, check_spec, lay_out
from deckgen.design import CHART, SAMPLE_THEME, Role, contrast_ratio
from deckgen.libreoffice import page_count, to_pdf
from deckgen.render.charts import add_native_chart
from deckgen.specs import Box, Callout, ChartKind, ChartSpec, Plot, SeriesSpec, inches
from tests.conftest import (
    DECK,
    SAMPLE_WORKBOOK,
    TEMPLATE,
    Source,
    build_cli,
    require_libreoffice,
    sheet,
)
from tests.ooxml import validate_package

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
CDR = "{http://schemas.openxmlformats.org/drawingml/2006/chartDrawing}"
USER_SHAPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartUserShapes"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
BOX = Box(inches(0.5), inches(1.5), inches(12.333), inches(5.3))
BOX_SMALL = Box(inches(0.5), inches(1.5), inches(5.03), inches(1.99))  # a spotlight's chart
THEME_PART = "ppt/theme/theme1.xml"

MONEY = '£#,##0"m"'
SIGNED_MONEY = '£#,##0"m";-£#,##0"m"'
UNSIGNED_MONEY = '£#,##0"m";£#,##0"m"'

YEARS = tuple(f"FY{y % 100:02d}/{(y + 1) % 100:02d}" for y in range(2015, 2025))
INVESTMENT = (30.0, 50.0, 66.0, 120.0, 115.0, 105.0, 98.0, 80.0, 62.0, 52.0)
BENEFITS = (10.0, 35.0, 57.0, 75.0, 119.0, 120.0, 120.0, 120.0, 120.0, 120.0)
CUMULATIVE_NET = (-20.0, -35.0, -44.0, -89.0, -85.0, -70.0, -48.0, -8.0, 50.0, 118.0)
FORECAST = (False,) * 4 + (True,) * 6
BREAK_EVEN = YEARS.index("FY23/24")

PROJECTS = (
    "TS1",
    "EER - CJS",
    "EER - FCID",
    "EER - LOMU",
    "Mobility - PNC",
    "Mobility - Stop & Search",
    "WMP2020 - BWV",
    "WMP2020 - CJS Review",
    "WMP2020 - Connect",
    "WMP2020 - DDI",
    "WMP2020 - DES",
    "WMP2020 - Smarter Responding",
)
ACHIEVED_FTE = (332.0, 6.0, 6.0, 6.0, 26.21, 5.46, 17.0, 2.0, None, None, None, None)
FORECAST_FTE = (None,) * 8 + (422.0, 153.8, 11.0, 33.0)

PORTFOLIOS = (
    "Closed",
    "ESMCP",
    "Estates Strategy",
    "Mobility - Airwave Refresh",
    "New Ways of Investigating",
    "New Ways of Responding",
    "NGES",
    "NWOPC",
    "Our Data",
    "POD",
    "Stand Alone",
)
PORTFOLIO_BENEFITS = (-205.8, -3.0, -20.1, None, -26.3, -29.3, -92.4, -1.8, -182.3, None, -102.7)
PORTFOLIO_COSTS = (77.0, 15.6, 123.5, 16.7, 18.8, 14.9, 21.1, 1.2, 42.8, 2.2, 122.9)
CASHABLE = (118.8, 3.0, 20.1, None, 19.0, 3.9, 69.9, 1.8, 18.8, None, 90.4)


def _series(
    name: str,
    values: tuple[float | None, ...],
    color: Role,
    number_format: str = MONEY,
    **extra: Any,
) -> SeriesSpec:
    return SeriesSpec(name, values, color, number_format, **extra)


def column_spec() -> ChartSpec:
    return ChartSpec(
        name="Investment and benefits",
        box=BOX,
        kind=ChartKind.COLUMN,
        categories=YEARS,
        series=(
            _series("Investment", INVESTMENT, Role.INVESTMENT, forecast=FORECAST),
            _series("Benefits", BENEFITS, Role.BENEFIT, forecast=FORECAST),
        ),
        alt_text="Columns by year: investment peaks at £120m in FY18/19 and falls to £52m by "
        "FY24/25; benefits reach £120m a year from FY20/21.",
        value_format=MONEY,
        callouts=(Callout(0, 3, "Peak £120m"),),
    )


def stacked_column_spec() -> ChartSpec:
    cashable = (4.0, 15.0, 25.0, 35.0, 55.0, 55.0, 55.0, 55.0, 55.0, 55.0)
    non_cashable = tuple(b - c for b, c in zip(BENEFITS, cashable, strict=True))
    return ChartSpec(
        name="Benefits by kind",
        box=BOX,
        kind=ChartKind.STACKED_COLUMN,
        categories=YEARS,
        series=(
            _series("Cashable", cashable, Role.BENEFIT, forecast=FORECAST),
            _series("Non-cashable", non_cashable, Role.INVESTMENT, forecast=FORECAST),
        ),
        alt_text="Stacked columns by year: cashable and non-cashable benefits, £120m a year "
        "from FY20/21.",
        value_format=MONEY,
        overlap=100,
    )


def percent_column_spec() -> ChartSpec:
    aim = (False, True)
    return ChartSpec(
        name="Contact channels",
        box=BOX,
        kind=ChartKind.PERCENT_COLUMN,
        categories=("May 2019", "Aim, August 2020"),
        series=(
            _series("Live Chat", (17.0, 37.0), Role.BENEFIT, '0"%"', forecast=aim),
            _series("Online reporting", (None, 8.0), Role.ACCENT, '0"%"', forecast=aim),
            _series("Phone and other", (83.0, 55.0), Role.SECONDARY, '0"%"', forecast=aim),
        ),
        alt_text="100% columns: Live Chat handles 17% of demand in May 2019 and aims for 37% "
        "by August 2020, with 8% through online reporting.",
        value_format="0%",
        overlap=100,
        gap_width=80,
    )


def bar_spec() -> ChartSpec:
    return ChartSpec(
        name="Cashable benefits by portfolio",
        box=BOX,
        kind=ChartKind.BAR,
        categories=PORTFOLIOS,
        series=(_series("Cashable benefits", CASHABLE, Role.BENEFIT, '£#,##0.0"m"'),),
        alt_text="Bars by portfolio: Closed projects carry the most cashable benefit, £118.8m, "
        "then Stand Alone, £90.4m.",
        value_format=MONEY,
        legend=False,
        gap_width=40,
    )


def fte_spec() -> ChartSpec:
    return ChartSpec(
        name="FTE by project",
        box=BOX,
        kind=ChartKind.STACKED_BAR,
        categories=PROJECTS,
        series=(
            _series("Achieved", ACHIEVED_FTE, Role.BENEFIT, "#,##0"),
            _series("Forecast", FORECAST_FTE, Role.BENEFIT, "#,##0", forecast=(True,) * 12),
        ),
        alt_text="Bars by project: 1,020 FTE in all; Connect is forecast to release the most, "
        "422 FTE, and TS1 has released 332.",
        value_format="#,##0",
        callouts=(Callout(1, 8, "422 forecast"),),
        overlap=100,
        gap_width=40,
    )


def diverging_spec() -> ChartSpec:
    return ChartSpec(
        name="Portfolio costs and benefits",
        box=BOX,
        kind=ChartKind.STACKED_BAR,
        categories=PORTFOLIOS,
        series=(
            _series("Benefits", PORTFOLIO_BENEFITS, Role.BENEFIT, UNSIGNED_MONEY),
            _series("Costs", PORTFOLIO_COSTS, Role.INVESTMENT, UNSIGNED_MONEY),
        ),
        alt_text="Diverging bars by portfolio: benefits left, costs right; Our Data returns "
        "£182m for £43m, Estates Strategy costs £124m for £20m.",
        value_format=UNSIGNED_MONEY,
        overlap=100,
        gap_width=40,
    )


def line_spec() -> ChartSpec:
    return ChartSpec(
        name="Investment and benefits lines",
        box=BOX,
        kind=ChartKind.LINE,
        categories=YEARS,
        series=(
            _series("Investment", INVESTMENT, Role.INVESTMENT, forecast=FORECAST),
            _series("Benefits", BENEFITS, Role.BENEFIT, forecast=FORECAST),
        ),
        alt_text="Lines by year: benefits overtake investment in FY19/20 and stay at £120m.",
        value_format=MONEY,
        callouts=(Callout(1, 4, "Benefits overtake"),),
        value_axis_visible=True,
    )


def combo_spec() -> ChartSpec:
    return ChartSpec(
        name="Investment, benefits and net",
        box=BOX,
        kind=ChartKind.COMBO,
        categories=YEARS,
        series=(
            _series("Investment", INVESTMENT, Role.INVESTMENT, forecast=FORECAST),
            _series("Benefits", BENEFITS, Role.BENEFIT, forecast=FORECAST),
            _series(
                "Cumulative net",
                CUMULATIVE_NET,
                Role.ACCENT,
                SIGNED_MONEY,
                forecast=FORECAST,
                plot=Plot.LINE,
            ),
        ),
        alt_text="Columns by year with the cumulative net as a line: the programme breaks even "
        "in FY23/24 and is £118m ahead by FY24/25.",
        value_format=MONEY,
        secondary_format=SIGNED_MONEY,
        callouts=(Callout(2, BREAK_EVEN, "Break-even FY23/24"),),
        value_axis_visible=True,
    )


def quiet_combo_spec() -> ChartSpec:
    """The combo as a slide would often have it: no axis for the labelled columns, the line
    read off its own axis, labelled only where it breaks even."""
    spec = combo_spec()
    line = replace(spec.series[2], labels=False)
    return replace(spec, series=(*spec.series[:2], line), value_axis_visible=False)


def cumulative_spec() -> ChartSpec:
    """The cumulative net, labelled on every point, break-even where it crosses zero."""
    return ChartSpec(
        name="Cumulative net",
        box=Box(inches(0.5), inches(1.4), inches(7.1), inches(5.0)),
        kind=ChartKind.LINE,
        categories=YEARS,
        series=(_series("Net", CUMULATIVE_NET, Role.BENEFIT, SIGNED_MONEY, forecast=FORECAST),),
        alt_text="Line by year: the cumulative net benefit falls to -£89m in FY18/19, crosses "
        "zero in FY23/24 and reaches £118m by FY24/25.",
        value_format=SIGNED_MONEY,
        legend=False,
        callouts=(Callout(0, BREAK_EVEN, "Break-even FY23/24", crossing=True),),
    )


SPECS: dict[str, Callable[[], ChartSpec]] = {
    "column": column_spec,
    "stacked-column": stacked_column_spec,
    "percent-column": percent_column_spec,
    "bar": bar_spec,
    "stacked-bar": fte_spec,
    "diverging": diverging_spec,
    "line": line_spec,
    "combo": combo_spec,
    "quiet-combo": quiet_combo_spec,
    "cumulative": cumulative_spec,
}

EXPECTED_TYPE = {
    ChartKind.COLUMN: XL_CHART_TYPE.COLUMN_CLUSTERED,
    ChartKind.STACKED_COLUMN: XL_CHART_TYPE.COLUMN_STACKED,
    ChartKind.PERCENT_COLUMN: XL_CHART_TYPE.COLUMN_STACKED_100,
    ChartKind.BAR: XL_CHART_TYPE.BAR_CLUSTERED,
    ChartKind.STACKED_BAR: XL_CHART_TYPE.BAR_STACKED,
    ChartKind.LINE: XL_CHART_TYPE.LINE_MARKERS,
    ChartKind.COMBO: XL_CHART_TYPE.COLUMN_CLUSTERED,
}


def write_sample_template(path: Path) -> Path:
    """python-pptx's default deck with the sample theme's colours, as the real template has."""
    Presentation().save(str(path))
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    theme = etree.fromstring(parts[THEME_PART])
    for slot in theme.find(f".//{A}clrScheme"):
        name = etree.QName(slot).localname
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, f"{A}srgbClr", val=SAMPLE_THEME[name])
    parts[THEME_PART] = etree.tostring(theme, xml_declaration=True, encoding="UTF-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def build_deck(path: Path, specs: list[ChartSpec]) -> Path:
    """A 16:9 deck in the sample theme with one chart per blank slide, saved to `path`."""
    deck = Presentation(str(write_sample_template(path.with_suffix(".template.pptx"))))
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    for spec in specs:
        slide = deck.slides.add_slide(deck.slide_layouts[6])
        add_native_chart(slide.shapes, spec)
    deck.save(str(path))
    return path


def reopen_chart(path: Path, slide: int = 0) -> tuple[Any, Any]:
    """(graphic frame, chart) of the first chart on a slide of a saved deck."""
    shapes = Presentation(str(path)).slides[slide].shapes
    frame = next(shape for shape in shapes if shape.has_chart)
    return frame, frame.chart


def ser_element(chart: Any, index: int) -> Any:
    return chart.element.xpath(f".//c:ser[c:idx/@val='{index}']")[0]


def point_label(chart: Any, series: int, point: int) -> Any | None:
    found = ser_element(chart, series).xpath(f"c:dLbls/c:dLbl[c:idx/@val='{point}']")
    return found[0] if found else None


@pytest.fixture(params=list(SPECS), ids=list(SPECS))
def saved(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[ChartSpec, Path]:
    spec = SPECS[request.param]()
    return spec, build_deck(tmp_path / f"{request.param}.pptx", [spec])


# -- every kind ---------------------------------------------------------------------------------


def test_chart_reopens_with_its_data(saved: tuple[ChartSpec, Path]) -> None:
    spec, path = saved
    frame, chart = reopen_chart(path)
    assert chart.chart_type == EXPECTED_TYPE[spec.kind]
    assert tuple(chart.plots[0].categories) == spec.categories
    reopened = {s.index: s for plot in chart.plots for s in plot.series}
    for index, series in enumerate(spec.series):
        assert reopened[index].name == series.name
        assert reopened[index].values == series.values
    assert (frame.left, frame.top, frame.width, frame.height) == (
        spec.box.left,
        spec.box.top,
        spec.box.width,
        spec.box.height,
    )


def test_alt_text_and_name_are_on_the_frame(saved: tuple[ChartSpec, Path]) -> None:
    spec, path = saved
    frame, _ = reopen_chart(path)
    properties = frame.element.xpath(".//p:cNvPr")[0]
    assert properties.get("descr") == spec.alt_text
    assert properties.get("title") == "Chart"
    assert frame.name == spec.name


def test_labels_carry_the_series_format(saved: tuple[ChartSpec, Path]) -> None:
    spec, path = saved
    _, chart = reopen_chart(path)
    for index, series in enumerate(spec.series):
        labels = ser_element(chart, index).find(f"{C}dLbls")
        if not series.labels:
            assert labels is None or labels.find(f"{C}showVal").get("val") == "0"
            continue
        number_format = labels.find(f"{C}numFmt")
        assert number_format.get("formatCode") == series.number_format
        assert number_format.get("sourceLinked") == "0"
        for label in ser_element(chart, index).iterfind(f"{C}dLbls/{C}dLbl"):
            if label.find(f"{C}tx") is None:
                assert label.find(f"{C}numFmt").get("formatCode") == series.number_format


def test_gaps_get_no_point_label(saved: tuple[ChartSpec, Path]) -> None:
    spec, path = saved
    _, chart = reopen_chart(path)
    for index, series in enumerate(spec.series):
        for point, value in enumerate(series.values):
            if value is None:
                assert point_label(chart, index, point) is None


def test_text_is_at_least_eleven_points(saved: tuple[ChartSpec, Path]) -> None:
    _, path = saved
    _, chart = reopen_chart(path)
    sizes = [int(e.get("sz")) for e in chart.element.iter(f"{A}defRPr", f"{A}rPr") if e.get("sz")]
    assert sizes
    assert min(sizes) >= 1100
    assert not chart.element.xpath(".//a:latin | .//c:view3D | .//a:effectLst/*")


def test_no_title_and_legend_as_asked(saved: tuple[ChartSpec, Path]) -> None:
    spec, path = saved
    _, chart = reopen_chart(path)
    assert not chart.has_title
    assert chart.has_legend == spec.legend
    if spec.legend:
        assert chart.legend.position == XL_LEGEND_POSITION.BOTTOM
        assert not chart.legend.include_in_layout


def test_axis_ids_are_positive_and_consistent(saved: tuple[ChartSpec, Path]) -> None:
    _, path = saved
    _, chart = reopen_chart(path)
    axis_ids = {int(v) for v in chart.element.xpath(".//c:plotArea/*/c:axId/@val")}
    crossing = {int(v) for v in chart.element.xpath(".//c:crossAx/@val")}
    assert all(0 < v < 2**32 for v in axis_ids)
    assert crossing <= axis_ids
    for chart_type in chart.element.xpath(".//c:plotArea/*[c:ser]"):
        for axis_id in chart_type.xpath("c:axId/@val"):
            assert chart.element.xpath(f".//c:plotArea/*[c:axId/@val='{axis_id}' and c:scaling]")


def test_chart_parts_are_schema_valid(saved: tuple[ChartSpec, Path]) -> None:
    _, path = saved
    assert validate_package(path) == []


def test_embedded_workbook_holds_every_series(saved: tuple[ChartSpec, Path]) -> None:
    spec, path = saved
    _, chart = reopen_chart(path)
    sheet = openpyxl.load_workbook(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob)).active
    for index, series in enumerate(spec.series):
        reference = ser_element(chart, index).find(f"{C}val/{C}numRef/{C}f").text
        cells = sheet[reference.split("!")[1].replace("$", "")]
        assert tuple(row[0].value for row in cells) == series.values


# -- kinds in particular ------------------------------------------------------------------------


def test_combo_has_columns_and_a_line_on_a_secondary_axis(tmp_path: Path) -> None:
    spec = combo_spec()
    _, chart = reopen_chart(build_deck(tmp_path / "combo.pptx", [spec]))
    bar, line = chart.plots
    assert isinstance(bar, BarPlot)
    assert isinstance(line, LinePlot)
    assert [s.name for s in bar.series] == ["Investment", "Benefits"]
    assert [s.name for s in line.series] == ["Cumulative net"]
    assert line.series[0].values == CUMULATIVE_NET
    assert tuple(line.categories) == YEARS
    plot_area = chart.element.find(f"{C}chart/{C}plotArea")
    assert [etree.QName(e).localname for e in plot_area][-5:] == [
        "catAx",
        "valAx",
        "catAx",
        "valAx",
        "spPr",
    ]
    secondary_category, secondary_value = (
        plot_area.findall(f"{C}catAx")[1],
        plot_area.findall(f"{C}valAx")[1],
    )
    assert secondary_category.find(f"{C}delete").get("val") == "1"
    assert secondary_value.find(f"{C}axPos").get("val") == "r"
    assert secondary_value.find(f"{C}numFmt").get("formatCode") == SIGNED_MONEY
    assert secondary_value.find(f"{C}crossAx").get("val") == secondary_category.find(
        f"{C}axId"
    ).get("val")
    line_axes = chart.element.xpath(".//c:lineChart/c:axId/@val")
    assert line_axes == [
        secondary_category.find(f"{C}axId").get("val"),
        secondary_value.find(f"{C}axId").get("val"),
    ]


def test_quiet_combo_shows_the_line_axis_only(tmp_path: Path) -> None:
    _, chart = reopen_chart(build_deck(tmp_path / "quiet.pptx", [quiet_combo_spec()]))
    left, right = chart.element.findall(f"{C}chart/{C}plotArea/{C}valAx")
    assert left.find(f"{C}tickLblPos").get("val") == "none"
    assert right.find(f"{C}tickLblPos").get("val") == "nextTo"
    assert right.find(f"{C}majorGridlines") is not None
    assert left.find(f"{C}majorGridlines") is None


def test_combo_axes_share_zero(tmp_path: Path) -> None:
    _, chart = reopen_chart(build_deck(tmp_path / "combo.pptx", [combo_spec()]))
    axes = chart.element.findall(f"{C}chart/{C}plotArea/{C}valAx")
    bounds = [
        (
            float(a.find(f"{C}scaling/{C}min").get("val")),
            float(a.find(f"{C}scaling/{C}max").get("val")),
        )
        for a in axes
    ]
    (low_a, high_a), (low_b, high_b) = bounds
    assert low_a <= 0 <= min(INVESTMENT + BENEFITS) and high_a >= max(INVESTMENT + BENEFITS)
    assert low_b <= min(CUMULATIVE_NET) and high_b >= max(CUMULATIVE_NET)
    assert math.isclose(-low_a / (high_a - low_a), -low_b / (high_b - low_b))


def test_callout_shows_its_words_on_its_point(saved: tuple[ChartSpec, Path]) -> None:
    spec, path = saved
    _, chart = reopen_chart(path)
    for callout in spec.callouts:
        if callout.crossing:
            continue  # drawn in the chart's own drawing: test_crossing_callout_...
        label = point_label(chart, callout.series, callout.point)
        assert label is not None
        runs = label.findall(f"{C}tx/{C}rich/{A}p/{A}r")
        assert "".join(r.findtext(f"{A}t") for r in runs) == callout.text
        assert runs[0].find(f"{A}rPr").get("b") == "1"
        color = runs[0].find(f"{A}rPr/{A}solidFill/{A}schemeClr").get("val")
        assert color == callout.color.value
        series = spec.series[callout.series]
        if spec.kind is ChartKind.LINE or series.plot is Plot.LINE:
            marker = ser_element(chart, callout.series).xpath(
                f"c:dPt[c:idx/@val='{callout.point}']/c:marker"
            )[0]
            assert int(marker.find(f"{C}size").get("val")) > 7
            fill = marker.find(f"{C}spPr/{A}solidFill/{A}schemeClr").get("val")
            assert fill == callout.color.value


def test_forecast_points_are_hatched(saved: tuple[ChartSpec, Path]) -> None:
    spec, path = saved
    _, chart = reopen_chart(path)
    for index, series in enumerate(spec.series):
        ser = ser_element(chart, index)
        line = spec.kind is ChartKind.LINE or (
            spec.kind is ChartKind.COMBO and series.plot is Plot.LINE
        )
        for point, forecast in enumerate(series.forecast):
            if series.values[point] is None:
                continue
            own = ser.xpath(f"c:dPt[c:idx/@val='{point}']/c:spPr")
            properties = own[0] if own else ser.find(f"{C}spPr")
            if line:
                dashed = properties.find(f"{A}ln/{A}prstDash") is not None
                assert dashed == forecast
            elif forecast:
                pattern = properties.find(f"{A}pattFill")
                assert pattern is not None
                assert pattern.get("prst") == "wdUpDiag"
                assert pattern.find(f"{A}fgClr/{A}schemeClr").get("val") == series.color.value
                outline = properties.find(f"{A}ln/{A}solidFill/{A}schemeClr")
                assert outline.get("val") == series.color.value
            else:
                assert properties.find(f"{A}solidFill") is not None


def test_horizontal_bars_read_top_down_with_the_value_axis_below(tmp_path: Path) -> None:
    _, chart = reopen_chart(build_deck(tmp_path / "bar.pptx", [bar_spec()]))
    category = chart.element.find(f"{C}chart/{C}plotArea/{C}catAx")
    value = chart.element.find(f"{C}chart/{C}plotArea/{C}valAx")
    assert category.find(f"{C}scaling/{C}orientation").get("val") == "maxMin"
    assert value.find(f"{C}crosses").get("val") == "max"
    assert float(value.find(f"{C}scaling/{C}min").get("val")) == 0


def test_diverging_bars_put_names_at_the_low_end(tmp_path: Path) -> None:
    _, chart = reopen_chart(build_deck(tmp_path / "div.pptx", [diverging_spec()]))
    category = chart.element.find(f"{C}chart/{C}plotArea/{C}catAx")
    assert category.find(f"{C}tickLblPos").get("val") == "low"
    assert chart.plots[0].overlap == 100
    assert chart.plots[0].gap_width == 40


def test_labels_contrast_with_what_they_sit_on(tmp_path: Path) -> None:
    _, chart = reopen_chart(build_deck(tmp_path / "stack.pptx", [stacked_column_spec()]))

    def text_color(element: Any) -> str:
        return str(
            element.find(f"{C}txPr/{A}p/{A}pPr/{A}defRPr/{A}solidFill/{A}schemeClr").get("val")
        )

    # Non-cashable (navy) actual years: white text inside the bar.
    assert text_color(ser_element(chart, 1).find(f"{C}dLbls")) == Role.BACKGROUND.value
    # A hatched forecast point: dark text on a box of the background colour.
    label = point_label(chart, 1, 6)
    assert label is not None
    assert text_color(label) == Role.TEXT.value
    assert label.find(f"{C}spPr/{A}solidFill/{A}schemeClr").get("val") == Role.BACKGROUND.value
    # Clustered columns: labels outside the bars, dark text.
    _, chart = reopen_chart(build_deck(tmp_path / "col.pptx", [column_spec()]))
    labels = ser_element(chart, 0).find(f"{C}dLbls")
    assert labels.find(f"{C}dLblPos").get("val") == "outEnd"
    assert text_color(labels) == Role.TEXT.value


def test_small_stacked_segments_put_their_label_beyond_the_bar(tmp_path: Path) -> None:
    _, chart = reopen_chart(build_deck(tmp_path / "fte.pptx", [fte_spec()]))
    small = point_label(chart, 0, PROJECTS.index("WMP2020 - CJS Review"))
    assert small is not None
    assert float(small.find(f"{C}layout/{C}manualLayout/{C}x").get("val")) > 0
    assert point_label(chart, 0, 0) is None  # TS1, 332 FTE: the series' own label fits


def test_value_axis_hidden_or_formatted(tmp_path: Path) -> None:
    path = build_deck(tmp_path / "axes.pptx", [column_spec(), line_spec()])
    _, hidden = reopen_chart(path, 0)
    assert not hidden.value_axis.has_major_gridlines
    assert hidden.element.find(f"{C}chart/{C}plotArea/{C}valAx/{C}tickLblPos").get("val") == "none"
    _, shown = reopen_chart(path, 1)
    assert shown.value_axis.tick_labels.number_format == MONEY
    assert not shown.value_axis.tick_labels.number_format_is_linked
    assert not shown.category_axis.has_major_gridlines


def test_gap_width_and_overlap_come_from_the_spec(tmp_path: Path) -> None:
    spec = column_spec()
    unlabelled = tuple(replace(s, labels=False) for s in spec.series)
    spec = replace(spec, series=unlabelled, gap_width=120, overlap=-20, callouts=())
    _, chart = reopen_chart(build_deck(tmp_path / "gaps.pptx", [spec]))
    assert (chart.plots[0].gap_width, chart.plots[0].overlap) == (120, -20)


def test_gap_narrows_so_side_by_side_labels_do_not_collide(tmp_path: Path) -> None:
    spec = replace(column_spec(), gap_width=150)
    _, chart = reopen_chart(build_deck(tmp_path / "gaps.pptx", [spec]))
    assert CHART.min_gap_width <= chart.plots[0].gap_width < 150
    roomy = replace(
        spec,
        categories=YEARS[:3],
        callouts=(),
        series=tuple(replace(s, values=s.values[:3], forecast=s.forecast[:3]) for s in spec.series),
    )
    _, chart = reopen_chart(build_deck(tmp_path / "roomy.pptx", [roomy]))
    assert chart.plots[0].gap_width == 150


def test_bad_values_become_gaps_and_bad_names_are_cleaned(tmp_path: Path) -> None:
    values = (math.nan, math.inf, *INVESTMENT[2:])
    spec = replace(
        column_spec(),
        name="Chart\x01 name",
        series=(_series("Invest\x0bment", values, Role.INVESTMENT),),
        callouts=(),
    )
    _, chart = reopen_chart(build_deck(tmp_path / "nan.pptx", [spec]))
    assert chart.plots[0].series[0].values == (None, None, *INVESTMENT[2:])
    assert chart.plots[0].series[0].name == "Investment"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"categories": YEARS[:3]}, "values"),
        ({"series": ()}, "no series"),
        ({"callouts": (Callout(0, 99, "x"),)}, "off the chart"),
        ({"kind": ChartKind.COMBO}, "combo"),
    ],
)
def test_inconsistent_specs_are_refused(change: dict[str, Any], message: str) -> None:
    spec = replace(column_spec(), **change)
    with pytest.raises(ValueError, match=message):
        check_spec(spec)


def test_callout_on_a_gap_is_refused() -> None:
    spec = replace(fte_spec(), callouts=(Callout(0, 8, "x"),))
    with pytest.raises(ValueError, match="gap"):
        check_spec(spec)


# -- drawn where the layout decided ------------------------------------------------------------


def placed(chart: Any, series: int) -> dict[int, tuple[str, tuple[float, float] | None]]:
    """Each labelled point's c:dLblPos and manual offset (as a share of the chart), the
    series' own position where the point has no label of its own."""
    ser = ser_element(chart, series)
    own = ser.find(f"{C}dLbls/{C}dLblPos")
    places: dict[int, tuple[str, tuple[float, float] | None]] = {}
    for point in range(len(chart.plots[0].categories)):
        label = point_label(chart, series, point)
        if label is None:
            places[point] = (own.get("val") if own is not None else "", None)
            continue
        layout = label.find(f"{C}layout/{C}manualLayout")
        offset = None
        if layout is not None:
            offset = (
                float(layout.find(f"{C}x").get("val")),
                float(layout.find(f"{C}y").get("val")),
            )
        places[point] = (label.find(f"{C}dLblPos").get("val"), offset)
    return places


def decided(spec: ChartSpec) -> ChartLayout:
    return lay_out(spec, SAMPLE_THEME, "Calibri")


def test_plot_area_is_where_the_layout_put_it(saved: tuple[ChartSpec, Path]) -> None:
    spec, path = saved
    _, chart = reopen_chart(path)
    manual = chart.element.find(f"{C}chart/{C}plotArea/{C}layout/{C}manualLayout")
    assert manual.find(f"{C}layoutTarget").get("val") == "inner"
    layout = decided(spec)
    shares = [float(manual.find(f"{C}{key}").get("val")) for key in ("x", "y", "w", "h")]
    expected = [
        layout.plot.x / layout.width,
        layout.plot.y / layout.height,
        layout.plot.width / layout.width,
        layout.plot.height / layout.height,
    ]
    assert shares == pytest.approx(expected, abs=1e-6)


def test_the_legend_sits_in_the_box_the_layout_gave_it(tmp_path: Path) -> None:
    """As wide as its entries and centred: given no box LibreOffice wraps the entries into rows
    of its own, up against the category names; given the whole width it spreads them over it."""
    spec = percent_column_spec()
    _, chart = reopen_chart(build_deck(tmp_path / "legend.pptx", [spec]))
    manual = chart.element.find(f"{C}chart/{C}legend/{C}layout/{C}manualLayout")
    assert manual is not None
    layout = decided(spec)
    assert layout.legend is not None
    rect = layout.legend.rect
    shares = {tag: float(manual.find(f"{C}{tag}").get("val")) for tag in ("x", "y", "w", "h")}
    assert math.isclose(shares["x"], rect.x / layout.width, abs_tol=1e-5)
    assert math.isclose(shares["w"], rect.width / layout.width, abs_tol=1e-5)
    assert math.isclose(shares["y"], rect.y / layout.height, abs_tol=1e-5)
    assert shares["w"] < 0.9 and math.isclose(shares["x"] + shares["w"] / 2, 0.5, abs_tol=1e-3)


def test_line_labels_take_the_places_the_layout_chose(tmp_path: Path) -> None:
    spec = cumulative_spec()
    _, chart = reopen_chart(build_deck(tmp_path / "line.pptx", [spec]))
    layout = decided(spec)
    places = placed(chart, 0)
    for point in range(len(YEARS)):
        label = layout.label(0, point)
        assert label is not None
        position, offset = places[point]
        assert position == label.position.value
        if label.moved is None:
            assert offset is None
        else:
            assert offset == pytest.approx(
                (label.moved[0] / layout.width, label.moved[1] / layout.height), abs=1e-6
            )
    # The steep climb out of the dip: -£48m and -£8m sat on the line when labelled above it.
    for year in ("FY21/22", "FY22/23"):
        position, offset = places[YEARS.index(year)]
        assert (position, offset) != (Position.ABOVE.value, None)
    assert places[YEARS.index("FY18/19")] == (Position.BELOW.value, None)  # the dip: under it


def test_crossing_callout_is_drawn_in_the_chart_at_the_crossing(tmp_path: Path) -> None:
    spec = cumulative_spec()
    path = build_deck(tmp_path / "line.pptx", [spec])
    _, chart = reopen_chart(path)
    layout = decided(spec)
    (pointer,) = layout.pointers
    rels = [r for r in chart.part.rels.values() if r.reltype == USER_SHAPES]
    assert len(rels) == 1
    assert (
        chart.element.find(f"{C}userShapes").get(
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        )
        == rels[0].rId
    )
    drawing = etree.fromstring(rels[0].target_part.blob)
    anchors = drawing.findall(f"{CDR}relSizeAnchor")
    assert len(anchors) == 3  # marker, leader, words

    def box(anchor: Any) -> tuple[float, float, float, float]:
        corner = [anchor.find(f"{CDR}{end}") for end in ("from", "to")]
        return tuple(  # type: ignore[return-value]
            float(c.findtext(f"{CDR}{axis}")) for c in corner for axis in ("x", "y")
        )

    x0, y0, x1, y1 = box(anchors[0])
    assert ((x0 + x1) / 2, (y0 + y1) / 2) == pytest.approx(
        (pointer.at[0] / layout.width, pointer.at[1] / layout.height), abs=1e-6
    )
    # Between FY22/23 and FY23/24, where -£8m turns into £50m: not on the FY23/24 point.
    plot = layout.plot
    slot = plot.width / len(YEARS)
    before = (plot.x + (BREAK_EVEN - 0.5) * slot) / layout.width
    after = (plot.x + (BREAK_EVEN + 0.5) * slot) / layout.width
    assert before < (x0 + x1) / 2 < after
    words = "".join(t.text for t in drawing.iter(f"{A}t"))
    assert words == "Break-even FY23/24"
    assert point_label(chart, 0, BREAK_EVEN) is not None  # the point keeps its own value
    assert point_label(chart, 0, BREAK_EVEN).find(f"{C}tx") is None  # type: ignore[union-attr]


def test_restyling_is_one_edit_in_the_chart_style(tmp_path: Path) -> None:
    from deckgen.render.charts import draw_layout

    style = replace(CHART, forecast_outline=2.5, line_width=3.0)
    layout = lay_out(column_spec(), SAMPLE_THEME, "Calibri", style)
    deck = Presentation(str(write_sample_template(tmp_path / "t.pptx")))
    draw_layout(deck.slides.add_slide(deck.slide_layouts[6]).shapes, layout)
    deck.save(str(tmp_path / "styled.pptx"))
    _, chart = reopen_chart(tmp_path / "styled.pptx")
    widths = {
        int(w) for w in chart.element.xpath(".//c:dPt/c:spPr/a:ln/@w | .//c:ser/c:spPr/a:ln/@w")
    }
    assert widths == {int(Pt(2.5))}


# -- the sample deck's charts -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_charts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample deck as a user builds it, its charts found by what they show."""
    out = tmp_path_factory.mktemp("sample") / "sample.pptx"
    code, text = build_cli(SAMPLE_WORKBOOK, out)
    assert code == 0, text
    found: dict[str, Any] = {}
    for slide in Presentation(str(out)).slides:
        for shape in slide.shapes:
            if not shape.has_chart:
                continue
            chart = shape.chart
            kind = chart.chart_type
            names = list(chart.plots[0].categories)
            if len(chart.plots) == 2:
                found["yearly"] = chart
            elif kind == XL_CHART_TYPE.LINE_MARKERS:
                found["cumulative"] = chart
            elif kind == XL_CHART_TYPE.BAR_CLUSTERED:
                found["msf"] = chart
            elif kind == XL_CHART_TYPE.BAR_STACKED and "TS1" in names:
                found["officer-capacity"] = chart
            elif kind == XL_CHART_TYPE.BAR_STACKED and "NGES" in names:
                found["portfolio"] = chart
    assert set(found) == {"yearly", "cumulative", "msf", "officer-capacity", "portfolio"}
    return found


def test_sample_cumulative_labels_are_off_the_line(sample_charts: dict[str, Any]) -> None:
    places = placed(sample_charts["cumulative"], 0)
    for year in ("FY18/19", "FY21/22", "FY22/23"):  # -£89m, -£48m, -£8m sat on the line
        assert places[YEARS.index(year)] != (Position.ABOVE.value, None), year


def test_sample_break_even_is_drawn_between_years(sample_charts: dict[str, Any]) -> None:
    for slide in ("cumulative", "yearly"):
        chart = sample_charts[slide]
        assert chart.element.find(f"{C}userShapes") is not None, slide
        words = [
            label.findtext(f"{C}tx/{C}rich/{A}p/{A}r/{A}t")
            for label in chart.element.iter(f"{C}dLbl")
        ]
        assert not [w for w in words if w and w.startswith("Break-even")], slide


def test_sample_small_bars_put_their_labels_outside(sample_charts: dict[str, Any]) -> None:
    chart = sample_charts["officer-capacity"]
    names = list(chart.plots[0].categories)
    for series, name in ((1, "WMP2020 - Smarter Responding"), (0, "Mobility - PNC")):
        label = point_label(chart, series, names.index(name))
        assert label is not None, name
        x = label.find(f"{C}layout/{C}manualLayout/{C}x")
        assert x is not None and float(x.get("val")) > 0, name  # moved beyond the bar's end
    assert point_label(chart, 0, names.index("TS1")) is None  # 332: the series' own, inside


def test_sample_legends_list_series_as_the_eye_meets_them(sample_charts: dict[str, Any]) -> None:
    portfolio = sample_charts["portfolio"]
    series = list(portfolio.plots[0].series)
    assert portfolio.has_legend
    assert all(v is None or v < 0 for v in series[0].values)  # benefits: left of zero, first
    assert all(v is None or v > 0 for v in series[1].values)
    msf = sample_charts["msf"]
    assert not msf.has_legend  # named on the bars: LibreOffice lists such a legend bottom-up
    for index in (0, 1):
        label = point_label(msf, index, 0)
        assert label is not None
        assert label.find(f"{C}showSerName").get("val") == "1"


def test_sample_west_midlands_and_the_average_differ_at_a_glance(
    sample_charts: dict[str, Any],
) -> None:
    msf = sample_charts["msf"]
    fills = [
        ser_element(msf, index).find(f"{C}spPr/{A}solidFill/{A}schemeClr").get("val")
        for index in (0, 1)
    ]
    colours = [SAMPLE_THEME[slot] for slot in fills]
    assert contrast_ratio(*colours) >= 3.0  # lightness, not only hue: navy against its tint


# -- LibreOffice ----------------------------------------------------------------------------------


@pytest.mark.render
def test_every_kind_renders_in_libreoffice(tmp_path: Path) -> None:
    require_libreoffice()
    specs = [make() for make in SPECS.values()]
    deck = build_deck(tmp_path / "charts.pptx", specs)
    pdf = to_pdf(deck, tmp_path)
    assert page_count(pdf) == len(specs)
    assert len(Presentation(str(deck)).slides) == len(specs)


# A different programme: a deeper dip, a year that goes backwards, break-even a year earlier.
CHANGED_YEARS = (
    (40, 5),
    (60, 20),
    (45, 50),
    (90, 30),
    (60, 110),
    (50, 115),
    (70, 40),
    (30, 120),
    (25, 110),
    (20, 120),
)
WORD = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<')


def pdf_words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Every word LibreOffice drew, page by page, with its box in points."""
    text = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD.findall(page)]
        for page in text.split("<page ")[1:]
    ]


@pytest.mark.render
@pytest.mark.slow
def test_a_changed_workbook_gets_labels_off_the_line_in_libreoffice(
    source: Source, make_workbook: Callable[[Source], Path], tmp_path: Path
) -> None:
    """LibreOffice draws every label where the layout placed it, and none on another."""
    require_libreoffice()
    from deckgen.pipeline import plan

    for row, (investment, benefits) in zip(
        sheet(source, "Finance by Year")["rows"], CHANGED_YEARS, strict=True
    ):
        row[1], row[2] = investment, benefits
    workbook = make_workbook(source)
    out = tmp_path / "changed.pptx"
    chosen = ("cumulative-net", "yearly")
    code, text = build_cli(workbook, out, "--slides", ",".join(chosen))
    assert code == 0, text
    planned = plan(workbook, TEMPLATE, DECK, slides=chosen)
    pages = pdf_words(to_pdf(out, tmp_path))
    checked = 0
    for number, slide in enumerate(planned.deck.slides):
        for spec in [s for s in slide.shapes if isinstance(s, ChartSpec)]:
            layout = lay_out(spec, planned.geometry.theme_colors, planned.geometry.body_font)
            left, top = spec.box.left / 12_700, spec.box.top / 12_700
            drawn = []
            texts = [(label.text, label.rect) for label in layout.labels]
            texts += [(pointer.text.split()[0], pointer.rect) for pointer in layout.pointers]
            for words, rect in texts:
                first = words.split()[0]
                found = [w for w in pages[number] if w[4] == first]
                assert found, f"{first!r} is not drawn"
                word = min(
                    found, key=lambda w: abs(w[0] - left - rect.x) + abs(w[1] - top - rect.y)
                )
                # Where the layout put it, to a couple of points (the viewer's own rounding).
                assert abs(word[0] - (left + rect.x)) <= 4, (words, word)
                assert abs((word[1] + word[3]) / 2 - (top + rect.center[1])) <= 4, (words, word)
                drawn.append(word)
                checked += 1
            for a, b in [(a, b) for i, a in enumerate(drawn) for b in drawn[i + 1 :]]:
                width = min(a[2], b[2]) - max(a[0], b[0])
                height = min(a[3], b[3]) - max(a[1], b[1])
                assert width <= 0 or height <= 0, f"{a[4]!r} on {b[4]!r}"
            assert not [label for label in layout.labels if label.chip is not None]
    assert checked >= 10


@pytest.mark.render
def test_long_bar_names_and_a_legend_read_on_one_line_each_in_libreoffice(
    tmp_path: Path,
) -> None:
    """The Body Worn Video bars as first named and the channel mix: every name on one line, the
    names clear of each other, the thin segment's label clear of its column, the legend one row."""
    require_libreoffice()
    from tests.test_chartlayout import channel_mix, named_bars

    specs = [replace(named_bars(), box=BOX_SMALL), replace(channel_mix(), box=BOX_SMALL)]
    pages = pdf_words(to_pdf(build_deck(tmp_path / "spotlights.pptx", specs), tmp_path))
    left, top = BOX_SMALL.left / 12_700, BOX_SMALL.top / 12_700
    bars = decided(specs[0])
    names = [
        w
        for w in pages[0]
        if w[2] <= left + bars.plot.x and w[1] < top + bars.plot.bottom and w[0] >= left
    ]
    lines = sorted({round((w[1] + w[3]) / 2) for w in names})
    assert len(lines) == len(specs[0].categories), lines  # one line per name
    assert all(b - a >= 10 for a, b in itertools.pairwise(lines)), lines
    legend = {w[4]: w for w in pages[1] if w[4] in ("Live", "Online", "All")}
    assert set(legend) == {"Live", "Online", "All"}
    assert len({round(w[1]) for w in legend.values()}) == 1  # one row
    label = next(w for w in pages[1] if w[4] == "17%")
    mix = decided(specs[1])
    column = next(b for b in mix.bars if (b.series, b.point) == (0, 0))
    assert label[0] >= left + column.rect.right  # beside its column, not on a box over it
