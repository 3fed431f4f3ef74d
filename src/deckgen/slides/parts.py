"""Pieces several slide kinds share: titles, text blocks, key figures, quotes, notes, sources."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from deckgen.design import GRID, STYLES, Role, TextStyle
from deckgen.references import REFERENCE
from deckgen.slides.context import BuildContext, RichText
from deckgen.slides.layout import (
    Card,
    MeasuredCard,
    Para,
    TextCard,
    balanced_rows,
    para_height,
    paras_height,
    spans,
    to_paragraph,
)
from deckgen.specs import (
    EMU_PER_INCH,
    SLIDE_NUMBER,
    WORDS,
    Align,
    Anchor,
    Box,
    Bullet,
    Emu,
    FigureUse,
    PlaceholderText,
    Run,
    Shape,
    ShapeKind,
    ShapeSpec,
    TextSpec,
    inches,
    points,
)
from deckgen.textmetrics import Measurer

FIT_MARGIN = 1.0  # points kept spare when fitting a title: renderers round line heights
NOTE_QUOTE = 60  # characters of workbook words quoted in the notes' source list
ARROW_SIZE = 0.34  # inches
ZERO_EMU = Emu(0)
TITLE_STYLES = (TextStyle.TITLE, TextStyle.COVER_TITLE, TextStyle.SECTION_TITLE)  # heading font
NUMBER_FLOOR = 16.0  # points: the least a big number shrinks to before it may wrap
TIGHT_INSET = 0.02  # inches: top/bottom inset of the stacked text boxes inside a tile
LABEL_LINES_BESIDE = 3  # a key figure's label longer than this goes under its number


def para(rich: RichText, style: TextStyle, **kwargs: Any) -> Para:
    return Para(runs=rich.runs, style=style, figures=rich.figures, **kwargs)


def plain_para(text: str, style: TextStyle, **kwargs: Any) -> Para:
    return Para(runs=(Run(text),), style=style, **kwargs)


def bullets(ctx: BuildContext, items: Sequence[str]) -> tuple[Para, ...]:
    return tuple(
        para(ctx.text(item, emphasise=True), TextStyle.BULLET, bullet=Bullet.BULLET)
        for item in items
    )


def numbered(ctx: BuildContext, items: Sequence[str]) -> tuple[Para, ...]:
    return tuple(
        para(ctx.text(item, emphasise=True), TextStyle.NUMBERED, bullet=Bullet.NUMBER, number=n)
        for n, item in enumerate(items, start=1)
    )


def heading(ctx: BuildContext, text: str, style: TextStyle = TextStyle.HEADING) -> Para:
    return para(ctx.text(text), style)


def block_card(ctx: BuildContext, block: Mapping[str, Any], span: int, name: str) -> TextCard:
    """A headed block of bullets or a paragraph, from the deck definition."""
    title = block.get("heading")
    paras: tuple[Para, ...]
    if "bullets" in block:
        paras = bullets(ctx, [str(b) for b in block["bullets"]])
    else:
        paras = (para(ctx.text(str(block["text"]), emphasise=True), TextStyle.BODY),)
    head = heading(ctx, str(title)) if title else None
    return TextCard(
        name=head.text if head is not None else name,
        paras=paras,
        span=span,
        heading=head,
    )


def block_rows(
    ctx: BuildContext, blocks: Sequence[Mapping[str, Any]], most: int
) -> list[list[Card]]:
    """Headed blocks side by side, at most `most` to a row, rows balanced and filling the width."""
    return side_by_side(
        len(blocks), most, lambda i, span: block_card(ctx, blocks[i], span, f"Block {i + 1}")
    )


def side_by_side(count: int, most: int, card: Callable[[int, int], Card]) -> list[list[Card]]:
    """`count` cards in rows of at most `most`, rows balanced and each filling the width:
    `card(i, span)` makes the i-th card, `span` grid columns wide."""
    return [
        [card(i, span) for i, span in zip(indexes, spans(len(indexes)), strict=True)]
        for indexes in balanced_rows(count, most)
    ]


def sized(card: TextCard, size: float) -> TextCard:
    """The card with all its text at `size` points: a short slide's words set larger."""
    heading = replace(card.heading, size=size) if card.heading is not None else None
    return replace(card, paras=tuple(replace(p, size=size) for p in card.paras), heading=heading)


