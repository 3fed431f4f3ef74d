"""Profile one `deckgen build` with cProfile and say where the time goes, grouped by stage.

The groups are the stages a fix would target (reading, planning and text measurement, charts,
tables, notes, python-pptx part naming, saving, the manifest), each the cumulative time of the
functions that do that work, so the lead can see which one to optimise first. cProfile slows
Python-heavy code down (about 2x here): read the shares, and take seconds from run.py.

    python benchmarks/profile_build.py inputs/wmp2020.xlsx --top 25
    python benchmarks/profile_build.py --slides 250 -o /tmp/b250.prof
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import os
import pstats
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import stress  # noqa: E402  (a sibling script, not a package)

Func = tuple[str, int, str]  # pstats' (file, line, function)
ROOT = [REPO]  # where the build runs from (its inputs/ and layouts/); --root changes it


@dataclass(frozen=True)
class Group:
    """A stage of the build: the functions whose cumulative time is that stage's cost."""

    label: str
    functions: tuple[tuple[str, str], ...]  # (file suffix, function name)
    caller: tuple[str, str] | None = None  # count only calls from this function
    depth: int = 0  # indentation: a part of the group above


GROUPS: tuple[Group, ...] = (
    Group("imports (all modules, lazy ones included)", (("_bootstrap>", "_find_and_load"),)),
    Group("read + validate the workbook", (("deckgen/workbook/reader.py", "read_workbook"),)),
    Group(
        "deck definition + references",
        (("deckgen/deckdef.py", "load_deck"), ("deckgen/deckdef.py", "check_references")),
    ),
    Group("template inspection", (("deckgen/render/template.py", "inspect_template"),)),
    Group("plan the slides (layout, continuation)", (("deckgen/slides/plan.py", "plan_deck"),)),
    Group("table row heights", (("deckgen/slides/layout.py", "_row_height"),), depth=1),
    Group("text measurement (all callers)", (("deckgen/textmetrics.py", "wrap"),), depth=1),
    Group(
        "render the slides (python-pptx, save included)", (("deckgen/render/deck.py", "render"),)
    ),
    Group("native charts", (("deckgen/render/charts.py", "add_native_chart"),), depth=1),
    Group("chart data labels", (("deckgen/render/charts.py", "_label_series"),), depth=2),
    Group("chart value range / fits", (("deckgen/render/charts.py", "value_range"),), depth=2),
    Group("tables", (("deckgen/render/tables.py", "add_table"),), depth=1),
    Group("text boxes", (("deckgen/render/text.py", "add_text"),), depth=1),
    Group(
        "speaker notes (setting the text)",
        (("pptx/text/text.py", "text"),),
        caller=("deckgen/render/deck.py", "_draw_slide"),
        depth=1,
    ),
    Group("notes slides (creating them)", (("pptx/slide.py", "notes_slide"),), depth=1),
    Group(
        "part naming (OpcPackage.next_partname, or deckgen's PartNames)",
        (
            ("pptx/opc/package.py", "next_partname"),
            ("deckgen/render/partnames.py", "next_partname"),
        ),
        depth=1,
    ),
    Group(
        "the parts as python-pptx would save them (or its save)",
        (("pptx/presentation.py", "save"), ("deckgen/render/deck.py", "_members")),
        depth=1,
    ),
    Group(
        "normalise (identical bytes) and zip",
        (
            ("deckgen/reproducible.py", "normalise"),
            ("deckgen/reproducible.py", "normalise_members"),
            ("deckgen/archive.py", "write_zip"),
        ),
    ),
    Group(
        "check the built deck (findings)",
        (("deckgen/pipeline.py", "check_bytes"), ("deckgen/pipeline.py", "check_members")),
    ),
    Group(
        "manifest (build + JSON)",
        (("deckgen/manifest.py", "build_manifest"), ("deckgen/manifest.py", "dumps")),
    ),
    Group("changes since the last build", (("deckgen/pipeline.py", "_changes"),)),
    Group("write files (atomic commit)", (("deckgen/output.py", "apply"),)),
)

