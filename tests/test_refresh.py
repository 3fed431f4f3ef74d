"""`deckgen refresh`: slides reused in another talk are brought up to date where they live.

The talk is assembled as PowerPoint's Reuse Slides assembles one (tests/talk.py): slides of the
per-slide decks of a build copied, parts and relationship ids renumbered, into a deck of another
template and slide size, among slides of its own. It is then edited by hand, the workbook
changes, the deck is built again, and the talk is refreshed from it.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from lxml import etree
from pptx import Presentation

from deckgen import identity
from deckgen.checks import check_deck
from deckgen.refresh.splice import EditablePart, _spans
from deckgen.sample.writer import load_source, write_sample
from tests.conftest import DECK, TEMPLATE
from tests.conftest import run_cli as run
from tests.ooxml import validate_package
from tests.talk import (
    NEW_PROJECT,
    PRESENTER_LINE,
    RED,
    Talk,
    assemble,
    changed,
    shape,
)

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
SLIDES = "roi,yearly,fte-table"


def build(workbook: Path, out: Path, *extra: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    args = ["build", str(workbook), "-o", str(out), "--template", str(TEMPLATE)]
    code, text = run(*args, "--deck", str(extra[0]) if extra else str(DECK), *extra[1:])
    assert code == 0, text


@dataclass(frozen=True)
class Decks:
    old: Path  # the deck the talk's slides came from, with its per-slide decks
    new: Path  # the deck built from the changed workbook, with its manifest


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> Decks:
    folder = tmp_path_factory.mktemp("decks")
    source = load_source()
    old = folder / "q1" / "wmp2020.pptx"
    new = folder / "q2" / "wmp2020.pptx"
    build(write_sample(folder / "q1.xlsx", source), old, str(DECK), "--slides", SLIDES, "--split")
    build(write_sample(folder / "q2.xlsx", changed(source)), new, str(DECK), "--slides", SLIDES)
    return Decks(old, new)


@pytest.fixture
def talk(decks: Decks, tmp_path: Path) -> Path:
    return assemble(decks.old, tmp_path)


def refresh(talk: Path, deck: Path, *extra: str) -> tuple[int, str]:
    return run("refresh", str(talk), "--from", str(deck), *extra)


def slide_xml(path: Path, number: int) -> Any:
    return etree.fromstring(member(path, Talk(path).slides()[number - 1]))


def member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def texts(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(f"{{{A}}}t"))


# -- text ---------------------------------------------------------------------------------


def test_figures_are_replaced_inside_their_runs(decks: Decks, talk: Path, tmp_path: Path) -> None:
    out = tmp_path / "refreshed.pptx"
    code, output = refresh(talk, decks.new, "-o", str(out))
    assert code == 1, output  # the rewritten figure is a conflict
    before, after = slide_xml(talk, 3), slide_xml(out, 3)
    # The net benefit: a new figure inside the very run the presenter wrote "(audited)" into.
    # (The box is named after its heading, which names the years: its name followed the data.)
    summary = shape(after, "Return on investment FY15/16 to FY25/26")
    run = next(r for r in summary.iter(f"{{{A}}}r") if "(audited)" in texts(r))
    assert texts(run) == "£205m (audited)"
    old_run = next(
        r
        for r in shape(before, "Return on investment FY15/16 to FY24/25").iter(f"{{{A}}}r")
        if "(audited)" in texts(r)
    )
    assert etree.tostring(run.find(f"{{{A}}}rPr")) == etree.tostring(old_run.find(f"{{{A}}}rPr"))
    # A data-chosen word too: the horizon year is now FY25/26.
    assert "FY15/16 to FY25/26" in texts(shape(after, "Headline figure"))
    # The recoloured title keeps its colour and shows the new return.
    title = shape(after, "Title 1")
    assert "£1.25 of benefits by FY25/26" in texts(title)
    assert title.find(f".//{{{A}}}srgbClr").get("val") == RED


def test_a_figure_rewritten_by_hand_is_left_and_listed(
    decks: Decks, talk: Path, tmp_path: Path
) -> None:
    out = tmp_path / "refreshed.pptx"
    code, output = refresh(talk, decks.new, "-o", str(out))
    assert code == 1
    assert texts(shape(slide_xml(out, 3), "Key figure 1")).startswith("£780m")
    conflicts = [line.strip() for line in output.splitlines() if line.startswith("  slide")]
    assert conflicts == [
        "slide 3, 'Key figure 1': £778m → £811m: rewritten by hand (the text no longer shows "
        "what deckgen wrote); left as written"
    ]
    assert output.splitlines()[0].startswith("talk.pptx: ")
    assert "1 conflict left" in output.splitlines()[0]


def test_the_data_date_in_each_reused_footer_follows(
    decks: Decks, talk: Path, tmp_path: Path
) -> None:
    out = tmp_path / "refreshed.pptx"
    refresh(talk, decks.new, "-o", str(out))
    for slide in list(Presentation(str(out)).slides)[2:]:
        date = next(s for s in slide.placeholders if s.placeholder_format.type == 16)
        assert date.text_frame.text == "Data as of 31 October 2019"
    own = next(s for s in Presentation(str(out)).slides[1].placeholders if s.has_text_frame)
    assert "October" not in own.text_frame.text


def test_notes_keep_the_presenters_lines(decks: Decks, talk: Path, tmp_path: Path) -> None:
    out = tmp_path / "refreshed.pptx"
    refresh(talk, decks.new, "-o", str(out))
    notes = Presentation(str(out)).slides[2].notes_slide.notes_text_frame.text
    assert PRESENTER_LINE in notes
    assert "- £1.25: total benefits / total investment" in notes
    assert "£1.15" not in notes


def test_a_shape_pasted_onto_a_slide_of_ones_own_is_refreshed_and_nothing_else(
    decks: Decks, talk: Path, tmp_path: Path
) -> None:
    edited = Talk(talk)
    piece = next(p for p in decks.old.with_suffix("").glob("*.pptx") if p.stem.endswith("-roi"))
    own = edited.slides()[1]
    edited.paste(Talk(piece), Talk(piece).slides()[0], "Key figure 3", own)
    edited.save(talk)
    out = tmp_path / "refreshed.pptx"
    code, output = refresh(talk, decks.new, "-o", str(out))
    assert code == 1, output
    assert "slide 2" not in output  # the slide's own title is not deckgen's
    slide = Presentation(str(out)).slides[1]
    assert slide.shapes.title.text_frame.text == "What the coffee fund did"
    pasted = next(s for s in slide.shapes if identity.unmarked_name(s.name) == "Key figure 3")
    assert pasted.text_frame.text.startswith("£205m")


SUMMARY = "Return on investment FY15/16 to FY25/26"  # the roi box, named after the new years


def autofit_of(element: Any) -> Any:
    return element.find(f"{{{P}}}txBody/{{{A}}}bodyPr/{{{A}}}normAutofit")


def sizes(element: Any) -> set[str]:
    return {r.get("sz") for r in element.iter(f"{{{A}}}rPr")}


def test_a_refreshed_text_grown_too_long_for_its_box_is_shrunk_to_fit(
    decks: Decks, talk: Path, tmp_path: Path
) -> None:
    """The roi summary, set large to fill its slide, holds longer figures next quarter: the
    shrink PowerPoint would apply is written on its box; its runs keep the user's sizes."""
    out = tmp_path / "refreshed.pptx"
    _, output = refresh(talk, decks.new, "-o", str(out))
    assert "does not fit" not in output
    summary = shape(slide_xml(out, 3), SUMMARY)
    stored = autofit_of(summary)
    assert stored is not None
    assert 12 / 18 * 100_000 <= int(stored.get("fontScale")) < 100_000  # 18 pt, never under 12
    assert sizes(summary) == sizes(
        shape(slide_xml(talk, 3), "Return on investment FY15/16 to FY24/25")
    )
    assert not [f for f in check_deck(out).findings if f.shape == SUMMARY]
    assert validate_package(out) == []
    # Without it, the refreshed text would overflow the box it is in.
    unshrunk = tmp_path / "unshrunk.pptx"
    copy = Talk(out)
    name = copy.slides()[2]
    copy.edit(name, lambda root: autofit_of(shape(root, SUMMARY)).attrib.clear())
    found = [str(f) for f in check_deck(copy.save(unshrunk)).findings if f.shape == SUMMARY]
    assert len(found) == 1 and "text needs" in found[0], found


