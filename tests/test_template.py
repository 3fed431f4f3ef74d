"""The slide template: built from a theme, reopened, inspected and checked against the schemas."""

from __future__ import annotations

import itertools
import posixpath
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn

from deckgen.design import GRID, SAMPLE_FONT, SAMPLE_THEME, STYLES, TextStyle
from deckgen.errors import DeckgenError
from deckgen.render.template import inspect_template
from deckgen.sample.template import (
    SAMPLE_TEMPLATE,
    SUBTITLE_LINES,
    TITLE_LINES,
    TemplateTheme,
    build_template,
)
from deckgen.specs import (
    LAYOUT_BLANK,
    LAYOUT_COVER,
    LAYOUT_SECTION,
    LAYOUT_TITLE_ONLY,
    REQUIRED_LAYOUTS,
    Box,
    LayoutGeometry,
    PageGeometry,
    inches,
    to_inches,
)
from deckgen.textmetrics import Measurer
from tests.conftest import DECK, SAMPLE_WORKBOOK, TEMPLATE, run_cli
from tests.ooxml import validate_package

# A second organisation's look: 4:3, dark green and purple, Arial.
FOOTER_TYPES = (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.SLIDE_NUMBER)

GREEN = TemplateTheme(
    name="Green",
    colors={
        **SAMPLE_THEME,
        "dk2": "1E4D2B",
        "accent1": "1E4D2B",
        "accent2": "5B2A86",
        "accent4": "4F4F4F",
    },
    heading_font="Arial",
    body_font="Arial",
    width=inches(10),
    height=inches(7.5),
)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "layouts" / "template.pptx"
    build_template(path)
    return path


@pytest.fixture
def green(tmp_path: Path) -> Path:
    path = tmp_path / "green.pptx"
    build_template(path, GREEN)
    return path


def placed(layout: LayoutGeometry) -> list[Box]:
    found = (layout.title, layout.subtitle, layout.footer, layout.date, layout.slide_number)
    return [box for box in found if box is not None]


def overlaps(a: Box, b: Box) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


def assert_laid_out(geometry: PageGeometry) -> None:
    """Every placeholder on the slide, none overlapping another of its layout."""
    for layout in geometry.layouts.values():
        for box in placed(layout):
            assert box.width > 0 and box.height > 0, layout.name
            assert box.left >= 0 and box.right <= geometry.width, (layout.name, box)
            assert box.top >= 0 and box.bottom <= geometry.height, (layout.name, box)
        for a, b in itertools.combinations(placed(layout), 2):
            assert not overlaps(a, b), (layout.name, a, b)


def assert_title_in_band(geometry: PageGeometry) -> None:
    """The action title fills the title band: full content width, between margin and band end."""
    title = geometry.layouts[LAYOUT_TITLE_ONLY].title
    assert title is not None
    margin = inches(GRID.margin_x)
    assert title.left == margin
    assert title.right == geometry.width - margin
    assert title.top == inches(GRID.margin_top)
    assert title.bottom == inches(GRID.margin_top + GRID.title_height)


def assert_footers_in_band(geometry: PageGeometry) -> None:
    band_top = geometry.height - inches(GRID.footer_height)
    for layout in geometry.layouts.values():
        footer, date, number = layout.footer, layout.date, layout.slide_number
        assert footer and date and number, layout.name
        for box in (footer, date, number):
            assert box.top >= band_top and box.bottom <= geometry.height, layout.name
        assert footer.right <= date.left and date.right <= number.left, layout.name


def layout_named(path: Path, name: str) -> Any:
    return next(layout for layout in Presentation(str(path)).slide_layouts if layout.name == name)


def decorations(path: Path, name: str) -> list[Box]:
    """The boxes of a layout's shapes that are not placeholders (bands, rules)."""
    layout = layout_named(path, name)
    return [
        Box(shape.left, shape.top, shape.width, shape.height)
        for shape in layout.shapes
        if not shape.is_placeholder
    ]


# -- the sample template -------------------------------------------------------------------


