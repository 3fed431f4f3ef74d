"""Chart specs from the model: the data, the colours by role, the labels and the alt text.

Each chart's alt text is written from its data ("investment rises from £30m in FY15/16 to a peak
of £120m in FY18/19 ..."), so a screen reader hears what a sighted reader sees, and it changes when
the workbook does. Every word in it that describes the numbers (rise, fall, peak, largest, crosses
zero) is chosen from them by the thresholds the deck definition's words use (claims.direction,
claims.compared), and so are the chart's call-outs: no "Peak" on a flat series, no break-even
year where cumulative benefits end below investment.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from deckgen import claims, formatting
from deckgen.design import Role
from deckgen.metrics import PortfolioBalance
from deckgen.references import REFERENCE
from deckgen.slides import chartwords
from deckgen.slides.context import BuildContext
from deckgen.specs import (
    Box,
    Callout,
    ChartKind,
    ChartSpec,
    Emu,
    FigureUse,
    Plot,
    SeriesSpec,
)

# Words the charts use when the deck definition does not give its own (chart `labels:`).
DEFAULT_LABELS = {
    "investment": "Investment",
    "benefits": "Benefits",
    "cumulative": "Cumulative net benefit",
    "achieved": "Achieved",
    "forecast": "Forecast",
    "west_midlands": "West Midlands",
    "msf_average": "MSF average",
    "costs": "Costs",
    "to_date": "Actual to {metrics.last_actual_year|date}",
    "to_come": "Forecast {compare metrics.first_forecast_year with metrics.horizon_year: "
    "{metrics.first_forecast_year} to {metrics.horizon_year}|{metrics.horizon_year}|"
    "{metrics.first_forecast_year} to {metrics.horizon_year}}",
    "break_even": "Break-even {metrics.break_even_year}",
    "peak": "Peak {metrics.peak_investment}",
    "remainder": "All other",
    "other_projects": "other projects",
    "other_portfolios": "other portfolios",
}
_EMPTY = Box(Emu(0), Emu(0), Emu(0), Emu(0))
MAX_LABELLED_POINTS = 12  # design.md: direct data labels where there are few points
MAX_BARS = 15  # more bars than this are unreadable: the smallest are shown as one
# A benchmark beside its subject (the MSF average beside West Midlands): the navy's light tint,
# told apart from it by lightness at a glance rather than by hue.
COMPARED_WITH = Role.HIGHLIGHT


@dataclass(frozen=True)
class ChartPlan:
    """A chart ready to be placed: its spec (box filled in at layout) and the figures it shows."""

    spec: ChartSpec
    figures: tuple[FigureUse, ...]

    def at(self, box: Box) -> ChartSpec:
        return replace(self.spec, box=box)


def plan_chart(ctx: BuildContext, chart: Mapping[str, Any], name: str) -> ChartPlan:
    """Build the chart a deck definition's `chart:` entry asks for."""
    kind = str(chart["kind"])
    labels = _Labels(ctx, chart.get("labels") or {})
    builders = {
        "yearly": _yearly,
        "yearly-combo": _yearly,
        "cumulative-net": _cumulative,
        "totals": _totals,
        "fte-by-project": _fte,
        "msf": _msf,
        "portfolio-balance": _portfolio,
        "bars": _bars,
        "channel-mix": _bars,
    }
    return builders[kind](ctx, chart, labels, name)


class _Labels:
    def __init__(self, ctx: BuildContext, overrides: Mapping[str, Any]) -> None:
        self.ctx = ctx
        self.overrides = overrides

    def __call__(self, key: str) -> str:
        return self.ctx.plain(str(self.overrides.get(key, DEFAULT_LABELS[key])))


def _others(count: int, words: str) -> str:
    """The label of the bar that stands for the long tail: "3,156 other projects"."""
    return f"{formatting.format_value(count, 'count')} {words}"


def _money(value: float) -> str:
    return formatting.format_value(value, "£m")


def _table(
    categories: Sequence[str], series: Sequence[SeriesSpec], unit: str
) -> tuple[tuple[str, ...], ...]:
    header = ("", *(s.name for s in series))
    rows = [
        (
            cat,
            *(
                ""
                if s.values[i] is None
                else formatting.format_value(float(s.values[i] or 0), unit)
                for s in series
            ),
        )
        for i, cat in enumerate(categories)
    ]
    return (header, *rows)


