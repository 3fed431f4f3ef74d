"""manifest.py: the record beside every deck of what each slide shows and where it came from.

The deck is the sample, planned from the sample workbook, deck definition and template as a
build plans it (no file is written); each source the manifest names is checked against the
workbook itself, opened with openpyxl.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from deckgen import pipeline
from deckgen.errors import DeckgenError
from deckgen.manifest import (
    build_manifest,
    data_digest,
    dumps,
    explain,
    load_manifest,
    manifest_path,
)
from tests.conftest import CELL_SOURCE, DECK, SAMPLE_WORKBOOK, TEMPLATE


@pytest.fixture(scope="module")
def plan() -> pipeline.Plan:
    return pipeline.plan(SAMPLE_WORKBOOK, TEMPLATE, DECK)


@pytest.fixture(scope="module")
def manifest(plan: pipeline.Plan) -> dict[str, Any]:
    return build_manifest(
        plan.deck,
        SAMPLE_WORKBOOK,
        plan.built,
        data_date=plan.model.about.data_as_of,
        digest=data_digest(plan.model),
    )


@pytest.fixture(scope="module")
def book() -> Any:
    return openpyxl.load_workbook(SAMPLE_WORKBOOK, data_only=True)


def slide(manifest: dict[str, Any], key: str) -> dict[str, Any]:
    return next(s for s in manifest["slides"] if s["key"] == key)


# -- what it records ---------------------------------------------------------------------------


def test_every_slide_of_the_deck_is_listed_in_order(
    plan: pipeline.Plan, manifest: dict[str, Any]
) -> None:
    listed = [(s["number"], s["key"], s["title"]) for s in manifest["slides"]]
    planned = [(n, s.key, s.title) for n, s in enumerate(plan.deck.slides, start=1)]
    assert listed == planned
    assert manifest["deck"]["workbook"] == "wmp2020.xlsx"
    assert manifest["deck"]["data_date"] == plan.model.about.data_as_of.isoformat()


def test_a_figure_sourced_from_one_cell_is_the_value_that_cell_holds(
    manifest: dict[str, Any], book: Any
) -> None:
    checked = 0
    for entry in manifest["slides"]:
        for figure in entry["figures"]:
            match = CELL_SOURCE.match(figure["source"])
            if match is None or not isinstance(figure["value"], int | float):
                continue
            held = book[match["sheet"]][match["cell"]].value
            assert held == pytest.approx(figure["value"]), (entry["key"], figure)
            checked += 1
    assert checked > 50


def test_every_chart_value_names_its_cell_and_shows_what_the_cell_holds(
    manifest: dict[str, Any], book: Any
) -> None:
    yearly = slide(manifest, "yearly")["charts"][0]
    investment = next(s for s in yearly["series"] if s["name"] == "Investment")
    assert [p["category"] for p in investment["points"]] == yearly["categories"]
    for point in investment["points"]:
        match = CELL_SOURCE.match(point["source"])
        assert match is not None, point
        assert book[match["sheet"]][match["cell"]].value == pytest.approx(point["value"])
        assert point["text"] == f"£{point['value']:,.0f}m"
        assert point["basis"] in ("Actual", "Forecast")
        row = int(re.sub(r"^[A-Z]+", "", match["cell"]))
        assert book[match["sheet"]][f"A{row}"].value == point["category"]


def test_every_table_cell_is_recorded_by_row_and_column(manifest: dict[str, Any]) -> None:
    table = slide(manifest, "fte-table")["tables"][0]
    assert table["columns"] == ["Project", "FTE", "Status"]
    ts1 = next(row for row in table["rows"] if row["label"] == "TS1")
    fte = next(cell for cell in ts1["cells"] if cell["column"] == "FTE")
    assert fte["text"] == "332" and fte["source"] == "FTE by Project!B4"


def test_the_data_digest_follows_the_figures_not_the_file(plan: pipeline.Plan) -> None:
    model = plan.model
    assert data_digest(replace(model, path="elsewhere/other.xlsx")) == data_digest(model)
    first = model.projects[0]
    changed = replace(model, projects=(replace(first, fte=first.fte + 1), *model.projects[1:]))
    assert data_digest(changed) != data_digest(model)


# -- on disk -----------------------------------------------------------------------------------


def test_a_manifest_written_and_read_back_is_the_same(
    manifest: dict[str, Any], tmp_path: Path
) -> None:
    path = manifest_path(tmp_path / "wmp2020.pptx")
    assert path.name == "wmp2020.manifest.json"
    encoded = dumps(manifest)
    path.write_bytes(encoded)
    assert load_manifest(path) == manifest
    assert json.loads(encoded) == manifest
    # A record a line, so that a diff of two manifests lists what changed.
    line = next(line for line in encoded.decode().splitlines() if '"Finance by Year!B5"' in line)
    assert json.loads(line.strip().rstrip(","))["source"] == "Finance by Year!B5"


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda m: m.update(format=99), "not a deckgen manifest"),
        (lambda m: m.pop("deck"), "no 'deck' section"),
        (lambda m: m["slides"][5]["figures"][0].pop("source"), "figure 1 of slide entry 6"),
        (lambda m: m["slides"][8]["charts"][0].update(series="x"), "slide entry 9"),
    ],
)
def test_a_damaged_manifest_is_one_line_naming_what_is_wrong(
    manifest: dict[str, Any], tmp_path: Path, damage: Any, said: str
) -> None:
    data = json.loads(dumps(manifest))
    damage(data)
    path = tmp_path / "damaged.manifest.json"
    path.write_bytes(dumps(data))
    with pytest.raises(DeckgenError) as caught:
        load_manifest(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and said in message and "\n" not in message


def test_a_missing_or_unreadable_manifest_says_so(tmp_path: Path) -> None:
    with pytest.raises(DeckgenError, match="no manifest here; build the deck first"):
        load_manifest(tmp_path / "none.manifest.json")
    broken = tmp_path / "broken.manifest.json"
    broken.write_text("{ not json")
    with pytest.raises(DeckgenError, match="not a readable deckgen manifest"):
        load_manifest(broken)


# -- explain -----------------------------------------------------------------------------------


def test_explain_traces_a_figure_to_its_derivation_and_cells(manifest: dict[str, Any]) -> None:
    (answer,) = explain(manifest, "£1.15")
    assert answer.startswith("£1.15 on slide 6 (roi) is the benefits generated for every £1")
    derivation = "total benefits / total investment"
    assert f"{derivation} (Finance by Year!B5:B14, Finance by Year!C5:C14)" in answer
    assert answer.endswith("in wmp2020.xlsx.")
    assert explain(manifest, "1.15") == [answer]  # as people type it


def test_explain_finds_a_chart_value_with_its_series_category_and_cell(
    manifest: dict[str, Any],
) -> None:
    (answer,) = explain(manifest, "£30m")
    assert "chart “WMP2020 yearly investment vs. benefits”" in answer
    assert "series Investment, category FY15/16 (Actual): Finance by Year!B5" in answer


def test_explain_finds_a_value_shown_both_as_a_figure_and_in_a_table(
    manifest: dict[str, Any],
) -> None:
    answers = explain(manifest, "400")
    assert any(a.startswith("c.400 on slide 10 (officer-loss)") for a in answers)
    assert any(
        "table “Officer productivity / FTE savings”: row Achieved to date" in a for a in answers
    )


def test_explain_says_what_a_category_a_row_and_a_slide_hold(manifest: dict[str, Any]) -> None:
    category = explain(manifest, "FY16/17")
    assert any("Investment £50m (Finance by Year!B6)" in a for a in category)
    row = explain(manifest, "TS1")
    assert any("row of the table" in a and "FTE 332 (FTE by Project!B4)" in a for a in row)
    by_key, by_number = explain(manifest, "yearly"), explain(manifest, "9")
    assert by_key == by_number and by_key[0].startswith("slide 9 (yearly): ")
    assert any("£120m: highest yearly investment (Finance by Year!B8)" in a for a in by_key)


def test_explain_refuses_what_the_deck_does_not_show(manifest: dict[str, Any]) -> None:
    with pytest.raises(DeckgenError, match="neither a figure shown in the deck nor a slide"):
        explain(manifest, "£999,999m")