def blocks_card(
    ctx: BuildContext, blocks: Sequence[Mapping[str, Any]], span: int, name: str
) -> TextCard:
    """Several headed blocks in one column, one after another."""
    paras: list[Para] = []
    for block in blocks:
        if block.get("heading"):
            paras.append(heading(ctx, str(block["heading"])))
        if "bullets" in block:
            paras.extend(bullets(ctx, [str(b) for b in block["bullets"]]))
        else:
            paras.append(para(ctx.text(str(block["text"]), emphasise=True), TextStyle.BODY))
    return TextCard(name=name, paras=tuple(paras), span=span)


@dataclass(frozen=True)
class Fit:
    """The size a placeholder's text gets, the box it needs (None: the layout's own), and what
    does not fit even at its style's minimum size in the largest box allowed."""

    size: float
    box: Box | None = None
    problem: str = ""


@dataclass(frozen=True)
class Room:
    """How far a placeholder may grow beyond its layout's box: first up, then down."""

    above: Emu = ZERO_EMU
    below: Emu = ZERO_EMU


@dataclass(frozen=True)
class Spacing:
    """How a placeholder's paragraphs are spaced: what deckgen writes (titles) or what the
    template says (footers)."""

    lines: float = 1.0  # a multiple of single spacing
    points: float | None = None  # exact, when given in points
    before: float = 0.0  # points
    after: float = 0.0  # points
    before_lines: float = 0.0  # space given in lines instead
    after_lines: float = 0.0


def placeholder_look(
    ctx: BuildContext, layout: str, which: str, kind: TextStyle
) -> PlaceholderText:
    """How the layout's placeholder `which` ("title", "footer", ...) sets text; for a geometry
    that does not say, the style's look with the page grid's insets."""
    found = ctx.geometry.layouts[layout].text.get(which)
    if found is not None:
        return found
    style = STYLES[kind]
    x, y = inches(GRID.text_inset), inches(GRID.text_inset_y)
    font = ctx.geometry.heading_font if kind in TITLE_STYLES else ctx.geometry.body_font
    return PlaceholderText(
        font, style.size, style.bold, style.italic, style.caps, insets=(x, x, y, y)
    )


def written_spacing(kind: TextStyle) -> Spacing:
    """The spacing the renderer writes into a title's or subtitle's paragraphs."""
    style = STYLES[kind]
    return Spacing(lines=style.line_spacing, before=style.space_before)


def template_spacing(look: PlaceholderText) -> Spacing:
    """The spacing a placeholder's own text keeps: the template's."""
    before_lines, after_lines = look.space_lines
    return Spacing(
        look.line_spacing,
        look.line_points,
        look.space_before,
        look.space_after,
        before_lines,
        after_lines,
    )


def placeholder_height(
    ctx: BuildContext, text: str, look: PlaceholderText, size: float, spacing: Spacing, width: Emu
) -> tuple[Emu, bool]:
    """The height (insets included) `text` needs in a placeholder `width` wide at `size`, each
    line of `text` a paragraph, measured as the check measures it; and whether every word fits
    across."""
    measurer = ctx.measure(look.font)
    left, right, top, bottom = look.insets
    usable = (width - left - right - look.margins) / 12_700
    shown = text.upper() if look.caps else text
    total = 0.0
    widest = 0.0
    for paragraph in shown.split("\n"):
        lines = len(measurer.wrap(paragraph, usable, size, look.bold, look.italic))
        if spacing.points is not None:
            line = spacing.points
        else:
            line = measurer.line_height(size, spacing.lines)
        total += lines * line + spacing.before + spacing.after
        total += measurer.line_height(size, spacing.before_lines + spacing.after_lines)
        for word in paragraph.split():
            widest = max(widest, measurer.width(word, size, look.bold, look.italic))
    return Emu(points(total) + top + bottom), widest <= usable


