"""Write output files so that a reader never sees half of one: temporary files, then renames.

A build writes several things (the deck, its manifest, the change report, a folder of per-slide
decks). `Commit` writes every one of them to a temporary name first, and only when all are
written renames them into place, the deck last, so an error leaves the previous outputs as
they were.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from deckgen.errors import DeckgenError

TEMP_SUFFIX = ".tmp"


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same folder, then rename it over."""
    commit = Commit()
    commit.add(path, data)
    commit.apply()


class Commit:
    """Files and folders to write together, all or nothing (as far as a file system allows)."""

    def __init__(self) -> None:
        self._files: list[tuple[Path, bytes]] = []
        self._folders: list[tuple[Path, dict[str, bytes]]] = []

    def add(self, path: Path, data: bytes) -> None:
        self._files.append((path, data))

    def add_folder(self, path: Path, files: dict[str, bytes]) -> None:
        """Replace the folder `path` by one holding exactly `files`."""
        self._folders.append((path, files))

    def apply(self) -> None:
        staged_files: list[tuple[Path, Path]] = []
        staged_folders: list[tuple[Path, Path]] = []
        try:
            for path, data in self._files:
                staged_files.append((_stage(path, data), path))
            for folder, files in self._folders:
                staged_folders.append((_stage_folder(folder, files), folder))
            for temporary, folder in staged_folders:
                _swap_folder(temporary, folder)
            for temporary, path in reversed(staged_files):  # the first added (the deck) last
                temporary.replace(path)
        except OSError as exc:
            where = exc.filename or (self._files[0][0] if self._files else "output")
            raise DeckgenError(
                f"{where}: cannot write ({exc.strerror or exc}); the previous files, if any, "
                "are unchanged"
            ) from None
        finally:
            for temporary, _ in staged_files:
                temporary.unlink(missing_ok=True)
            for temporary, _ in staged_folders:
                shutil.rmtree(temporary, ignore_errors=True)


def _stage(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
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
        tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=TEMP_SUFFIX, dir=folder.parent)
    )
    temporary.chmod(0o777 & ~_umask())
    for name, data in files.items():
        target = temporary / name
        target.write_bytes(data)
        target.chmod(0o666 & ~_umask())
    return temporary


def _swap_folder(temporary: Path, folder: Path) -> None:
    """Put the new folder in place of the old one; the old one is removed after."""
    if folder.exists():
        old = Path(
            tempfile.mkdtemp(prefix=f".{folder.name}.old.", suffix=TEMP_SUFFIX, dir=folder.parent)
        )
        old.rmdir()
        folder.rename(old)
        temporary.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
    else:
        temporary.rename(folder)


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