def _chart(
    name: str,
    kind: ChartKind,
    categories: tuple[str, ...],
    series: tuple[SeriesSpec, ...],
    unit: str,
    alt_text: str,
    value_format: str,
    **style: Any,
) -> ChartSpec:
    """A chart not yet placed (the slide's layout gives it its box), with its data table: the
    values as `unit` shows them, for the notes and for viewers that cannot show the chart."""
    return ChartSpec(
        name=name,
        box=_EMPTY,
        kind=kind,
        categories=categories,
        series=series,
        alt_text=alt_text,
        value_format=value_format,
        data_table=_table(categories, series, unit),
        **style,
    )


def _yearly(ctx: BuildContext, chart: Mapping[str, Any], labels: _Labels, name: str) -> ChartPlan:
    m = ctx.metrics
    years = m.years
    categories = tuple(y.year for y in years)
    forecast = tuple(not y.actual for y in years)
    investment = tuple(y.investment for y in years)
    benefits = tuple(y.benefits for y in years)
    money = formatting.excel_format("£m", investment + benefits)
    # Direct labels only where there are few points; more years read better against an axis.
    labelled = 2 * len(categories) <= MAX_LABELLED_POINTS
    series = [
        SeriesSpec(
            labels("investment"), investment, Role.INVESTMENT, money, forecast, labels=labelled
        ),
        SeriesSpec(labels("benefits"), benefits, Role.BENEFIT, money, forecast, labels=labelled),
    ]
    # "Peak" only where the columns rise to one year and fall from it (not flat, not a tie).
    peak_index = chartwords.turning_peak(investment)
    callouts = [] if peak_index is None else [Callout(0, peak_index, labels("peak"))]
    combo = chart["kind"] == "yearly-combo"
    line_format = ""
    if combo:
        cumulative = tuple(y.cumulative_net for y in years)
        line_format = formatting.excel_format("£m", cumulative)
        series.append(
            SeriesSpec(
                labels("cumulative"),
                cumulative,
                Role.ACCENT,
                line_format,
                (),
                plot=Plot.LINE,
                labels=False,
            )
        )
        if m.break_even_year is not None:
            index = categories.index(m.break_even_year.text)
            callouts.append(Callout(2, index, labels("break_even"), crossing=True))
    series = list(
        _with_sources(series, *_year_sources(ctx, "investment", "benefits", "cumulative"))
    )
    first_forecast = next((y.year for y in years if not y.actual), None)
    alt = (
        f"Columns by year, {chartwords.span(categories[0], categories[-1])}: investment "
        f"{chartwords.path(investment, categories)}; benefits "
        f"{chartwords.path(benefits, categories, plural=True)}."
    )
    if first_forecast:
        alt += f" Forecast columns, {chartwords.span(first_forecast, categories[-1])}, are hatched."
    if combo:
        alt += " " + chartwords.cumulative(m)
    spec = _chart(
        name,
        ChartKind.COMBO if combo else ChartKind.COLUMN,
        categories,
        tuple(series),
        "£m",
        alt,
        money,
        secondary_format=line_format,
        callouts=tuple(callouts),
        gap_width=50,
        value_axis_visible=combo or not labelled,
    )
    return ChartPlan(
        spec, _metric_figures(ctx, "total_investment", "total_benefits", "peak_investment")
    )


def _cumulative(
    ctx: BuildContext, chart: Mapping[str, Any], labels: _Labels, name: str
) -> ChartPlan:
    m = ctx.metrics
    categories = tuple(y.year for y in m.years)
    values = tuple(y.cumulative_net for y in m.years)
    money = formatting.excel_format("£m", values)
    # Labels on every point carry the values; an axis only where there are too many to label.
    labelled = len(categories) <= MAX_LABELLED_POINTS
    callouts: tuple[Callout, ...] = ()
    if m.break_even_year is not None:
        index = categories.index(m.break_even_year.text)
        callouts = (Callout(0, index, labels("break_even"), crossing=True),)
    series = (
        SeriesSpec(
            labels("cumulative"),
            values,
            Role.BENEFIT,
            money,
            tuple(not y.actual for y in m.years),
            plot=Plot.LINE,
            labels=labelled,
            sources=_year_sources(ctx, "cumulative")[0],
        ),
    )
    spec = _chart(
        name,
        ChartKind.LINE,
        categories,
        series,
        "£m",
        f"Line by year, {chartwords.span(categories[0], categories[-1])}. "
        + chartwords.cumulative(m),
        money,
        legend=False,
        callouts=callouts,
        value_axis_visible=not labelled,
    )
    return ChartPlan(spec, _metric_figures(ctx, "net_benefit"))


