"""The sample deck in the report's own form, read back from the file: one slide per spotlight,
nothing under the reading deck's minimum sizes, tables set as a designer sets them, a contents
page on tab stops, and a longer spotlight continued on two balanced slides."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pptx.oxml.ns import qn
from pptx.util import Emu

from deckgen.design import GRID
from deckgen.identity import unmarked_name
from tests.conftest import DECK, SAMPLE_WORKBOOK, TEMPLATE, run_cli
from tests.conftest import build_cli as build
from tests.deckfile import FOOTERS, DeckView, SlideView

SPOTLIGHTS = [
    s["id"] for s in yaml.safe_load(DECK.read_text())["slides"] if s["kind"] == "spotlight"
]
SMALL_PRINT = ("Source", "Footnote", "Chart key")  # shapes that may go down to 8 pt
WHOLE = re.compile(r"^\d{1,3}(,\d{3})*$")
ONE_DECIMAL = re.compile(r"^(-?\d{1,3}(,\d{3})*\.\d|–)$")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> DeckView:
    out = tmp_path_factory.mktemp("sample") / "wmp2020.pptx"
    code, text = build(SAMPLE_WORKBOOK, out)
    assert code == 0, text
    return DeckView(out)


# -- one slide per spotlight -----------------------------------------------------------------


def test_the_sample_has_one_slide_per_spotlight_and_no_continuation(sample: DeckView) -> None:
    titles = [s.title for s in sample.slides]
    assert len(titles) <= 32
    assert not [t for t in titles if "(cont." in t]
    spotlights = [t for t in titles if t.startswith("Spotlight on")]
    assert len(spotlights) == len(SPOTLIGHTS) == 13


def test_a_spotlight_slide_holds_everything_the_report_shows(sample: DeckView) -> None:
    mobility = sample.titled("Spotlight on mobility devices and apps")
    text = mobility.text
    for words in (
        "KEY INFORMATION",
        "over 5,000",  # a key figure
        "KEY OUTCOMES FOR THE PUBLIC",
        "Untethering officers from the station",  # an outcome
        "WMP has deployed",  # the summary
        "Informed decisions on the go",  # a block's heading
        "Stop and searches are",  # the last block's bullet
        "Excellent bit of kit",  # the quote
        "Officer, Birmingham West NPU",  # its attribution
        "a review of Mobility app productivity savings",  # the footnote
    ):
        assert words.casefold() in text.casefold(), words


def test_spotlights_fill_more_than_half_of_their_page(sample: DeckView) -> None:
    for view in sample.slides:
        if view.title.startswith("Spotlight on"):
            assert content_fill(sample, view) > 0.5, view.title


# -- minimum sizes ------------------------------------------------------------------------------


def text_sizes(view: SlideView) -> Iterator[tuple[str, str, bool, float]]:
    """(shape name, kind, bulleted, points) of every run of text on the slide but its footers."""
    for shape in view.slide.shapes:
        if shape.is_placeholder and shape.placeholder_format.type in FOOTERS:
            continue
        if shape.is_placeholder:
            continue  # titles: their own style, 20 pt and more
        element = shape._element
        kind = "table" if getattr(shape, "has_table", False) and shape.has_table else "text"
        for paragraph in element.iter(qn("a:p")):
            ppr = paragraph.find(qn("a:pPr"))
            bulleted = ppr is not None and (
                ppr.find(qn("a:buChar")) is not None or ppr.find(qn("a:buAutoNum")) is not None
            )
            for rpr in paragraph.iter(qn("a:rPr")):
                if rpr.get("sz") is not None:
                    yield unmarked_name(shape.name), kind, bulleted, int(rpr.get("sz")) / 100


def test_nothing_is_below_the_reading_decks_minimum_sizes(sample: DeckView) -> None:
    for view in sample.slides:
        for name, kind, bulleted, size in text_sizes(view):
            where = f"slide {view.number} '{name}'"
            if kind == "table":
                assert size >= 10, where
            elif name in SMALL_PRINT:
                assert size >= 8, where
            elif bulleted or name in ("Summary", "Notes"):
                assert size >= 12, where
            else:
                assert size >= 11, where  # labels under figures
        for chart in view.charts():
            sizes = [int(e.get("sz")) / 100 for e in chart._chartSpace.iter(qn("a:defRPr"))]
            sizes += [int(e.get("sz")) / 100 for e in chart._chartSpace.iter(qn("a:rPr"))]
            assert all(s >= 10 for s in sizes if s), f"slide {view.number} chart"


def test_the_sample_passes_the_check(sample: DeckView) -> None:
    code, text = run_cli("check", str(sample.path))
    assert code == 0, text


# -- tables ------------------------------------------------------------------------------------


def cells(table: Any) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def test_the_fte_table_shows_whole_fte_in_groups_that_add_up(sample: DeckView) -> None:
    view = sample.titled("Officer productivity")
    rows = cells(view.tables()[0])
    assert rows[0] == ["Project", "FTE", "Status"]
    body, total = rows[1:-1], rows[-1]
    assert total[:2] == ["Total", "1,020"]
    assert all(WHOLE.match(r[1]) for r in body), [r[1] for r in body]
    assert "332" in [r[1] for r in body] and "332.00" not in view.text
    headings = [i for i, r in enumerate(body) if r[2] == ""]
    assert [body[i][0] for i in headings] == ["Achieved to date", "Forecast"]
    groups = [body[a + 1 : b] for a, b in zip(headings, [*headings[1:], len(body)], strict=True)]
    assert {r[2].split(" ")[0] for r in groups[0]} == {"Achieved"}
    assert {r[2] for r in groups[1]} == {"Forecasted"}
    number = lambda text: int(text.replace(",", ""))  # noqa: E731
    for heading, group in zip(headings, groups, strict=True):
        assert sum(number(r[1]) for r in group) == number(body[heading][1])
    assert sum(number(body[i][1]) for i in headings) == number(total[1])


def test_table_columns_are_as_wide_as_what_they_hold(sample: DeckView) -> None:
    frame = next(s for s in sample.titled("Officer productivity").slide.shapes if s.has_table)
    widths = [c.width for c in frame.table.columns]
    name, fte, status = widths
    assert fte < Emu(914_400)  # a number column an inch wide at most
    assert name > status > fte
    assert frame.width < sample.size[0] / 2  # the notes sit beside it


def test_the_portfolio_table_keeps_one_decimal_down_every_column(sample: DeckView) -> None:
    rows = cells(sample.titled("Portfolio investments and benefits").tables()[0])
    for row in rows[1:]:
        assert all(ONE_DECIMAL.match(v) for v in row[1:]), row


def test_the_portfolio_chart_is_a_slide_of_its_own(sample: DeckView) -> None:
    titles = [s.title for s in sample.slides]
    table = titles.index(next(t for t in titles if t.startswith("Portfolio investments")))
    chart = sample.slides[table + 1]
    assert chart.charts() and not chart.tables()
    assert not sample.slides[table].charts()
    assert "(cont.)" not in chart.title and chart.title != titles[table]
    assert "in order of net benefit" in chart.text
    assert "negative" not in chart.text  # the bars show both as positive amounts


# -- contents and cover ------------------------------------------------------------------------


def test_contents_numbers_sit_on_a_right_tab_stop(sample: DeckView) -> None:
    contents = sample.titled("Contents")
    columns = [
        s for s in contents.slide.shapes if unmarked_name(s.name).startswith("Contents column")
    ]
    assert len(columns) == 2
    for shape in columns:
        inner = shape.width - 2 * int(GRID.text_inset * 914_400)
        for paragraph in shape._element.iter(qn("a:p")):
            text = "".join(t.text for t in paragraph.iter(qn("a:t")))
            assert re.fullmatch(r".+\t\d+", text), text
            tabs = paragraph.findall(f"{qn('a:pPr')}/{qn('a:tabLst')}/{qn('a:tab')}")
            assert [(t.get("algn"), abs(int(t.get("pos")) - inner) < 12_700) for t in tabs] == [
                ("r", True)
            ]


def test_a_long_contents_entry_wraps_on_a_hanging_indent(tmp_path: Path) -> None:
    deck = yaml.safe_load(DECK.read_text())
    for slide in deck["slides"]:
        if slide["id"] == "bwv":
            slide["label"] = "Body Worn Video, with the cameras, their evidence in court " * 2
    definition = tmp_path / "deck.yaml"
    definition.write_text(yaml.safe_dump(deck, allow_unicode=True, sort_keys=False))
    out = tmp_path / "deck.pptx"
    code, text = run_cli(
        "build", str(SAMPLE_WORKBOOK), "-o", str(out), "--deck", str(definition),
        "--template", str(TEMPLATE), "--slides", "contents,bwv,mobility",
    )  # fmt: skip
    assert code == 0, text
    contents = DeckView(out).titled("Contents")
    hanging = {}
    columns = [
        s._element
        for s in contents.slide.shapes
        if unmarked_name(s.name).startswith("Contents column")
    ]
    for paragraph in (p for column in columns for p in column.iter(qn("a:p"))):
        text = "".join(t.text for t in paragraph.iter(qn("a:t")))
        ppr = paragraph.find(qn("a:pPr"))
        hanging[text.split("\t")[0][:14]] = (ppr.get("marL"), ppr.get("indent"))
    long_entry = hanging["Body Worn Vide"]
    assert int(long_entry[0]) > 0 and int(long_entry[1]) == -int(long_entry[0])
    assert hanging["Mobility devic"] == (None, None)  # one line: no indent at all


def test_the_cover_band_names_the_organisation(sample: DeckView) -> None:
    cover = sample.slides[0]
    band = next(s for s in cover.slide.shapes if unmarked_name(s.name) == "Cover band")
    assert band.text_frame.text == "West Midlands Police"
    title = cover.slide.shapes.title
    assert band.top == 0 and band.top + band.height < title.top


# -- a longer spotlight ------------------------------------------------------------------------


def content_fill(deck: DeckView, view: SlideView) -> float:
    """The share of the content area (under the title band, above the source line) that shapes
    cover, counted on a grid of tenth-inch cells so overlapping shapes count once."""
    step = 91_440
    title = view.slide.shapes.title
    top = title.top + title.height + int(GRID.title_gap * 914_400)
    bottom = deck.size[1] - int(
        (GRID.margin_top + GRID.footer_height + GRID.source_height) * 914_400
    )
    left, right = int(GRID.margin_x * 914_400), deck.size[0] - int(GRID.margin_x * 914_400)
    covered = set()
    for shape in view.slide.shapes:
        if shape.is_placeholder or unmarked_name(shape.name) in ("Source", "Footnote"):
            continue
        for x in range(max(shape.left, left), min(shape.left + shape.width, right), step):
            for y in range(max(shape.top, top), min(shape.top + shape.height, bottom), step):
                covered.add((x // step, y // step))
    return len(covered) / (((right - left) // step) * ((bottom - top) // step))


def longer_mobility(tmp_path: Path) -> Path:
    """The deck definition with only the mobility spotlight, and three more blocks of bullets."""
    deck = yaml.safe_load(DECK.read_text())
    slide = next(s for s in deck["slides"] if s["id"] == "mobility")
    slide["blocks"] += [
        {
            "heading": f"Further work {n}",
            "bullets": [
                f"Another piece of work the Force has delivered this year, at some length ({k})."
                for k in "abcd"
            ],
        }
        for n in ("one", "two", "three")
    ]
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump({"names": deck["names"], "slides": [slide]}, sort_keys=False))
    return path


def test_a_longer_spotlight_continues_on_two_balanced_slides(tmp_path: Path) -> None:
    out = tmp_path / "long.pptx"
    code, text = run_cli(
        "build", str(SAMPLE_WORKBOOK), "-o", str(out), "--deck", str(longer_mobility(tmp_path)),
        "--template", str(TEMPLATE),
    )  # fmt: skip
    assert code == 0 and ", 0 warnings, " in text, text
    deck = DeckView(out)
    first, second = deck.slides
    assert first.title == "Spotlight on mobility devices and apps"
    assert second.title == "Spotlight on mobility devices and apps (cont.)"
    fills = [content_fill(deck, view) for view in deck.slides]
    assert min(fills) > 0.5 and abs(fills[0] - fills[1]) < 0.2, fills
    # The panel stays whole on the first slide; what continues repeats its block's heading.
    assert "Key outcomes for the public" in first.text
    assert "Key information" not in second.text and "Key outcomes" not in second.text
    blocks = [s for s in second.slide.shapes if s.has_text_frame and "Force" in s.text_frame.text]
    assert blocks
    for shape in blocks:
        heading = shape.text_frame.paragraphs[0].text
        assert heading.startswith(("Informed decisions", "Further work")), heading
        assert heading.endswith("(cont.)") == (heading in first.text.replace(" (cont.)", "")), (
            heading
        )
    assert run_cli("check", str(out))[0] == 0