def test_a_refreshed_text_that_fits_no_way_is_shrunk_as_far_as_it_may_go_and_listed(
    decks: Decks, talk: Path, tmp_path: Path
) -> None:
    """The presenter made the box too small for the summary even at 12 pt."""
    small = Talk(talk)

    def squeeze(root: Any) -> None:
        extent = shape(root, "Return on investment FY15/16 to FY24/25").find(
            f"{{{P}}}spPr/{{{A}}}xfrm/{{{A}}}ext"
        )
        extent.set("cy", str(600_000))

    small.edit(small.slides()[2], squeeze)
    out = tmp_path / "refreshed.pptx"
    code, output = refresh(small.save(tmp_path / "small.pptx"), decks.new, "-o", str(out))
    assert code == 1
    listed = [line.strip() for line in output.splitlines() if "does not fit" in line]
    assert len(listed) == 1, output
    assert "deckgen check finds" not in output  # listed once, not again as a finding
    assert listed[0] == (
        # The shape as the talk named it, as every line of the list does.
        "slide 3, 'Return on investment FY15/16 to FY24/25': the refreshed text does not fit "
        "its box even at the least size allowed (needs 1.3 in at 12 pt, lines 20% closer; the "
        "box has 0.7 in); it is shrunk that far: enlarge the box or shorten the text"
    )
    stored = autofit_of(shape(slide_xml(out, 3), SUMMARY))
    assert stored.get("fontScale") == "66666" and stored.get("lnSpcReduction") == "20000"


