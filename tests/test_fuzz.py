"""Property-based tests: whatever the workbook holds, deckgen builds a deck that passes its own
quality gate, or refuses the workbook with a clear message. Never a traceback.

The CI run tries a few hundred cases. For a longer local run:
    HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py
"""

from __future__ import annotations

import copy
import io
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deckgen.errors import DeckgenError, Severity
from deckgen.sample.writer import load_source, write_sample
from deckgen.workbook.reader import read_workbook
from tests.conftest import ROOT, SAMPLE_WORKBOOK

settings.register_profile(
    "ci", max_examples=120, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.register_profile(
    "long", max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TEMPLATE = ROOT / "layouts" / "template.pptx"
DECK = ROOT / "layouts" / "wmp2020.yaml"
BASE = load_source()

# Text people really put in workbooks, and text that breaks naive code.
SPECIAL = [
    "مركز الشرطة في برمنغهام",  # right-to-left
    "שוטרים בשכונה",
    "Police 🚓 and 👮‍♀️ officers",  # emoji, with a zero-width joiner
    "Café naïve façade — “quoted” ‘text’",
    "e\u0301 combining accents",
    "A" * 30,
    "Words " * 40,
    "北京 警察 数据",
    "&<>\"' XML specials",
]
word = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=14,
)
text = st.one_of(
    st.sampled_from(SPECIAL),
    st.lists(word, min_size=1, max_size=12).map(" ".join),
)
amount = st.one_of(
    st.just(0.0),
    st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False),
    st.floats(min_value=1e-9, max_value=1e-3),
    st.decimals(min_value=0, max_value=10_000, places=7).map(float),
)
# Amounts whose sums stay within what a deck can show (schema.LARGEST: a billion FTE, £1,000
# trillion), on sheets whose totals are shown.
money = st.one_of(
    st.just(0.0),
    st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False),
    st.floats(min_value=1e-9, max_value=1e-3),
    st.decimals(min_value=0, max_value=10_000, places=7).map(float),
)
# Numbers no deck can show: past every unit's bound, past a float, typed as hundreds of digits.
beyond = st.one_of(
    st.floats(min_value=1e16, max_value=1.7e308),
    st.floats(min_value=-1.7e308, max_value=-1e16),
    st.integers(min_value=16, max_value=400).map(lambda n: "9" * n),
    st.integers(min_value=6, max_value=130).map(lambda n: "1" + ",000" * n),
)


def sheet(source: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in source["sheets"] if s["name"] == name)


@st.composite
def workbooks(draw: st.DrawFn) -> dict[str, Any]:
    """The sample source with its free text, sizes and values changed at random."""
    source = copy.deepcopy(BASE)
    fte = sheet(source, "FTE by Project")
    for row in fte["rows"]:
        if row[0].startswith(("EER", "WMP2020 - CJS", "WMP2020 - Smarter")):
            row[0] = f"{row[0]} {draw(text)}"
        row[1] = draw(money)
    extra = draw(st.integers(min_value=0, max_value=40))
    fte["rows"] += [
        [f"Project {n} {draw(text)}", draw(money), draw(st.sampled_from(["Achieved", "Forecast"]))]
        for n in range(extra)
    ]
    fte["total"][1] = None
    portfolio = sheet(source, "Portfolio")
    for row in portfolio["rows"]:
        row[0] = f"{row[0]} {draw(text)}"
        row[1] = draw(money)
        row[4] = -draw(money)
        row[7] = None
    portfolio["total"] = None
    finance = sheet(source, "Finance by Year")
    years = draw(st.integers(min_value=1, max_value=14))
    actual = draw(st.integers(min_value=1, max_value=years))
    finance["rows"] = [
        [
            f"FY{(15 + i) % 100:02d}/{(16 + i) % 100:02d}",
            draw(money),
            draw(money),
            "Actual" if i < actual else "Forecast",
        ]
        for i in range(years)
    ]
    for row in sheet(source, "Figures")["rows"]:
        row[2] = draw(st.one_of(st.just(row[2]), text))
        row[3] = draw(amount) if row[4] != "%" else draw(st.floats(0, 100))
    for row in sheet(source, "Context")["rows"]:
        row[4] = f"{row[4]} {draw(text)}"
    for row in sheet(source, "Comparisons")["rows"]:
        row[1] = draw(st.floats(min_value=0.1, max_value=500))
    about = sheet(source, "About")["rows"]
    about[1][1] = draw(text)[:100]  # the subtitle: at most 100 characters fit the cover
    return source


