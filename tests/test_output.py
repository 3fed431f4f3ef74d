"""output.py on its own, with plain bytes: the lock, the journal, recovery, and the folders
deckgen fills. Fast enough to try every moment of a commit."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from deckgen import output
from deckgen.errors import DeckgenError

OLD = {"deck.pptx": b"old deck", "deck.manifest.json": b"old manifest", "deck/01-a.pptx": b"old a"}


def files_in(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != output.FOLDER_MARKER
    }


def leftovers(folder: Path) -> list[str]:
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob(".*")
        if p.name != output.FOLDER_MARKER
    )


def commit(folder: Path, generation: str, pieces: tuple[str, ...] = ("01-a", "02-b")) -> None:
    """Write one generation of a deck, its manifest and its per-slide decks, as a build does."""
    deck = folder / "deck.pptx"
    with output.locked(deck, wait=0):
        change = output.Commit(deck)
        change.add(deck, f"{generation} deck".encode())
        change.add(folder / "deck.manifest.json", f"{generation} manifest".encode())
        files = {f"{p}.pptx": f"{generation} {p[3:]}".encode() for p in pieces}
        change.add_folder(folder / "deck", files, "per-slide decks")
        change.apply()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    commit(out, "old")
    return out


def test_a_commit_writes_everything_and_leaves_only_the_marker(folder: Path) -> None:
    assert files_in(folder) == {
        "deck.pptx": b"old deck",
        "deck.manifest.json": b"old manifest",
        "deck/01-a.pptx": b"old a",
        "deck/02-b.pptx": b"old b",
    }
    marker = json.loads((folder / "deck" / output.FOLDER_MARKER).read_text())
    assert marker["files"] == ["01-a.pptx", "02-b.pptx"]
    assert leftovers(folder) == []


# -- Ctrl-C and SIGKILL at every moment of a commit ---------------------------------------------


class Interrupt:
    """Make `after` changes, then stop the way `how` says."""

    def __init__(self, after: int, how: str) -> None:
        self.left, self.how = after, how
        self.real = output._swap

    def __call__(self, *args: Any) -> None:
        if not self.left:
            if self.how == "raise":
                raise KeyboardInterrupt
            os.kill(os.getpid(), signal.SIGINT)  # a real Ctrl-C, delivered mid-commit
        self.left -= 1
        self.real(*args)


STEPS = 6  # two per-slide decks replaced, one removed, the marker, the manifest, the deck


@pytest.mark.parametrize("after", range(STEPS))
def test_ctrl_c_raised_at_any_step_puts_the_old_set_back_at_once(
    folder: Path, monkeypatch: pytest.MonkeyPatch, after: int
) -> None:
    commit(folder, "mid", ("01-a", "02-b", "03-c"))
    before = files_in(folder)
    monkeypatch.setattr(output, "_swap", Interrupt(after, "raise"))
    with pytest.raises(KeyboardInterrupt):
        commit(folder, "new", ("01-a", "02-b"))
    assert files_in(folder) == before
    assert leftovers(folder) == []


@pytest.mark.parametrize("after", [0, 2, 4])
def test_a_real_ctrl_c_waits_for_the_commit_to_finish(
    folder: Path, monkeypatch: pytest.MonkeyPatch, after: int
) -> None:
    monkeypatch.setattr(output, "_swap", Interrupt(after, "signal"))
    with pytest.raises(KeyboardInterrupt):
        commit(folder, "new")
    assert files_in(folder)["deck.pptx"] == b"new deck"
    assert files_in(folder)["deck/01-a.pptx"] == b"new a"
    assert leftovers(folder) == []


KILL = """
import os, sys
from pathlib import Path
from deckgen import output
folder, stop = Path(sys.argv[1]), int(sys.argv[2])
real, calls = output._swap, 0
def killed(*args):
    global calls
    if calls == stop:
        os._exit(9)
    calls += 1
    real(*args)
output._swap = killed
deck = folder / "deck.pptx"
with output.locked(deck, wait=0):
    change = output.Commit(deck)
    change.add(deck, b"new deck")
    change.add(folder / "deck.manifest.json", b"new manifest")
    change.add_folder(folder / "deck", {"01-a.pptx": b"new a"}, "per-slide decks")
    change.apply()
