"""Every shape deckgen writes that carries data carries its id, in three carriers, tied to the
manifest: slide, role and the figures it shows."""

from __future__ import annotations

import copy
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pptx import Presentation
from pptx.util import Emu

from deckgen import identity
from deckgen.identity import Record
from deckgen.refresh.find import scan
from deckgen.refresh.package import Package
from deckgen.sample.writer import load_source, write_sample
from tests.conftest import DECK, TEMPLATE, row_of
from tests.conftest import run_cli as run
from tests.ooxml import validate_package

P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SLIDES = "cover,context,roi,yearly,fte-table"
ROLES = {"title", "subtitle", "text", "chart", "table", "notes", "footer"}


def build(workbook: Path, out: Path, *extra: str) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    args = [
        "build",
        str(workbook),
        "-o",
        str(out),
        "--template",
        str(TEMPLATE),
        "--deck",
        str(DECK),
    ]
    code, text = run(*args, "--slides", SLIDES, *extra)
    assert code == 0, text
    return out


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("identity")
    return build(
        write_sample(folder / "book.xlsx", load_source()), folder / "wmp2020.pptx", "--split"
    )


def marked(path: Path) -> dict[str, Any]:
    """uid -> what refresh finds of that shape in the deck."""
    with Package(path) as package:
        return {f.uid: f for slide in scan(package) for f in slide.found}


def test_every_data_shape_carries_its_id_three_ways(deck: Path) -> None:
    """A shape showing a figure of its slide (as the manifest lists them) is marked: by name,
    by extension and, for shapes (titles, dates and notes ride on the slide's tag), by tag."""
    manifest = json.loads(deck.with_name("wmp2020.manifest.json").read_text())
    key = manifest["shapes"]["deck"]
    seen: Counter[str] = Counter()
    for slide, listed in zip(Presentation(str(deck)).slides, manifest["slides"], strict=True):
        figures = {
            f["text"]
            for f in listed["figures"]
            if f["unit"] not in ("text", "slide") and len(f["text"]) > 2
        }
        for shape in slide.shapes:
            shown = _shown(shape)
            mark = identity.name_mark(shape.name)
            if mark is None:
                assert not any(f in shown for f in figures), (listed["key"], shape.name, shown)
                continue
            uid = mark[1]
            seen[uid] += 1
            c_nv_pr = shape._element.find(f"./*/{{{P}}}cNvPr")
            ext = c_nv_pr.find(f"{{{A}}}extLst/{{{A}}}ext[@uri='{identity.EXT_URI}']")
            assert ext is not None and ext[0].get("id") == uid and ext[0].get("deck") == key
            if uid.rpartition("/")[2] in ("title", "subtitle", "footer"):
                continue
            tags = shape._element.find(f"./*/{{{P}}}nvPr/{{{P}}}custDataLst/{{{P}}}tags")
            part = slide.part.rels[tags.get(f"{{{R}}}id")].target_part
            tag = etree.fromstring(part.blob).find(f"{{{P}}}tag")
            assert tag.get("name") == identity.TAG_NAME
            payload = identity.read_payload(tag.get("val"))
            assert isinstance(payload, tuple) and payload == (key, payload[1])
            assert payload[1].uid == uid
    assert seen and max(seen.values()) == 1, seen
    assert validate_package(deck, only=("ppt/tags/", "ppt/slides/", "[Content_Types]")) == []


def _shown(shape: Any) -> str:
    if shape.is_placeholder and shape.placeholder_format.type in (13, 15):  # number, footer
        return ""
    if shape.has_text_frame:
        return str(shape.text_frame.text)
    if shape.has_table:
        return " ".join(c.text for row in shape.table.rows for c in row.cells)
    if shape.has_chart:
        return " ".join(str(c) for c in shape.chart.plots[0].categories)
    return ""


def test_the_manifest_lists_every_marked_shape_with_its_figures(deck: Path) -> None:
    manifest = json.loads(deck.with_name("wmp2020.manifest.json").read_text())
    records = {r["id"]: Record.from_json(r) for r in manifest["shapes"]["records"]}
    assert manifest["shapes"]["deck"] == "wmp2020|West Midlands Police"
    found = marked(deck)
    assert set(found) == set(records)
    assert {r.role for r in records.values()} == ROLES
    for record in records.values():
        for mark in record.marks:
            shown = record.paragraphs[mark.paragraph][mark.start : mark.end]
            assert shown == mark.text, (record.uid, mark)
    roi = records["roi/title"]
    assert [(m.text, m.reference) for m in roi.marks] == [
        ("£1.15", "metrics.return_per_pound"),
        ("FY24/25", "metrics.horizon_year"),
    ]
    # What the deck's tags hold is what the manifest says (the tags add render-time facts).
    for uid, item in found.items():
        assert item.record is not None and item.record.shows_same(records[uid]), uid


def test_ids_stay_the_same_when_the_data_changes(deck: Path, tmp_path: Path) -> None:
    source = copy.deepcopy(load_source())
    row_of(source, "Finance by Year", "FY19/20")[1] = 108
    row_of(source, "FTE by Project", "TS1")[1] = 340.0
    again = build(write_sample(tmp_path / "book.xlsx", source), tmp_path / "wmp2020.pptx")
    assert set(marked(again)) == set(marked(deck))


def test_each_per_slide_deck_carries_the_ids_of_its_slide(deck: Path) -> None:
    whole = marked(deck)
    for piece in sorted(deck.with_suffix("").glob("*.pptx")):
        found = marked(piece)
        key = piece.stem.split("-", 1)[1]
        assert found and {identity.uid_slide(uid) for uid in found} == {key}
        for uid, item in found.items():
            alone, there = item.record, whole[uid].record
            assert alone is not None and there is not None

            # The same figures, cells and chart data; the words differ only where a slide
            # points at another ("see slide 9" names that slide's title in a deck of its own).
            def shown(marks: tuple[identity.Mark, ...]) -> list[tuple[int, str, str]]:
                return [(m.paragraph, m.text, m.reference) for m in marks]

            assert (alone.rows, alone.chart) == (there.rows, there.chart), uid
            if alone.paragraphs == there.paragraphs:
                assert shown(alone.marks) == shown(there.marks), uid
            else:  # the other slide's title brings its own figures along
                assert any("slide " in p for p in there.paragraphs), uid
                rest = iter(shown(alone.marks))
                assert all(mark in rest for mark in shown(there.marks)), uid


def test_findings_name_shapes_as_the_user_knows_them(deck: Path, tmp_path: Path) -> None:
    prs = Presentation(str(deck))
    roi = prs.slides[2]
    box = next(s for s in roi.shapes if identity.unmarked_name(s.name) == "Key figure 1")
    box.width = Emu(box.width // 6)
    squeezed = tmp_path / "squeezed.pptx"
    prs.save(str(squeezed))
    code, output = run("check", str(squeezed))
    assert code == 1
    assert "'Key figure 1'" in output and "[deckgen:" not in output