# -- charts -------------------------------------------------------------------------------


def test_chart_data_and_workbook_follow_the_deck_where_the_user_put_it(
    decks: Decks, talk: Path, tmp_path: Path
) -> None:
    out = tmp_path / "refreshed.pptx"
    refresh(talk, decks.new, "-o", str(out))
    before = Presentation(str(talk)).slides[3]
    after = Presentation(str(out)).slides[3]
    old_frame = next(s for s in before.shapes if s.has_chart)
    frame = next(s for s in after.shapes if s.has_chart)
    assert (frame.left, frame.top, frame.width, frame.height) == (
        old_frame.left,
        old_frame.top,
        old_frame.width,
        old_frame.height,
    )
    chart = frame.chart
    categories = list(chart.plots[0].categories)
    assert categories[-1] == "FY25/26" and len(categories) == 11  # a category added
    investment = next(s for p in chart.plots for s in p.series if s.name == "Investment")
    assert list(investment.values)[4] == 108 and list(investment.values)[-1] == 40
    # Edit Data shows the same numbers: the embedded workbook was written again.
    blob = frame.chart.part.chart_workbook.xlsx_part.blob
    rows = list(openpyxl.load_workbook(io.BytesIO(blob)).active.iter_rows(values_only=True))
    assert rows[0][1:] == ("Investment", "Benefits", "Cumulative net benefit")
    assert rows[5][:2] == ("FY19/20", 108) and rows[11][:3] == ("FY25/26", 40, 120)
    for series in chart._chartSpace.iter(f"{{{C}}}ser"):  # every reference points at its data
        name = series.find(f"{{{C}}}tx/{{{C}}}strRef/{{{C}}}f").text.split("!")[1]
        column = openpyxl.utils.column_index_from_string(name.split("$")[1])
        assert rows[0][column - 1] == series.find(f".//{{{C}}}v").text