_WRAPPERS = ("click/", "<frozen runpy>", "<string>", "__main__.py", "deckgen/cli.py", "{built-in")


def _matches(func: Func, wanted: tuple[str, str]) -> bool:
    return func[0].endswith(wanted[0]) and func[2] == wanted[1]


def group_times(stats: pstats.Stats) -> list[tuple[Group, float, int]]:
    """(group, cumulative seconds, calls) for each group (0 when nothing matched)."""
    table: dict[Func, Any] = stats.stats  # type: ignore[attr-defined]
    rows = []
    for group in GROUPS:
        seconds, calls = 0.0, 0
        for func, (_, ncalls, _, cumtime, callers) in table.items():
            if not any(_matches(func, w) for w in group.functions):
                continue
            if group.caller is None:
                seconds += cumtime
                calls += ncalls
            else:
                for caller, (_, ncalls_c, _, cumtime_c) in callers.items():
                    if _matches(caller, group.caller):
                        seconds += cumtime_c
                        calls += ncalls_c
        rows.append((group, seconds, calls))
    return rows


def top_functions(stats: pstats.Stats, key: int, count: int) -> list[tuple[Func, Any]]:
    """The heaviest functions by cumulative (key 3) or own (key 2) time, wrappers left out."""
    table: dict[Func, Any] = stats.stats  # type: ignore[attr-defined]
    rows = [
        (func, row)
        for func, row in table.items()
        if not any(w in func[0] for w in _WRAPPERS) and "importlib" not in func[0]
    ]
    rows.sort(key=lambda item: item[1][key], reverse=True)
    return rows[:count]


