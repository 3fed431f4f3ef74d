"""Time `deckgen build` against plain python-pptx building the same slides, in one run.

Every measurement is a subprocess timed end to end (interpreter start, imports, reading,
planning, rendering, saving), with its own peak RSS from os.wait4, so deckgen and the baseline
pay the same costs and are compared on the same machine in the same minute. Runs alternate
deckgen / plain so drift in the machine's speed hits both. Ratios, not seconds, are the result.

    python benchmarks/run.py            # sample deck and 50, 250, 500, 1,000 slides, 5 runs each
    python benchmarks/run.py --quick    # sample deck and 50 slides, 1 run each
    python benchmarks/run.py --before main --sizes 1000 --runs 3   # a commit beside this code

Markdown goes to stdout and to benchmarks/results.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import plain_pptx  # noqa: E402  (a sibling script, not a package)
import stress  # noqa: E402


@dataclass
class Source:
    """Where the measured deckgen lives: the working tree, or a frozen copy of a commit."""

    root: Path = REPO
    commit: str = ""  # set for a snapshot

    @property
    def sample(self) -> Path:
        return self.root / "inputs" / "wmp2020.xlsx"

    @property
    def template(self) -> Path:
        return self.root / "layouts" / "template.pptx"


SOURCE = Source()
# Compiled bytecode for the children, outside the source tree: a user's install has .pyc files,
# so neither side should pay for compiling on every run (this machine sets
# PYTHONDONTWRITEBYTECODE, which would make deckgen, installed editable, compile each time).
PYCACHE = Path(tempfile.gettempdir()) / "deckgen-bench-pycache"
RESULTS = HERE / "results.md"
HEAVY = ("pptx", "matplotlib", "openpyxl", "lxml", "PIL", "xlsxwriter")

# Targets from the issue (ratios measured in one run).
SAMPLE_RATIO = 1.5  # sample deck end to end, deckgen / plain
HELP_SECONDS = 0.15  # `deckgen --help`
FLAT_GROWTH = 1.1  # per-slide cost at 1,000 slides over that at 250 slides
PEAK_MB = 300  # peak RSS building 1,000 slides

_VALIDATE_PROBE = """
import json, sys
from deckgen.cli import main
sys.argv = ["deckgen", "validate", sys.argv[1]]
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code or 0
heavy = sorted(m for m in {heavy!r} if m in sys.modules)
print("@@probe " + json.dumps({{"exit": code, "imported": heavy}}), file=sys.stderr)
"""


@dataclass(frozen=True)
class Run:
    """One subprocess: wall seconds, peak resident memory, and how it ended."""

    seconds: float
    peak_mb: float
    code: int
    stdout: str
    stderr: str
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.code == 0 and not self.timed_out

    def failure(self) -> str:
        if self.timed_out:
            return f"timed out after {self.seconds:.0f} s"
        if any(m in self.stderr for m in ("MemoryError", "Cannot allocate memory", "bad_alloc")):
            return f"ran out of memory (cap) after {self.seconds:.0f} s"
        if self.code < 0:
            return f"killed by signal {-self.code} after {self.seconds:.0f} s"
        last = self.stderr.strip().splitlines()[-1:] or [f"exit {self.code}"]
        return f"failed after {self.seconds:.0f} s: {last[0][:120]}"


def child_env(source: Source | None = None) -> dict[str, str]:
    """The environment every measured subprocess gets: bytecode cached, as installed; the
    deckgen of `source` (by default the one measured)."""
    source = source or SOURCE
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    # The build is measured, not LibreOffice drawing each slide for the review page (which
    # `deckgen build` does by default where LibreOffice is installed).
    env["DECKGEN_REVIEW_PICTURES"] = "0"
    if source.root != REPO:  # a snapshot: its src/ comes before the editable install's
        env["PYTHONPATH"] = str(source.root / "src")
    return env


def take_snapshot(ref: str = "HEAD") -> Source:
    """Extract `ref` (git archive: read-only on the repository) into a temporary folder.

    Edits keep landing in the shared working tree; a run measured on a frozen copy cannot mix
    versions between its sizes. Uncommitted edits are not in it.
    """
    import io
    import tarfile

    commit = subprocess.run(
        ["git", "rev-parse", "--short", ref], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref], cwd=REPO, capture_output=True, check=True
    ).stdout
    folder = Path(tempfile.mkdtemp(prefix=f"deckgen-snapshot-{commit}-"))
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return Source(folder, commit)


# Started by the runner, this small interpreter starts the measured command and waits for it.
# Peak RSS must come from a small parent: Linux folds the parent's memory high-water mark into a
# forked child's ru_maxrss, so a runner holding a big deck would inflate every figure (and its
# fork would add to the wall time). The timing is taken here too, around spawn and wait only.
_LAUNCHER = """
import json, os, resource, sys, time
cap = int(sys.argv[1])
cmd = sys.argv[2:]
if cap:
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
started = time.perf_counter()
pid = os.posix_spawn(cmd[0], cmd, os.environ)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - started
code = os.waitstatus_to_exitcode(status)
done = {"seconds": seconds, "peak_kb": usage.ru_maxrss, "code": code}
sys.stderr.write("\\n@@measured " + json.dumps(done) + "\\n")
"""
_MARK = "@@measured "


def run(
    cmd: Sequence[str],
    cwd: Path | None = None,
    timeout: float | None = None,
    memory_cap_mb: int | None = None,
    source: Source | None = None,
) -> Run:
    """Run `cmd` (in `source`'s folder and environment, by default the measured deckgen's);
    return its wall time and its own peak RSS (os.wait4 on exactly this child).

    RUSAGE_CHILDREN's ru_maxrss is a maximum over every child ever waited for, so it cannot be
    differenced. A memory cap (RLIMIT_AS) keeps a runaway build from taking the machine down;
    the timeout kills it with its launcher.
    """
    cap = (memory_cap_mb or 0) * 1024 * 1024
    launcher = [sys.executable, "-I", "-S", "-c", _LAUNCHER, str(cap), *cmd]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            launcher,
            cwd=cwd or (source or SOURCE).root,
            env=child_env(source),
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        try:
            proc.wait(timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            timed_out = True
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        measured: dict[str, float] = {}
        if _MARK in stderr:
            stderr, _, tail = stderr.rpartition(_MARK)
            measured = json.loads(tail)
        return Run(
            seconds=measured.get("seconds", elapsed),
            peak_mb=measured.get("peak_kb", 0) / 1024,  # KiB on Linux
            code=int(measured.get("code", proc.returncode if not timed_out else -9)),
            stdout=out.read().decode("utf-8", "replace"),
            stderr=stderr.rstrip("\n"),
            timed_out=timed_out,
        )


def deckgen(*args: str) -> list[str]:
    """The project's deckgen from this interpreter's environment."""
    return [sys.executable, "-m", "deckgen", *args]


# -- what the baseline must build -------------------------------------------------------------


def count_deck(deck: Path) -> tuple[plain_pptx.Mix, int]:
    """The slides, charts (with their category counts), tables, text boxes, shapes and notes
    characters of a deck, and its notes characters in all."""
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    prs = Presentation(str(deck))
    categories: list[int] = []
    tables: list[tuple[int, int]] = []
    text_boxes = shapes = notes = 0
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                categories.append(len(shape.chart.plots[0].categories))
            elif shape.has_table:
                tables.append((len(shape.table.rows), len(shape.table.columns)))
            elif shape.shape_type == MSO_SHAPE_TYPE.TEXT_BOX:
                text_boxes += 1
            elif shape.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE:
                shapes += 1
        if slide.has_notes_slide:
            notes += len(slide.notes_slide.notes_text_frame.text)
    slides = len(prs.slides)
    mix = plain_pptx.Mix(
        slides=slides,
        charts=len(categories),
        tables=len(tables),
        table_rows=round(statistics.mean(r for r, _ in tables)) if tables else 18,
        table_cols=round(statistics.mean(c for _, c in tables)) if tables else 4,
        text_boxes=text_boxes,
        shapes=shapes,
        notes_chars=notes // max(slides, 1),
        categories=tuple(categories) or plain_pptx.SAMPLE_CATEGORIES,
    )
    return mix, notes


def count_in_child(deck: Path) -> tuple[plain_pptx.Mix, int]:
    """count_deck in a subprocess: a big deck opened here would bloat the runner for good."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--count", str(deck)],
        capture_output=True,
        text=True,
        check=True,
        env=child_env(),
    )
    data = json.loads(done.stdout)
    data["categories"] = tuple(data["categories"])
    notes = int(data.pop("notes_total"))
    return plain_pptx.Mix(**data), notes


