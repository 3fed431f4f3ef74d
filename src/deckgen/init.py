"""Start a new deck project from the sample: workbook, template, deck definition, a README.

The project gets the pristine sample, never the files of the folder deckgen runs in: the
workbook is written from its source in the package and the template by the code that makes it
(both byte for byte what ships), and the deck definition is copied as shipped.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import deckgen
from deckgen.errors import DeckgenError
from deckgen.paths import DEFAULT_DECK, DEFAULT_TEMPLATE, DEFAULT_WORKBOOK

PROJECT_README = """\
# {name}

A deck project made with deckgen, started from the WMP2020 sample.

- `inputs/wmp2020.xlsx`: the workbook. Put your figures here (rename it if you like); every
  number on the slides comes from it. `deckgen validate` says exactly what is wrong with it.
- `layouts/wmp2020.yaml`: the deck definition: the slides in order, their words, and
  `{{references}}` to the workbook's figures.
- `layouts/template.pptx`: the template: theme colours, fonts and the layouts `Cover`,
  `Section`, `Title Only` and `Blank`. Replace it with your organisation's template if it has
  layouts with those names.

From this folder:

    deckgen build                 # writes output/wmp2020.pptx and its manifest
    deckgen check output/wmp2020.pptx
    deckgen preview output/wmp2020.pptx

The deckgen README describes the workbook contract and the deck definition in full.
"""


def shipped_deck_definition() -> Path:
    """The sample's deck definition as shipped: in the source checkout, or where pip put it."""
    candidates = [
        Path(deckgen.__file__).resolve().parents[2],  # a checkout (pip install -e .)
        Path(sys.prefix) / "share" / "deckgen",  # a regular install (data files)
    ]
    for root in candidates:
        if (root / DEFAULT_DECK).is_file():
            return root / DEFAULT_DECK
    raise DeckgenError("the sample deck definition is not installed with deckgen; reinstall it")


def init_project(folder: Path) -> list[Path]:
    """Write the sample into `folder` (new or empty) and return what was written."""
    from deckgen.render.template import build_template
    from deckgen.sample.writer import write_sample

    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise DeckgenError(f"{folder}: already exists and is not empty; choose a new folder")
    definition = shipped_deck_definition()
    workbook, template = folder / DEFAULT_WORKBOOK, folder / DEFAULT_TEMPLATE
    write_sample(workbook)
    build_template(template)
    (folder / DEFAULT_DECK).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(definition, folder / DEFAULT_DECK)
    (folder / "output").mkdir(exist_ok=True)
    readme = folder / "README.md"
    readme.write_text(PROJECT_README.format(name=folder.resolve().name), encoding="utf-8")
    return [workbook, template, folder / DEFAULT_DECK, readme]
