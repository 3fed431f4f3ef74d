"""The quality gate in use: `deckgen check` and the check every build runs on itself."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_WORKBOOK, TEMPLATE, Source, sheet
from tests.conftest import build_cli as build
from tests.conftest import run_cli as run

MakeWorkbook = Callable[..., Path]
LONG = "with a deliberately long descriptive name that goes on and on across the page"


@pytest.fixture(scope="module")
def sample_deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deck") / "wmp2020.pptx"
    assert build(SAMPLE_WORKBOOK, out)[0] == 0
    return out


def test_check_reports_nothing_on_the_sample(sample_deck: Path) -> None:
    code, text = run("check", str(sample_deck))
    assert code == 0
    assert text.startswith(f"{sample_deck}: ") and text.endswith(" slides, no findings\n")


def test_check_json_for_machines(sample_deck: Path) -> None:
    code, text = run("check", str(sample_deck), "--json")
    assert code == 0
    assert json.loads(text)["findings"] == []


def test_check_exit_2_when_the_file_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "deck.pptx"
    path.write_text("not a deck")
    code, text = run("check", str(path))
    assert code == 2
    assert text.startswith(f"error: {path}: ") and len(text.strip().splitlines()) == 1


def long_workbook(source: Source, make_workbook: MakeWorkbook) -> Path:
    """Very long project and portfolio names, long figure labels and very large figures."""
    for row in sheet(source, "FTE by Project")["rows"]:
        if row[0].startswith(("EER", "WMP2020 - CJS", "WMP2020 - Smarter")):
            row[0] = f"{row[0]} {LONG}"
    sheet(source, "FTE by Project")["total"][1] = None
    for row in sheet(source, "Portfolio")["rows"]:
        row[0] = f"{row[0]} {LONG}"
    for row in sheet(source, "Figures")["rows"]:
        row[2] = f"{row[2]}, measured across every neighbourhood policing unit in the region " * 2
        if row[4] == "count":
            row[3] = row[3] * 1000 + 123
    for row in sheet(source, "Context")["rows"]:
        row[4] = row[4] + " This statement runs on with further explanation." * 3
    return make_workbook(source, "long.xlsx")


def test_very_long_names_and_figures_still_build_with_no_findings(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    out = tmp_path / "long.pptx"
    code, text = build(long_workbook(source, make_workbook), out)
    assert code == 0, text
    assert ", 0 warnings, " in text, text
    code, text = run("check", str(out))
    assert code == 0, text


def test_a_finding_is_a_warning_and_fails_the_build_with_strict(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    # Too long even at the style's minimum in a title band grown up to the top of the slide.
    words = " ".join(["a section title far too long to fit on its slide at any size"] * 20)
    deck.write_text(f"slides:\n  - id: long\n    kind: section\n    title: {words}\n")
    out = tmp_path / "deck.pptx"
    code, text = run(
        "build",
        str(SAMPLE_WORKBOOK),
        "-o",
        str(out),
        "--template",
        str(TEMPLATE),
        "--deck",
        str(deck),
    )
    assert code == 0
    assert "WARNING slide 1 (long) 'Title 1': text needs" in text
    strict = tmp_path / "strict.pptx"
    code, text = run(
        "build",
        str(SAMPLE_WORKBOOK),
        "-o",
        str(strict),
        "--template",
        str(TEMPLATE),
        "--deck",
        str(deck),
        "--strict",
    )
    assert code == 1
    assert "findings with --strict; nothing was written" in text
    assert not strict.exists()