def _totals(ctx: BuildContext, chart: Mapping[str, Any], labels: _Labels, name: str) -> ChartPlan:
    m = ctx.metrics
    # Shown together, so rounded together: the labels on each column add up to its total.
    investment = ctx.resolver.together("total_investment")
    benefits = ctx.resolver.together("total_benefits")
    to_date = (investment.parts[0], benefits.parts[0])
    to_come = (investment.parts[1], benefits.parts[1])
    totals = (investment.total, benefits.total)
    categories = (
        f"{labels('investment')} {_money(totals[0])}",
        f"{labels('benefits')} {_money(totals[1])}",
    )
    money = formatting.excel_format("£m", to_date + to_come)
    colors = (Role.INVESTMENT, Role.BENEFIT)
    series: tuple[SeriesSpec, ...] = (
        SeriesSpec(labels("to_date"), to_date, Role.INVESTMENT, money, (False, False), colors),
        SeriesSpec(labels("to_come"), to_come, Role.INVESTMENT, money, (True, True), colors),
    )
    series = _with_sources(series, *_total_sources(ctx))
    # A basis with no years (a workbook all Actual, or all Forecast) is no series: a legend
    # entry "Forecast FY24/25" over nothing would claim a forecast there is not.
    bases = (any(y.actual for y in m.years), any(not y.actual for y in m.years))
    series = tuple(s for s, present in zip(series, bases, strict=True) if present)
    horizon = m.horizon_year.text
    balance = (
        f"exceed investment by {_money(totals[1] - totals[0])}",
        "match investment",
        f"fall short of investment by {_money(totals[0] - totals[1])}",
    )[claims.compared(totals[1], totals[0], "£m")]
    alt = (
        f"Stacked columns: total investment {_money(totals[0])} and total benefits "
        f"{_money(totals[1])}, {chartwords.span(m.first_year.text, horizon)}; benefits {balance}."
    )
    parts = []
    if m.last_actual_year is not None:
        parts.append(
            f"{chartwords.span(m.first_year.text, m.last_actual_year.text)}, "
            f"{_money(to_date[0])} was invested and {_money(to_date[1])} of benefits generated"
        )
    if m.last_actual_year is None:
        parts.append("all of it is forecast (hatched)")
    elif any(not y.actual for y in m.years):
        parts.append(
            f"the forecast, {chartwords.span(m.first_forecast_year.text, horizon)}, adds "
            f"{_money(to_come[0])} of investment and {_money(to_come[1])} of benefits (hatched)"
        )
    if parts:
        alt += " " + "; ".join(parts)[:1].upper() + "; ".join(parts)[1:] + "."
    spec = _chart(
        name,
        ChartKind.STACKED_COLUMN,
        categories,
        series,
        "£m",
        alt,
        money,
        overlap=100,
        gap_width=80,
    )
    return ChartPlan(
        spec,
        _metric_figures(
            ctx, "total_investment", "total_benefits", "invested_to_date", "benefits_to_date"
        ),
    )


def _fte(ctx: BuildContext, chart: Mapping[str, Any], labels: _Labels, name: str) -> ChartPlan:
    projects = sorted(ctx.model.projects, key=lambda p: -p.fte)
    shown, rest = projects[: MAX_BARS - 1], projects[MAX_BARS - 1 :]
    if len(rest) == 1:
        shown, rest = projects, []
    categories = tuple(p.name for p in shown)
    achieved = tuple(p.fte if p.achieved else None for p in shown)
    forecast = tuple(None if p.achieved else p.fte for p in shown)
    if rest:  # one bar for the long tail, split achieved and forecast like the others
        categories += (_others(len(rest), labels("other_projects")),)
        achieved += (math.fsum(p.fte for p in rest if p.achieved) or None,)
        forecast += (math.fsum(p.fte for p in rest if not p.achieved) or None,)
    fmt = formatting.excel_format("FTE", [p.fte for p in projects])
    series: tuple[SeriesSpec, ...] = (
        SeriesSpec(labels("achieved"), achieved, Role.BENEFIT, fmt),
        SeriesSpec(
            labels("forecast"), forecast, Role.INVESTMENT, fmt, tuple(True for _ in categories)
        ),
    )
    series = _with_sources(series, *_fte_sources(ctx, shown, rest))
    # The same words as the slide's: rounded together, so the parts add up to the total.
    total, achieved_fte, forecast_fte = (
        ctx.figure(f"metrics.{name}:approx")
        for name in ("fte_total", "fte_achieved", "fte_forecast")
    )
    tail = f" (the {len(rest)} smallest together in the last bar)" if rest else ""
    alt = (
        f"Horizontal bars, one per project, largest first{tail}: {len(projects)} projects release "
        f"{total.text} FTE, {achieved_fte.text} achieved and {forecast_fte.text} forecast "
        f"(hatched). {_largest_project(projects)}"
    )
    spec = _chart(
        name, ChartKind.STACKED_BAR, categories, series, "FTE", alt, fmt, overlap=100, gap_width=40
    )
    return ChartPlan(spec, (total, achieved_fte, forecast_fte))


