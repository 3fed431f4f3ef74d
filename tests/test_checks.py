"""The quality gate: a small real deck breaks each rule and the check names it in one line;
the sample deck, built by the real pipeline, has nothing to report; unreadable files are refused
with one line naming the file."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from deckgen.checks import CheckReport, Rule, check_deck
from deckgen.errors import DeckgenError
from deckgen.pipeline import BuildOptions, build
from tests.conftest import ROOT, SAMPLE_WORKBOOK

TEMPLATE = ROOT / "layouts" / "template.pptx"
DECK = ROOT / "layouts" / "wmp2020.yaml"
TITLE_ONLY, BLANK, TITLE_AND_CONTENT = 5, 6, 1  # layouts of python-pptx's default template
DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"
DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
REPAIR = "PowerPoint will offer to repair the file"

Build = Callable[[Any], None]


def make_deck(path: Path, *slides: Build, layout: int = TITLE_ONLY) -> Path:
    """A deck of python-pptx's default template, one slide per builder."""
    prs = Presentation()
    for number, draw in enumerate(slides, start=1):
        slide = prs.slides.add_slide(prs.slide_layouts[layout])
        if slide.shapes.title is not None:
            slide.shapes.title.text_frame.text = f"Slide {_word(number)}"
        draw(slide)
    prs.save(str(path))
    return path


def _word(number: int) -> str:
    return ["zero", "one", "two", "three", "four"][number]


def nothing(slide: Any) -> None:
    """A slide with just its title."""


def text_box(
    slide: Any, text: str, box: tuple[float, float, float, float], name: str = "Body"
) -> Any:
    """A text box (inches), wrapping, its text at 18 pt unless the run says otherwise."""
    shape = slide.shapes.add_textbox(*(Inches(v) for v in box))
    shape.name = name
    shape.text_frame.word_wrap = True
    shape.text_frame.text = text
    return shape


def rewrite(path: Path, replace: dict[str, bytes | None], out: Path | None = None) -> Path:
    """Copy a package with some members replaced (or, given None, left out)."""
    target = out or path.with_name(f"changed-{path.name}")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as sink:
        for info in source.infolist():
            if info.filename in replace:
                data = replace[info.filename]
                if data is not None:
                    sink.writestr(info.filename, data, zipfile.ZIP_DEFLATED)
            else:
                sink.writestr(info, source.read(info.filename))
    return target


def lines(report: CheckReport, rule: Rule | None = None) -> list[str]:
    return [str(f) for f in report.findings if rule is None or f.rule is rule]


def png() -> io.BytesIO:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (27, 54, 93)).save(buffer, "PNG")
    buffer.seek(0)
    return buffer


# -- the sample deck and a clean small deck -------------------------------------------------


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory: pytest.TempPathFactory) -> CheckReport:
    out = tmp_path_factory.mktemp("sample") / "wmp2020.pptx"
    build(BuildOptions(SAMPLE_WORKBOOK, out, TEMPLATE, DECK))
    return check_deck(out)


def test_the_sample_deck_has_no_findings(sample_report: CheckReport) -> None:
    assert sample_report.slides >= 30
    assert sample_report.lines() == []
    assert sample_report.clean


def test_a_clean_small_deck_has_no_findings(tmp_path: Path) -> None:
    def slide(s: Any) -> None:
        text_box(s, "Short words fit.", (1, 2, 6, 1))

    report = check_deck(make_deck(tmp_path / "clean.pptx", slide, nothing))
    assert report.slides == 2
    assert report.findings == ()


def test_the_checks_never_import_python_pptx() -> None:
    code = "import sys, deckgen.checks; assert 'pptx' not in sys.modules, 'pptx imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# -- rule 1: the package ----------------------------------------------------------------------


def test_a_part_that_does_not_parse_is_reported_on_its_slide(tmp_path: Path) -> None:
    deck = make_deck(tmp_path / "deck.pptx", nothing, nothing)
    broken = rewrite(deck, {"ppt/slides/slide2.xml": b"<p:sld><unclosed></p:sld>"})
    found = lines(check_deck(broken))
    assert len(found) == 1, found
    assert found[0].startswith("slide 2: part ppt/slides/slide2.xml is not well-formed XML (")
    assert found[0].endswith(REPAIR)


