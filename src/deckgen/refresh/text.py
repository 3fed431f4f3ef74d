"""Bring the figures of a text up to date inside its runs, leaving every other word as it is.

Three texts meet: the one deckgen wrote (the old record, with where each figure sat), the one the
deck shows now (the new record) and the one the talk has (the user's, perhaps edited). The old
text is aligned with the talk's character by character; a figure whose every character is still
there, in one piece, is replaced in place, within the runs that hold it, so each run keeps its
formatting and every hand-written word around it stays. A figure the user rewrote no longer
aligns: it is left as the user wrote it, and reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from deckgen.identity import Mark, Record
from deckgen.refresh.report import Change, Conflict, Outcome

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_P, _R, _FLD, _BR, _T = (f"{{{A}}}{n}" for n in ("p", "r", "fld", "br", "t"))
BREAK = "\v"
GLUE = "\n"


@dataclass
class _Piece:
    element: Any  # a:r, a:fld or a:br
    start: int  # offset of its text in the whole text
    text: str

    @property
    def editable(self) -> bool:
        return bool(self.element.tag == _R)


@dataclass(frozen=True)
class Where:
    """Who is told about a change: the talk's slide number and the shape's name."""

    slide: int
    shape: str


class TalkText:
    """The paragraphs of a text body as one string, and the runs behind each character."""

    def __init__(self, body: Any) -> None:
        self.body = body
        self.paragraphs = body.findall(_P)
        self.pieces: list[_Piece] = []
        texts = []
        offset = 0
        for number, paragraph in enumerate(self.paragraphs):
            if number:
                offset += len(GLUE)
            line = []
            for child in paragraph:
                if child.tag in (_R, _FLD):
                    t = child.find(_T)
                    text = (t.text or "") if t is not None else ""
                elif child.tag == _BR:
                    text = BREAK
                else:
                    continue
                self.pieces.append(_Piece(child, offset, text))
                line.append(text)
                offset += len(text)
            texts.append("".join(line))
        self.text = GLUE.join(texts)

    def replace(self, start: int, end: int, new: str) -> bool:
        """Put `new` where [start, end) is, in the first run that holds it; False when the span
        crosses a field or a line break, which are not text to rewrite."""
        covered = [p for p in self.pieces if p.start < end and p.start + len(p.text) > start]
        if not covered and start == end:
            covered = [p for p in self.pieces if p.start <= start <= p.start + len(p.text)][:1]
        if not covered or not all(p.editable for p in covered):
            return False
        first = covered[0]
        head = first.text[: max(start - first.start, 0)]
        for piece in covered:
            keep_from = min(max(end - piece.start, 0), len(piece.text))
            tail = piece.text[keep_from:]
            if piece is first:
                piece.text = head + new + tail
                _set(piece.element, piece.text)
            elif tail:
                piece.text = tail  # edits go from the end backwards: starts before stay right
                _set(piece.element, tail)
            else:
                piece.element.getparent().remove(piece.element)
                self.pieces.remove(piece)
        return True


def _set(run: Any, text: str) -> None:
    t = run.find(_T)
    if t is None:
        t = run.makeelement(_T, {})
        run.append(t)
    t.text = text


def old_text(record: Record) -> str:
    return GLUE.join(record.paragraphs)


def absolute(record: Record, mark: Mark) -> tuple[int, int]:
    """A mark's span in the record's paragraphs joined as one text."""
    before = sum(len(p) + len(GLUE) for p in record.paragraphs[: mark.paragraph])
    return before + mark.start, before + mark.end


def pairs(old: Record, new: Record) -> tuple[list[tuple[Mark, Mark]], list[Mark], list[Mark]]:
    """Old and new figures paired by reference and by order among the same reference; then the
    old ones the new text no longer has, and the new ones the old text did not have."""
    waiting: dict[str, list[Mark]] = {}
    for mark in new.marks:
        waiting.setdefault(mark.reference, []).append(mark)
    paired, gone = [], []
    for mark in old.marks:
        queue = waiting.get(mark.reference)
        if queue:
            paired.append((mark, queue.pop(0)))
        else:
            gone.append(mark)
    added = [m for queue in waiting.values() for m in queue]
    return paired, gone, added


def aligned(old: str, talk: str) -> list[int]:
    """For each character of `old`, its position in `talk`, or -1 where it is not there."""
    where = [-1] * len(old)
    matcher = SequenceMatcher(None, old, talk, autojunk=False)
    for block in matcher.get_matching_blocks():
        for i in range(block.size):
            where[block.a + i] = block.b + i
    return where


def intact(where: Sequence[int], start: int, end: int) -> tuple[int, int] | None:
    """Where the old span [start, end) is in the talk, when it is all there and in one piece."""
    if end <= start or end > len(where):
        return None
    first = where[start]
    if first < 0:
        return None
    for offset in range(start, end):
        if where[offset] != first + (offset - start):
            return None
    return first, first + (end - start)


def shown(record: Record, talk: str) -> int:
    """How many of a record's figures the talk still shows where the record put them."""
    where = aligned(old_text(record), talk)
    return sum(1 for m in record.marks if intact(where, *absolute(record, m)) is not None)


