"""Where deckgen looks for its inputs and writes its outputs, and which paths it refuses.

Defaults are relative to the current folder. An output is never one of the inputs, under any
name that leads to the same file (a symlink, `./x`, a hard link, another case where the file
system ignores case), and `-o` must name a .pptx file in a folder that exists; both are checked
before any work, so a mistaken command costs nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from deckgen.errors import DeckgenError

INPUTS = Path("inputs")
LAYOUTS = Path("layouts")
OUTPUT = Path("output")

DEFAULT_WORKBOOK = INPUTS / "wmp2020.xlsx"
DEFAULT_DECK = LAYOUTS / "wmp2020.yaml"
DEFAULT_TEMPLATE = LAYOUTS / "template.pptx"

DECK_SUFFIX = ".pptx"


def default_output(workbook: Path) -> Path:
    """output/<workbook name>.pptx"""
    return OUTPUT / f"{workbook.stem}{DECK_SUFFIX}"


def is_office_lock_file(path: Path) -> bool:
    """Whether `path` is the lock file Office (`~$name.xlsx`) or LibreOffice (`.~lock.name#`)
    keeps beside a document while it is open."""
    name = path.name
    return name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#"))


def same_file(a: Path, b: Path) -> bool:
    """Whether `a` and `b` are the same file: by device and inode where both exist (symlinks,
    hard links, `./x` and a case-insensitive file system all lead there), else by name."""
    try:
        return a.samefile(b)
    except OSError:
        return _place(a) == _place(b)


def _place(path: Path) -> str:
    """A path as the file system compares names: real folder, and case folded where the
    folder's file system ignores case."""
    folder = Path(os.path.realpath(path.parent))
    name = path.name.casefold() if _ignores_case(folder) else path.name
    return os.path.normcase(str(folder / name))


def _ignores_case(folder: Path) -> bool:
    """Whether the file system holding `folder` ignores case (macOS and Windows by default)."""
    text = str(folder)
    for other in (text.swapcase(), text.upper(), text.lower()):
        if other != text:
            try:
                return folder.samefile(other)
            except OSError:
                return False
    return False


def inside(path: Path, folder: Path) -> bool:
    """Whether `path` is in `folder` or below it (following symlinks)."""
    if not folder.is_dir():
        return False
    return any(same_file(parent, folder) for parent in Path(os.path.realpath(path)).parents)


def refuse_inputs_as_outputs(
    files: Mapping[str, Path], folders: Mapping[str, Path], inputs: Iterable[tuple[str, Path]]
) -> None:
    """Refuse, in one line, an output that is one of the inputs, or a folder that holds one.

    `files` and `folders` map what is written ("the deck", "the per-slide decks") to where;
    `inputs` pairs each input's role ("workbook") with its path.
    """
    for role, source in inputs:
        for what, target in files.items():
            if os.path.lexists(target) and same_file(target, source):
                raise DeckgenError(
                    f"{target}: {what} would be written over the {role} ({source}); choose "
                    "another -o"
                )
        for what, folder in folders.items():
            if inside(source, folder):
                raise DeckgenError(
                    f"{folder}: {what} would be written into this folder, which holds the "
                    f"{role} ({source}); choose another -o"
                )


def check_deck_path(deck: Path, create_folder: bool) -> None:
    """Refuse, in one line, a deck path that is a folder, not a .pptx, or in no folder (a
    missing folder is refused unless `create_folder`: the default output/ is made)."""
    if deck.is_dir():
        raise DeckgenError(
            f"{deck}: is a folder; -o names the deck's file, such as {deck / 'deck.pptx'}"
        )
    if deck.suffix.lower() != DECK_SUFFIX:
        raise DeckgenError(
            f"{deck}: a deck's name ends in {DECK_SUFFIX}; -o names the deck's file, such as "
            f"{deck.with_name(deck.stem + DECK_SUFFIX)}"
        )
    folder = deck.parent
    if os.path.lexists(folder) and not folder.is_dir():
        raise DeckgenError(f"{deck}: cannot write there: {folder} is not a folder")
    if not folder.is_dir() and not create_folder:
        raise DeckgenError(
            f"{deck}: the folder {folder} does not exist; create it first, or choose another -o"
        )


def check_writable_file(path: Path, what: str) -> None:
    """Refuse, in one line, a folder where deckgen writes the file `what`."""
    if path.is_dir() and not path.is_symlink():
        raise DeckgenError(f"{path}: is a folder, where deckgen writes {what}; move it")


def refuse_overwrite(path: Path, force: bool) -> None:
    """Refuse, in one line, to replace an existing file without --force, or a folder at all."""
    if path.is_dir():
        raise DeckgenError(f"{path}: is a folder; -o names the file to write")
    if os.path.lexists(path) and not force:
        raise DeckgenError(f"{path}: already exists; add --force to replace it")