def test_a_broken_part_and_a_dangling_relationship_are_reported(tmp_path: Path) -> None:
    deck = make_deck(tmp_path / "deck.pptx", nothing)
    with zipfile.ZipFile(deck) as archive:
        rels = archive.read("ppt/slides/_rels/slide1.xml.rels").decode()
    dangling = rels.replace(
        "</Relationships>",
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/image" Target="../media/gone.png"/></Relationships>',
    )
    changed = rewrite(
        deck,
        {"ppt/presProps.xml": b"not xml", "ppt/slides/_rels/slide1.xml.rels": dangling.encode()},
    )
    found = lines(check_deck(changed), Rule.PACKAGE)
    assert len(found) == 2, found
    assert found[0].startswith("part ppt/presProps.xml is not well-formed XML (")
    assert found[1] == (
        "slide 1: part ppt/slides/slide1.xml refers to missing ppt/media/gone.png (rId9); " + REPAIR
    )


# -- rule 2: titles ---------------------------------------------------------------------------


def test_a_slide_without_a_title_is_reported(tmp_path: Path) -> None:
    deck = make_deck(tmp_path / "deck.pptx", nothing, layout=BLANK)
    assert lines(check_deck(deck), Rule.TITLE) == [
        "slide 1: has no title (a title placeholder with the slide's message)"
    ]


def test_a_repeated_title_is_reported_on_the_later_slide(tmp_path: Path) -> None:
    def same(s: Any) -> None:
        s.shapes.title.text_frame.text = "Same   TITLE"

    def first(s: Any) -> None:
        s.shapes.title.text_frame.text = "Same title"

    report = check_deck(make_deck(tmp_path / "deck.pptx", first, nothing, same))
    assert lines(report, Rule.TITLE) == [
        "slide 3 'Title 1': title 'Same   TITLE' is the same as slide 1's"
    ]


def test_a_title_after_another_shape_in_reading_order_is_reported(tmp_path: Path) -> None:
    def late_title(s: Any) -> None:
        text_box(s, "Read first", (1, 2, 6, 1), name="Intro")
        title = s.shapes.title._element
        tree = title.getparent()
        tree.remove(title)
        tree.append(title)

    report = check_deck(make_deck(tmp_path / "deck.pptx", late_title))
    assert lines(report, Rule.TITLE) == [
        "slide 1 'Title 1': the title is not first in reading order ('Intro' is)"
    ]


# -- rule 3: alt text and table headers -------------------------------------------------------


def _chart(slide: Any) -> Any:
    data = CategoryChartData()
    data.categories = ["FY19/20", "FY20/21"]
    data.add_series("Benefits", (1.0, 2.0))
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(2), Inches(4), Inches(3), data
    )
    frame.name = "Benefits chart"
    return frame


def _mark_decorative(shape: Any) -> None:
    c_nv_pr = shape._element.find(".//" + qn("p:cNvPr"))
    c_nv_pr.set("descr", "")
    ext_lst = etree.SubElement(c_nv_pr, qn("a:extLst"))
    ext = etree.SubElement(ext_lst, qn("a:ext"), uri=DECORATIVE_EXT)
    etree.SubElement(ext, f"{{{DECORATIVE_NS}}}decorative", nsmap={"adec": DECORATIVE_NS}).set(
        "val", "1"
    )


def test_charts_and_pictures_need_alt_text_unless_decorative(tmp_path: Path) -> None:
    def slide(s: Any) -> None:
        _chart(s)
        picture = s.shapes.add_picture(png(), Inches(6), Inches(2), Inches(1), Inches(0.5))
        picture.name = "Logo"
        ornament = s.shapes.add_picture(png(), Inches(6), Inches(3), Inches(1), Inches(0.5))
        ornament.name = "Ornament"
        _mark_decorative(ornament)
        described = s.shapes.add_picture(png(), Inches(6), Inches(4), Inches(1), Inches(0.5))
        described._element.find(".//" + qn("p:cNvPr")).set("descr", "The force's crest")
        s.notes_slide.notes_text_frame.text = "Benefits by year, from the workbook."

    report = check_deck(make_deck(tmp_path / "deck.pptx", slide))
    assert lines(report) == [
        "slide 1 'Benefits chart': chart has no alt text (descr)",
        "slide 1 'Logo': picture has only a file name for alt text ('image.png')",
    ]


