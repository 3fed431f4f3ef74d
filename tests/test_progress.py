"""A long build shows a progress bar on a terminal; short builds, pipes and logs never do."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner

from deckgen import pipeline
from deckgen.cli import cli
from deckgen.progress import TerminalBar
from tests.conftest import ROOT

SAMPLE = ROOT / "inputs" / "wmp2020.xlsx"
TEMPLATE = ROOT / "layouts" / "template.pptx"
DECK = ROOT / "layouts" / "wmp2020.yaml"


class Recorder:
    """Progress that remembers what it was told."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, int]] = []
        self.steps: dict[str, int] = {}
        self.finished = 0

    def stage(self, label: str, total: int) -> None:
        self.stages.append((label.strip(), total))
        self.steps[label.strip()] = 0

    def advance(self, steps: int = 1) -> None:
        self.steps[self.stages[-1][0]] += steps

    def finish(self) -> None:
        self.finished += 1


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_build_reports_every_slide_drawn_and_checked(tmp_path: Path) -> None:
    recorder = Recorder()
    options = pipeline.BuildOptions(SAMPLE, tmp_path / "deck.pptx", TEMPLATE, DECK, split=True)
    result = pipeline.build(options, progress=recorder)
    slides = len(result.deck.slides)
    assert recorder.stages == [
        ("Drawing slides", slides),
        ("Checking slides", slides),
        ("Splitting", slides),
    ]
    assert recorder.steps == {
        "Drawing slides": slides,
        "Checking slides": slides,
        "Splitting": slides,
    }
    assert recorder.finished >= 1


def test_the_bar_shows_on_a_terminal_once_the_build_is_long() -> None:
    screen = Terminal()
    bar = TerminalBar(screen, show_after=0.0)
    bar.stage("Drawing slides", 4)
    for _ in range(4):
        bar.advance()
    bar.finish()
    shown = screen.getvalue()
    assert "Drawing slides" in shown and "100%" in shown


def test_a_short_build_or_a_pipe_shows_no_bar() -> None:
    short = Terminal()
    bar = TerminalBar(short, show_after=3600.0)
    bar.stage("Drawing slides", 4)
    bar.advance(4)
    bar.finish()
    piped = io.StringIO()
    bar = TerminalBar(piped, show_after=0.0)
    bar.stage("Drawing slides", 4)
    bar.advance(4)
    bar.finish()
    assert short.getvalue() == "" and piped.getvalue() == ""


def test_the_build_summary_is_unchanged_when_not_on_a_terminal(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(SAMPLE), "-o", str(tmp_path / "deck.pptx")])
    assert result.exit_code == 0, result.output
    assert "Drawing slides" not in result.output and "%" not in result.output
    assert "32 slides" in result.output
