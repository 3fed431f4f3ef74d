"""A build hands the quality gate the deck's parts as it drew them, and the gate reuses the
planner's measurements: it must still find everything it finds in the file.

The planner's wraps are remembered by what was measured (text, width, size, weight), so the
gate gets them back only for a box as the planner measured it. A box the planner did not
place, a template placeholder, and a planned box whose width changed are measured afresh.
These tests plan the sample first, so the planner's answers are there to be (wrongly) reused.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from deckgen import pipeline
from deckgen.archive import Limits, PackageError, write_zip
from deckgen.checks import Rule, check_deck_bytes, check_deck_members
from deckgen.opc import open_package_members
from deckgen.render.deck import render, render_members
from deckgen.reproducible import normalise, normalise_members
from tests.conftest import DECK, SAMPLE_WORKBOOK, TEMPLATE

P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS = {"p": P, "a": A}
SLIDE = "ppt/slides/slide3.xml"  # a text slide: title, footers and one planned text box
Members = list[tuple[str, bytes]]


@pytest.fixture(scope="module")
def planned() -> pipeline.Plan:
    return pipeline.plan(SAMPLE_WORKBOOK, TEMPLATE, DECK)


@pytest.fixture(scope="module")
def members(planned: pipeline.Plan) -> Members:
    drawn = render_members(planned.deck, TEMPLATE, planned.geometry)
    return normalise_members(drawn, planned.built)


def _edited(members: Members, edit: Callable[[Any], None]) -> Members:
    """The members with SLIDE's tree changed by `edit`."""
    out = []
    for name, data in members:
        if name == SLIDE:
            root = etree.fromstring(data)
            edit(root)
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        out.append((name, data))
    return out


def _shape(root: Any, name_starts: str) -> Any:
    for sp in root.iterfind(".//p:sp", NS):
        if sp.find("p:nvSpPr/p:cNvPr", NS).get("name").startswith(name_starts):
            return sp
    raise AssertionError(f"no shape {name_starts!r} on {SLIDE}")


def _overflows(members: Members) -> list[str]:
    """The overflow findings of the members, checked as parts and as the zip of them, which
    must agree."""
    report = check_deck_members(members, "built.pptx")
    from_zip = check_deck_bytes(write_zip(members), "built.pptx")
    assert report.findings == from_zip.findings
    return [str(f) for f in report.by_rule(Rule.OVERFLOW)]


def test_the_sample_has_no_overflow_as_parts_or_as_a_zip(members: Members) -> None:
    assert _overflows(members) == []


def test_a_box_the_planner_did_not_place_is_measured(members: Members) -> None:
    def add_box(root: Any) -> None:
        planned = _shape(root, "Block 1")
        extra = etree.fromstring(etree.tostring(planned))
        extra.find("p:nvSpPr/p:cNvPr", NS).set("name", "Added by hand")
        extra.find("p:nvSpPr/p:cNvPr", NS).set("id", "99")
        extra.find("p:spPr/a:xfrm/a:ext", NS).set("cy", str(12_700 * 20))  # 20 pt high
        planned.getparent().append(extra)

    found = _overflows(_edited(members, add_box))
    assert len(found) == 1 and "'Added by hand': text needs" in found[0], found


def test_a_planned_box_drawn_narrower_than_planned_is_measured_again(members: Members) -> None:
    def narrow(root: Any) -> None:
        ext = _shape(root, "Block 1").find("p:spPr/a:xfrm/a:ext", NS)
        ext.set("cx", str(int(ext.get("cx")) // 3))

    found = _overflows(_edited(members, narrow))
    assert len(found) == 1 and "'Block 1" in found[0] and "text needs" in found[0], found


def test_a_template_placeholder_too_small_for_its_words_is_found(members: Members) -> None:
    def lengthen(root: Any) -> None:
        run = _shape(root, "Footer Placeholder").find(".//a:t", NS)
        run.text = " ".join(["OFFICIAL - not for public distribution"] * 6)

    edited = _edited(members, lengthen)
    found = _overflows(edited)
    assert len(found) == 1 and "'Footer Placeholder 2': text needs" in found[0], found
    (finding,) = check_deck_members(edited, "built.pptx").by_rule(Rule.OVERFLOW)
    assert finding.cause is not None  # the template's to change, and the finding says so
    assert "footer placeholder" in finding.cause.what


def test_the_build_path_writes_the_bytes_the_zip_path_wrote(
    planned: pipeline.Plan, members: Members
) -> None:
    """Parts zipped once, normalised, are the bytes python-pptx's zip normalised were."""
    through_zip = normalise(render(planned.deck, TEMPLATE, planned.geometry), planned.built)
    assert write_zip(members) == through_zip


def test_members_are_held_to_the_limits_of_a_file(members: Members) -> None:
    with pytest.raises(PackageError, match="parts; at most 10 are read"):
        open_package_members(members, "built.pptx", Limits(max_members=10))


def test_the_reader_does_not_import_numpy_and_numpy_still_imports(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from deckgen.workbook.reader import read_workbook\n"
        f"assert not read_workbook({str(SAMPLE_WORKBOOK)!r}).errors\n"
        "assert 'numpy' not in sys.modules, 'numpy was imported'\n"
        "import numpy\n"
        "print(numpy.zeros(2).sum())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0.0"