def test_a_restyled_chart_keeps_its_look_and_gets_the_data(decks: Decks, tmp_path: Path) -> None:
    talk = assemble(decks.old, tmp_path, ("yearly",), edit=False)
    slide = Talk(talk).slides()[2]
    edited = Talk(talk)
    chart_part = next(t for _, kind, t, _ in edited.rels(slide) if kind.endswith("/chart"))
    edited.edit(chart_part, _recolour_first_series)
    edited.save(talk)
    out = tmp_path / "refreshed.pptx"
    code, output = refresh(talk, decks.new, "-o", str(out))
    assert code == 0, output
    root = etree.fromstring(member(out, chart_part))
    series = root.find(f".//{{{C}}}ser")
    assert {c.get("val") for c in series.find(f"{{{C}}}spPr").iter(f"{{{A}}}schemeClr")} == {
        "accent6"
    }
    points = [v.text for v in series.find(f"{{{C}}}val").iter(f"{{{C}}}v")]
    assert len(points) == 11 and float(points[4]) == 108


def _series_names(path: Path, slide: int) -> list[str]:
    frame = next(s for s in Presentation(str(path)).slides[slide - 1].shapes if s.has_chart)
    return [s.name for plot in frame.chart.plots for s in plot.series]


@pytest.fixture(scope="module")
def combo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The yearly chart without its line (one deck definition), then with it (another)."""
    folder = tmp_path_factory.mktemp("combo")
    plain = folder / "plain" / DECK.name  # the same deck (its definition's name), another chart
    plain.parent.mkdir()
    plain.write_text(DECK.read_text().replace("kind: yearly-combo", "kind: yearly"))
    workbook = write_sample(folder / "book.xlsx", load_source())
    without, with_line = folder / "a" / "wmp2020.pptx", folder / "b" / "wmp2020.pptx"
    build(workbook, without, str(plain), "--slides", "yearly", "--split")
    build(workbook, with_line, str(DECK), "--slides", "yearly", "--split")
    return without, with_line


def test_a_series_the_deck_adds_or_drops_is_added_or_dropped(
    combo: tuple[Path, Path], tmp_path: Path
) -> None:
    without, with_line = combo
    talk = assemble(without, tmp_path, ("yearly",), edit=False)
    code, output = refresh(talk, with_line, "-o", str(tmp_path / "added.pptx"))
    assert code == 0, output
    assert _series_names(tmp_path / "added.pptx", 3) == [
        "Investment",
        "Benefits",
        "Cumulative net benefit",
    ]
    (tmp_path / "again").mkdir()
    talk = assemble(with_line, tmp_path / "again", ("yearly",), edit=False)
    chart_part = next(
        t for _, kind, t, _ in Talk(talk).rels(Talk(talk).slides()[2]) if kind.endswith("/chart")
    )
    restyled = Talk(talk)
    restyled.edit(chart_part, _recolour_first_series)
    restyled.save(talk)
    code, output = refresh(talk, without, "-o", str(tmp_path / "dropped.pptx"))
    assert code == 0, output
    assert _series_names(tmp_path / "dropped.pptx", 3) == ["Investment", "Benefits"]
    assert validate_package(tmp_path / "dropped.pptx") == []


def _recolour_first_series(root: Any) -> None:
    series = root.find(f".//{{{C}}}ser")
    for colour in series.find(f"{{{C}}}spPr").iter(f"{{{A}}}schemeClr"):
        colour.set("val", "accent6")


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> Decks:
    """The yearly chart drawn as a picture (--chart-engine image), this quarter and next."""
    folder = tmp_path_factory.mktemp("pictures")
    source = load_source()
    old, new = folder / "q1" / "wmp2020.pptx", folder / "q2" / "wmp2020.pptx"
    image = ("--chart-engine", "image", "--slides", "yearly")
    build(write_sample(folder / "q1.xlsx", source), old, str(DECK), *image, "--split")
    build(write_sample(folder / "q2.xlsx", changed(source)), new, str(DECK), *image)
    return Decks(old, new)


@pytest.mark.slow  # draws every chart with matplotlib, twice
def test_a_chart_drawn_as_a_picture_gets_the_new_picture_in_the_users_frame(
    pictures: Decks, tmp_path: Path
) -> None:
    talk = assemble(pictures.old, tmp_path, ("yearly",), edit=False)

    def shrink(root: Any) -> None:
        extent = next(root.iter(f"{{{P}}}pic")).find(f"{{{P}}}spPr/{{{A}}}xfrm/{{{A}}}ext")
        extent.set("cx", str(int(extent.get("cx")) // 2))

    edited = Talk(talk)
    edited.edit(edited.slides()[2], shrink)
    edited.save(talk)
    out = tmp_path / "refreshed.pptx"
    code, output = refresh(talk, pictures.new, "-o", str(out))
    assert code == 0, output
    before = next(s for s in Presentation(str(talk)).slides[2].shapes if s.shape_type == 13)
    after = next(s for s in Presentation(str(out)).slides[2].shapes if s.shape_type == 13)
    deck = Presentation(str(pictures.new)).slides[0]
    drawn = next(s for s in deck.shapes if s.shape_type == 13)
    assert after.image.blob == drawn.image.blob != before.image.blob
    assert (after.left, after.top, after.width, after.height) == (
        before.left,
        before.top,
        before.width,
        before.height,
    )
    assert after._element.xpath("string(.//p:cNvPr/@descr)") == drawn._element.xpath(
        "string(.//p:cNvPr/@descr)"
    )


# -- tables -------------------------------------------------------------------------------


def test_table_cells_and_rows_follow_the_deck_with_their_styling(
    decks: Decks, talk: Path, tmp_path: Path
) -> None:
    out = tmp_path / "refreshed.pptx"
    refresh(talk, decks.new, "-o", str(out))
    table = next(s for s in Presentation(str(out)).slides[4].shapes if s.has_table).table
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[1][:2] == ["Achieved to date", "408"]  # a group's subtotal follows too
    assert rows[2] == ["TS1", "340", "Achieved - cashed in"]
    assert rows[-2] == [NEW_PROJECT, "12", "Forecasted"]
    assert rows[-1][:2] == ["Total", "1,040"]
    new_row, same_stripe = table._tbl.tr_lst[-2], table._tbl.tr_lst[-4]
    assert [etree.tostring(c.tcPr) for c in new_row.tc_lst] == [
        etree.tostring(c.tcPr) for c in same_stripe.tc_lst
    ]


# -- nothing else moves, and the result is sound -------------------------------------------


def _spans_of(data: bytes) -> dict[str, bytes]:
    """Each top-level shape's bytes in a slide part, by name."""
    part = EditablePart(data)
    spans = _spans(data, len(part._elements))
    index = {e: i for i, e in enumerate(part._elements)}
    tree = part.root.find(f"{{{P}}}cSld/{{{P}}}spTree")
    found = {}
    for element in tree:
        c_nv_pr = element.find(f"./*/{{{P}}}cNvPr")
        if c_nv_pr is not None:
            start, end = spans[index[element]]
            found[c_nv_pr.get("name")] = data[start:end]
    return found


