"""The cover: the deck's title and, line by line, its subtitle (who it is for, the data date)."""

from __future__ import annotations

from deckgen.deckdef import SlideDef
from deckgen.design import TextStyle
from deckgen.slides.context import BuildContext, RichText
from deckgen.slides.parts import fit_title, speaker_notes
from deckgen.specs import LAYOUT_COVER, Run, SlideSpec


def build(ctx: BuildContext, slide: SlideDef) -> list[SlideSpec]:
    title = ctx.text(slide.text("title", "{about.title}"))
    subtitle = ctx.text(slide.text("subtitle", "{about.subtitle}"))
    lines = [line.strip() for line in subtitle.plain.split("\n") if line.strip()]
    shape = ctx.geometry.layouts[LAYOUT_COVER]
    title_size = subtitle_size = 0.0
    problems: list[str] = []
    if shape.title is not None:
        fit = fit_title(ctx, title, shape.title.width, shape.title.height, TextStyle.COVER_TITLE)
        title_size = fit.size
        problems += [fit.problem] if fit.problem else []
    if shape.subtitle is not None:
        joined = RichText((Run("\n".join(lines)),))
        fit = fit_title(
            ctx, joined, shape.subtitle.width, shape.subtitle.height, TextStyle.COVER_SUBTITLE
        )
        subtitle_size = fit.size
        problems += [fit.problem] if fit.problem else []
    return [
        SlideSpec(
            key=slide.id,
            definition_id=slide.id,
            kind=slide.kind,
            layout=LAYOUT_COVER,
            title=title.plain,
            title_size=title_size,
            subtitle="\n".join(lines),
            subtitle_size=subtitle_size,
            notes=speaker_notes(ctx, slide.texts("notes"), subtitle.figures),
            figures=title.figures + subtitle.figures,
            title_figures=title.figures,
            subtitle_figures=subtitle.figures,
            overflow=tuple(problems),
        )
    ]
