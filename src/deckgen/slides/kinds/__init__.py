"""One builder per slide kind: a deck-definition entry plus the model in, slide specs out."""

from __future__ import annotations

from collections.abc import Callable

from deckgen.deckdef import SlideDef
from deckgen.slides.context import BuildContext
from deckgen.slides.kinds import (
    big_number,
    chart,
    contents,
    cover,
    section,
    spotlight,
    table,
    text,
    tiles,
)
from deckgen.specs import SlideSpec

Builder = Callable[[BuildContext, SlideDef], list[SlideSpec]]

BUILDERS: dict[str, Builder] = {
    "cover": cover.build,
    "contents": contents.build,
    "text": text.build,
    "tiles": tiles.build,
    "section": section.build,
    "big-number": big_number.build,
    "chart": chart.build,
    "spotlight": spotlight.build,
    "table": table.build,
}
