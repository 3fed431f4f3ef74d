"""Bring a reused table up to date: its cells, its rows added or removed, its styling kept.

Rows are matched by their first cell (a project, a portfolio, "Total"), so a table the user
sorted or trimmed is still understood. A cell is rewritten only where the talk still shows what
deckgen wrote there, keeping the cell's run formatting; a cell the user changed is left and
reported. A row the deck no longer has is removed when the user left it as deckgen wrote it; a
new row is added where the deck puts it, styled as its neighbours of the same stripe.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from deckgen.identity import Record
from deckgen.refresh.names import qn
from deckgen.refresh.report import Change, Conflict, Outcome
from deckgen.refresh.text import Where

LOST = (
    "what deckgen wrote here is not known (the table's record was lost on the way, as "
    "LibreOffice loses it, and no manifest beside the deck records it); left as it is"
)
_TR, _TC, _P, _R, _T = qn("a:tr"), qn("a:tc"), qn("a:p"), qn("a:r"), qn("a:t")


def table_of(frame: Any) -> Any:
    return frame.find(f"{qn('a:graphic')}/{qn('a:graphicData')}/{qn('a:tbl')}")


def cell_text(cell: Any) -> str:
    body = cell.find(qn("a:txBody"))
    if body is None:
        return ""
    return "\n".join("".join(t.text or "" for t in p.iter(_T)) for p in body.iterfind(_P))


def rows_of(table: Any) -> list[list[str]]:
    return [[cell_text(c) for c in row.iterfind(_TC)] for row in table.iterfind(_TR)]


def best_old(candidates: Sequence[Record], talk: list[list[str]]) -> Record | None:
    """The earlier record the talk's table agrees with most (None when it agrees with none)."""
    cells = {(i, j, text) for i, row in enumerate(talk) for j, text in enumerate(row)}
    best, score = None, 0
    for record in candidates:
        mine = sum(
            1
            for i, row in enumerate(record.rows)
            for j, text in enumerate(row)
            if (i, j, text) in cells
        )
        if mine > score:
            best, score = record, mine
    return best


def merge(frame: Any, old: Record | None, new: Record, at: Where, model: Any = None) -> Outcome:
    """Update the table in graphic frame `frame` from `old` (as written) to `new`; `model` is
    the deck's table, whose rows give a new row its height."""
    outcome = Outcome()
    table = table_of(frame)
    if table is None or not new.rows:
        return outcome
    rows = list(table.iterfind(_TR))
    talk = rows_of(table)
    width = len(new.rows[0])
    if not rows or any(len(row) != width for row in talk):
        reason = "its columns were changed by hand; left as it is"
        outcome.conflicts.append(Conflict(at.slide, at.shape, "", "", reason))
        return outcome
    base = old.rows if old is not None else ()
    # The header row: by position.
    if base:
        _cells(rows[0], talk[0], base[0], new.rows[0], at, "header", outcome)
    old_rows = _keyed(base[1:])
    new_rows = _keyed(new.rows[1:])
    talk_keys = _keys([row[0] for row in talk[1:]])
    kept: dict[tuple[str, int], Any] = {}
    for key, element, texts in zip(talk_keys, rows[1:], talk[1:], strict=True):
        written, wanted = old_rows.get(key), new_rows.get(key)
        if wanted is None and written is None:
            continue  # a row the user added: theirs
        if wanted is None:
            assert written is not None
            if list(written) == texts:
                _remove_row(frame, element)
                outcome.changes.append(Change(at.slide, at.shape, "table", key[0], "(row removed)"))
            else:
                reason = "a row the deck no longer has, changed by hand; left as it is"
                outcome.conflicts.append(Conflict(at.slide, at.shape, key[0], "", reason))
            continue
        kept[key] = element
        if written is None:  # not known what deckgen wrote: every difference is reported
            for number, (shown, cell) in enumerate(zip(texts, wanted, strict=False)):
                if shown != cell:
                    where = f"{key[0]}, column {number + 1}: "
                    reason = where + (LOST if old is None else "a row added by hand; left as it is")
                    outcome.conflicts.append(Conflict(at.slide, at.shape, shown, cell, reason))
            continue
        _cells(element, texts, written, wanted, at, key[0], outcome)
    if old is None:
        for key in new_rows:
            if key not in kept:
                reason = f"a row the deck has and the talk does not; {LOST}"
                outcome.conflicts.append(Conflict(at.slide, at.shape, "", key[0], reason))
        return outcome
    heights = _heights(model, new)
    _add_rows(frame, table, new_rows, old_rows, kept, heights, at, outcome)
    return outcome


