"""A section divider."""

from __future__ import annotations

from deckgen.deckdef import SlideDef
from deckgen.design import TextStyle
from deckgen.slides.context import BuildContext
from deckgen.slides.parts import fit_title, speaker_notes
from deckgen.specs import LAYOUT_SECTION, SlideSpec


def build(ctx: BuildContext, slide: SlideDef) -> list[SlideSpec]:
    title = ctx.text(slide.text("title"))
    subtitle = ctx.text(slide.text("subtitle"))
    box = ctx.geometry.layouts[LAYOUT_SECTION].title
    size, problems = 0.0, []
    if box is not None:
        fit = fit_title(ctx, title, box.width, box.height, TextStyle.SECTION_TITLE)
        size, problems = fit.size, [fit.problem] if fit.problem else []
    return [
        SlideSpec(
            key=slide.id,
            definition_id=slide.id,
            kind=slide.kind,
            layout=LAYOUT_SECTION,
            title=title.plain,
            title_size=size,
            subtitle=subtitle.plain,
            notes=speaker_notes(ctx, slide.texts("notes"), title.figures + subtitle.figures),
            figures=title.figures + subtitle.figures,
            title_figures=title.figures,
            subtitle_figures=subtitle.figures,
            overflow=tuple(problems),
        )
    ]
