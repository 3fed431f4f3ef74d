"""check_deck: read a .pptx and apply every rule, slide by slide, in presentation order."""

from __future__ import annotations

from pathlib import Path

from deckgen.checks.accessibility import check_accessibility
from deckgen.checks.bounds import check_bounds
from deckgen.checks.contrast import check_contrast
from deckgen.checks.deck import load_deck
from deckgen.checks.findings import CheckReport, Finding, sort_findings
from deckgen.checks.integrity import check_integrity
from deckgen.checks.measure import TextMeasure
from deckgen.checks.notes import check_notes
from deckgen.checks.overflow import check_overflow
from deckgen.checks.package import open_package
from deckgen.checks.shapes import slide_shapes
from deckgen.checks.titles import SlideTitle, check_title, check_unique


def check_deck(path: Path) -> CheckReport:
    """Check the deck at `path`; raise DeckFileError (a DeckgenError) when it cannot be read."""
    deck = load_deck(open_package(path))
    measure = TextMeasure()
    findings: list[Finding] = check_integrity(deck)
    titles: list[SlideTitle] = []
    for slide in deck.slides:
        if slide.root is None:
            continue
        shapes = slide_shapes(slide)
        title_findings, title = check_title(slide, shapes)
        findings.extend(title_findings)
        if title is not None:
            titles.append(title)
        findings.extend(check_accessibility(slide, shapes))
        findings.extend(check_bounds(deck, slide, shapes))
        findings.extend(check_overflow(deck, slide, shapes, measure))
        findings.extend(check_contrast(deck, slide, shapes))
        findings.extend(check_notes(slide, shapes))
    findings.extend(check_unique(titles))
    return CheckReport(path, len(deck.slides), sort_findings(findings))
