"""Every number shown goes through one formatter: the same value always reads the same."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pptx import Presentation

from deckgen import formatting
from deckgen.formatting import excel_format, format_value, qualified, rounded_together
from tests.conftest import Source, build_cli, row_of, sheet


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (1.1517, "£ per £1", "£1.15"),
        (118.0, "£m", "£118m"),
        (777.9999, "£m", "£778m"),
        (8.1, "£m", "£8.1m"),
        (5.0, "£m", "£5m"),
        (0.324, "£m", "£324k"),
        (324, "£k", "£324k"),
        (-8.0, "£m", "-£8m"),
        (1016, "£m", "£1,016m"),
        (12_300, "£m", "£12.3bn"),
        (9_999.9, "£m", "£10bn"),
        (4.1e9, "count", "4.1 billion"),
        (1020.47, "FTE", "1,020"),
        (153.8, "FTE", "154"),
        (6.4, "FTE", "6.4"),
        (17, "%", "17%"),
        (98.4, "%", "98.4%"),
        (9.5, "%", "9.5%"),
        (4, "x", "x4"),
        (1.2, "per minute", "1.2"),
        (397224, "count", "397,224"),
        (12_600_000, "count", "12.6 million"),
        (67, "index", "67"),
        (2.5, "count", "3"),  # half up, as people round
    ],
)
def test_values_read_as_the_report_writes_them(value: float, unit: str, shown: str) -> None:
    assert format_value(value, unit) == shown


def test_unit_words_follow_standalone_figures() -> None:
    assert format_value(17, "FTE", with_unit=True) == "17 FTE"
    assert format_value(1, "hours", with_unit=True) == "1 hour"
    assert format_value(15, "hours", with_unit=True) == "15 hours"
    assert format_value(4, "x", with_unit=True) == "4 times"
    assert format_value(1.2, "per minute", with_unit=True) == "1.2 per minute"


def test_qualifiers() -> None:
    assert qualified("1,450", "c.") == "c.1,450"
    assert qualified("5,000", "over") == "over 5,000"
    assert qualified("4", "up to") == "up to 4"
    assert qualified("4", "") == "4"


def test_parts_shown_add_up_to_the_total_shown() -> None:
    shown = rounded_together([400.67, 619.8], 10)
    assert (shown.parts, shown.total) == ((400, 620), 1020)
    # 640.5 is not pushed up to 642 so that the parts reach 1,052: the total is rounded too.
    shown = rounded_together([411.5, 640.5], 10)
    assert (shown.parts, shown.total) == ((410, 640), 1050)
    # At whole FTE the one step still missing goes to a part, never past its own rounding.
    shown = rounded_together([411.5, 640.5], 1)
    assert (shown.parts, shown.total) == ((411, 641), 1052)


@given(
    st.lists(st.floats(0, 1e6, allow_nan=False, allow_infinity=False), min_size=1, max_size=8),
    st.sampled_from([0.1, 1, 10, 100]),
)
def test_rounded_together_adds_up_at_one_precision(parts: list[float], step: float) -> None:
    shown = rounded_together(parts, step)
    assert math.isclose(math.fsum(shown.parts), shown.total, abs_tol=step / 1000)
    assert abs(shown.total - math.fsum(parts)) <= step / 2 + step / 1000
    for exact, part in zip(parts, shown.parts, strict=True):
        assert abs(part - exact) < step + step / 1000  # each part stays by its own value
        assert math.isclose(part / step, round(part / step), abs_tol=1e-6)


def test_figures_shown_together_read_the_same_on_slide_alt_text_and_notes(
    source: Source, make_workbook: Callable[[Source], Path], tmp_path: Path
) -> None:
    """The officer-capacity slide of a workbook whose FTE split is 411.5 and 640.5."""
    row_of(source, "FTE by Project", "TS1")[1] = 342.83  # achieved: 400.67 -> 411.5
    row_of(source, "FTE by Project", "WMP2020 - Connect")[1] = 442.7  # forecast: 619.8 -> 640.5
    sheet(source, "FTE by Project")["total"][1] = None
    out = tmp_path / "deck.pptx"
    code, text = build_cli(make_workbook(source), out, "--slides", "officer-loss")
    assert code == 0, text
    (slide,) = Presentation(str(out)).slides
    words = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    words += " " + slide.shapes.title.text_frame.text
    chart = next(s for s in slide.shapes if s.has_chart)
    alt = chart._element.xpath(".//p:cNvPr")[0].get("descr")
    notes = slide.notes_slide.notes_text_frame.text
    for shown in ("c.1,050", "c.410", "c.640"):
        assert shown in words, words
        assert shown in alt, alt
        assert shown in notes, notes
    for wrong in ("c.642", "1,052", "412", "641"):
        assert wrong not in words + alt, wrong


def test_approximate_rounds_to_tens_from_a_hundred() -> None:
    assert formatting.approximate(332) == 330
    assert formatting.approximate(1995) == 2000
    assert formatting.approximate(24.4) == 24


def test_chart_formats_match_the_text() -> None:
    assert excel_format("£m", [30, 120]) == '"£"#,##0"m"'
    assert excel_format("£m", [8.1, 5]) == '"£"#,##0.0"m"'
    assert excel_format("%", [17, 9.5]) == 'General"%"'
    assert excel_format("%", [9.7, 6.3]) == '#,##0.0"%"'
    assert excel_format("FTE", [422, 5.46]) == "#,##0"
    assert excel_format("£m", [205.8, -20], signed=False) == '"£"#,##0"m";"£"#,##0"m"'


def test_dates_read_as_in_a_uk_report() -> None:
    assert formatting.format_date(date(2019, 7, 31)) == "31 July 2019"
    assert formatting.format_date(date(2019, 7, 1)) == "1 July 2019"


def test_huge_and_tiny_values_still_format() -> None:
    assert format_value(1e30, "£ per £1") == "£1.0 × 10³⁰"
    assert format_value(5.84e38, "%") == "5.8 × 10³⁸%"
    assert format_value(2.2e15, "count") == "2,200 trillion"
    assert format_value(1e-12, "£m") == "£0k"
    assert formatting.round_half_up(1e300, 2) == 1e300


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_a_value_that_is_not_a_number_never_becomes_text(value: float) -> None:
    """No "nan%" or "inf" on a slide: undefined figures are refused before they get here."""
    with pytest.raises(ValueError, match="no text for"):
        format_value(value, "%")
