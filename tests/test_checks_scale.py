"""The quality gate on a long deck: it reads one slide at a time, and a problem on a slide deep
in the deck is still reported, with its slide number, as on a short one. A deck still in memory
(just built, not yet written) is checked the same way as a file."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Inches, Pt

from deckgen.checks import CheckReport, PackageError, Rule, check_deck, check_deck_bytes

SLIDES = 60
BROKEN = 55  # the slide given an overflow, a pale table cell and a repeated title
TITLE_ONLY = 5  # layout of python-pptx's default template


def _table(slide: Any, pale: bool) -> None:
    frame = slide.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(4), Inches(0.8))
    frame.name = "Costs"
    cell = frame.table.cell(0, 1)
    cell.text = "Cost"
    if pale:
        cell.fill.solid()
        cell.fill.fore_color.rgb = RGBColor(0x1B, 0x36, 0x5D)
        run = cell.text_frame.paragraphs[0].runs[0]
        run.font.size = Pt(11)
        run.font.color.rgb = RGBColor(0x3E, 0x5A, 0x80)


def _long_deck(path: Path) -> Path:
    """SLIDES slides with a title, a table and notes; slide BROKEN breaks three rules."""
    prs = Presentation()
    for number in range(1, SLIDES + 1):
        slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
        broken = number == BROKEN
        slide.shapes.title.text_frame.text = "Part 3" if broken else f"Part {number}"
        _table(slide, pale=broken)
        if broken:
            box = slide.shapes.add_textbox(Inches(1), Inches(4), Inches(6), Inches(0.2))
            box.name = "Squeezed"
            box.text_frame.word_wrap = True
            box.text_frame.text = "One line of text"
        slide.notes_slide.notes_text_frame.text = "The costs, from the workbook."
    prs.save(str(path))
    return path


@pytest.fixture(scope="module")
def long_deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _long_deck(tmp_path_factory.mktemp("long") / "long.pptx")


def test_problems_deep_in_a_long_deck_are_reported_on_their_slide(long_deck: Path) -> None:
    report = check_deck(long_deck)
    assert report.slides == SLIDES
    assert report.lines() == [
        f"slide {BROKEN} 'Title 1': title 'Part 3' is the same as slide 3's",
        f"slide {BROKEN} 'Costs' row 1: text contrast 1.7:1 against its fill, needs 4.5:1 "
        "(#3E5A80 on #1B365D)",
        f"slide {BROKEN} 'Squeezed': text needs 0.4 in, box has 0.2 in",
    ]
    assert [f.rule for f in report.findings] == [Rule.TITLE, Rule.CONTRAST, Rule.OVERFLOW]


def test_a_broken_slide_late_in_the_deck_is_reported_and_the_rest_still_checked(
    long_deck: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(long_deck) as source:
        members = [(info, source.read(info.filename)) for info in source.infolist()]
    target = tmp_path / "broken.pptx"
    with zipfile.ZipFile(target, "w") as sink:
        for info, data in members:
            if info.filename == "ppt/slides/slide58.xml":
                data = b"<p:sld><unclosed></p:sld>"
            sink.writestr(info, data)
    found = check_deck(target).lines()
    assert found[-1].startswith("slide 58: part ppt/slides/slide58.xml is not well-formed XML (")
    assert len(found) == 4 and all(line.startswith(f"slide {BROKEN} ") for line in found[:3])


def test_a_deck_in_memory_is_checked_as_its_file_would_be(long_deck: Path) -> None:
    from_file = check_deck(long_deck)
    in_memory = check_deck_bytes(long_deck.read_bytes(), "long.pptx")
    assert isinstance(in_memory, CheckReport)
    assert in_memory.path == Path("long.pptx")
    assert in_memory.slides == from_file.slides
    assert in_memory.findings == from_file.findings


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty (0 bytes)"),
        (b"title,value\n", "the file is text"),
        (b"PK\x03\x04 cut short", "truncated or damaged"),
    ],
)
def test_bytes_that_are_no_deck_are_refused_naming_the_deck(data: bytes, reason: str) -> None:
    with pytest.raises(PackageError) as raised:
        check_deck_bytes(data, "built.pptx")
    message = raised.value.format_message()
    assert message.startswith("built.pptx: ") and reason in message, message


# -- a large deck held in memory is checked in two processes -------------------------------------


def _members(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as package:
        return [(info.filename, package.read(info)) for info in package.infolist()]


@pytest.fixture
def shared(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Share every deck of two slides or more; the list counts the helpers started."""
    from deckgen.checks import run

    if not run._can_share(run.SHARE_FROM_SLIDES):
        pytest.skip("this machine checks in one process (not Linux, or one core)")
    monkeypatch.setattr(run, "SHARE_FROM_SLIDES", 2)
    started: list[int] = []
    start = run._Helper.start

    def counted(deck: Any, refs: Any) -> Any:
        started.append(len(refs))
        return start(deck, refs)

    monkeypatch.setattr(run._Helper, "start", counted)
    return started


def _shown(report: CheckReport) -> list[tuple[Any, ...]]:
    return [(f.rule, f.slide, f.shape, f.part, f.message) for f in report.findings]


def test_two_processes_find_what_one_finds(long_deck: Path, shared: list[int]) -> None:
    """The second half's slides are checked in a forked copy; the title repeated across the
    halves (slide 3 and slide 55) is still found, and every finding is the same, in order."""
    from deckgen.checks import check_deck_members

    alone = check_deck(long_deck)
    together = check_deck_members(_members(long_deck), "long.pptx")
    assert shared == [SLIDES - SLIDES // 2]
    assert _shown(together) == _shown(alone)
    assert {f.slide for f in together.findings} >= {BROKEN}
    assert any(f.rule is Rule.TITLE and f.slide == BROKEN for f in together.findings)


def test_a_helper_that_fails_leaves_its_slides_to_the_parent(
    long_deck: Path, shared: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from deckgen.checks import check_deck_members, run

    parent = os.getpid()
    check = run._check_slides

    def failing_in_the_helper(*args: Any) -> Any:
        if os.getpid() != parent:
            raise RuntimeError("the helper fails")
        return check(*args)

    monkeypatch.setattr(run, "_check_slides", failing_in_the_helper)
    together = check_deck_members(_members(long_deck), "long.pptx")
    assert shared  # a helper was started, and failed
    assert _shown(together) == _shown(check_deck(long_deck))


def _report_can_share(sending: Any) -> None:
    from deckgen.checks import run

    sending.send(run._can_share(10 * run.SHARE_FROM_SLIDES))
    sending.close()


def test_a_daemonic_worker_checks_alone() -> None:
    """A daemonic process may not start children: there the gate never forks."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    worker = context.Process(target=_report_can_share, args=(sending,), daemon=True)
    worker.start()
    assert receiving.recv() is False
    worker.join()