def test_the_sample_template_is_16_9_with_the_four_layouts_and_no_slides(sample: Path) -> None:
    prs = Presentation(str(sample))
    assert (prs.slide_width, prs.slide_height) == (12_192_000, 6_858_000)
    assert [layout.name for layout in prs.slide_layouts] == list(REQUIRED_LAYOUTS)
    assert len(prs.slides) == 0


def test_the_package_holds_no_leftovers_of_the_default_template(sample: Path) -> None:
    with zipfile.ZipFile(sample) as archive:
        names = set(archive.namelist())
        types = etree.fromstring(archive.read("[Content_Types].xml"))
        rels = {n: etree.fromstring(archive.read(n)) for n in names if n.endswith(".rels")}
    layouts = sorted(n for n in names if n.startswith("ppt/slideLayouts/slideLayout"))
    assert layouts == [f"ppt/slideLayouts/slideLayout{n}.xml" for n in range(1, 5)]
    assert "docProps/thumbnail.jpeg" not in names
    overrides = {o.get("PartName").lstrip("/") for o in types if o.get("PartName")}
    assert overrides <= names
    for rels_name, root in rels.items():
        source_dir = posixpath.dirname(posixpath.dirname(rels_name))  # x/_rels/y.rels -> x
        for rel in root:
            target = posixpath.normpath(posixpath.join(source_dir, rel.get("Target")))
            assert target in names, (rels_name, rel.get("Target"))


def test_inspect_reads_the_theme_colours_fonts_and_size(sample: Path) -> None:
    geometry = inspect_template(sample)
    assert (geometry.width, geometry.height) == (12_192_000, 6_858_000)
    assert geometry.theme_colors == SAMPLE_THEME
    assert geometry.heading_font == geometry.body_font == SAMPLE_FONT
    assert list(geometry.layouts) == list(REQUIRED_LAYOUTS)


def test_placeholders_are_on_the_slide_and_apart(sample: Path) -> None:
    geometry = inspect_template(sample)
    assert_laid_out(geometry)
    assert_footers_in_band(geometry)


def test_each_layout_has_the_placeholders_the_planner_uses(sample: Path) -> None:
    layouts = inspect_template(sample).layouts
    assert layouts[LAYOUT_COVER].title and layouts[LAYOUT_COVER].subtitle
    assert layouts[LAYOUT_SECTION].title and not layouts[LAYOUT_SECTION].subtitle
    assert layouts[LAYOUT_TITLE_ONLY].title and not layouts[LAYOUT_TITLE_ONLY].subtitle
    assert layouts[LAYOUT_BLANK].title is None and layouts[LAYOUT_BLANK].subtitle is None


def test_the_action_title_fills_the_title_band(sample: Path) -> None:
    assert_title_in_band(inspect_template(sample))


def test_the_title_only_layout_inherits_its_title_position_from_the_master(sample: Path) -> None:
    layout = layout_named(sample, LAYOUT_TITLE_ONLY)
    (title,) = [p for p in layout.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.TITLE]
    assert title.element.spPr.find(qn("a:xfrm")) is None  # no position of its own
    (master_title,) = [
        p
        for p in layout.slide_master.placeholders
        if p.placeholder_format.type == PP_PLACEHOLDER.TITLE
    ]
    expected = Box(master_title.left, master_title.top, master_title.width, master_title.height)
    assert inspect_template(sample).layouts[LAYOUT_TITLE_ONLY].title == expected


def test_the_rule_under_the_title_stays_out_of_the_content(sample: Path) -> None:
    geometry = inspect_template(sample)
    content_top = inches(GRID.margin_top + GRID.title_height + GRID.title_gap)
    title = geometry.layouts[LAYOUT_TITLE_ONLY].title
    assert title is not None
    (rule,) = decorations(sample, LAYOUT_TITLE_ONLY)
    assert title.bottom <= rule.top and rule.bottom <= content_top
    assert decorations(sample, LAYOUT_BLANK) == []


def test_cover_text_sits_on_white_below_the_band(sample: Path) -> None:
    """Navy title text must not land on the navy band."""
    cover = inspect_template(sample).layouts[LAYOUT_COVER]
    assert cover.title and cover.subtitle
    for band in decorations(sample, LAYOUT_COVER):
        assert not overlaps(band, cover.title) and not overlaps(band, cover.subtitle)
    assert cover.title.bottom <= cover.subtitle.top


