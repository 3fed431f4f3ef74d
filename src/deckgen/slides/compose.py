"""Turn a slide's rows of cards into one or more slide specs: title, continuation, notes, source."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import cast

from deckgen.deckdef import SlideDef
from deckgen.design import GRID, TextStyle
from deckgen.slides.context import BuildContext, RichText
from deckgen.slides.layout import Card, Page, flow, para_height, to_paragraph
from deckgen.slides.parts import (
    Fit,
    Room,
    fit_title,
    para,
    plain_para,
    source_line,
    speaker_notes,
)
from deckgen.specs import (
    LAYOUT_TITLE_ONLY,
    Box,
    Emu,
    FigureUse,
    Run,
    SlideSpec,
    TextSpec,
    inches,
)

CONTINUATIONS_FITTED = (1, 2)  # the first slide's title and its "(cont.)" set the band


def continued_title(title: str, part: int) -> str:
    """Titles stay unique on continuation slides: "… (cont.)", then "… (cont. 2)"."""
    if part <= 1:
        return title
    return f"{title} (cont.)" if part == 2 else f"{title} (cont. {part - 1})"


@dataclass(frozen=True)
class TitleBand:
    """A slide's title fitted into its layout's title placeholder, for the first slide and its
    first continuation: sizes, grown boxes, and where the band ends (None: where the layout's
    title ends), which is where the content starts below."""

    fits: dict[int, Fit]
    bottom: Emu | None = None


def title_band(ctx: BuildContext, slide: SlideDef, layout: str) -> TitleBand:
    """Fit the slide's title (and its "(cont.)" form) into the layout: shrunk to the style's
    minimum, then its band grown up into the top margin and down into the content area."""
    title = ctx.text(slide.text("title")).plain
    key = (layout, title)
    if key in ctx.bands:
        return cast(TitleBand, ctx.bands[key])
    box = ctx.geometry.layouts[layout].title
    band = TitleBand({})
    if box is not None:
        room = title_room(ctx, layout, box)
        fits = {
            number: fit_title(ctx, plain(continued_title(title, number)), box, layout, room=room)
            for number in CONTINUATIONS_FITTED
        }
        grown = [fit.box.bottom for fit in fits.values() if fit.box is not None]
        band = TitleBand(fits, max(grown) if grown else None)
    ctx.bands[key] = band
    return band


def title_room(ctx: BuildContext, layout: str, box: Box, bottom: Emu | None = None) -> Room:
    """How far a title band may grow: up to the grid's top, down into the content area by at
    most a band's height and a quarter of the content (to `bottom` when given), and never onto
    what the layout draws under its title."""
    page = Page.of(ctx.geometry, layout)
    above = Emu(max(box.top - inches(GRID.title_top), 0))
    below = Emu(min(inches(GRID.title_growth), page.content.height // 4))
    rule = ctx.geometry.layouts[layout].under_title  # a title never grows over the layout's rule
    for floor in (bottom, rule):
        if floor is not None:
            below = Emu(max(min(below, floor - box.bottom), 0))
    return Room(above, below)


def plain(text: str) -> RichText:
    return RichText((Run(text),))


def content_page(
    ctx: BuildContext, slide: SlideDef, layout: str = LAYOUT_TITLE_ONLY, footnote: bool = True
) -> tuple[Page, TextSpec | None, tuple[FigureUse, ...]]:
    """The page a slide's content flows on, below its title band, less room for its footnote,
    and the footnote (none when the slide places its footnote itself)."""
    page = Page.of(ctx.geometry, layout, title_band(ctx, slide, layout).bottom)
    text = slide.text("footnote") or (slide.text("note") if slide.kind == "table" else "")
    if not text or not footnote:
        return page, None, ()
    note = para(ctx.text(text), TextStyle.FOOTNOTE)
    width = page.content.width
    inner = Emu(width - 2 * inches(GRID.text_inset))
    height = Emu(para_height(note, inner, ctx.measurer) + 2 * inches(GRID.text_inset_y))
    content = page.content
    shorter = Box(
        content.left,
        content.top,
        content.width,
        Emu(content.height - height - inches(GRID.block_gap / 2)),
    )
    box = Box(content.left, Emu(content.bottom - height), width, height)
    spec = TextSpec("Footnote", box, (to_paragraph(note),))
    return replace(page, content=shorter), spec, note.figures


def compose(
    ctx: BuildContext,
    slide: SlideDef,
    rows: Sequence[Sequence[Card]],
    layout: str = LAYOUT_TITLE_ONLY,
    extra_figures: Sequence[FigureUse] = (),
    extra_notes: Sequence[str] = (),
    footnote: bool = True,
) -> list[SlideSpec]:
    """Lay out `rows` on as many slides as they need, each with a unique title and notes;
    the slide's footnote under them unless the rows hold it (`footnote=False`)."""
    page, note, footnote_figures = content_page(ctx, slide, layout, footnote)
    title = ctx.text(slide.text("title"))
    pages = flow(rows, page, ctx.measurer)
    if note is not None:
        for placed in pages:
            placed.shapes.append(note)
            placed.figures.extend(footnote_figures)
    specs = []
    title_box = ctx.geometry.layouts[layout].title
    band = title_band(ctx, slide, layout)
    for number, placed in enumerate(pages, start=1):
        text = continued_title(title.plain, number)
        size = 0.0
        grown: Box | None = None
        overflow = list(placed.overflow)
        if title_box is not None:
            fit = band.fits.get(number)
            if fit is None:  # a later continuation: its band may not reach the content
                room = title_room(ctx, layout, title_box, band.bottom or title_box.bottom)
                fit = fit_title(ctx, plain(text), title_box, layout, room=room)
            size, grown = fit.size, fit.box
            overflow += [fit.problem] if fit.problem else []
        figures = list(title.figures) + placed.figures
        if number == 1:
            figures.extend(extra_figures)
        notes = speaker_notes(
            ctx,
            slide.texts("notes") if number == 1 else [],
            figures,
            continued_from=title.plain if number > 1 else "",
            extra=extra_notes if number == 1 else (),
        )
        source = source_line(ctx, figures, slide.text("source"))
        shapes = placed.shapes + ([source_box(page, source)] if source else [])
        specs.append(
            SlideSpec(
                key=slide.id if number == 1 else f"{slide.id}-{number}",
                definition_id=slide.id,
                kind=slide.kind,
                layout=layout,
                title=text,
                title_size=size,
                title_box=grown,
                shapes=tuple(shapes),
                notes=notes,
                figures=tuple(figures),
                overflow=tuple(overflow),
                label=ctx.plain(slide.text("label")) if slide.text("label") else title.plain,
                title_figures=title.figures,
            )
        )
    return specs


def source_box(page: Page, text: str) -> TextSpec:
    """The source line in its band above the footer."""
    return TextSpec("Source", page.source, (to_paragraph(plain_para(text, TextStyle.SOURCE)),))
