"""Rule: no text spills out of its box or table, as PowerPoint draws it.

Autofit is not trusted to happen: PowerPoint works out normAutofit's shrink only once someone
edits the text, and spAutoFit's resize likewise, so text is measured at the size its runs
resolve to, under the shrink the file stores (fontScale, lnSpcReduction), which PowerPoint
draws as stored. A bare normAutofit stores none.
A box overflows when its paragraphs and insets need more height than it has, or a word (a line,
when the box does not wrap) is wider than the box. A table's rows grow to their text in
PowerPoint, so a table overflows when its grown rows no longer fit its frame or the slide.
Charts are left alone: the chart engine lays out their text.
"""

from __future__ import annotations

from dataclasses import dataclass

from deckgen.autofit import Shrink
from deckgen.checks.deck import Deck, Slide
from deckgen.checks.findings import Cause, Finding, Rule, inches
from deckgen.checks.measure import ParagraphFit, TextMeasure
from deckgen.checks.ooxml import qn
from deckgen.checks.shapes import ShapeView
from deckgen.checks.slidetext import SlideText
from deckgen.checks.tables import Table
from deckgen.checks.textstyle import ParagraphStyle, body_props, cell_insets, shrunk
from deckgen.specs import EMU_PER_INCH, EMU_PER_POINT, Emu