def mix_args(mix: plain_pptx.Mix) -> list[str]:
    return [
        f"--slides={mix.slides}",
        f"--charts={mix.charts}",
        f"--tables={mix.tables}",
        f"--table-rows={mix.table_rows}",
        f"--table-cols={mix.table_cols}",
        f"--text-boxes={mix.text_boxes}",
        f"--shapes={mix.shapes}",
        f"--notes-chars={mix.notes_chars}",
        "--categories=" + ",".join(str(c) for c in mix.categories),
    ]


def estimated_mix(size: stress.Size, like: plain_pptx.Mix) -> plain_pptx.Mix:
    """The baseline's deck when deckgen built none to count: the sample's mix at this size."""
    extra = size.slides - like.slides
    per_slide_boxes = like.text_boxes / like.slides
    per_slide_shapes = like.shapes / like.slides
    categories = list(like.categories)
    if len(categories) == 8:  # the sample's charts: yearly x2, fte-by-project, portfolio
        categories[1] = categories[2] = size.years
        categories[3], categories[7] = size.projects, size.portfolios
    return plain_pptx.Mix(
        slides=size.slides,
        charts=like.charts,
        tables=like.tables + extra,
        table_rows=18,
        table_cols=4,
        text_boxes=round(per_slide_boxes * size.slides),
        shapes=round(per_slide_shapes * size.slides),
        notes_chars=like.notes_chars,
        categories=tuple(categories),
    )


