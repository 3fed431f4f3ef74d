"""Bring a chart drawn as a picture up to date: the new picture in its place, cropped and sized
as the user left it (both belong to the shape on the slide; only the image bytes change)."""

from __future__ import annotations

import hashlib
from typing import Any

from deckgen.identity import Record
from deckgen.refresh import fingerprint
from deckgen.refresh.names import qn
from deckgen.refresh.package import Package
from deckgen.refresh.report import Change, Conflict, Outcome
from deckgen.refresh.text import Where


def image_part(package: Package, slide_part: str, picture: Any) -> str | None:
    blip = picture.find(f"{qn('p:blipFill')}/{qn('a:blip')}")
    if blip is None:
        return None
    return package.target(slide_part, blip.get(qn("r:embed")))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[: fingerprint.DIGITS]


def merge(
    talk: Package,
    slide_part: str,
    picture: Any,
    old: Record | None,
    source: Package,
    source_part: str,
    new_picture: Any,
    at: Where,
) -> Outcome:
    outcome = Outcome()
    mine = image_part(talk, slide_part, picture)
    theirs = image_part(source, source_part, new_picture)
    if mine is None or theirs is None:
        outcome.conflicts.append(Conflict(at.slide, at.shape, "", "", "its image cannot be read"))
        return outcome
    now, fresh = talk.read(mine), source.read(theirs)
    if digest(now) == digest(fresh):
        return outcome
    written = old.extra.get("image") if old is not None else None
    if written != digest(now):
        reason = (
            "the picture was replaced by hand; left as it is"
            if written
            else "not known whether deckgen drew this picture (its record was lost); left as it is"
        )
        outcome.conflicts.append(Conflict(at.slide, at.shape, "", "", reason))
        return outcome
    # PowerPoint stores one copy of an image several shapes show; those are copies of this chart.
    talk.put(mine, fresh)
    outcome.changes.append(Change(at.slide, at.shape, "picture", "the old chart", "the new chart"))
    return outcome
