"""Value-axis scales: nice steps, and two axes that share their zero (and their scale)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from deckgen.design import CHART, ChartStyle

ROUNDING_SLACK = 1e-9
NICE_MULTIPLIERS = (1.0, 2.0, 2.5, 5.0, 10.0)


@dataclass(frozen=True)
class Scale:
    """A value axis' bounds and tick step."""

    minimum: float
    maximum: float
    step: float

    @property
    def span(self) -> float:
        return self.maximum - self.minimum

    def ticks(self) -> list[float]:
        count = round(self.span / self.step) if self.step > 0 else 0
        return [_tidy(self.minimum + i * self.step) for i in range(count + 1)]


def _tidy(number: float) -> float:
    """Drop binary noise (0.30000000000000004) from a computed bound."""
    return float(f"{number:.12g}")


def nice_step(span: float, ticks: int) -> float:
    """Return a 1, 2, 2.5 or 5 x 10^n step giving about `ticks` intervals over `span`."""
    raw = max(span, ROUNDING_SLACK) / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiplier in NICE_MULTIPLIERS:
        if multiplier * magnitude >= raw * (1 - ROUNDING_SLACK):
            return _tidy(multiplier * magnitude)
    return _tidy(10 * magnitude)


def _steps(low: float, high: float, step: float) -> tuple[int, int]:
    """Whole steps below and above zero needed to hold [low, high] (low <= 0 <= high)."""
    below = math.ceil(-low / step - ROUNDING_SLACK)
    above = math.ceil(high / step - ROUNDING_SLACK)
    return max(below, 0), max(above, 0)


def nice_scale(low: float, high: float, style: ChartStyle = CHART) -> Scale:
    """Round [low, high] (which holds zero) out to whole nice steps, wasting the least span."""
    if high - low <= 0:
        high = low + 1.0
    fewest, _, most = style.ticks
    scales = []
    for ticks in range(fewest, most + 1):
        step = nice_step(high - low, ticks)
        below, above = _steps(low, high, step)
        scales.append(Scale(_tidy(-below * step), _tidy(above * step), step))
    return min(scales, key=lambda scale: (round(scale.span, 9), scale.span / scale.step))


def aligned_scales(
    primary: tuple[float, float], secondary: tuple[float, float], style: ChartStyle = CHART
) -> tuple[Scale, Scale]:
    """Scale two value axes of different units so that their zeros and gridlines line up.

    A line on a secondary axis then crosses the category axis where it crosses zero, and
    neither axis' ticks float against the other's. Of the step pairs that do this, the one
    whose axes the data fill best (the product of the two shares) is taken.
    """
    fewest, _, most = style.ticks
    best: tuple[float, int, Scale, Scale] | None = None
    for ticks_a in range(fewest, most + 1):
        step_a = nice_step(max(primary[1] - primary[0], ROUNDING_SLACK), ticks_a)
        for ticks_b in range(fewest, most + 1):
            step_b = nice_step(max(secondary[1] - secondary[0], ROUNDING_SLACK), ticks_b)
            below_a, above_a = _steps(*primary, step_a)
            below_b, above_b = _steps(*secondary, step_b)
            below, above = max(below_a, below_b), max(above_a, above_b)
            total = below + above
            if not fewest <= total <= most:
                continue
            fill = (
                (primary[1] - primary[0])
                / (total * step_a)
                * (secondary[1] - secondary[0])
                / (total * step_b)
            )
            a = Scale(_tidy(-below * step_a), _tidy(above * step_a), step_a)
            b = Scale(_tidy(-below * step_b), _tidy(above * step_b), step_b)
            if best is None or (fill, -total) > (best[0], -best[1]):
                best = (fill, total, a, b)
    if best is None:
        return nice_scale(*primary, style=style), nice_scale(*secondary, style=style)
    return best[2], best[3]


def exact_scale(low: float, high: float, style: ChartStyle = CHART) -> Scale:
    """[low, high] as it is (for a hidden axis: no ticks to round to)."""
    if high - low <= 0:
        high = low + 1.0
    return Scale(_tidy(low), _tidy(high), nice_step(high - low, style.ticks[1]))


def _share_below_zero(bounds: tuple[float, float]) -> float:
    low, high = bounds
    return -low / (high - low) if high > low else 0.0


def aligned_exact_scales(
    primary: tuple[float, float], secondary: tuple[float, float], style: ChartStyle = CHART
) -> tuple[Scale, Scale]:
    """Two hidden axes with their zeros at the same height, neither wider than it must be."""
    share = max(_share_below_zero(primary), _share_below_zero(secondary))
    if share >= 1:
        return exact_scale(*primary, style=style), exact_scale(*secondary, style=style)
    scales = []
    for low, high in (primary, secondary):
        if _share_below_zero((low, high)) < share:
            low = -share * high / (1 - share)
        scales.append(exact_scale(low, high, style=style))
    return scales[0], scales[1]
