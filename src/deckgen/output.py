"""Write a build's outputs all or nothing, and never touch a file deckgen did not write.

A build holds an OS lock on a lock file beside its deck from start to end (`locked`): a second
build of the same deck waits for it, so a deck, its manifest, change report and per-slide decks
always come from one build. To commit (`Commit`), deckgen first writes a journal naming a
staging folder, then creates that folder, writes every output into it and swaps them in one by
one, keeping each replaced file in the staging folder until the last swap is done. A build
killed at any moment leaves its journal; the next build of that deck, once it holds the lock,
puts every previous file back and removes the staging folder. Nothing is ever deleted that a
journal does not name, whatever its name looks like, and no build is judged dead by its process
id: only the lock says whether a build is running. Ctrl-C during a commit takes effect when the
commit has finished or rolled back.

Per-slide decks go into a folder deckgen owns: a marker file in it lists what deckgen wrote
there. deckgen replaces and removes only those files, leaves any other file in the folder alone,
and refuses a folder that it did not make and that is not empty.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from deckgen.errors import DeckgenError

LOCK_WAIT = 120.0  # seconds a build waits for another build of the same deck before giving up
FOLDER_MARKER = ".deckgen.json"  # in a folder of per-slide decks: the files deckgen wrote there
_JOURNAL_FORMAT = 1
_JOURNAL_KEY = "deckgen_journal"
_TOKEN = ".token"  # in a staging folder: proves the folder is the one its journal names
_SWAPPING = ".swapping"  # in a staging folder: everything is staged, swaps may have begun
_LOCK_NOTE = b"deckgen: a build of this deck holds a lock on this file while it runs\n"
_MAX_JOURNAL = 64 * 1024 * 1024
# Files a file manager leaves in any folder it shows: a folder holding only these is empty.
_SYSTEM_FILES = {".DS_Store", "Thumbs.db", "desktop.ini"}
_SYNC_ALL_FROM = 8  # staged files from which one os.sync() is quicker than an fsync each
_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS, errno.EXDEV}


def lock_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.deckgen-lock")


def journal_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.deckgen-journal")


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` (creating its folder) all or nothing, under the path's lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):
        commit = Commit(path)
        commit.add(path, data)
        commit.apply()


# -- the lock -----------------------------------------------------------------------------------


@contextmanager
def locked(
    target: Path, wait: float = LOCK_WAIT, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the lock of `target`'s outputs, after putting back what a dead build left half-done.

    A build that holds the lock already is waited for, up to `wait` seconds (`on_wait` is told
    once when waiting starts); then the build is refused with one line.
    """
    handle = _acquire(target, wait, on_wait)
    try:
        with _interrupts_deferred():
            try:
                _recover(target)
            except OSError as exc:
                raise _cannot_write(target, exc) from None
        yield
    finally:
        with _interrupts_deferred():
            _release(handle, lock_path(target))


def _acquire(target: Path, wait: float, on_wait: Callable[[], None] | None) -> int:
    path = lock_path(target)
    deadline = time.monotonic() + wait
    told = False
    while True:
        handle = _open_lock(target, path)
        try:
            while not _try_lock(handle):
                if time.monotonic() >= deadline:
                    raise DeckgenError(
                        f"{target}: another deckgen build is writing it and has not finished "
                        f"within {wait:.0f} s; try again when it has"
                    )
                if on_wait is not None and not told:
                    on_wait()
                    told = True
                time.sleep(0.1)
            if _still_there(handle, path):
                return handle
            _unlock(handle)  # the holder removed the lock file as it finished: take the new one
        except BaseException:
            os.close(handle)
            raise
        os.close(handle)


def _open_lock(target: Path, path: Path) -> int:
    """Open the lock file, creating it (with a note saying what it is) if there is none."""
    while True:
        try:
            handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            try:
                return os.open(path, os.O_RDONLY)
            except FileNotFoundError:
                continue  # removed as we looked: create it
            except OSError as exc:
                raise _cannot_write(target, exc) from None
        except OSError as exc:
            raise _cannot_write(target, exc) from None
        with suppress(OSError):
            os.write(handle, _LOCK_NOTE)
        return handle


def _still_there(handle: int, path: Path) -> bool:
    """Whether the locked file is still the one at `path` (its holder removes it when done)."""
    try:
        mine, there = os.fstat(handle), path.stat()
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


