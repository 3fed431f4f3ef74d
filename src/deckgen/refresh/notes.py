"""Bring a reused slide's speaker notes up to date, line by line, keeping the presenter's own.

The notes deckgen wrote (the old record keeps a digest of each line), the notes the deck has
now and the talk's notes meet as lines. Every run of lines deckgen changed is applied where the
talk still has those lines as deckgen wrote them; lines the presenter added stay where they
are, and a changed line the presenter edited is left as edited and reported.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import Any

from deckgen.identity import Record, line_digest
from deckgen.refresh.names import qn
from deckgen.refresh.report import Change, Conflict, Outcome
from deckgen.refresh.text import Where

_P, _R, _T, _BR, _FLD = qn("a:p"), qn("a:r"), qn("a:t"), qn("a:br"), qn("a:fld")
SHOWN = 60  # characters of a notes line quoted in the report


def lines_of(body: Any) -> list[str]:
    lines = []
    for paragraph in body.iterfind(_P):
        pieces = []
        for child in paragraph:
            if child.tag in (_R, _FLD):
                pieces.append("".join(t.text or "" for t in child.iter(_T)))
            elif child.tag == _BR:
                pieces.append("\v")
        lines.append("".join(pieces))
    return lines


def best_old(candidates: Sequence[Record], talk: Sequence[str]) -> Record | None:
    """The earlier notes the talk's notes share most lines with (None when none)."""
    have = {line_digest(line) for line in talk if line}
    best, score = None, 0
    for record in candidates:
        mine = sum(1 for line in record.lines if line in have)
        if mine > score:
            best, score = record, mine
    return best


def merge(shape: Any, old: Record | None, new: Sequence[str], at: Where) -> Outcome:
    """Update the notes body `shape` (a p:sp) from `old` (its record: a digest per line) to
    the lines `new` the deck's notes have now."""
    outcome = Outcome()
    body = shape.find(qn("p:txBody"))
    if body is None:
        return outcome
    talk = lines_of(body)
    if talk == list(new):
        return outcome
    if old is None:
        reason = (
            "what deckgen wrote in these notes is not known (their record was lost on the way, "
            "as LibreOffice loses it, and no manifest beside the deck records it); left as they are"
        )
        outcome.conflicts.append(Conflict(at.slide, at.shape, "", "", reason))
        return outcome
    before = list(old.lines)
    after = [line_digest(line) for line in new]
    where = _aligned(before, [line_digest(line) for line in talk])
    paragraphs = body.findall(_P)
    edits = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        span = _span(where, i1, i2, len(talk))
        new_lines = list(new[j1:j2])
        if span is None:
            reason = "notes edited by hand here; left as edited"
            outcome.conflicts.append(Conflict(at.slide, at.shape, "", _quote(new_lines), reason))
            continue
        edits.append((span, new_lines))
    for (start, end), new_lines in sorted(edits, key=lambda e: -e[0][0]):
        old_lines = talk[start:end]
        _replace(body, paragraphs, start, end, new_lines)
        outcome.changes.append(
            Change(at.slide, at.shape, "notes", _quote(old_lines), _quote(new_lines))
        )
    return outcome


def _aligned(old: Sequence[str], talk: Sequence[str]) -> list[int]:
    where = [-1] * len(old)
    for block in SequenceMatcher(None, old, talk, autojunk=False).get_matching_blocks():
        for i in range(block.size):
            where[block.a + i] = block.b + i
    return where


def _span(where: Sequence[int], start: int, end: int, talk_length: int) -> tuple[int, int] | None:
    """Where old lines [start, end) are in the talk, all there and together; for an insertion
    (start == end), where the talk keeps the lines on either side next to each other."""
    if start == end:
        left = where[start - 1] if start > 0 else -1
        right = where[start] if start < len(where) else talk_length
        if start > 0 and left < 0:
            return None
        if start < len(where) and right < 0:
            return None
        if right != left + 1:
            return None
        return left + 1, left + 1
    first = where[start]
    if first < 0:
        return None
    for offset in range(start, end):
        if where[offset] != first + offset - start:
            return None
    return first, first + end - start


def _replace(body: Any, paragraphs: list[Any], start: int, end: int, lines: Sequence[str]) -> None:
    """Replace paragraphs [start, end) by one per line, each shaped like its neighbour."""
    model = (
        paragraphs[start] if start < len(paragraphs) else (paragraphs[-1] if paragraphs else None)
    )
    anchor = paragraphs[start - 1] if start > 0 else None
    for paragraph in paragraphs[start:end]:
        body.remove(paragraph)
    made = [_paragraph(model, line) for line in lines]
    for paragraph in made:
        if anchor is not None:
            anchor.addnext(paragraph)
        else:
            first = body.find(_P)
            if first is not None:
                first.addprevious(paragraph)
            else:
                body.append(paragraph)
        anchor = paragraph


def _paragraph(model: Any, text: str) -> Any:
    """A paragraph holding `text`, with the paragraph and run properties of `model`."""
    paragraph = model.makeelement(_P, {}) if model is not None else None
    if paragraph is None:
        from lxml import etree

        paragraph = etree.Element(_P)
    properties = model.find(qn("a:pPr")) if model is not None else None
    if properties is not None:
        paragraph.append(copy.deepcopy(properties))
    run_model = model.find(_R) if model is not None else None
    pieces = text.split("\v")
    for number, piece in enumerate(pieces):
        if number:
            paragraph.append(paragraph.makeelement(_BR, {}))
        if not piece:
            continue
        run = paragraph.makeelement(_R, {})
        if run_model is not None and run_model.find(qn("a:rPr")) is not None:
            run.append(copy.deepcopy(run_model.find(qn("a:rPr"))))
        t = run.makeelement(_T, {})
        t.text = piece
        run.append(t)
        paragraph.append(run)
    end = model.find(qn("a:endParaRPr")) if model is not None else None
    if end is not None:
        paragraph.append(copy.deepcopy(end))
    return paragraph


def _quote(lines: Sequence[str]) -> str:
    text = " / ".join(line for line in lines if line) or "(blank line)"
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"