def test_a_table_needs_a_header_row(tmp_path: Path) -> None:
    def slide(s: Any) -> None:
        frame = s.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(4), Inches(0.8))
        frame.name = "Costs"
        frame.table.first_row = False
        s.notes_slide.notes_text_frame.text = "The costs."

    report = check_deck(make_deck(tmp_path / "deck.pptx", slide))
    assert lines(report) == [
        "slide 1 'Costs': table has no header row (tblPr firstRow), "
        "so cells cannot be read by column"
    ]


# -- rule 4: off the slide, empty placeholders ------------------------------------------------


def test_a_shape_off_the_slide_is_reported(tmp_path: Path) -> None:
    def slide(s: Any) -> None:
        text_box(s, "Edge", (9, 2, 2, 1), name="Overhang")
        text_box(s, "Gone", (11, 8, 1, 1), name="Lost")

    report = check_deck(make_deck(tmp_path / "deck.pptx", slide))
    assert lines(report, Rule.OFF_SLIDE) == [
        "slide 1 'Overhang': lies partly off the slide: 1.0 in beyond the right edge",
        "slide 1 'Lost': lies wholly off the slide: 2.0 in beyond the right edge, "
        "1.5 in beyond the bottom edge",
    ]


def test_a_group_child_is_placed_through_the_groups_transform(tmp_path: Path) -> None:
    def slide(s: Any) -> None:
        group = s.shapes.add_group_shape()
        group.name = "Group"
        child = group.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, Inches(4.5), Inches(0), Inches(1), Inches(1)
        )
        child.name = "Scaled"
        xfrm = group._element.grpSpPr.find(qn("a:xfrm"))
        for tag, values in {
            "a:off": {"x": 0, "y": 0},
            "a:ext": {"cx": Inches(10), "cy": Inches(7.5)},
            "a:chOff": {"x": 0, "y": 0},
            "a:chExt": {"cx": Inches(5), "cy": Inches(3.75)},
        }.items():
            for key, value in values.items():
                xfrm.find(qn(tag)).set(key, str(int(value)))

    report = check_deck(make_deck(tmp_path / "deck.pptx", slide))
    assert lines(report, Rule.OFF_SLIDE) == [
        "slide 1 'Scaled': lies partly off the slide: 1.0 in beyond the right edge"
    ]


def test_an_empty_placeholder_is_reported(tmp_path: Path) -> None:
    report = check_deck(make_deck(tmp_path / "deck.pptx", nothing, layout=TITLE_AND_CONTENT))
    assert lines(report) == [
        "slide 1 'Content Placeholder 2': placeholder is empty "
        "(PowerPoint shows its prompt text; remove it or fill it)"
    ]


# -- rule 5: overflow ---------------------------------------------------------------------------


def test_text_taller_than_its_box_is_reported(tmp_path: Path) -> None:
    def slide(s: Any) -> None:
        s._element.cSld.set("name", "mobility")  # as our decks name each slide
        text_box(s, "One line of text", (1, 2, 6, 0.2), name="Squeezed")

    report = check_deck(make_deck(tmp_path / "deck.pptx", slide))
    # 18 pt Calibri: 1.22 x 18 pt a line, plus 0.05 in insets top and bottom.
    assert lines(report, Rule.OVERFLOW) == [
        "slide 1 (mobility) 'Squeezed': text needs 0.4 in, box has 0.2 in"
    ]


def test_the_size_comes_from_the_masters_body_style(tmp_path: Path) -> None:
    def slide(s: Any) -> None:
        body = s.placeholders[1]
        body.left, body.top, body.width, body.height = Inches(1), Inches(2), Inches(6), Inches(0.5)
        body.text_frame.text = "Two words"

    # The master's bodyStyle gives 32 pt and 0.2 lines before (at 18 pt it would fit).
    report = check_deck(make_deck(tmp_path / "deck.pptx", slide, layout=TITLE_AND_CONTENT))
    assert lines(report, Rule.OVERFLOW) == [
        "slide 1 'Content Placeholder 2': text needs 0.8 in, box has 0.5 in"
    ]


def autofit(shape: Any, **attributes: str) -> None:
    """Give a text box `<a:normAutofit .../>` with these attributes, as PowerPoint stores it."""
    body_pr = shape.text_frame._txBody.bodyPr
    for child in list(body_pr):
        body_pr.remove(child)
    etree.SubElement(body_pr, qn("a:normAutofit"), **attributes)


