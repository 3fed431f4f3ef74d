"""Refresh a talk from a deck: every shape that came from the deck, one at a time, in memory.

Nothing is written here: the result is the talk's new bytes (None when nothing changed), with
what was changed and what was left as a conflict. Shapes the deck did not make, and every part
that holds none of its shapes, are passed through as they were.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from lxml import etree

from deckgen import autofit, identity
from deckgen.identity import Record
from deckgen.refresh import charts, fit, notes, pictures, tables, text
from deckgen.refresh.find import (
    CHART_KIND,
    PICTURE_KIND,
    TABLE_KIND,
    TEXT_KIND,
    Found,
    Slide,
    name_of,
    scan,
)
from deckgen.refresh.names import qn
from deckgen.refresh.package import Package
from deckgen.refresh.report import Conflict, Outcome
from deckgen.refresh.source import Source
from deckgen.refresh.text import Where

DEFAULT_BUILT = datetime(2000, 1, 1, tzinfo=UTC)
_CORE = "docProps/core.xml"
_MODIFIED = "{http://purl.org/dc/terms/}modified"


@dataclass
class Refreshed:
    """What a refresh found and did."""

    shapes: int = 0
    slides: set[int] = field(default_factory=set)
    refreshed: int = 0
    outcome: Outcome = field(default_factory=Outcome)
    data: bytes | None = None  # the talk's new bytes; None when nothing changed
    # Texts listed as too long for their box even shrunk: (talk slide, shape name as it is now)
    unfitted: set[tuple[int, str]] = field(default_factory=set)


def refresh(talk_path: Path, source: Source) -> Refreshed:
    """Bring every shape of `talk_path` that came from `source` up to date, in memory."""
    result = Refreshed()
    with Package(talk_path) as talk:
        built = _built(source.package)
        texts: list[tuple[Found, Where]] = []
        for slide in scan(talk):
            _slide(talk, slide, source, built, result, texts)
        if talk.changed:
            result.data = talk.to_bytes()
            if texts and _shrink_to_fit(talk, talk_path.name, result, texts):
                result.data = talk.to_bytes()
    return result


def _shrink_to_fit(
    talk: Package, name: str, result: Refreshed, texts: list[tuple[Found, Where]]
) -> bool:
    """Write the shrink each refreshed text needs to fit its box again (fit.py), measured in
    the refreshed talk; report a text that does not fit even so. True when anything changed."""
    assert result.data is not None
    wanted = {}
    for found, at in texts:
        c_nv_pr = found.element.find(f"./*/{qn('p:cNvPr')}")
        shape_id = c_nv_pr.get("id") if c_nv_pr is not None else None
        if shape_id:
            wanted[(found.part, shape_id)] = (
                found,
                at,
                fit.Wanted(found.part, shape_id, found.role),
            )
    changed = False
    for fitted in fit.fit_texts(result.data, name, (w for _, _, w in wanted.values())):
        found, at, _ = wanted[(fitted.wanted.part, fitted.wanted.shape_id)]
        body_pr = found.element.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}")
        if fitted.shrink is not None and body_pr is not None:
            autofit.write(body_pr, fitted.shrink)
            part = talk.part(found.part)
            if part is not None:
                part.changed(found.element)
                changed = True
        if fitted.problem:
            result.outcome.conflicts.append(Conflict(at.slide, at.shape, "", "", fitted.problem))
            result.unfitted.add((at.slide, identity.unmarked_name(name_of(found.element))))
    return changed


def _slide(
    talk: Package,
    slide: Slide,
    source: Source,
    built: datetime,
    result: Refreshed,
    texts: list[tuple[Found, Where]],
) -> None:
    """Refresh the deck's shapes on one slide; the texts that changed go into `texts`, to be
    fitted to their boxes once the whole talk is refreshed."""
    updated: dict[str, Record] = {}
    for found in slide.found:
        if not found.belongs_to(source.key):
            continue
        fresh = source.by_uid.get(found.uid)
        at = Where(found.number, _label(found))
        if found.inferred and (fresh is None or not _resembles(found, fresh, source)):
            continue  # a title or notes of a slide holding deckgen shapes, but the user's own
        if fresh is None or fresh.record is None:
            result.shapes += 1
            result.slides.add(found.number)
            reason = (
                f"no longer in {source.path.name} (its slide '{identity.uid_slide(found.uid)}' "
                "has no such shape now); left as it is"
            )
            result.outcome.conflicts.append(Conflict(at.slide, at.shape, "", "", reason))
            continue
        result.shapes += 1
        result.slides.add(found.number)
        before = etree.tostring(found.element)
        outcome = _one(talk, found, fresh, source, built, at)
        if outcome is None:
            continue
        renamed = _rename(found, fresh.record, source.key)
        described = _describe(found, fresh)
        result.outcome.extend(outcome)
        if outcome.changes or renamed or described:
            result.refreshed += 1
        if etree.tostring(found.element) != before:  # only a shape that changed is written again
            part = talk.part(found.part)
            if part is not None:
                part.changed(found.element)
            if found.kind == TEXT_KIND and found.role != identity.NOTES:
                texts.append((found, at))
        if found.tags:
            _write_tag(talk, found.tags, identity.shape_payload(source.key, fresh.record))
        elif found.role in identity.SLIDE_ROLES:
            updated[found.uid] = fresh.record
    if slide.tag is not None and slide.tags and updated:
        records = tuple(updated.get(r.uid, r) for r in slide.tag.records)
        tag = replace(slide.tag, records=records)
        _write_tag(talk, slide.tags, identity.slide_payload(tag))


def _one(
    talk: Package, found: Found, fresh: Found, source: Source, built: datetime, at: Where
) -> Outcome | None:
    """Refresh one shape; None when it is not the kind of shape the deck has there now."""
    new = fresh.record
    assert new is not None
    old = found.record
    if found.role == identity.NOTES:
        body = found.element
        if old is None:
            old = notes.best_old(
                source.earlier(found.uid), notes.lines_of(body.find(qn("p:txBody")))
            )
        fresh_body = fresh.element.find(qn("p:txBody"))
        lines = notes.lines_of(fresh_body) if fresh_body is not None else []
        return notes.merge(body, old, lines, at)
    if found.kind != fresh.kind:
        outcome = Outcome()
        reason = f"the deck now has a {fresh.kind} here, not a {found.kind}; left as it is"
        outcome.conflicts.append(Conflict(at.slide, at.shape, "", "", reason))
        return outcome
    if found.kind == TEXT_KIND:
        body = found.element.find(qn("p:txBody"))
        if body is None:
            return None
        if old is None:
            old = _best_text(source.earlier(found.uid), text.TalkText(body).text, new)
            if old is None:
                return _lost(body, new, at)
        return text.merge(body, old, new, at)
    if found.kind == TABLE_KIND:
        if old is None:
            table = tables.table_of(found.element)
            rows = tables.rows_of(table) if table is not None else []
            old = tables.best_old(source.earlier(found.uid), rows)
        return tables.merge(found.element, old, new, at, fresh.element)
    if found.kind == CHART_KIND:
        mine = charts.chart_part(talk, found.part, found.element)
        theirs = charts.chart_part(source.package, fresh.part, fresh.element)
        if mine is None or theirs is None:
            outcome = Outcome()
            reason = "its chart part cannot be found; left as it is"
            outcome.conflicts.append(Conflict(at.slide, at.shape, "", "", reason))
            return outcome
        return charts.merge(talk, mine, old, new, source.package, theirs, at, built)
    if found.kind == PICTURE_KIND:
        return pictures.merge(
            talk, found.part, found.element, old, source.package, fresh.part, fresh.element, at
        )
    return None


RESEMBLANCE = 0.6  # how alike a title or notes must be to deckgen's to be taken as deckgen's


def _resembles(found: Found, fresh: Found, source: Source) -> bool:
    """Whether an inferred title, date or notes reads like what the deck has, or had, there."""
    body = found.element.find(qn("p:txBody"))
    if body is None or fresh.record is None:
        return False
    talk = text.TalkText(body).text
    for record in [fresh.record, *source.earlier(found.uid)]:
        if (
            SequenceMatcher(None, text.old_text(record), talk, autojunk=False).ratio()
            >= RESEMBLANCE
        ):
            return True
    return False


def _best_text(candidates: Iterable[Record], talk: str, new: Record) -> Record | None:
    """The earlier record whose figures the talk's text shows most of; None when the text
    already shows every figure of the new one, or none of any earlier one's."""
    if text.shown(new, talk) == len(new.marks):
        return new
    best, score = None, 0
    for record in candidates:
        shown = text.shown(record, talk)
        if shown > score:
            best, score = record, shown
    return best