def _largest_project(projects: Sequence[Any]) -> str:
    """The largest project, or the projects that tie for it, with their status; none when no
    project releases anything."""
    found = chartwords.largest([(p.name, p.fte) for p in projects], "FTE")
    if found is None or claims.compared(found[1], 0.0, "FTE") != chartwords.MORE:
        return "No project releases any FTE yet."
    names, top = found
    amount = formatting.format_value(top, "FTE")
    status = {p.name: "achieved" if p.achieved else "forecast" for p in projects}
    if len(names) == 1:
        return f"The largest is {names[0]} with {amount} FTE ({status[names[0]]})."
    if len(names) > chartwords.MOST_YEARS_NAMED:
        return f"{len(names)} projects share the largest figure, {amount} FTE each."
    every = {status[n] for n in names}
    if len(every) == 1:
        return f"The largest are {chartwords.listed(names)}, {amount} FTE each ({every.pop()})."
    each = [f"{n} ({status[n]})" for n in names]
    return f"The largest are {chartwords.listed(each)}, {amount} FTE each."


def _msf(ctx: BuildContext, chart: Mapping[str, Any], labels: _Labels, name: str) -> ChartPlan:
    unit = str(chart.get("unit", "%"))
    rows = [c for c in ctx.model.comparisons if c.unit == unit]
    categories = tuple(c.measure for c in rows)
    wm = tuple(c.west_midlands for c in rows)
    msf = tuple(c.msf_average for c in rows)
    fmt = formatting.excel_format(unit, wm + msf)
    series: tuple[SeriesSpec, ...] = (
        SeriesSpec(labels("west_midlands"), wm, Role.INVESTMENT, fmt),
        SeriesSpec(labels("msf_average"), msf, COMPARED_WITH, fmt),
    )
    series = _with_sources(
        series,
        *(tuple(ctx.model.cell("comparisons", f, c.row) for c in rows) for f in FIELDS_WM_MSF),
    )
    parts = [
        f"{c.measure}: West Midlands {formatting.format_value(c.west_midlands, unit)}, "
        f"MSF average {formatting.format_value(c.msf_average, unit)} ({c.period})"
        for c in rows
    ]
    spec = _chart(
        name,
        ChartKind.BAR,
        categories,
        series,
        unit,
        "Paired bars comparing West Midlands Police with the average of its Most "
        "Similar Forces. " + "; ".join(parts) + ".",
        fmt,
        gap_width=60,
    )
    figures = tuple(
        FigureUse(
            formatting.format_value(v, unit),
            v,
            unit,
            f"comparisons[{c.measure}].{f}",
            ctx.model.cell("comparisons", f, c.row),
            citation=c.source,
        )
        for c in rows
        for f, v in (("west_midlands", c.west_midlands), ("msf_average", c.msf_average))
    )
    return ChartPlan(spec, figures)


