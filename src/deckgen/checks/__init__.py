"""The quality gate: findings on a built .pptx that tests rarely see.

Text that spills out of its box only when PowerPoint draws it, a chart a screen reader cannot
describe, a shape off the slide, a file PowerPoint wants to repair. Works on any .pptx, reads it
through the package guard (deckgen.opc) and lxml only, never python-pptx, and changes nothing.
"""

from deckgen.archive import PackageError
from deckgen.checks.findings import CheckReport, Finding, Rule
from deckgen.checks.run import check_deck, check_deck_bytes, check_deck_members

__all__ = [
    "CheckReport",
    "Finding",
    "PackageError",
    "Rule",
    "check_deck",
    "check_deck_bytes",
    "check_deck_members",
]
