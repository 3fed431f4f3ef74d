"""The stages stay apart: who may import what, read from the source with `ast`.

The pipeline runs one way (reader → model → slide specs → renderer → checks → output), and
each heavy or dangerous library has one home: openpyxl the workbook reader, python-pptx the
renderer and the code that edits existing decks, zipfile the package guard. An import that
crosses a line fails here with the file and line that made it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted: "deckgen.render.charts"
    target: str  # what it imports, dotted and absolute: "pptx.util", "deckgen.slides.layout"
    line: int
    runs_on_import: bool  # False inside a function or under `if TYPE_CHECKING:`

    def __str__(self) -> str:
        path = self.module.replace(".", "/")
        return f"{path}.py:{self.line} imports {self.target}"


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports_in(path: Path) -> Iterator[Import]:
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]

    def visit(node: ast.AST, deferred: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            inner = deferred or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            inner = inner or _is_type_checking(child)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield Import(module, alias.name, child.lineno, not deferred)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    source = ".".join(base + ([child.module] if child.module else []))
                else:
                    source = child.module or ""
                yield Import(module, source, child.lineno, not deferred)
                for alias in child.names:  # `from deckgen import workbook` imports a module
                    yield Import(module, f"{source}.{alias.name}", child.lineno, not deferred)
            yield from visit(child, inner)

    yield from visit(ast.parse(path.read_text(encoding="utf-8")), False)


@cache
def all_imports() -> tuple[Import, ...]:
    return tuple(
        found for path in sorted((SRC / "deckgen").rglob("*.py")) for found in _imports_in(path)
    )


def _within(name: str, *prefixes: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def _crossing(importer: tuple[str, ...], imported: tuple[str, ...]) -> list[str]:
    return [
        str(found)
        for found in all_imports()
        if _within(found.module, *importer) and _within(found.target, *imported)
    ]


# -- libraries, each in its home ---------------------------------------------------------------

# library -> (the modules or packages that may import it, whether only inside functions)
HOMES: dict[str, tuple[tuple[str, ...], bool]] = {
    "openpyxl": (("deckgen.workbook",), False),
    # The renderer draws decks, refresh edits existing ones, and the sample template is drawn
    # with python-pptx as a deck is.
    "pptx": (("deckgen.render", "deckgen.refresh", "deckgen.sample.template"), False),
    "zipfile": (("deckgen.archive",), False),
    # A build with native charts never loads matplotlib.
    "matplotlib": (("deckgen.render.images", "deckgen.fonts"), True),
    # Charts' workbooks and the sample workbook: one writer each.
    "xlsxwriter": (("deckgen.chartbook", "deckgen.sample.writer"), False),
}


@pytest.mark.parametrize("library", list(HOMES))
def test_each_library_is_imported_only_in_its_home(library: str) -> None:
    homes, in_functions_only = HOMES[library]
    strays = [
        str(found)
        for found in all_imports()
        if _within(found.target, library)
        and (not _within(found.module, *homes) or (in_functions_only and found.runs_on_import))
    ]
    where = f"only inside functions of {homes}" if in_functions_only else f"only in {homes}"
    assert not strays, f"{library} may be imported {where}:\n" + "\n".join(strays)


# -- stages ------------------------------------------------------------------------------------


def test_the_renderer_draws_specs_and_never_plans_or_reads() -> None:
    """render/ draws what the slide specs say: it never reaches back into slide planning or
    the workbook reader (layout constants live in deckgen.design, specs in deckgen.specs)."""
    assert not _crossing(("deckgen.render",), ("deckgen.slides", "deckgen.workbook"))


def test_slide_planning_sees_the_model_not_the_reader_or_the_renderer() -> None:
    """slides/ plans from the model (deckgen.model): nothing of deckgen.workbook, whose schema,
    tables and cells are the reader's business, and nothing of the renderer."""
    assert not _crossing(("deckgen.slides",), ("deckgen.render", "deckgen.workbook"))


def test_the_reader_knows_nothing_downstream() -> None:
    downstream = ("deckgen.slides", "deckgen.render", "deckgen.refresh", "deckgen.checks")
    assert not _crossing(("deckgen.workbook",), downstream)


def test_chart_layout_is_pure() -> None:
    """Both chart writers draw from chartlayout: it imports neither of them nor their
    libraries, so a chart's look is decided once."""
    writers = ("deckgen.render", "deckgen.slides", "pptx", "matplotlib")
    assert not _crossing(("deckgen.chartlayout",), writers)


def test_the_quality_gate_reads_packages_without_python_pptx() -> None:
    """checks/ judges any deck, a stranger's too, through the guard: never python-pptx, which
    trusts what it opens."""
    assert not _crossing(("deckgen.checks",), ("pptx", "deckgen.render", "deckgen.slides"))


def test_the_command_line_starts_without_a_heavy_module() -> None:
    """`deckgen --help` or a refused file answers at once: the CLI module loads no heavy
    library when it is imported (each command imports what it needs)."""
    heavy = ("openpyxl", "pptx", "matplotlib", "xlsxwriter", "lxml", "PIL", "numpy", "yaml")
    script = (
        "import sys, deckgen.cli; print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "click" in loaded  # the probe saw the CLI's own imports
    assert not sorted(set(heavy) & set(loaded))


# -- the scanner itself ------------------------------------------------------------------------


def test_the_scanner_sees_imports_where_they_are() -> None:
    """The rules above pass only if the scan finds imports: known ones, with where they run."""
    found = {(i.module, i.target, i.runs_on_import) for i in all_imports()}
    assert ("deckgen.workbook.reader", "openpyxl.utils.exceptions", True) in found
    assert ("deckgen.archive", "zipfile", True) in found
    assert ("deckgen.render.images", "matplotlib.figure", False) in found  # in a function
    assert ("deckgen.render.images", "matplotlib.axes", False) in found  # type checking only
    assert any(m.startswith("deckgen.slides.") and t == "deckgen.model" for m, t, _ in found)
    relative = [i for i in all_imports() if i.target.startswith("deckgen.workbook.")]
    assert any(i.module == "deckgen.workbook.reader" for i in relative)
