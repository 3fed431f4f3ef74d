"""The review page: one self-contained file, opened in a real headless Chromium, that shows every
slide with its figures and sources and highlights what changed with its old value; and per-slide
decks that name, never number, the slides they do not hold."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.browser import chromium, open_page
from tests.conftest import SAMPLE_WORKBOOK, Source, require_libreoffice, row_of
from tests.conftest import build_cli as build
from tests.deckfile import DeckView

MakeWorkbook = Callable[..., Path]

SLIDES = "document.querySelectorAll('section.slide').length"
CHANGED = (
    "JSON.stringify([...document.querySelectorAll('#slide-9 tr.changed')].map(r => r.innerText))"
)
HIGHLIGHT = "getComputedStyle(document.querySelector('#slide-9 tr.changed td')).backgroundColor"
PICTURES = (
    "[...document.querySelectorAll('section.slide img')]"
    ".filter(i => i.complete && i.naturalWidth > 0).length"
)


def require_chromium() -> None:
    """Skip where Chromium is missing, unless CI says it must run."""
    if chromium() is None:
        if os.environ.get("DECKGEN_REQUIRE_RENDER") == "1":
            pytest.fail("DECKGEN_REQUIRE_RENDER=1 but Chromium is not installed")
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")


@pytest.fixture
def updated(source: Source, make_workbook: MakeWorkbook, tmp_path: Path) -> Path:
    """The sample's deck, rebuilt from a workbook where FY19/20's investment became £108m."""
    out = tmp_path / "wmp2020.pptx"
    assert build(SAMPLE_WORKBOOK, out)[0] == 0
    row_of(source, "Finance by Year", "FY19/20")[1] = 108
    code, text = build(make_workbook(source), out)
    assert code == 0, text
    return out.with_name("wmp2020.review.html")


def test_the_page_holds_every_slide_and_needs_nothing_else(updated: Path) -> None:
    page = updated.read_text(encoding="utf-8")
    assert page.count('<section class="slide') == 32
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(src|href)=["'](https?:|//)""", page)
    assert "<script" not in page
    # The changed value, with its old one beside it, and its cell.
    assert re.search(
        r'<tr class="changed"><td>Investment</td><td>FY19/20</td><td><strong>£108m \(Forecast\)'
        r'</strong><span class="was">was <del>£115m \(Forecast\)</del></span></td>'
        r'<td class="source">Finance by Year!B9</td></tr>',
        page,
    )
    assert "Compared with</dt><dd>the build of the data as of 31 July 2019" in page


def test_the_page_loads_in_a_browser_without_errors_or_requests(updated: Path) -> None:
    require_chromium()
    visit = open_page(updated, (SLIDES, CHANGED, HIGHLIGHT))
    assert visit.console_errors == [] and visit.exceptions == []
    assert [u for u in visit.requests if not u.startswith("data:")] == [updated.as_uri()]
    assert visit.failed == []
    assert visit.results[SLIDES] == 32
    changed = str(visit.results[CHANGED])
    assert "£108m (Forecast)" in changed and "was £115m (Forecast)" in changed
    assert visit.results[HIGHLIGHT] not in ("rgba(0, 0, 0, 0)", "transparent")


@pytest.mark.render
@pytest.mark.slow
def test_the_page_shows_a_picture_of_every_slide(
    updated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_libreoffice()
    require_chromium()
    monkeypatch.setenv("DECKGEN_REVIEW_PICTURES", "1")
    deck = updated.with_name("wmp2020.pptx")
    workbook = updated.with_name("book.xlsx")
    code, text = build(workbook, deck)
    assert code == 0, text
    assert "; review page (pictures): " in text
    visit = open_page(updated, (SLIDES, PICTURES, CHANGED))
    assert visit.console_errors == [] and visit.exceptions == []
    assert [u for u in visit.requests if not u.startswith("data:")] == [updated.as_uri()]
    assert visit.results[SLIDES] == 32 and visit.results[PICTURES] == 32
    assert "was £115m (Forecast)" in str(visit.results[CHANGED])


def test_without_an_earlier_build_nothing_is_highlighted(tmp_path: Path) -> None:
    out = tmp_path / "deck.pptx"
    assert build(SAMPLE_WORKBOOK, out)[0] == 0
    page = (tmp_path / "deck.review.html").read_text(encoding="utf-8")
    assert 'class="changed"' not in page
    assert "no earlier build of other data: nothing is highlighted" in page
    assert page.count('<section class="slide') == 32


# -- reuse without dangling pointers --------------------------------------------------------------


def test_a_slide_on_its_own_names_the_slide_it_points_to(tmp_path: Path) -> None:
    out = tmp_path / "wmp2020.pptx"
    code, text = build(SAMPLE_WORKBOOK, out, "--split")
    assert code == 0, text
    full = DeckView(out)
    assert "(see slide 9)" in full.titled("Every £1 spent").text
    yearly = full.slides[8].title
    for piece in sorted((tmp_path / "wmp2020").glob("*.pptx")):
        for slide in DeckView(piece).slides:
            assert not re.search(r"see slide \d", slide.text), piece.name
    roi = DeckView(tmp_path / "wmp2020" / "06-roi.pptx").slides[0].text
    assert f"(see “{yearly}”)" in roi


def test_a_deck_of_chosen_slides_names_the_slides_it_leaves_out(tmp_path: Path) -> None:
    out = tmp_path / "part.pptx"
    assert build(SAMPLE_WORKBOOK, out, "--slides", "roi")[0] == 0
    text = DeckView(out).slides[0].text
    assert "(see “Yearly investment peaked at £120m in FY18/19; benefits of c.£120m a year " in text
    assert "see slide" not in text
