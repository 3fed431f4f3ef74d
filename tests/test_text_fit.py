"""Text the deck has room for: every workbook text at its limit builds clean; beyond it, refused.

A deck is never written with a shape beyond the slide's edge, whatever the workbook or the
template: the build fails instead (exit 2, nothing written), and a template whose page is zero,
absurd or too small for the page grid is refused before anything is drawn.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from deckgen.sample.template import SAMPLE_TEMPLATE, build_template
from deckgen.specs import inches
from deckgen.workbook import schema
from tests.conftest import DECK, SAMPLE_WORKBOOK, TEMPLATE, Source, run_cli

MakeWorkbook = Callable[..., Path]
FILLER = (
    "neighbourhood policing and digital transformation review of force contact custody "
    "estates mobile working programme"
)
REFERRED = DECK.read_text(encoding="utf-8")  # names the deck definition refers to stay as they are


def lengthened(text: str, length: int) -> str:
    """`text` followed by ordinary words, `length` characters in all."""
    for word in itertools.cycle(FILLER.split()):
        if len(text) + 1 + len(word) > length:
            break
        text = f"{text} {word}"
    return text + "s" * (length - len(text))


def at_the_limit(source: Source) -> Source:
    """Every text the deck shows, on every row, as long as the contract allows."""
    for data in source["sheets"]:
        contract = next(s for s in schema.SHEETS if s.name == data["name"])
        for index, header in enumerate(data["columns"]):
            column = next(c for c in contract.columns if c.header == header)
            if not column.max_length or column.field in ("slide", "key"):
                continue  # unlimited (About has its own limits) or an id
            for row in data["rows"]:
                text = row[index]
                if isinstance(text, str) and f"[{text}]" not in REFERRED:
                    row[index] = lengthened(text, column.max_length)
    return source


@pytest.fixture
def four_three(tmp_path: Path) -> Path:
    """A 4:3 template in Arial, narrower and wider-lettered than the sample's."""
    path = tmp_path / "four-three.pptx"
    theme = replace(SAMPLE_TEMPLATE, heading_font="Arial", body_font="Arial", width=inches(10))
    build_template(path, theme)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("template", ["sample", "4:3"])
def test_every_text_at_its_limit_builds_a_deck_with_no_findings(
    template: str,
    source: Source,
    make_workbook: MakeWorkbook,
    four_three: Path,
    tmp_path: Path,
) -> None:
    workbook = make_workbook(at_the_limit(source))
    out = tmp_path / "limits.pptx"
    chosen = TEMPLATE if template == "sample" else four_three
    code, text = run_cli(
        "build", str(workbook), "-o", str(out), "--template", str(chosen), "--deck", str(DECK)
    )
    assert code == 0, text
    assert ", 0 warnings, " in text, text


def test_a_deck_that_would_put_text_beyond_the_slide_edge_is_not_written(
    tmp_path: Path,
) -> None:
    """A small page (6 x 4.5 in) cannot hold the sample's tiles: exit 2, the old deck kept."""
    small = tmp_path / "small.pptx"
    build_template(small, replace(SAMPLE_TEMPLATE, width=inches(6), height=inches(4.5)))
    out = tmp_path / "deck.pptx"
    only = ("--slides", "context")
    assert run_cli("build", str(SAMPLE_WORKBOOK), "-o", str(out), *only)[0] == 0
    previous = out.read_bytes()
    names = sorted(p.name for p in tmp_path.iterdir())
    code, text = run_cli(
        "build",
        str(SAMPLE_WORKBOOK),
        "-o",
        str(out),
        "--template",
        str(small),
        "--deck",
        str(DECK),
        *only,
    )
    assert code == 2
    first, *lines = text.splitlines()
    assert re.fullmatch(
        r"error: deck\.pptx: \d+ shapes would lie beyond the slide's edge; nothing was written\. "
        r"Shorten the text they hold, or fit the template's layouts to its slides",
        first,
    ), first
    assert 1 <= len(lines) <= 11
    assert all("off the slide" in line for line in lines[:10])
    assert out.read_bytes() == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == names


def sized(tmp_path: Path, width: int, height: int) -> Path:
    """The sample template with its slide size changed in presentation.xml."""
    path = tmp_path / f"sized-{width}x{height}.pptx"
    with zipfile.ZipFile(TEMPLATE) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "ppt/presentation.xml":
                size = f'<p:sldSz cx="{width}" cy="{height}"'.encode()
                data = re.sub(rb'<p:sldSz cx="\d+" cy="\d+"', size, data)
            dst.writestr(info, data)
    return path


@pytest.mark.parametrize(
    ("width", "height", "why"),
    [
        (0, 0, "the template's slide width is 0 in; a slide is 1 to 56 in (ISO/IEC 29500)"),
        (12_192_000, 1, "slide height is 1.09361e-06 in; a slide is 1 to 56 in"),
        (10**12, 6_858_000, "slide width is 1.09361e+06 in; a slide is 1 to 56 in"),
        (914_400, 914_400, "slide is 1 x 1 in, too small for a deck: its width must be at least"),
        (12_192_000, 2 * 914_400, "its height must be at least 4.11 in"),
    ],
)
def test_a_template_whose_slide_size_is_zero_or_absurd_is_refused(
    width: int, height: int, why: str, tmp_path: Path
) -> None:
    template = sized(tmp_path, width, height)
    out = tmp_path / "deck.pptx"
    code, text = run_cli(
        "build",
        str(SAMPLE_WORKBOOK),
        "-o",
        str(out),
        "--template",
        str(template),
        "--deck",
        str(DECK),
    )
    assert code == 2
    assert text.startswith(f"error: {template}: ") and why in text, text
    assert len(text.splitlines()) == 1
    assert not out.exists()