def fit_placeholder(
    ctx: BuildContext,
    text: str,
    box: Box,
    look: PlaceholderText,
    sizes: tuple[float, float],
    spacing: Spacing,
    room: Room = Room(),
    what: str = "title",
) -> Fit:
    """Fit `text` into a placeholder's `box`: wrapped to its width, shrunk from the first of
    `sizes` down to the second a point at a time, then the box grown into `room` (up, then
    down); what does not fit even so is the problem, with the largest box."""
    size, minimum = sizes
    spare = points(FIT_MARGIN)
    while True:
        needed, across = placeholder_height(ctx, text, look, size, spacing, box.width)
        needed = Emu(needed + spare)
        if needed <= box.height and across:
            return Fit(size)
        if size <= minimum:
            break
        size = max(size - 1, minimum)
    extra = max(needed - box.height, 0)
    up = min(extra, room.above)
    down = min(extra - up, room.below)
    grown = Box(box.left, Emu(box.top - up), box.width, Emu(box.height + up + down))
    if needed <= grown.height and across:
        return Fit(size, grown if extra else None)
    if not across:
        problem = f"the {what} has a word too wide for its box at {size:g} pt; shorten it"
    else:
        problem = (
            f"the {what} needs {needed / EMU_PER_INCH:.1f} in at {size:g} pt, its box has "
            f"{grown.height / EMU_PER_INCH:.1f} in; shorten it"
        )
    return Fit(size, grown if up or down else None, problem)


def fit_title(
    ctx: BuildContext,
    text: RichText,
    box: Box,
    layout: str,
    kind: TextStyle = TextStyle.TITLE,
    room: Room = Room(),
    which: str = "title",
) -> Fit:
    """Shrink a title (or the cover's subtitle) from its style's size, not below its minimum,
    until it fits its placeholder as the template sets it; then grow the box into `room`."""
    style = STYLES[kind]
    look = placeholder_look(ctx, layout, which, kind)
    what = kind.value.replace("-", " ")
    return fit_placeholder(
        ctx,
        text.plain,
        box,
        look,
        (style.size, style.minimum),
        written_spacing(kind),
        room,
        what,
    )


# -- key figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigure:
    """A big number with its label, or a line of text, for a key-information panel or strip."""

    number: RichText | None
    label: RichText
    figures: tuple[FigureUse, ...]


def key_figures(ctx: BuildContext, items: Sequence[Mapping[str, Any]]) -> list[KeyFigure]:
    """Resolve `figures:` items: {value: "{ref}", label: ...} or {text: ...}."""
    result = []
    for item in items:
        if "value" in item:
            number = ctx.text(str(item["value"]))
            if item.get("label"):
                label = ctx.text(str(item["label"]))
            else:
                label = _default_label(ctx, str(item["value"]))
            number = ctx.labelled(number, label)
            result.append(KeyFigure(number, label, number.figures + label.figures))
        else:
            label = ctx.text(str(item["text"]), emphasise=True)
            result.append(KeyFigure(None, label, label.figures))
    return result


def _default_label(ctx: BuildContext, value: str) -> RichText:
    """A Figures-sheet figure is labelled with its own Label unless the deck says otherwise."""
    match = REFERENCE.fullmatch(value.strip())
    if match:
        ref = match.group(1).split(":")[0].strip()
        parts = ref.split(".")
        if parts[0] == "figures" and len(parts) == 3:
            for fig in ctx.model.figures:
                if fig.slide == parts[1] and fig.key == parts[2]:
                    cell = ctx.model.cell("figures", "label", fig.row)
                    use = FigureUse(fig.label, fig.label, WORDS, f"{ref}.label", cell)
                    return RichText((Run(fig.label),), (use,))
    return RichText((Run(""),))


