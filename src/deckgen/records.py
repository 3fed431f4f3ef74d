"""What a build writes beside its deck, for the people who check it: the manifest, the history
of manifests, the change report against the build of the previous data, and the review page.

All of it goes into the build's Commit, so it is written with the deck, all or nothing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
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
) -> Records:
    """Add the manifest, history, change report and review page of a build to `commit`."""
    manifest = manifest_module.build_manifest(
        deck,
        workbook,
        built,
        data_date=model.about.data_as_of,
        digest=manifest_module.data_digest(model),
        selection=selection,
    )
    kept = history.entries(output)
    notes = _damaged(output, kept)
    earlier = history.baseline(kept, manifest)
    previous: dict[str, Any] | None = earlier.manifest if earlier is not None else None
    found, changes_path = None, None
    if previous is not None and earlier is not None:
        found = changes_module.compare(previous, manifest)
        changes_path = output.with_name(f"{output.stem}.changes.md")
        against = earlier.describe()
        text = changes_module.report(found, previous, manifest, against)
        commit.add(changes_path, text.encode("utf-8"))
    encoded = manifest_module.dumps(manifest)
    commit.add(manifest_module.manifest_path(output), encoded)
    if not selection:  # a deck of chosen slides is compared, never kept as the quarter's build
        kept_files = history.with_build(output, manifest, encoded)
        commit.add_folder(history.folder_of(output), kept_files, history.ABOUT)
    page = review.page(manifest, deck, previous, pictures)
    review_path = review.review_path(output)
    commit.add(review_path, page)
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
