"""A user's own template: another theme font, other colours, 4:3, narrower title placeholders,
grey footers at small sizes. Titles and footers are fitted to it and the deck has no finding;
what the template itself gets wrong is reported once per cause, with what to change."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.util import Emu

from deckgen.libreoffice import to_pdf
from deckgen.sample.template import SAMPLE_TEMPLATE, build_template
from deckgen.specs import inches
from tests.conftest import DECK, SAMPLE_WORKBOOK, require_libreoffice, run_cli
from tests.ooxml import validate_package

FOOTERS = (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.SLIDE_NUMBER)
TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
PLUM = "5B2333"


def users_template(
    path: Path,
    footer_colour: str = "595959",
    footer_size: float = 8,
    title_share: float = 0.7,
) -> Path:
    """A 4:3 template in Cambria (drawn with Caladea), plum titles, title placeholders
    `title_share` of the usual width with PowerPoint's default insets, and footers in
    `footer_colour` at `footer_size` points, on the master and on every layout."""
    colours = {**SAMPLE_TEMPLATE.colors, "dk2": PLUM, "accent1": PLUM, "accent4": "5F5F5F"}
    theme = replace(
        SAMPLE_TEMPLATE,
        name="Serif",
        colors=colours,
        heading_font="Cambria",
        body_font="Cambria",
        width=inches(10),
        height=inches(7.5),
    )
    build_template(path, theme)
    prs = Presentation(str(path))
    master = prs.slide_master
    for holder in [master, *master.slide_layouts]:
        for placeholder in holder.placeholders:
            kind = placeholder.placeholder_format.type
            if kind in TITLES:
                body_pr = placeholder.element.txBody.find(qn("a:bodyPr"))
                for inset in ("lIns", "rIns", "tIns", "bIns"):
                    body_pr.attrib.pop(inset, None)  # PowerPoint's 0.1 in and 0.05 in
                if placeholder.element.spPr.find(qn("a:xfrm")) is not None:
                    placeholder.width = Emu(round(placeholder.width * title_share))
            elif kind in FOOTERS:
                for defaults in placeholder.element.iter(qn("a:defRPr")):
                    defaults.set("sz", str(round(footer_size * 100)))
                    fill = defaults.find(qn("a:solidFill"))
                    for colour in list(fill):
                        fill.remove(colour)
                    etree.SubElement(fill, qn("a:srgbClr"), val=footer_colour)
    prs.save(str(path))
    return path


def build(template: Path, out: Path, *extra: str) -> tuple[int, str]:
    return run_cli(
        "build",
        str(SAMPLE_WORKBOOK),
        "-o",
        str(out),
        "--template",
        str(template),
        "--deck",
        str(DECK),
        *extra,
    )


@pytest.fixture(scope="module")
def serif(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The sample deck built on the user's template, and what the build printed."""
    folder = tmp_path_factory.mktemp("serif")
    out = folder / "deck.pptx"
    code, text = build(users_template(folder / "serif.pptx"), out)
    assert code == 0, text
    return out, text


def slides_of(deck: Path) -> list[Any]:
    return list(Presentation(str(deck)).slides)


def test_a_4_3_serif_template_with_narrow_titles_builds_with_no_findings(
    serif: tuple[Path, str],
) -> None:
    deck, text = serif
    assert ", 0 warnings, " in text, text
    code, checked = run_cli("check", str(deck))
    assert code == 0, checked


def test_titles_are_fitted_to_the_template_and_the_content_starts_below_them(
    serif: tuple[Path, str],
) -> None:
    grown = 0
    for slide in slides_of(deck := serif[0]):
        title = slide.shapes.title
        body_pr = title.element.txBody.find(qn("a:bodyPr"))
        # A fitted placeholder says so: normAutofit, with nothing to shrink.
        assert [etree.QName(c).localname for c in body_pr] == ["normAutofit"]
        assert body_pr[0].attrib == {}
        sizes = {r.font.size.pt for p in title.text_frame.paragraphs for r in p.runs}
        assert len(sizes) == 1 and 20 <= sizes.pop() <= 36
        if title.element.spPr.find(qn("a:xfrm")) is None:
            continue
        grown += 1  # the band was grown to hold a long title: nothing may overlap it
        bottom = title.top + title.height
        for shape in slide.shapes:
            if shape.shape_id != title.shape_id and not shape.is_placeholder:
                above = shape.top + shape.height <= title.top
                assert above or shape.top >= bottom, (deck.name, shape.name)
    assert grown >= 2  # the 4:3 page's narrow titles need it


