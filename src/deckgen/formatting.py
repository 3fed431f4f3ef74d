"""The one place numbers become text: £1.15, £118m, £8.1m, £324k, 1,020, c.400, 17%, x4.

The same value in the same unit always reads the same, on every slide and in every chart
(charts get the matching Excel number format from `excel_format`). Parts shown beside their
total are rounded together with it (`rounded_together`): one precision for all of them, and
the parts add up to the total as shown, c.400 + c.620 = c.1,020.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal
from functools import lru_cache

MONEY_UNITS = ("£m", "£k", "£ per £1")
# Units whose word follows the number when a figure stands alone (a tile, a key figure).
UNIT_WORDS = {
    "FTE": "FTE",
    "hours": "hours",
    "minutes": "minutes",
    "days": "days",
    "weeks": "weeks",
    "per minute": "per minute",
}
SINGULAR = {"hours": "hour", "minutes": "minute", "days": "day", "weeks": "week"}
APPROX_STEP = 10  # "c." figures of 100 or more are rounded to the nearest 10
SCIENTIFIC_FROM = 1e15
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
BILLIONS_FROM = 10_000  # £m: below this, £1,016m keeps its precision; from it, £12.3bn


def round_half_up(value: float, decimals: int = 0) -> float:
    """Round as people do (2.5 -> 3), not as Python does (banker's rounding)."""
    rounded = _rounded(repr(value), decimals)
    return value if rounded is None else rounded


@lru_cache(maxsize=8192)  # a deck rounds the same few hundred figures thousands of times
def _rounded(written: str, decimals: int) -> float | None:
    """`written` (a number's repr) rounded half up; None when it is not finite."""
    exact = Decimal(written)
    if not exact.is_finite():
        return None
    quantum = Decimal(1).scaleb(-decimals)
    # Enough precision for any float's digits (a ratio can be 1e18 when investment is tiny).
    context = Context(prec=max(28, exact.adjusted() + decimals + 5))
    return float(exact.quantize(quantum, rounding=ROUND_HALF_UP, context=context))


def decimals_for(value: float, unit: str) -> int:
    """How many decimals a value is shown with: whole numbers where they are big enough."""
    magnitude = abs(value)
    whole = round_half_up(magnitude, 1) == round_half_up(magnitude)
    if unit == "£ per £1":
        return 2
    if unit in ("%", "x", "per minute"):
        return 0 if whole else 1
    if unit in ("£m", "FTE", "hours", "index"):
        return 0 if whole or magnitude >= 10 else 1
    return 0


def number(value: float, decimals: int) -> str:
    """Return a number with thousands separators and exactly `decimals` decimals.

    Beyond a thousand trillion, digits stop meaning anything to a reader and no slide has room
    for them: such a number is written in powers of ten, 5.8 × 10³⁸.
    """
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = 0.0  # no "-0"
    if abs(rounded) >= SCIENTIFIC_FROM:
        mantissa, exponent = f"{rounded:.1e}".split("e")
        return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"
    return f"{rounded:,.{decimals}f}"


def format_value(
    value: float, unit: str, *, with_unit: bool = False, decimals: int | None = None
) -> str:
    """Return `value` as text in its unit: "£118m", "17%", "1,020", "x4", "12.6 million".

    Negative values keep their sign ("-£8m"): a caller that means an amount without its
    sign (benefits as a positive amount) passes the magnitude itself. `decimals` overrides the
    usual precision (a computed ratio is shown to whole percent: 54%, not 53.97%). A value
    that is not a finite number has no text: the reader and the references refuse it, naming
    its cells, so reaching here with one is a bug.
    """
    if not math.isfinite(value):
        raise ValueError(f"no text for {value!r}: a figure with no value was about to be shown")
    if decimals is None:
        decimals = decimals_for(value, unit)
    sign = "-" if round_half_up(value, decimals) < 0 else ""
    magnitude = abs(value)
    if unit == "£m":
        if 0 < abs(value) < 1:
            return f"{sign}£{number(abs(value) * 1000, 0)}k"
        if round_half_up(abs(value), decimals) >= BILLIONS_FROM:  # £12,300m reads as £12.3bn
            return f"{sign}£{_large(magnitude / 1000, ('bn', 'tn'), joiner='')}"
        return f"{sign}£{number(magnitude, decimals)}m"
    if unit == "£k":
        if abs(value) >= 1000:
            return f"{sign}£{number(abs(value) / 1000, 1).removesuffix('.0')}m"
        return f"{sign}£{number(magnitude, 0)}k"
    if unit == "£ per £1":
        return f"{sign}£{number(magnitude, 2)}"
    if unit == "%":
        return f"{sign}{number(magnitude, decimals)}%"
    if unit == "x":
        shown = number(magnitude, decimals)
        return f"{sign}{shown} times" if with_unit else f"{sign}x{shown}"
    if unit == "count" and abs(value) >= 1_000_000:
        return sign + _large(magnitude / 1_000_000, ("million", "billion", "trillion"))
    text = sign + number(magnitude, decimals)
    if with_unit and unit in UNIT_WORDS:
        word = UNIT_WORDS[unit]
        if round_half_up(abs(value), decimals) == 1:
            word = SINGULAR.get(word, word)
        return f"{text} {word}"
    return text


def _large(value: float, names: tuple[str, ...], joiner: str = " ") -> str:
    """12.6 million, 4.1 billion, £1.2bn: one decimal, in the largest name that keeps it ≥ 1."""
    index = 0
    while value >= 1000 and index < len(names) - 1:
        value /= 1000
        index += 1
    return f"{number(value, 1).removesuffix('.0')}{joiner}{names[index]}"


def approximate(value: float) -> float:
    """Round a figure shown with "c.": to the nearest 10 from 100 up, else to a whole number."""
    step = APPROX_STEP if abs(value) >= 100 else 1
    return round_half_up(value / step) * step


def qualified(text: str, qualifier: str) -> str:
    """Put a qualifier before a formatted figure: "c.1,450", "over 5,000", "up to 4"."""
    if not qualifier:
        return text
    return f"{qualifier}{text}" if qualifier.endswith(".") else f"{qualifier} {text}"


@dataclass(frozen=True)
class Together:
    """Parts and their total as shown together: one precision, and the parts add up."""

    parts: tuple[float, ...]
    total: float
    step: float


def rounded_together(parts: Sequence[float], step: float) -> Together:
    """Round parts and their total to one step so that the parts shown add up to the total shown.

    The total is the parts' sum rounded to the step; each part is rounded down to the step and
    the steps still missing go to the parts with the largest remainders (largest-remainder
    rounding, as think-cell's consistent rounding does). Nothing is pushed off its step to
    force a sum: 411.5 + 640.5 reads "410 + 640 = 1,050" at a step of ten, never "410 + 642".
    """
    if step <= 0:
        raise ValueError(f"a rounding step must be positive, got {step}")
    exact = [Decimal(repr(float(p))) / Decimal(repr(float(step))) for p in parts]
    total = int(round_half_up(float(math.fsum(float(e) for e in exact))))
    floors = [int(e.to_integral_value(rounding=ROUND_FLOOR)) for e in exact]
    missing = total - sum(floors)
    # Largest remainder first; a tie goes to the larger part, then to the earlier one.
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - floors[i]), -exact[i], i))
    for turn in range(max(missing, 0)):
        floors[order[turn % len(order)]] += 1
    shown = tuple(float(Decimal(f) * Decimal(repr(float(step)))) for f in floors)
    return Together(shown, float(Decimal(total) * Decimal(repr(float(step)))), step)


