"""Words in charts follow the data: alt text, call-outs, chart keys and notes, read back from
decks built from workbooks whose figures tell another story than the sample's.

A sentence a screen reader hears ("benefits grow", "crosses zero in FY23/24") or a call-out a
reader sees ("Peak £120m", "Break-even FY23/24") is chosen from the figures by the deck's own
thresholds, so next quarter's data never leave a chart saying what is no longer true.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pptx.oxml.ns import qn

from tests.conftest import SAMPLE_WORKBOOK, TEMPLATE, Source, build_cli, row_of, run_cli, sheet
from tests.deckfile import DeckView, descr

MakeWorkbook = Callable[..., Path]
USER_SHAPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartUserShapes"
# The chart slides of the sample definition, in deck order.
CHART_SLIDES = (
    "investment-vs-benefits",
    "cumulative-net",
    "yearly",
    "officer-loss",
    "portfolio-balance",
)
YEARS = [f"FY{y % 100:02d}/{(y + 1) % 100:02d}" for y in range(2015, 2025)]


@dataclass
class ChartWords:
    """What a reader and a screen reader get from one chart slide."""

    alt: str
    callouts: list[str]
    key: str
    notes: str
    series: list[str]


def callout_words(chart: Any) -> list[str]:
    """Call-outs on points (their own words in a data label) and between points (words drawn
    in the chart's own drawing, such as break-even)."""
    words = []
    for label in chart.element.iter(qn("c:dLbl")):
        text = "".join(t.text or "" for t in label.iter(qn("a:t")))
        if text and not text[:1].isdigit() and text[:1] not in "£-":
            words.append(text)
    for rel in chart.part.rels.values():
        if rel.reltype == USER_SHAPES:
            drawing = etree.fromstring(rel.target_part.blob)
            words += [t.text or "" for t in drawing.iter(qn("a:t"))]
    return words


def build_charts(workbook: Path, out: Path, *extra: str) -> dict[str, ChartWords]:
    """Build the chart slides of `workbook` as a user does; their words, by slide id."""
    code, text = build_cli(workbook, out, "--slides", ",".join(CHART_SLIDES), *extra)
    assert code == 0, text
    found = {}
    views = DeckView(out).slides
    assert len(views) == len(CHART_SLIDES)
    for key, view in zip(CHART_SLIDES, views, strict=True):
        frames = [s for s in view.slide.shapes if s.name.startswith("Chart:")]
        assert len(frames) == 1, key
        frame = frames[0]
        keys = [s.text_frame.text for s in view.slide.shapes if s.name.startswith("Chart key")]
        charts = view.charts()
        found[key] = ChartWords(
            alt=descr(frame),
            callouts=callout_words(charts[0]) if charts else [],
            key="\n".join(keys),
            notes=view.notes,
            series=[str(s.name) for c in charts for p in c.plots for s in p.series],
        )
    return found


def finance(
    source: Source,
    benefits: list[float] | None = None,
    invest: list[float] | None = None,
    basis: list[str] | None = None,
) -> None:
    """Set every year of the Finance by Year sheet (FY15/16 to FY24/25)."""
    for index, row in enumerate(sheet(source, "Finance by Year")["rows"]):
        if invest is not None:
            row[1] = invest[index]
        if benefits is not None:
            row[2] = benefits[index]
        if basis is not None:
            row[3] = basis[index]


@pytest.fixture
def build(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path
) -> Callable[..., dict[str, ChartWords]]:
    def built(*extra: str) -> dict[str, ChartWords]:
        return build_charts(make_workbook(source), tmp_path / "deck.pptx", *extra)

    return built


# -- the sample reads as before ---------------------------------------------------------------


def test_the_sample_charts_say_what_the_report_says(tmp_path: Path) -> None:
    words = build_charts(SAMPLE_WORKBOOK, tmp_path / "deck.pptx")
    yearly = words["yearly"]
    assert (
        "investment rises from £30m in FY15/16 to a peak of £120m in FY18/19, then falls to "
        "£52m in FY24/25; benefits rise from £10m in FY15/16 to £120m a year from FY20/21 to "
        "FY24/25." in yearly.alt
    )
    assert "Peak £120m" in yearly.callouts and "Break-even FY23/24" in yearly.callouts
    cumulative = words["cumulative-net"]
    assert (
        "The cumulative net benefit falls from -£20m in FY15/16 to a low of -£89m in FY18/19, "
        "then rises to £118m by FY24/25. It crosses zero, the break-even point, in FY23/24 and "
        "stays above it to FY24/25." in cumulative.alt
    )
    assert cumulative.callouts == ["Break-even FY23/24"]
    assert "benefits exceed investment by £118m" in words["investment-vs-benefits"].alt
    assert (
        "Our Data has the largest net benefit (£140m); Estates Strategy has the largest net "
        in (words["portfolio-balance"].alt)
    )
    assert "Hatched: forecast, FY19/20 to FY24/25." in words["investment-vs-benefits"].key


# -- another quarter's data -----------------------------------------------------------------


def test_falling_benefits_are_not_said_to_grow_and_no_break_even_is_claimed(
    source: Source, build: Callable[..., dict[str, ChartWords]]
) -> None:
    finance(source, benefits=[10, 35, 57, 75, 70, 65, 60, 55, 50, 45])
    words = build()
    yearly = words["yearly"]
    assert "grow" not in yearly.alt
    assert (
        "benefits rise from £10m in FY15/16 to a peak of £75m in FY18/19, then fall to £45m in "
        "FY24/25." in yearly.alt
    )
    # A plateau of one year is that year, not "FY24/25 to FY24/25" nor "a year from FY24/25".
    assert "from FY24/25" not in yearly.alt and "FY24/25 to FY24/25" not in yearly.alt
    assert "c.£45m: benefits of the last year alone" in yearly.notes  # not a "run" of one year
    for key in ("yearly", "cumulative-net"):
        chart = words[key]
        assert (
            "It is below zero in every year: the programme does not break even by FY24/25."
            in chart.alt
        ), key
        assert not [w for w in chart.callouts if "Break-even" in w], key
        assert "crosses zero" not in chart.alt, key
    assert "benefits fall short of investment by £256m" in words["investment-vs-benefits"].alt


def test_flat_benefits_stay_flat_and_a_lead_that_is_lost_again_is_no_break_even(
    source: Source, build: Callable[..., dict[str, ChartWords]]
) -> None:
    finance(source, benefits=[75] * 10)  # ahead in the first years, behind by the end
    words = build()
    assert "benefits are £75m in every year, from FY15/16 to FY24/25." in words["yearly"].alt
    cumulative = words["cumulative-net"]
    assert (
        "rises from £45m in FY15/16 to a peak of £79m in FY17/18, then falls to a low of -£64m in "
        "FY22/23, then rises to -£28m by FY24/25. It ends below zero: the programme does not "
        "break even by FY24/25." in cumulative.alt
    )
    assert cumulative.callouts == []  # today: "Break-even FY15/16" on a line that ends at -£28m
    assert "FY15/16: first year" not in cumulative.notes


def test_investment_never_caught_up_keeps_the_net_negative_throughout(
    source: Source, build: Callable[..., dict[str, ChartWords]]
) -> None:
    finance(source, invest=[30, 50, 66, 120, 160, 150, 140, 130, 120, 110])
    words = build()
    cumulative = words["cumulative-net"]
    assert (
        "The cumulative net benefit falls from -£20m in FY15/16 to a low of -£190m in FY22/23 "
        "and FY23/24, then rises to -£180m by FY24/25. It is below zero in every year"
        in cumulative.alt
    )
    assert cumulative.callouts == []
    assert "benefits fall short of investment by £180m" in words["investment-vs-benefits"].alt


def test_benefits_ahead_from_the_first_year_break_even_in_it(
    source: Source, build: Callable[..., dict[str, ChartWords]]
) -> None:
    finance(source, benefits=[40, 60, 80, 130, 130, 130, 130, 130, 130, 130])
    cumulative = build()["cumulative-net"]
    assert "falls" not in cumulative.alt and "crosses" not in cumulative.alt
    assert (
        "rises from £10m in FY15/16 to £312m by FY24/25. It is above zero in every year: the "
        "programme breaks even in its first year, FY15/16." in cumulative.alt
    )


def test_a_single_forecast_year_is_named_as_that_year(
    source: Source, build: Callable[..., dict[str, ChartWords]]
) -> None:
    finance(source, basis=["Actual"] * 9 + ["Forecast"])
    words = build()
    totals = words["investment-vs-benefits"]
    assert "Forecast FY24/25" in totals.series
    assert totals.key == "Hatched: forecast, FY24/25."
    assert "the forecast, in FY24/25, adds £52m of investment" in totals.alt
    assert "Forecast columns, in FY24/25, are hatched." in words["yearly"].alt
    for chart in words.values():
        assert "FY24/25 to FY24/25" not in chart.alt + chart.key + " ".join(chart.series)


def test_ties_are_named_together_and_a_shared_peak_gets_no_call_out(
    source: Source, build: Callable[..., dict[str, ChartWords]]
) -> None:
    finance(source, invest=[30, 50, 120, 120, 115, 105, 98, 80, 62, 52])
    row_of(source, "FTE by Project", "TS1")[1] = 422.0  # as much as WMP2020 - Connect
    sheet(source, "FTE by Project")["total"][1] = 1110.47
    words = build()
    yearly = words["yearly"]
    assert "to a peak of £120m in FY17/18 and FY18/19, then falls to £52m" in yearly.alt
    assert not [w for w in yearly.callouts if w.startswith("Peak")]
    assert (
        "The largest are TS1 (achieved) and WMP2020 - Connect (forecast), 422 FTE each."
        in words["officer-loss"].alt
    )


def test_flat_investment_has_no_peak(
    source: Source, build: Callable[..., dict[str, ChartWords]]
) -> None:
    finance(source, invest=[80] * 10)
    yearly = build()["yearly"]
    assert "investment is £80m in every year, from FY15/16 to FY24/25" in yearly.alt
    assert "peak" not in yearly.alt.split("; benefits")[0]
    assert not [w for w in yearly.callouts if w.startswith("Peak")]


def test_zero_values_read_as_zero_and_none_as_none(
    source: Source, build: Callable[..., dict[str, ChartWords]]
) -> None:
    finance(source, benefits=[0] * 10)
    portfolio = sheet(source, "Portfolio")
    for row in portfolio["rows"]:  # every portfolio returns more than it costs
        row[4] = -(sum(v or 0 for v in row[1:3]) + sum(v or 0 for v in row[5:7]) + 1)
        row[3] = None
        row[7] = None
    portfolio["total"] = None
    words = build()
    assert "benefits are £0m in every year, from FY15/16 to FY24/25." in words["yearly"].alt
    assert "benefits fall short of investment by £778m" in words["investment-vs-benefits"].alt
    assert "; no portfolio has a net cost." in words["portfolio-balance"].alt
    assert "largest net cost" not in words["portfolio-balance"].alt


CHARTS_ONLY = """\
slides:
  - id: totals
    kind: chart
    title: Investment and benefits
    chart:
      kind: totals
  - id: cumulative
    kind: chart
    title: Cumulative net benefit
    chart:
      kind: cumulative-net
"""


@pytest.mark.parametrize(("basis", "shown"), [("Actual", "Actual to FY24/25"), ("Forecast", "")])
def test_a_workbook_of_one_basis_has_no_empty_series(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path, basis: str, shown: str
) -> None:
    """All Actual: no "Forecast FY24/25" entry over nothing; all Forecast: no traceback for the
    last Actual year there is not."""
    finance(source, basis=[basis] * 10)
    definition = tmp_path / "charts.yaml"
    definition.write_text(CHARTS_ONLY, encoding="utf-8")
    out = tmp_path / "deck.pptx"
    code, text = run_cli(
        "build",
        str(make_workbook(source)),
        "-o",
        str(out),
        "--template",
        str(TEMPLATE),
        "--deck",
        str(definition),
    )
    assert code == 0, text
    chart = DeckView(out).slides[0].charts()[0]
    names = [str(s.name) for p in chart.plots for s in p.series]
    assert names == ([shown] if shown else ["Forecast FY15/16 to FY24/25"])
    alt = descr(DeckView(out).slides[0].chart_frames()[0])
    assert ("forecast" in alt) is (basis == "Forecast"), alt


def test_pictures_carry_the_same_words(
    source: Source, build: Callable[..., dict[str, ChartWords]]
) -> None:
    finance(source, benefits=[10, 35, 57, 75, 70, 65, 60, 55, 50, 45])
    words = build("--chart-engine", "image")
    cumulative = words["cumulative-net"]
    assert "It is below zero in every year" in cumulative.alt
    assert "Chart data (" in cumulative.notes and "FY24/25 | -£256m" in cumulative.notes


# -- the words themselves ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ([5.0], "is £5m in FY15/16"),
        (
            [100.0, 102.0, 98.0, 101.0],
            "stays between £98m and £102m a year, from FY15/16 to FY18/19",
        ),
        ([0.0, 0.0, 0.0], "is £0m in every year, from FY15/16 to FY17/18"),
        ([30.0, 20.0, 10.0], "falls from £30m in FY15/16 to £10m in FY17/18"),
        ([10.0, 50.0, 50.0], "rises from £10m in FY15/16 to £50m a year from FY16/17 to FY17/18"),
        (
            [10.0, 50.0, 49.0],
            "rises from £10m in FY15/16 to a peak of £50m in FY16/17, then stays about level, "
            "at £49m in FY17/18",
        ),
        (
            [50.0, 10.0, 60.0],
            "falls from £50m in FY15/16 to a low of £10m in FY16/17, then rises to £60m in FY17/18",
        ),
    ],
)
def test_a_series_is_described_by_the_deck_thresholds(values: list[float], words: str) -> None:
    from deckgen.slides import chartwords

    assert chartwords.path(values, YEARS[: len(values)]) == words