def _portfolio(
    ctx: BuildContext, chart: Mapping[str, Any], labels: _Labels, name: str
) -> ChartPlan:
    balances = sorted(ctx.metrics.portfolios, key=lambda b: b.net_benefit, reverse=True)
    every = balances
    if len(balances) > MAX_BARS:  # the largest by size, then the rest as one bar
        by_size = sorted(balances, key=lambda b: -(b.costs + b.benefits))
        keep = {id(b) for b in by_size[: MAX_BARS - 1]}
        rest = [b for b in balances if id(b) not in keep]
        balances = [b for b in balances if id(b) in keep]
        balances.append(
            PortfolioBalance(
                _others(len(rest), labels("other_portfolios")),
                math.fsum(b.costs for b in rest),
                math.fsum(b.benefits for b in rest),
                math.fsum(b.net_benefit for b in rest),
                0,
            )
        )
    categories = tuple(b.name for b in balances)
    # A zero is a gap, not a "£0m" label crowding the other side of the bar.
    costs = tuple(b.costs or None for b in balances)
    gains = tuple(-b.benefits or None for b in balances)
    fmt = formatting.excel_format("£m", costs + gains, signed=False)
    # Benefits first: they run left of zero, so the legend reads as the bars do.
    series: tuple[SeriesSpec, ...] = (
        SeriesSpec(labels("benefits"), gains, Role.BENEFIT, fmt),
        SeriesSpec(labels("costs"), costs, Role.INVESTMENT, fmt),
    )
    series = _with_sources(series, *_portfolio_sources(ctx, balances))
    m = ctx.metrics
    alt = (
        f"Diverging bars, one per portfolio: costs to the right, benefits to the left. In all, "
        f"costs {_money(m.portfolio_costs.value)} and benefits "
        f"{_money(m.portfolio_benefits.value)}. {_net_extremes(every)}"
    )
    spec = _chart(
        name, ChartKind.STACKED_BAR, categories, series, "£m", alt, fmt, overlap=100, gap_width=40
    )
    return ChartPlan(spec, _metric_figures(ctx, "portfolio_costs", "portfolio_benefits"))


def _net_extremes(balances: Sequence[PortfolioBalance]) -> str:
    """Which portfolio returns most and which costs most, net; ties named together, and a side
    no portfolio is on said so rather than given to the nearest."""
    gains = [
        (b.name, b.net_benefit)
        for b in balances
        if claims.compared(b.net_benefit, 0, "£m") == chartwords.MORE
    ]
    losses = [
        (b.name, -b.net_benefit)
        for b in balances
        if claims.compared(b.net_benefit, 0, "£m") == chartwords.LESS
    ]

    def most(items: list[tuple[str, float]], what: str) -> str:
        found = chartwords.largest(items, "£m")
        if found is None:
            return f"no portfolio has a {what}"
        names, amount = found
        if len(names) == 1:
            return f"{names[0]} has the largest {what} ({_money(amount)})"
        return f"{chartwords.listed(names)} share the largest {what} ({_money(amount)} each)"

    words = f"{most(gains, 'net benefit')}; {most(losses, 'net cost')}."
    return words[:1].upper() + words[1:]


def _bars(ctx: BuildContext, chart: Mapping[str, Any], labels: _Labels, name: str) -> ChartPlan:
    """A chart of figures named in the deck definition: bars, or a channel mix of shares."""
    categories = tuple(ctx.plain(str(c)) for c in chart.get("categories", []))
    figures: list[FigureUse] = []
    series: list[SeriesSpec] = []
    unit = ""
    roles = (Role.BENEFIT, Role.INVESTMENT, Role.ACCENT, Role.SECONDARY, Role.HIGHLIGHT)
    for index, entry in enumerate(chart.get("series", [])):
        values: list[float | None] = []
        sources: list[str] = []
        for raw in entry.get("values", []):
            sources.append("")
            if raw is None:
                values.append(None)
                continue
            match = REFERENCE.fullmatch(str(raw).strip())
            if match is None:
                raise ValueError(f"chart values must be {{references}}, got {raw!r}")
            fig = ctx.figure(match.group(1))
            sources[-1] = fig.source
            figures.append(fig)
            unit = unit or fig.unit
            values.append(float(fig.value) if isinstance(fig.value, int | float) else None)
        fmt = formatting.excel_format(unit, values)
        series.append(
            SeriesSpec(
                ctx.plain(str(entry["name"])),
                tuple(values),
                roles[index % len(roles)],
                fmt,
                sources=tuple(sources),
            )
        )
    mix = chart["kind"] == "channel-mix"
    if mix:
        rest = tuple(
            max(0.0, 100.0 - sum(s.values[i] or 0.0 for s in series))
            for i in range(len(categories))
        )
        series.append(
            SeriesSpec(
                labels("remainder"),
                rest,
                Role.SECONDARY,
                formatting.excel_format("%", rest),
                sources=tuple("100% less the other series" for _ in rest),
            )
        )
    kind = ChartKind.PERCENT_COLUMN if mix else ChartKind.STACKED_BAR
    words = "; ".join(
        f"{cat}: "
        + ", ".join(
            f"{s.name} {formatting.format_value(float(v), unit or '%')}"
            for s in series
            if (v := s.values[i]) is not None
        )
        for i, cat in enumerate(categories)
    )
    shape = "Columns of 100% showing the share of each" if mix else "Bars"
    spec = _chart(
        name,
        kind,
        categories,
        tuple(series),
        unit or "%",
        f"{shape}: {words}.",
        formatting.excel_format(unit, [v for s in series for v in s.values]),
        legend=len(series) > 1,
        overlap=100,
        gap_width=60 if mix else 40,
    )
    return ChartPlan(spec, tuple(figures))


