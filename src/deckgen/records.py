"""What a build writes beside its deck, for the people who check it: the manifest, the history
of manifests, the change report against the build of the previous data, and the review page.

All of it goes into the build's Commit, so it is written with the deck, all or nothing.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from deckgen import changes as changes_module
from deckgen import history, review
from deckgen import manifest as manifest_module
from deckgen.errors import DeckgenError
from deckgen.model import Workbook
from deckgen.output import Commit
from deckgen.specs import DeckSpec


@dataclass(frozen=True)
class Records:
    changes: changes_module.Changes | None  # None: no earlier build of other data
    changes_path: Path | None
    review_path: Path
    pictures: bool  # the review page shows the slides' pictures
    note: str = ""  # why it does not, when pictures were asked for
    notes: tuple[str, ...] = ()  # warnings about earlier outputs (a damaged manifest)


def add(
    commit: Commit,
    output: Path,
    deck: DeckSpec,
    model: Workbook,
    workbook: Path,
    built: datetime,
    selection: Sequence[str] | None,
    pictures: Sequence[bytes] = (),
    note: str = "",
    chart_engine: str = "native",
    deck_bytes: bytes = b"",
) -> Records:
    """Add the manifest, history, change report and review page of a build to `commit`.

    The manifest lists the digest of each file written with it (`files`), so that the next
    build can tell its own files from a user's (`refuse_foreign`)."""
    manifest = manifest_module.build_manifest(
        deck,
        workbook,
        built,
        data_date=model.about.data_as_of,
        digest=manifest_module.data_digest(model),
        selection=selection,
        chart_engine=chart_engine,
    )
    kept = history.entries(output)
    notes = _damaged(output, kept)
    earlier = history.baseline(kept, manifest)
    previous: dict[str, Any] | None = earlier.manifest if earlier is not None else None
    found, changes_path = None, None
    written: dict[str, bytes] = {output.name: deck_bytes}
    if previous is not None and earlier is not None:
        found = changes_module.compare(previous, manifest)
        changes_path = output.with_name(f"{output.stem}.changes.md")
        against = earlier.describe()
        text = changes_module.report(found, previous, manifest, against)
        written[changes_path.name] = text.encode("utf-8")
    page = review.page(manifest, deck, previous, pictures)
    review_path = review.review_path(output)
    written[review_path.name] = page
    manifest[FILES] = {name: _digest(data) for name, data in sorted(written.items())}
    encoded = manifest_module.dumps(manifest)
    for name, data in written.items():
        if name != output.name:  # the deck is the caller's to add
            commit.add(output.with_name(name), data)
    commit.add(manifest_module.manifest_path(output), encoded)
    if not selection:  # a deck of chosen slides is compared, never kept as the quarter's build
        kept_files = history.with_build(output, manifest, encoded)
        commit.add_folder(history.folder_of(output), kept_files, history.ABOUT)
    return Records(found, changes_path, review_path, bool(pictures), note, notes)


def _damaged(output: Path, kept: list[history.Entry]) -> tuple[str, ...]:
    """A manifest beside the deck that cannot be read, and no history to fall back on."""
    beside = manifest_module.manifest_path(output)
    if kept or not beside.exists():
        return ()
    try:
        manifest_module.load_manifest(beside)
    except DeckgenError as exc:
        return (f"{exc.format_message()}; treated as absent, so there is no change report",)
    return ()


def slide_pictures(data: bytes, name: str) -> tuple[list[bytes], str]:
    """Each slide of a deck not yet written, drawn by LibreOffice for the review page; none,
    with the reason, where LibreOffice is missing or fails (the page then shows the text)."""
    from deckgen.libreoffice import RendererMissingError
    from deckgen.preview import slide_pictures as draw

    with tempfile.TemporaryDirectory(prefix="deckgen-review-") as folder:
        deck = Path(folder) / name
        deck.write_bytes(data)
        try:
            paths = draw(deck, Path(folder) / "pictures", review.PICTURE_DPI)
        except RendererMissingError as exc:
            return [], f"the review page shows each slide's text: {exc.format_message()}"
        except DeckgenError as exc:
            return [], f"the review page shows each slide's text: {exc.format_message()}"
        return [p.read_bytes() for p in paths], ""


# The manifest's record of the files written with it: file name -> sha256 of its bytes.
FILES = "files"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def refuse_foreign(deck: Path, files: Mapping[str, Path]) -> None:
    """Refuse, before any work, to replace a file at an output's path that deckgen did not
    write: one the user put there, or a deck they edited and saved since the build.

    A file is deckgen's when its digest is one a manifest of this deck recorded: the one beside
    it, or else one in its history (read only when needed: a large deck's manifests are large).
    Outputs of builds from before manifests recorded digests are trusted, as they always were.
    The manifest itself is deckgen's record, replaced as before (a damaged one with a warning).
    """
    present = {what: path for what, path in files.items() if path.is_file()}
    if not present:
        return
    sources = iter(history.manifest_files(deck))
    known: dict[str, set[str]] = {}
    seen = recorded = False
    for what, path in present.items():
        digest = _digest(path.read_bytes())
        while digest not in known.get(path.name, set()):
            source = next(sources, None)
            if source is None:
                if seen and not recorded:
                    return  # outputs of a deckgen from before digests were recorded
                raise DeckgenError(
                    f"{path}: {what} here is not the one deckgen last wrote (changed since, or "
                    "someone else's file); deckgen replaces only files it wrote: move or rename "
                    "it, or choose another -o"
                )
            record = _loaded(source)
            listed = record.get(FILES) if record is not None else None
            seen = seen or record is not None
            if isinstance(listed, dict):
                recorded = True
                for name, value in listed.items():
                    known.setdefault(str(name), set()).add(str(value))


def _loaded(path: Path) -> dict[str, Any] | None:
    """A manifest as JSON, whether or not it is whole; None when it cannot be read as one."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "format" in data else None
