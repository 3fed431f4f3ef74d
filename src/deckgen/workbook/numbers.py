"""Turn what people type into number cells ("1,020.47", "£8.1m", "(3.0)", "17%") into numbers.

Nothing is guessed: text that is not clearly one number (a decimal comma, "n/a", two numbers)
is refused with a message saying what was found.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time

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


class NumberError(ValueError):
    """The cell does not hold one readable number; the message says what it holds."""


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
        value = float(raw)
        if not math.isfinite(value):
            raise NumberError(f"must be a finite number (got {raw!r})")
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
