"""The quarter's history and its change report: kept across rebuilds, read with `deckgen changes`,
written in the words a reviewer reads; and `deckgen explain` for charts and tables."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_WORKBOOK, Source, row_of, sheet
from tests.conftest import build_cli as build
from tests.conftest import run_cli as run

MakeWorkbook = Callable[..., Path]


def next_quarter(source: Source) -> None:
    """The sample as it might read three months on: new dates, FY19/20 now actual at £108m,
    more FTE achieved, a new project, a renamed figure."""
    about = sheet(source, "About")["rows"]
    for row in about:
        if row[0] == "Data as of":
            row[1] = "2019-10-31"
        if row[0] == "Last updated":
            row[1] = "2019-11-04"
    year = row_of(source, "Finance by Year", "FY19/20")
    year[1], year[3] = 108, "Actual"
    row_of(source, "FTE by Project", "WMP2020 - Smarter Responding")[2] = "Achieved"
    fte = sheet(source, "FTE by Project")
    fte["rows"].append(["WMP2020 - Drones", 12.0, "Forecast"])
    fte["total"] = None
    sheet(source, "Finance by Year")["total"] = None


@pytest.fixture
def two_quarters(source: Source, make_workbook: MakeWorkbook, tmp_path: Path) -> Path:
    """A deck built from the sample, then from next quarter's workbook, into one folder."""
    out = tmp_path / "wmp2020.pptx"
    assert build(SAMPLE_WORKBOOK, out)[0] == 0
    next_quarter(source)
    code, text = build(make_workbook(source, "wmp2020.xlsx"), out)
    assert code == 0, text
    return out


def test_each_build_is_kept_in_a_history_named_by_its_data_date(two_quarters: Path) -> None:
    history = two_quarters.with_name("wmp2020.history")
    assert sorted(p.name for p in history.iterdir()) == [
        ".deckgen.json",  # the files deckgen wrote there: it touches no other
        "2019-07-31.manifest.json",
        "2019-10-31.manifest.json",
        "index.json",
    ]
    beside = two_quarters.with_name("wmp2020.manifest.json").read_bytes()
    assert (history / "2019-10-31.manifest.json").read_bytes() == beside
    index = json.loads((history / "index.json").read_text())
    assert [b["name"] for b in index["builds"]] == ["2019-07-31", "2019-10-31"]


def test_the_change_report_says_what_changed_in_words(two_quarters: Path) -> None:
    report = two_quarters.with_name("wmp2020.changes.md").read_text()
    assert "| Data as of | 31 October 2019 | 31 July 2019 |" in report
    assert "| Build date | 4 November 2019 | 31 July 2019 |" in report
    assert "Compared with wmp2020.history/2019-07-31.manifest.json." in report
    # A chart value by chart, series and category, with its basis.
    assert (
        "- WMP2020 yearly investment vs. benefits — Investment, FY19/20: £115m → £108m; "
        "Forecast → Actual"
    ) in report
    # A figure by the label a reader sees, never by its reference.
    assert "- “FTE achieved to date”: c.400 → c.430" in report
    assert "metrics.fte_achieved" not in report and "{" not in report
    # A row added to a table, and a table cell changed.
    assert "row added: WMP2020 - Drones (FTE 12, Status Forecast)" in report
    assert "WMP2020 - Smarter Responding, Status: Forecasted → Achieved" in report
    # Each slide by its number and title.
    assert re.search(r"^## Slide 9 \(yearly\): Yearly investment peaked at", report, re.M)


def test_rebuilding_with_the_same_data_or_split_keeps_the_quarters_report(
    two_quarters: Path, tmp_path: Path
) -> None:
    report = two_quarters.with_name("wmp2020.changes.md").read_text()
    workbook = tmp_path / "wmp2020.xlsx"
    code, text = build(workbook, two_quarters, "--split")
    assert code == 0, text
    assert "changes against the build of data as of 31 July 2019" in text
    assert two_quarters.with_name("wmp2020.changes.md").read_text() == report
    history = two_quarters.with_name("wmp2020.history")
    assert len(list(history.glob("*.manifest.json"))) == 2  # the same data: its entry, replaced


def test_deckgen_changes_prints_the_report_against_any_earlier_build(two_quarters: Path) -> None:
    code, text = run("changes", str(two_quarters))
    assert code == 0, text
    assert text.rstrip() == two_quarters.with_name("wmp2020.changes.md").read_text().rstrip()
    code, text = run("changes", str(two_quarters), "--since", "2019-10-31")
    assert code == 0 and "Nothing changed" in text
    code, text = run("changes", str(two_quarters), "--since", "31 July 2019")
    assert code == 0 and "£115m → £108m" in text
    old = two_quarters.with_name("wmp2020.history") / "2019-07-31.manifest.json"
    code, text = run("changes", str(two_quarters), "--since", str(old))
    assert code == 0 and f"Compared with {old}." in text
    code, text = run("changes", str(two_quarters), "--since", "2018-01-31")
    assert code == 2
    assert "no build of 2018-01-31 in the history (builds kept: 2019-07-31, 2019-10-31)" in text