def test_a_bare_autofit_is_measured_unshrunk(tmp_path: Path) -> None:
    """PowerPoint shrinks nothing on a bare normAutofit until someone edits the text."""

    def slide(s: Any) -> None:
        autofit(text_box(s, "Shrunk only once edited", (1, 2, 6, 0.2), name="Autofit"))

    report = check_deck(make_deck(tmp_path / "deck.pptx", slide))
    assert lines(report, Rule.OVERFLOW) == ["slide 1 'Autofit': text needs 0.4 in, box has 0.2 in"]


@pytest.mark.parametrize("scale", ["50000", "50%", "50.0%"])
def test_a_stored_shrink_that_makes_the_text_fit_is_no_overflow(tmp_path: Path, scale: str) -> None:
    """18 pt needs 0.4 in; at 50% (9 pt) the same line needs 0.25 in and the box has 0.3."""

    def slide(s: Any) -> None:
        autofit(text_box(s, "Shrunk when written", (1, 2, 6, 0.3), name="Shrunk"), fontScale=scale)

    assert lines(check_deck(make_deck(tmp_path / "deck.pptx", slide)), Rule.OVERFLOW) == []


def test_a_stored_shrink_too_small_to_fit_is_measured_at_its_scale(tmp_path: Path) -> None:
    def slide(s: Any) -> None:
        shape = text_box(s, "Not shrunk enough", (1, 2, 6, 0.2), name="Shrunk")
        autofit(shape, fontScale="90000", lnSpcReduction="10000")

    report = check_deck(make_deck(tmp_path / "deck.pptx", slide))
    # 16.2 pt at 90% of single spacing: 0.25 in of text, 0.35 in with the insets.
    assert lines(report, Rule.OVERFLOW) == ["slide 1 'Shrunk': text needs 0.3 in, box has 0.2 in"]


def test_line_spacing_reduction_brings_lines_closer(tmp_path: Path) -> None:
    """Four lines of 18 pt need 1.3 in; 20% closer they need 1.08 in, which a 1.1 in box holds."""
    text = "First line\vsecond line\vthird line\vfourth line"

    def slide(s: Any) -> None:
        tight = text_box(s, text, (1, 2, 6, 1.1), name="Tight")
        autofit(tight, lnSpcReduction="20000")
        loose = text_box(s, text, (1, 3.5, 6, 1.1), name="Loose")
        autofit(loose)

    report = check_deck(make_deck(tmp_path / "deck.pptx", slide))
    assert lines(report, Rule.OVERFLOW) == ["slide 1 'Loose': text needs 1.3 in, box has 1.1 in"]


def test_a_word_wider_than_its_box_is_reported(tmp_path: Path) -> None:
    def slide(s: Any) -> None:
        text_box(s, "Incomprehensibilities", (1, 2, 1, 3), name="Narrow")

    found = lines(check_deck(make_deck(tmp_path / "deck.pptx", slide)), Rule.OVERFLOW)
    assert len(found) == 1
    assert re.fullmatch(
        r"slide 1 'Narrow': word 'Incomprehensibilities' needs 2\.\d in across, "
        r"the box has 0\.8 in",
        found[0],
    ), found


def test_a_table_row_grown_to_its_text_is_reported(tmp_path: Path) -> None:
    def slide(s: Any) -> None:
        frame = s.shapes.add_table(3, 2, Inches(1), Inches(2), Inches(4), Inches(1.2))
        frame.name = "Table"
        frame.table.cell(0, 0).text = "Project"
        frame.table.cell(2, 0).text = "A project name long enough to need several lines here"
        s.notes_slide.notes_text_frame.text = "The projects."

    found = lines(check_deck(make_deck(tmp_path / "deck.pptx", slide)), Rule.OVERFLOW)
    assert len(found) == 1
    assert re.fullmatch(r"slide 1 'Table' row 3: text needs 1\.\d in, row has 0\.4 in", found[0])


# -- rule 6: contrast -------------------------------------------------------------------------


def test_pale_text_on_white_is_reported_with_its_colours(tmp_path: Path) -> None:
    def slide(s: Any) -> None:
        shape = text_box(s, "Pale", (1, 2, 6, 1), name="Pale")
        run = shape.text_frame.paragraphs[0].runs[0]
        run.font.size = Pt(12)
        run.font.color.rgb = RGBColor(0xAA, 0xAA, 0xAA)
        large = text_box(s, "Large and bold", (1, 3.5, 6, 1), name="Large")
        big = large.text_frame.paragraphs[0].runs[0]
        big.font.size, big.font.bold = Pt(14), True
        big.font.color.rgb = RGBColor(0x94, 0x94, 0x94)  # 3.0:1: enough for large text

    report = check_deck(make_deck(tmp_path / "deck.pptx", slide))
    assert lines(report, Rule.CONTRAST) == [
        "slide 1 'Pale': text contrast 2.3:1 against the slide background, needs 4.5:1 "
        "(#AAAAAA on #FFFFFF)"
    ]


