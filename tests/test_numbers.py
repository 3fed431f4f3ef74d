from __future__ import annotations

import pytest

from deckgen.workbook.numbers import NumberError, decimals_shown, parse_number, to_unit


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


@pytest.mark.parametrize("raw", [True, float("nan"), float("inf")])
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