def test_changes_before_any_other_build_says_there_is_nothing_to_compare(tmp_path: Path) -> None:
    out = tmp_path / "deck.pptx"
    assert build(SAMPLE_WORKBOOK, out)[0] == 0
    assert not (tmp_path / "deck.changes.md").exists()
    code, text = run("changes", str(out))
    assert code == 0 and "no earlier build of other data" in text
    code, text = run("changes", str(tmp_path / "none.pptx"))
    assert code == 2 and "no manifest here; build the deck first" in text


def test_a_figure_fixed_within_the_quarter_is_a_build_of_its_own(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    out = tmp_path / "deck.pptx"
    assert build(SAMPLE_WORKBOOK, out)[0] == 0
    devices = next(r for r in sheet(source, "Figures")["rows"] if r[1] == "devices")
    devices[3] = 6200
    fixed = make_workbook(source)
    assert build(fixed, out)[0] == 0
    assert build(fixed, out)[0] == 0  # again: the same data, the same entry
    names = sorted(p.name for p in (tmp_path / "deck.history").glob("*.manifest.json"))
    assert names == ["2019-07-31-2.manifest.json", "2019-07-31.manifest.json"]
    assert "over 5,000 → over 6,200" in (tmp_path / "deck.changes.md").read_text()
    # Back to the first data: its entry is the latest now, and the fix is what changed.
    assert build(SAMPLE_WORKBOOK, out)[0] == 0
    assert "over 6,200 → over 5,000" in (tmp_path / "deck.changes.md").read_text()


def test_a_build_of_chosen_slides_is_compared_but_not_kept(tmp_path: Path) -> None:
    out = tmp_path / "deck.pptx"
    assert build(SAMPLE_WORKBOOK, out)[0] == 0
    assert build(SAMPLE_WORKBOOK, out, "--slides", "roi")[0] == 0
    history = tmp_path / "deck.history"
    kept = json.loads((history / "2019-07-31.manifest.json").read_text())
    assert len(kept["slides"]) == 32


def test_a_manifest_from_before_the_history_is_its_first_entry(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    out = tmp_path / "deck.pptx"
    assert build(SAMPLE_WORKBOOK, out)[0] == 0
    for path in (tmp_path / "deck.history").iterdir():
        path.unlink()
    (tmp_path / "deck.history").rmdir()
    next_quarter(source)
    assert build(make_workbook(source), out)[0] == 0
    assert "£115m → £108m" in (tmp_path / "deck.changes.md").read_text()
    names = sorted(p.name for p in (tmp_path / "deck.history").glob("*.manifest.json"))
    assert names == ["2019-07-31.manifest.json", "2019-10-31.manifest.json"]


# -- explain, for charts and tables -----------------------------------------------------------


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("explain") / "wmp2020.pptx"
    assert build(SAMPLE_WORKBOOK, out)[0] == 0
    return str(out.with_name("wmp2020.manifest.json"))


def test_explain_a_chart_value(manifest: str) -> None:
    code, text = run("explain", "115", "--manifest", manifest)
    assert code == 0, text
    assert text.strip() == (
        "£115m on slide 9 (yearly) is in the chart “WMP2020 yearly investment vs. benefits”: "
        "series Investment, category FY19/20 (Forecast): Finance by Year!B9, in wmp2020.xlsx."
    )


def test_explain_a_category_lists_its_values_and_cells(manifest: str) -> None:
    code, text = run("explain", "FY19/20", "--manifest", manifest)
    assert code == 0, text
    assert (
        "FY19/20 is a category of the chart “WMP2020 yearly investment vs. benefits” on slide 9 "
        "(yearly): Investment £115m (Finance by Year!B9); Benefits £119m (Finance by Year!C9); "
        "Cumulative net benefit -£85m (cumulative benefits less investment to FY19/20 "
        "(Finance by Year!C5:C9, Finance by Year!B5:B9)), in wmp2020.xlsx."
    ) in text


def test_explain_a_negative_table_cell_without_dashes(manifest: str) -> None:
    code, text = run("explain", "-87", "--manifest", manifest)
    assert code == 0, text
    assert (
        "-87.0 on slide 31 (portfolio-table) is in the table “Portfolio investments and benefits "
        "summary”: row Closed, column Non Cashable Benefits: Portfolio!D5, in wmp2020.xlsx."
    ) in text
    code, text = run("explain", "-128.8", "--manifest", manifest)
    assert (
        code == 0 and "row Closed, column Total: row total recomputed from the line items" in text
    )


def test_explain_answers_in_words_never_in_braces(manifest: str) -> None:
    for query in ("TS1", "£1.15", "32 FTE", "24%", "54%", "1,020", "-87"):
        code, text = run("explain", query, "--manifest", manifest)
        assert code == 0, (query, text)
        assert "{" not in text and "}" not in text, (query, text)
    code, text = run("explain", "32 FTE", "--manifest", manifest)
    assert (
        "the sum of the FTE of project Mobility - PNC on the FTE by Project sheet and the FTE "
        "of project Mobility - Stop & Search"
    ) in text
