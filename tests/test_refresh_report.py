"""The summary `deckgen refresh` prints: counts read as English at one and at many."""

from __future__ import annotations

from deckgen.refresh.report import Summary


def summary(shapes: int, slides: int) -> str:
    found = Summary("talk.pptx", "deck.pptx", shapes, slides, 0, (), ())
    return found.lines(dry_run=False)[0]


def test_one_shape_on_one_slide_is_singular() -> None:
    assert summary(1, 1).startswith("talk.pptx: 1 shape from deck.pptx on 1 slide; ")


def test_many_shapes_on_many_slides_are_plural() -> None:
    assert summary(5, 2).startswith("talk.pptx: 5 shapes from deck.pptx on 2 slides; ")
