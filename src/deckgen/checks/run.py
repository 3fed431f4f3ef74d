"""check_deck: read a .pptx and apply every rule, slide by slide, in presentation order.

One slide is in memory at a time: its tree and its notes slide's are parsed when its turn comes
and let go after it (the layouts, masters and themes it shares with others are kept), so a
1,000-slide deck is checked in the memory of one slide.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from deckgen.checks.accessibility import check_accessibility
from deckgen.checks.bounds import check_bounds
from deckgen.checks.contrast import ContrastCheck
from deckgen.checks.deck import Deck, Slide, SlideRef, load_deck
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
        return _check(package, on_slide, share=True)


# A deck of this many slides or more, held in memory, is checked in two processes where the
# machine has two cores: the second half's slides in a forked copy of this one. Below it, the
# fork costs more than it saves.
SHARE_FROM_SLIDES = 200


def _check(
    package: Package, on_slide: Callable[[], None] | None = None, share: bool = False
) -> CheckReport:
    deck = load_deck(package)
    refs = list(deck.slides)
    half = len(refs) // 2
    helper = _Helper.start(deck, refs[half:]) if share and _can_share(len(refs)) else None
    try:
        checked = _check_slides(deck, refs[:half] if helper else refs, on_slide)
        if helper is not None:
            theirs = helper.result()
            if theirs is None:  # the helper failed: check its slides here, as they always were
                theirs = _check_slides(deck, refs[half:], on_slide)
            elif on_slide is not None:
                for _ in refs[half:]:
                    on_slide()
            checked = checked.joined(theirs)
    finally:
        if helper is not None:
            helper.stop()
    findings = list(checked.findings)
    findings.extend(check_unique(list(checked.titles)))
    # The package's findings come first, as they did when checked before the slides: the sort
    # keeps findings with the same slide and place in the order they were made.
    return CheckReport(
        package.path,
        len(deck.slides),
        sort_findings(check_integrity(deck, dict(checked.names)) + findings),
    )


class _Checked:
    """What checking some of a deck's slides found, and what the deck-wide rules need of them."""

    def __init__(
        self, findings: list[Finding], titles: list[SlideTitle], names: list[tuple[int, str]]
    ) -> None:
        self.findings = findings
        self.titles = titles
        self.names = names  # the package rule reports on slides by name, after they are gone

    def joined(self, later: _Checked) -> _Checked:
        return _Checked(
            self.findings + later.findings, self.titles + later.titles, self.names + later.names
        )


def _check_slides(
    deck: Deck, refs: Sequence[SlideRef], on_slide: Callable[[], None] | None
) -> _Checked:
    rules = _SlideRules(deck)
    findings: list[Finding] = []
    names: list[tuple[int, str]] = []
    for ref in refs:
        slide = deck.load(ref)
        if slide is None:
            continue
        names.append((slide.number, slide.name))
        findings.extend(rules.check(slide))
        if on_slide is not None:
            on_slide()
    return _Checked(findings, rules.titles, names)


def _can_share(slides: int) -> bool:
    """Fork is cheap and safe here only on Linux, and worth it only for a large deck on a
    machine with a second core to run it."""
    if slides < SHARE_FROM_SLIDES or sys.platform != "linux":
        return False
    if multiprocessing.current_process().daemon:  # a daemonic worker may have no children
        return False
    return len(os.sched_getaffinity(0)) >= 2


class _Helper:
    """A forked copy of this process checking some slides; its findings come back by pipe."""

    def __init__(self, process: Any, connection: Connection) -> None:
        self.process = process
        self.connection = connection

    @classmethod
    def start(cls, deck: Deck, refs: Sequence[SlideRef]) -> _Helper | None:
        context = multiprocessing.get_context("fork")
        receiving, sending = context.Pipe(duplex=False)
        process = context.Process(target=_helper_checks, args=(deck, refs, sending), daemon=True)
        try:
            process.start()
        except OSError:  # no process to be had: check every slide here
            receiving.close()
            sending.close()
            return None
        sending.close()
        return cls(process, receiving)

    def result(self) -> _Checked | None:
        try:
            found = self.connection.recv()
        except (EOFError, OSError):
            return None
        return found if isinstance(found, _Checked) else None

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.connection.close()


def _helper_checks(deck: Deck, refs: Sequence[SlideRef], sending: Connection) -> None:
    """In the forked copy: check `refs` and send back what was found (None on any failure,
    so the parent checks them itself and reports as a single process would)."""
    result: _Checked | None
    try:
        result = _check_slides(deck, refs, None)
    except BaseException:  # any failure: the parent checks these slides again and reports
        result = None
    try:
        sending.send(result)
    finally:
        sending.close()


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