def figure_tile(
    ctx: BuildContext,
    key: KeyFigure,
    span: int,
    name: str,
    panel: bool = True,
    number_style: TextStyle = TextStyle.BIG_NUMBER,
) -> MeasuredCard:
    """A key figure as a tile: the number large, its label under it, on a light panel."""
    measurer = ctx.measurer

    def paras(width: Emu) -> list[Para]:
        inner = _inner(width, panel)
        out: list[Para] = []
        if key.number is not None:
            size = fit_number(measurer, key.number.plain, number_style, inner)
            out.append(Para(key.number.runs, number_style, size=size, figures=key.number.figures))
        style = TextStyle.LABEL if key.number is not None else TextStyle.BODY
        out.append(Para(key.label.runs, style, figures=key.label.figures))
        return out

    def height(width: Emu, m: Measurer) -> Emu:
        return _padded(paras_height(paras(width), _inner(width, panel), m), panel)

    def draw(box: Box) -> list[Shape]:
        shapes: list[Shape] = []
        text_box = box
        if panel:
            shapes.append(ShapeSpec(f"{name} panel", ShapeKind.RECTANGLE, box, Role.PANEL))
            pad = inches(GRID.panel_padding)
            text_box = box.inset(pad, pad)
        shapes.append(
            TextSpec(
                name=name,
                box=text_box,
                paragraphs=tuple(to_paragraph(p) for p in paras(box.width)),
                inset_x=inches(GRID.text_inset),
                inset_y=inches(GRID.text_inset_y),
            )
        )
        return shapes

    return MeasuredCard(name, height, draw, span, key.figures, stretch=True)


def tile_rows(ctx: BuildContext, keys: Sequence[KeyFigure], most: int = 4) -> list[list[Card]]:
    """Key figures as rows of tiles across the page, rows balanced (five is three and two).

    Fewer tiles go to a row when a label has a word too wide for a narrower tile.
    """
    page_width = ctx.geometry.width - 2 * inches(GRID.margin_x)
    widest = max((_widest_word(ctx, k.label) for k in keys), default=0.0)
    while most > 1:
        tile = (page_width - (most - 1) * inches(GRID.gutter)) // most
        if widest <= _inner(Emu(tile), True) / 12_700:
            break
        most -= 1
    return side_by_side(
        len(keys), most, lambda i, span: figure_tile(ctx, keys[i], span, f"Key figure {i + 1}")
    )


def _widest_word(ctx: BuildContext, text: RichText) -> float:
    bold = any(r.bold for r in text.runs)
    return ctx.measurer.longest_word(text.plain, STYLES[TextStyle.LABEL].size, bold)


def _inner(width: Emu, panel: bool) -> Emu:
    pad = 2 * inches(GRID.panel_padding) if panel else 0
    return Emu(width - pad - 2 * inches(GRID.text_inset))


def _padded(height: Emu, panel: bool) -> Emu:
    pad = 2 * inches(GRID.panel_padding) if panel else 0
    return Emu(height + pad + 2 * inches(GRID.text_inset_y))


def fit_number(measurer: Measurer, text: str, style: TextStyle, width: Emu) -> float:
    """Shrink a big number until it fits on one line.

    Down to its style's minimum first; a number still too wide (a huge figure in a narrow
    tile) keeps shrinking to NUMBER_FLOOR rather than break in the middle of its digits.
    """
    spec = STYLES[style]
    size = spec.size
    while size > NUMBER_FLOOR and measurer.width(text, size, bold=True) > width / 12_700:
        size -= 2 if size > spec.minimum else 1
    return max(size, NUMBER_FLOOR)


