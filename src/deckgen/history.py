"""Every build's manifest, kept beside the deck, so the quarter's change report survives rebuilds.

`output/wmp2020.history/2019-07-31.manifest.json` is the manifest of the last build from the
data as of 31 July 2019, byte for byte the one written beside the deck. A rebuild from the same
data (a new template, --split, a reworded slide) replaces its own entry; a build from other data
of the same date gets `2019-07-31-2...`. `index.json` lists the entries in the order they were
built, with their data's date and fingerprint, so "the latest earlier build whose data differ"
is found without reading every entry, however the dates run. Builds of chosen slides (--slides)
are compared, not kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from deckgen.errors import DeckgenError
from deckgen.manifest import dumps, load_manifest, manifest_path
from deckgen.output import owned_files

SUFFIX = ".manifest.json"
INDEX = "index.json"
ABOUT = "the manifest of each build of this deck, by the date of its data, and their order"


def folder_of(deck: Path) -> Path:
    """output/wmp2020.pptx -> output/wmp2020.history"""
    return deck.with_name(f"{deck.stem}.history")


@dataclass
class Entry:
    """One build in the history."""

    name: str  # "2019-07-31" or "2019-07-31-2"
    data_date: str  # "2019-07-31"
    digest: str  # the data's fingerprint (manifest.data_digest)
    path: Path | None  # None: the manifest was found beside the deck
    loaded: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def manifest(self) -> dict[str, Any]:
        if self.loaded is None:
            assert self.path is not None
            self.loaded = load_manifest(self.path)
        return self.loaded

    def describe(self) -> str:
        return f"{self.path.parent.name}/{self.path.name}" if self.path else "the last manifest"


def data_date_of(manifest: dict[str, Any]) -> str:
    """The ISO date of a manifest's data ("Data as of"), from a manifest of any format."""
    deck = manifest["deck"]
    if deck.get("data_date"):
        return str(deck["data_date"])
    try:  # format 1: only the date as shown, "31 July 2019"
        return datetime.strptime(str(deck.get("data_as_of", "")), "%d %B %Y").date().isoformat()
    except ValueError:
        return "undated"


def _digest_of(manifest: dict[str, Any], name: str) -> str:
    return str(manifest["deck"].get("data_digest") or f"unknown:{name}")


def manifest_files(deck: Path) -> list[Path]:
    """Every manifest of `deck` there is to read, for what earlier builds wrote: the one beside
    it, then the history's, the latest data first. Only read, never trusted to be whole."""
    paths = [manifest_path(deck)]
    folder = folder_of(deck)
    if folder.is_dir():
        paths.extend(sorted(folder.glob("*" + SUFFIX), reverse=True))
    return [p for p in paths if p.is_file()]


def entries(deck: Path) -> list[Entry]:
    """The builds kept for `deck`, oldest first. Without a history, a manifest beside the deck
    (from before there was one) is its only entry; unreadable files are passed over."""
    folder = folder_of(deck)
    if folder.is_dir():
        return _indexed(folder)
    if not manifest_path(deck).is_file():
        return []
    try:
        data = load_manifest(manifest_path(deck))
    except DeckgenError:
        return []
    name = data_date_of(data)
    return [Entry(name, name, _digest_of(data, name), None, data)]


def _indexed(folder: Path) -> list[Entry]:
    try:
        index = json.loads((folder / INDEX).read_text(encoding="utf-8"))
        listed = [dict(item) for item in index["builds"]]
    except (OSError, ValueError, KeyError, TypeError):
        listed = []
    found: list[Entry] = []
    known = set()
    for item in listed:
        path = folder / f"{item.get('name')}{SUFFIX}"
        if path.is_file():
            found.append(
                Entry(str(item["name"]), str(item["data_date"]), str(item["digest"]), path)
            )
            known.add(path.name)
    # Entries the index does not list (put there by hand): older than any it lists.
    extra = []
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        if path.name in known:
            continue
        try:
            data = load_manifest(path)
        except DeckgenError:
            continue
        name = path.name.removesuffix(SUFFIX)
        extra.append(Entry(name, data_date_of(data), _digest_of(data, name), path, data))
    return extra + found


def with_build(deck: Path, manifest: dict[str, Any], encoded: bytes = b"") -> dict[str, bytes]:
    """The history folder's files once this build is kept: every file it holds, with this
    build's entry added or put in place of the entry of the same data, last in the index. For
    Commit.add_folder, so the history is written all or nothing, with the deck."""
    folder = folder_of(deck)
    known = entries(deck)
    files: dict[str, bytes] = {}
    if folder.is_dir():  # deckgen's own files are carried over; anyone else's stay as they are
        files = {n: (folder / n).read_bytes() for n in sorted(owned_files(folder))}
    else:  # a manifest from before the history: its first entry
        files = {f"{e.name}{SUFFIX}": dumps(e.manifest) for e in known}
    digest = _digest_of(manifest, "")
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
    files[f"{name}{SUFFIX}"] = encoded or dumps(manifest)
    builds = [
        {"name": e.name, "data_date": e.data_date, "digest": e.digest}
        for e in known
        if e.name != name
    ]
    builds.append({"name": name, "data_date": day, "digest": digest})
    files[INDEX] = (json.dumps({"builds": builds}, indent=2) + "\n").encode("utf-8")
    return files


def baseline(history: list[Entry], manifest: dict[str, Any]) -> Entry | None:
    """The latest build kept whose data differ from `manifest`'s: what its changes are against."""
    digest = manifest["deck"].get("data_digest")
    for entry in reversed(history):
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
    return entry.manifest, entry.describe()


def _as_date(text: str) -> str:
    for form in ("%Y-%m-%d", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text.strip(), form).date().isoformat()
        except ValueError:
            continue
    return text.strip()