def test_text_sizes_and_colours_come_from_the_design(sample: Path) -> None:
    def first_size(element: etree._Element) -> int:
        return int(next(element.iter(qn("a:defRPr"))).get("sz"))

    prs = Presentation(str(sample))
    styles = prs.slide_master.element.find(qn("p:txStyles"))
    title_style = styles.find(qn("p:titleStyle"))
    assert first_size(title_style) == STYLES[TextStyle.TITLE].size * 100
    title_run = next(title_style.iter(qn("a:defRPr")))
    assert title_run.get("b") == "1"
    assert title_run.find(f"{qn('a:solidFill')}/{qn('a:schemeClr')}").get("val") == "tx2"
    assert title_run.find(qn("a:latin")).get("typeface") == "+mj-lt"
    body_run = next(styles.find(qn("p:bodyStyle")).iter(qn("a:defRPr")))
    assert int(body_run.get("sz")) == STYLES[TextStyle.BULLET].size * 100
    assert body_run.find(qn("a:latin")).get("typeface") == "+mn-lt"

    by_name = {layout.name: layout for layout in prs.slide_layouts}
    expected = {
        (LAYOUT_COVER, PP_PLACEHOLDER.CENTER_TITLE): TextStyle.COVER_TITLE,
        (LAYOUT_COVER, PP_PLACEHOLDER.SUBTITLE): TextStyle.COVER_SUBTITLE,
        (LAYOUT_SECTION, PP_PLACEHOLDER.TITLE): TextStyle.SECTION_TITLE,
    }
    for (layout_name, kind), style in expected.items():
        (placeholder,) = [
            p for p in by_name[layout_name].placeholders if p.placeholder_format.type == kind
        ]
        assert first_size(placeholder.element) == STYLES[style].size * 100
    for placeholder in prs.slide_master.placeholders:
        if placeholder.placeholder_format.type in FOOTER_TYPES:
            run = next(placeholder.element.iter(qn("a:defRPr")))
            assert int(run.get("sz")) == STYLES[TextStyle.FOOTER].size * 100
            assert run.find(f"{qn('a:solidFill')}/{qn('a:schemeClr')}").get("val") == "accent4"


def test_every_layouts_footers_carry_the_footer_style(sample: Path) -> None:
    """LibreOffice draws a slide's footer unstyled unless the slide's placeholder has the list
    style; the renderer copies it from the layout, so the layout must have it."""
    for layout in Presentation(str(sample)).slide_layouts:
        for placeholder in layout.placeholders:
            if placeholder.placeholder_format.type in FOOTER_TYPES:
                run = next(placeholder.element.iter(qn("a:defRPr")))
                assert int(run.get("sz")) == STYLES[TextStyle.FOOTER].size * 100, layout.name


@pytest.mark.parametrize("theme", [SAMPLE_TEMPLATE, GREEN], ids=["16x9", "4x3"])
def test_boxes_hold_the_text_they_are_for(theme: TemplateTheme, tmp_path: Path) -> None:
    """Two-line titles and three-line cover subtitles fit; realistic footers fit on one line."""
    path = tmp_path / "t.pptx"
    build_template(path, theme)
    layouts = inspect_template(path).layouts
    heading, body = Measurer(theme.heading_font), Measurer(theme.body_font)
    inset_x, inset_y = 2 * GRID.text_inset * 72, 2 * GRID.text_inset_y * 72  # points

    def points_of(box: Box | None) -> tuple[float, float]:
        assert box is not None
        return to_inches(box.width) * 72 - inset_x, to_inches(box.height) * 72 - inset_y

    for box, style, lines, measure in (
        (layouts[LAYOUT_TITLE_ONLY].title, TextStyle.TITLE, TITLE_LINES, heading),
        (layouts[LAYOUT_COVER].title, TextStyle.COVER_TITLE, TITLE_LINES, heading),
        (layouts[LAYOUT_COVER].subtitle, TextStyle.COVER_SUBTITLE, SUBTITLE_LINES, body),
        (layouts[LAYOUT_SECTION].title, TextStyle.SECTION_TITLE, TITLE_LINES, heading),
    ):
        _, height = points_of(box)
        line = measure.line_height(STYLES[style].size, STYLES[style].line_spacing)
        assert lines * line <= height, style
    page = layouts[LAYOUT_TITLE_ONLY]
    footer = STYLES[TextStyle.FOOTER]
    for box, text in (
        (page.footer, "OFFICIAL-SENSITIVE - not for public distribution"),
        (page.date, "Data as of 30 September 2019"),
        (page.slide_number, "999"),
    ):
        width, height = points_of(box)
        assert body.width(text, footer.size) <= width, text
        assert body.line_height(footer.size, footer.line_spacing) <= height