def figure_row(
    ctx: BuildContext, key: KeyFigure, number_width: Emu, size: float, span: int, name: str
) -> MeasuredCard:
    """A key figure on one line: the number large on the left, `number_width` wide (the widest
    number of its panel, so numbers line up), and its label beside it, both centred on the row.
    A label too long to sit beside its number in a few lines goes under it instead."""
    assert key.number is not None
    number = Para(key.number.runs, TextStyle.KEY_FIGURE, size=size, figures=key.number.figures)
    label = Para(key.label.runs, TextStyle.LABEL, figures=key.label.figures)
    inset, inset_y = inches(GRID.text_inset), inches(TIGHT_INSET)

    def beside(width: Emu, m: Measurer) -> bool:
        room = label_width(width) / 12_700
        if m.longest_word(label.text, label.point_size) > room:
            return False  # a word that would have to break goes under the number instead
        return len(m.wrap(label.text, room, label.point_size)) <= LABEL_LINES_BESIDE

    def label_width(width: Emu) -> Emu:
        return Emu(width - number_width - 4 * inset)  # the label box's width less its insets

    def height(width: Emu, m: Measurer) -> Emu:
        if beside(width, m):
            tallest = max(
                para_height(number, number_width, m), para_height(label, label_width(width), m)
            )
            return Emu(tallest + 2 * inset_y)
        inner = Emu(width - 2 * inset)
        return Emu(para_height(number, inner, m) + para_height(label, inner, m) + 2 * inset_y)

    def text(box: Box, paragraphs: tuple[Para, ...], suffix: str = "") -> TextSpec:
        return TextSpec(
            name + suffix,
            box,
            tuple(to_paragraph(p) for p in paragraphs),
            anchor=Anchor.MIDDLE,
            inset_x=inset,
            inset_y=inset_y,
        )

    def draw(box: Box) -> list[Shape]:
        if not beside(box.width, ctx.measurer):
            return [text(box, (number, label))]
        left = Box(box.left, box.top, Emu(number_width + 2 * inset), box.height)
        right = Box(left.right, box.top, Emu(box.width - left.width), box.height)
        return [text(left, (number,), " figure"), text(right, (label,))]

    return MeasuredCard(name, height, draw, span, key.figures)