LOST = (
    "what deckgen wrote here is not known (the shape's record was lost on the way, as "
    "LibreOffice loses it, and no manifest beside the deck records it); left as it is"
)


def _lost(body: Any, new: Record, at: Where) -> Outcome:
    """Each figure the talk does not show as the deck does now, reported."""
    outcome = Outcome()
    talk = text.TalkText(body).text
    where = text.aligned(text.old_text(new), talk)
    for mark in new.marks:
        if text.intact(where, *text.absolute(new, mark)) is None:
            outcome.conflicts.append(Conflict(at.slide, at.shape, "?", mark.text, LOST))
    return outcome


def _rename(found: Found, new: Record, key: str) -> bool:
    """A name deckgen gave (a chart's is its title) follows the deck, unless the user renamed."""
    old = found.record
    if old is None or not old.name or not new.name or old.name == new.name:
        return False
    c_nv_pr = found.element.find(f"./*/{qn('p:cNvPr')}")
    if c_nv_pr is None or identity.unmarked_name(name_of(found.element)) != old.name:
        return False
    marked = identity.name_mark(name_of(found.element)) is not None
    c_nv_pr.set("name", identity.marked_name(new.name, key, found.uid) if marked else new.name)
    return True


def _describe(found: Found, fresh: Found) -> bool:
    """Alt text deckgen wrote from the data follows the data, unless the user rewrote it."""
    old, new = found.record, fresh.record
    if old is None or new is None:
        return False
    written, wanted = old.extra.get("alt"), new.extra.get("alt")
    if not written or not wanted or written == wanted:
        return False
    c_nv_pr = found.element.find(f"./*/{qn('p:cNvPr')}")
    if c_nv_pr is None or c_nv_pr.get("descr") != written:
        return False
    c_nv_pr.set("descr", str(wanted))
    return True


def _write_tag(talk: Package, part: str, payload: str) -> None:
    """Write the record into the tags part the shape (or slide) points at; other tags stay."""
    tree = talk.part(part)
    if tree is None:
        return
    for tag in tree.root.iter(qn("p:tag")):
        if (tag.get("name") or "").upper() == identity.TAG_NAME:
            if tag.get("val") != payload:
                tag.set("val", payload)
                tree.changed(tag)
            return


def _label(found: Found) -> str:
    if found.role in identity.SLIDE_ROLES:
        return found.role
    return f"'{found.name}'" if found.name else found.role


def _built(package: Package) -> datetime:
    """When the deck was built (its core properties' date), for the workbooks written."""
    root = package.tree(_CORE)
    element = root.find(_MODIFIED) if root is not None else None
    try:
        text_value = (element.text or "").strip() if element is not None else ""
        return (
            datetime.fromisoformat(text_value.replace("Z", "+00:00"))
            if text_value
            else DEFAULT_BUILT
        )
    except ValueError:
        return DEFAULT_BUILT
