"""Rule: nothing hangs off the slide, and no placeholder is left empty.

A shape off the slide is cut off in the show and surprises whoever reuses the slide. An empty
placeholder shows "Click to add text" while editing and is announced by screen readers.
Positions are in slide coordinates (groups' transforms applied, rotation included).
"""

from __future__ import annotations

from deckgen.checks.deck import Deck, Slide
from deckgen.checks.findings import Finding, Rule, inches
from deckgen.checks.ooxml import body_text, qn
from deckgen.checks.shapes import ShapeView, bounds
from deckgen.specs import Emu

TOLERANCE = Emu(1)


def check_bounds(deck: Deck, slide: Slide, shapes: list[ShapeView]) -> list[Finding]:
    findings: list[Finding] = []
    outside_groups: list[object] = []
    for view in shapes:
        if view.group is not None and view.group in outside_groups:
            outside_groups.append(view.element)  # its group is reported already
            continue
        message = _off_slide(deck, view)
        if message:
            findings.append(_finding(Rule.OFF_SLIDE, slide, view, message))
            if view.kind == "grpSp":
                outside_groups.append(view.element)
        if _empty_placeholder(view):
            message = (
                "placeholder is empty (PowerPoint shows its prompt text; remove it or fill it)"
            )
            findings.append(_finding(Rule.EMPTY_PLACEHOLDER, slide, view, message))
    return findings


def _off_slide(deck: Deck, view: ShapeView) -> str:
    box = bounds(view)
    if box is None:
        return ""
    beyond = {
        "left": -box.left,
        "top": -box.top,
        "right": box.right - deck.width,
        "bottom": box.bottom - deck.height,
    }
    edges = [
        f"{inches(amount)} beyond the {edge} edge"
        for edge, amount in beyond.items()
        if amount > TOLERANCE
    ]
    if not edges:
        return ""
    wholly = box.right <= 0 or box.bottom <= 0 or box.left >= deck.width or box.top >= deck.height
    where = "lies wholly off the slide" if wholly else "lies partly off the slide"
    return f"{where}: {', '.join(edges)}"


def _empty_placeholder(view: ShapeView) -> bool:
    if view.placeholder is None:
        return False
    if view.kind == "sp":
        return not body_text(view.text_body).strip()
    if view.kind == "pic":
        blip = view.element.find(f"{qn('p:blipFill')}/{qn('a:blip')}")
        return blip is None or not (blip.get(qn("r:embed")) or blip.get(qn("r:link")))
    return False


def _finding(rule: Rule, slide: Slide, view: ShapeView, message: str) -> Finding:
    return Finding(rule, message, slide.number, slide.name, view.name, view.order)