# -- the cases --------------------------------------------------------------------------------


@dataclass
class Case:
    """One deck size: deckgen's runs and the baseline's on the same slides."""

    name: str
    workbook: Path
    size: stress.Size | None = None
    deckgen_runs: list[Run] = field(default_factory=list)
    plain_runs: list[Run] = field(default_factory=list)
    before_runs: list[Run] = field(default_factory=list)  # --before: the older deckgen's
    before_slides: int | None = None
    before_failure: str = ""
    mix: plain_pptx.Mix | None = None
    slides: int | None = None
    charts: int | None = None
    tables: int | None = None
    deck_mb: float | None = None
    plain_deck_mb: float | None = None
    notes_mb: float | None = None
    failure: str = ""

    @staticmethod
    def _median(runs: list[Run], attr: str) -> float | None:
        good = [getattr(r, attr) for r in runs if r.ok]
        return statistics.median(good) if good else None

    @property
    def deckgen_seconds(self) -> float | None:
        return self._median(self.deckgen_runs, "seconds")

    @property
    def plain_seconds(self) -> float | None:
        return self._median(self.plain_runs, "seconds")

    @property
    def deckgen_mb(self) -> float | None:
        good = [r.peak_mb for r in self.deckgen_runs if r.ok]
        return max(good) if good else None

    @property
    def plain_mb(self) -> float | None:
        good = [r.peak_mb for r in self.plain_runs if r.ok]
        return max(good) if good else None

    @property
    def ratio(self) -> float | None:
        d, p = self.deckgen_seconds, self.plain_seconds
        return d / p if d and p else None

    @property
    def before_seconds(self) -> float | None:
        return self._median(self.before_runs, "seconds")

    @property
    def before_mb(self) -> float | None:
        good = [r.peak_mb for r in self.before_runs if r.ok]
        return max(good) if good else None

    @property
    def before_ratio(self) -> float | None:
        b, p = self.before_seconds, self.plain_seconds
        return b / p if b and p else None

    def per_slide_ms(self, seconds: float | None) -> float | None:
        count = self.slides or (self.mix.slides if self.mix else None)
        return 1000 * seconds / count if seconds and count else None


def _parse_summary(line: str) -> tuple[int, int, int] | None:
    """(slides, charts, tables) from deckgen's one-line summary."""
    words = line.replace(",", " ").split()
    try:
        return (
            int(words[words.index("slides") - 1]),
            int(words[words.index("charts") - 1]),
            int(words[words.index("tables") - 1]),
        )
    except (ValueError, IndexError):
        return None


