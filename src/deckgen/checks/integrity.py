"""Rule: the file reopens as it is, without PowerPoint offering to repair it.

Every XML part must parse, every part needs a content type, no zip member may appear twice,
and every internal relationship must lead to a part that exists. Problems met while following
a slide's relationships (a missing layout or notes part) are reported on that slide.

It runs after the slides are checked, with none of their trees in memory: the caller gives
the name of each slide it could read.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping

from deckgen.archive import CONTENT_TYPES, shown
from deckgen.checks.deck import Deck, SlideRef
from deckgen.checks.findings import Finding, Rule
from deckgen.opc import RELS_SUFFIX

REPAIR = "PowerPoint will offer to repair the file"
RELS_FOLDER = "_rels"


def check_integrity(deck: Deck, names: Mapping[int, str]) -> list[Finding]:
    """Findings on the package; `names` holds the name of every slide read, by number."""
    package = deck.package
    slide_of = {s.part: s for s in deck.slides if s.part}
    findings: list[Finding] = []
    broken = package.broken  # parses every part no slide needed, to find them all
    for name, error in broken.items():
        slide = slide_of.get(name)
        message = f"part {shown(name)} is not well-formed XML ({shown(error)}); {REPAIR}"
        if slide is not None:
            findings.append(Finding(Rule.PACKAGE, message, slide.number))
        else:
            findings.append(Finding(Rule.PACKAGE, message))
    for slide in deck.slides:
        if slide.readable and slide.number not in names:
            continue  # its part does not parse, which says all there is to say
        findings.extend(
            Finding(Rule.PACKAGE, problem, slide.number, names.get(slide.number, ""))
            for problem in slide.problems
        )
    findings.extend(
        Finding(Rule.PACKAGE, f"the zip holds {shown(name)} more than once; {REPAIR}")
        for name in package.duplicates
    )
    for name in package.names:
        if name.endswith("/") or name == CONTENT_TYPES:
            continue
        if package.content_type(name) is None:
            message = f"part {shown(name)} has no content type; {REPAIR}"
            findings.append(Finding(Rule.PACKAGE, message))
        if name.endswith(RELS_SUFFIX) and name not in broken:
            findings.extend(_dangling(deck, name, slide_of, names))
    return findings


def _dangling(
    deck: Deck, rels_name: str, slide_of: dict[str, SlideRef], names: Mapping[int, str]
) -> list[Finding]:
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
        target = shown(rel.target) if rel.target else "a place outside the package"
        where = shown(source) if source else "the package"
        message = f"part {where} refers to missing {target} ({shown(rel.rid, 20)}); {REPAIR}"
        if slide is not None:
            findings.append(
                Finding(Rule.PACKAGE, message, slide.number, names.get(slide.number, ""))
            )
        else:
            findings.append(Finding(Rule.PACKAGE, message))
    return findings