def _heights(model: Any, new: Record) -> dict[tuple[str, int], int]:
    """The height the deck gives each of its rows, by key."""
    table = table_of(model) if model is not None else None
    if table is None:
        return {}
    rows = list(table.iterfind(_TR))[1:]
    keys = _keys([r[0] for r in new.rows[1:]])
    return {key: int(row.get("h") or 0) for key, row in zip(keys, rows, strict=False)}


def _keys(firsts: Sequence[str]) -> list[tuple[str, int]]:
    """Rows keyed by their first cell, numbered where a first cell repeats."""
    seen: dict[str, int] = {}
    keys = []
    for first in firsts:
        seen[first] = seen.get(first, 0) + 1
        keys.append((first, seen[first]))
    return keys


def _keyed(rows: Sequence[Sequence[str]]) -> dict[tuple[str, int], tuple[str, ...]]:
    return dict(zip(_keys([r[0] for r in rows]), (tuple(r) for r in rows), strict=True))


def _cells(
    row: Any,
    talk: Sequence[str],
    old: Sequence[str],
    new: Sequence[str],
    at: Where,
    label: str,
    outcome: Outcome,
) -> None:
    cells = list(row.iterfind(_TC))
    for number, (cell, shown, written, wanted) in enumerate(
        zip(cells, talk, old, new, strict=False)
    ):
        if written == wanted or shown == wanted:
            continue
        where = f"{label}, column {number + 1}"
        if shown != written:
            reason = f"{where}: changed by hand; left as written"
            outcome.conflicts.append(Conflict(at.slide, at.shape, written, wanted, reason))
            continue
        set_cell(cell, wanted)
        outcome.changes.append(Change(at.slide, at.shape, "table", written, wanted))


def set_cell(cell: Any, text: str) -> None:
    """Put `text` in a cell, in its first run, keeping that run's and paragraph's formatting."""
    body = cell.find(qn("a:txBody"))
    if body is None:
        return
    paragraphs = body.findall(_P)
    if not paragraphs:
        paragraphs = [body.makeelement(_P, {})]
        body.append(paragraphs[0])
    first = paragraphs[0]
    for extra in paragraphs[1:]:
        body.remove(extra)
    runs = first.findall(_R)
    if not runs:
        run = first.makeelement(_R, {})
        end = first.find(qn("a:endParaRPr"))
        if end is not None:
            properties = copy.deepcopy(end)
            properties.tag = qn("a:rPr")
            run.append(properties)
            end.addprevious(run)
        else:
            first.append(run)
        runs = [run]
    for extra in runs[1:]:
        first.remove(extra)
    for other in first.findall(qn("a:br")) + first.findall(qn("a:fld")):
        first.remove(other)
    t = runs[0].find(_T)
    if t is None:
        t = runs[0].makeelement(_T, {})
        runs[0].append(t)
    t.text = text


def _remove_row(frame: Any, row: Any) -> None:
    _grow(frame, -int(row.get("h") or 0))
    row.getparent().remove(row)


def _add_rows(
    frame: Any,
    table: Any,
    new_rows: dict[tuple[str, int], tuple[str, ...]],
    old_rows: dict[tuple[str, int], tuple[str, ...]],
    kept: dict[tuple[str, int], Any],
    heights: dict[tuple[str, int], int],
    at: Where,
    outcome: Outcome,
) -> None:
    """Insert the rows the deck has and the talk lacks, after the row that precedes them in
    the deck, each a copy of the row two above (the same stripe), its cells filled."""
    previous: Any = table.find(_TR)  # the header
    for key, texts in new_rows.items():
        if key in kept:
            previous = kept[key]
            continue
        if key in old_rows:
            continue  # the user removed it: their choice
        rows = list(table.iterfind(_TR))
        position = rows.index(previous) + 1
        template = rows[position - 2] if position - 2 >= 1 else previous
        if template is rows[0] and len(rows) > 1:
            template = rows[1]
        row = copy.deepcopy(template)
        height = max(int(row.get("h") or 0), heights.get(key, 0))
        row.set("h", str(height))
        for cell, text in zip(row.iterfind(_TC), texts, strict=False):
            set_cell(cell, text)
        previous.addnext(row)
        _grow(frame, int(row.get("h") or 0))
        kept[key] = row
        previous = row
        outcome.changes.append(Change(at.slide, at.shape, "table", "(new row)", key[0]))


def _grow(frame: Any, delta: int) -> None:
    """Keep the frame's height the sum of its rows' heights."""
    ext = frame.find(f"{qn('p:xfrm')}/{qn('a:ext')}")
    if ext is not None and delta:
        ext.set("cy", str(max(int(ext.get("cy") or 0) + delta, 0)))
