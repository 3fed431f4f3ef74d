"""Plan the whole deck: every slide definition through its builder, slide numbers settled."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from deckgen import formatting
from deckgen.deckdef import DeckDef
from deckgen.metrics import Metrics
from deckgen.model import Workbook
from deckgen.references import Resolver
from deckgen.slides.context import BuildContext
from deckgen.slides.kinds import BUILDERS
from deckgen.specs import DeckSpec, PageGeometry, SlideSpec

MAX_PASSES = 3  # slide numbers printed on slides can move slides; settle within a few passes


def plan_deck(
    deck: DeckDef,
    model: Workbook,
    metrics: Metrics,
    geometry: PageGeometry,
    outside: Mapping[str, int] | None = None,
) -> DeckSpec:
    """Return the specs of every slide, with contents and slide references numbered right.

    `outside` numbers the slides a partial deck leaves out (their number in the full deck),
    so "see slide 9" still points somewhere real.
    """
    numbers = {s.id: n for n, s in enumerate(deck.slides, start=1)}
    slides: list[SlideSpec] = []
    for _ in range(MAX_PASSES):
        known = {**(outside or {}), **numbers}
        ctx = BuildContext(model, metrics, Resolver(model, metrics, known), geometry, deck)
        slides = [spec for s in deck.slides for spec in BUILDERS[s.kind](ctx, s)]
        planned: dict[str, int] = {}
        for n, spec in enumerate(slides, start=1):
            planned.setdefault(spec.definition_id, n)
        if planned == numbers:
            break
        numbers = planned
    about = model.about
    return DeckSpec(
        title=about.title,
        organisation=about.organisation,
        classification=about.classification,
        data_as_of=formatting.format_date(about.data_as_of),
        slides=tuple(slides),
        subject=about.subtitle,
        definition=Path(deck.path).stem,
    )
