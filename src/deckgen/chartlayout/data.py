"""What a chart spec holds, read safely: values (gaps for NaN), forecast flags, colours."""

from __future__ import annotations

import math

from deckgen.design import Role
from deckgen.specs import ChartKind, ChartSpec, Plot, SeriesSpec

HORIZONTAL = frozenset({ChartKind.BAR, ChartKind.STACKED_BAR})
STACKED = frozenset({ChartKind.STACKED_COLUMN, ChartKind.PERCENT_COLUMN, ChartKind.STACKED_BAR})


def value(series: SeriesSpec, index: int) -> float | None:
    """A point's value; None (a gap) for None, NaN and infinities, which no viewer can draw."""
    raw = series.values[index] if index < len(series.values) else None
    if raw is None or not math.isfinite(raw):
        return None
    return float(raw)


def is_forecast(series: SeriesSpec, index: int) -> bool:
    return index < len(series.forecast) and series.forecast[index]


def point_color(series: SeriesSpec, index: int) -> Role:
    override = series.point_colors[index] if index < len(series.point_colors) else None
    return override or series.color


def is_line(spec: ChartSpec, series: SeriesSpec) -> bool:
    """Whether a series is drawn as a line (every series of a line chart, a combo's line ones)."""
    return spec.kind is ChartKind.LINE or (
        spec.kind is ChartKind.COMBO and series.plot is Plot.LINE
    )


def check_spec(spec: ChartSpec) -> None:
    """Raise ValueError when a spec cannot be drawn as it says."""
    count = len(spec.categories)
    if not spec.series:
        raise ValueError(f"chart {spec.name!r}: no series")
    if count == 0:
        raise ValueError(f"chart {spec.name!r}: no categories")
    for series in spec.series:
        for what, length in (
            ("values", len(series.values)),
            ("forecast flags", len(series.forecast) or count),
            ("point colours", len(series.point_colors) or count),
        ):
            if length != count:
                raise ValueError(
                    f"chart {spec.name!r}, series {series.name!r}: {length} {what} "
                    f"for {count} categories"
                )
    if spec.kind is ChartKind.COMBO:
        plots = {s.plot for s in spec.series}
        if plots != {Plot.COLUMN, Plot.LINE}:
            raise ValueError(f"chart {spec.name!r}: a combo chart needs column and line series")
    for callout in spec.callouts:
        if not (0 <= callout.series < len(spec.series) and 0 <= callout.point < count):
            raise ValueError(f"chart {spec.name!r}: call-out {callout.text!r} is off the chart")
        if value(spec.series[callout.series], callout.point) is None:
            raise ValueError(f"chart {spec.name!r}: call-out {callout.text!r} is on a gap")
        if callout.crossing and not is_line(spec, spec.series[callout.series]):
            raise ValueError(
                f"chart {spec.name!r}: call-out {callout.text!r} names a crossing of a line, "
                "but its series is not a line"
            )