def _metric_figures(ctx: BuildContext, *names: str) -> tuple[FigureUse, ...]:
    return tuple(ctx.figure(f"metrics.{n}") for n in names)


# -- where each point comes from, for the manifest and `deckgen explain` ------------------------

FIELDS_WM_MSF = ("west_midlands", "msf_average")


def _with_sources(
    series: Sequence[SeriesSpec], *sources: tuple[str, ...]
) -> tuple[SeriesSpec, ...]:
    return tuple(replace(s, sources=src) for s, src in zip(series, sources, strict=False)) + tuple(
        series[len(sources) :]
    )


def _year_sources(ctx: BuildContext, *names: str) -> tuple[tuple[str, ...], ...]:
    """Investment and benefits: their cells; the cumulative net: the cells it adds up."""
    model = ctx.model
    rows = [y.row for y in model.years]
    result = []
    for name in names:
        if name == "cumulative":
            result.append(
                tuple(
                    f"cumulative benefits less investment to {y.label} ("
                    + ", ".join(
                        model.cell_range("finance", f, tuple(rows[: i + 1]))
                        for f in ("benefits", "investment")
                    )
                    + ")"
                    for i, y in enumerate(model.years)
                )
            )
        else:
            result.append(tuple(model.cell("finance", name, r) for r in rows))
    return tuple(result)


def _total_sources(ctx: BuildContext) -> tuple[tuple[str, ...], ...]:
    model = ctx.model
    actual = tuple(y.row for y in model.years if y.actual)
    forecast = tuple(y.row for y in model.years if not y.actual)

    def summed(field: str, rows: tuple[int, ...], basis: str) -> str:
        return f"sum of {field} in {basis} years ({model.cell_range('finance', field, rows)})"

    return (
        (summed("investment", actual, "Actual"), summed("benefits", actual, "Actual")),
        (summed("investment", forecast, "Forecast"), summed("benefits", forecast, "Forecast")),
    )


def _fte_sources(
    ctx: BuildContext, shown: Sequence[Any], rest: Sequence[Any]
) -> tuple[tuple[str, ...], ...]:
    model = ctx.model
    result = []
    for achieved in (True, False):
        cells = [model.cell("fte", "fte", p.row) if p.achieved == achieved else "" for p in shown]
        if rest:
            rows = tuple(p.row for p in rest if p.achieved == achieved)
            status = "Achieved" if achieved else "Forecast"
            cells.append(
                f"sum of the {len(rows)} smaller {status} projects "
                f"({model.cell_range('fte', 'fte', rows)})"
                if rows
                else ""
            )
        result.append(tuple(cells))
    return tuple(result)


def _portfolio_sources(
    ctx: BuildContext, balances: Sequence[PortfolioBalance]
) -> tuple[tuple[str, ...], ...]:
    model = ctx.model
    cost_fields = ("capital", "centrally_managed", "one_off_costs", "recurring_costs")
    benefit_fields = ("non_cashable_benefits", "cashable_benefits")

    def where(balance: PortfolioBalance, fields: tuple[str, ...], what: str) -> str:
        if not balance.row:
            return f"{what} of the smaller portfolios, summed (Portfolio sheet)"
        cells = ", ".join(model.cell("portfolio", f, balance.row) for f in fields)
        return f"{what} of {balance.name} ({cells})"

    return (  # in the order of the chart's series: benefits, then costs
        tuple(where(b, benefit_fields, "benefits") for b in balances),
        tuple(where(b, cost_fields, "costs") for b in balances),
    )