def _inside(outer: Mark, marks: Sequence[Mark]) -> list[Mark]:
    return [
        m
        for m in marks
        if m is not outer
        and m.paragraph == outer.paragraph
        and outer.start <= m.start
        and m.end <= outer.end
    ]


def _inside_another(mark: Mark, marks: Sequence[Mark]) -> bool:
    """Whether `mark` is a figure inside a choice's words (it comes and goes with them)."""
    return any(mark in _inside(outer, marks) for outer in marks if outer is not mark)


def _frame(outer: Mark, inner: Sequence[Mark]) -> str:
    """A choice's words with the figures inside them blanked: what the data chose."""
    text = outer.text
    for mark in sorted(inner, key=lambda m: -m.start):
        at = mark.start - outer.start
        text = text[:at] + "\0" + text[at + len(mark.text) :]
    return text


def _finest(
    paired: Sequence[tuple[Mark, Mark]], old: Record, new: Record
) -> list[tuple[Mark, Mark]]:
    """The pairs to change: a choice whose words stay is left to the figures inside it, so
    only those change; a choice whose words change is replaced whole, figures and all."""
    skip: set[int] = set()
    for before, after in paired:
        inner_old, inner_new = _inside(before, old.marks), _inside(after, new.marks)
        if not inner_old:
            continue
        if _frame(before, inner_old) == _frame(after, inner_new):
            skip.add(id(before))
        else:
            skip.update(id(m) for m in inner_old)
    return [(b, a) for b, a in paired if id(b) not in skip]


def merge(body: Any, old: Record, new: Record, at: Where) -> Outcome:
    """Replace, in `body` (an a:txBody or p:txBody), each figure that changed from `old` to
    `new` where the talk still shows it as deckgen wrote it."""
    outcome = Outcome()
    talk = TalkText(body)
    where = aligned(old_text(old), talk.text)
    paired, gone, added = pairs(old, new)
    edits: list[tuple[int, int, str, Mark, Mark]] = []
    for before, after in _finest(paired, old, new):
        if before.text == after.text:
            continue
        span = intact(where, *absolute(old, before))
        if span is None:
            reason = (
                "rewritten by hand (the text no longer shows what deckgen wrote); left as written"
            )
            outcome.conflicts.append(Conflict(at.slide, at.shape, before.text, after.text, reason))
            continue
        edits.append((span[0], span[1], after.text, before, after))
    for start, end, text, before, after in sorted(edits, key=lambda e: -e[0]):
        if talk.replace(start, end, text):
            outcome.changes.append(Change(at.slide, at.shape, "figure", before.text, after.text))
        else:
            reason = "split by a field or line break; left as written"
            outcome.conflicts.append(Conflict(at.slide, at.shape, before.text, after.text, reason))
    gone = [m for m in gone if not _inside_another(m, old.marks)]
    added = [m for m in added if not _inside_another(m, new.marks)]
    for mark in gone:
        reason = "the deck no longer shows this figure here; left as written"
        outcome.conflicts.append(Conflict(at.slide, at.shape, mark.text, "", reason))
    for mark in added:
        reason = "a figure the deck now shows here that the talk's text has no place for"
        outcome.conflicts.append(Conflict(at.slide, at.shape, "", mark.text, reason))
    return outcome