"""


def test_a_commit_killed_at_any_step_is_put_back_by_the_next_lock(folder: Path) -> None:
    before = files_in(folder)
    for stop in range(5):  # one deck replaced, one removed, the marker, the manifest, the deck
        killed = subprocess.run([sys.executable, "-c", KILL, str(folder), str(stop)], check=False)
        assert killed.returncode == 9
        assert ".deck.pptx.deckgen-journal" in leftovers(folder)
        with output.locked(folder / "deck.pptx", wait=0):
            pass
        assert files_in(folder) == before, f"killed after {stop} steps"
        assert leftovers(folder) == []


def test_a_commit_killed_after_its_last_step_keeps_the_new_set(folder: Path) -> None:
    """The commit is done once every change is made; recovery then only tidies up."""
    deck = folder / "deck.pptx"
    with output.locked(deck, wait=0):
        change = output.Commit(deck)
        change.add(deck, b"new deck")
        steps, staged = change._plan()
        journal = output._Journal.start(deck, steps)
        journal.stage(staged)
        journal.swap()  # ... and the process dies here, before tidying up
    assert ".deck.pptx.deckgen-journal" in leftovers(folder)
    with output.locked(deck, wait=0):
        pass
    assert leftovers(folder) == []
    assert (folder / "deck.pptx").read_bytes() == b"new deck"


# -- the lock -----------------------------------------------------------------------------------


def test_a_second_build_waits_then_refuses_in_one_line(folder: Path) -> None:
    deck = folder / "deck.pptx"
    told: list[str] = []
    with (
        output.locked(deck, wait=0),
        pytest.raises(DeckgenError) as refused,
        output.locked(deck, wait=0.3, on_wait=lambda: told.append("waiting")),
    ):
        pass
    assert told == ["waiting"]
    message = refused.value.format_message()
    assert "another deckgen build" in message and "\n" not in message
    assert leftovers(folder) == []


def test_a_waiting_build_goes_on_when_the_first_is_done(folder: Path) -> None:
    deck = folder / "deck.pptx"
    order: list[str] = []
    holding = threading.Event()

    def first() -> None:
        with output.locked(deck, wait=0):
            holding.set()
            time.sleep(0.5)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    holding.wait(5)
    with output.locked(deck, wait=10):
        order.append("second in")
    thread.join()
    assert order == ["first done", "second in"]
    assert leftovers(folder) == []


def test_another_deck_in_the_same_folder_does_not_wait(folder: Path) -> None:
    with output.locked(folder / "deck.pptx", wait=0), output.locked(folder / "other.pptx", wait=0):
        pass


def test_a_journal_of_a_running_build_is_not_touched(folder: Path) -> None:
    """A build that holds the lock is alive, whatever its process id looks like from here."""
    deck = folder / "deck.pptx"
    with output.locked(deck, wait=0):
        change = output.Commit(deck)
        change.add(deck, b"new deck")
        steps, staged = change._plan()
        journal = output._Journal.start(deck, steps)
        journal.stage(staged)
        made = leftovers(folder)
        with pytest.raises(DeckgenError), output.locked(deck, wait=0.2):
            pass
        assert leftovers(folder) == made  # still there: its build holds the lock
        journal.roll_back()
    assert leftovers(folder) == []


def test_a_users_file_at_the_lock_files_name_is_left(folder: Path) -> None:
    lock = folder / ".deck.pptx.deckgen-lock"
    lock.write_bytes(b"a user's notes")
    with output.locked(folder / "deck.pptx", wait=0):
        pass
    assert lock.read_bytes() == b"a user's notes"


# -- only what a journal names --------------------------------------------------------------


def test_a_file_that_is_not_a_journal_is_refused_and_kept(folder: Path) -> None:
    journal = folder / ".deck.pptx.deckgen-journal"
    journal.write_bytes(b"a user's file")
    with pytest.raises(DeckgenError) as refused, output.locked(folder / "deck.pptx", wait=0):
        pass
    assert str(journal) in refused.value.format_message()
    assert journal.read_bytes() == b"a user's file"


def test_a_folder_named_like_a_staging_folder_is_kept(folder: Path) -> None:
    """The journal names a staging folder; a folder of that name without the journal's token
    is someone else's."""
    lookalike = folder / ".deck.pptx.deckgen-0badc0de"
    lookalike.mkdir()
    (lookalike / "photo.jpg").write_bytes(b"a photo")
    record = {
        "deckgen_journal": 1,
        "token": "0" * 32,
        "staging": lookalike.name,
        "steps": [{"op": "write", "path": "deck.pptx", "staged": "n0", "backup": "o0"}],
    }
    (folder / ".deck.pptx.deckgen-journal").write_text(json.dumps(record))
    with output.locked(folder / "deck.pptx", wait=0):
        pass
    assert (lookalike / "photo.jpg").read_bytes() == b"a photo"
    assert (folder / "deck.pptx").read_bytes() == b"old deck"
    assert leftovers(folder) == [lookalike.name]


# -- the folder of per-slide decks ------------------------------------------------------------


def test_a_users_files_in_the_folder_are_kept_and_only_deckgens_replaced(folder: Path) -> None:
    (folder / "deck" / "minutes.docx").write_bytes(b"minutes")
    commit(folder, "new", ("01-b",))
    assert files_in(folder / "deck") == {"01-b.pptx": b"new b", "minutes.docx": b"minutes"}


def test_a_folder_deckgen_did_not_make_is_refused(tmp_path: Path) -> None:
    (tmp_path / "deck").mkdir()
    (tmp_path / "deck" / "minutes.docx").write_bytes(b"minutes")
    with pytest.raises(DeckgenError) as refused:
        commit(tmp_path, "new")
    assert "minutes.docx" in refused.value.format_message()
    assert files_in(tmp_path) == {"deck/minutes.docx": b"minutes"}


def test_a_folder_holding_only_what_a_file_manager_leaves_counts_as_empty(
    tmp_path: Path,
) -> None:
    (tmp_path / "deck").mkdir()
    (tmp_path / "deck" / ".DS_Store").write_bytes(b"Finder's")
    commit(tmp_path, "new")
    assert (tmp_path / "deck" / ".DS_Store").read_bytes() == b"Finder's"
    assert (tmp_path / "deck" / "01-a.pptx").read_bytes() == b"new a"


def test_a_damaged_marker_is_refused(folder: Path) -> None:
    (folder / "deck" / output.FOLDER_MARKER).write_text('{"files": ["../deck.pptx"]}')
    before = files_in(folder)
    with pytest.raises(DeckgenError) as refused:
        commit(folder, "new")
    assert "damaged" in refused.value.format_message()
    assert files_in(folder) == before


def test_write_atomic_replaces_a_file_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "book.xlsx"
    output.write_atomic(target, b"one")
    output.write_atomic(target, b"two")
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]
    assert target.read_bytes() == b"two"


def test_permissions_of_a_replaced_file_are_kept(folder: Path) -> None:
    (folder / "deck.pptx").chmod(0o640)
    commit(folder, "new")
    assert (folder / "deck.pptx").stat().st_mode & 0o777 == 0o640
