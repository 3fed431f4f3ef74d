"""deckgen never loses a user's file (issue 11, items 1-8), tried as a user would, from the
command line: an output is never an input, a folder deckgen did not make is left alone, clean-up
touches only what a build made, builds into one place take turns, `-o` is checked before any
work, a damaged manifest is a warning, `sample` and `template` ask before replacing a file, and
Office lock files are passed over."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from deckgen.sample.writer import write_sample
from tests.conftest import (
    DECK,
    SAMPLE_WORKBOOK,
    TEMPLATE,
    Source,
    build_args,
    row_of,
    run_cli,
)

MakeWorkbook = Callable[..., Path]

FAST = ("--slides", "cover,roi")  # two slides: enough to show what is written where


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, hidden ones included, by relative name."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() or p.is_symlink()
    }


def hidden(folder: Path) -> list[str]:
    """Hidden files and folders under `folder`: a build's leftovers, if any."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob(".*"))


def one_error(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert lines[0].startswith("error: "), text
    return lines[0]


def build(workbook: Path, out: Path | str, *extra: str) -> tuple[int, str]:
    return run_cli(*build_args(workbook, Path(out), *extra))


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A folder holding the user's own copies of the three inputs."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(SAMPLE_WORKBOOK, folder / "book.xlsx")
    shutil.copyfile(TEMPLATE, folder / "template.pptx")
    shutil.copyfile(DECK, folder / "deck.yaml")
    return folder


def build_from(
    folder: Path,
    out: str,
    *extra: str,
    template: str = "in/template.pptx",
    deck: str = "in/deck.yaml",
    workbook: str = "in/book.xlsx",
) -> tuple[int, str]:
    """Build with paths as typed, relative to `folder` (the current directory)."""
    args = ["build", workbook, "-o", out, "--template", template, "--deck", deck, *extra]
    return run_cli(*args)


# -- 1. an output is never one of the inputs ----------------------------------------------------


@pytest.mark.parametrize(
    ("out", "role"),
    [
        ("in/book.xlsx", "workbook"),
        ("in/template.pptx", "template"),
        ("in/deck.yaml", "deck definition"),
        ("./in/template.pptx", "template"),
        ("in/../in/template.pptx", "template"),
        ("in//template.pptx", "template"),
    ],
)
def test_an_output_that_is_an_input_is_refused_before_any_work(
    inputs: Path, monkeypatch: pytest.MonkeyPatch, out: str, role: str
) -> None:
    monkeypatch.chdir(inputs.parent)
    before = files_in(inputs.parent)
    code, text = build_from(inputs.parent, out)
    assert code == 2
    assert role in one_error(text)
    assert files_in(inputs.parent) == before


@pytest.mark.parametrize("how", ["symlink", "hard link", "symlinked input"])
def test_the_same_file_under_another_name_is_refused(
    inputs: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.chdir(inputs.parent)
    template = "in/template.pptx"
    if how == "symlink":
        (inputs.parent / "deck.pptx").symlink_to(inputs / "template.pptx")
    elif how == "hard link":
        os.link(inputs / "template.pptx", inputs.parent / "deck.pptx")
    else:
        shutil.move(inputs / "template.pptx", inputs.parent / "deck.pptx")
        (inputs / "template.pptx").symlink_to(inputs.parent / "deck.pptx")
    before = files_in(inputs.parent)
    code, text = build_from(inputs.parent, "deck.pptx", template=template)
    assert code == 2
    assert "template" in one_error(text)
    assert files_in(inputs.parent) == before


def test_a_different_case_is_the_same_file_where_the_file_system_ignores_case(
    inputs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not (inputs / "TEMPLATE.PPTX").exists():
        pytest.skip("this file system tells case apart")
    monkeypatch.chdir(inputs.parent)
    before = files_in(inputs.parent)
    code, text = build_from(inputs.parent, "in/TEMPLATE.PPTX")
    assert code == 2 and "template" in one_error(text)
    assert files_in(inputs.parent) == before


def minimal_manifest() -> dict[str, object]:
    deck = {"title": "t", "organisation": "o", "classification": "c", "data_as_of": "d"}
    return {"format": 1, "deck": {**deck, "workbook": "w.xlsx", "built": "2019"}, "slides": []}


@pytest.mark.parametrize(
    ("deck_name", "extra"),
    [
        ("board.manifest.json", ()),  # the manifest written beside board.pptx
        ("board.changes.md", ()),  # the change report written beside it
        ("board/deck.yaml", ("--split",)),  # inside the folder --split fills
    ],
)
def test_an_output_derived_from_o_is_never_an_input(
    inputs: Path, monkeypatch: pytest.MonkeyPatch, deck_name: str, extra: tuple[str, ...]
) -> None:
    monkeypatch.chdir(inputs.parent)
    target = inputs / deck_name
    target.parent.mkdir(exist_ok=True)
    shutil.move(inputs / "deck.yaml", target)
    if deck_name.endswith(".md"):  # a change report is written when a manifest is there
        (inputs / "board.manifest.json").write_text(json.dumps(minimal_manifest()))
    before = files_in(inputs.parent)
    code, text = build_from(inputs.parent, "in/board.pptx", *extra, deck=f"in/{deck_name}")
    assert code == 2
    assert "deck definition" in one_error(text)
    assert files_in(inputs.parent) == before


def test_in_a_batch_no_deck_is_written_over_another_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(SAMPLE_WORKBOOK, tmp_path / "q3.xlsx")
    (tmp_path / "output").mkdir()
    shutil.copyfile(SAMPLE_WORKBOOK, tmp_path / "output" / "q3.pptx")  # a workbook, oddly named
    (tmp_path / "north.xlsx").symlink_to(tmp_path / "output" / "q3.pptx")
    before = files_in(tmp_path)
    code, text = run_cli(
        "build", "q3.xlsx", "north.xlsx", "--template", str(TEMPLATE), "--deck", str(DECK)
    )
    assert code == 2
    assert "workbook" in one_error(text)
    assert files_in(tmp_path) == before


# -- 2. the folder --split fills ----------------------------------------------------------------


def test_a_folder_deckgen_did_not_make_is_refused_and_kept(tmp_path: Path) -> None:
    (tmp_path / "Board").mkdir()
    (tmp_path / "Board" / "minutes.docx").write_bytes(b"the board's minutes")
    before = files_in(tmp_path)
    code, text = build(SAMPLE_WORKBOOK, tmp_path / "Board.pptx", "--split", *FAST)
    assert code == 2
    line = one_error(text)
    assert str(tmp_path / "Board") in line and "minutes.docx" in line
    assert files_in(tmp_path) == before


def test_files_a_user_adds_to_the_split_folder_are_kept(tmp_path: Path) -> None:
    out = tmp_path / "Board.pptx"
    assert build(SAMPLE_WORKBOOK, out, "--split", *FAST)[0] == 0
    folder = tmp_path / "Board"
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        "01-cover.pptx",
        "02-roi.pptx",
    ]
    (folder / "minutes.docx").write_bytes(b"the board's minutes")
    (folder / "drafts").mkdir()
    (folder / "drafts" / "v1.pptx").write_bytes(b"a draft")
    code, text = build(SAMPLE_WORKBOOK, out, "--split", "--slides", "roi")
    assert code == 0, text
    assert (folder / "minutes.docx").read_bytes() == b"the board's minutes"
    assert (folder / "drafts" / "v1.pptx").read_bytes() == b"a draft"
    # deckgen's own decks are replaced: the cover it wrote before is gone, roi is slide 1 now
    decks = sorted(p.name for p in folder.glob("*.pptx"))
    assert decks == ["01-roi.pptx"]


def test_a_user_file_where_a_slide_deck_would_go_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "Board.pptx"
    assert build(SAMPLE_WORKBOOK, out, "--split", "--slides", "roi")[0] == 0
    mine = tmp_path / "Board" / "02-roi.pptx"
    mine.write_bytes(b"my own version of the roi slide")
    before = files_in(tmp_path)
    code, text = build(SAMPLE_WORKBOOK, out, "--split", *FAST)
    assert code == 2
    assert "02-roi.pptx" in one_error(text)
    assert files_in(tmp_path) == before


def test_a_per_slide_deck_edited_since_the_build_is_neither_replaced_nor_removed(
    tmp_path: Path,
) -> None:
    """A per-slide deck deckgen wrote, then edited in place: the rebuild that would replace it
    refuses and keeps it; one that would remove it (fewer slides) leaves it where it is."""
    out = tmp_path / "Board.pptx"
    assert build(SAMPLE_WORKBOOK, out, "--split", *FAST)[0] == 0
    edited = tmp_path / "Board" / "02-roi.pptx"
    edited.write_bytes(edited.read_bytes() + b"edited")
    before = files_in(tmp_path)
    code, text = build(SAMPLE_WORKBOOK, out, "--split", *FAST)
    assert code == 2
    line = one_error(text)
    assert "02-roi.pptx" in line and "changed since deckgen wrote it" in line
    assert files_in(tmp_path) == before
    code, text = build(SAMPLE_WORKBOOK, out, "--split", "--slides", "cover")
    assert code == 0, text
    assert edited.read_bytes() == before["Board/02-roi.pptx"]


def test_an_empty_folder_is_taken_over(tmp_path: Path) -> None:
    (tmp_path / "Board").mkdir()
    code, text = build(SAMPLE_WORKBOOK, tmp_path / "Board.pptx", "--split", *FAST)
    assert code == 0, text
    assert (tmp_path / "Board" / "01-cover.pptx").is_file()


# -- 2b. a file at an output's path that deckgen did not write ----------------------------------


@pytest.mark.parametrize(
    "name", ["deck.pptx", "deck.review.html", "deck.changes.md"], ids=["deck", "review", "changes"]
)
def test_a_users_file_where_an_output_would_go_is_refused_and_kept(
    tmp_path: Path, name: str
) -> None:
    """`-o talk.pptx` over the user's own talk, or over a review page or change report of theirs:
    one line naming it, exit 2, and every file as it was."""
    out = tmp_path / "deck.pptx"
    (tmp_path / name).write_bytes(b"the user's own " + name.encode())
    before = files_in(tmp_path)
    code, text = build(SAMPLE_WORKBOOK, out, *FAST)
    assert code == 2
    line = one_error(text)
    assert str(tmp_path / name) in line and "deckgen replaces only files it wrote" in line
    assert files_in(tmp_path) == before


def test_a_link_at_the_output_to_a_users_deck_elsewhere_is_refused(tmp_path: Path) -> None:
    """`-o talk.pptx` where talk.pptx links to the user's own deck in another folder: the deck
    behind the link is theirs, so neither it nor the link is replaced."""
    theirs = tmp_path / "mine" / "board.pptx"
    theirs.parent.mkdir()
    theirs.write_bytes(b"the board's own deck")
    out = tmp_path / "out" / "talk.pptx"
    out.parent.mkdir()
    out.symlink_to(theirs)
    code, text = build(SAMPLE_WORKBOOK, out, *FAST)
    assert code == 2
    assert "deckgen replaces only files it wrote" in one_error(text)
    assert out.is_symlink() and theirs.read_bytes() == b"the board's own deck"
    assert sorted(p.name for p in out.parent.iterdir()) == ["talk.pptx"]


def test_a_deck_edited_since_the_build_is_not_replaced(tmp_path: Path) -> None:
    """A deck opened, changed and saved after the build (a slide retitled) holds the user's work:
    the rebuild refuses it and leaves it; once moved away, the rebuild writes a new deck."""
    from pptx import Presentation

    out = tmp_path / "deck.pptx"
    assert build(SAMPLE_WORKBOOK, out, *FAST)[0] == 0
    assert build(SAMPLE_WORKBOOK, out, *FAST)[0] == 0  # its own deck is replaced
    prs = Presentation(str(out))
    prs.slides[0].shapes.title.text_frame.text = "Our own title"
    prs.save(str(out))
    edited = out.read_bytes()
    code, text = build(SAMPLE_WORKBOOK, out, *FAST)
    assert code == 2
    assert "not the one deckgen last wrote" in one_error(text)
    assert out.read_bytes() == edited
    out.rename(tmp_path / "edited.pptx")
    assert build(SAMPLE_WORKBOOK, out, *FAST)[0] == 0


def test_the_history_vouches_for_a_deck_whose_manifest_was_removed(tmp_path: Path) -> None:
    out = tmp_path / "deck.pptx"
    assert build(SAMPLE_WORKBOOK, out)[0] == 0  # a whole deck: kept in the history
    (tmp_path / "deck.manifest.json").unlink()
    code, text = build(SAMPLE_WORKBOOK, out)
    assert code == 0, text


def test_outputs_of_a_build_before_digests_were_recorded_are_replaced(tmp_path: Path) -> None:
    """A manifest written before manifests listed their files' digests: its deck is trusted."""
    out = tmp_path / "deck.pptx"
    assert build(SAMPLE_WORKBOOK, out, *FAST)[0] == 0
    manifest = tmp_path / "deck.manifest.json"
    data = json.loads(manifest.read_text())
    del data["files"]
    manifest.write_text(json.dumps(data))
    out.write_bytes(out.read_bytes() + b" ")  # not the digest it had
    code, text = build(SAMPLE_WORKBOOK, out, *FAST)
    assert code == 0, text
    assert "files" in json.loads(manifest.read_text())


# -- 3. clean-up touches only what a build made --------------------------------------------------


def dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def test_a_users_hidden_files_survive_builds_that_pass_and_fail(tmp_path: Path) -> None:
    pid = dead_pid()
    (tmp_path / ".budget.2024.v2.bak").write_bytes(b"last year's budget")
    (tmp_path / f".budget.{pid}.v2.bak").write_bytes(b"the budget before that")
    (tmp_path / f".deck.pptx.{pid}.draft.tmp").write_bytes(b"a file named like a temporary")
    (tmp_path / f".photos.{pid}.old.bak").mkdir()
    (tmp_path / f".photos.{pid}.old.bak" / "team.jpg").write_bytes(b"a photo")
    (tmp_path / f".deckgen-commit-{pid}.json").write_text("[]")
    before = files_in(tmp_path)
    code, text = build(SAMPLE_WORKBOOK, tmp_path / "deck.pptx", *FAST)
    assert code == 0, text
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook")
    assert build(broken, tmp_path / "deck.pptx")[0] == 2
    after = files_in(tmp_path)
    for name, data in before.items():
        assert after.get(name) == data, f"{name} was changed or deleted"


# -- 4. two builds into one place take turns; Ctrl-C leaves one set -----------------------------


PAUSED_BUILD = """
import sys, time
from pathlib import Path
from deckgen import output
flag, go = sys.argv[1], Path(sys.argv[2])
# Another pid namespace, a container or a shared drive: a live build looks dead by its pid.
output._alive = lambda pid: False
real = output._swap
calls = 0
def paused(*args, **kwargs):
    global calls
    result = real(*args, **kwargs)
    calls += 1
    if calls == 1 and flag != "-":  # one output swapped in, the others not yet
        Path(flag).write_text("paused")
        deadline = time.monotonic() + 60
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    return result
output._swap = paused
from deckgen.cli import main
sys.argv = ["deckgen", *sys.argv[3:]]
main()
"""


def generation(folder: Path, stem: str) -> dict[str, bytes]:
    """The outputs of deck `stem` in `folder`, but for the change report (it names its build)."""
    return {
        k: v
        for k, v in files_in(folder).items()
        if k.startswith(stem) and not k.endswith(".changes.md")
    }


def leftovers(folder: Path) -> list[str]:
    """Hidden files left behind, but for the marker deckgen keeps in a folder it fills."""
    return [name for name in hidden(folder) if Path(name).name != ".deckgen.json"]


@pytest.mark.slow
def test_a_second_build_into_the_same_deck_waits_for_the_first(
    tmp_path: Path, make_workbook: MakeWorkbook, source: Source
) -> None:
    row_of(source, "Portfolio", "NGES")[4] = -75.0
    changed = make_workbook(source, "changed.xlsx")
    expected = tmp_path / "expected"
    expected.mkdir()
    assert build(SAMPLE_WORKBOOK, expected / "deck.pptx", *FAST)[0] == 0
    assert build(changed, expected / "deck.pptx", *FAST)[0] == 0
    live = tmp_path / "live"
    live.mkdir()
    out = live / "deck.pptx"
    assert build(SAMPLE_WORKBOOK, out, *FAST)[0] == 0
    flag, go, log = tmp_path / "paused", tmp_path / "go", tmp_path / "second.log"
    command = [sys.executable, "-c", PAUSED_BUILD]
    first = subprocess.Popen(
        [*command, str(flag), str(go), *build_args(SAMPLE_WORKBOOK, out, *FAST)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    second = None
    try:
        deadline = time.monotonic() + 60
        while not flag.exists():  # the first build is half-way through its commit
            assert first.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        with log.open("wb") as sink:
            second = subprocess.Popen(
                [*command, "-", str(go), *build_args(changed, out, *FAST)],
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
            while second.poll() is None and b"waiting" not in log.read_bytes():
                assert time.monotonic() < deadline
                time.sleep(0.05)
        go.write_text("go")
        assert first.wait(60) == 0
        assert second.wait(60) == 0, log.read_text()
    finally:
        go.write_text("go")
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
    assert b"waiting for another deckgen build" in log.read_bytes()
    # The deck, its manifest and its change report all come from the second build, which
    # compared against the first's manifest.
    assert generation(live, "deck") == generation(expected, "deck")
    assert (live / "deck.changes.md").read_text() == (expected / "deck.changes.md").read_text()
    assert leftovers(live) == []


class CtrlC:
    """Swap in `after` outputs, then stop as Ctrl-C does."""

    def __init__(self, swap: Callable[..., Any], after: int) -> None:
        self.swap, self.left = swap, after

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not self.left:
            raise KeyboardInterrupt
        self.left -= 1
        return self.swap(*args, **kwargs)


@pytest.mark.slow
def test_ctrl_c_at_any_point_of_the_commit_leaves_the_previous_set_and_no_temporaries(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make_workbook: MakeWorkbook,
    source: Source,
) -> None:
    from deckgen import output

    row_of(source, "Portfolio", "NGES")[4] = -75.0
    changed = make_workbook(source, "changed.xlsx")
    live = tmp_path / "live"
    live.mkdir()
    out = live / "deck.pptx"
    assert build(SAMPLE_WORKBOOK, out, "--split", *FAST)[0] == 0
    assert build(SAMPLE_WORKBOOK, out, "--split", *FAST)[0] == 0  # a change report too
    before = files_in(live)
    real = output._swap
    stops = 0
    while True:
        monkeypatch.setattr(output, "_swap", CtrlC(real, after=stops))
        code, text = build(changed, out, "--split", *FAST)
        if code == 0:
            break  # every output swapped in: nothing left to interrupt
        assert code == 1 and "Aborted" in text
        assert files_in(live) == before, f"interrupted after {stops} outputs"
        assert leftovers(live) == [], f"interrupted after {stops} outputs"
        stops += 1
    assert stops >= 5  # two per-slide decks, their marker, the manifest, the report, the deck
    assert files_in(live) != before and leftovers(live) == []


# -- 5. -o is checked before any work ---------------------------------------------------------


@pytest.mark.parametrize(
    ("out", "says"),
    [
        ("out/deck", ".pptx"),
        ("out/deck.ppt", ".pptx"),
        ("out/folder.pptx", "is a folder"),
        ("out", "is a folder"),
        ("missing/deck.pptx", "does not exist"),
        ("out/a-file/deck.pptx", "not a folder"),
    ],
)
def test_an_o_that_cannot_be_a_deck_is_one_line_before_building(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, out: str, says: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out" / "folder.pptx").mkdir(parents=True)
    (tmp_path / "out" / "a-file").write_bytes(b"a user's file")
    before = files_in(tmp_path)
    code, text = build(SAMPLE_WORKBOOK, out)
    assert code == 2
    assert says in one_error(text)
    assert files_in(tmp_path) == before
    assert not (tmp_path / "missing").exists()


def test_a_file_where_the_split_folder_goes_is_one_line_and_later_builds_work(
    tmp_path: Path,
) -> None:
    (tmp_path / "deck").write_bytes(b"a user's file named like the deck")
    before = files_in(tmp_path)
    code, text = build(SAMPLE_WORKBOOK, tmp_path / "deck.pptx", "--split", *FAST)
    assert code == 2
    assert str(tmp_path / "deck") in one_error(text)
    assert files_in(tmp_path) == before
    code, text = build(SAMPLE_WORKBOOK, tmp_path / "deck.pptx", *FAST)
    assert code == 0, text
    assert (tmp_path / "deck").read_bytes() == b"a user's file named like the deck"


# -- 6. a damaged manifest is a warning ----------------------------------------------------------


DAMAGED = {
    "keys missing": {"format": 1},
    "no built": {**minimal_manifest(), "deck": {"title": "t"}},
    "slides not a list": {**minimal_manifest(), "slides": {"1": "cover"}},
    "slide a string": {**minimal_manifest(), "slides": ["cover"]},
    "slide without figures": {
        **minimal_manifest(),
        "slides": [{"number": 1, "key": "roi", "id": "roi", "kind": "text", "title": "ROI"}],
    },
    "figure text a number": {
        **minimal_manifest(),
        "slides": [
            {
                "number": 1,
                "key": "roi",
                "id": "roi",
                "kind": "text",
                "title": "ROI",
                "figures": [
                    {"text": 1.15, "value": 1.15, "unit": "£", "reference": "r", "source": "s"}
                ],
            }
        ],
    },
    "a list": [1, 2, 3],
}


@pytest.mark.parametrize("damage", sorted(DAMAGED))
def test_explain_with_a_damaged_manifest_is_one_line(tmp_path: Path, damage: str) -> None:
    manifest = tmp_path / "deck.manifest.json"
    manifest.write_text(json.dumps(DAMAGED[damage]))
    code, text = run_cli("explain", "1.15", "--manifest", str(manifest))
    assert code == 2
    line = one_error(text)
    assert str(manifest) in line


def test_a_build_over_a_damaged_manifest_warns_and_carries_on(tmp_path: Path) -> None:
    out = tmp_path / "deck.pptx"
    manifest = tmp_path / "deck.manifest.json"
    manifest.write_text(json.dumps(DAMAGED["slide without figures"]))
    (tmp_path / "deck.changes.md").write_text("an old change report")
    code, text = build(SAMPLE_WORKBOOK, out, *FAST)
    assert code == 0, text
    warnings = [line for line in text.splitlines() if str(manifest) in line]
    assert len(warnings) == 1 and warnings[0].startswith("WARNING"), text
    assert json.loads(manifest.read_text())["slides"][0]["figures"] is not None
    code, text = run_cli("explain", "roi", "--manifest", str(manifest))
    assert code == 0, text


# -- 7. sample and template ask before replacing a file -----------------------------------------


@pytest.mark.parametrize("command", ["sample", "template"])
def test_sample_and_template_do_not_replace_a_file_without_force(
    tmp_path: Path, command: str
) -> None:
    target = tmp_path / ("book.xlsx" if command == "sample" else "template.pptx")
    target.write_bytes(b"the user's own file")
    code, text = run_cli(command, "-o", str(target))
    assert code == 2
    line = one_error(text)
    assert str(target) in line and "--force" in line
    assert target.read_bytes() == b"the user's own file"
    code, text = run_cli(command, "-o", str(target), "--force")
    assert code == 0, text
    shipped = SAMPLE_WORKBOOK if command == "sample" else TEMPLATE
    assert target.read_bytes() == shipped.read_bytes()
    assert hidden(tmp_path) == []


# -- 8. Office lock files -----------------------------------------------------------------------


def office_lock_file(path: Path) -> Path:
    """What Excel leaves beside a workbook it has open: the owner's name, padded."""
    path.write_bytes(b"\x05alice" + b"\x20" * 48 + b"\x00" * 111)
    return path


def test_a_batch_passes_over_office_lock_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "inputs").mkdir()
    book = write_sample(tmp_path / "inputs" / "north.xlsx")
    lock = office_lock_file(tmp_path / "inputs" / "~$north.xlsx")
    code, text = run_cli(
        "build", str(book), str(lock), "--template", str(TEMPLATE), "--deck", str(DECK), *FAST
    )
    assert code == 0, text
    notes = [line for line in text.splitlines() if "~$north.xlsx" in line]
    assert len(notes) == 1 and "lock file" in notes[0], text
    assert (tmp_path / "output" / "north.pptx").is_file()
    assert not (tmp_path / "output" / "~$north.pptx").exists()


def test_an_office_lock_file_named_alone_is_one_clear_line(tmp_path: Path) -> None:
    lock = office_lock_file(tmp_path / "~$north.xlsx")
    code, text = build(lock, tmp_path / "deck.pptx")
    assert code == 2
    line = one_error(text)
    assert "lock file" in line and "north.xlsx" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["~$north.xlsx"]
