"""The benchmark harness is only worth its numbers if what it builds is right.

The stress workbooks must be valid with the counts asked for, the plain python-pptx baseline
must build the slides and charts it is told to, and the runner must go end to end. Nothing here
asserts a timing: speed is measured by benchmarks/run.py, never by a test.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner
from pptx import Presentation

from deckgen.cli import cli
from tests.conftest import ROOT

BENCHMARKS = ROOT / "benchmarks"


def _load(name: str) -> ModuleType:
    """Import a benchmarks/ script by path (the folder is scripts, not a package).

    run.py imports its siblings by their plain names, so they are loaded under those names
    too; run.py itself gets a name no other module could have.
    """
    sys.path.insert(0, str(BENCHMARKS))
    try:
        if name != "run":
            return importlib.import_module(name)
        spec = importlib.util.spec_from_file_location("deckgen_bench_run", BENCHMARKS / "run.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCHMARKS))


stress = _load("stress")
plain_pptx = _load("plain_pptx")
bench = _load("run")


def _validate(path: Path) -> dict[str, object]:
    result = CliRunner().invoke(cli, ["validate", str(path), "--json"])
    payload: dict[str, object] = json.loads(result.output)
    return payload


def test_stress_workbook_is_valid_with_the_counts_asked_for(tmp_path: Path) -> None:
    path = stress.write_stress(tmp_path / "s.xlsx", projects=150, portfolios=40, years=25)
    payload = _validate(path)
    assert payload["valid"] is True
    assert payload["warnings"] == 0, payload["issues"]
    counts = payload["counts"]
    assert isinstance(counts, dict)
    assert (counts["portfolio"], counts["project"], counts["year"]) == (40, 150, 25)


def test_stress_workbook_keeps_what_the_deck_refers_to() -> None:
    """The sample's projects and portfolios stay first, so `{fte[WMP2020 - DDI]}` resolves."""
    sample = stress.load_source()
    grown = stress.stress_source(projects=100, portfolios=30, years=12)
    for name in ("FTE by Project", "Portfolio"):
        before = [r[0] for r in stress._sheet(sample, name)["rows"]]
        after = [r[0] for r in stress._sheet(grown, name)["rows"]]
        assert after[: len(before)] == before
        assert len({a.casefold() for a in after}) == len(after)
    figures = stress._sheet(grown, "Figures")["rows"]
    assert figures == stress._sheet(sample, "Figures")["rows"]


def test_stress_workbook_is_deterministic(tmp_path: Path) -> None:
    first = stress.write_stress(tmp_path / "a.xlsx", projects=60, portfolios=20, years=15)
    second = stress.write_stress(tmp_path / "b.xlsx", projects=60, portfolios=20, years=15)
    assert first.read_bytes() == second.read_bytes()
    other = stress.write_stress(tmp_path / "c.xlsx", 60, 20, 15, seed=7)
    assert other.read_bytes() != first.read_bytes()


def test_stress_workbook_can_be_smaller_than_the_sample(tmp_path: Path) -> None:
    path = stress.write_stress(tmp_path / "small.xlsx", projects=12, portfolios=11, years=3)
    payload = _validate(path)
    assert payload["valid"] is True
    assert payload["counts"]["year"] == 3  # type: ignore[index]


def test_stress_refuses_years_whose_labels_would_wrap() -> None:
    with pytest.raises(ValueError, match="years"):
        stress.stress_source(projects=20, portfolios=11, years=stress.MAX_YEARS + 1)


def test_stress_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli.xlsx"
    stress.main(["--projects", "30", "-o", str(out)])
    assert "30 projects, 3 portfolios, 10 years" in capsys.readouterr().out
    assert _validate(out)["counts"]["portfolio"] == 3  # type: ignore[index]


def test_every_measured_size_is_listed_with_its_slide_count() -> None:
    assert sorted(stress.SIZES) == [50, 250, 500, 1000]
    for slides, size in stress.SIZES.items():
        assert size.slides == slides
        assert size.projects > size.portfolios > 0


def test_plain_deck_has_the_slides_charts_and_tables_asked_for(tmp_path: Path) -> None:
    out = tmp_path / "plain.pptx"
    mix = plain_pptx.Mix(slides=7, charts=3, tables=2, categories=(2, 40, 5), text_boxes=9)
    plain_pptx.build(mix, out)
    prs = Presentation(str(out))
    assert len(prs.slides) == 7
    charts = [s.chart for slide in prs.slides for s in slide.shapes if s.has_chart]
    assert [len(c.plots[0].categories) for c in charts] == [2, 40, 5]
    assert all(len(c.plots[0].series) == 2 for c in charts)
    tables = [s.table for slide in prs.slides for s in slide.shapes if s.has_table]
    assert len(tables) == 2
    assert all(slide.has_notes_slide for slide in prs.slides)
    assert all(slide.notes_slide.notes_text_frame.text for slide in prs.slides)