@pytest.mark.slow  # 120 random workbooks written and read: a fuzz run (CI's `pytest -m slow`)
@given(source=workbooks())
def test_random_workbooks_are_read_or_refused_cleanly(
    source: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = write_sample(tmp_path_factory.mktemp("wb") / "fuzz.xlsx", source)
    result = read_workbook(path)
    for issue in result.errors:
        assert issue.severity is Severity.ERROR and issue.sheet and issue.message


@settings(max_examples=int(os.environ.get("DECKGEN_FUZZ_BUILDS", "25")))
@given(source=workbooks())
def test_random_workbooks_build_a_deck_that_passes_the_check_or_are_refused(
    source: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    from deckgen.checks import check_deck
    from deckgen.pipeline import BuildOptions, build

    folder = tmp_path_factory.mktemp("build")
    workbook = write_sample(folder / "fuzz.xlsx", source)
    out = folder / "fuzz.pptx"
    try:
        result = build(BuildOptions(workbook, out, TEMPLATE, DECK))
    except DeckgenError as exc:
        message = exc.format_message()
        assert message and "Traceback" not in message
        assert not out.exists()
        return
    assert result.findings == (), "\n".join(str(f) for f in result.findings)
    assert check_deck(out).clean


corruption = st.lists(
    st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)),
    min_size=1,
    max_size=8,
)
LONGEST_MESSAGE = 400  # characters: one line a terminal shows whole


def assert_one_clear_line(error: DeckgenError, path: Path | str) -> None:
    message = error.format_message()
    assert message.startswith(f"{path}: "), message[:500]
    assert "\n" not in message and len(message) <= LONGEST_MESSAGE, message[:500]


def read_template(path: Path) -> object:
    from deckgen.render.template import inspect_template

    return inspect_template(path)


# A file deckgen opens, and how it opens it.
OPENERS: dict[str, tuple[Path, Callable[[Path], object]]] = {
    "workbook": (SAMPLE_WORKBOOK, read_workbook),
    "template": (TEMPLATE, read_template),
}


def opened_cleanly(kind: str, data: bytes, folder: Path) -> None:
    """Open `data` as deckgen opens a file of `kind`: it is read, or refused in one line."""
    original, open_file = OPENERS[kind]
    path = folder / f"damaged{original.suffix}"
    path.write_bytes(data)
    try:
        open_file(path)
    except DeckgenError as exc:
        assert_one_clear_line(exc, path)


def rewritten(original: Path, change: Callable[[str, bytes], bytes]) -> bytes:
    """The package at `original` with each part's bytes passed through `change`."""
    out = io.BytesIO()
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, change(info.filename, source.read(info)))
    return out.getvalue()


