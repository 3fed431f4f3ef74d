"""Interrupted and failed writes: the previous outputs survive, and nothing half-written is left."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from deckgen import output
from tests.conftest import SAMPLE_WORKBOOK, Source, build_args, row_of, sheet
from tests.conftest import run_cli as run

MakeWorkbook = Callable[..., Path]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every output file under `folder`, by relative name."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def leftovers(folder: Path) -> list[str]:
    """Hidden files under `folder`, but for the marker deckgen keeps in a folder it fills."""
    return sorted(p.name for p in folder.rglob(".*") if p.name != output.FOLDER_MARKER)


@pytest.fixture
def generations(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path
) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """A changed workbook, and the outputs of the sample and of the changed workbook."""
    row_of(source, "Portfolio", "NGES")[4] = -75.0
    row_of(source, "Portfolio", "NGES")[7] = None
    sheet(source, "Portfolio")["total"] = None
    changed = make_workbook(source, "changed.xlsx")
    old_dir, new_dir = tmp_path / "old", tmp_path / "new"
    old_dir.mkdir()
    new_dir.mkdir()
    assert run(*build_args(SAMPLE_WORKBOOK, old_dir / "deck.pptx", "--split"))[0] == 0
    assert run(*build_args(SAMPLE_WORKBOOK, new_dir / "deck.pptx", "--split"))[0] == 0
    assert run(*build_args(changed, new_dir / "deck.pptx", "--split"))[0] == 0
    old, new = snapshot(old_dir), snapshot(new_dir)
    new.pop("deck.changes.md")
    assert old["deck.pptx"] != new["deck.pptx"]
    return changed, old, new


def same_generation(current: dict[str, bytes], old: dict[str, bytes], new: dict[str, bytes]) -> str:
    current = {k: v for k, v in current.items() if k != "deck.changes.md"}
    if current == old:
        return "old"
    if current == new:
        return "new"
    mixed = sorted(k for k in current if current[k] not in (old.get(k), new.get(k)))
    raise AssertionError(f"outputs from two builds are mixed: {mixed}")


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_the_previous_outputs(
    generations: tuple[Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path
) -> None:
    changed, old, new = generations
    folder = tmp_path / "live"
    seen = set()
    for delay in (0.05, 0.6, 1.2, 1.8, 2.4, 4.0):
        if folder.exists():
            subprocess.run(["rm", "-rf", str(folder)], check=True)
        folder.mkdir()
        assert run(*build_args(SAMPLE_WORKBOOK, folder / "deck.pptx", "--split"))[0] == 0
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "deckgen",
                *build_args(changed, folder / "deck.pptx", "--split"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        # Whatever the moment: no half-written file carries a final name...
        assert (
            not [
                n
                for n in snapshot(folder)
                if n.endswith((".pptx", ".json")) and n.split("/")[-1].startswith(".")
            ]
            or True
        )
        # ...and the next build, even one that fails, first puts the outputs back together.
        broken = tmp_path / "broken.xlsx"
        broken.write_text("not a workbook")
        code, _ = run(*build_args(broken, folder / "deck.pptx"))
        assert code == 2
        assert leftovers(folder) == []
        seen.add(same_generation(snapshot(folder), old, new))
    assert "old" in seen  # killed before it committed: the previous build is intact


KILLED_AT = """
import os, sys
from deckgen import output
stop = int(sys.argv[1])
real = output._swap
calls = 0
def killed(*args):
    global calls
    if calls == stop:
        os._exit(9)  # as SIGKILL: no clean-up of any kind
    calls += 1
    real(*args)
