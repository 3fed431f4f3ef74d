"""Plan the whole deck: every slide definition through its builder, slide numbers settled."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path

from deckgen import formatting
from deckgen.deckdef import DeckDef, strings
from deckgen.metrics import Metrics
from deckgen.model import Workbook
from deckgen.references import Resolver
from deckgen.slides.context import BuildContext
from deckgen.slides.footers import fit_footers, footer_texts
from deckgen.slides.kinds import BUILDERS
from deckgen.specs import DeckSpec, PageGeometry, SlideSpec

MAX_PASSES = 3  # slide numbers printed on slides can move slides; settle within a few passes


def plan_deck(
    deck: DeckDef,
    model: Workbook,
    metrics: Metrics,
    geometry: PageGeometry,
    elsewhere: Mapping[str, str] | None = None,
) -> DeckSpec:
    """Return the specs of every slide, with contents and slide references numbered right.

    `elsewhere` titles the slides of the full deck that this deck leaves out (a deck of chosen
    slides, a slide on its own): "see slide {slide.yearly}" then names that slide's title
    instead of a number that would point nowhere.
    """
    numbers = {s.id: n for n, s in enumerate(deck.slides, start=1)}
    others = {k: v for k, v in (elsewhere or {}).items() if k not in numbers}
    slides: list[SlideSpec] = []
    settled: dict[int, list[SlideSpec]] = {}  # slides whose build read no slide number
    for _ in range(MAX_PASSES):
        looked_up = _Numbers(numbers)
        resolver = Resolver(model, metrics, None, others)
        resolver.slide_numbers = looked_up
        ctx = BuildContext(model, metrics, resolver, geometry, deck)
        slides = []
        for index, definition in enumerate(deck.slides):
            built = settled.get(index)
            if built is None:
                looked_up.read = False
                built = BUILDERS[definition.kind](ctx, definition)
                if not looked_up.read:
                    settled[index] = built  # the next pass would build it the same
            slides.extend(built)
        planned: dict[str, int] = {}
        for n, spec in enumerate(slides, start=1):
            planned.setdefault(spec.definition_id, n)
        if planned == numbers:
            break
        numbers = planned
    about = model.about
    data_as_of = formatting.format_date(about.data_as_of)
    texts = footer_texts(about.classification, data_as_of, len(slides))
    footers = fit_footers(ctx, (s.layout for s in slides if s.footer), texts)
    return DeckSpec(
        title=about.title,
        organisation=about.organisation,
        classification=about.classification,
        data_as_of=data_as_of,
        slides=tuple(slides),
        footer_sizes=footers,
        subject=about.subtitle,
        definition=Path(deck.path).stem,
    )


class _Numbers(Mapping[str, int]):
    """The slide numbers a pass plans with, noting whether a slide's build read any.

    Slide numbers printed on slides can move later slides, so the deck is planned again with
    the numbers the last pass found; a slide that read none (a 900-slide table, say) comes out
    the same, and is kept instead of built again.
    """

    def __init__(self, numbers: Mapping[str, int]) -> None:
        self._numbers = dict(numbers)
        self.read = False

    def __getitem__(self, key: str) -> int:
        self.read = True
        return self._numbers[key]

    def __contains__(self, key: object) -> bool:
        self.read = True
        return key in self._numbers

    def __iter__(self) -> Iterator[str]:
        self.read = True
        return iter(self._numbers)

    def __len__(self) -> int:
        self.read = True
        return len(self._numbers)


def titles(deck: DeckSpec) -> dict[str, str]:
    """Each slide definition's title as shown (its first slide's), by id."""
    found: dict[str, str] = {}
    for slide in deck.slides:
        found.setdefault(slide.definition_id, slide.title)
    return found


def standalone(
    deck: DeckDef,
    model: Workbook,
    metrics: Metrics,
    geometry: PageGeometry,
    full: DeckSpec,
    elsewhere: Mapping[str, str] | None = None,
) -> dict[str, tuple[SlideSpec, ...]]:
    """The slides of each per-slide deck (--split) that refers to another slide, by the key of
    the full deck's slide: planned alone, so "see slide 9" names slide 9's title instead. A
    slide that refers to no other slide is the full deck's own (absent here). `elsewhere`
    titles the slides `full` leaves out (a deck of chosen slides)."""
    named = {**(elsewhere or {}), **titles(full)}
    pieces: dict[str, tuple[SlideSpec, ...]] = {}
    for definition in deck.slides:
        if not any("{slide." in text for text in strings(definition.data)):
            continue
        keys = [s.key for s in full.slides if s.definition_id == definition.id]
        alone = plan_deck(replace(deck, slides=(definition,)), model, metrics, geometry, named)
        specs = alone.slides
        for index, key in enumerate(keys):
            part = specs[index : index + 1] if index < len(keys) - 1 else specs[index:]
            if part:
                pieces[key] = part
    return pieces
