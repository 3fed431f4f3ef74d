"""check_deck: read a .pptx and apply every rule, slide by slide, in presentation order.

One slide is in memory at a time: its tree and its notes slide's are parsed when its turn comes
and let go after it (the layouts, masters and themes it shares with others are kept), so a
1,000-slide deck is checked in the memory of one slide.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from deckgen.checks.accessibility import check_accessibility
from deckgen.checks.bounds import check_bounds
from deckgen.checks.contrast import ContrastCheck
from deckgen.checks.deck import Deck, Slide, load_deck
from deckgen.checks.findings import CheckReport, Finding, sort_findings
from deckgen.checks.integrity import check_integrity
from deckgen.checks.measure import TextMeasure
from deckgen.checks.notes import check_notes
from deckgen.checks.overflow import check_overflow
from deckgen.checks.shapes import slide_shapes
from deckgen.checks.slidetext import SlideText
from deckgen.checks.textstyle import StyleChains
from deckgen.checks.titles import SlideTitle, check_title, check_unique
from deckgen.opc import Package, open_package, open_package_bytes, open_package_members


def check_deck(path: Path) -> CheckReport:
    """Check the deck at `path`; raise PackageError (a DeckgenError) when it cannot be read."""
    with open_package(path) as package:
        return _check(package)


def check_deck_bytes(
    data: bytes, name: str, on_slide: Callable[[], None] | None = None
) -> CheckReport:
    """Check a deck held in memory (one just built, not yet written), as check_deck checks a
    file; `name` stands for the file in the report and in errors. `on_slide` is called after
    each slide, for a progress bar."""
    with open_package_bytes(data, name) as package:
        return _check(package, on_slide)


def check_deck_members(
    members: Sequence[tuple[str, bytes]], name: str, on_slide: Callable[[], None] | None = None
) -> CheckReport:
    """Check a deck deckgen has just made from its members (name, bytes) in zip order, as
    check_deck_bytes checks the zip of them, without unzipping it again."""
    with open_package_members(members, name) as package:
        return _check(package, on_slide)


def _check(package: Package, on_slide: Callable[[], None] | None = None) -> CheckReport:
    deck = load_deck(package)
    rules = _SlideRules(deck)
    findings: list[Finding] = []
    names: dict[int, str] = {}  # the package rule reports on slides by name, after they are gone
    for ref in deck.slides:
        slide = deck.load(ref)
        if slide is None:
            continue
        names[slide.number] = slide.name
        findings.extend(rules.check(slide))
        if on_slide is not None:
            on_slide()
    findings.extend(check_unique(rules.titles))
    # The package's findings come first, as they did when checked before the slides: the sort
    # keeps findings with the same slide and place in the order they were made.
    return CheckReport(
        package.path,
        len(deck.slides),
        sort_findings(check_integrity(deck, names) + findings),
    )


class _SlideRules:
    """Every rule that looks at one slide at a time, with what they keep from slide to slide:
    measurers, style chains, the shapes behind each layout, and each slide's title for the
    deck-wide check."""

    def __init__(self, deck: Deck) -> None:
        self.deck = deck
        self.measure = TextMeasure()
        self.contrast = ContrastCheck()
        self.chains = StyleChains()
        self.titles: list[SlideTitle] = []

    def check(self, slide: Slide) -> list[Finding]:
        shapes = slide_shapes(slide)
        text = SlideText(self.deck, slide, self.chains)
        findings, title = check_title(slide, shapes)
        if title is not None:
            self.titles.append(title)
        findings.extend(check_accessibility(slide, shapes))
        findings.extend(check_bounds(self.deck, slide, shapes))
        findings.extend(check_overflow(self.deck, slide, shapes, text, self.measure))
        findings.extend(self.contrast(slide, shapes, text))
        findings.extend(check_notes(slide, shapes))
        return findings
