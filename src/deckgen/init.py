"""Start a new deck project from the sample: workbook, template, deck definition, a README."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import deckgen
from deckgen.errors import DeckgenError

SAMPLE_WORKBOOK = "inputs/wmp2020.xlsx"
SAMPLE_FILES = (SAMPLE_WORKBOOK, "layouts/template.pptx", "layouts/wmp2020.yaml")
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


def sample_files() -> dict[str, Path]:
    """Where the sample's files are: the source checkout, or where pip installed them."""
    candidates = [
        Path(deckgen.__file__).resolve().parents[2],  # a checkout (pip install -e .)
        Path(sys.prefix) / "share" / "deckgen",  # a regular install (data files)
    ]
    for root in candidates:
        files = {name: root / name for name in SAMPLE_FILES}
        if all(path.is_file() for path in files.values()):
            return files
    raise DeckgenError("the sample files are not installed with deckgen; reinstall it")


def init_project(folder: Path) -> list[Path]:
    """Copy the sample into `folder` (new or empty) and return what was written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise DeckgenError(f"{folder}: already exists and is not empty; choose a new folder")
    from deckgen.sample.writer import write_sample

    written = []
    for name, source in sample_files().items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if name == SAMPLE_WORKBOOK:
            # Written from its source in the package: the pristine sample, never whatever the
            # inputs/ folder of a checkout holds after a quarter's edits.
            write_sample(target)
        else:
            shutil.copyfile(source, target)
        written.append(target)
    (folder / "output").mkdir(exist_ok=True)
    readme = folder / "README.md"
    readme.write_text(PROJECT_README.format(name=folder.resolve().name), encoding="utf-8")
    written.append(readme)
    return written
