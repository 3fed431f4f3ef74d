"""Rule: the file reopens as it is, without PowerPoint offering to repair it.

Every XML part must parse, every part needs a content type, no zip member may appear twice,
and every internal relationship must lead to a part that exists. Problems met while following
a slide's relationships (a missing layout or notes part) are reported on that slide.
"""

from __future__ import annotations

import posixpath

from deckgen.checks.deck import Deck, Slide
from deckgen.checks.findings import Finding, Rule
from deckgen.checks.package import CONTENT_TYPES

REPAIR = "PowerPoint will offer to repair the file"
RELS_FOLDER = "_rels"
RELS_SUFFIX = ".rels"


def check_integrity(deck: Deck) -> list[Finding]:
    package = deck.package
    slide_of = {s.part: s for s in deck.slides if s.part}
    findings: list[Finding] = []
    for name, error in package.broken.items():
        slide = slide_of.get(name)
        message = f"part {name} is not well-formed XML ({error}); {REPAIR}"
        if slide is not None:
            findings.append(Finding(Rule.PACKAGE, message, slide.number))
        else:
            findings.append(Finding(Rule.PACKAGE, message))
    for slide in deck.slides:
        findings.extend(
            Finding(Rule.PACKAGE, problem, slide.number, slide.name) for problem in slide.problems
        )
    findings.extend(
        Finding(Rule.PACKAGE, f"the zip holds {name} more than once; {REPAIR}")
        for name in package.duplicates
    )
    for name in package.names:
        if name.endswith("/") or name == CONTENT_TYPES:
            continue
        if package.content_type(name) is None:
            findings.append(Finding(Rule.PACKAGE, f"part {name} has no content type; {REPAIR}"))
        if name.endswith(RELS_SUFFIX) and name not in package.broken:
            findings.extend(_dangling(deck, name, slide_of))
    return findings


def _dangling(deck: Deck, rels_name: str, slide_of: dict[str, Slide]) -> list[Finding]:
    """Relationships of one .rels part whose target is not in the package."""
    folder, base = posixpath.split(rels_name)
    if posixpath.basename(folder) != RELS_FOLDER:
        return []
    source = posixpath.join(posixpath.dirname(folder), base[: -len(RELS_SUFFIX)])
    findings = []
    for rel in deck.package.relationships(source).values():
        if rel.external or deck.package.member(rel.target) is not None:
            continue
        slide = slide_of.get(source)
        target = rel.target or "a place outside the package"
        message = f"part {source or 'the package'} refers to missing {target} ({rel.rid}); {REPAIR}"
        if slide is not None:
            findings.append(Finding(Rule.PACKAGE, message, slide.number, slide.name))
        else:
            findings.append(Finding(Rule.PACKAGE, message))
    return findings