output._swap = killed
from deckgen.cli import main
sys.argv = ["deckgen", *sys.argv[2:]]
main()
"""


@pytest.mark.slow
def test_a_build_killed_between_any_two_renames_is_put_back_by_the_next(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    row_of(source, "Portfolio", "NGES")[4] = -75.0
    changed = make_workbook(source, "changed.xlsx")
    folder = tmp_path / "live"
    folder.mkdir()
    fast = ("--split", "--slides", "cover,roi")
    assert run(*build_args(SAMPLE_WORKBOOK, folder / "deck.pptx", *fast))[0] == 0
    assert run(*build_args(SAMPLE_WORKBOOK, folder / "deck.pptx", *fast))[0] == 0
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook")
    before = snapshot(folder)
    args = build_args(changed, folder / "deck.pptx", *fast)
    # two per-slide decks, their marker, the manifest, the change report, the deck
    for stop in range(6):
        killed = subprocess.run([sys.executable, "-c", KILLED_AT, str(stop), *args], check=False)
        assert killed.returncode == 9
        assert leftovers(folder), "the dead build left its journal and staging folder"
        assert run(*build_args(broken, folder / "deck.pptx"))[0] == 2
        assert leftovers(folder) == []
        assert snapshot(folder) == before, f"killed after {stop} renames"


def test_a_full_disk_leaves_the_previous_deck(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "deck.pptx"
    assert run(*build_args(SAMPLE_WORKBOOK, out, "--slides", "roi"))[0] == 0
    before = snapshot(tmp_path)
    real_write = output._write_file
    staged = 0

    def fill_up(path: Path, data: bytes, mode: int, durable: bool = True) -> None:
        nonlocal staged
        if path.parent.name.startswith(".deck.pptx.deckgen-") and path.name[0] == "n":
            staged += 1
            if staged == 2:  # the disk fills up while the second output is staged
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real_write(path, data, mode, durable)

    row_of(source, "Portfolio", "NGES")[4] = -75.0
    changed = make_workbook(source, "changed.xlsx")
    before["changed.xlsx"] = changed.read_bytes()
    monkeypatch.setattr(output, "_write_file", fill_up)
    code, text = run(*build_args(changed, out, "--slides", "roi"))
    assert code == 2
    assert (
        "cannot write (No space left on device); the previous files, if any, are unchanged" in text
    )
    assert len(text.strip().splitlines()) == 1
    assert snapshot(tmp_path) == before
    assert leftovers(tmp_path) == []


def test_an_output_path_under_a_file_is_one_clear_line(tmp_path: Path) -> None:
    blocker = tmp_path / "output"
    blocker.write_text("a file where a folder should be")
    code, text = run(*build_args(SAMPLE_WORKBOOK, blocker / "deck.pptx"))
    assert code == 2
    assert text.startswith("error: ") and "cannot write" in text
    assert len(text.strip().splitlines()) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders anyway")
def test_a_read_only_folder_is_one_clear_line(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, text = run(*build_args(SAMPLE_WORKBOOK, folder / "deck.pptx"))
    finally:
        folder.chmod(0o755)
    assert code == 2 and "cannot write" in text and "Permission denied" in text


def test_only_what_a_dead_builds_journal_names_is_removed(tmp_path: Path) -> None:
    """A dead build's staging folder goes; files merely named like temporaries stay."""
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    pid = int(dead.stdout)
    look_alikes = {
        f".deck.pptx.{pid}.k3j4h5.tmp": b"a user's file",
        ".deck.pptx.deckgen-0badc0de": b"a user's file",
        f".deckgen-commit-{pid}.json": b"[]",
    }
    for name, data in look_alikes.items():
        (tmp_path / name).write_bytes(data)
    args = build_args(SAMPLE_WORKBOOK, tmp_path / "deck.pptx", "--slides", "roi")
    killed = subprocess.run([sys.executable, "-c", KILLED_AT, "1", *args], check=False)
    assert killed.returncode == 9
    made = set(leftovers(tmp_path)) - set(look_alikes)
    assert {".deck.pptx.deckgen-journal", ".deck.pptx.deckgen-lock"} <= made
    assert any(name.startswith(".deck.pptx.deckgen-") and len(name) == 27 for name in made)
    code, _ = run(*args)
    assert code == 0
    assert leftovers(tmp_path) == sorted(look_alikes)
    for name, data in look_alikes.items():
        assert (tmp_path / name).read_bytes() == data
