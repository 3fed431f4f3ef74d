"""What makes large decks fast must not change what is in them.

Finished slides are kept as bytes, footers and notes slides are copied from the first of their
kind, tables are written as text and the presentation's relationships are indexed. Each of
these is checked here against what a user relies on: every slide numbered and named as its
own, notes on the right slide, unique part names and shape ids, and a 1,000-slide deck that
LibreOffice draws with one page per slide.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from deckgen import pipeline
from deckgen.cli import cli
from deckgen.render import growth
from deckgen.render.deck import render
from deckgen.reproducible import normalise
from deckgen.specs import TableSpec
from tests.conftest import ROOT, require_libreoffice
from tests.test_benchmarks import stress

TEMPLATE = ROOT / "layouts" / "template.pptx"
DECK = ROOT / "layouts" / "wmp2020.yaml"
NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}


@pytest.fixture(scope="module")
def stress_plan(tmp_path_factory: pytest.TempPathFactory) -> pipeline.Plan:
    """The 50-slide stress deck planned: long tables over many slides, notes on each."""
    workbook = stress.write_size(tmp_path_factory.mktemp("scale") / "stress-50.xlsx", 50)
    return pipeline.plan(workbook, TEMPLATE, DECK)


@pytest.fixture(scope="module")
def stress_deck(stress_plan: pipeline.Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scale-deck") / "stress-50.pptx"
    path.write_bytes(render(stress_plan.deck, TEMPLATE, stress_plan.geometry))
    return path


def test_keeping_finished_slides_as_bytes_changes_no_byte(
    stress_plan: pipeline.Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    def build() -> bytes:  # with the zip's times fixed, as `deckgen build` writes it
        return normalise(
            render(stress_plan.deck, TEMPLATE, stress_plan.geometry), stress_plan.built
        )

    kept_as_bytes = build()
    monkeypatch.setattr(growth, "freeze", lambda part: None)
    kept_as_trees = build()
    assert kept_as_bytes == kept_as_trees


def test_every_slide_has_its_own_number_footer_and_unique_shape_ids(
    stress_plan: pipeline.Plan, stress_deck: Path
) -> None:
    prs = Presentation(str(stress_deck))
    assert len(prs.slides) == len(stress_plan.deck.slides) == 50
    field_ids = []
    for number, (slide, spec) in enumerate(
        zip(prs.slides, stress_plan.deck.slides, strict=True), start=1
    ):
        tree = etree.fromstring(etree.tostring(slide._element))
        ids = [int(i) for i in tree.xpath(".//p:cNvPr/@id", namespaces=NS)]
        assert len(ids) == len(set(ids)), f"slide {number}: shape ids repeat"
        names = tree.xpath(".//p:cNvPr/@name", namespaces=NS)
        assert len(names) == len(set(names)), f"slide {number}: shape names repeat"
        fields = tree.xpath(".//a:fld[@type='slidenum']", namespaces=NS)
        if not spec.footer:
            assert not fields
            continue
        assert len(fields) == 1
        assert fields[0].findtext("a:t", namespaces=NS) == str(number)
        field_ids.append(fields[0].get("id"))
        texts = " ".join(tree.xpath(".//p:sp//a:t/text()", namespaces=NS))
        assert stress_plan.deck.classification in texts
        assert f"Data as of {stress_plan.deck.data_as_of}" in texts
    assert len(field_ids) == len(set(field_ids))


def test_notes_are_on_their_own_slide(stress_plan: pipeline.Plan, stress_deck: Path) -> None:
    prs = Presentation(str(stress_deck))
    notes_parts = set()
    for number, (slide, spec) in enumerate(
        zip(prs.slides, stress_plan.deck.slides, strict=True), start=1
    ):
        if not spec.notes:
            assert not slide.has_notes_slide
            continue
        notes = slide.notes_slide
        assert notes.part.part_related_by(RT.SLIDE) is slide.part, f"slide {number}"
        assert notes.notes_text_frame.text == spec.notes, f"slide {number}"
        notes_parts.add(notes.part.partname)
    assert len(notes_parts) == sum(1 for s in stress_plan.deck.slides if s.notes)


def test_tables_hold_every_row_in_order(stress_plan: pipeline.Plan, stress_deck: Path) -> None:
    prs = Presentation(str(stress_deck))
    for slide, spec in zip(prs.slides, stress_plan.deck.slides, strict=True):
        tables = [s for s in spec.shapes if isinstance(s, TableSpec)]
        drawn = [shape.table for shape in slide.shapes if shape.has_table]
        assert len(drawn) == len(tables)
        for table, table_spec in zip(drawn, tables, strict=True):
            expected = [tuple(c.header for c in table_spec.columns), *table_spec.rows]
            if table_spec.total is not None:
                expected.append(table_spec.total)
            cells = [tuple(cell.text for cell in row.cells) for row in table.rows]
            assert cells == expected
            heights = [row.height for row in table.rows]
            assert heights == list(table_spec.row_heights)


def test_part_names_and_relationships_are_unique(stress_deck: Path) -> None:
    with zipfile.ZipFile(stress_deck) as archive:
        names = archive.namelist()
        presentation_rels = etree.fromstring(archive.read("ppt/_rels/presentation.xml.rels"))
    assert not [name for name, n in Counter(names).items() if n > 1]
    targets = [rel.get("Target") for rel in presentation_rels]
    ids = [rel.get("Id") for rel in presentation_rels]
    assert len(set(targets)) == len(targets) and len(set(ids)) == len(ids)
    slides = [t for t in targets if t.startswith("slides/")]
    assert len(slides) == 50


@pytest.mark.slow
@pytest.mark.render
def test_a_thousand_slide_deck_builds_and_libreoffice_draws_every_slide(
    tmp_path: Path,
) -> None:
    require_libreoffice()
    from deckgen.libreoffice import page_count, to_pdf

    workbook = stress.write_size(tmp_path / "stress-1000.xlsx", 1000)
    deck = tmp_path / "stress-1000.pptx"
    result = CliRunner().invoke(cli, ["build", str(workbook), "-o", str(deck)])
    assert result.exit_code == 0, result.output
    assert "1000 slides" in result.output
    assert len(Presentation(str(deck)).slides) == 1000
    pdf = to_pdf(deck, tmp_path / "pdf", timeout=900)
    assert page_count(pdf) == 1000


@pytest.mark.parametrize(
    "text",
    [
        'R&D <West> "Q" \'s',
        "tab\there, return\rthere",
        "line one\nline two\n\nafter a blank line",
        "soft\vbreak and bell\x07",
        "emoji 🚓, right-to-left שלום, combining é",
        "",
    ],
)
def test_notes_and_cells_keep_their_text_exactly(text: str) -> None:
    """Text written as markup reads back as python-pptx's own setter would have written it."""
    from pptx.util import Inches

    from deckgen.design import TextStyle
    from deckgen.render.notes import notes_paragraphs
    from deckgen.render.text import paragraph_xml
    from deckgen.specs import Paragraph, Run

    prs = Presentation()
    box = prs.slides.add_slide(prs.slide_layouts[6]).shapes.add_textbox(0, 0, Inches(1), Inches(1))
    box.text_frame.text = text
    by_python_pptx = box.text_frame._txBody
    ours = notes_paragraphs(text)

    def markup(p: etree._Element) -> bytes:  # namespaces declared only where used
        return etree.tostring(p, method="c14n", exclusive=True)

    theirs = by_python_pptx.findall(f"{{{NS['a']}}}p")
    assert [markup(p) for p in ours] == [markup(p) for p in theirs]

    one_line = text.replace("\n", " ").replace("\v", " ").replace("\x07", "")
    paragraph = Paragraph((Run(one_line),), TextStyle.TABLE, 11)
    markup_of_cell = paragraph_xml(paragraph).replace("<a:p>", f"<a:p xmlns:a='{NS['a']}'>", 1)
    parsed = etree.fromstring(markup_of_cell.encode("utf-8"))
    assert "".join(parsed.xpath(".//a:t/text()", namespaces=NS)) == one_line