def test_theme_colours_with_transforms_and_shapes_behind_are_resolved(tmp_path: Path) -> None:
    def slide(s: Any) -> None:
        light = text_box(s, "Lightened", (1, 2, 6, 1), name="Lightened")
        light.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
        colour = light.text_frame.paragraphs[0].runs[0].font.color
        colour.theme_color = MSO_THEME_COLOR.TEXT_1
        colour.brightness = 0.75  # lumMod 25%, lumOff 75%: tx1 black becomes #BFBFBF
        panel = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(1), Inches(4), Inches(6), Inches(2))
        panel.name = "Panel"
        panel.fill.solid()
        panel.fill.fore_color.rgb = RGBColor(0x1B, 0x36, 0x5D)
        caption = text_box(s, "Dark on navy", (1.5, 4.5, 5, 1), name="Caption")
        caption.text_frame.paragraphs[0].runs[0].font.size = Pt(12)

    report = check_deck(make_deck(tmp_path / "deck.pptx", slide))
    assert lines(report, Rule.CONTRAST) == [
        "slide 1 'Lightened': text contrast 1.8:1 against the slide background, needs 4.5:1 "
        "(#BFBFBF on #FFFFFF)",
        "slide 1 'Caption': text contrast 1.7:1 against 'Panel', needs 4.5:1 (#000000 on #1B365D)",
    ]


def test_the_slide_background_is_what_lies_behind_by_default(tmp_path: Path) -> None:
    def slide(s: Any) -> None:
        s.background.fill.solid()
        s.background.fill.fore_color.rgb = RGBColor(0x10, 0x10, 0x10)
        dark = text_box(s, "Dark on dark", (1, 2, 6, 1), name="Dark")
        dark.text_frame.paragraphs[0].runs[0].font.size = Pt(12)

    report = check_deck(make_deck(tmp_path / "deck.pptx", slide))
    assert lines(report, Rule.CONTRAST) == [
        "slide 1 'Title 1': text contrast 1.1:1 against the slide background, needs 3:1 "
        "(#000000 on #101010)",
        "slide 1 'Dark': text contrast 1.1:1 against the slide background, needs 4.5:1 "
        "(#000000 on #101010)",
    ]


def test_a_table_cell_is_judged_against_its_own_fill(tmp_path: Path) -> None:
    def slide(s: Any) -> None:
        frame = s.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(4), Inches(0.8))
        frame.name = "Costs"
        header = frame.table.cell(0, 1)
        header.fill.solid()
        header.fill.fore_color.rgb = RGBColor(0x1B, 0x36, 0x5D)
        header.text = "Navy on navy"
        run = header.text_frame.paragraphs[0].runs[0]
        run.font.size = Pt(11)
        run.font.color.rgb = RGBColor(0x3E, 0x5A, 0x80)
        s.notes_slide.notes_text_frame.text = "The costs."

    report = check_deck(make_deck(tmp_path / "deck.pptx", slide))
    assert lines(report, Rule.CONTRAST) == [
        "slide 1 'Costs' row 1: text contrast 1.7:1 against its fill, needs 4.5:1 "
        "(#3E5A80 on #1B365D)"
    ]


# -- rule 7: notes ----------------------------------------------------------------------------


def test_a_slide_with_figures_needs_speaker_notes(tmp_path: Path) -> None:
    def figures(s: Any) -> None:
        text_box(s, "Benefits rose 17%", (1, 2, 6, 1))

    def named(s: Any) -> None:
        text_box(s, "What WMP2020 and TS1 changed", (1, 2, 6, 1))

    def noted(s: Any) -> None:
        text_box(s, "Benefits rose 17%", (1, 2, 6, 1))
        s.notes_slide.notes_text_frame.text = "From the Finance by Year sheet."

    report = check_deck(make_deck(tmp_path / "deck.pptx", figures, named, noted))
    assert lines(report) == [
        "slide 1: shows figures but has no speaker notes (the talking points and sources go there)"
    ]


# -- the report -------------------------------------------------------------------------------