def measure_case(
    case: Case,
    work: Path,
    runs: int,
    timeout: float,
    memory_cap_mb: int,
    repeat_under: float,
    like: plain_pptx.Mix | None,
    notes_chars: int | None,
    log: Callable[[str], None],
    before: Source | None = None,
) -> None:
    """Alternate deckgen and plain builds of the same size (and, given `before`, that older
    deckgen's build of the same workbook, so both are measured against the same baseline).

    A build slower than `repeat_under` s is not repeated (its one time is reported, n=1), a
    failed one not at all; the baseline still gets its runs. The baseline's notes are the
    sample deck's average per slide (`notes_chars`), not deckgen's (see README).
    """
    out = work / f"{case.name}.pptx"
    plain_out = work / f"{case.name}-plain.pptx"
    before_out = work / "before" / f"{case.name}.pptx"
    deckgen_done = False
    before_done = before is None
    for attempt in range(runs):
        if not before_done:
            assert before is not None
            if before_out.parent.exists():
                shutil.rmtree(before_out.parent)  # a fresh build each time: no diff
            before_out.parent.mkdir()
            log(f"  {case.name}: deckgen {before.commit} (before), run {attempt + 1}")
            older = run(
                deckgen("build", str(case.workbook), "-o", str(before_out)),
                timeout=timeout,
                memory_cap_mb=memory_cap_mb,
                source=before,
            )
            case.before_runs.append(older)
            before_done = not older.ok or older.seconds > repeat_under
            if not older.ok:
                case.before_failure = older.failure()
                log(f"  {case.name}: before: {case.before_failure}")
            elif case.before_slides is None and older.stdout.strip():
                summary = _parse_summary(older.stdout.strip().splitlines()[0])
                case.before_slides = summary[0] if summary else None
        if not deckgen_done:
            for stale in work.glob(f"{case.name}.*"):  # a fresh build each time: no diff
                if stale.is_dir():
                    shutil.rmtree(stale)  # the history of builds beside the deck
                elif stale != case.workbook:
                    stale.unlink()
            log(f"  {case.name}: deckgen build, run {attempt + 1}")
            result = run(
                deckgen("build", str(case.workbook), "-o", str(out)),
                timeout=timeout,
                memory_cap_mb=memory_cap_mb,
            )
            case.deckgen_runs.append(result)
            deckgen_done = not result.ok or result.seconds > repeat_under
            if not result.ok:
                case.failure = result.failure()
                log(f"  {case.name}: {case.failure}")
            elif case.mix is None:
                summary = _parse_summary(result.stdout.strip().splitlines()[0])
                if summary:
                    case.slides, case.charts, case.tables = summary
                mix, notes = count_in_child(out)
                if notes_chars is not None:
                    mix = replace(mix, notes_chars=notes_chars)
                case.mix = mix
                case.deck_mb = out.stat().st_size / 1e6
                case.notes_mb = notes / 1e6
        if case.mix is None:
            if case.size is None or like is None:
                return
            case.mix = estimated_mix(case.size, like)
        log(f"  {case.name}: plain python-pptx, run {attempt + 1}")
        baseline = run(
            plain(plain_out, *mix_args(case.mix)),
            timeout=timeout,
            memory_cap_mb=memory_cap_mb,
        )
        case.plain_runs.append(baseline)
        if baseline.ok and case.plain_deck_mb is None:
            case.plain_deck_mb = plain_out.stat().st_size / 1e6
        if not baseline.ok or baseline.seconds > repeat_under:
            break


# -- start-up ---------------------------------------------------------------------------------


@dataclass
class Startup:
    help_seconds: float
    script_help_seconds: float | None
    bare_python: float
    import_pptx: float
    validate_seconds: float
    validate_imports: list[str]
    validate_exit: int


def measure_startup(runs: int = 7) -> Startup:
    """`deckgen --help` and `deckgen validate` against a bare interpreter, median of `runs`."""

    def median(cmd: list[str]) -> float:
        return statistics.median(run(cmd).seconds for _ in range(runs))

    script = Path(sys.executable).with_name("deckgen")
    probe = _VALIDATE_PROBE.format(heavy=HEAVY)
    found = run([sys.executable, "-c", probe, str(SOURCE.sample)])
    marker = [line for line in found.stderr.splitlines() if line.startswith("@@probe ")]
    detail = json.loads(marker[-1].removeprefix("@@probe ")) if marker else {}
    return Startup(
        help_seconds=median(deckgen("--help")),
        script_help_seconds=median([str(script), "--help"]) if script.exists() else None,
        bare_python=median([sys.executable, "-c", "pass"]),
        import_pptx=median([sys.executable, "-c", "import pptx"]),
        validate_seconds=median(deckgen("validate", str(SOURCE.sample))),
        validate_imports=list(detail.get("imported", ["(probe failed)"])),
        validate_exit=int(detail.get("exit", -1)),
    )


