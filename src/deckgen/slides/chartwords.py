"""Words a chart's alt text and call-outs use to describe its numbers, chosen from the numbers.

"Rises", "falls", "a peak of", "crosses zero", "the largest" are true of the sample and false of
another quarter's data, so none is fixed: each is chosen by the thresholds the deck definition's
own words are chosen by (claims.direction: flat within 5%; claims.compared: two figures that
read the same as shown are a tie), and a range of one year reads "in FY24/25", never "FY24/25 to
FY24/25".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from deckgen import claims, formatting
from deckgen.metrics import Metrics

RISE, FLAT, FALL = 0, 1, 2  # claims.direction's answers
MORE, SAME, LESS = 0, 1, 2  # claims.compared's answers
MOST_YEARS_NAMED = 3  # a peak shared by more years than this names the first and a count
_VERBS = {  # singular, plural
    "be": ("is", "are"),
    "rise": ("rises", "rise"),
    "fall": ("falls", "fall"),
    "stay": ("stays", "stay"),
}


def span(first: str, last: str) -> str:
    """'from FY15/16 to FY24/25', or 'in FY24/25' when both are the same year."""
    return f"in {last}" if first == last else f"from {first} to {last}"


def listed(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class Shape:
    """Where a yearly series turns: the years the words name, each a place in the series."""

    peak: int  # the first year at the highest value as shown
    low: int  # the first year at the lowest value as shown
    end: int  # the first year of the final run of years that read the same as the last
    turns: tuple[int, ...]  # the peak and low between start and end that the words name
    flat: bool  # the whole series within claims' threshold of flat
    level: bool  # every year reads the same as shown


def shape(values: Sequence[float], unit: str = "£m") -> Shape:
    """How a series moves, by the deck's thresholds: a peak or low counts only where the series
    rises or falls to it from where it was (claims.direction), not where it stays flat."""
    last = len(values) - 1
    high, lowest = max(values), min(values)
    peak = next(i for i, v in enumerate(values) if claims.compared(v, high, unit) == SAME)
    low = next(i for i, v in enumerate(values) if claims.compared(v, lowest, unit) == SAME)
    end = last
    while end > 0 and claims.compared(values[end - 1], values[last], unit) == SAME:
        end -= 1
    turns: list[int] = []
    before = values[0]
    for index in sorted({peak, low}):
        if 0 < index < end and claims.direction(before, values[index]) != FLAT:
            turns.append(index)
            before = values[index]
    level = all(claims.compared(v, values[0], unit) == SAME for v in values)
    flat = claims.direction(lowest, high) == FLAT
    return Shape(peak, low, end, tuple(turns), flat, level)


def path(
    values: Sequence[float],
    years: Sequence[str],
    unit: str = "£m",
    plural: bool = False,
    yearly: bool = True,
) -> str:
    """How a series moves, as a verb phrase for its subject: "rises from £30m in FY15/16 to a
    peak of £120m in FY18/19, then falls to £52m in FY24/25". `yearly` amounts read "a year"
    over a final run of equal years; a running total reads "by" its last year."""

    def verb(word: str) -> str:
        return _VERBS[word][1 if plural else 0]

    def shown(value: float) -> str:
        return formatting.format_value(value, unit)

    last = len(values) - 1
    if last == 0:
        return f"{verb('be')} {shown(values[0])} in {years[0]}"
    form = shape(values, unit)
    if form.level:
        return f"{verb('be')} {shown(values[0])} in every year, {span(years[0], years[last])}"
    if form.flat:
        each = " a year" if yearly else ""
        return (
            f"{verb('stay')} between {shown(min(values))} and {shown(max(values))}{each}, "
            f"{span(years[0], years[last])}"
        )

    def at(index: int) -> str:
        if index != form.end:
            named = "a peak of " if index == form.peak else "a low of "
            return f"{named}{shown(values[index])} {_years_at(values, years, index, form, unit)}"
        if not yearly:
            return f"{shown(values[index])} by {years[last]}"
        if index == last:
            return f"{shown(values[index])} in {years[last]}"
        return f"{shown(values[index])} a year from {years[index]} to {years[last]}"

    words: list[str] = []
    before = 0
    for index in (*form.turns, form.end):
        change = claims.direction(values[before], values[index])
        if not words:
            move = ("rise", "stay", "fall")[change]
            about = " about level" if change == FLAT else ""
            words.append(
                f"{verb(move)}{about} from {shown(values[0])} in {years[0]} to {at(index)}"
            )
        elif change == FLAT:
            words.append(f"then {verb('stay')} about level, at {at(index)}")
        else:
            words.append(f"then {verb(('rise', 'stay', 'fall')[change])} to {at(index)}")
        before = index
    return ", ".join(words)


def _years_at(
    values: Sequence[float], years: Sequence[str], index: int, form: Shape, unit: str
) -> str:
    """'in FY18/19', or every year a peak or low is reached in when several read the same."""
    tied = [
        years[i]
        for i, v in enumerate(values)
        if i < form.end and claims.compared(v, values[index], unit) == SAME
    ]
    if len(tied) > MOST_YEARS_NAMED:
        return f"in {tied[0]} and {len(tied) - 1} other years"
    return f"in {listed(tied)}"


def cumulative(metrics: Metrics) -> str:
    """The running net benefit in words: how it moves, and whether and when it breaks even.
    Break-even is metrics' (the year from which it stays at or above zero), so these words and
    the chart's break-even call-out are never at odds."""
    years = [y.year for y in metrics.years]
    values = [y.cumulative_net for y in metrics.years]
    last = years[-1]
    words = f"The cumulative net benefit {path(values, years, yearly=False)}."
    signs = [claims.compared(v, 0.0, "£m") for v in values]
    if metrics.break_even_year is None:
        where = (
            "is below zero in every year" if all(s == LESS for s in signs) else "ends below zero"
        )
        return f"{words} It {where}: the programme does not break even by {last}."
    start = years.index(metrics.break_even_year.text)
    after = signs[start:]
    stays = "above" if all(sign == MORE for sign in after) else "at or above"
    if start == 0:
        return (
            f"{words} It is {stays} zero in every year: the programme breaks even in its first "
            f"year, {years[0]}."
        )
    verb = "reaches" if signs[start] == SAME else "crosses"
    if start == len(years) - 1:
        return f"{words} It {verb} zero, the break-even point, in {last}, the last year."
    return (
        f"{words} It {verb} zero, the break-even point, in {years[start]} and stays {stays} it "
        f"to {last}."
    )


def turning_peak(values: Sequence[float], unit: str = "£m") -> int | None:
    """The year a series peaks in, where the words call it a peak: a single year (no tie as
    shown) that the series rises to and then falls from. None otherwise."""
    if len(values) < 3:
        return None
    form = shape(values, unit)
    if form.peak not in form.turns:
        return None
    if claims.direction(values[form.peak], values[form.end]) != FALL:
        return None
    tied = [v for v in values if claims.compared(v, values[form.peak], unit) == SAME]
    return form.peak if len(tied) == 1 else None


def largest(items: Sequence[tuple[str, float]], unit: str) -> tuple[list[str], float] | None:
    """The names that share the largest value as shown, and that value; None when empty."""
    if not items:
        return None
    top = max(value for _, value in items)
    names = [name for name, value in items if claims.compared(value, top, unit) == SAME]
    return names, top
