"""Turn a slide's rows of cards into one or more slide specs: title, continuation, notes, source."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from deckgen.deckdef import SlideDef
from deckgen.design import GRID, TextStyle
from deckgen.slides.context import BuildContext
from deckgen.slides.layout import Card, Page, flow, para_height, to_paragraph
from deckgen.slides.parts import fit_title, para, plain_para, source_line, speaker_notes
from deckgen.specs import LAYOUT_TITLE_ONLY, Box, Emu, FigureUse, SlideSpec, TextSpec, inches


def continued_title(title: str, part: int) -> str:
    """Titles stay unique on continuation slides: "… (cont.)", then "… (cont. 2)"."""
    if part <= 1:
        return title
    return f"{title} (cont.)" if part == 2 else f"{title} (cont. {part - 1})"


def content_page(
    ctx: BuildContext, slide: SlideDef, layout: str = LAYOUT_TITLE_ONLY, footnote: bool = True
) -> tuple[Page, TextSpec | None, tuple[FigureUse, ...]]:
    """The page a slide's content flows on, less room for its footnote, and the footnote
    (none when the slide places its footnote itself)."""
    page = Page.of(ctx.geometry, layout)
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
    for number, placed in enumerate(pages, start=1):
        text = continued_title(title.plain, number)
        size = 0.0
        overflow = list(placed.overflow)
        if title_box is not None:
            fit = fit_title(ctx, ctx.text(text), title_box.width, Emu(title_box.height))
            size = fit.size
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
