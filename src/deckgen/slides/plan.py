"""Plan the whole deck: every slide definition through its builder, slide numbers settled."""

from __future__ import annotations

from collections.abc import Mapping
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
    for _ in range(MAX_PASSES):
        resolver = Resolver(model, metrics, numbers, others)
        ctx = BuildContext(model, metrics, resolver, geometry, deck)
        slides = [spec for s in deck.slides for spec in BUILDERS[s.kind](ctx, s)]
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
