"""The cover: the deck's title and, line by line, its subtitle (who it is for, the data date),
under a band that names the organisation.

The band is drawn as a filled text box reaching from the top of the slide to just above the
title, so the cover never shows an empty block (a template's band reads as a missing picture
when nothing is in it), and a template without a band still gets a designed header.
"""

from __future__ import annotations

from deckgen.deckdef import SlideDef
from deckgen.design import GRID, Role, TextStyle
from deckgen.slides.context import BuildContext, RichText
from deckgen.slides.layout import Para, to_paragraph
from deckgen.slides.parts import Room, fit_title, speaker_notes
from deckgen.specs import (
    LAYOUT_COVER,
    Anchor,
    Box,
    Emu,
    Run,
    SlideSpec,
    TextSpec,
    inches,
)

BAND_GAP = 0.5  # inches between the bottom of the band and the top of the title
BAND_INSET_Y = 0.3  # inches from the band's lower edge to its last line
MIN_BAND = 0.8  # inches: a title placed higher than this leaves no room for a band


def build(ctx: BuildContext, slide: SlideDef) -> list[SlideSpec]:
    title = ctx.text(slide.text("title", "{about.title}"))
    subtitle = ctx.text(slide.text("subtitle", "{about.subtitle}"))
    lines = [line.strip() for line in subtitle.plain.split("\n") if line.strip()]
    shape = ctx.geometry.layouts[LAYOUT_COVER]
    title_size = subtitle_size = 0.0
    title_box = subtitle_box = None
    problems: list[str] = []
    if shape.title is not None:
        # The title may grow up into the band's room, leaving the band its least height.
        above = Emu(max(shape.title.top - inches(BAND_GAP + MIN_BAND), 0))
        fit = fit_title(
            ctx, title, shape.title, LAYOUT_COVER, TextStyle.COVER_TITLE, Room(above=above)
        )
        title_size, title_box = fit.size, fit.box
        problems += [fit.problem] if fit.problem else []
    if shape.subtitle is not None:
        joined = RichText((Run("\n".join(lines)),))
        fit = fit_title(
            ctx,
            joined,
            shape.subtitle,
            LAYOUT_COVER,
            TextStyle.COVER_SUBTITLE,
            Room(below=_below(ctx, shape.subtitle)),
            which="subtitle",
        )
        subtitle_size, subtitle_box = fit.size, fit.box
        problems += [fit.problem] if fit.problem else []
    band_lines = [ctx.text(t) for t in slide.texts("band") or ["{about.organisation}"]]
    shapes = _band(ctx, title_box or shape.title, band_lines)
    figures = title.figures + subtitle.figures + tuple(f for b in band_lines for f in b.figures)
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
            title_box=title_box,
            subtitle_box=subtitle_box,
            shapes=shapes,
            notes=speaker_notes(ctx, slide.texts("notes"), figures),
            figures=figures,
            title_figures=title.figures,
            subtitle_figures=subtitle.figures,
            overflow=tuple(problems),
        )
    ]


def _below(ctx: BuildContext, subtitle: Box) -> Emu:
    """How far the cover's subtitle may grow down: to a gap above the footers."""
    shape = ctx.geometry.layouts[LAYOUT_COVER]
    footers = [b.top for b in (shape.footer, shape.date, shape.slide_number) if b is not None]
    floor = min(footers, default=ctx.geometry.height) - inches(GRID.block_gap)
    return Emu(max(floor - subtitle.bottom, 0))


def _band(ctx: BuildContext, title: Box | None, lines: list[RichText]) -> tuple[TextSpec, ...]:
    """The band above the title: the organisation in white on the primary colour, its first
    line bold; nothing when the title sits too near the top for one."""
    height = Emu((title.top if title is not None else 0) - inches(BAND_GAP))
    if height < inches(MIN_BAND) or not any(line.plain for line in lines):
        return ()
    paras = tuple(
        to_paragraph(
            Para(
                tuple(Run(r.text, bold=n == 0, color=Role.BACKGROUND) for r in line.runs),
                TextStyle.COVER_BAND,
                figures=line.figures,
            )
        )
        for n, line in enumerate(lines)
        if line.plain
    )
    box = Box(Emu(0), Emu(0), ctx.geometry.width, height)
    return (
        TextSpec(
            "Cover band",
            box,
            paras,
            fill=Role.PRIMARY,
            anchor=Anchor.BOTTOM,
            inset_x=inches(GRID.margin_x + GRID.text_inset),
            inset_y=inches(BAND_INSET_Y),
        ),
    )