@pytest.mark.parametrize("kind", list(OPENERS))
@given(flips=corruption, cut=st.one_of(st.none(), st.integers(min_value=1)))
def test_corrupted_files_are_one_clear_line(
    kind: str,
    flips: list[tuple[int, int]],
    cut: int | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    data = bytearray(OPENERS[kind][0].read_bytes())
    for position, value in flips:
        data[position % len(data)] = value
    if cut is not None:
        data = data[: cut % len(data)]
    opened_cleanly(kind, bytes(data), tmp_path_factory.mktemp("bad"))


@given(
    part=st.sampled_from(
        [
            "xl/worksheets/sheet1.xml",
            "xl/worksheets/sheet2.xml",
            "xl/sharedStrings.xml",
            "xl/styles.xml",
            "xl/workbook.xml",
        ]
    ),
    junk=st.binary(max_size=200),
    keep=st.floats(min_value=0, max_value=1),
)
def test_corrupted_parts_inside_a_valid_zip_are_one_clear_line(
    part: str, junk: bytes, keep: float, tmp_path_factory: pytest.TempPathFactory
) -> None:
    def cut(name: str, data: bytes) -> bytes:
        return data[: int(len(data) * keep)] + junk if name == part else data

    data = rewritten(SAMPLE_WORKBOOK, cut)
    opened_cleanly("workbook", data, tmp_path_factory.mktemp("part"))


TEMPLATE_PARTS = [
    "[Content_Types].xml",
    "_rels/.rels",
    "ppt/presentation.xml",
    "ppt/_rels/presentation.xml.rels",
    "ppt/slideMasters/slideMaster1.xml",
    "ppt/slideMasters/_rels/slideMaster1.xml.rels",
    "ppt/slideLayouts/slideLayout3.xml",
    "ppt/slideLayouts/_rels/slideLayout3.xml.rels",
    "ppt/theme/theme1.xml",
]


@given(
    part=st.sampled_from(TEMPLATE_PARTS),
    junk=st.binary(max_size=200),
    keep=st.floats(min_value=0, max_value=1),
    swap=st.one_of(st.none(), st.tuples(st.sampled_from(TEMPLATE_PARTS), st.text(max_size=40))),
)
def test_damaged_template_parts_are_one_clear_line(
    part: str,
    junk: bytes,
    keep: float,
    swap: tuple[str, str] | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A part cut short and followed by junk, or a value inside a part replaced by other text
    (a relationship's target, a layout's master, an id, a size): never a traceback."""

    def damage(name: str, data: bytes) -> bytes:
        if name == part:
            return data[: int(len(data) * keep)] + junk
        if swap is not None and name == swap[0]:
            return _swap_a_value(data, swap[1])
        return data

    data = rewritten(TEMPLATE, damage)
    opened_cleanly("template", data, tmp_path_factory.mktemp("part"))


def _swap_a_value(data: bytes, text: str) -> bytes:
    """Replace the first quoted attribute value that `text`'s length picks with `text`."""
    values = list(re.finditer(rb'="([^"]*)"', data))
    if not values:
        return data
    chosen = values[len(text) * 7 % len(values)]
    escaped = text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return data[: chosen.start(1)] + escaped.encode() + data[chosen.end(1) :]


# Number cells of the sample, by sheet, data row and column: one of each unit's kind.
NUMBER_CELLS = [
    ("Portfolio", 2, 1),  # £m, a cost
    ("FTE by Project", 0, 1),  # FTE
    ("Finance by Year", 3, 2),  # £m, benefits
    ("Context", 0, 1),  # %
    ("Comparisons", 3, 2),  # index
    ("Figures", 0, 3),  # count
]


@settings(max_examples=12)
@given(place=st.sampled_from(NUMBER_CELLS), value=beyond)
def test_numbers_no_deck_can_show_are_refused_naming_their_cell(
    place: tuple[str, int, int], value: object, tmp_path_factory: pytest.TempPathFactory
) -> None:
    source = copy.deepcopy(BASE)
    name, row, column = place
    sheet(source, name)["rows"][row][column] = value
    path = write_sample(tmp_path_factory.mktemp("big") / "big.xlsx", source)
    result = read_workbook(path)
    assert result.workbook is None
    where = "ABCDEFG"[column]
    assert any(
        i.sheet == name and i.cell.startswith(where) and "too large for any deck" in i.message
        for i in result.errors
    ), [str(i) for i in result.issues]


def test_the_long_run_the_docstring_gives_tries_more_cases() -> None:
    """`HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py` (the module's docstring) runs with
    the long profile's number of cases; without it, the CI profile's."""
    script = (
        "import tests.test_fuzz; from hypothesis import settings; "
        "print(settings.default.max_examples)"
    )

    def cases(**profile: str) -> int:
        env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_PROFILE"} | profile
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return int(done.stdout.split()[-1])

    assert __doc__ is not None and "HYPOTHESIS_PROFILE=long pytest" in __doc__
    long_run, ci_run = cases(HYPOTHESIS_PROFILE="long"), cases()
    assert long_run == settings.get_profile("long").max_examples
    assert ci_run == settings.get_profile("ci").max_examples
    assert long_run > ci_run


@pytest.fixture(scope="module")
def sample_deck(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from deckgen import pipeline

    out = tmp_path_factory.mktemp("deck") / "wmp2020.pptx"
    template, definition = ROOT / "layouts" / "template.pptx", ROOT / "layouts" / "wmp2020.yaml"
    pipeline.build(pipeline.BuildOptions(SAMPLE_WORKBOOK, out, template, definition))
    return out.read_bytes()


# Most of a zip's bookkeeping is in its last few kilobytes: the central directory.
near_the_end = st.lists(
    st.tuples(st.integers(min_value=1, max_value=8_000), st.integers(min_value=0, max_value=255)),
    min_size=1,
    max_size=4,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=near_the_end, anywhere=corruption)
def test_corrupted_decks_are_one_clear_line_from_deckgen_check(
    flips: list[tuple[int, int]], anywhere: list[tuple[int, int]], sample_deck: bytes
) -> None:
    from deckgen.checks import check_deck_bytes

    data = bytearray(sample_deck)
    for back, value in flips:
        data[-min(back, len(data))] = value
    for position, value in anywhere[:1]:
        data[position % len(data)] = value
    try:
        check_deck_bytes(bytes(data), "damaged.pptx")
    except DeckgenError as exc:
        assert_one_clear_line(exc, "damaged.pptx")
