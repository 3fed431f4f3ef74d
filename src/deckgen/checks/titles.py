"""Rule: every slide has a title, first in reading order and unique in the deck.

The title is how a slide is found in the outline, announced by a screen reader and named when
it travels into another deck; two slides with one title cannot be told apart in any of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from deckgen.checks.deck import Slide
from deckgen.checks.findings import Finding, Rule
from deckgen.checks.ooxml import body_text
from deckgen.checks.shapes import ShapeView


@dataclass(frozen=True)
class SlideTitle:
    """A slide's title as the deck-wide check needs it: plain values, so that keeping every
    slide's title does not keep every slide's tree."""

    slide: int
    slide_name: str
    shape: str
    order: int
    text: str

    @property
    def key(self) -> str:
        """Titles compare ignoring case and runs of whitespace."""
        return " ".join(self.text.split()).casefold()


def find_title(shapes: list[ShapeView]) -> ShapeView | None:
    return next(
        (v for v in shapes if v.kind == "sp" and v.placeholder and v.placeholder.is_title), None
    )


def check_title(slide: Slide, shapes: list[ShapeView]) -> tuple[list[Finding], SlideTitle | None]:
    """Findings about one slide's title, and the title for the deck-wide uniqueness check."""
    view = find_title(shapes)
    if view is None:
        message = "has no title (a title placeholder with the slide's message)"
        return [Finding(Rule.TITLE, message, slide.number, slide.name)], None
    text = body_text(view.text_body).strip()
    findings = []
    if not text:
        findings.append(_finding(slide, view, "the title is empty"))
    if shapes and shapes[0] is not view:
        first = shapes[0].name or shapes[0].kind
        findings.append(
            _finding(slide, view, f"the title is not first in reading order ('{first}' is)")
        )
    title = SlideTitle(slide.number, slide.name, view.name, view.order, text) if text else None
    return findings, title


def check_unique(titles: list[SlideTitle]) -> list[Finding]:
    """A title that repeats an earlier slide's, reported on the later slide."""
    seen: dict[str, SlideTitle] = {}
    findings = []
    for title in titles:
        first = seen.setdefault(title.key, title)
        if first is not title:
            message = f"title '{title.text}' is the same as slide {first.slide}'s"
            findings.append(
                Finding(
                    Rule.TITLE, message, title.slide, title.slide_name, title.shape, title.order
                )
            )
    return findings


def _finding(slide: Slide, view: ShapeView, message: str) -> Finding:
    return Finding(Rule.TITLE, message, slide.number, slide.name, view.name, view.order)
