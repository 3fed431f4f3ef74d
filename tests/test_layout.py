"""The page grid and the flow of cards onto slides (slides/layout.py), without a workbook."""

from __future__ import annotations

import pytest

from deckgen.design import TextStyle
from deckgen.render.template import inspect_template
from deckgen.slides.kinds.table import _decimals, _rounded_together
from deckgen.slides.layout import Page, Para, StackCard, TextCard, flow, rescale
from deckgen.specs import LAYOUT_TITLE_ONLY, Bullet, Run, TextSpec
from deckgen.textmetrics import Measurer
from tests.conftest import TEMPLATE

SENTENCE = "A bullet of some twenty words that wraps onto a second line in a narrow column of text."


@pytest.fixture(scope="module")
def page() -> Page:
    return Page.of(inspect_template(TEMPLATE), LAYOUT_TITLE_ONLY)


@pytest.fixture(scope="module")
def measurer(page: Page) -> Measurer:
    return Measurer(page.geometry.body_font)


def bullets(count: int) -> tuple[Para, ...]:
    return tuple(
        Para((Run(f"{n}. {SENTENCE}"),), TextStyle.BULLET, bullet=Bullet.BULLET)
        for n in range(count)
    )


def test_spans_keep_their_proportions_on_a_wider_grid() -> None:
    assert rescale([3, 3, 3], 12) == [4, 4, 4]
    assert rescale([9], 12) == [12]
    assert rescale([5, 3], 12) == [8, 4]
    assert sum(rescale([1, 1, 1, 1, 1], 12)) == 12


def test_content_that_fits_stays_on_one_page(page: Page, measurer: Measurer) -> None:
    assert len(flow([[TextCard("Block", bullets(8))]], page, measurer)) == 1


def test_a_continuation_is_balanced_with_the_page_before_it(page: Page, measurer: Measurer) -> None:
    # Enough bullets for a page and a few lines: filled greedily the second page would hold a
    # tenth of what the first does.
    card = TextCard("Block", bullets(80))
    per_page = len(flow([[card]], page, measurer)[0].shapes[0].paragraphs)  # type: ignore[union-attr]
    count = per_page + 3
    pages = flow([[TextCard("Block", bullets(count))]], page, measurer)
    assert len(pages) == 2
    used = [p.used for p in pages]
    assert min(used) > 0.8 * max(used), used
    shown = [len(p.shapes[0].paragraphs) for p in pages if isinstance(p.shapes[0], TextSpec)]
    assert sum(shown) == count


def test_a_panel_that_fits_a_page_is_never_cut_to_balance(page: Page, measurer: Measurer) -> None:
    panel = StackCard(
        "Panel",
        ((TextCard("Figures", bullets(8), span=4),),),
        page,
        measurer,
        span=4,
        stretch=True,
        panel=True,
        keep_together=True,
    )
    rest = StackCard("Rest", ((TextCard("Words", bullets(40), span=8),),), page, measurer, span=8)
    pages = flow([[panel, rest]], page, measurer)
    assert len(pages) == 2
    names = [[s.name for s in p.shapes] for p in pages]
    assert "Figures" in names[0] and "Figures" not in names[1]
    # What continues on its own spreads across the page.
    words = next(s for s in pages[1].shapes if s.name == "Words")
    assert words.box.width > page.span_width(11)


def test_a_table_column_has_as_few_decimals_as_its_figures_need() -> None:
    assert _decimals([332.0, 26.21, 5.46, 153.8]) == 0
    assert _decimals([332.0, 0.4]) == 1
    assert _decimals([0.04, 1.0]) == 2


def test_figures_rounded_together_add_up_as_shown() -> None:
    values = [332.0, 6.0, 6.0, 6.0, 26.21, 5.46, 17.0, 2.0]
    shown = _rounded_together(values, 401.0, 0)
    assert shown == [332, 6, 6, 6, 26, 6, 17, 2] and sum(shown) == 401
    groups = _rounded_together([400.67, 619.8], 1020.0, 0)
    assert groups == [400, 620]


def test_the_stages_import_one_way() -> None:
    """The renderer draws specs without the planner; the planner reads the model, not the
    workbook reader."""
    import ast
    from pathlib import Path

    src = Path(__file__).resolve().parent.parent / "src" / "deckgen"

    def imports(folder: str) -> set[str]:
        found = set()
        for path in (src / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module:
                    found.add(node.module)
                elif isinstance(node, ast.Import):
                    found.update(alias.name for alias in node.names)
        return found

    assert not [m for m in imports("render") if m.startswith("deckgen.slides")]
    assert not [m for m in imports("slides") if m.startswith("deckgen.workbook")]