TOLERANCE = Emu(EMU_PER_POINT // 2)  # half a point: rounding, not overflow


def _lengths(needed: float, has: float) -> tuple[str, str]:
    """Two lengths (EMU) as shown, with a second decimal when one would show them equal."""
    shown_needed, shown_has = inches(needed), inches(has)
    if shown_needed == shown_has:
        return f"{needed / EMU_PER_INCH:.2f} in", f"{has / EMU_PER_INCH:.2f} in"
    return shown_needed, shown_has


def _needs(needed: float, has: float, what: str) -> str:
    """'needs X in, box has Y in'."""
    shown_needed, shown_has = _lengths(needed, has)
    return f"needs {shown_needed}, {what} has {shown_has}"


def check_overflow(
    deck: Deck, slide: Slide, shapes: list[ShapeView], text: SlideText, measure: TextMeasure
) -> list[Finding]:
    findings: list[Finding] = []
    for view in shapes:
        if view.kind == "sp" and view.box is not None:
            findings.extend(_text_box(slide, view, text, measure))
        elif view.kind == "graphicFrame" and view.box is not None:
            table = text.table(view)
            if table is not None:
                findings.extend(_table(deck, slide, view, table, text, measure))
    return findings


def _finding(slide: Slide, view: ShapeView, message: str, part: str = "") -> Finding:
    cause = _template_cause(view, message)
    layout = ""
    if cause is not None and slide.layout is not None:
        data = slide.layout.root.find(qn("p:cSld"))
        layout = str(data.get("name") or "") if data is not None else ""
    return Finding(
        Rule.OVERFLOW, message, slide.number, slide.name, view.name, view.order, part, cause, layout
    )


def _template_cause(view: ShapeView, message: str) -> Cause | None:
    """A footer placeholder in the size and place its layout gives it, too small for the
    footer's words: the template's to change (or the words)."""
    placeholder = view.placeholder
    if placeholder is None or not placeholder.is_footer or view.box is None:
        return None
    own = view.element.find(f"{qn('p:spPr')}/{qn('a:xfrm')}")
    if own is not None:
        return None  # moved or resized on the slide itself
    size = f"{view.box.width / EMU_PER_INCH:.2f} x {view.box.height / EMU_PER_INCH:.2f} in"
    return Cause(
        f"a footer placeholder ({size}) is too small for its words: {message}",
        "make the footer placeholders larger in the slide master (View › Slide Master), "
        "or shorten the footer's words",
    )


@dataclass(frozen=True)
class BoxFit:
    """How a text box's text fits it under a shrink: heights and widths in EMU."""

    needed: float  # height, insets included
    height: float  # the box's (its width, for vertical text)
    widest: ParagraphFit  # the paragraph whose widest word (or line) overhangs most
    wrap: bool

    @property
    def too_tall(self) -> bool:
        return self.needed > self.height + TOLERANCE

    @property
    def too_wide(self) -> bool:
        return self.widest.widest_width > self.widest.available + TOLERANCE / EMU_PER_POINT

    @property
    def fits(self) -> bool:
        return not self.too_tall and not self.too_wide


def box_fit(
    view: ShapeView,
    paragraphs: list[ParagraphStyle],
    measure: TextMeasure,
    shrink: Shrink | None = None,
) -> BoxFit | None:
    """Measure a shape's text in its box, as PowerPoint draws it under `shrink` (by default
    the one the shape stores); None for a shape with no box or no words."""
    if view.text_body is None or view.box is None or not any(p.text.strip() for p in paragraphs):
        return None
    props = body_props(view)
    applied = props.shrink if shrink is None else shrink
    left, right, top, bottom = props.insets
    width, height = view.box.width, view.box.height
    if props.vertical:
        width, height = height, width
    inner = Emu(width - left - right)
    fits = [measure.paragraph(shrunk(p, applied), inner, props.wrap) for p in paragraphs]
    needed = sum(f.height for f in fits) * EMU_PER_POINT + top + bottom
    widest = max(fits, key=lambda f: f.widest_width - f.available)
    return BoxFit(needed, height, widest, props.wrap)


def _text_box(
    slide: Slide, view: ShapeView, text: SlideText, measure: TextMeasure
) -> list[Finding]:
    fit = box_fit(view, text.shape_paragraphs(view), measure)
    if fit is None:
        return []
    findings: list[Finding] = []
    if fit.too_tall:
        findings.append(_finding(slide, view, "text " + _needs(fit.needed, fit.height, "box")))
    if fit.too_wide:
        widest = fit.widest
        what = "word" if fit.wrap else "line"
        needed_across, has_across = _lengths(
            widest.widest_width * EMU_PER_POINT, widest.available * EMU_PER_POINT
        )
        message = (
            f"{what} '{_shorten(widest.widest)}' needs {needed_across} across, "
            f"the box has {has_across}"
        )
        findings.append(_finding(slide, view, message))
    return findings


def _shorten(text: str, most: int = 40) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _table(
    deck: Deck,
    slide: Slide,
    view: ShapeView,
    table: Table,
    text: SlideText,
    measure: TextMeasure,
) -> list[Finding]:
    """Grow each row to its text; report the rows that grow if the table no longer fits."""
    if view.box is None:
        return []
    needs = [0.0] * len(table.row_heights)
    for cell in table.cells:
        if cell.row >= len(needs):
            continue
        paragraphs = text.cell_paragraphs(table, cell)
        if not any(p.text.strip() for p in paragraphs):
            continue
        left, right, top, bottom = cell_insets(cell.properties)
        inner = Emu(cell.width - left - right)
        lines = sum(measure.height(p, inner) for p in paragraphs) * EMU_PER_POINT
        need = lines + top + bottom
        last = min(cell.row + cell.row_span, len(needs)) - 1
        spanned_above = sum(table.row_heights[cell.row : last])
        needs[last] = max(needs[last], need - spanned_above)
    grown = [max(float(h), n) for h, n in zip(table.row_heights, needs, strict=True)]
    total = sum(grown)
    bottom_edge = view.box.top + total
    if total <= view.box.height + TOLERANCE and bottom_edge <= deck.height + TOLERANCE:
        return []
    findings = [
        _finding(slide, view, "text " + _needs(need, height, "row"), f"row {index + 1}")
        for index, (height, need) in enumerate(zip(table.row_heights, needs, strict=True))
        if need > height + TOLERANCE
    ]
    if not findings:
        findings.append(_finding(slide, view, "rows " + _needs(total, view.box.height, "frame")))
    elif bottom_edge > deck.height + TOLERANCE:
        findings.append(
            _finding(
                slide,
                view,
                f"grown to its text the table ends {inches(bottom_edge)} down "
                f"a {inches(deck.height)} slide",
            )
        )
    return findings
