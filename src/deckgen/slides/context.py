"""What every slide builder works with: the model, its figures, the page and a text measurer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from deckgen.claims import CHOICE, render
from deckgen.deckdef import DeckDef
from deckgen.design import STYLES, TextStyle
from deckgen.metrics import Metrics
from deckgen.model import Workbook
from deckgen.references import Resolved, Resolver
from deckgen.specs import SLIDE_NUMBER, WORDS, FigureUse, PageGeometry, Run
from deckgen.textmetrics import Measurer

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z“\"(£0-9])|\n")


@dataclass(frozen=True)
class RichText:
    """Words with their figures filled in: runs to draw, and the figures they show."""

    runs: tuple[Run, ...]
    figures: tuple[FigureUse, ...] = ()

    @property
    def plain(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class BuildContext:
    """Shared by every builder during one plan of the deck."""

    model: Workbook
    metrics: Metrics
    resolver: Resolver
    geometry: PageGeometry
    deck: DeckDef
    measurer: Measurer = field(init=False)
    _measurers: dict[str, Measurer] = field(init=False, default_factory=dict)
    bands: dict[tuple[str, str], Any] = field(init=False, default_factory=dict)  # compose's

    def __post_init__(self) -> None:
        self.measurer = Measurer(self.geometry.body_font)

    def measure(self, family: str) -> Measurer:
        """A measurer of `family` (a template's heading font, say), made once."""
        if family == self.measurer.family:
            return self.measurer
        if family not in self._measurers:
            self._measurers[family] = Measurer(family)
        return self._measurers[family]

    def text(self, template: str, emphasise: bool = False) -> RichText:
        """Fill a template's {references} and choose its words from the data; figures are
        bold when `emphasise`. Each figure remembers the sentence it is shown in."""
        runs: list[Run] = []
        figures: list[tuple[int, FigureUse]] = []
        offset = 0
        for piece in render(template, self.resolver):
            if piece.value is not None:
                use = self._use(Resolved(piece.reference, piece.text, piece.value))
                if piece.chosen:  # the words as written: they differ only if the data chose others
                    use = replace(use, value=piece.branch)
                figures.append((offset, use))
            offset += len(piece.text)
            if piece.value is None:
                runs.append(Run(piece.text))
            elif piece.text:  # a choice's record has none: its words follow as pieces
                runs.append(Run(piece.text, bold=True if emphasise else None))
        merged = tuple(_merge(runs))
        whole = "".join(r.text for r in merged)
        return RichText(
            merged, tuple(replace(f, context=_sentence(whole, at), offset=at) for at, f in figures)
        )

    def figure(self, reference: str) -> FigureUse:
        """Resolve one reference (without braces) to a figure as shown."""
        return self._use(self.resolver.resolve(reference))

    def _use(self, resolved: Resolved) -> FigureUse:
        value = resolved.value
        reference = resolved.reference
        shown: float | str = value.number if value.number is not None else (value.text or "")
        unit = value.unit or (SLIDE_NUMBER if reference.startswith("slide.") else WORDS)
        return FigureUse(
            text=value.text if unit == CHOICE and value.text is not None else resolved.text,
            value=shown,
            unit=unit,
            reference=reference,
            source=value.source,
            citation=value.citation,
        )

    def labelled(self, number: RichText, label: RichText) -> RichText:
        """A figure shown with a label under it (a tile): the label is what it is seen with."""
        words = label.plain.strip()
        if not words:
            return number
        return replace(number, figures=tuple(replace(f, context=words) for f in number.figures))

    def plain(self, template: str) -> str:
        return self.text(template).plain

    def size(self, style: TextStyle) -> float:
        return STYLES[style].size


def _sentence(text: str, at: int) -> str:
    """The sentence of `text` that holds position `at`: what a figure is read with."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() >= at:
            return " ".join(text[start : match.start()].split())
        start = match.end()
    return " ".join(text[start:].split())


def _merge(runs: list[Run]) -> list[Run]:
    """Join neighbouring runs that look the same, so text is not split needlessly."""
    merged: list[Run] = []
    for run in runs:
        if merged and merged[-1].bold == run.bold and merged[-1].color == run.color:
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.color)
        else:
            merged.append(run)
    return merged