# -- the report -------------------------------------------------------------------------------


def _f(value: float | None, fmt: str = ".2f", unit: str = "") -> str:
    return "–" if value is None else f"{value:{fmt}}{unit}"


def source_fingerprint() -> str:
    """A hash of the code and definitions a build runs, to tell if they changed mid-run."""
    import hashlib

    digest = hashlib.sha256()
    for folder in (SOURCE.root / "src" / "deckgen", SOURCE.root / "layouts"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(SOURCE.root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def machine() -> list[tuple[str, str]]:
    """What the numbers were measured on (they mean nothing without it)."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    from importlib.metadata import version

    def git(*args: str) -> str:
        try:
            done = subprocess.run(
                ["git", *args], cwd=REPO, capture_output=True, text=True, check=True
            )
        except (OSError, subprocess.CalledProcessError):
            return "?"
        return done.stdout.strip()

    dirty = git("status", "--porcelain", "--", "src")
    changed = len(dirty.splitlines()) if dirty != "?" else 0
    return [
        ("CPU", cpu),
        ("cores", str(os.cpu_count())),
        ("memory", memory or "?"),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("python-pptx", version("python-pptx")),
        ("deckgen", version("deckgen")),
        (
            "source",
            f"snapshot of {SOURCE.commit} (git archive; uncommitted edits not measured)"
            if SOURCE.commit
            else f"{git('rev-parse', '--short', 'HEAD')} working tree"
            + (f" with {changed} uncommitted files under src/" if changed else ""),
        ),
        ("measured", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
    ]


def verdicts(cases: list[Case], startup: Startup | None) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) for each of the issue's targets."""
    by_name = {c.name: c for c in cases}
    rows: list[tuple[str, str, str]] = []

    def versus(value: float | None, limit: float, unit: str, fmt: str = ".2f") -> str:
        if value is None:
            return "not measured"
        if value <= limit:
            return "met"
        over = "" if unit == "x" else f" ({value - limit:+{fmt}}{unit})"
        return f"missed: {value / limit:.2f}x the limit{over}"

    sample = by_name.get("sample")
    rows.append(
        (
            f"sample deck end to end ≤ {SAMPLE_RATIO}x plain python-pptx",
            _f(sample.ratio if sample else None, ".2f", "x"),
            versus(sample.ratio if sample else None, SAMPLE_RATIO, "x"),
        )
    )
    if startup:
        rows.append(
            (
                f"`deckgen --help` < {HELP_SECONDS} s",
                f"{startup.help_seconds:.3f} s",
                versus(startup.help_seconds, HELP_SECONDS, " s", ".3f"),
            )
        )
        bad = [m for m in startup.validate_imports if m in ("pptx", "matplotlib")]
        rows.append(
            (
                "`deckgen validate` imports neither python-pptx nor matplotlib",
                "imports " + (", ".join(startup.validate_imports) or "none of " + ", ".join(HEAVY)),
                "met" if not bad else f"missed: imports {', '.join(bad)}",
            )
        )
    small, big = by_name.get("250 slides"), by_name.get("1000 slides")
    growth = None
    if small and big:
        a, b = small.per_slide_ms(small.deckgen_seconds), big.per_slide_ms(big.deckgen_seconds)
        growth = b / a if a and b else None
    flat = "not measured"
    if growth is not None:
        flat = versus(growth, FLAT_GROWTH, "x")
    elif big and big.failure:
        flat = f"missed: the 1,000-slide build {big.failure}"
    rows.append(
        (
            f"per-slide cost 250 → 1,000 slides grows ≤ {FLAT_GROWTH}x",
            _f(growth, ".2f", "x"),
            flat,
        )
    )
    faster = "not measured"
    if big and big.ratio is not None:
        faster = versus(big.ratio, 1.0, "x")
    elif big and big.failure:
        faster = f"missed: the 1,000-slide build {big.failure}"
    rows.append(
        (
            "1,000-slide build faster than plain python-pptx (ratio < 1)",
            _f(big.ratio if big else None, ".2f", "x"),
            faster,
        )
    )
    peak = big.deckgen_mb if big else None
    memory = versus(peak, PEAK_MB, " MB", ".0f")
    if peak is None and big and big.failure:
        memory = f"missed: the 1,000-slide build {big.failure}"
    rows.append((f"peak memory at 1,000 slides < {PEAK_MB} MB", _f(peak, ".0f", " MB"), memory))
    return rows


def report(
    cases: list[Case],
    startup: Startup | None,
    runs: int,
    settings: dict[str, str],
    before: Source | None = None,
) -> str:
    """The results as markdown: machine, the side-by-side table, start-up and the verdicts."""
    lines = ["# deckgen benchmark results", ""]
    fingerprint = settings.get("source fingerprint", "")
    if "CHANGED" in fingerprint:
        lines += [f"> **Not comparable across sizes:** source {fingerprint}.", ""]
    lines += ["| machine | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in machine()]
    lines += ["", "Settings: " + ", ".join(f"{k} {v}" for k, v in settings.items()), ""]
    lines += [
        "## Builds: deckgen against plain python-pptx, same slides",
        "",
        f"Medians of up to {runs} runs each (n = runs that finished), wall time of the whole "
        "subprocess; peak = the largest RSS of any run. Ratio = deckgen / plain.",
        "",
        "| deck | slides | charts | tables | deckgen s | plain s | ratio | deckgen ms/slide | "
        "plain ms/slide | deckgen peak MB | plain peak MB | deck MB (plain) | notes MB | n |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for c in cases:
        d_ok = sum(r.ok for r in c.deckgen_runs)
        p_ok = sum(r.ok for r in c.plain_runs)
        deckgen_s = _f(c.deckgen_seconds) if c.deckgen_seconds else c.failure or "–"
        slides = c.slides if c.slides is not None else (f"~{c.mix.slides}" if c.mix else "–")
        lines.append(
            f"| {c.name} | {slides} | {_f_int(c.charts)} | {_f_int(c.tables)} | {deckgen_s} | "
            f"{_f(c.plain_seconds)} | {_f(c.ratio, '.2f', 'x')} | "
            f"{_f(c.per_slide_ms(c.deckgen_seconds), '.1f')} | "
            f"{_f(c.per_slide_ms(c.plain_seconds), '.1f')} | {_f(c.deckgen_mb, '.0f')} | "
            f"{_f(c.plain_mb, '.0f')} | {_f(c.deck_mb, '.1f')} ({_f(c.plain_deck_mb, '.1f')}) | "
            f"{_f(c.notes_mb, '.2f')} | {d_ok}/{p_ok} |"
        )
        if before is not None:
            b_ok = sum(r.ok for r in c.before_runs)
            before_s = _f(c.before_seconds) if c.before_seconds else c.before_failure or "–"
            count = c.before_slides
            per_slide = 1000 * c.before_seconds / count if c.before_seconds and count else None
            lines.append(
                f"| {c.name}, before ({before.commit}) | {_f_int(count)} | | | {before_s} | "
                f"{_f(c.plain_seconds)} | {_f(c.before_ratio, '.2f', 'x')} | "
                f"{_f(per_slide, '.1f')} | {_f(c.per_slide_ms(c.plain_seconds), '.1f')} | "
                f"{_f(c.before_mb, '.0f')} | {_f(c.plain_mb, '.0f')} | | | {b_ok}/{p_ok} |"
            )
    if before is not None:
        lines += before_after(cases, before)
    if startup:
        lines += [
            "",
            "## Start-up",
            "",
            "| command | median s |",
            "|---|--:|",
            f"| `python -c pass` (interpreter alone) | {startup.bare_python:.3f} |",
            f"| `python -c 'import pptx'` | {startup.import_pptx:.3f} |",
            f"| `python -m deckgen --help` | {startup.help_seconds:.3f} |",
            f"| `deckgen --help` (console script) | {_f(startup.script_help_seconds, '.3f')} |",
            f"| `deckgen validate` (sample) | {startup.validate_seconds:.3f} |",
            "",
            f"`deckgen validate` exit {startup.validate_exit}; heavy modules it imported: "
            + (", ".join(startup.validate_imports) or "none")
            + f" (checked: {', '.join(HEAVY)}).",
        ]
    lines += growth_table(cases)
    lines += ["", "## Targets", "", "| target | measured | verdict |", "|---|---|---|"]
    lines += [f"| {t} | {m} | {v} |" for t, m, v in verdicts(cases, startup)]
    lines += [
        "",
        "Where the time goes, and why a missed target is missed: "
        "[README.md](README.md#where-the-time-goes).",
    ]
    return "\n".join(lines) + "\n"


def before_after(cases: list[Case], before: Source) -> list[str]:
    """Each deck's time before and after, and both as ratios to the one baseline."""
    lines = [
        "",
        f"## Before ({before.commit}) and after, against the same plain python-pptx runs",
        "",
        "| deck | before s | after s | plain s | before ratio | after ratio | after / before |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for c in cases:
        b, a = c.before_seconds, c.deckgen_seconds
        lines.append(
            f"| {c.name} | {_f(b)} | {_f(a)} | {_f(c.plain_seconds)} | "
            f"{_f(c.before_ratio, '.2f', 'x')} | {_f(c.ratio, '.2f', 'x')} | "
            f"{_f(a / b if a and b else None, '.2f', 'x')} |"
        )
    return lines


def growth_table(cases: list[Case]) -> list[str]:
    """Per-slide cost at each size over that at 250 slides: 1.0 is flat, 2.0 is quadratic-ish."""
    by_name = {c.name: c for c in cases}
    base = by_name.get("250 slides")
    if base is None:
        return []
    lines = [
        "",
        "## Growth of the cost per slide (over 250 slides)",
        "",
        "| from → to | deckgen | plain python-pptx |",
        "|---|--:|--:|",
    ]
    for name in ("500 slides", "1000 slides"):
        case = by_name.get(name)
        if case is None:
            continue
        cells = []
        for attr in ("deckgen_seconds", "plain_seconds"):
            here = case.per_slide_ms(getattr(case, attr))
            there = base.per_slide_ms(getattr(base, attr))
            cells.append(_f(here / there if here and there else None, ".2f", "x"))
        lines.append(f"| 250 → {name} | {cells[0]} | {cells[1]} |")
    return lines


def _f_int(value: int | None) -> str:
    return "–" if value is None else str(value)


def write_workbook(path: Path, size: stress.Size) -> None:
    """Write a stress workbook with the measured deckgen's own sample source (a snapshot's)."""
    subprocess.run(
        [
            sys.executable,
            str(HERE / "stress.py"),
            f"--projects={size.projects}",
            f"--portfolios={size.portfolios}",
            f"--years={size.years}",
            "-o",
            str(path),
        ],
        cwd=SOURCE.root,
        env=child_env(),
        capture_output=True,
        check=True,
    )


def plain(out: Path, *args: str) -> list[str]:
    """The baseline's command, on the measured source's template."""
    return [
        sys.executable,
        str(HERE / "plain_pptx.py"),
        "-o",
        str(out),
        f"--template={SOURCE.template}",
        *args,
    ]


def warm_up(work: Path, before: Source | None = None) -> None:
    """Run each kind of command once untimed, so the first timed run is not the one compiling."""
    run(deckgen("--help"))
    run(deckgen("validate", str(SOURCE.sample)))
    run(deckgen("build", str(SOURCE.sample), "-o", str(work / "warm-sample.pptx")))
    run(plain(work / "warm.pptx", "--slides=9"))
    if before is not None:
        warm = work / "warm-before"
        warm.mkdir(exist_ok=True)
        run(deckgen("build", str(SOURCE.sample), "-o", str(warm / "sample.pptx")), source=before)


# -- the command ------------------------------------------------------------------------------


def benchmark(
    sizes: Sequence[int],
    runs: int,
    out: Path | None,
    *,
    custom: Sequence[stress.Size] = (),
    startup: bool = True,
    timeout: float = 1800,
    memory_cap_mb: int = 12000,
    repeat_under: float = 300,
    startup_runs: int = 7,
    log: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True),
    before: Source | None = None,
) -> str:
    """Measure the sample and each size; return the markdown (and write it to `out`).

    With `before` (a snapshot of an older commit), that deckgen builds every workbook too,
    in the same rounds, so before and after are measured against the same baseline.
    """
    settings = {
        "runs": str(runs),
        "timeout": f"{timeout:.0f} s",
        "memory cap": f"{memory_cap_mb} MB",
        "repeat builds under": f"{repeat_under:.0f} s",
    }
    if before is not None:
        settings["before"] = f"snapshot of {before.commit} (git archive)"
    at_start = source_fingerprint()
    with tempfile.TemporaryDirectory(prefix="deckgen-bench-") as folder:
        work = Path(folder)
        cases = [Case("sample", work / "sample.xlsx")]
        cases[0].workbook.write_bytes(SOURCE.sample.read_bytes())
        for slides in sizes:
            size = stress.SIZES[slides]
            cases.append(Case(f"{slides} slides", work / f"stress-{slides}.xlsx", size))
        for size in custom:
            name = f"{size.projects} projects"
            cases.append(Case(name, work / f"stress-{size.projects}.xlsx", size))
        for case in cases[1:]:
            assert case.size is not None
            log(f"writing {case.workbook.name}")
            write_workbook(case.workbook, case.size)
        log("warming up (bytecode cache, file cache): untimed")
        warm_up(work, before)
        like: plain_pptx.Mix | None = None
        sample_notes: int | None = None
        for case in cases:
            log(f"measuring {case.name}")
            measure_case(
                case,
                work,
                runs,
                timeout,
                memory_cap_mb,
                repeat_under,
                like,
                sample_notes,
                log,
                before,
            )
            if case.name == "sample" and case.mix is not None:
                like, sample_notes = case.mix, case.mix.notes_chars
        measured = None
        if startup:
            log("measuring start-up")
            measured = measure_startup(startup_runs)
    at_end = source_fingerprint()
    settings["source fingerprint"] = (
        at_start
        if at_start == at_end
        else f"{at_start} → {at_end}: CHANGED during the run (other edits "
        "landed), so the cases measured different code"
    )
    text = report(cases, measured, runs, settings, before)
    if out is not None:
        out.write_text(text, encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sample and 50 slides, 1 run")
    parser.add_argument(
        "--sizes",
        default=None,
        help=f"comma-separated slide counts from {sorted(stress.SIZES)} [all]",
    )
    parser.add_argument("--runs", type=int, default=None, help="runs per build [5; quick 1]")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per build [1800]")
    parser.add_argument(
        "--memory-cap", type=int, default=12000, help="MB of address space per build [12000]"
    )
    parser.add_argument(
        "--repeat-under",
        type=float,
        default=300,
        help="repeat a build only if one run takes less than this many seconds [300]",
    )
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up timings")
    parser.add_argument("-o", "--output", type=Path, default=RESULTS, help="markdown file")
    parser.add_argument(
        "--snapshot",
        nargs="?",
        const="HEAD",
        metavar="REF",
        help="measure a frozen copy of a commit [HEAD], not the working tree others edit",
    )
    parser.add_argument(
        "--before",
        metavar="REF",
        help="also build every deck with a frozen copy of this commit (say main), side by side",
    )
    parser.add_argument("--count", type=Path, help=argparse.SUPPRESS)  # see count_in_child
    args = parser.parse_args(argv)
    if args.count:
        mix, notes = count_deck(args.count)
        print(json.dumps({**asdict(mix), "notes_total": notes}))
        return
    if args.sizes is not None:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    else:
        sizes = [50] if args.quick else sorted(stress.SIZES)
    unknown = [s for s in sizes if s not in stress.SIZES]
    if unknown:
        parser.error(f"unknown sizes {unknown}; choose from {sorted(stress.SIZES)}")
    runs = args.runs or (1 if args.quick else 5)
    if args.snapshot:
        frozen = take_snapshot(args.snapshot)
        SOURCE.root, SOURCE.commit = frozen.root, frozen.commit
    before = take_snapshot(args.before) if args.before else None
    try:
        text = benchmark(
            sizes,
            runs,
            args.output,
            startup=not args.no_startup,
            timeout=args.timeout,
            memory_cap_mb=args.memory_cap,
            repeat_under=args.repeat_under,
            before=before,
        )
    finally:
        if SOURCE.commit:
            shutil.rmtree(SOURCE.root, ignore_errors=True)
        if before is not None:
            shutil.rmtree(before.root, ignore_errors=True)
    print(text)


if __name__ == "__main__":
    main()