def test_nothing_deckgen_did_not_make_moves(decks: Decks, talk: Path, tmp_path: Path) -> None:
    out = tmp_path / "refreshed.pptx"
    refresh(talk, decks.new, "-o", str(out))
    before, after = Talk(talk), Talk(out)
    own = [
        n
        for n in before.members
        if not n.startswith(("ppt/slides/slide3", "ppt/slides/slide4", "ppt/slides/slide5"))
    ]
    deckgen_parts = set()
    for slide in before.slides()[2:]:
        for _, _, target, _ in before.rels(slide):
            deckgen_parts.add(target)
            deckgen_parts.update(t for _, _, t, _ in before.rels(target))
    for name in own:
        if name in deckgen_parts or name.startswith(
            ("ppt/slides/_rels/slide3", "ppt/slides/_rels/slide4", "ppt/slides/_rels/slide5")
        ):
            continue
        assert after.members[name] == before.members[name], name
    # On the reused slides, every shape refresh had no reason to touch keeps its bytes.
    for slide in before.slides()[2:]:
        old, new = _spans_of(before.members[slide]), _spans_of(after.members[slide])
        for name, data in old.items():
            if identity.name_mark(name) is None:
                assert new[name] == data, name


def test_the_result_is_valid_reopens_and_checks_clean(
    decks: Decks, talk: Path, tmp_path: Path
) -> None:
    out = tmp_path / "refreshed.pptx"
    refresh(talk, decks.new, "-o", str(out))
    assert validate_package(out) == []
    assert len(Presentation(str(out)).slides) == 5
    before = {str(f) for f in check_deck(talk).findings}
    after = {str(f) for f in check_deck(out).findings}
    assert after <= before, after - before


