"""`deckgen validate` as a user runs it: exit codes, one line per issue, no traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from deckgen.cli import cli
from tests.conftest import DECK, ROOT, SAMPLE_WORKBOOK, TEMPLATE, Source, row_of, sheet

MakeWorkbook = Callable[..., Path]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def test_sample_is_valid_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out = run("validate")
    assert code == 0
    assert out == (
        "inputs/wmp2020.xlsx: 11 portfolios, 12 projects, 10 years, 6 context drivers, "
        "4 comparisons, 70 figures: valid\n"
    )


def test_json_output_for_machines() -> None:
    code, out = run("validate", str(SAMPLE_WORKBOOK), "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["valid"] is True
    assert payload["counts"]["project"] == 12
    assert payload["issues"] == []


def test_warnings_exit_0_or_1_with_strict(source: Source, make_workbook: MakeWorkbook) -> None:
    sheet(source, "Portfolio")["total"][1] = 119.2
    path = make_workbook(source)
    code, out = run("validate", str(path))
    assert code == 0
    assert out.splitlines()[0].startswith("WARNING Portfolio!B16: the 'Capital' total is stated")
    assert out.splitlines()[-1].endswith("valid with 1 warning")
    code, _ = run("validate", str(path), "--strict")
    assert code == 1


def test_errors_exit_2_with_one_line_each_and_nothing_written(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    row_of(source, "Portfolio", "NGES")[4] = "n/a"
    row_of(source, "FTE by Project", "TS1")[1] = -1
    path = make_workbook(source)
    before = sorted(tmp_path.iterdir())
    code, out = run("validate", str(path))
    assert code == 2
    lines = out.splitlines()
    assert lines[:2] == [
        "ERROR Portfolio!E11: 'Cashable Benefits' must be a number (got 'n/a')",
        "ERROR FTE by Project!B4: 'Grand Total' is -1; it cannot be negative "
        "(FTE released cannot be negative)",
    ]
    assert (
        lines[2] == f"{path}: 10 portfolios, 11 projects, 10 years, 6 context drivers, "
        "4 comparisons, 70 figures: not valid (2 errors, 0 warnings)"
    )
    assert sorted(tmp_path.iterdir()) == before


def test_unreadable_file_is_one_line_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("hello")
    code, out = run("validate", str(path))
    assert code == 2
    assert out == f"error: {path}: not an Excel .xlsx workbook: the file is text (perhaps CSV)\n"
    code, out = run("validate", str(path), "--json")
    assert code == 2
    assert json.loads(out)["valid"] is False


def test_sample_command_writes_a_valid_workbook(tmp_path: Path) -> None:
    out = tmp_path / "again.xlsx"
    code, text = run("sample", "-o", str(out))
    assert code == 0 and text == f"wrote {out}\n"
    code, text = run("validate", str(out))
    assert code == 0 and text.endswith(": valid\n")


@pytest.mark.parametrize(
    ("changes", "first"),
    [
        (
            {("Comparisons", "Officer reduction", 1): 1.7e308},
            "ERROR Comparisons!B4: 'West Midlands' is 1.7e+308: too large for any deck to show",
        ),
        (
            {("Figures", "roi", 3): "9" * 400},
            "ERROR Figures!D4: 'Value' has 400 digits: too large for any deck to show",
        ),
        (
            {("Finance by Year", "FY15/16", 2): 8e8, ("Finance by Year", "FY16/17", 2): 8e8},
            "ERROR Finance by Year!B5:C14: the amounts in 'Investment', 'Benefits' add up to",
        ),
    ],
)
def test_numbers_no_deck_can_show_are_refused_by_validate_as_by_build(
    changes: dict[tuple[str, str, int], object],
    first: str,
    source: Source,
    make_workbook: MakeWorkbook,
    tmp_path: Path,
) -> None:
    for (name, key, column), value in changes.items():
        row_of(source, name, key)[column] = value
    path = make_workbook(source)
    code, out = run("validate", str(path))
    assert code == 2
    assert out.splitlines()[0].startswith(first)
    assert out.splitlines()[-1].endswith("not valid (1 error, 0 warnings)")
    deck = tmp_path / "deck.pptx"
    code, out = run(
        "build", str(path), "-o", str(deck), "--template", str(TEMPLATE), "--deck", str(DECK)
    )
    assert code == 2
    assert out.splitlines()[1].startswith(first)
    assert not deck.exists()
