"""What every slide builder works with: the model, its figures, the page and a text measurer."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from deckgen.deckdef import DeckDef
from deckgen.design import STYLES, TextStyle
from deckgen.metrics import Metrics
from deckgen.model import Workbook
from deckgen.references import REFERENCE, Resolver
from deckgen.specs import SLIDE_NUMBER, WORDS, FigureUse, PageGeometry, Run
from deckgen.textmetrics import Measurer


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

    def __post_init__(self) -> None:
        self.measurer = Measurer(self.geometry.body_font)

    def text(self, template: str, emphasise: bool = False) -> RichText:
        """Fill a template's {references}; figures are bold when `emphasise`."""
        runs: list[Run] = []
        figures: list[FigureUse] = []
        position = 0
        for match in REFERENCE.finditer(template):
            if match.start() > position:
                runs.append(Run(template[position : match.start()]))
            offset = sum(len(run.text) for run in runs)
            figure = replace(self.figure(match.group(1)), offset=offset)
            runs.append(Run(figure.text, bold=True if emphasise else None))
            figures.append(figure)
            position = match.end()
        if position < len(template):
            runs.append(Run(template[position:]))
        return RichText(tuple(_merge(runs)), tuple(figures))

    def figure(self, reference: str) -> FigureUse:
        """Resolve one reference (without braces) to a figure as shown."""
        resolved = self.resolver.resolve(reference)
        value = resolved.value
        shown: float | str = value.number if value.number is not None else (value.text or "")
        unit = value.unit or (SLIDE_NUMBER if reference.startswith("slide.") else WORDS)
        return FigureUse(
            text=resolved.text,
            value=shown,
            unit=unit,
            reference=reference,
            source=value.source,
            citation=value.citation,
        )

    def plain(self, template: str) -> str:
        return self.text(template).plain

    def size(self, style: TextStyle) -> float:
        return STYLES[style].size


def _merge(runs: list[Run]) -> list[Run]:
    """Join neighbouring runs that look the same, so text is not split needlessly."""
    merged: list[Run] = []
    for run in runs:
        if merged and merged[-1].bold == run.bold and merged[-1].color == run.color:
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.color)
        else:
            merged.append(run)
    return merged