# -- running it ---------------------------------------------------------------------------


def test_dry_run_prints_the_same_and_writes_nothing(
    decks: Decks, talk: Path, tmp_path: Path
) -> None:
    before = talk.read_bytes()
    code, output = refresh(talk, decks.new, "--dry-run")
    assert code == 1
    assert "would refresh" in output.splitlines()[0]
    assert "'Key figure 1': £778m → £811m" in output
    assert talk.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["own.pptx", "talk.pptx"]


def test_in_place_keeps_the_previous_talk_and_never_overwrites_a_users_backup(
    decks: Decks, talk: Path
) -> None:
    previous = talk.read_bytes()
    users = talk.with_name("talk.pptx.bak")
    users.write_bytes(b"the user's own backup")
    code, output = refresh(talk, decks.new)
    assert code == 1, output
    assert users.read_bytes() == b"the user's own backup"
    kept = talk.with_name("talk.pptx.1.bak")
    assert kept.read_bytes() == previous
    assert f"previous talk kept as {kept}" in output
    assert talk.read_bytes() != previous


def test_a_second_refresh_finds_everything_current(decks: Decks, talk: Path) -> None:
    code, _ = refresh(talk, decks.new)
    assert code == 1
    refreshed = talk.read_bytes()
    code, output = refresh(talk, decks.new)
    assert code == 0, output
    assert "refreshed 0 (0 changes), 0 conflicts" in output
    assert talk.read_bytes() == refreshed
    assert not talk.with_name("talk.pptx.1.bak").exists()


def test_a_shape_whose_source_is_gone_is_listed(decks: Decks, talk: Path, tmp_path: Path) -> None:
    smaller = tmp_path / "smaller" / "wmp2020.pptx"
    workbook = write_sample(tmp_path / "q2.xlsx", changed(load_source()))
    build(workbook, smaller, str(DECK), "--slides", "roi,yearly")
    code, output = refresh(talk, smaller, "-o", str(tmp_path / "out.pptx"))
    assert code == 1
    assert "slide 5, 'Officer productivity / FTE savings': no longer in wmp2020.pptx" in output