def test_the_slide_number_placeholder_holds_a_slide_number_field(sample: Path) -> None:
    prs = Presentation(str(sample))
    (number,) = [
        p
        for p in prs.slide_master.placeholders
        if p.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER
    ]
    assert number.element.find(f".//{qn('a:fld')}").get("type") == "slidenum"


def test_every_part_validates_against_the_schemas(sample: Path) -> None:
    assert validate_package(sample) == []


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a.pptx", tmp_path / "b.pptx"
    build_template(first)
    build_template(second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "<dc:title>deckgen template</dc:title>" in core
    assert "<dc:creator>deckgen</dc:creator>" in core
    assert "Steve Canny" not in core


def test_the_committed_template_is_what_deckgen_template_writes(sample: Path) -> None:
    assert sample.read_bytes() == TEMPLATE.read_bytes(), "rewrite it with deckgen template"


def test_a_rebuild_replaces_the_file_and_leaves_no_temporary(sample: Path) -> None:
    sample.write_bytes(b"stale")
    build_template(sample)
    assert zipfile.is_zipfile(sample)
    assert [p.name for p in sample.parent.iterdir()] == [sample.name]


# -- another organisation's template -----------------------------------------------------------


def test_a_4_3_template_with_other_colours_and_fonts_lays_out(green: Path) -> None:
    geometry = inspect_template(green)
    assert (geometry.width, geometry.height) == (inches(10), inches(7.5))
    assert geometry.heading_font == geometry.body_font == "Arial"
    assert geometry.theme_colors == GREEN.colors
    assert list(geometry.layouts) == list(REQUIRED_LAYOUTS)
    assert_laid_out(geometry)
    assert_footers_in_band(geometry)
    assert_title_in_band(geometry)
    for name in REQUIRED_LAYOUTS:
        for box in decorations(green, name):
            assert box.right <= geometry.width and box.bottom <= geometry.height, name
    assert validate_package(green) == []


def test_a_4_3_template_says_so_in_its_slide_size(green: Path) -> None:
    with zipfile.ZipFile(green) as archive:
        presentation = etree.fromstring(archive.read("ppt/presentation.xml"))
    assert presentation.find(qn("p:sldSz")).get("type") == "screen4x3"


def test_a_users_template_with_system_colours_and_default_placeholders(tmp_path: Path) -> None:
    """python-pptx's default template, its layouts renamed: dk1/lt1 are sysClr, and its
    layouts' placeholders take their position from the master."""
    prs = Presentation()
    names = {"Title Slide": "Cover", "Section Header": "Section"}
    for layout in prs.slide_layouts:
        if layout.name in names:
            layout.element.find(qn("p:cSld")).set("name", names[layout.name])
    path = tmp_path / "mine.pptx"
    prs.save(str(path))
    geometry = inspect_template(path)
    assert geometry.theme_colors["dk1"] == "000000"
    assert geometry.theme_colors["lt1"] == "FFFFFF"
    assert geometry.heading_font == "Calibri"
    title_only = geometry.layouts[LAYOUT_TITLE_ONLY]
    assert title_only.title == Box(457200, 274638, 8229600, 1143000)  # the master's
    assert title_only.footer is not None
    assert set(REQUIRED_LAYOUTS) <= set(geometry.layouts)


# -- errors --------------------------------------------------------------------------------------


def error_of(path: Path) -> str:
    with pytest.raises(DeckgenError) as caught:
        inspect_template(path)
    message = caught.value.format_message()
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


def test_a_template_without_a_required_layout_names_it(sample: Path, tmp_path: Path) -> None:
    prs = Presentation(str(sample))
    section = next(layout for layout in prs.slide_layouts if layout.name == LAYOUT_SECTION)
    prs.slide_layouts.remove(section)
    path = tmp_path / "mine.pptx"
    prs.save(str(path))
    message = error_of(path)
    assert "no slide layout named 'Section'" in message
    assert "(it has: Cover, Title Only, Blank)" in message
    assert message.endswith("add one with that name")


def test_a_template_without_several_layouts_names_each(tmp_path: Path) -> None:
    path = tmp_path / "default.pptx"
    Presentation().save(str(path))
    message = error_of(path)
    assert "no slide layouts named 'Cover', 'Section'" in message
    assert "Title Slide, Title and Content" in message


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.pptx"
    path.write_text("not a presentation")
    assert "not a PowerPoint .pptx template: the file is text" in error_of(path)


def test_a_zip_that_is_not_a_presentation_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "book.pptx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert "not a PowerPoint .pptx template: it is an Excel workbook" in error_of(path)


def test_a_zip_bomb_template_is_refused_before_it_is_parsed(sample: Path, tmp_path: Path) -> None:
    path = tmp_path / "bomb.pptx"
    with zipfile.ZipFile(sample) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr(
            "ppt/media/padding.bin", b"\0" * (64 * 2**20), compress_type=zipfile.ZIP_DEFLATED
        )
    assert "zip bomb" in error_of(path)


def damaged(sample: Path, out: Path, change: dict[str, bytes | None]) -> Path:
    """A copy of the sample template with parts replaced, or left out where given None."""
    with zipfile.ZipFile(sample) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = change.get(info.filename, source.read(info))
            if data is not None:
                target.writestr(info.filename, data, zipfile.ZIP_DEFLATED)
    return out


def part_of(sample: Path, name: str) -> str:
    with zipfile.ZipFile(sample) as archive:
        return archive.read(name).decode()


MASTER = "ppt/slideMasters/slideMaster1.xml"
MASTER_RELS = "ppt/slideMasters/_rels/slideMaster1.xml.rels"
LAYOUT = "ppt/slideLayouts/slideLayout3.xml"
LAYOUT_RELS = "ppt/slideLayouts/_rels/slideLayout3.xml.rels"
PRESENTATION = "ppt/presentation.xml"
PRESENTATION_RELS = "ppt/_rels/presentation.xml.rels"
THEME = "ppt/theme/theme1.xml"


def _edit(name: str, old: str, new: str) -> Callable[[Path], dict[str, bytes | None]]:
    def change(sample: Path) -> dict[str, bytes | None]:
        text = part_of(sample, name)
        assert old in text, (name, old)
        return {name: text.replace(old, new, 1).encode()}

    return change


def _drop(*names: str) -> Callable[[Path], dict[str, bytes | None]]:
    return lambda sample: dict.fromkeys(names)


# Each damage python-pptx met with a KeyError or worse, and what the line says instead.
DAMAGE: dict[str, tuple[Callable[[Path], dict[str, bytes | None]], str]] = {
    "no-master": (_drop(MASTER), f"points to {MASTER}, which is missing"),
    "no-master-rels": (_drop(MASTER_RELS), f"slide master {MASTER} has no theme"),
    "no-layout": (_drop(LAYOUT), f"points to {LAYOUT}, which is missing"),
    "no-layout-rels": (_drop(LAYOUT_RELS), f"slide layout {LAYOUT} has no slide master"),
    "layout-rel-to-nowhere": (
        _edit(LAYOUT_RELS, "slideMaster1.xml", "slideMaster9.xml"),
        "points to ppt/slideMasters/slideMaster9.xml, which is missing",
    ),
    "master-lists-an-unknown-layout": (
        _edit(MASTER, 'r:id="rId6"', 'r:id="rId99"'),
        f"{MASTER} lists slide layout rId99, which has no relationship",
    ),
    "no-presentation-rels": (
        _drop(PRESENTATION_RELS),
        f"{PRESENTATION} lists slide master rId1, which has no relationship",
    ),
    "presentation-lists-an-unknown-master": (
        _edit(PRESENTATION, 'r:id="rId1"', 'r:id="rId42"'),
        f"{PRESENTATION} lists slide master rId42, which has no relationship",
    ),
    "no-master-listed": (
        _edit(PRESENTATION, '<p:sldMasterId id="2147483648" r:id="rId1"/>', ""),
        "has no slide master",
    ),
    "no-theme": (_drop(THEME), f"points to {THEME}, which is missing"),
    "theme-not-a-theme": (
        lambda sample: {THEME: b"<?xml version='1.0'?><nothing/>"},
        f"part {THEME} is not a theme",
    ),
    "master-does-not-parse": (
        lambda sample: {MASTER: b"<p:sldMaster"},
        f"part {MASTER} does not parse",
    ),
    "rels-do-not-parse": (
        lambda sample: {MASTER_RELS: b"<Relationships"},
        f"part {MASTER_RELS} does not parse",
    ),
    "size-zero": (
        _edit(PRESENTATION, 'cx="12192000" cy="6858000"', 'cx="0" cy="0"'),
        "the template's slide width is 0 in; a slide is 1 to 56 in",
    ),
    "size-absurd": (
        _edit(PRESENTATION, 'cx="12192000" cy="6858000"', 'cx="99999999999" cy="6858000"'),
        "the template's slide width is 109361 in; a slide is 1 to 56 in",
    ),
    "size-not-a-number": (
        _edit(PRESENTATION, 'cx="12192000"', 'cx="wide"'),
        "slide size",
    ),
    "title-of-no-width": (
        _edit(MASTER, '<a:ext cx="11277600" cy="868680"/>', '<a:ext cx="0" cy="868680"/>'),
        "layout 'Title Only': the title placeholder has no size",
    ),
    "title-off-the-slide": (
        _edit(MASTER, '<a:off x="457200" y="365760"/>', '<a:off x="-99999999" y="365760"/>'),
        "the title placeholder lies off the 13.3333 x 7.5 in slide",
    ),
    "title-miles-wide": (
        _edit(
            MASTER, '<a:ext cx="11277600" cy="868680"/>', '<a:ext cx="99999999999" cy="868680"/>'
        ),
        "the title placeholder lies off the 13.3333 x 7.5 in slide",
    ),
    "title-where-no-number-is": (
        _edit(MASTER, '<a:off x="457200" y="365760"/>', '<a:off x="left" y="365760"/>'),
        "the title placeholder's position is not a number",
    ),
    "size-missing": (
        _edit(PRESENTATION, '<p:sldSz cx="12192000" cy="6858000"/>', ""),
        "does not say its slide size",
    ),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_template_is_one_line_naming_it(
    damage: str, sample: Path, tmp_path: Path
) -> None:
    change, expected = DAMAGE[damage]
    path = damaged(sample, tmp_path / "damaged.pptx", change(sample))
    message = error_of(path)
    assert expected in message
    assert len(message) < 300, message


def test_a_damaged_template_stops_the_build_before_anything_is_drawn(
    sample: Path, tmp_path: Path
) -> None:
    path = damaged(sample, tmp_path / "damaged.pptx", dict.fromkeys([MASTER]))
    out = tmp_path / "deck.pptx"
    code, output = run_cli(
        "build", str(SAMPLE_WORKBOOK), "-o", str(out), "--template", str(path), "--deck", str(DECK)
    )
    assert code == 2
    assert output.count("\n") == 1 and output.startswith(f"error: {path}: "), output
    assert not out.exists()


def test_a_missing_template_is_named(tmp_path: Path) -> None:
    assert error_of(tmp_path / "layouts" / "none.pptx").endswith("no such file")


def test_a_theme_missing_a_colour_is_refused() -> None:
    colors = dict(SAMPLE_THEME)
    del colors["accent6"]
    with pytest.raises(DeckgenError, match="no colour for accent6"):
        replace(SAMPLE_TEMPLATE, colors=colors)


def test_a_theme_colour_that_is_not_hex_is_refused() -> None:
    with pytest.raises(DeckgenError, match="RRGGBB"):
        replace(SAMPLE_TEMPLATE, colors={**SAMPLE_THEME, "accent1": "navy"})
