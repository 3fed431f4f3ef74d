"""The deck definition: its shape, its references and the rule that no number is typed into it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from deckgen import metrics
from deckgen.deckdef import DeckDefinitionError, check_references, load_deck
from deckgen.model import Workbook
from deckgen.references import Resolver
from deckgen.workbook.reader import read_workbook
from tests.conftest import ROOT, SAMPLE_WORKBOOK

DECK = ROOT / "layouts" / "wmp2020.yaml"


@pytest.fixture(scope="module")
def model() -> Workbook:
    result = read_workbook(SAMPLE_WORKBOOK)
    assert result.workbook is not None
    return result.workbook


@pytest.fixture(scope="module")
def resolver(model: Workbook) -> Resolver:
    deck = load_deck(DECK)
    numbers = {s.id: n for n, s in enumerate(deck.slides, start=1)}
    return Resolver(model, metrics.compute(model), numbers)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_definition_loads_and_every_reference_resolves(resolver: Resolver) -> None:
    deck = load_deck(DECK)
    check_references(deck, resolver)
    ids = [s.id for s in deck.slides]
    assert ids[:6] == ["cover", "contents", "how-to-use", "context", "headlines", "roi"]
    assert ids[-4:] == ["data-sources", "fte-table", "portfolio-table", "portfolio-balance"]


def test_sample_definition_has_every_slide_of_the_deck_spec() -> None:
    spec = ROOT.parent / "shared" / "spec" / "deck.md"
    if not spec.exists():
        pytest.skip("../shared/spec/deck.md is not present")
    deck = load_deck(DECK)
    ids = {s.id for s in deck.slides}
    rows = [line for line in spec.read_text().splitlines() if line.startswith("| ")]
    wanted = set()
    for row in rows[2:]:
        cell = row.split("|")[1].strip()
        wanted.update(part.strip() for part in cell.split(","))
    assert wanted <= ids, sorted(wanted - ids)


def test_a_reference_to_nothing_names_the_slide_and_the_reference(
    tmp_path: Path, resolver: Resolver
) -> None:
    path = write(
        tmp_path,
        "slides:\n"
        "  - id: roi\n    kind: section\n    title: 'Return {metrics.return_per_pund}'\n"
        "  - id: bwv\n    kind: section\n    title: '{figures.bwv.drones}'\n",
    )
    with pytest.raises(DeckDefinitionError) as caught:
        check_references(load_deck(path), resolver)
    message = caught.value.format_message()
    assert "slide 'roi': {metrics.return_per_pund}: no metric 'return_per_pund'" in message
    assert f"{path}:2:" in message
    assert "slide 'bwv': {figures.bwv.drones}: no figure 'drones' for slide 'bwv'" in message


def test_a_number_typed_into_the_words_is_refused(tmp_path: Path, resolver: Resolver) -> None:
    path = write(
        tmp_path,
        "names: [WMP2020]\nslides:\n"
        "  - id: roi\n    kind: section\n    title: 'WMP2020 returns £1.15 for every pound'\n",
    )
    with pytest.raises(DeckDefinitionError, match=r"'£1.15' types a number into the deck"):
        check_references(load_deck(path), resolver)


def test_names_and_years_are_not_numbers(tmp_path: Path, resolver: Resolver) -> None:
    path = write(
        tmp_path,
        "names: [WMP2020, '101']\nslides:\n"
        "  - id: s\n    kind: section\n"
        "    title: 'WMP2020 since 2015, Post-2020, PEEL 2018/19, call 101'\n",
    )
    check_references(load_deck(path), resolver)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("slides:\n  - id: a\n    kind: poster\n", "unknown kind 'poster'"),
        (
            "slides:\n  - id: a\n    kind: section\n    title: x\n    colour: red\n",
            "unknown key 'colour' for a section slide",
        ),
        ("slides:\n  - id: a\n    kind: chart\n    title: x\n", "a chart slide needs 'chart'"),
        ("slides:\n  - id: a\n    kind: section\n    title: [1, 2]\n", "'title' must be text"),
        ("slides:\n  - kind: section\n    title: x\n", "needs 'id'"),
        (
            "slides:\n  - id: a\n    kind: section\n    title: x\n"
            "  - id: a\n    kind: section\n    title: y\n",
            "slide id 'a' is used twice",
        ),
        ("slides: [\n", "not valid YAML"),
        (
            "slides:\n  - id: t\n    kind: table\n    title: x\n    table: drones\n",
            "'table' must be one of fte, portfolio",
        ),
        (
            "slides:\n  - id: c\n    kind: chart\n    title: x\n    chart:\n      kind: bars\n"
            "      categories: [a, b]\n      series:\n        - name: s\n"
            "          values: [1, 2]\n",
            "values must be {references} or null (got 1)",
        ),
        (
            "slides:\n  - id: c\n    kind: chart\n    title: x\n    chart:\n      kind: bars\n"
            "      categories: [a, b]\n      series:\n        - name: s\n"
            "          values: [null]\n",
            "needs one value per category (2)",
        ),
        (
            "slides:\n  - id: b\n    kind: big-number\n    title: x\n    hero:\n"
            "      - value: '42'\n",
            "a figure's value must be one {reference}",
        ),
        ("title: x\n", "expected a mapping with a 'slides' list"),
    ],
)
def test_malformed_definitions_are_one_clear_error(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(DeckDefinitionError) as caught:
        load_deck(path)
    message = caught.value.format_message()
    assert expected in message
    assert str(path) in message


def test_fallback_words_for_a_figure_the_workbook_has_no_value_for(
    resolver: Resolver, model: Workbook
) -> None:
    numbers = dict(resolver.slide_numbers)
    figures = metrics.compute(model)
    no_break_even = Resolver(model, replace(figures, break_even_year=None), numbers)
    assert no_break_even.check("metrics.break_even_year") is not None
    shown = no_break_even.resolve("metrics.break_even_year|no year of the forecast")
    assert shown.text == "no year of the forecast"
    assert resolver.resolve("metrics.break_even_year|never").text == "FY23/24"


def test_references_resolve_to_figures_with_their_cells(resolver: Resolver) -> None:
    shown = resolver.resolve("fte[Mobility - PNC] + fte[Mobility - Stop & Search]:unit")
    assert shown.text == "32 FTE"
    assert shown.value.cells == ("FTE by Project!B8", "FTE by Project!B9")
    share = resolver.resolve("figures.ddi.response_searches / figures.ddi.insight_searches")
    assert share.text == "24%"
    assert resolver.resolve("comparisons[Officer reduction].relative").text == "54%"
    assert resolver.resolve("metrics.fte_achieved:approx").text == "c.400"
    assert resolver.resolve("metrics.fte_forecast:approx").text == "c.620"
    assert resolver.resolve("figures.mobility.devices").text == "over 5,000"
    assert resolver.resolve("figures.mobility.devices:bare").text == "5,000"
    assert resolver.resolve("about.data_as_of").text == "31 July 2019"
