"""Rule: no text spills out of its box or table, as PowerPoint draws it at the nominal size.

Autofit is not trusted: PowerPoint applies normAutofit's shrink only once someone edits the
text, and spAutoFit's resize likewise, so text is measured at the size its runs resolve to.
A box overflows when its paragraphs and insets need more height than it has, or a word (a line,
when the box does not wrap) is wider than the box. A table's rows grow to their text in
PowerPoint, so a table overflows when its grown rows no longer fit its frame or the slide.
Charts are left alone: the chart engine lays out their text.
"""

from __future__ import annotations

from deckgen.checks.deck import Deck, Slide
from deckgen.checks.findings import Finding, Rule, inches
from deckgen.checks.measure import TextMeasure
from deckgen.checks.shapes import ShapeView
from deckgen.checks.slidetext import SlideText
from deckgen.checks.tables import Table
from deckgen.checks.textstyle import body_props, cell_insets
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
    return Finding(Rule.OVERFLOW, message, slide.number, slide.name, view.name, view.order, part)


def _text_box(
    slide: Slide, view: ShapeView, text: SlideText, measure: TextMeasure
) -> list[Finding]:
    if view.text_body is None or view.box is None:
        return []
    paragraphs = text.shape_paragraphs(view)
    if not any(p.text.strip() for p in paragraphs):
        return []
    props = body_props(view)
    left, right, top, bottom = props.insets
    width, height = view.box.width, view.box.height
    if props.vertical:
        width, height = height, width
    inner = Emu(width - left - right)
    fits = [measure.paragraph(p, inner, props.wrap) for p in paragraphs]
    findings: list[Finding] = []
    needed = sum(f.height for f in fits) * EMU_PER_POINT + top + bottom
    if needed > height + TOLERANCE:
        findings.append(_finding(slide, view, "text " + _needs(needed, height, "box")))
    widest = max(fits, key=lambda f: f.widest_width - f.available)
    if widest.widest_width > widest.available + TOLERANCE / EMU_PER_POINT:
        what = "word" if props.wrap else "line"
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
