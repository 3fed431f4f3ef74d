"""The chart layout: scales, label places and colours, number formats, one style.

Real fonts measure the text (Carlito for Calibri); every assertion is about what a reader of
the chart would see: no label on a line, a marker or another label, the call-out at the
place it names, the axes sharing zero, the labels in the slide's number formats.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import pytest

from deckgen.chartlayout import (
    ChartLayout,
    Position,
    Rect,
    aligned_scales,
    format_number,
    lay_out,
    nice_scale,
    split_sections,
    unit_of,
)
from deckgen.design import CHART, SAMPLE_THEME, Role
from deckgen.specs import Box, Callout, ChartKind, ChartSpec, Plot, SeriesSpec, inches

MILLIONS = '£#,##0"m"'
SIGNED_MILLIONS = '£#,##0"m";-£#,##0"m"'
YEARS = tuple(f"FY{y % 100:02d}/{(y + 1) % 100:02d}" for y in range(2015, 2025))
FORECAST = tuple(year >= 4 for year in range(10))
INVESTMENT = (30.0, 50.0, 66.0, 120.0, 115.0, 105.0, 98.0, 80.0, 62.0, 52.0)
BENEFITS = (10.0, 35.0, 57.0, 75.0, 119.0, 120.0, 120.0, 120.0, 120.0, 120.0)
NET = (-20.0, -35.0, -44.0, -89.0, -85.0, -70.0, -48.0, -8.0, 50.0, 118.0)
BREAK_EVEN = YEARS.index("FY23/24")
FONT = "Calibri"


def box(width: float = 7.1, height: float = 5.0) -> Box:
    return Box(inches(0.5), inches(1.5), inches(width), inches(height))


def cumulative(values: tuple[float, ...] = NET) -> ChartSpec:
    """The cumulative net line, labelled on every point, with break-even where it crosses."""
    crossing = next(
        (i for i, (a, b) in enumerate(itertools.pairwise(values), 1) if a < 0 <= b), None
    )
    callouts = () if crossing is None else (Callout(0, crossing, "Break-even", crossing=True),)
    return ChartSpec(
        name="Cumulative",
        box=box(),
        kind=ChartKind.LINE,
        categories=YEARS[: len(values)],
        series=(SeriesSpec("Net", values, Role.BENEFIT, SIGNED_MILLIONS, FORECAST[: len(values)]),),
        alt_text="Cumulative net benefit by year.",
        value_format=SIGNED_MILLIONS,
        legend=False,
        callouts=callouts,
    )


def yearly(line_format: str = MILLIONS) -> ChartSpec:
    """Columns by year, the cumulative net on a secondary axis, break-even between years."""
    return ChartSpec(
        name="Yearly",
        box=box(7.1, 5.0),
        kind=ChartKind.COMBO,
        categories=YEARS,
        series=(
            SeriesSpec("Investment", INVESTMENT, Role.INVESTMENT, MILLIONS, FORECAST, labels=False),
            SeriesSpec("Benefits", BENEFITS, Role.BENEFIT, MILLIONS, FORECAST, labels=False),
            SeriesSpec(
                "Cumulative net", NET, Role.ACCENT, line_format, plot=Plot.LINE, labels=False
            ),
        ),
        alt_text="Investment and benefits by year, and the cumulative net.",
        value_format=MILLIONS,
        secondary_format=line_format,
        callouts=(
            Callout(0, 3, "Peak £120m"),
            Callout(2, BREAK_EVEN, "Break-even FY23/24", crossing=True),
        ),
        value_axis_visible=True,
    )


def officer_capacity(small: tuple[float, float] = (33.0, 24.0)) -> ChartSpec:
    """FTE by project as the officer-capacity slide has it, with two bars too small to hold
    their labels: 33 forecast (Smarter Responding) and 24 achieved (Mobility - PNC)."""
    projects = (
        "WMP2020 - Connect",
        "TS1",
        "WMP2020 - DDI",
        "WMP2020 - Smarter Responding",
        "Mobility - PNC",
        "WMP2020 - BWV",
        "WMP2020 - DES",
        "EER - CJS",
        "EER - FCID",
        "EER - LOMU",
        "Mobility - Stop & Search",
        "WMP2020 - CJS Review",
    )
    achieved = (None, 332.0, None, None, small[1], 17.0, None, 6.0, 6.0, 6.0, 5.46, 2.0)
    forecast = (422.0, None, 153.8, small[0], None, None, 11.0, None, None, None, None, None)
    return ChartSpec(
        name="FTE",
        box=box(7.1, 3.7),
        kind=ChartKind.STACKED_BAR,
        categories=projects,
        series=(
            SeriesSpec("Achieved", achieved, Role.BENEFIT, "#,##0"),
            SeriesSpec("Forecast", forecast, Role.INVESTMENT, "#,##0", (True,) * 12),
        ),
        alt_text="FTE released by project.",
        value_format="#,##0",
        overlap=100,
        gap_width=40,
    )


def comparison() -> ChartSpec:
    return ChartSpec(
        name="MSF",
        box=box(7.1, 3.7),
        kind=ChartKind.BAR,
        categories=("Officer reduction", "Recorded crime", "Violent crime"),
        series=(
            SeriesSpec("West Midlands", (9.7, 43.0, 86.0), Role.INVESTMENT, 'General"%"'),
            SeriesSpec("MSF average", (6.3, 48.0, 112.0), Role.HIGHLIGHT, 'General"%"'),
        ),
        alt_text="West Midlands against the MSF average.",
        value_format='General"%"',
    )


def laid(spec: ChartSpec) -> ChartLayout:
    return lay_out(spec, SAMPLE_THEME, FONT)


def segments(layout: ChartLayout) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    return [(a.center, b.center) for line in layout.lines for a, b in line.segments]


def markers(layout: ChartLayout) -> list[Rect]:
    return [Rect.around(m.center, m.size, m.size) for line in layout.lines for m in line.markers]


def assert_clear(layout: ChartLayout) -> None:
    """No label or call-out on a line, a marker, a column or another label."""
    texts = [(label.text, label.rect) for label in layout.labels]
    texts += [(pointer.text, pointer.rect) for pointer in layout.pointers]
    for (text_a, a), (text_b, b) in itertools.combinations(texts, 2):
        assert a.overlap(b) == 0, f"{text_a!r} on {text_b!r}"
    for text, rect in texts:
        on_line = rect.grown(CHART.line_width / 2)
        for start, end in segments(layout):
            assert not on_line.crosses(start, end), f"{text!r} on the line"
        for marker in markers(layout):
            assert rect.overlap(marker) == 0, f"{text!r} on a marker"
    for pointer in layout.pointers:
        for bar in layout.bars:
            assert pointer.rect.overlap(bar.rect) == 0, f"{pointer.text!r} on a column"


# -- number formats ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        (120, MILLIONS, "£120m"),
        (8.1, '£#,##0.0"m"', "£8.1m"),
        (8.05, '£#,##0.0"m"', "£8.1m"),  # half up, as Excel rounds, not to even
        (1020, "#,##0", "1,020"),
        (1020.47, "#,##0", "1,020"),
        (17, '0"%"', "17%"),
        (9.5, '0.0"%"', "9.5%"),
        (5.5, "#,##0.0", "5.5"),
        (-20, '£#,##0"m";£#,##0"m"', "£20m"),
        (-20, SIGNED_MILLIONS, "-£20m"),
        (-20, MILLIONS, "-£20m"),
        (-0.2, "0", "0"),  # no "-0"
        (0.175, "0%", "18%"),  # an unquoted % scales by 100
        (0.095, "0.0%", "9.5%"),
        (1234567, '#,##0,"k"', "1,235k"),  # a trailing comma scales by 1000
        (1234.5, "[$£-809]#,##0.00", "£1,234.50"),
        (1.15, "£0.00", "£1.15"),
        (7, "00", "07"),
        (0, '0;-0;"nil"', "nil"),
        (1020.5, "[Red]#,##0", "1,021"),
        (120, "\\£#,##0\\m", "£120m"),  # backslash escapes, as Excel writes literals too
        (-8, "\\£#,##0\\m;\\-\\£#,##0\\m", "-£8m"),
        (9.7, 'General"%"', "9.7%"),  # General with a unit: as typed
        (1020.456, "General", "1020.456"),
    ],
)
def test_excel_number_formats_read_as_the_deck_shows_them(
    value: float, number_format: str, expected: str
) -> None:
    assert format_number(value, number_format) == expected


@pytest.mark.parametrize("number_format", ["", "@", "yyyy-mm-dd", "0.00E+00", '0"'])
def test_unknown_formats_fall_back_to_a_general_number(number_format: str) -> None:
    assert format_number(1020.456, number_format) == "1,020.46"
    assert format_number(-3, number_format) == "-3"


def test_a_format_splits_on_semicolons_that_are_neither_quoted_nor_escaped() -> None:
    assert split_sections('"a;b"0;\\;0') == ['"a;b"0', "\\;0"]


def test_money_formats_name_their_unit() -> None:
    assert unit_of(MILLIONS) == unit_of(SIGNED_MILLIONS) == unit_of("\\£#,##0\\m")
    assert unit_of(MILLIONS) != unit_of('0"%"')


# -- scales -----------------------------------------------------------------------------------


def test_nice_scale_starts_at_zero_for_positive_data() -> None:
    scale = nice_scale(0, 132)
    assert (scale.minimum, scale.maximum, scale.step) == (0, 140, 20)
    scale = nice_scale(-205.8, 124)
    assert (scale.minimum, scale.maximum, scale.step) == (-250, 150, 50)


@pytest.mark.parametrize(
    ("primary", "secondary"),
    [((0, 132), (-89, 130)), ((0, 10), (-1000, 20)), ((-5, 5), (0, 300)), ((0, 1), (0, 1))],
)
def test_aligned_scales_share_zero_and_hold_the_data(
    primary: tuple[float, float], secondary: tuple[float, float]
) -> None:
    a, b = aligned_scales(primary, secondary)
    assert a.minimum <= primary[0] and a.maximum >= primary[1]
    assert b.minimum <= secondary[0] and b.maximum >= secondary[1]
    assert math.isclose(a.minimum / a.step, b.minimum / b.step)
    assert math.isclose(a.maximum / a.step, b.maximum / b.step)


def test_two_money_axes_share_zero_and_scale() -> None:
    layout = laid(yearly())
    assert layout.secondary is not None
    assert layout.primary.scale == layout.secondary.scale
    assert layout.primary.scale.minimum <= min(NET) and layout.primary.scale.maximum >= 120


def test_axes_in_different_units_share_zero_only() -> None:
    layout = laid(replace(yearly('0"%"'), secondary_format='0"%"'))
    assert layout.secondary is not None
    primary, secondary = layout.primary.scale, layout.secondary.scale
    assert math.isclose(
        -primary.minimum / primary.span, -secondary.minimum / secondary.span, abs_tol=1e-9
    )


# -- labels -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        NET,
        (-20.0, -60.0, -10.0, -70.0, 5.0, -40.0, 30.0, 10.0, 60.0, 40.0),  # zig-zag
        (-5.0, -5.0, -4.0, -4.0, -3.0, 2.0, 3.0, 3.0, 4.0, 4.0),  # nearly flat
        (-100.0, -80.0, -55.0, -30.0, -5.0, 20.0, 45.0, 70.0, 95.0, 120.0),  # steady climb
    ],
    ids=["sample", "zig-zag", "flat", "climb"],
)
def test_line_labels_sit_on_no_line_marker_or_label(values: tuple[float, ...]) -> None:
    layout = laid(cumulative(values))
    assert len(layout.labels) == len(values)
    assert_clear(layout)
    assert not [label for label in layout.labels if label.chip is not None]


def test_a_rising_point_is_labelled_off_to_the_side_not_above() -> None:
    layout = laid(cumulative())
    for point in (YEARS.index("FY21/22"), YEARS.index("FY22/23")):  # -48, -8 on a steep climb
        label = layout.label(0, point)
        assert label is not None
        assert label.position is not Position.ABOVE
        assert label.position is Position.CENTER and label.moved is not None


def test_break_even_points_where_the_line_crosses_zero() -> None:
    layout = laid(cumulative())
    (pointer,) = layout.pointers
    assert pointer.category == pytest.approx(BREAK_EVEN - 1 + 8 / 58)  # -8 to 50: 8/58 along
    zero = layout.baseline[0][1]
    assert pointer.at[1] == pytest.approx(zero)
    start, tip = pointer.leader
    assert math.dist(start, pointer.at) == pytest.approx(pointer.marker_size / 2)
    assert pointer.rect.nearest(pointer.at) == pytest.approx(tip)
    assert_clear(layout)


def test_break_even_on_the_yearly_chart_clears_columns_and_line() -> None:
    layout = laid(yearly())
    (pointer,) = layout.pointers
    assert BREAK_EVEN - 1 < pointer.category < BREAK_EVEN
    assert_clear(layout)
    peak = layout.label(0, 3)
    assert peak is not None and peak.words == "Peak £120m" and peak.bold


def test_nothing_touches_the_edge_of_the_plot() -> None:
    for spec in (yearly(), cumulative()):
        layout = laid(spec)
        plot = layout.plot
        for rect in [*markers(layout), *(label.rect for label in layout.labels)]:
            assert plot.x < rect.x and rect.right < plot.right
            assert plot.y < rect.y and rect.bottom < plot.bottom


def test_a_bar_too_small_for_its_label_gets_it_outside() -> None:
    layout = laid(officer_capacity())
    bars = {(bar.series, bar.point): bar for bar in layout.bars}
    for series, point, text in ((1, 3, "33"), (0, 4, "24")):
        label = layout.label(series, point)
        assert label is not None and label.text == text
        assert label.rect.x > bars[(series, point)].rect.right  # just beyond the bar's end
        assert label.moved is not None and label.color is Role.TEXT and label.chip is None
    inside = layout.label(0, 1)  # 332: room to spare inside its bar
    assert inside is not None and inside.moved is None
    assert inside.rect.right < bars[(0, 1)].rect.right


def test_labels_read_on_what_they_sit_on() -> None:
    layout = laid(officer_capacity())
    solid = layout.label(0, 1)  # inside teal: white text
    assert solid is not None and solid.color is Role.BACKGROUND and solid.chip is None
    hatched = layout.label(1, 0)  # inside a hatched bar: dark text on a white chip
    assert hatched is not None and hatched.color is Role.TEXT
    assert hatched.chip is Role.BACKGROUND


def test_clustered_bars_name_their_series_where_the_eye_meets_them() -> None:
    layout = laid(comparison())
    assert layout.legend is None
    first = [layout.label(series, 0) for series in (0, 1)]
    assert [label.text if label else "" for label in first] == [
        "West Midlands 9.7%",
        "MSF average 6.3%",
    ]
    assert all(label is not None and label.series_name for label in first)
    later = layout.label(0, 1)
    assert later is not None and later.text == "43%" and not later.series_name
    assert_clear(layout)


def test_legends_list_series_in_their_order_then_what_hatching_means() -> None:
    layout = laid(yearly())
    assert layout.legend is not None
    entries = [(entry.text, entry.series) for entry in layout.legend.entries]
    assert entries == [
        ("Investment", 0),
        ("Benefits", 1),
        ("Cumulative net", 2),
        ("Forecast", None),
    ]


def test_every_text_stays_inside_the_chart() -> None:
    for spec in (yearly(), cumulative(), officer_capacity(), comparison()):
        layout = laid(spec)
        for label in layout.labels:
            rect = label.rect
            assert rect.x >= 0 and rect.right <= layout.width, label.text
            assert rect.y >= 0 and rect.bottom <= layout.height, label.text


def test_the_style_restyles_every_chart_from_one_place() -> None:
    style = replace(CHART, forecast_outline=2.5, label_size=13.0, marker_size=9.0)
    layout = lay_out(cumulative(), SAMPLE_THEME, FONT, style)
    assert layout.style.forecast_outline == 2.5
    assert layout.size == 13.0
    assert {m.size for line in layout.lines for m in line.markers} == {9.0}
    wider = laid(cumulative())
    assert layout.label(0, 0) is not None and wider.label(0, 0) is not None
    assert layout.label(0, 0).rect.width > wider.label(0, 0).rect.width  # type: ignore[union-attr]


# The spotlight charts as the sample had them: bar names longer than the style's share of a
# small chart (Body Worn Video), and a channel mix whose first segment is too thin for its label.
LONG_NAMES = (
    "Early guilty pleas: all cases with BWV evidence",
    "Early guilty pleas: motoring offences",
    "Early guilty pleas: domestic violence",
    "Complaints against officers",
    "Share of complaints against Response officers",
)


def named_bars(height: float = 1.99) -> ChartSpec:
    percent = 'General"%"'
    return ChartSpec(
        name="BWV",
        box=box(5.03, height),
        kind=ChartKind.STACKED_BAR,
        categories=LONG_NAMES,
        series=(
            SeriesSpec("Rise", (17.0, 30.0, 26.0, None, None), Role.BENEFIT, percent),
            SeriesSpec("Fall", (None, None, None, 30.0, 13.0), Role.INVESTMENT, percent),
        ),
        alt_text="Rises and falls.",
        value_format=percent,
        overlap=100,
        gap_width=40,
    )


def channel_mix() -> ChartSpec:
    percent = 'General"%"'
    return ChartSpec(
        name="Channels",
        box=box(5.03, 1.93),
        kind=ChartKind.PERCENT_COLUMN,
        categories=("Now (May 2019)", "Aim (August 2020)"),
        series=(
            SeriesSpec("Live Chat", (17.0, 37.0), Role.BENEFIT, percent),
            SeriesSpec("Online incident reporting", (None, 8.0), Role.INVESTMENT, percent),
            SeriesSpec("All other channels", (83.0, 55.0), Role.SECONDARY, percent),
        ),
        alt_text="Share of demand by channel.",
        value_format=percent,
        overlap=100,
        gap_width=60,
    )


def test_bar_names_get_the_room_they_need_rather_than_crowd_each_other() -> None:
    layout = laid(named_bars())
    names = layout.names
    for above, below in itertools.pairwise(names):
        assert above.rect.bottom + CHART.label_gap <= below.rect.y, (above.text, below.text)
    assert all("\n" not in name.text for name in names)  # one line each: the slot holds one
    assert max(name.rect.right for name in names) <= layout.plot.x
    assert layout.plot.width >= (1 - CHART.category_share_most) * layout.width - 2 * CHART.edge_pad
    # Where the slots hold two lines, names wrap at the narrower share and the bars keep room.
    tall = laid(named_bars(height=4.0))
    assert "\n" in tall.names[0].text
    assert tall.plot.x < layout.plot.x


def test_a_thin_segment_has_its_label_beside_it_clear_of_the_axis() -> None:
    layout = laid(channel_mix())
    label = layout.label(0, 0)  # 17%: too thin to hold its label
    assert label is not None and label.text == "17%"
    assert label.chip is None  # not a box over the bar
    bar = next(b for b in layout.bars if (b.series, b.point) == (0, 0))
    assert label.rect.x >= bar.rect.right  # beside its column, in the gap
    axis = layout.baseline[0][1]
    assert label.rect.bottom + CHART.clearance <= axis
    assert not [b for b in layout.bars if label.rect.overlap(b.rect) > 0]


def test_a_legend_is_as_wide_as_its_entries_and_centred() -> None:
    layout = laid(channel_mix())
    legend = layout.legend
    assert legend is not None and legend.columns == 3  # one row
    assert legend.rect.width < layout.width - 2 * CHART.edge_pad
    assert math.isclose(legend.rect.center[0], layout.width / 2)
