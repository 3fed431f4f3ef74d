"""The README tells users the truth: its commands are CI's, and it documents the whole contract."""

from __future__ import annotations

import re

from deckgen.workbook import schema
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", README)


def test_readme_has_the_two_setup_commands() -> None:
    commands = readme_commands()
    assert len(commands) == 2
    assert commands[0] == "pip install -e . && deckgen build"
    assert commands[1] == "pip install -e '.[test]' && pytest"


def test_ci_runs_exactly_the_readme_test_command_then_the_slow_tests() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    steps = [line for line in ci.splitlines() if line.strip() and not line.startswith("#")]
    assert steps[-2] == readme_commands()[1]
    assert steps[-1] == "pytest -m slow"


def test_readme_documents_every_sheet_and_column() -> None:
    for sheet in schema.SHEETS:
        assert f"`{sheet.name}`" in README, sheet.name
        for column in sheet.columns:
            assert column.header in README, f"{sheet.name}: {column.header}"
    for field in schema.ABOUT_FIELDS:
        assert f"`{field.label}`" in README
    for unit in schema.UNITS:
        assert f"`{unit}`" in README


def test_readme_documents_every_metric_a_reference_can_name() -> None:
    from dataclasses import fields

    from deckgen.metrics import Metrics

    for field in fields(Metrics):
        if field.type in ("Quantity", "Label", "Label | None"):
            assert f"`{field.name}`" in README, field.name


def test_every_metric_is_described_for_explain() -> None:
    from dataclasses import fields

    from deckgen.metrics import DESCRIPTIONS, Metrics

    named = {f.name for f in fields(Metrics) if f.type in ("Quantity", "Label", "Label | None")}
    assert named == set(DESCRIPTIONS)


def test_readme_documents_every_bound_and_text_limit_of_the_contract() -> None:
    for unit, largest in schema.LARGEST.items():
        assert f"{largest:,.0f}" in README, unit
    rows = [line for line in README.splitlines() if line.lstrip().startswith("| ")]
    for sheet in schema.SHEETS:
        for column in sheet.columns:
            if column.max_length:
                assert any(
                    column.header in row and f"| {column.max_length} |" in row for row in rows
                ), f"{sheet.name}: {column.header} at most {column.max_length}"
