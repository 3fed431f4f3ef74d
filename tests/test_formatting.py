"""Every number shown goes through one formatter: the same value always reads the same."""

from __future__ import annotations

from datetime import date

import pytest

from deckgen import formatting
from deckgen.formatting import apportion, excel_format, format_value, qualified


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
    achieved, forecast = 400.67, 619.8
    total_shown = formatting.round_half_up(achieved + forecast)
    parts = apportion([achieved, forecast], total_shown, [10, 10])
    assert parts == [400, 620]
    assert sum(parts) == 1020
    # A total that does not round to a multiple of ten: the largest part absorbs the difference.
    parts = apportion([400.67, 624.0], 1025, [10, 10])
    assert parts == [400, 625]


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
