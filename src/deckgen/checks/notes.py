"""Rule: a slide that shows figures has speaker notes.

Figures need their story and their source at hand when the slide is presented or reused; our
decks put both in the notes. A slide shows figures when its text (footers, dates and slide
numbers aside) has a digit in it, or when it holds a chart or a table. Digits inside a name
that starts with two letters (WMP2020, TS1, FY20) are part of the name, not a figure.
"""

from __future__ import annotations

import re

from deckgen.checks.deck import Slide
from deckgen.checks.findings import Finding, Rule
from deckgen.checks.ooxml import GRAPHIC_TABLE, body_text, is_chart, qn
from deckgen.checks.shapes import ShapeView, placeholder_of, shape_tree

NOTES_BODY = "body"
NAME_WITH_DIGITS = re.compile(r"\b[^\W\d_]{2,}\d\w*")  # WMP2020, TS1: names, not figures


def check_notes(slide: Slide, shapes: list[ShapeView]) -> list[Finding]:
    reason = _figures(shapes)
    if not reason or notes_text(slide).strip():
        return []
    has = "no speaker notes" if slide.notes is None else "empty speaker notes"
    message = f"shows {reason} but has {has} (the talking points and sources go there)"
    return [Finding(Rule.NOTES, message, slide.number, slide.name)]


def notes_text(slide: Slide) -> str:
    """The text of the notes slide's body placeholder ("" when there is none)."""
    tree = shape_tree(slide.notes)
    if tree is None:
        return ""
    for element in tree.iter(qn("p:sp")):
        ph = placeholder_of(element)
        if ph is not None and ph.type == NOTES_BODY:
            return body_text(element.find(qn("p:txBody")))
    return ""


def _figures(shapes: list[ShapeView]) -> str:
    """What makes the slide one that shows figures ("" when nothing does)."""
    for view in shapes:
        data = view.graphic_data() if view.kind == "graphicFrame" else None
        if is_chart(data):
            return "a chart"
        if data is not None and data.get("uri") == GRAPHIC_TABLE:
            return "a table"
    for view in shapes:
        if view.placeholder is not None and view.placeholder.is_footer:
            continue
        if view.kind == "sp" and shows_figure(body_text(view.text_body)):
            return "figures"
    return ""


def shows_figure(text: str) -> bool:
    """Whether text holds a number (a digit outside names such as WMP2020)."""
    return any(c.isdigit() for c in NAME_WITH_DIGITS.sub("", text))
