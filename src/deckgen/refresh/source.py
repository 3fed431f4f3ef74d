"""The deck a talk is refreshed from: its marked shapes by id, and the records of earlier builds.

The deck's own tags say what each shape shows now. Its manifest (and, where builds keep one,
the history of manifests beside it) says what earlier builds showed: when a reused shape lost its
tags on the way (LibreOffice keeps only names), those are the candidates for what deckgen wrote
into it.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from deckgen import history, identity
from deckgen.errors import DeckgenError
from deckgen.identity import Record
from deckgen.refresh.find import Found, scan
from deckgen.refresh.package import Package

MAX_MANIFEST_BYTES = 256 * 1024 * 1024
MAX_HISTORY = 200  # earlier manifests read at most, newest first


class Source:
    """The new deck, open for reading."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.package = Package(path)
        self.by_uid: dict[str, Found] = {}
        keys: Counter[str] = Counter()
        for slide in scan(self.package):
            for found in slide.found:
                if found.record is not None and found.deck:
                    self.by_uid.setdefault(found.uid, found)
                    keys[found.deck] += 1
        if not keys:
            self.package.close()
            raise DeckgenError(
                f"{path}: no shapes marked by deckgen; build the deck again with this version "
                "of deckgen, then refresh from it"
            )
        self.key = keys.most_common(1)[0][0]
        self.by_uid = {uid: f for uid, f in self.by_uid.items() if f.deck == self.key}
        self._earlier: dict[str, list[Record]] | None = None

    def close(self) -> None:
        self.package.close()

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def mark(self) -> str:
        return identity.deck_mark(self.key)

    def earlier(self, uid: str) -> list[Record]:
        """What earlier builds of this deck wrote into shape `uid`, newest first, as the
        manifests beside the deck (and the history of them) record it; what the deck shows now
        is left out."""
        if self._earlier is None:
            self._earlier = {}
            for manifest in self._manifests():
                for record in _records(manifest, self.key):
                    found = self._earlier.setdefault(record.uid, [])
                    if record not in found:
                        found.append(record)
        now = self.by_uid.get(uid)
        records = self._earlier.get(uid, [])
        if now is None or now.record is None:
            return records
        current = now.record
        return [r for r in records if not r.shows_same(current)]

    def _manifests(self) -> list[Path]:
        return history.manifest_files(self.path)[: 1 + MAX_HISTORY]


def _records(path: Path, key: str) -> list[Record]:
    """The shape records of a manifest written for deck `key`; [] for anything else (a manifest
    is a file anyone may have edited, or one of another deck)."""
    try:
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            return []
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        shapes = data["shapes"]
        if shapes["deck"] != key:
            return []
        return [Record.from_json(r) for r in shapes["records"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []
