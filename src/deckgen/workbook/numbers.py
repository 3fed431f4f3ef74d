"""Turn what people type into number cells ("1,020.47", "£8.1m", "(3.0)", "17%") into numbers.

Nothing is guessed: text that is not clearly one number (a decimal comma, "n/a", two numbers)
is refused with a message saying what was found. A number's format says how Excel shows it:
0.33 formatted as "0%" reads 33%, so it is 33 percentage points, as the text "33%" is.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

_SPACES = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2212": "-"})
_NUMBER = re.compile(
    r"""^
    (?P<open>\()?\s*
    (?P<sign1>[-+])?\s*
    (?P<currency>£)?\s*
    (?P<sign2>[-+])?\s*
    (?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)
    \s*(?P<suffix>%|k|m|mn|bn|million|billion)?\s*
    (?P<close>\))?
    $""",
    re.VERBOSE | re.IGNORECASE,
)
_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
# The multiplier a column's own unit stands for, so "£324k" in a £m column reads as 0.324.
_UNIT_SCALES = {"£m": 1e6, "£k": 1e3, "count": 1.0}
_CURRENCY_SIGNS = "£$€¥"


class NumberError(ValueError):
    """The cell does not hold one readable number; the message says what it holds."""


class TooLargeError(NumberError):
    """The cell holds a number too large for a float (a 400-digit number, 1e400)."""


@dataclass(frozen=True)
class ParsedNumber:
    value: float
    scale: float  # 1, 1e3, 1e6 or 1e9 from a k/m/bn suffix; 1 when absent
    percent: bool
    currency: bool
    had_suffix: bool


def parse_number(raw: object) -> ParsedNumber:
    """Return the number a cell holds, or raise NumberError saying why it is not one."""
    if isinstance(raw, bool):
        raise NumberError(f"must be a number (got {raw!s})")
    if isinstance(raw, int | float):
        try:
            value = float(raw)
        except OverflowError:  # an integer of hundreds of digits
            raise TooLargeError(f"has {len(str(abs(int(raw))))} digits") from None
        if math.isinf(value):
            raise TooLargeError("is infinite" if value > 0 else "is minus infinity")
        if math.isnan(value):
            raise NumberError(f"must be a number (got {raw!r})")
        return ParsedNumber(value, 1.0, False, False, False)
    if isinstance(raw, datetime | date | time):
        raise NumberError(f"must be a number (got a date or time, {raw})")
    if not isinstance(raw, str):
        raise NumberError(f"must be a number (got {type(raw).__name__} {raw!r})")
    text = raw.translate(_SPACES).strip()
    if text.startswith("#"):
        raise NumberError(f"must be a number (got the Excel error value {text})")
    match = _NUMBER.match(text)
    if match is None or bool(match["open"]) != bool(match["close"]):
        raise NumberError(f"must be a number (got {_shorten(raw)!r})")
    if match["sign1"] and match["sign2"]:
        raise NumberError(f"must be one number (got {_shorten(raw)!r}, with two signs)")
    value = float(match["digits"].replace(",", ""))
    if math.isinf(value):
        raise TooLargeError(f"has {len(match['digits'].replace(',', ''))} digits")
    negative = bool(match["open"]) or (match["sign1"] or match["sign2"] or "+") == "-"
    if match["open"] and (match["sign1"] or match["sign2"]):
        raise NumberError(f"must be one number (got {_shorten(raw)!r}, bracketed and signed)")
    suffix = (match["suffix"] or "").lower()
    percent = suffix == "%"
    scale = _SCALES.get(suffix, 1.0)
    return ParsedNumber(
        -value if negative else value,
        scale,
        percent,
        bool(match["currency"]),
        bool(suffix) and not percent,
    )


def to_unit(parsed: ParsedNumber, unit: str) -> float:
    """Express a parsed number in a column's unit, refusing symbols that contradict it."""
    if parsed.percent and unit != "%":
        raise NumberError(f"has a % sign but its unit is {unit or 'a plain number'}")
    if parsed.currency and not unit.startswith("£"):
        raise NumberError(f"has a £ sign but its unit is {unit or 'a plain number'}")
    if not parsed.had_suffix:
        return parsed.value
    unit_scale = _UNIT_SCALES.get(unit)
    if unit_scale is None:
        raise NumberError(f"has a size suffix (k, m, bn) but its unit is {unit}")
    return parsed.value * parsed.scale / unit_scale


@dataclass(frozen=True)
class FormatShows:
    """What a cell's number format shows besides digits."""

    percent: bool  # an unquoted %: Excel shows the number times 100, with a % sign
    percent_sign: bool  # a % sign is shown, whether or not the number is scaled
    currency: str  # the currency sign shown ("£", "$", ...), or ""


def format_shows(number_format: str | None) -> FormatShows:
    """Read the positive section of an Excel number format: is it a percentage, or money?

    Text in quotes or after a backslash is shown as written: `0"%"` shows a % sign without
    scaling, as deckgen's own chart formats do. `[$£-809]` is a currency with its locale.
    """
    fmt = number_format or "General"
    percent = sign = False
    currency = ""
    i = 0
    while i < len(fmt) and fmt[i] != ";":
        char = fmt[i]
        literal = ""
        if char == '"':
            end = fmt.find('"', i + 1)
            end = len(fmt) if end < 0 else end
            literal, i = fmt[i + 1 : end], end + 1
        elif char == "\\":
            literal, i = fmt[i + 1 : i + 2], i + 2
        elif char in "_*":  # padding and fill: the next character is not shown as itself
            i += 2
            continue
        elif char == "[":
            end = fmt.find("]", i)
            end = len(fmt) if end < 0 else end
            inner, i = fmt[i + 1 : end], end + 1
            if inner.startswith("$"):
                currency = currency or inner[1:].split("-")[0]
            continue
        else:
            literal, i = char, i + 1
            if char == "%":
                percent = True
        sign = sign or "%" in literal
        currency = currency or next((c for c in literal if c in _CURRENCY_SIGNS), "")
    return FormatShows(percent, sign, currency)


def percentage_points(value: float) -> float:
    """0.33 -> 33.0: a fraction as the percentage Excel shows, without binary noise."""
    return float(Decimal(repr(float(value))).scaleb(2))


def decimals_shown(number_format: str | None, value: float) -> int:
    """Return how many decimals a cell shows: from its number format, else from the value."""
    fmt = (number_format or "General").split(";")[0]
    if fmt != "General":
        match = re.search(r"0\.(0+)", fmt)
        return len(match.group(1)) if match else 0
    text = repr(float(value))
    if "e" in text or "." not in text:
        return 0
    fraction = text.split(".")[1].rstrip("0")
    return len(fraction)


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
