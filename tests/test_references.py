"""references.py: a `{reference}` in the deck definition shows the figure the workbook holds
where the reference says, and remembers that place.

The model is the sample workbook as the reader reads it; every cell a reference names is
checked against the workbook itself, opened with openpyxl.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import openpyxl
import pytest

from deckgen import metrics
from deckgen.model import Workbook
from deckgen.references import (
    NoValueError,
    Resolver,
    UndefinedError,
    describe,
    scan,
    split_top,
)
from deckgen.workbook.reader import read_workbook
from tests.conftest import CELL_SOURCE, SAMPLE_WORKBOOK


@pytest.fixture(scope="module")
def model() -> Workbook:
    result = read_workbook(SAMPLE_WORKBOOK)
    assert result.workbook is not None, result.errors
    return result.workbook


@pytest.fixture(scope="module")
def book() -> Any:
    return openpyxl.load_workbook(SAMPLE_WORKBOOK, data_only=True, read_only=False)


@pytest.fixture(scope="module")
def resolver(model: Workbook) -> Resolver:
    return Resolver(model, metrics.compute(model), {"yearly": 9}, {"roi": "Return on investment"})


def cell_value(book: Any, where: str) -> Any:
    match = CELL_SOURCE.match(where)
    assert match is not None, f"{where} is not one cell"
    return book[match["sheet"]][match["cell"]].value


# -- each kind of reference, to its cell -------------------------------------------------------

# (reference, the name its row holds in column A): rows well down their sheets
ONE_CELL = [
    ("fte[WMP2020 - DDI]", "WMP2020 - DDI"),
    ("portfolio[NGES].cashable_benefits", "NGES"),
    ("portfolio[Our Data].one_off_costs", "Our Data"),
    ("context[Budget Cuts]", "Budget Cuts"),
    ("comparisons[Increase in violent crime against the person].west_midlands", None),
    ("comparisons[Increase in violent crime against the person].msf_average", None),
    ("figures.back-office.nges_staff_positions", "back-office"),
]


@pytest.mark.parametrize(("reference", "row_name"), ONE_CELL)
def test_a_reference_to_a_figure_names_the_cell_that_holds_it(
    resolver: Resolver, book: Any, reference: str, row_name: str | None
) -> None:
    value = resolver.resolve(reference).value
    assert len(value.cells) == 1, value.cells
    assert value.derivation == ""
    assert value.number == pytest.approx(cell_value(book, value.cells[0]))
    assert value.source == value.cells[0]
    match = CELL_SOURCE.match(value.cells[0])
    assert match is not None
    row_start = re.sub(r"^[A-Z]+", "A", match["cell"])
    name = row_name or reference.partition("[")[2].partition("]")[0]
    assert cell_value(book, f"{match['sheet']}!{row_start}") == name


def test_a_date_shows_as_a_reader_writes_it_and_names_its_cell(
    resolver: Resolver, book: Any
) -> None:
    resolved = resolver.resolve("about.data_as_of")
    held = cell_value(book, resolved.value.cells[0])
    assert isinstance(held, datetime | date)
    assert resolved.text == f"{held.day} {held:%B %Y}"  # 31 July 2019


def test_names_match_whatever_their_spacing_and_case(resolver: Resolver) -> None:
    exact = resolver.resolve("fte[Mobility - PNC]")
    assert resolver.resolve("fte[  mobility   -  pnc ]") == replace(
        exact, reference="fte[  mobility   -  pnc ]"
    )
    assert (
        resolver.resolve("context[RISE IN CRIME]").value
        == resolver.resolve("context[Rise in Crime]").value
    )


# -- derived figures ---------------------------------------------------------------------------


def test_a_row_total_names_every_cell_it_adds_and_comes_to_their_sum(
    resolver: Resolver, book: Any
) -> None:
    value = resolver.resolve("portfolio[Closed].total").value
    assert len(value.cells) == 6
    assert value.number == pytest.approx(sum(cell_value(book, c) for c in value.cells))
    assert value.source.startswith("total of the row (Portfolio!")


def test_a_sum_of_references_keeps_both_cells(resolver: Resolver, book: Any) -> None:
    value = resolver.resolve("fte[TS1] + fte[EER - CJS]").value
    assert value.cells == (
        resolver.resolve("fte[TS1]").value.cells + resolver.resolve("fte[EER - CJS]").value.cells
    )
    assert value.number == pytest.approx(sum(cell_value(book, c) for c in value.cells))
    assert value.unit == "FTE"


def test_a_relative_change_is_worked_out_from_its_two_cells(resolver: Resolver, book: Any) -> None:
    resolved = resolver.resolve("comparisons[Officer reduction].relative")
    wm, msf = (cell_value(book, c) for c in resolved.value.cells)
    assert resolved.value.number == pytest.approx((wm / msf - 1) * 100)
    assert resolved.text == f"{round((wm / msf - 1) * 100)}%"


def test_a_metric_names_its_derivation_and_the_ranges_it_reads(resolver: Resolver) -> None:
    value = resolver.resolve("metrics.return_per_pound").value
    assert value.derivation == "total benefits / total investment"
    assert value.cells == ("Finance by Year!B5:B14", "Finance by Year!C5:C14")


# -- how a figure is shown ---------------------------------------------------------------------


def test_formats_change_how_a_figure_is_shown_never_what_it_is(resolver: Resolver) -> None:
    plain = resolver.resolve("fte[TS1]")
    assert resolver.resolve("fte[TS1]:unit").text == f"{plain.text} FTE"
    assert resolver.resolve("fte[TS1]:unit").value == plain.value
    net = resolver.resolve("metrics.net_benefit")
    assert resolver.resolve("metrics.net_benefit:abs").text == net.text.lstrip("-")
    assert resolver.resolve("metrics.fte_total:approx").text.startswith("c.")


def test_the_parts_of_a_total_shown_together_add_up_to_it(resolver: Resolver) -> None:
    """c.400 achieved and c.620 forecast of c.1,020: rounded together, never c.401 + c.620."""

    def number(reference: str) -> float:
        return float(resolver.resolve(reference).text.removeprefix("c.").replace(",", ""))

    total = number("metrics.fte_total:approx")
    parts = number("metrics.fte_achieved:approx") + number("metrics.fte_forecast:approx")
    assert parts == total
    together = resolver.together("total_investment")
    assert sum(together.parts) == pytest.approx(together.total)


# -- slides ------------------------------------------------------------------------------------


def test_a_slide_reference_is_its_number_here_or_its_title_elsewhere(resolver: Resolver) -> None:
    assert resolver.resolve("slide.yearly").text == "9"
    assert resolver.resolve("slide.roi").text == "“Return on investment”"
    assert resolver.check("slide.nowhere") == "no slide 'nowhere' in the deck"


# -- what cannot be shown ----------------------------------------------------------------------


def test_an_unknown_reference_says_what_there_is(resolver: Resolver) -> None:
    assert resolver.check("fte[Nobody]") == "no project 'Nobody' on the FTE by Project sheet"
    assert "FIELD one of capital" in (resolver.check("portfolio[Closed].colour") or "")
    assert "no metric 'nothing' (metrics: " in (resolver.check("metrics.nothing") or "")
    assert "is not a kind of figure" in (resolver.check("cells.A1") or "")
    assert resolver.check("fte[TS1]:rounded") is not None
    assert resolver.check("fte[TS1] + about.title") is not None  # text cannot be added


def test_a_division_by_a_zero_cell_is_an_error_naming_the_cell(model: Workbook) -> None:
    zero = replace(model.comparisons[0], msf_average=0.0)
    broken = replace(model, comparisons=(zero, *model.comparisons[1:]))
    resolver = Resolver(broken, metrics.compute(broken))
    with pytest.raises(UndefinedError, match=r"MSF average \(Comparisons!C4\) is 0"):
        resolver.resolve(f"comparisons[{zero.measure}].relative")


def test_a_figure_without_a_value_shows_the_words_given_for_it(model: Workbook) -> None:
    figures = replace(metrics.compute(model), break_even_year=None)
    resolver = Resolver(model, figures)
    with pytest.raises(NoValueError):
        resolver.resolve("metrics.break_even_year")
    shown = resolver.resolve("metrics.break_even_year|not within the forecast")
    assert shown.text == "not within the forecast"


# -- reading the deck definition's words -------------------------------------------------------


def test_scan_finds_each_outer_brace_with_what_it_holds() -> None:
    text = "Saves {sign metrics.net_benefit: savings of {metrics.net_benefit}|a cost} by {x"
    found = scan(text)
    assert [inside for _, _, inside in found] == [
        "sign metrics.net_benefit: savings of {metrics.net_benefit}|a cost"
    ]
    start, end, _ = found[0]
    assert text[start] == "{" and text[end - 1] == "}"


def test_split_top_leaves_what_is_inside_brackets_whole() -> None:
    assert split_top("fte[A: B]:approx", ":") == ["fte[A: B]", "approx"]
    assert split_top("a|{b|c}|d", "|") == ["a", "{b|c}", "d"]


@pytest.mark.parametrize(
    ("reference", "words"),
    [
        ("portfolio[NGES].total", "the total of portfolio NGES on the Portfolio sheet"),
        ("fte[TS1]:approx", "the FTE of project TS1 on the FTE by Project sheet"),
        (
            "comparisons[Officer reduction].msf_average",
            "the MSF average for Officer reduction on the Comparisons sheet",
        ),
        ("about.data_as_of", "the data as of on the About sheet"),
        (
            "fte[A] / fte[B]",
            "the FTE of project A on the FTE by Project sheet as a share of the "
            "FTE of project B on the FTE by Project sheet",
        ),
    ],
)
def test_a_reference_is_described_in_words_without_braces(reference: str, words: str) -> None:
    assert describe(reference) == words
    assert "{" not in describe(reference) and "[" not in describe(reference)
