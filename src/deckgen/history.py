"""Every build's manifest, kept beside the deck, so the quarter's change report survives rebuilds.

`output/wmp2020.history/2019-07-31.manifest.json` is the manifest of the last build from the
data as of 31 July 2019. A rebuild from the same data (a new template, --split, a reworded slide)
replaces its own entry; a build from other data of the same date gets `2019-07-31-2...`. Each
entry carries the order it was built in, so "the latest earlier build whose data differ" is
found however the dates run. Builds of chosen slides (--slides) are compared, not kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from deckgen.errors import DeckgenError
from deckgen.manifest import dumps, load_manifest, manifest_path

SUFFIX = ".manifest.json"
_DATED = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2}|undated)(?:-(?P<n>\d+))?$")


def folder_of(deck: Path) -> Path:
    """output/wmp2020.pptx -> output/wmp2020.history"""
    return deck.with_name(f"{deck.stem}.history")


@dataclass(frozen=True)
class Entry:
    """One build in the history."""

    name: str  # "2019-07-31" or "2019-07-31-2"
    manifest: dict[str, Any]
    sequence: int  # the order builds were made in; 0 for a manifest from before the history

    @property
    def digest(self) -> str:
        return str(self.manifest["deck"].get("data_digest") or f"unknown:{self.name}")

    @property
    def data_date(self) -> str:
        return data_date_of(self.manifest)


def data_date_of(manifest: dict[str, Any]) -> str:
    """The ISO date of a manifest's data ("Data as of"), from a manifest of any format."""
    deck = manifest["deck"]
    if deck.get("data_date"):
        return str(deck["data_date"])
    try:  # format 1: only the date as shown, "31 July 2019"
        return datetime.strptime(str(deck.get("data_as_of", "")), "%d %B %Y").date().isoformat()
    except ValueError:
        return "undated"


def entries(deck: Path) -> list[Entry]:
    """The builds kept for `deck`, oldest first. A manifest beside the deck from before there
    was a history counts as the first entry; unreadable files are passed over."""
    folder = folder_of(deck)
    found: list[Entry] = []
    if folder.is_dir():
        for path in sorted(folder.glob(f"*{SUFFIX}")):
            try:
                data = load_manifest(path)
            except DeckgenError:
                continue
            sequence = int(data.get("history", {}).get("sequence", 0))
            found.append(Entry(path.name.removesuffix(SUFFIX), data, sequence))
    elif manifest_path(deck).is_file():
        try:
            data = load_manifest(manifest_path(deck))
        except DeckgenError:
            return []
        found.append(Entry(data_date_of(data), data, 0))
    return sorted(found, key=lambda e: (e.sequence, e.name))


def with_build(deck: Path, manifest: dict[str, Any]) -> dict[str, bytes]:
    """The history folder's files once this build is kept: every file it holds, with this
    build's entry added or put in place of the entry of the same data. For Commit.add_folder,
    so the history is written all or nothing, with the deck."""
    folder = folder_of(deck)
    files: dict[str, bytes] = {}
    if folder.is_dir():
        files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
    known = entries(deck)
    if not folder.is_dir():  # carry a manifest from before the history into it
        for entry in known:
            files[f"{entry.name}{SUFFIX}"] = dumps(entry.manifest)
    digest = str(manifest["deck"].get("data_digest", ""))
    day = data_date_of(manifest)
    same = [e for e in known if e.digest == digest and e.data_date == day]
    if same:
        name = same[-1].name
    else:
        taken = {e.name for e in known}
        name, n = day, 1
        while name in taken:
            n += 1
            name = f"{day}-{n}"
    sequence = max((e.sequence for e in known), default=0) + 1
    files[f"{name}{SUFFIX}"] = dumps({**manifest, "history": {"sequence": sequence}})
    return files


def baseline(history: list[Entry], manifest: dict[str, Any]) -> Entry | None:
    """The latest build kept whose data differ from `manifest`'s: what its changes are against."""
    digest = manifest["deck"].get("data_digest")
    for entry in reversed(history):
        if entry.manifest["deck"].get("selection"):
            continue
        if not digest or entry.digest != digest:
            return entry
    return None


def chosen(
    history: list[Entry], manifest: dict[str, Any], since: str
) -> tuple[dict[str, Any], str]:
    """The manifest `--since` names: a manifest file, a data date (2019-07-31 or 31 July 2019)
    or a history entry's name (2019-07-31-2); with its description for the report."""
    path = Path(since)
    if path.is_file():
        return load_manifest(path), str(path)
    wanted = _as_date(since)
    digest = manifest["deck"].get("data_digest")
    named = [e for e in history if e.name == since]
    dated = [e for e in history if e.data_date == wanted]
    candidates = named or [e for e in dated if e.digest != digest] or dated
    if not candidates:
        kept = ", ".join(e.name for e in history) or "none"
        raise DeckgenError(
            f"no build of {since} in the history (builds kept: {kept}); give a date of the "
            "data, a history entry or a manifest file"
        )
    entry = candidates[-1]
    return entry.manifest, f"the build of {entry.name}"


def _as_date(text: str) -> str:
    for form in ("%Y-%m-%d", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text.strip(), form).date().isoformat()
        except ValueError:
            continue
    return text.strip()