def driver_tile(
    ctx: BuildContext,
    title: RichText,
    number: RichText,
    up: bool,
    statement: RichText,
    span: int,
    name: str,
) -> MeasuredCard:
    """A context driver: its name, the figure with an up or down arrow, and its sentence."""
    measurer = ctx.measurer
    arrow = inches(ARROW_SIZE)

    def parts(width: Emu) -> tuple[Para, Para, Para]:
        inner = _inner(width, True)
        size = fit_number(measurer, number.plain, TextStyle.BIG_NUMBER, Emu(inner - arrow))
        return (
            Para(title.runs, TextStyle.PANEL_HEADING, figures=title.figures),
            Para(number.runs, TextStyle.BIG_NUMBER, size=size, figures=number.figures),
            Para(statement.runs, TextStyle.LABEL, figures=statement.figures),
        )

    def height(width: Emu, m: Measurer) -> Emu:
        head, big, body = parts(width)
        inner = _inner(width, True)
        total = (
            para_height(head, inner, m)
            + para_height(big, Emu(inner - arrow), m)
            + para_height(body, inner, m)
            + 3 * 2 * inches(TIGHT_INSET)
        )
        return Emu(total + 2 * inches(GRID.panel_padding))

    def draw(box: Box) -> list[Shape]:
        head, big, body = parts(box.width)
        pad = inches(GRID.panel_padding)
        inner_box = box.inset(pad, pad)
        inner = _inner(box.width, True)
        inset_y = inches(TIGHT_INSET)
        head_h = Emu(para_height(head, inner, measurer) + 2 * inset_y)
        big_h = Emu(para_height(big, Emu(inner - arrow), measurer) + 2 * inset_y)
        top = inner_box.top
        shapes: list[Shape] = [
            ShapeSpec(f"{name} panel", ShapeKind.RECTANGLE, box, Role.PANEL),
            _text(
                f"{name} heading", Box(inner_box.left, top, inner_box.width, head_h), head, inset_y
            ),
        ]
        top = Emu(top + head_h)
        arrow_top = Emu(top + (big_h - arrow) // 2)
        shapes.append(
            ShapeSpec(
                f"{name} arrow",
                ShapeKind.ARROW_UP if up else ShapeKind.ARROW_DOWN,
                Box(Emu(inner_box.left + inches(GRID.text_inset)), arrow_top, arrow, arrow),
                Role.ACCENT if up else Role.INVESTMENT,
                description="Rising" if up else "Falling",
            )
        )
        number_left = Emu(inner_box.left + arrow + inches(GRID.text_inset))
        shapes.append(
            _text(
                f"{name} figure",
                Box(number_left, top, Emu(inner_box.right - number_left), big_h),
                big,
                inset_y,
            )
        )
        top = Emu(top + big_h)
        shapes.append(
            _text(
                name,
                Box(inner_box.left, top, inner_box.width, Emu(inner_box.bottom - top)),
                body,
                inset_y,
            )
        )
        return shapes

    figures = title.figures + number.figures + statement.figures
    return MeasuredCard(name, height, draw, span, figures, stretch=True)


def _text(name: str, box: Box, paragraph: Para, inset_y: Emu) -> TextSpec:
    return TextSpec(
        name=name,
        box=box,
        paragraphs=(to_paragraph(paragraph),),
        inset_x=inches(GRID.text_inset),
        inset_y=inset_y,
    )


def quote_card(ctx: BuildContext, quote: Mapping[str, Any], span: int = 12) -> TextCard:
    """A quotation and its attribution in one paragraph, on a panel: a band, one line when the
    quote is short."""
    text = ctx.text(f"“{str(quote['text']).strip()}”")
    runs, figures = text.runs, text.figures
    if quote.get("by"):
        by = ctx.text(f" — {quote['by']}")
        runs += tuple(Run(r.text, r.bold, Role.SECONDARY) for r in by.runs)
        figures += by.figures
    paras = (Para(runs, TextStyle.QUOTE, figures=figures),)
    return TextCard(name="Quote", paras=paras, span=span, panel=True, keep_together=True)


# -- notes and sources ------------------------------------------------------------------------


def speaker_notes(
    ctx: BuildContext,
    talking_points: Sequence[str],
    figures: Sequence[FigureUse],
    continued_from: str = "",
    extra: Sequence[str] = (),
) -> str:
    """Talking points, then the source of every figure on the slide."""
    lines: list[str] = []
    if continued_from:
        lines.append(f"Continues “{continued_from}”.")
    lines.extend(ctx.plain(point) for point in talking_points)
    lines.extend(extra)
    sources = _figure_sources(figures)
    if sources:
        if lines:
            lines.append("")
        lines.append("Sources of the figures on this slide:")
        lines.extend(sources)
    return "\n".join(lines)


def _figure_sources(figures: Sequence[FigureUse]) -> list[str]:
    seen: set[tuple[str, str]] = set()
    lines = []
    for fig in figures:
        key = (fig.text, fig.source)
        if key in seen or not fig.text or fig.unit == SLIDE_NUMBER:
            continue
        seen.add(key)
        cited = f"; {fig.citation}" if fig.citation else ""
        shown = fig.text if len(fig.text) <= NOTE_QUOTE else fig.text[: NOTE_QUOTE - 1] + "…"
        if fig.unit == WORDS and not any(c.isdigit() for c in fig.text):
            continue  # words without figures need no source line in the notes
        lines.append(f"- {shown}: {fig.source}{cited}")
    return lines


def shows_figures(figures: Sequence[FigureUse]) -> bool:
    """Whether a slide shows numbers from the workbook (not only words or slide numbers)."""
    return any(f.unit not in (WORDS, SLIDE_NUMBER) for f in figures)


def source_line(ctx: BuildContext, figures: Sequence[FigureUse], override: str = "") -> str:
    """The one-line source above the footer, for slides that show figures."""
    if override:
        return ctx.plain(override)
    if not shows_figures(figures):
        return ""
    citations = {f.citation.split(":")[0].strip() for f in figures if f.citation}
    workbook = ctx.model.path.replace("\\", "/").rsplit("/", 1)[-1]
    organisation = ctx.model.about.organisation
    cited = "; ".join(sorted(c for c in citations if c))
    text = f"Source: {organisation} ({workbook}"
    text += f"; {cited})" if cited else ")"
    text += ". Each figure's source is in the notes."
    width = ctx.geometry.width / 12_700 - 2 * GRID.margin_x * 72
    if ctx.measurer.width(text, STYLES[TextStyle.SOURCE].size) > width:
        text = f"Source: {organisation} ({workbook}). Each figure's source is in the notes."
    return text


def centered(text: RichText, style: TextStyle) -> Para:
    return Para(text.runs, style, align=Align.CENTER, figures=text.figures)


MIDDLE = Anchor.MIDDLE
