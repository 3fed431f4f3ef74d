"""Reuse and trust: slide selection, single-slide decks, byte-identical builds, the manifest,
change reports, batches and new projects."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from pptx import Presentation

from tests.conftest import DECK, SAMPLE_WORKBOOK, TEMPLATE, Source, row_of, sheet
from tests.conftest import build_cli as build
from tests.conftest import run_cli as run
from tests.deckfile import DeckView, chart_values

MakeWorkbook = Callable[..., Path]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deck") / "wmp2020.pptx"
    code, text = build(SAMPLE_WORKBOOK, out)
    assert code == 0, text
    return out


# -- choosing slides ------------------------------------------------------------------------------


def test_list_shows_number_id_kind_and_title() -> None:
    code, text = run("list", str(SAMPLE_WORKBOOK), "--template", str(TEMPLATE), "--deck", str(DECK))
    assert code == 0
    lines = text.splitlines()
    assert re.match(r"\s+1\s+cover\s+cover\s+What is WMP2020", lines[0])
    assert any(re.match(r"\s+6\s+roi\s+big-number\s+Every £1 spent", line) for line in lines)
    ids = [line.split()[1] for line in lines]
    assert ids == [s["id"] for s in yaml.safe_load(DECK.read_text())["slides"]]


def test_build_only_the_named_slides(tmp_path: Path) -> None:
    out = tmp_path / "two.pptx"
    code, text = build(SAMPLE_WORKBOOK, out, "--slides", "roi,mobility")
    assert code == 0, text
    titles = [s.title for s in DeckView(out).slides]
    assert titles == [
        "Every £1 spent on WMP2020 is projected to generate £1.15 of benefits by FY24/25",
        "Spotlight on mobility devices and apps",
    ]


def test_a_chosen_contents_slide_lists_only_the_chosen_slides(tmp_path: Path) -> None:
    out = tmp_path / "part.pptx"
    code, text = build(SAMPLE_WORKBOOK, out, "--slides", "contents,headlines,roi,yearly")
    assert code == 0, text
    deck = DeckView(out)
    contents = deck.titled("Contents").text
    assert "Headline statements and financial benefits\t2" in contents
    assert "Return on investment to FY24/25\t3" in contents
    assert "Spotlight" not in contents and "Mobility" not in contents


def test_an_unknown_slide_id_lists_the_valid_ones(tmp_path: Path) -> None:
    code, text = build(SAMPLE_WORKBOOK, tmp_path / "x.pptx", "--slides", "roi,drones")
    assert code == 2
    assert "no slide 'drones'" in text and "(slides: cover, contents, how-to-use," in text
    assert not (tmp_path / "x.pptx").exists()


def test_split_writes_every_slide_as_a_deck_that_opens_alone(tmp_path: Path) -> None:
    out = tmp_path / "wmp2020.pptx"
    code, text = build(SAMPLE_WORKBOOK, out, "--split")
    assert code == 0, text
    folder = tmp_path / "wmp2020"
    pieces = sorted(folder.glob("*.pptx"))
    full = DeckView(out)
    assert len(pieces) == len(full.slides)
    assert pieces[0].name == "01-cover.pptx" and pieces[8].name == "09-yearly.pptx"
    yearly = DeckView(folder / "09-yearly.pptx")
    assert len(yearly.slides) == 1
    assert [m.name for m in yearly.prs.slide_layouts] == ["Cover", "Section", "Title Only", "Blank"]
    chart = yearly.slides[0].charts()[0]
    assert chart_values(chart)["Investment"][:4] == [30, 50, 66, 120]
    with zipfile.ZipFile(folder / "09-yearly.pptx") as archive:
        assert any(n.startswith("ppt/embeddings/") for n in archive.namelist())
    assert "Sources of the figures on this slide:" in yearly.slides[0].notes
    footer = [p.text_frame.text for p in yearly.slides[0].slide.placeholders]
    assert "OFFICIAL - not for public distribution" in footer


# -- the same bytes, build after build -----------------------------------------------------------


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "deck.pptx", tmp_path / "b" / "deck.pptx"
    first.parent.mkdir()
    second.parent.mkdir()
    assert build(SAMPLE_WORKBOOK, first, "--split")[0] == 0
    assert build(SAMPLE_WORKBOOK, second, "--split")[0] == 0
    assert first.read_bytes() == second.read_bytes()
    assert (first.parent / "deck.manifest.json").read_bytes() == (
        second.parent / "deck.manifest.json"
    ).read_bytes()
    for piece in (first.parent / "deck").iterdir():
        assert piece.read_bytes() == (second.parent / "deck" / piece.name).read_bytes()


def _build_in_subprocess(out: Path, env: dict[str, str]) -> bytes:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "deckgen",
            "build",
            str(SAMPLE_WORKBOOK),
            "-o",
            str(out),
            "--template",
            str(TEMPLATE),
            "--deck",
            str(DECK),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, **env},
    )
    return out.read_bytes()


def test_builds_are_identical_across_time_zones(tmp_path: Path) -> None:
    london = _build_in_subprocess(tmp_path / "london.pptx", {"TZ": "Europe/London"})
    tokyo = _build_in_subprocess(tmp_path / "tokyo.pptx", {"TZ": "Asia/Tokyo"})
    assert london == tokyo


def test_core_properties_come_from_the_workbook_or_source_date_epoch(tmp_path: Path) -> None:
    out = tmp_path / "deck.pptx"
    assert build(SAMPLE_WORKBOOK, out)[0] == 0
    props = Presentation(str(out)).core_properties
    assert props.created.replace(tzinfo=UTC) == datetime(2019, 7, 31, tzinfo=UTC)
    assert props.author == "West Midlands Police"
    assert props.title == "What is WMP2020 and the Accenture partnership achieving for the public?"
    epoch = 1_700_000_000
    pinned = _build_in_subprocess(tmp_path / "e1.pptx", {"SOURCE_DATE_EPOCH": str(epoch)})
    again = _build_in_subprocess(tmp_path / "e2.pptx", {"SOURCE_DATE_EPOCH": str(epoch)})
    assert pinned == again
    props = Presentation(str(tmp_path / "e1.pptx")).core_properties
    assert props.created.replace(tzinfo=UTC) == datetime.fromtimestamp(epoch, tz=UTC)


# -- provenance --------------------------------------------------------------------------------


def test_manifest_names_a_cell_or_derivation_for_every_figure(built: Path) -> None:
    manifest = json.loads(built.with_name("wmp2020.manifest.json").read_text())
    names = {n.casefold() for n in yaml.safe_load(DECK.read_text())["names"]}
    deck = DeckView(built)
    assert len(manifest["slides"]) == len(deck.slides)
    for view, entry in zip(deck.slides, manifest["slides"], strict=True):
        assert entry["title"] == view.title
        cells = [c for t in entry["tables"] for r in t["rows"] for c in r["cells"]]
        points = [p for c in entry["charts"] for s in c["series"] for p in s["points"]]
        shown = " ".join(f["text"] for f in [*entry["figures"], *cells])
        for figure in [*entry["figures"], *cells, *points]:
            assert figure.get("source") or figure["text"] in ("", "Total", "Total £m"), (
                view.number,
                figure,
            )
        text = (
            "\n".join(
                s.text_frame.text
                for s in view.slide.shapes
                if s.has_text_frame and s.name != "Source" and not s.is_placeholder
            )
            + "\n"
            + view.title
        )
        for table in view.tables():
            text += "\n" + "\n".join(c.text for row in table.rows for c in row.cells)
        for word in re.findall(r"[\w£$%.,/+&-]*\d[\w£$%.,/+&-]*", text):
            token = word.strip(".,;:()")
            parts = [p for p in re.split(r"[-–]", token) if any(c.isdigit() for c in p)]
            if all(p.casefold() in names or re.fullmatch(r"(19|20)\d\d(/\d\d)?", p) for p in parts):
                continue
            assert token in shown, f"slide {view.number}: {token!r} is not in the manifest"


def test_explain_says_where_a_figure_comes_from(built: Path) -> None:
    manifest = str(built.with_name("wmp2020.manifest.json"))
    code, text = run("explain", "£1.15", "--manifest", manifest)
    assert code == 0
    assert text.startswith(
        "£1.15 on slide 6 (roi) is the benefits generated for every £1 invested: total benefits / "
        "total investment (Finance by Year!B5:B14, Finance by Year!C5:C14)"
    )
    code, text = run("explain", "mobility", "--manifest", manifest)
    assert code == 0 and "over 5,000: Figures!D21; WMP2020 benefits report" in text
    code, text = run("explain", "£9.99", "--manifest", manifest)
    assert code == 2 and "neither a figure shown in the deck nor a slide" in text


def test_a_changed_workbook_gets_a_change_report_of_exactly_what_changed(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    out = tmp_path / "deck.pptx"
    assert build(SAMPLE_WORKBOOK, out)[0] == 0
    assert not (tmp_path / "deck.changes.md").exists()
    devices = next(r for r in sheet(source, "Figures")["rows"] if r[1] == "devices")
    devices[3] = 6200
    code, text = build(make_workbook(source), out)
    assert code == 0, text
    assert (
        "changes against the build of data as of 31 July 2019: 0 slides added, 0 removed, "
        "1 figure changed (see "
    ) in text
    report = (tmp_path / "deck.changes.md").read_text()
    changed = [line for line in report.splitlines() if line.startswith(("## ", "- "))]
    assert changed == [
        "## Slide 15 (mobility): Spotlight on mobility devices and apps",
        "- “Mobile devices deployed”: over 5,000 → over 6,200 (and 1 more place on this slide)",
    ]


def test_a_report_lists_slides_added(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    out = tmp_path / "deck.pptx"
    assert build(SAMPLE_WORKBOOK, out)[0] == 0
    fte = sheet(source, "FTE by Project")
    fte["rows"] += [[f"Extra project {n}", 1.0, "Forecast"] for n in range(20)]
    fte["total"][1] = None
    code, text = build(make_workbook(source), out)
    assert code == 0, text
    report = (tmp_path / "deck.changes.md").read_text()
    assert "## Slides added" in report and "(fte-table-2)" in report
    assert (
        "- “WMP2020 is mitigating officer loss with efficiency savings equal to the capacity of "
        "c.1,040 officers”: c.1,020 → c.1,040 (and 2 more places on this slide)"
    ) in report
    assert "Added: 1,040" not in report  # the (cont.) slide's title repeats it: not a new figure
    assert (
        "- Officer productivity / FTE savings — row added: Extra project 0 (FTE 1, Status Forecast)"
    ) in report


# -- batches and new projects ------------------------------------------------------------------


def test_a_batch_builds_the_good_workbooks_and_reports_the_broken_one(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = make_workbook(source, "north.xlsx")
    other = make_workbook(source, "south.xlsx")
    row_of(source, "Portfolio", "NGES")[4] = "n/a"
    broken = make_workbook(source, "broken.xlsx")
    monkeypatch.chdir(tmp_path)
    code, text = run(
        "build",
        str(good),
        str(broken),
        str(other),
        "-j",
        "2",
        "--template",
        str(TEMPLATE),
        "--deck",
        str(DECK),
    )
    assert code == 2
    lines = text.splitlines()
    assert lines[0].startswith("output/north.pptx: 32 slides, 0 warnings, built in ")
    assert lines[1] == f"error: {broken}: not valid (1 errors); nothing was built"
    assert "ERROR Portfolio!E11" in lines[2]
    assert lines[3].startswith("output/south.pptx: 32 slides")
    assert lines[-1] == "1 of 3 workbooks failed"
    assert (tmp_path / "output" / "north.pptx").exists()
    assert (tmp_path / "output" / "south.pptx").exists()
    assert not (tmp_path / "output" / "broken.pptx").exists()


def test_init_starts_a_project_that_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "my-deck"
    code, text = run("init", str(folder))
    assert code == 0, text
    assert (folder / "inputs" / "wmp2020.xlsx").read_bytes() == SAMPLE_WORKBOOK.read_bytes()
    assert (folder / "layouts" / "wmp2020.yaml").read_text() == DECK.read_text()
    assert "deckgen build" in (folder / "README.md").read_text()
    monkeypatch.chdir(folder)
    code, text = run("build")
    assert code == 0, text
    assert (folder / "output" / "wmp2020.pptx").exists()
    code, text = run("init", str(folder))
    assert code == 2 and "already exists and is not empty" in text