def test_footers_are_fitted_like_any_other_text(tmp_path: Path) -> None:
    """Footers set large in a 4:3 template: the classification would wrap out of its box, so
    it is set smaller, down to the footer style's minimum, and the deck has no finding."""
    template = users_template(tmp_path / "large.pptx", footer_size=14)
    out = tmp_path / "deck.pptx"
    code, text = build(template, out, "--slides", "cover,roi,yearly")
    assert code == 0 and ", 0 warnings, " in text, text
    for slide in slides_of(out):
        footer = next(
            s for s in slide.placeholders if s.placeholder_format.type == PP_PLACEHOLDER.FOOTER
        )
        sizes = {r.font.size.pt for p in footer.text_frame.paragraphs for r in p.runs}
        assert sizes and all(9 <= size < 14 for size in sizes), sizes
        body_pr = footer.element.txBody.find(qn("a:bodyPr"))
        assert [etree.QName(c).localname for c in body_pr] == ["normAutofit"]


def test_footer_colours_that_fail_contrast_are_one_line_per_cause(tmp_path: Path) -> None:
    """Grey footers (2.8:1 on white, 2.5:1 on the section slides' panel colour): the build
    prints two lines, one per cause, saying what to change in the template, not one per
    footer of every slide."""
    template = users_template(tmp_path / "grey.pptx", footer_colour="999999")
    out = tmp_path / "deck.pptx"
    code, text = build(template, out)
    assert code == 0, text
    warnings = [line for line in text.splitlines() if line.startswith("WARNING")]
    slides = len(slides_of(out))
    assert warnings == [
        "WARNING template: footer text colour #999999 on white is 2.8:1, needs 4.5:1 — in "
        f"layouts 'Cover', 'Title Only' ({slides - 5} slides); change the footer placeholders' "
        "text colour in the slide master and its layouts (View › Slide Master)",
        "WARNING template: footer text colour #999999 on #F2F4F7 is 2.5:1, needs 4.5:1 — in "
        "layout 'Section' (5 slides); change the footer placeholders' text colour in the slide "
        "master and its layouts (View › Slide Master)",
    ]
    assert ", 2 warnings, " in text
    code, checked = run_cli("check", str(out))
    assert code == 1
    assert checked.splitlines()[:2] == [w.removeprefix("WARNING ") for w in warnings]
    assert checked.splitlines()[-1].endswith(f"{slides} slides, {3 * slides} findings in 2 lines")
    # Machines still get every finding, each with its cause.
    code, raw = run_cli("check", "--json", str(out))
    report = json.loads(raw)
    assert len(report["findings"]) == 3 * slides
    first = report["findings"][0]
    assert first["rule"] == "contrast" and first["layout"] == "Cover"
    assert first["template"]["cause"].startswith("footer text colour #999999 on white")
    assert [len(group["slides"]) for group in report["template"]] == [slides - 5, 5]


def test_a_deck_on_the_users_template_is_valid_against_the_schemas(
    serif: tuple[Path, str],
) -> None:
    assert validate_package(serif[0]) == []


WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


@pytest.mark.render
@pytest.mark.slow
def test_libreoffice_draws_each_title_in_its_box_at_the_size_deckgen_chose(
    serif: tuple[Path, str], tmp_path: Path
) -> None:
    """What deckgen measured is what LibreOffice shows: every word of every title inside the
    title's box (grown or not), above the content, and the same height for the same size."""
    require_libreoffice()
    deck = serif[0]
    text = subprocess.run(
        ["pdftotext", "-bbox", str(to_pdf(deck, tmp_path)), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = [WORD.findall(page) for page in text.split("<page ")[1:]]
    heights: dict[float, set[float]] = {}
    for slide, words in zip(slides_of(deck), pages, strict=True):
        title = slide.shapes.title
        size = next(r.font.size.pt for p in title.text_frame.paragraphs for r in p.runs)
        left, top = title.left / 12_700, title.top / 12_700
        right, bottom = left + title.width / 12_700, top + title.height / 12_700
        wanted = title.text_frame.text.split()
        drawn = [w for w in words if w[4] in wanted and top - 2 <= float(w[1]) <= bottom]
        assert len(drawn) >= len(wanted) - 1, (slide.slide_id, wanted, drawn)
        for x0, y0, x1, y1, _ in drawn:
            assert left - 1 <= float(x0) and float(x1) <= right + 1
            assert float(y1) <= bottom + 1
            heights.setdefault(size, set()).add(round(float(y1) - float(y0), 1))
    ratios = [h / size for size, found in heights.items() for h in found]
    assert max(ratios) / min(ratios) < 1.05, heights  # no title shrunk behind deckgen's back
