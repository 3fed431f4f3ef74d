from __future__ import annotations

import pytest

from deckgen.workbook.numbers import (
    FormatShows,
    NumberError,
    TooLargeError,
    decimals_shown,
    format_shows,
    parse_number,
    percentage_points,
    to_unit,
)


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("1,020.47", "FTE", 1020.47),
        ("£8.1m", "£m", 8.1),
        ("£324k", "£m", 0.324),
        ("£324k", "£k", 324.0),
        ("(3.0)", "£m", -3.0),
        ("-87.0", "£m", -87.0),
        ("\u22123", "£m", -3.0),
        ("17%", "%", 17.0),
        ("12.6 million", "count", 12_600_000.0),
        (" 42 ", "count", 42.0),
        (332, "FTE", 332.0),
        (0.5, "£m", 0.5),
    ],
)
def test_numbers_typed_as_text_are_read(text: object, unit: str, expected: float) -> None:
    assert to_unit(parse_number(text), unit) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text", ["n/a", "", "1,02", "(3", "3)", "#DIV/0!", "12 34", "--3", "-(3)", "TBC", "1.2.3"]
)
def test_text_that_is_not_one_number_is_refused(text: str) -> None:
    with pytest.raises(NumberError):
        parse_number(text)


@pytest.mark.parametrize("raw", [True, float("nan"), float("inf"), 10**400])
def test_non_numbers_of_other_types_are_refused(raw: object) -> None:
    with pytest.raises(NumberError):
        parse_number(raw)


def test_symbols_that_contradict_the_unit_are_refused() -> None:
    with pytest.raises(NumberError, match="%"):
        to_unit(parse_number("17%"), "£m")
    with pytest.raises(NumberError, match="£"):
        to_unit(parse_number("£5"), "FTE")


def test_decimals_come_from_the_number_format_else_the_value() -> None:
    assert decimals_shown("0.0", 5.0) == 1
    assert decimals_shown("#,##0.00", 5.0) == 2
    assert decimals_shown("0", 5.25) == 0
    assert decimals_shown("General", 26.21) == 2
    assert decimals_shown(None, 332.0) == 0


@pytest.mark.parametrize(
    ("number_format", "percent", "sign", "currency"),
    [
        ("General", False, False, ""),
        ("0.0", False, False, ""),
        ("0%", True, True, ""),
        ("0.00%;[Red]-0.00%", True, True, ""),
        ('#,##0"%"', False, True, ""),  # a % sign written in: no scaling
        ("0\\%", False, True, ""),
        ('"£"#,##0.0"m"', False, False, "£"),
        ("[$£-809]#,##0", False, False, "£"),
        ("[$€-2] #,##0.00", False, False, "€"),
        ("$#,##0", False, False, "$"),
        ("[Red]0.0", False, False, ""),
        ("[$-409]d mmmm yyyy", False, False, ""),
        ('0;"loss of "0%', False, False, ""),  # only the positive section decides
        ("_(* #,##0_);_(* (#,##0)", False, False, ""),
    ],
)
def test_number_formats_say_whether_they_show_a_percentage_or_money(
    number_format: str, percent: bool, sign: bool, currency: str
) -> None:
    assert format_shows(number_format) == FormatShows(percent, sign, currency)


def test_a_fraction_becomes_the_percentage_excel_shows_without_binary_noise() -> None:
    assert 0.097 * 100 != 9.7
    assert percentage_points(0.097) == 9.7
    assert percentage_points(0.33) == 33
    assert percentage_points(-0.125) == -12.5


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (10**400, "has 401 digits"),
        ("9" * 320, "has 320 digits"),
        ("1," + "000," * 110 + "000", "has 334 digits"),
        (float("inf"), "is infinite"),
        (float("-inf"), "is minus infinity"),
    ],
)
def test_numbers_beyond_a_float_are_too_large_not_a_crash(raw: object, why: str) -> None:
    with pytest.raises(TooLargeError, match=why):
        parse_number(raw)
