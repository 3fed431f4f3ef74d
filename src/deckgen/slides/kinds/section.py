"""A section divider."""

from __future__ import annotations

from deckgen.deckdef import SlideDef
from deckgen.design import GRID, TextStyle
from deckgen.slides.context import BuildContext
from deckgen.slides.parts import Room, fit_title, speaker_notes
from deckgen.specs import LAYOUT_SECTION, Emu, SlideSpec, inches


def build(ctx: BuildContext, slide: SlideDef) -> list[SlideSpec]:
    title = ctx.text(slide.text("title"))
    subtitle = ctx.text(slide.text("subtitle"))
    box = ctx.geometry.layouts[LAYOUT_SECTION].title
    size, grown, problems = 0.0, None, []
    if box is not None:
        # The band grows up only: the layout's rule sits under the title.
        room = Room(above=Emu(max(box.top - inches(GRID.margin_top), 0)))
        fit = fit_title(ctx, title, box, LAYOUT_SECTION, TextStyle.SECTION_TITLE, room)
        size, grown, problems = fit.size, fit.box, [fit.problem] if fit.problem else []
    return [
        SlideSpec(
            key=slide.id,
            definition_id=slide.id,
            kind=slide.kind,
            layout=LAYOUT_SECTION,
            title=title.plain,
            title_size=size,
            title_box=grown,
            subtitle=subtitle.plain,
            notes=speaker_notes(ctx, slide.texts("notes"), title.figures + subtitle.figures),
            figures=title.figures + subtitle.figures,
            title_figures=title.figures,
            subtitle_figures=subtitle.figures,
            overflow=tuple(problems),
        )
    ]
