"""Write a build's outputs all or nothing, even when the build is killed half-way.

A build writes several things (the deck, its manifest, the change report, a folder of
per-slide decks). `Commit` first writes every one of them under a temporary name; then it writes
a journal naming each final file, its staged replacement and a backup of the file it replaces;
then it swaps them in and removes the journal. If the process dies at any point, the next build
(or `recover`) finds the journal and puts every previous file back, so the outputs are always
either all from the previous build or all from the new one; stale temporary files of dead
builds are removed too. No half-written file ever carries a final name.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from deckgen.errors import DeckgenError

TEMP_SUFFIX = ".tmp"
BACKUP_SUFFIX = ".bak"
JOURNAL_PREFIX = ".deckgen-commit-"
_OURS = re.compile(r"^\..+\.(?P<pid>\d+)\.[^.]+(?:\.tmp|\.bak)$")


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same folder, then rename it over."""
    commit = Commit()
    commit.add(path, data)
    commit.apply()


@dataclass(frozen=True)
class _Entry:
    final: Path
    staged: Path
    backup: Path | None  # None: there was no previous file
    folder: bool


class Commit:
    """Files and folders to write together, all or nothing."""

    def __init__(self) -> None:
        self._files: list[tuple[Path, bytes]] = []
        self._folders: list[tuple[Path, dict[str, bytes]]] = []

    def add(self, path: Path, data: bytes) -> None:
        self._files.append((path, data))

    def add_folder(self, path: Path, files: dict[str, bytes]) -> None:
        """Replace the folder `path` by one holding exactly `files`."""
        self._folders.append((path, files))

    def apply(self) -> None:
        if not self._files and not self._folders:
            return
        first = (self._files or self._folders)[0][0]
        entries: list[_Entry] = []
        journal: Path | None = None
        try:
            recover(first.parent)
            for folder, files in self._folders:
                entries.append(_Entry(folder, _stage_folder(folder, files), None, True))
            # The first file added (the deck) is swapped in last.
            for path, data in reversed(self._files):
                entries.append(_Entry(path, _stage(path, data), None, False))
            entries = [_with_backup_name(e) for e in entries]
            journal = _write_journal(first, entries)
            for entry in entries:
                _swap(entry)
            journal.unlink()
            journal = None
            for entry in entries:
                _remove(entry.backup)
        except OSError as exc:
            if journal is not None:
                _roll_back(journal)
            for entry in entries:
                _remove(entry.staged)
            raise DeckgenError(
                f"{first}: cannot write ({exc.strerror or exc}); the previous files, if any, "
                "are unchanged"
            ) from None


def recover(directory: Path) -> None:
    """Undo the half-done commits of dead builds in `directory` and remove their temporaries."""
    if not directory.is_dir():
        return
    for journal in sorted(directory.glob(f"{JOURNAL_PREFIX}*.json")):
        if _alive(_pid_of(journal.name)):
            continue  # another build is committing right now
        _roll_back(journal)
    for path in directory.iterdir():
        match = _OURS.match(path.name)
        if match and not _alive(int(match["pid"])):
            _remove(path)


def _with_backup_name(entry: _Entry) -> _Entry:
    if not entry.final.exists():
        return entry
    backup = entry.final.with_name(f".{entry.final.name}.{os.getpid()}.old{BACKUP_SUFFIX}")
    return _Entry(entry.final, entry.staged, backup, entry.folder)


def _write_journal(first: Path, entries: list[_Entry]) -> Path:
    journal = first.parent / f"{JOURNAL_PREFIX}{os.getpid()}.json"
    record = [
        {
            "final": e.final.name,
            "staged": e.staged.name,
            "backup": e.backup.name if e.backup else None,
            "folder": e.folder,
        }
        for e in entries
    ]
    staged = _stage(journal, json.dumps(record).encode("utf-8"))
    staged.replace(journal)
    _sync_directory(first.parent)
    return journal


def _swap(entry: _Entry) -> None:
    """Put the staged file or folder in place, keeping the old one as the backup."""
    if entry.backup is not None:
        if entry.folder:
            entry.final.rename(entry.backup)
        else:
            os.link(entry.final, entry.backup)  # the old deck keeps its name until replaced
    if entry.folder:
        entry.staged.rename(entry.final)
    else:
        entry.staged.replace(entry.final)


def _roll_back(journal: Path) -> None:
    """Put back every file a dead or failed commit replaced, and drop what it staged."""
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = []
    directory = journal.parent
    for item in reversed(record):
        final = directory / item["final"]
        staged = directory / item["staged"]
        backup = directory / item["backup"] if item["backup"] else None
        if backup is not None and backup.exists():
            if item["folder"]:
                _remove(final)
                backup.rename(final)
            else:
                backup.replace(final)
        elif backup is None and not staged.exists():
            _remove(final)  # the commit created it and had already moved it in: undo that
        _remove(staged)
    journal.unlink(missing_ok=True)
    _sync_directory(directory)


def _stage(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=path.parent
    )
    temporary = Path(name)
    try:
        os.fchmod(handle, _mode_for(path))
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _stage_folder(folder: Path, files: dict[str, bytes]) -> Path:
    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(
        tempfile.mkdtemp(
            prefix=f".{folder.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=folder.parent
        )
    )
    try:
        temporary.chmod(0o777 & ~_umask())
        for name, data in files.items():
            target = temporary / name
            target.write_bytes(data)
            target.chmod(0o666 & ~_umask())
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return temporary


def _remove(path: Path | None) -> None:
    if path is None:
        return
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _pid_of(name: str) -> int:
    digits = name.removeprefix(JOURNAL_PREFIX).removesuffix(".json")
    return int(digits) if digits.isdigit() else 0


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if pid == os.getpid():
        return False  # our own leftovers can only be from an earlier, failed commit
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sync_directory(directory: Path) -> None:
    """Make renames in `directory` durable before going on."""
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _mode_for(path: Path) -> int:
    """The replaced file's permissions, or what a newly created file would get (umask)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