def test_findings_come_sorted_by_slide_then_reading_order(tmp_path: Path) -> None:
    def slide(s: Any) -> None:
        text_box(s, "Off", (9.5, 2, 2, 1), name="B")
        text_box(s, "Squeezed text", (1, 2, 6, 0.2), name="A")

    report = check_deck(make_deck(tmp_path / "deck.pptx", nothing, slide, layout=BLANK))
    assert [(f.slide, f.rule, f.shape) for f in report.findings] == [
        (1, Rule.TITLE, ""),
        (2, Rule.TITLE, ""),
        (2, Rule.OFF_SLIDE, "B"),
        (2, Rule.OVERFLOW, "A"),
    ]
    payload = report.to_dict()
    assert payload["slides"] == 2 and payload["clean"] is False


# -- files that cannot be read ---------------------------------------------------------------


def _refused(path: Path, reason: str) -> None:
    with pytest.raises(DeckgenError) as raised:
        check_deck(path)
    message = raised.value.format_message()
    assert "\n" not in message
    assert message.startswith(f"{path}: "), message
    assert reason in message, message


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    _refused(tmp_path / "nowhere.pptx", "no such file")


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.pptx").write_bytes(b"")
    _refused(tmp_path / "empty.pptx", "empty")


def test_a_text_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.pptx").write_text("title,value\n")
    _refused(tmp_path / "notes.pptx", "not a PowerPoint .pptx presentation: the file is text")


def test_a_truncated_deck_is_refused(tmp_path: Path) -> None:
    deck = make_deck(tmp_path / "deck.pptx", nothing)
    data = deck.read_bytes()
    (tmp_path / "cut.pptx").write_bytes(data[: len(data) // 2])
    _refused(tmp_path / "cut.pptx", "truncated or damaged")


def test_a_workbook_is_not_a_presentation(tmp_path: Path) -> None:
    _refused(SAMPLE_WORKBOOK, "not a PowerPoint .pptx presentation: it is an Excel workbook")


def test_a_zip_bomb_member_is_refused(tmp_path: Path) -> None:
    bomb = make_deck(tmp_path / "bomb.pptx", nothing)
    with zipfile.ZipFile(bomb, "a") as archive:  # 4 MB of zeros squeeze into a few kB
        archive.writestr("ppt/media/zeros.bin", bytes(4 * 1024 * 1024), zipfile.ZIP_DEFLATED)
    _refused(bomb, "(a zip bomb?)")


def test_an_entity_bomb_is_refused_wherever_its_dtd_hides(tmp_path: Path) -> None:
    deck = make_deck(tmp_path / "deck.pptx", nothing)
    entities = "".join(f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 10))
    for padding in ("", f"<!-- {'x' * 10_000} -->"):
        part = (
            f'<?xml version="1.0"?>{padding}<!DOCTYPE p [<!ENTITY e0 "lol">{entities}]>'
            '<p:presentationPr xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/'
            'main">&e9;</p:presentationPr>'
        )
        bomb = rewrite(deck, {"ppt/presProps.xml": part.encode()}, tmp_path / "bomb.pptx")
        _refused(bomb, "declares a DTD or entities")


def test_a_member_named_outside_the_package_is_refused(tmp_path: Path) -> None:
    deck = make_deck(tmp_path / "deck.pptx", nothing)
    with zipfile.ZipFile(deck, "a") as archive:
        archive.writestr("../../evil.xml", b"<x/>")
    _refused(deck, "unsafe part name")


def test_a_folder_is_refused(tmp_path: Path) -> None:
    _refused(tmp_path, "is a folder")


def test_nonsense_values_give_findings_not_tracebacks(tmp_path: Path) -> None:
    def slide(s: Any) -> None:
        shape = text_box(s, "Odd values", (1, 2, 6, 1), name="Odd")
        run = shape.text_frame.paragraphs[0].runs[0]
        run.font.color.rgb = RGBColor(0x11, 0x22, 0x33)
        run.font._rPr.set("sz", "big")
        run.font._rPr.find(qn("a:solidFill"))[0].set("val", "not-a-colour")
        shape._element.spPr.find(qn("a:xfrm")).find(qn("a:ext")).set("cx", "wide")
        s.shapes.title._element.find(".//" + qn("p:ph")).set("idx", "first")

    report = check_deck(make_deck(tmp_path / "deck.pptx", slide))
    assert report.slides == 1
