"""Part naming without walking the package: every name still unique, the deck still opens."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches

from deckgen.render import partnames
from tests.conftest import ROOT

TEMPLATE = ROOT / "layouts" / "template.pptx"


def deck(slides: int, fast: bool) -> bytes:
    prs = Presentation(str(TEMPLATE))
    if fast:
        partnames.install(prs.part.package)
    layout = prs.slide_layouts[2]
    for n in range(slides):
        slide = prs.slides.add_slide(layout)
        slide.shapes.title.text = f"Slide {n}"
        data = CategoryChartData()
        data.categories = ["a", "b"]
        data.add_series("s", (n, n + 1))
        slide.shapes.add_chart(
            XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(2), Inches(4), Inches(3), data
        )
        slide.notes_slide.notes_text_frame.text = f"notes {n}"
        if n % 7 == 0:
            image = ROOT / "docs" / "preview.png"
            slide.shapes.add_picture(str(image), Inches(6), Inches(2), Inches(2))
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


def test_part_names_are_the_ones_python_pptx_would_give() -> None:
    assert sorted(names(deck(12, fast=True))) == sorted(names(deck(12, fast=False)))


def test_every_part_name_is_unique_and_the_deck_reopens(tmp_path: Path) -> None:
    data = deck(300, fast=True)
    parts = names(data)
    assert len(parts) == len(set(parts))
    assert sum(p.startswith("ppt/charts/chart") for p in parts) == 300
    assert (
        sum(p.startswith("ppt/notesSlides/notesSlide") and p.endswith(".xml") for p in parts) == 300
    )
    path = tmp_path / "many.pptx"
    path.write_bytes(data)
    reopened = Presentation(str(path))
    assert len(reopened.slides) == 300
    assert reopened.slides[299].notes_slide.notes_text_frame.text == "notes 299"


def test_names_skip_ones_already_taken() -> None:
    prs = Presentation(str(TEMPLATE))
    names_in_use = partnames.install(prs.part.package)
    names_in_use.taken().add("/ppt/charts/chart1.xml")
    assert str(prs.part.package.next_partname("/ppt/charts/chart%d.xml")) == (
        "/ppt/charts/chart2.xml"
    )
    assert str(prs.part.package.next_partname("/ppt/charts/chart%d.xml")) == (
        "/ppt/charts/chart3.xml"
    )