def test_plain_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli.pptx"
    plain_pptx.main(["--slides", "12", "--charts", "8", "--tables", "2", "-o", str(out)])
    assert "12 slides, 8 charts" in capsys.readouterr().out
    prs = Presentation(str(out))
    assert len(prs.slides) == 12
    assert sum(s.has_chart for slide in prs.slides for s in slide.shapes) == 8


def test_plain_refuses_more_charts_than_slides(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="more charts"):
        plain_pptx.build(plain_pptx.Mix(slides=3, charts=3, tables=1), tmp_path / "x.pptx")


def test_runner_measures_a_subprocess_and_its_own_memory() -> None:
    done = bench.run([sys.executable, "-c", "b = bytearray(80_000_000); print('hi')"])
    assert done.ok
    assert done.stdout.strip() == "hi"
    assert done.peak_mb > 70  # this child's peak, not the largest child so far
    small = bench.run([sys.executable, "-c", "pass"])
    assert small.peak_mb < done.peak_mb


def test_runner_stops_a_build_that_runs_too_long() -> None:
    done = bench.run([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert done.timed_out
    assert not done.ok
    assert "timed out" in done.failure()


def test_content_mix_is_counted_from_the_deck(tmp_path: Path) -> None:
    out = tmp_path / "counted.pptx"
    plain_pptx.build(plain_pptx.Mix(slides=5, charts=2, tables=1, categories=(4, 9)), out)
    mix, notes = bench.count_in_child(out)
    assert (mix.slides, mix.charts, mix.tables, mix.categories) == (5, 2, 1, (4, 9))
    assert mix.table_rows == 18
    assert notes > 5 * 400  # about 500 characters of notes on each slide


@pytest.mark.slow
def test_benchmark_runs_end_to_end_at_a_tiny_size(tmp_path: Path) -> None:
    tiny = stress.Size(projects=30, portfolios=12, years=10)
    out = tmp_path / "results.md"
    text = bench.benchmark(
        sizes=[], runs=1, out=out, custom=[tiny], startup_runs=1, log=lambda line: None
    )
    assert out.read_text(encoding="utf-8") == text
    assert "| sample | 32 |" in text  # the sample deck was built and counted
    assert "| 30 projects |" in text
    assert "## Start-up" in text
    assert "## Targets" in text
    assert "python-pptx" in text  # the machine block
    table = [line for line in text.splitlines() if line.startswith("| 30 projects |")]
    cells = [c.strip() for c in table[0].strip("|").split("|")]
    assert cells[4] != "–" and cells[5] != "–"  # both deckgen and plain were timed
    assert cells[-1] == "1/1"


def test_snapshot_is_a_frozen_copy_of_a_commit() -> None:
    """A run can measure HEAD as committed while others keep editing the working tree."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    frozen = bench.take_snapshot()
    try:
        assert frozen.commit
        assert (frozen.root / "src" / "deckgen" / "cli.py").is_file()
        assert frozen.sample.is_file()
        assert frozen.template.is_file()
    finally:
        shutil.rmtree(frozen.root)


@pytest.mark.slow
def test_benchmark_measures_an_older_commit_beside_this_code(tmp_path: Path) -> None:
    """--before REF: the older deckgen builds the same workbooks in the same rounds, and both
    are set against the same plain python-pptx runs."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tiny = stress.Size(projects=30, portfolios=12, years=10)
    older = bench.take_snapshot("HEAD")
    try:
        text = bench.benchmark(
            sizes=[],
            runs=1,
            out=None,
            custom=[tiny],
            startup=False,
            log=lambda line: None,
            before=older,
        )
    finally:
        shutil.rmtree(older.root)
    rows: dict[str, list[str]] = {}
    for line in text.splitlines():  # the first table's rows (the later ones name decks too)
        if line.startswith("| "):
            cells = [c.strip() for c in line.strip("|").split("|")]
            rows.setdefault(cells[0], cells)
    for deck in ("sample", "30 projects"):
        row = rows[f"{deck}, before ({older.commit})"]
        assert row[4] != "–" and row[6].endswith("x"), row  # built and set against plain
        assert row[5] == rows[deck][5]  # the same plain runs as the current code's
        assert row[-1] == "1/1"
    assert rows["sample, before (" + older.commit + ")"][1] == "32"
    assert f"## Before ({older.commit}) and after" in text
    both = [line for line in text.splitlines() if line.startswith("| 30 projects | ")]
    assert len(both) == 2 and both[1].count("x |") == 3  # before, after, after / before
