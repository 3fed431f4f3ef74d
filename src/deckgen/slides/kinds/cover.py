"""The cover: the deck's title and, line by line, its subtitle (who it is for, the data date)."""

from __future__ import annotations

from deckgen.deckdef import SlideDef
from deckgen.slides.context import BuildContext
from deckgen.slides.parts import speaker_notes
from deckgen.specs import LAYOUT_COVER, SlideSpec


def build(ctx: BuildContext, slide: SlideDef) -> list[SlideSpec]:
    title = ctx.text(slide.text("title", "{about.title}"))
    subtitle = ctx.text(slide.text("subtitle", "{about.subtitle}"))
    lines = [line.strip() for line in subtitle.plain.split("\n") if line.strip()]
    return [
        SlideSpec(
            key=slide.id,
            definition_id=slide.id,
            kind=slide.kind,
            layout=LAYOUT_COVER,
            title=title.plain,
            subtitle="\n".join(lines),
            notes=speaker_notes(ctx, slide.texts("notes"), subtitle.figures),
            figures=title.figures + subtitle.figures,
        )
    ]
