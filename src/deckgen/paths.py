"""Where deckgen looks for its inputs and writes its outputs by default (relative to the cwd)."""

from __future__ import annotations

from pathlib import Path

INPUTS = Path("inputs")
LAYOUTS = Path("layouts")
OUTPUT = Path("output")

DEFAULT_WORKBOOK = INPUTS / "wmp2020.xlsx"
DEFAULT_DECK = LAYOUTS / "wmp2020.yaml"
DEFAULT_TEMPLATE = LAYOUTS / "template.pptx"