def _release(handle: int, path: Path) -> None:
    """Remove the lock file (only if it is deckgen's), then let go of the lock."""
    try:
        if _CAN_REMOVE_LOCKED and _still_there(handle, path):
            with path.open("rb") as lock_file:
                note = lock_file.read(len(_LOCK_NOTE) + 1)
            if note in (b"", _LOCK_NOTE):
                path.unlink()
    except OSError:
        pass
    finally:
        _unlock(handle)
        os.close(handle)


if sys.platform == "win32":  # pragma: no cover - no Windows machine runs the tests
    import msvcrt

    _CAN_REMOVE_LOCKED = False  # Windows cannot remove a file that is open

    def _try_lock(handle: int) -> bool:
        try:
            os.lseek(handle, 0, os.SEEK_SET)
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: int) -> None:
        try:
            os.lseek(handle, 0, os.SEEK_SET)
            msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    _CAN_REMOVE_LOCKED = True

    def _try_lock(handle: int) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as exc:
            raise DeckgenError(
                f"cannot lock the output folder ({exc.strerror or exc}); deckgen builds only "
                "where it can hold a lock, so that two builds never write over each other"
            ) from None
        return True

    def _unlock(handle: int) -> None:
        with suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold back Ctrl-C until the block is done, then deliver it, so that what the block does
    (a commit, its roll-back) is never left half-done."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous is None:  # a handler installed outside Python: leave it alone
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: object) -> None:
        caught.append(signum)

    signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        if callable(previous):
            previous(signal.SIGINT, None)
        elif previous == signal.SIG_DFL:
            signal.raise_signal(signal.SIGINT)


# -- the commit ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    """One change to the user's folder, as the journal records it."""

    op: str  # "mkdir", "write" or "remove"
    path: str  # relative to the deck's folder, with "/"
    staged: str = ""  # "write": the new file's name in the staging folder
    backup: str = ""  # where the replaced or removed file is kept until the commit is done


@dataclass(frozen=True)
class _Staged:
    data: bytes
    mode: int


