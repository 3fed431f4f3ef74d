"""One slide's tables and text styles, worked out once and shared by the rules that read them.

The overflow and contrast rules both read every paragraph of every text box and table cell,
through the same style chains; resolving a paragraph costs far more than judging it, so each
paragraph is resolved once per slide, and each table read once. The chains themselves are the
deck's (StyleChains), so a footer or a table cell styled as on the previous slide costs nothing
to resolve again. What is here belongs to one slide and goes with it.
"""

from __future__ import annotations

from deckgen.checks.deck import Deck, Slide
from deckgen.checks.ooxml import A_LST_STYLE, Element
from deckgen.checks.shapes import ShapeView
from deckgen.checks.tables import Cell, Table, table_of
from deckgen.checks.textstyle import (
    Layer,
    ParagraphStyle,
    StyleChain,
    StyleChains,
    cell_layers,
    serialised,
    shape_layers,
)


class SlideText:
    """The text of one slide as the rules see it, each piece resolved on first use."""

    def __init__(self, deck: Deck, slide: Slide, chains: StyleChains) -> None:
        self.deck = deck
        self.slide = slide
        self._chains = chains
        self._tables: dict[Element, Table | None] = {}
        self._paragraphs: dict[Element, list[ParagraphStyle]] = {}
        self._cell_chains: dict[tuple[Element | None, Element | None], StyleChain] = {}
        self._markup: dict[Element, bytes | None] = {}

    def table(self, view: ShapeView) -> Table | None:
        """The table in a graphic frame, None when it holds something else."""
        if view.element not in self._tables:
            self._tables[view.element] = table_of(view, self.deck)
        return self._tables[view.element]

    def shape_paragraphs(self, view: ShapeView) -> list[ParagraphStyle]:
        """A shape's paragraphs with their resolved styles ([] when it has no text body)."""
        found = self._paragraphs.get(view.element)
        if found is None:
            chain = self._chain(shape_layers(view, self.slide, self.deck))
            found = self._paragraphs[view.element] = chain.paragraphs(view.text_body)
        return found

    def cell_paragraphs(self, table: Table, cell: Cell) -> list[ParagraphStyle]:
        """A table cell's paragraphs with their resolved styles, the table style's included."""
        found = self._paragraphs.get(cell.element)
        if found is None:
            body = cell.body
            own = body.find(A_LST_STYLE) if body is not None else None
            defaults = table.text_defaults(cell)
            # Cells whose own list style is empty share one chain (most cells: it is written
            # empty or not at all).
            key = (own if own is not None and len(own) else None, defaults)
            chain = self._cell_chains.get(key)
            if chain is None:
                chain = self._chain(cell_layers(body, defaults, self.deck))
                self._cell_chains[key] = chain
            found = self._paragraphs[cell.element] = chain.paragraphs(body)
        return found

    def _chain(self, layers: tuple[Layer, ...]) -> StyleChain:
        theme = self.slide.theme
        return self._chains.get(layers, theme.major_font, theme.minor_font, self._serialised)

    def _serialised(self, element: Element | None) -> bytes | None:
        """An element's markup, remembered for the slide: the deck's own list styles are met
        by every shape."""
        if element is None:
            return None
        if element not in self._markup:
            self._markup[element] = serialised(element)
        return self._markup[element]
