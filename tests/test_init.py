"""`deckgen init` starts a project from the pristine sample, never from the files of the
folder deckgen runs in (a checkout whose inputs/ the user has edited)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import deckgen
from tests.conftest import DECK, SAMPLE_WORKBOOK, TEMPLATE, run_cli


@pytest.fixture
def edited_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout of deckgen whose sample workbook and template the user has edited."""
    root = tmp_path / "checkout"
    (root / "src" / "deckgen").mkdir(parents=True)
    (root / "inputs").mkdir()
    (root / "layouts").mkdir()
    (root / "inputs" / "wmp2020.xlsx").write_bytes(b"this quarter's figures, being edited")
    (root / "layouts" / "template.pptx").write_bytes(b"a template being restyled")
    shutil.copyfile(DECK, root / "layouts" / "wmp2020.yaml")
    monkeypatch.setattr(deckgen, "__file__", str(root / "src" / "deckgen" / "__init__.py"))
    return root


def test_init_writes_the_pristine_sample_not_the_edited_inputs(
    edited_checkout: Path, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    code, text = run_cli("init", str(project))
    assert code == 0, text
    assert (project / "inputs" / "wmp2020.xlsx").read_bytes() == SAMPLE_WORKBOOK.read_bytes()
    assert (project / "layouts" / "template.pptx").read_bytes() == TEMPLATE.read_bytes()
    assert (project / "layouts" / "wmp2020.yaml").read_bytes() == DECK.read_bytes()
    assert (edited_checkout / "inputs" / "wmp2020.xlsx").read_bytes() == (
        b"this quarter's figures, being edited"
    )
    assert sorted(p.name for p in project.rglob(".*")) == []
