"""A section divider."""

from __future__ import annotations

from deckgen.deckdef import SlideDef
from deckgen.slides.context import BuildContext
from deckgen.slides.parts import speaker_notes
from deckgen.specs import LAYOUT_SECTION, SlideSpec


def build(ctx: BuildContext, slide: SlideDef) -> list[SlideSpec]:
    title = ctx.text(slide.text("title"))
    subtitle = ctx.text(slide.text("subtitle"))
    return [
        SlideSpec(
            key=slide.id,
            definition_id=slide.id,
            kind=slide.kind,
            layout=LAYOUT_SECTION,
            title=title.plain,
            subtitle=subtitle.plain,
            notes=speaker_notes(ctx, slide.texts("notes"), title.figures + subtitle.figures),
            figures=title.figures + subtitle.figures,
        )
    ]
