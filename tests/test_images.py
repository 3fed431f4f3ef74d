"""Image charts (--chart-engine image): real matplotlib renders, opened with Pillow, no mocks."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace

import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import Image

from deckgen.design import CHART, SAMPLE_THEME, Role, contrast_ratio, resolve_hex
from deckgen.render.images import (
    FALLBACK_FONT,
    HATCHES,
    chart_figure,
    chart_png,
    pixel_size,
    resolve_font,
)
from deckgen.specs import Box, Callout, ChartKind, ChartSpec, Plot, SeriesSpec, inches

MILLIONS = '£#,##0"m"'
SIGNED_MILLIONS = '£#,##0"m";-£#,##0"m"'
YEARS = tuple(f"FY{y % 100:02d}/{(y + 1) % 100:02d}" for y in range(2015, 2025))
FORECAST = tuple(year >= 4 for year in range(10))
INVESTMENT = (30, 50, 66, 120, 115, 105, 98, 80, 62, 52)
BENEFITS = (10, 35, 57, 75, 119, 120, 120, 120, 120, 120)
NET = (-20, -35, -44, -89, -85, -70, -48, -8, 50, 118)
PROJECTS = (
    "WMP2020 - Smarter Responding",
    "TS1",
    "WMP2020 - Digital Experience for Citizens",
    "Mobility",
    "Intelligence Led Policing",
    "Force Contact",
)
FONT = "Calibri"
DPI = 100  # enough to lay out and measure; the default 200 is what decks use


def box(width: float = 8.0, height: float = 4.5) -> Box:
    return Box(inches(0.5), inches(1.5), inches(width), inches(height))


def yearly() -> ChartSpec:
    """Investment and benefits by year with the cumulative net line and the break-even year."""
    return ChartSpec(
        name="Yearly",
        box=box(12.333, 4.9),
        kind=ChartKind.COMBO,
        categories=YEARS,
        series=(
            SeriesSpec("Investment", INVESTMENT, Role.INVESTMENT, MILLIONS, forecast=FORECAST),
            SeriesSpec("Benefits", BENEFITS, Role.BENEFIT, MILLIONS, forecast=FORECAST),
            SeriesSpec(
                "Cumulative net", NET, Role.ACCENT, SIGNED_MILLIONS, FORECAST, plot=Plot.LINE
            ),
        ),
        alt_text="Columns by year with the cumulative net benefit as a line.",
        value_format=MILLIONS,
        secondary_format=SIGNED_MILLIONS,
        callouts=(Callout(2, 8, "Break-even FY23/24"),),
    )


def fte() -> ChartSpec:
    """Achieved and forecast FTE by project, with gaps where a project has none."""
    return ChartSpec(
        name="FTE",
        box=box(7.9, 4.9),
        kind=ChartKind.STACKED_BAR,
        categories=PROJECTS,
        series=(
            SeriesSpec("Achieved", (None, 332, 40, 120, None, 85), Role.BENEFIT, "#,##0"),
            SeriesSpec(
                "Forecast", (33, None, 25, 30, 45, None), Role.BENEFIT, "#,##0", (True,) * 6
            ),
        ),
        alt_text="FTE released by project.",
        value_format="#,##0",
        overlap=100,
    )


def diverging() -> ChartSpec:
    """Costs to the left of zero, benefits to the right."""
    fmt = '£#,##0.0"m";£#,##0.0"m"'
    return ChartSpec(
        name="Portfolio",
        box=box(7.9, 4.0),
        kind=ChartKind.STACKED_BAR,
        categories=("Cashable", "Non-cashable", "Investment", "Net", "Contingency"),
        series=(
            SeriesSpec("Costs", (None, None, -210.5, None, -8.1), Role.NEGATIVE, fmt),
            SeriesSpec("Benefits", (87.0, 154.0, None, 30.5, None), Role.BENEFIT, fmt),
        ),
        alt_text="Benefits against costs.",
        value_format=MILLIONS,
        overlap=100,
    )


def percent() -> ChartSpec:
    return ChartSpec(
        name="Mix",
        box=box(6.0, 4.6),
        kind=ChartKind.PERCENT_COLUMN,
        categories=("Policing", "Contact", "Digital", "Support services"),
        series=(
            SeriesSpec("Cashable", (60, 30, 12, 5), Role.INVESTMENT, '0"%"'),
            SeriesSpec("Non-cashable", (30, 55, 70, 40), Role.BENEFIT, '0"%"'),
            SeriesSpec("Societal", (10, 15, 18, 55), Role.HIGHLIGHT, '0"%"'),
        ),
        alt_text="Benefit mix by area.",
        value_format="0%",
    )


def simple(kind: ChartKind) -> ChartSpec:
    """Two series over five years, with a gap, a forecast point and a colour override."""
    return ChartSpec(
        name=kind.value,
        box=box(6.0, 3.6),
        kind=kind,
        categories=YEARS[:5],
        series=(
            SeriesSpec(
                "Investment",
                (30, 50, None, 120, 115),
                Role.INVESTMENT,
                MILLIONS,
                point_colors=(None, None, None, Role.ACCENT, None),
            ),
            SeriesSpec(
                "Benefits",
                (10, 35, 57, 75, 119),
                Role.BENEFIT,
                MILLIONS,
                forecast=(False, False, False, False, True),
                plot=Plot.LINE if kind is ChartKind.COMBO else Plot.COLUMN,
            ),
        ),
        alt_text="Two series by year.",
        value_format=MILLIONS,
        secondary_format=MILLIONS,
    )


def image(png: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(png))
    picture.load()
    return picture


def texts(figure: Figure) -> list[Text]:
    """Every visible text drawn: data labels, category names, legend entries."""
    found = [t for t in figure.findobj(Text) if t.get_visible() and t.get_text()]
    return [t for t in found if t.get_figure(root=True) is figure]


def labels(figure: Figure) -> list[str]:
    return [t.get_text() for axes in figure.axes for t in axes.texts]


# -- pictures ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(ChartKind))
def test_every_kind_renders_a_png_of_the_box_size(kind: ChartKind) -> None:
    spec = simple(kind)
    picture = image(chart_png(spec, SAMPLE_THEME, FONT, dpi=DPI))
    assert picture.format == "PNG"
    assert picture.size == pixel_size(spec.box, DPI) == (600, 360)


@pytest.mark.parametrize(
    ("width", "height", "dpi"), [(12.333, 4.9, 200), (3.17, 2.03, 150), (5.55, 1.11, 96)]
)
def test_pixel_size_is_exact_for_odd_boxes(width: float, height: float, dpi: int) -> None:
    spec = replace(simple(ChartKind.COLUMN), box=box(width, height))
    assert image(chart_png(spec, SAMPLE_THEME, FONT, dpi=dpi)).size == (
        round(width * dpi),
        round(height * dpi),
    )


@pytest.mark.parametrize("make", [yearly, fte, diverging, percent])
def test_realistic_charts_keep_every_text_inside_the_picture(
    make: Callable[[], ChartSpec],
) -> None:
    spec = make()
    figure = chart_figure(spec, SAMPLE_THEME, FONT, dpi=DPI)
    figure.canvas.draw()  # the legend places its entries when drawn
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    width, height = pixel_size(spec.box, DPI)
    for text in texts(figure):
        extent = text.get_window_extent(renderer)
        assert extent.x0 >= -1 and extent.y0 >= -1, text.get_text()
        assert extent.x1 <= width + 1 and extent.y1 <= height + 1, text.get_text()


def test_the_same_spec_gives_the_same_bytes() -> None:
    spec = yearly()
    assert chart_png(spec, SAMPLE_THEME, FONT, dpi=DPI) == chart_png(
        spec, SAMPLE_THEME, FONT, dpi=DPI
    )


@pytest.mark.parametrize("kind", list(ChartKind))
def test_gaps_draw_nothing_and_do_not_crash(kind: ChartKind) -> None:
    spec = replace(
        simple(kind),
        series=tuple(replace(s, values=(None,) * 5) for s in simple(kind).series),
    )
    assert image(chart_png(spec, SAMPLE_THEME, FONT, dpi=DPI)).size == (600, 360)
    assert labels(chart_figure(spec, SAMPLE_THEME, FONT, dpi=DPI)) == []


def test_empty_and_tiny_charts_still_render() -> None:
    empty = replace(simple(ChartKind.COLUMN), categories=(), series=())
    tiny = replace(simple(ChartKind.COMBO), box=box(0.4, 0.3))
    assert image(chart_png(empty, {}, FONT, dpi=DPI)).size == (600, 360)
    assert image(chart_png(tiny, {}, FONT, dpi=DPI)).size == (40, 30)


# -- what is drawn ----------------------------------------------------------------------------


def test_labels_use_each_series_number_format() -> None:
    shown = labels(chart_figure(yearly(), SAMPLE_THEME, FONT, dpi=DPI))
    assert "£120m" in shown and "£10m" in shown
    assert "-£89m" in shown  # the line's own format keeps the sign
    shown = labels(chart_figure(diverging(), SAMPLE_THEME, FONT, dpi=DPI))
    assert sorted(shown) == ["£154.0m", "£210.5m", "£30.5m", "£8.1m", "£87.0m"]


def test_percent_columns_show_values_not_shares() -> None:
    figure = chart_figure(percent(), SAMPLE_THEME, FONT, dpi=DPI)
    assert "55%" in labels(figure) and "12%" in labels(figure)
    bars = [p for p in figure.axes[0].patches if isinstance(p, Rectangle)]
    tops = [bar.get_y() + bar.get_height() for bar in bars]
    assert max(tops) == pytest.approx(1.0)  # stacks fill the height


def test_series_labels_false_draws_no_labels() -> None:
    spec = simple(ChartKind.COLUMN)
    quiet = replace(spec, series=tuple(replace(s, labels=False) for s in spec.series))
    assert labels(chart_figure(quiet, SAMPLE_THEME, FONT, dpi=DPI)) == []


def test_callout_replaces_the_value_label_in_bold_accent() -> None:
    figure = chart_figure(yearly(), SAMPLE_THEME, FONT, dpi=DPI)
    (callout,) = [t for a in figure.axes for t in a.texts if t.get_text() == "Break-even FY23/24"]
    assert to_hex(callout.get_color()).upper() == "#" + resolve_hex(Role.ACCENT, SAMPLE_THEME)
    assert callout.get_fontweight() == "bold"
    assert labels(figure).count("£50m") == 1  # investment in FY16/17; the net's became the call-out


def test_callout_changes_the_picture_and_grows_the_marker() -> None:
    spec = yearly()
    plain = replace(spec, callouts=())
    assert chart_png(spec, SAMPLE_THEME, FONT, dpi=DPI) != chart_png(
        plain, SAMPLE_THEME, FONT, dpi=DPI
    )
    line_axes = chart_figure(spec, SAMPLE_THEME, FONT, dpi=DPI).axes[1]
    sizes = [line.get_markersize() for line in line_axes.get_lines() if line.get_marker() == "o"]
    assert max(sizes) > min(sizes)


def test_combo_puts_lines_on_a_secondary_axis_with_aligned_zeros() -> None:
    figure = chart_figure(yearly(), SAMPLE_THEME, FONT, dpi=DPI)
    columns, lines = figure.axes
    assert columns.patches and not lines.patches
    assert lines.get_lines()
    (low0, high0), (low1, high1) = columns.get_ylim(), lines.get_ylim()
    assert -low0 / (high0 - low0) == pytest.approx(-low1 / (high1 - low1))
    assert low0 < 0  # room below zero for the negative net line


def test_forecast_points_are_hatched_in_the_series_colour_over_white() -> None:
    figure = chart_figure(simple(ChartKind.COLUMN), SAMPLE_THEME, FONT, dpi=DPI)
    bars = [p for p in figure.axes[0].patches if isinstance(p, Rectangle)]
    teal = "#" + resolve_hex(Role.BENEFIT, SAMPLE_THEME).lower()
    hatched = [p for p in bars if p.get_hatch()]
    assert len(hatched) == 1
    assert hatched[0].get_hatch() == HATCHES[CHART.forecast_pattern]
    assert to_hex(hatched[0].get_facecolor()) == "#ffffff"
    assert to_hex(hatched[0].get_edgecolor()) == teal
    solid = {to_hex(p.get_facecolor()) for p in bars if not p.get_hatch()}
    accent = "#" + resolve_hex(Role.ACCENT, SAMPLE_THEME).lower()
    assert accent in solid  # the per-point colour override
    assert len(bars) == 9  # ten points, one gap


def test_theme_colours_restyle_the_chart() -> None:
    theme = {**SAMPLE_THEME, "accent1": "112233"}
    figure = chart_figure(simple(ChartKind.COLUMN), theme, FONT, dpi=DPI)
    assert "#112233" in {to_hex(p.get_facecolor()) for p in figure.axes[0].patches}


def figure_texts(figure: Figure) -> list[Text]:
    """Texts drawn on the figure itself: category names and value-axis ticks."""
    return [t for t in figure.texts if t.get_text()]


def test_bar_categories_run_top_to_bottom_in_order() -> None:
    spec = replace(fte(), kind=ChartKind.BAR)
    figure = chart_figure(spec, SAMPLE_THEME, FONT, dpi=DPI)
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    names = [t for t in figure_texts(figure) if t.get_text().replace("\n", " ") in PROJECTS]
    assert [t.get_text().replace("\n", " ") for t in names] == list(PROJECTS)
    heights = [t.get_window_extent(renderer).y0 for t in names]
    assert heights == sorted(heights, reverse=True)


def test_long_category_names_wrap() -> None:
    figure = chart_figure(replace(fte(), box=box(5.0, 4.9)), SAMPLE_THEME, FONT, dpi=DPI)
    names = [t.get_text() for t in figure_texts(figure)]
    assert any("\n" in name for name in names)
    assert [n.replace("\n", " ") for n in names] == list(PROJECTS)


def test_labels_read_on_their_fill() -> None:
    figure = chart_figure(diverging(), SAMPLE_THEME, FONT, dpi=DPI)
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    drawn = {t.get_text(): t for t in figure.axes[0].texts}
    assert to_hex(drawn["£154.0m"].get_color()) == "#ffffff"  # inside a dark bar
    dark = "#" + resolve_hex(Role.TEXT, SAMPLE_THEME).lower()
    small = drawn["£8.1m"]  # too short to hold its label: outside the bar's end, dark
    assert to_hex(small.get_color()) == dark
    (bar,) = [p for p in figure.axes[0].patches if abs(p.get_x() + 8.1) < 1e-9]  # -8.1 to 0
    bar_left = bar.get_window_extent(renderer).x0
    assert small.get_window_extent(renderer).x1 < bar_left  # beyond a negative bar, to its left


def test_value_axis_shows_only_when_asked() -> None:
    hidden = chart_figure(simple(ChartKind.COLUMN), SAMPLE_THEME, FONT, dpi=DPI)
    assert "£0m" not in [t.get_text() for t in figure_texts(hidden)]
    spec = replace(simple(ChartKind.COLUMN), value_axis_visible=True)
    shown = chart_figure(spec, SAMPLE_THEME, FONT, dpi=DPI)
    assert "£0m" in [t.get_text() for t in figure_texts(shown)]


def test_legend_only_when_asked_and_forecast_explained() -> None:
    figure = chart_figure(yearly(), SAMPLE_THEME, FONT, dpi=DPI)
    (legend,) = figure.legends
    names = [t.get_text() for t in legend.get_texts()]
    assert names == ["Investment", "Benefits", "Cumulative net", "Forecast"]
    assert not chart_figure(replace(yearly(), legend=False), SAMPLE_THEME, FONT, dpi=DPI).legends
    # A series that is all forecast is hatched in the legend itself; no extra key is needed.
    (legend,) = chart_figure(fte(), SAMPLE_THEME, FONT, dpi=DPI).legends
    assert [t.get_text() for t in legend.get_texts()] == ["Achieved", "Forecast"]


def test_no_title() -> None:
    figure = chart_figure(yearly(), SAMPLE_THEME, FONT, dpi=DPI)
    assert not figure.get_suptitle()
    assert all(not axes.get_title() for axes in figure.axes)


# -- fonts, contrast, imports -----------------------------------------------------------------


def test_fonts_resolve_to_shipped_stand_ins_or_dejavu(caplog: pytest.LogCaptureFixture) -> None:
    assert resolve_font("Calibri") == "Carlito"  # shipped with deckgen, installed or not
    assert resolve_font("Arial") == "Liberation Sans"
    with caplog.at_level(logging.WARNING, logger="matplotlib.font_manager"):
        assert resolve_font("No Such Font") == FALLBACK_FONT
        chart_png(simple(ChartKind.LINE), SAMPLE_THEME, "No Such Font", dpi=DPI)
    assert not [r for r in caplog.records if "findfont" in r.getMessage().lower()]


def test_contrast_matches_the_design_table() -> None:
    assert contrast_ratio("1B365D", "FFFFFF") == pytest.approx(12.1, abs=0.1)
    assert contrast_ratio("B35900", "FFFFFF") == pytest.approx(4.8, abs=0.1)


def test_importing_the_module_does_not_load_matplotlib() -> None:
    code = (
        "import sys, deckgen.render.images\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'\n"
        "from deckgen.design import SAMPLE_THEME, Role\n"
        "from deckgen.specs import Box, ChartKind, ChartSpec, SeriesSpec, inches\n"
        "spec = ChartSpec('c', Box(0, 0, inches(3), inches(2)), ChartKind.COLUMN, ('a',),\n"
        "    (SeriesSpec('s', (1,), Role.BENEFIT, '0'),), '', '0')\n"
        "deckgen.render.images.chart_png(spec, SAMPLE_THEME, 'Calibri', dpi=50)\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_money_axes_share_zero_and_scale_and_no_mark_touches_the_plot_edge() -> None:
    figure = chart_figure(yearly(), SAMPLE_THEME, FONT, dpi=DPI)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    columns, lines = figure.axes
    assert columns.get_ylim() == lines.get_ylim()  # both money: one zero, one scale
    plot = columns.get_window_extent(renderer)
    marks = [line.get_window_extent(renderer) for line in lines.get_lines()]
    marks += [text.get_window_extent(renderer) for axes in figure.axes for text in axes.texts]
    for extent in marks:
        assert plot.x0 < extent.x0 and extent.x1 < plot.x1
        assert plot.y0 < extent.y0 and extent.y1 < plot.y1