def test_errors_are_one_line_and_write_nothing(decks: Decks, talk: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.pptx"
    Presentation().save(str(plain))
    text_file = tmp_path / "notes.pptx"
    text_file.write_text("not a deck")
    cases = [
        (tmp_path / "missing.pptx", decks.new, ()),
        (text_file, decks.new, ()),
        (talk, plain, ()),  # a deck deckgen did not mark
        (talk, decks.new, ("-o", str(decks.new))),  # the output would overwrite the deck
    ]
    for source_talk, deck, extra in cases:
        before = sorted(p.name for p in tmp_path.iterdir())
        code, output = refresh(source_talk, deck, *extra)
        assert code == 2, output
        assert len(output.strip().splitlines()) == 1 and output.startswith("error: "), output
        assert sorted(p.name for p in tmp_path.iterdir()) == before


def _copy_with(source: Path, out: Path, replace: dict[str, bytes]) -> Path:
    """A copy of the package `source`, with members replaced or added."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in replace:
                dst.writestr(info.filename, src.read(info))
        for name, data in replace.items():
            dst.writestr(name, data)
    return out


def test_a_hostile_talk_is_refused_in_one_line_and_nothing_is_written(
    decks: Decks, talk: Path, tmp_path: Path
) -> None:
    """A talk comes from anyone: it passes the guard every package deckgen opens passes."""
    main = "ppt/presentation.xml"
    declaration, _, body = member(talk, main).partition(b"?>")
    entities = b'<!DOCTYPE x [<!ENTITY a "AAAA"><!ENTITY b "&a;&a;&a;&a;">]>'
    hostile = {
        "dtd": ({main: declaration + b"?>" + entities + body}, f"part {main} declares a DTD"),
        "bomb": ({"ppt/media/bomb.bin": bytes(8 * 2**20)}, "(a zip bomb?)"),
    }
    for name, (replace, reason) in hostile.items():
        path = _copy_with(talk, tmp_path / f"{name}.pptx", replace)
        before = path.read_bytes()
        listing = sorted(p.name for p in tmp_path.iterdir())
        code, output = refresh(path, decks.new)
        assert code == 2, output
        assert len(output.strip().splitlines()) == 1, output
        assert output.startswith(f"error: {path}: ") and reason in output, output
        assert path.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == listing


# -- pieces -------------------------------------------------------------------------------


def test_splice_keeps_every_other_byte() -> None:
    data = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        b'<r xmlns:a="urn:a"><a:x v="1&gt;"></a:x><a:y/><a:z>old</a:z></r>'
    )
    part = EditablePart(data)
    z = part.root[2]
    z.text = "new"
    part.changed(z)
    assert part.to_bytes() == data.replace(b"<a:z>old</a:z>", b"<a:z>new</a:z>")


def _body(*runs: tuple[str, str]) -> Any:
    xml = "".join(f"<a:r><a:rPr {attrs}/><a:t>{text}</a:t></a:r>" for attrs, text in runs)
    return etree.fromstring(f'<p:txBody xmlns:p="{P}" xmlns:a="{A}"><a:p>{xml}</a:p></p:txBody>')


def _merge(body: Any) -> tuple[list[tuple[dict[str, str], str]], list[str]]:
    from deckgen.identity import Mark, Record
    from deckgen.refresh.text import Where, merge

    mark = Mark(0, 0, "£1.15", "metrics.return_per_pound")
    old = Record("roi/text1", "text", paragraphs=("£1.15 of benefits",), marks=(mark,))
    new = Record(
        "roi/text1",
        "text",
        paragraphs=("£1.25 of benefits",),
        marks=(Mark(0, 0, "£1.25", "metrics.return_per_pound"),),
    )
    outcome = merge(body, old, new, Where(3, "'Headline figure'"))
    runs = [(dict(r.find(f"{{{A}}}rPr").attrib), texts(r)) for r in body.iter(f"{{{A}}}r")]
    return runs, [str(c) for c in outcome.conflicts]


def test_a_figure_split_across_runs_is_replaced_in_the_first_the_rest_keep_their_words() -> None:
    runs, conflicts = _merge(_body(('b="1"', "£1"), ('i="1"', ".15 of benefits")))
    assert conflicts == []
    assert [text for _, text in runs] == ["£1.25", " of benefits"]
    assert runs[0][0] == {"b": "1"} and runs[1][0] == {"i": "1"}


def test_words_written_around_a_figure_stay_and_a_rewritten_figure_is_reported() -> None:
    runs, conflicts = _merge(_body(('lang="en-GB"', "About £1.15 of benefits, audited")))
    assert [text for _, text in runs] == ["About £1.25 of benefits, audited"]
    assert conflicts == []
    runs, conflicts = _merge(_body(('lang="en-GB"', "£1.2 of benefits")))
    assert [text for _, text in runs] == ["£1.2 of benefits"]
    assert conflicts == [
        "slide 3, 'Headline figure': £1.15 → £1.25: rewritten by hand (the text no longer shows "
        "what deckgen wrote); left as written"
    ]