def together_step(total: float, unit: str, approximate: bool) -> float:
    """The step a group of figures is rounded to: "c." figures of hundreds to ten, else the
    precision the total is shown with."""
    if approximate:
        return APPROX_STEP if abs(total) >= 100 else 1
    return float(10 ** -decimals_for(total, unit))


def excel_format(unit: str, values: Sequence[float | None], *, signed: bool = True) -> str:
    """Return the Excel number format that shows `values` as format_value would.

    Whole numbers get "#,##0"; where some values show a decimal and others do not (17% beside
    9.5%), "General" shows each as typed, which is what format_value shows for values of the
    workbook's own precision.
    """
    shown = [v for v in values if v is not None]
    if unit in ("%", "x", "per minute"):
        places = {decimals_for(v, unit) for v in shown} or {0}
    else:  # magnitudes: as many decimals as the largest value shows (£120m, not £120.0m)
        largest = max(shown, key=abs, default=0.0)
        places = {decimals_for(largest, unit)}
    if places == {0}:
        body = "#,##0"
    elif len(places) > 1 and all(round_half_up(v, max(places)) == v for v in shown):
        body = "General"
    else:
        body = "#,##0." + "0" * max(places)
    prefix, suffix = {
        "£m": ('"£"', '"m"'),
        "£k": ('"£"', '"k"'),
        "£ per £1": ('"£"', ""),
        "%": ("", '"%"'),
        "x": ('"x"', ""),
    }.get(unit, ("", ""))
    positive = f"{prefix}{body}{suffix}"
    if signed:
        return positive
    return f"{positive};{positive}"  # magnitudes only: diverging bars show benefits unsigned


def format_date(value: date) -> str:
    """Return a date as people write it in a UK report: "31 July 2019"."""
    return f"{value.day} {value:%B %Y}"