class Commit:
    """Files, and folders of files, written together for `target` (the deck), all or nothing.

    `apply` must run while `locked(target)` is held.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self.base = target.parent
        self._files: list[tuple[Path, bytes]] = []
        self._folders: list[tuple[Path, dict[str, bytes], str]] = []

    def add(self, path: Path, data: bytes) -> None:
        self._files.append((path, data))

    def add_folder(self, folder: Path, files: Mapping[str, bytes], about: str) -> None:
        """Fill `folder` with `files`: deckgen's earlier files there are replaced or removed,
        anyone else's are left alone. `about` says in the folder's marker what the files are."""
        self._folders.append((folder, dict(files), about))

    def apply(self) -> None:
        if not self._files and not self._folders:
            return
        with _interrupts_deferred():
            steps, staged = self._plan()
            journal = _Journal.start(self.target, steps)
            try:
                journal.stage(staged)
                journal.swap()
            except OSError as exc:
                journal.roll_back_quietly()
                raise _cannot_write(self.target, exc) from None
            except BaseException:
                journal.roll_back_quietly()
                raise
            with suppress(OSError):  # the new set stands; the next build tidies up the rest
                journal.finish()

    def _plan(self) -> tuple[list[_Step], dict[str, _Staged]]:
        """Every step of the commit, decided before anything is written; refuse what would
        replace a file deckgen did not write."""
        steps: list[_Step] = []
        staged: dict[str, _Staged] = {}

        def write(final: Path, data: bytes) -> None:
            if final.is_dir() and not final.is_symlink():
                raise DeckgenError(f"{final}: is a folder, where deckgen writes a file; move it")
            name = f"n{len(steps)}"
            staged[name] = _Staged(data, _mode_for(final))
            backup = f"o{len(steps)}" if os.path.lexists(final) else ""
            steps.append(_Step("write", self._relative(final), name, backup))

        for folder, files, about in self._folders:
            edited = changed_files(folder)
            owned = owned_files(folder) - edited
            present = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
            if not folder.is_dir():
                steps.append(_Step("mkdir", self._relative(folder)))
            theirs = sorted(name for name in files if name in present and name not in owned)
            if theirs:
                one = len(theirs) == 1
                it = "it" if one else "them"
                why = (
                    f"{'was' if one else 'were'} changed since deckgen wrote {it}"
                    if set(theirs) <= edited
                    else f"{'is' if one else 'are'} not deckgen's"
                )
                raise DeckgenError(
                    f"{folder}: {_some(theirs)} {why}, and a file deckgen writes would take "
                    f"the name; move {it}, or choose another -o"
                )
            for name, data in files.items():
                write(folder / name, data)
            for name in sorted(owned - files.keys()):
                old = folder / name
                if name in present and (old.is_symlink() or not old.is_dir()):
                    steps.append(_Step("remove", self._relative(old), "", f"o{len(steps)}"))
            digests = {name: _sha256(data) for name, data in sorted(files.items())}
            marker = {"deckgen": about, "files": sorted(files), "sha256": digests}
            write(folder / FOLDER_MARKER, (json.dumps(marker, indent=2) + "\n").encode("utf-8"))
        # The first file added (the deck) is swapped in last.
        for path, data in reversed(self._files):
            write(path, data)
        return steps, staged

    def _relative(self, path: Path) -> str:
        relative = PurePosixPath(path.relative_to(self.base).as_posix())
        if not _safe(relative):
            raise ValueError(f"{path} is not inside {self.base}")
        return str(relative)


def owned_files(folder: Path) -> set[str]:
    """The files deckgen wrote in `folder` (none for a new or empty folder); a folder deckgen
    did not make, or whose marker is damaged, is a one-line error naming it."""
    if not os.path.lexists(folder):
        return set()
    if folder.is_symlink() or not folder.is_dir():
        kind = "a link" if folder.is_symlink() else "a file"
        raise DeckgenError(
            f"{folder}: is {kind}, where deckgen puts a folder of per-slide decks; move it, "
            "or build without --split"
        )
    marker = folder / FOLDER_MARKER
    if not os.path.lexists(marker):
        names = sorted(p.name for p in folder.iterdir() if p.name not in _SYSTEM_FILES)
        if not names:
            return set()
        raise DeckgenError(
            f"{folder}: a folder deckgen did not make, holding {_some(names)}; deckgen writes "
            "its per-slide decks only into a new or empty folder: move the folder, or choose "
            "another -o"
        )
    try:
        record = json.loads(marker.read_text(encoding="utf-8"))
        names = record["files"]
        if not isinstance(names, list) or not all(_simple(n) for n in names):
            raise ValueError("bad file list")
    except (OSError, ValueError, TypeError, KeyError):
        raise DeckgenError(
            f"{marker}: damaged, so deckgen cannot tell its own files from yours in {folder}; "
            "move the folder, or choose another -o"
        ) from None
    return set(names)


def changed_files(folder: Path) -> set[str]:
    """The files deckgen wrote in `folder` that someone has changed since (a per-slide deck
    opened, edited and saved): no longer deckgen's to replace or remove. A marker from before
    markers held digests vouches for its files as they are."""
    marker = folder / FOLDER_MARKER
    try:
        digests = json.loads(marker.read_text(encoding="utf-8")).get("sha256")
    except (OSError, ValueError, AttributeError):
        return set()
    if not isinstance(digests, dict):
        return set()
    changed = set()
    for name, digest in digests.items():
        path = folder / str(name)
        if not _simple(name) or path.is_symlink() or not path.is_file():
            continue
        try:
            if _sha256(path.read_bytes()) != digest:
                changed.add(str(name))
        except OSError:
            changed.add(str(name))
    return changed


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Journal:
    """The record of one commit, written before the staging folder it names is created."""

    def __init__(self, target: Path, token: str, staging: str, steps: list[_Step]) -> None:
        self.target = target
        self.base = target.parent
        self.path = journal_path(target)
        self.token = token
        self.staging = self.base / staging
        self.done = self.base / f"{staging}-done"
        self.steps = steps
        self.swapped: int | None = None  # steps this process has made (None: not known)

    @classmethod
    def start(cls, target: Path, steps: list[_Step]) -> _Journal:
        """Write the journal, then make the staging folder it names."""
        for _ in range(8):
            name = f".{target.name}.deckgen-{secrets.token_hex(4)}"
            journal = cls(target, secrets.token_hex(16), name, steps)
            journal._write()
            try:
                journal.staging.mkdir()
            except FileExistsError:  # a name someone else uses: never touch it, pick another
                journal.path.unlink()
                continue
            except OSError as exc:
                journal.path.unlink(missing_ok=True)
                raise _cannot_write(target, exc) from None
            try:
                _write_file(journal.staging / _TOKEN, journal.token.encode("ascii"), 0o600)
            except OSError as exc:
                journal.roll_back_quietly()
                raise _cannot_write(target, exc) from None
            return journal
        raise DeckgenError(f"{target}: cannot find a free name for a staging folder")

    def _write(self) -> None:
        record = {
            _JOURNAL_KEY: _JOURNAL_FORMAT,
            "token": self.token,
            "staging": self.staging.name,
            "steps": [asdict(step) for step in self.steps],
        }
        try:
            _write_file(self.path, json.dumps(record).encode("utf-8"), 0o600)
        except FileExistsError:
            raise DeckgenError(
                f"{self.path}: a commit journal is in the way; deckgen will not replace it"
            ) from None
        except OSError as exc:
            self.path.unlink(missing_ok=True)
            raise _cannot_write(self.target, exc) from None
        _sync_directory(self.base)

    def stage(self, staged: Mapping[str, _Staged]) -> None:
        """Write every new file, durably, before the first swap may begin."""
        batched = len(staged) >= _SYNC_ALL_FROM and hasattr(os, "sync")
        for name, item in staged.items():
            _write_file(self.staging / name, item.data, item.mode, durable=not batched)
        if batched:
            os.sync()  # one flush for many files; an fsync each costs 5-10 ms on a busy disk
        _write_file(self.staging / _SWAPPING, b"", 0o600)
        _sync_directory(self.staging)

    def swap(self) -> None:
        self.swapped = 0
        for step in self.steps:
            _swap(self.base, self.staging, step)
            self.swapped += 1
        for folder in self._folders():
            _sync_directory(folder)
        self.staging.rename(self.done)  # the commit is done: the new set stays
        _sync_directory(self.base)

    def finish(self) -> None:
        _clear(self.done)
        self.path.unlink(missing_ok=True)
        _sync_directory(self.base)

    def roll_back(self) -> None:
        """Put back every file the commit replaced or removed, take out what it added."""
        if _is_ours(self.staging, self.token):
            if (self.staging / _SWAPPING).exists():
                for step in reversed(self._made()):
                    _undo(self.base, self.staging, step)
                for folder in self._folders():
                    _sync_directory(folder)
            _clear(self.staging)
        self.path.unlink(missing_ok=True)
        _sync_directory(self.base)

    def roll_back_quietly(self) -> None:
        """Roll back after a failure; if even that fails, the journal stays for the next build."""
        with suppress(OSError):
            self.roll_back()

    def _made(self) -> list[_Step]:
        """The steps that may have been made: all of them for a dead build's journal; for this
        process's own commit, those done and the one under way (unless it was a mkdir, which
        made nothing if it failed)."""
        if self.swapped is None:
            return self.steps
        steps = self.steps[: self.swapped]
        if self.swapped < len(self.steps) and self.steps[self.swapped].op != "mkdir":
            steps.append(self.steps[self.swapped])
        return steps

    def _folders(self) -> list[Path]:
        folders = {(self.base / step.path).parent for step in self.steps}
        return sorted(folders | {self.base})


def _swap(base: Path, staging: Path, step: _Step) -> None:
    """Make one change of a commit, keeping what it replaces in the staging folder."""
    final = base / step.path
    if step.op == "mkdir":
        final.mkdir()
    elif step.op == "remove":
        final.rename(staging / step.backup)
    elif step.backup:
        _keep(final, staging / step.backup)  # the old file keeps its name until replaced
        (staging / step.staged).replace(final)
    else:
        _place(staging / step.staged, final)


def _undo(base: Path, staging: Path, step: _Step) -> None:
    """Undo one change of a commit, if it was made; leave anything else alone."""
    final = base / step.path
    if step.op == "mkdir":
        with suppress(OSError):
            final.rmdir()  # only if it is empty
        return
    backup = staging / step.backup if step.backup else None
    if backup is not None:
        if os.path.lexists(backup):
            backup.replace(final)
        return
    new = staging / step.staged
    if not os.path.lexists(new):  # it was moved into place: take it out again
        final.unlink(missing_ok=True)
    elif _same_entry(new, final):  # it was linked into place
        final.unlink()


def _keep(final: Path, backup: Path) -> None:
    """Keep `final` as `backup`: a second name for the same file, or a copy where links fail."""
    try:
        os.link(final, backup, follow_symlinks=False)
        return
    except NotImplementedError:
        pass
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
    part = backup.with_name(f"{backup.name}.part")
    shutil.copy2(final, part, follow_symlinks=False)
    part.rename(backup)


def _place(new: Path, final: Path) -> None:
    """Put a new file where there was none; never over a file that has appeared meanwhile."""
    try:
        os.link(new, final)
        return
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
    if os.path.lexists(final):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(final))
    new.rename(final)


# -- recovery -----------------------------------------------------------------------------------


def _recover(target: Path) -> None:
    """Finish or undo the commit of a build that died (its lock is ours now)."""
    path = journal_path(target)
    if not os.path.lexists(path):
        return
    journal = _read_journal(target, path)
    if journal is None:  # cut short while being written: nothing was done after it
        path.unlink(missing_ok=True)
        return
    if _is_ours(journal.done, journal.token):
        journal.finish()  # it died after its last swap: the new set stays
    else:
        journal.roll_back()


def _read_journal(target: Path, path: Path) -> _Journal | None:
    """The journal at `path`; None if deckgen was cut short writing it; an error if it is not
    deckgen's."""
    try:
        data = path.read_bytes() if path.stat().st_size <= _MAX_JOURNAL else b"?"
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    try:
        record = json.loads(data)
        staging = record["staging"]
        steps = [_Step(**item) for item in record["steps"]]
        token = record["token"]
        ok = (
            record[_JOURNAL_KEY] == _JOURNAL_FORMAT
            and isinstance(token, str)
            and isinstance(staging, str)
            and staging.startswith(f".{target.name}.deckgen-")
            and _simple(staging)
            and all(_valid_step(step) for step in steps)
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        ok = False
    if ok:
        return _Journal(target, token, staging, steps)
    if not data or data.startswith(b'{"' + _JOURNAL_KEY.encode("ascii")):
        return None
    raise DeckgenError(
        f"{path}: not a journal deckgen wrote, in the place of one; move it to build "
        f"{target.name} here"
    )


def _valid_step(step: _Step) -> bool:
    fields = (step.op, step.path, step.staged, step.backup)
    if not all(isinstance(value, str) for value in fields):
        return False
    names_ok = all(not name or _simple(name) for name in (step.staged, step.backup))
    return step.op in ("mkdir", "write", "remove") and _safe(PurePosixPath(step.path)) and names_ok


def _safe(path: PurePosixPath) -> bool:
    """A path inside the deck's folder: relative, no '..'."""
    return bool(path.parts) and not path.is_absolute() and ".." not in path.parts


def _simple(name: object) -> bool:
    """A plain file name: no folder, not '.' or '..'."""
    return (
        isinstance(name, str)
        and name not in ("", ".", "..")
        and "/" not in name
        and ("\\" not in name)
    )


def _is_ours(folder: Path, token: str) -> bool:
    """Whether `folder` is the staging folder a journal names: it holds the journal's token.
    An empty folder of that name is removed (it holds nothing to lose)."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    try:
        return (folder / _TOKEN).read_text(encoding="ascii") == token
    except (OSError, ValueError):
        with suppress(OSError):
            folder.rmdir()
        return False


def _clear(folder: Path) -> None:
    """Remove a staging folder deckgen made, its token last, so a cut-short removal is
    finished by the next build."""
    if folder.is_symlink() or not folder.is_dir():
        return
    for child in folder.iterdir():
        if child.name == _TOKEN:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    (folder / _TOKEN).unlink(missing_ok=True)
    folder.rmdir()


# -- small helpers ------------------------------------------------------------------------------


def _write_file(path: Path, data: bytes, mode: int, durable: bool = True) -> None:
    """Create `path` (never over an existing file) with `data`, on disk when `durable`."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        path.chmod(mode)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _same_entry(a: Path, b: Path) -> bool:
    try:
        first, second = os.lstat(a), os.lstat(b)
    except OSError:
        return False
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def _some(names: list[str], shown: int = 3) -> str:
    """A few names for a one-line message: "a.docx, b.txt and 4 more"."""
    if len(names) <= shown:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"


def _cannot_write(target: Path, exc: OSError) -> DeckgenError:
    return DeckgenError(
        f"{target}: cannot write ({exc.strerror or exc}); the previous files, if any, are unchanged"
    )


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