def _where(func: Func) -> str:
    path = func[0]
    for marker in ("site-packages/", "/src/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{path}:{func[1]}({func[2]})"


def summary(stats: pstats.Stats, wall: float, title: str, top: int) -> str:
    """Markdown: the grouped stages, then the top functions by cumulative and by own time."""
    total = stats.total_tt  # type: ignore[attr-defined]
    lines = [f"### {title}", "", f"Wall {wall:.1f} s under cProfile ({total:.1f} s profiled).", ""]
    lines += ["| stage | s | share | calls |", "|---|--:|--:|--:|"]
    for group, seconds, calls in group_times(stats):
        indent = "&nbsp;&nbsp;" * 2 * group.depth + ("↳ " if group.depth else "")
        lines.append(
            f"| {indent}{group.label} | {seconds:.2f} | {100 * seconds / total:.0f}% | {calls} |"
        )
    for key, name in ((3, "cumulative"), (2, "own")):
        lines += ["", f"Top {top} by {name} time:", ""]
        lines += ["| function | calls | own s | cumulative s |", "|---|--:|--:|--:|"]
        for func, (_, ncalls, tottime, cumtime, _) in top_functions(stats, key, top):
            lines.append(f"| `{_where(func)}` | {ncalls} | {tottime:.2f} | {cumtime:.2f} |")
    return "\n".join(lines) + "\n"


def profile(workbook: Path, prof: Path) -> tuple[pstats.Stats, float]:
    """Build `workbook` in this process under cProfile (from the repo, as a user would)."""
    import os

    from deckgen.cli import main as deckgen_main

    with tempfile.TemporaryDirectory(prefix="deckgen-profile-") as folder:
        argv = ["deckgen", "build", str(workbook), "-o", str(Path(folder) / "deck.pptx")]
        here = Path.cwd()
        os.chdir(ROOT[0])
        saved, sys.argv = sys.argv, argv
        profiler = cProfile.Profile()
        started = time.perf_counter()
        try:
            profiler.runcall(deckgen_main)
        except SystemExit as exc:
            if exc.code:
                raise
        finally:
            wall = time.perf_counter() - started
            sys.argv = saved
            os.chdir(here)
    profiler.dump_stats(str(prof))
    return pstats.Stats(str(prof)), wall


# -- stage clock: real wall time per stage, no profiler, readable even if the build is stopped --

STAGES: tuple[tuple[str, str, str, int], ...] = (
    # (module, attribute, label, depth); methods are "module:Class.method"
    ("deckgen.pipeline", "read_valid", "read + validate the workbook", 0),
    ("deckgen.slides.plan", "plan_deck", "plan the slides", 0),
    ("deckgen.render.deck", "render", "render the slides (save included)", 0),
    ("deckgen.render.deck", "render_members", "render the slides", 0),
    ("deckgen.render.deck", "add_native_chart", "native charts", 1),
    ("deckgen.render.deck", "add_table", "tables", 1),
    ("deckgen.render.deck", "add_text", "text boxes", 1),
    ("pptx.opc.package", "OpcPackage.next_partname", "python-pptx next_partname", 1),
    ("deckgen.render.partnames", "PartNames.next_partname", "part naming (PartNames)", 1),
    ("pptx.presentation", "Presentation.save", "python-pptx save", 1),
    ("deckgen.render.deck", "_members", "the parts python-pptx would save", 1),
    ("deckgen.pipeline", "normalise", "normalise (re-zip)", 0),
    ("deckgen.pipeline", "normalise_members", "normalise", 0),
    ("deckgen.pipeline", "write_zip", "zip", 0),
    ("deckgen.pipeline", "check_bytes", "check the built deck (findings)", 0),
    ("deckgen.pipeline", "check_members", "check the built deck (findings)", 0),
    ("deckgen.manifest", "build_manifest", "manifest: build", 0),
    ("deckgen.manifest", "dumps", "manifest: JSON", 0),
    ("deckgen.output", "Commit.apply", "write files", 0),
)


class _Stop(BaseException):
    """Raised by the alarm: the time limit is up."""


@dataclass
class StageClock:
    """Wall time per stage, accumulated by wrappers around the stage functions."""

    started: float = 0.0

    def __post_init__(self) -> None:
        self.totals: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.running: dict[str, float] = {}

    def wrap(self, label: str, depth: int, fn: Any) -> Any:
        clock = self

        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            outer = label not in clock.running
            start = time.perf_counter()
            if outer:
                clock.running[label] = start
            try:
                return fn(*args, **kwargs)
            finally:
                if outer:
                    del clock.running[label]
                    spent = time.perf_counter() - start
                    clock.totals[label] = clock.totals.get(label, 0.0) + spent
                    clock.calls[label] = clock.calls.get(label, 0) + 1
                    if depth == 0:
                        at = time.perf_counter() - clock.started
                        print(f"{label}: {spent:.1f} s (at {at:.1f} s)", file=sys.stderr)

        return timed

    def install(self) -> None:
        import importlib

        for module_name, attribute, label, depth in STAGES:
            owner: Any = importlib.import_module(module_name)
            *path, name = attribute.split(".")
            for part in path:
                owner = getattr(owner, part, None)
            if owner is None or not hasattr(owner, name):
                print(f"(no {module_name}.{attribute} to time: skipped)", file=sys.stderr)
                continue
            setattr(owner, name, self.wrap(label, depth, getattr(owner, name)))

    def table(self, stopped: bool) -> str:
        now = time.perf_counter()
        lines = ["| stage | s | calls |", "|---|--:|--:|"]
        shown: set[str] = set()
        for _, _, label, depth in STAGES:
            if label in shown:
                continue  # one stage under the names of two versions of deckgen
            shown.add(label)
            indent = "&nbsp;&nbsp;" * 2 * depth + ("↳ " if depth else "")
            if label in self.running:
                lines.append(f"| {indent}{label} | > {now - self.running[label]:.1f} (stopped) | |")
            elif label in self.totals:
                lines.append(
                    f"| {indent}{label} | {self.totals[label]:.2f} | {self.calls[label]} |"
                )
        total = now - self.started
        lines.append(f"| whole build{' (stopped)' if stopped else ''} | {total:.1f} | |")
        return "\n".join(lines) + "\n"


def time_stages(workbook: Path, limit: float | None) -> str:
    """Build `workbook` with a clock on each stage; stop after `limit` s and say how far it got."""
    import os
    import signal

    from deckgen.cli import main as deckgen_main

    clock = StageClock()
    clock.install()

    def alarm(signum: int, frame: Any) -> None:
        raise _Stop

    stopped = False
    with tempfile.TemporaryDirectory(prefix="deckgen-stages-") as folder:
        argv = ["deckgen", "build", str(workbook), "-o", str(Path(folder) / "deck.pptx")]
        here = Path.cwd()
        os.chdir(ROOT[0])
        saved, sys.argv = sys.argv, argv
        previous = signal.signal(signal.SIGALRM, alarm)
        if limit:
            signal.setitimer(signal.ITIMER_REAL, limit)
        clock.started = time.perf_counter()
        try:
            deckgen_main()
        except SystemExit as exc:
            if exc.code:
                raise
        except (_Stop, MemoryError) as exc:
            stopped = True
            print(f"stopped: {type(exc).__name__}", file=sys.stderr)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            sys.argv = saved
            os.chdir(here)
        return clock.table(stopped)


def _in_snapshot(ref: str, argv: list[str]) -> None:
    """Run this script again on a frozen copy of `ref`, its src/ first on the path."""
    import os
    import shutil
    import subprocess

    import run  # the sibling script: its snapshot, so both measure the same way

    frozen = run.take_snapshot(ref)
    rest = [a for a in argv if not a.startswith("--snapshot") and a != ref]
    env = {**os.environ, "PYTHONPATH": str(frozen.root / "src")}
    try:
        print(f"(snapshot of {frozen.commit})", file=sys.stderr)
        command = [sys.executable, str(Path(__file__).resolve()), *rest, "--root", str(frozen.root)]
        subprocess.run(command, env=env, check=True)
    finally:
        shutil.rmtree(frozen.root, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workbook", nargs="?", type=Path, help="a workbook to build")
    parser.add_argument("--slides", type=int, choices=sorted(stress.SIZES), help="a stress size")
    parser.add_argument("-o", "--output", type=Path, help="keep the .prof here")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--stats", type=Path, help="summarise an existing .prof instead")
    parser.add_argument(
        "--stages", action="store_true", help="time each stage (no profiler) instead"
    )
    parser.add_argument("--time-limit", type=float, help="with --stages: stop after this many s")
    parser.add_argument("--memory-cap", type=int, help="MB of address space for this process")
    parser.add_argument(
        "--snapshot",
        nargs="?",
        const="HEAD",
        metavar="REF",
        help="profile a frozen copy of a commit [HEAD] (as run.py --snapshot)",
    )
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)  # set by --snapshot
    args = parser.parse_args(argv)
    # The build is profiled, not LibreOffice drawing each slide for the review page (as run.py).
    os.environ.setdefault("DECKGEN_REVIEW_PICTURES", "0")
    if args.snapshot:
        _in_snapshot(args.snapshot, list(sys.argv[1:] if argv is None else argv))
        return
    if args.root:
        ROOT[0] = args.root
        if args.workbook is not None and not args.workbook.is_absolute():
            args.workbook = args.root / args.workbook
    if args.memory_cap:
        import resource

        cap = args.memory_cap * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    if args.stats:
        print(summary(pstats.Stats(str(args.stats)), 0.0, args.stats.name, args.top))
        return
    with tempfile.TemporaryDirectory(prefix="deckgen-profile-in-") as folder:
        workbook = args.workbook
        title = str(workbook)
        if args.slides:
            workbook = stress.write_size(Path(folder) / f"stress-{args.slides}.xlsx", args.slides)
            title = f"{args.slides}-slide stress workbook"
        if workbook is None:
            parser.error("give a WORKBOOK or --slides N")
        if args.stages:
            print(f"### Stages of {title} (wall time, no profiler)\n")
            print(time_stages(workbook.resolve(), args.time_limit))
            return
        prof = args.output or Path(folder) / "build.prof"
        stats, wall = profile(workbook.resolve(), prof)
    print(summary(stats, wall, title, args.top))


if __name__ == "__main__":
    main()
