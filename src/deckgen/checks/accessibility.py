"""Rule: charts, pictures and diagrams can be described by a screen reader; tables have headers.

Alt text is the cNvPr descr. A file name is not a description (python-pptx writes the picture's
file name there), and a shape marked decorative in PowerPoint needs none. A table's header row
(tblPr firstRow) is what lets a screen reader say which column a figure is in.
"""

from __future__ import annotations

import re

from deckgen.checks.deck import Slide
from deckgen.checks.findings import Finding, Rule
from deckgen.checks.ooxml import (
    GRAPHIC_DIAGRAM,
    GRAPHIC_TABLE,
    Element,
    bool_attr,
    is_chart,
    local_name,
    qn,
)
from deckgen.checks.shapes import ShapeView

# A description that is nothing but a file name (or path) of an image.
FILE_NAME = re.compile(
    r"^[^\n]{0,200}\.(?:png|jpe?g|gif|bmp|tiff?|emf|wmf|svg|webp|ico|heic)$", re.IGNORECASE
)


def check_accessibility(slide: Slide, shapes: list[ShapeView]) -> list[Finding]:
    findings: list[Finding] = []
    for view in shapes:
        what = _needs_alt_text(view)
        if what:
            problem = _alt_text_problem(view)
            if problem:
                findings.append(_finding(Rule.ALT_TEXT, slide, view, f"{what} {problem}"))
        data = view.graphic_data() if view.kind == "graphicFrame" else None
        if data is not None and data.get("uri") == GRAPHIC_TABLE:
            table_pr = data.find(f"{qn('a:tbl')}/{qn('a:tblPr')}")
            if not bool_attr(table_pr, "firstRow"):
                message = (
                    "table has no header row (tblPr firstRow), so cells cannot be read by column"
                )
                findings.append(_finding(Rule.TABLE_HEADER, slide, view, message))
    return findings


def _needs_alt_text(view: ShapeView) -> str:
    """ "chart", "picture" or "diagram" when the shape must describe itself, else ""."""
    if view.kind == "pic":
        return "picture"
    if view.kind != "graphicFrame":
        return ""
    data = view.graphic_data()
    if is_chart(data):
        return "chart"
    if data is not None and data.get("uri") == GRAPHIC_DIAGRAM:
        return "diagram"
    return ""


def _alt_text_problem(view: ShapeView) -> str:
    c_nv_pr = view.non_visual
    if c_nv_pr is None:
        return "has no alt text"
    if is_decorative(c_nv_pr):
        return ""
    description = " ".join(str(c_nv_pr.get("descr") or "").split())
    if not description:
        return "has no alt text (descr)"
    if FILE_NAME.match(description):
        return f"has only a file name for alt text ('{description}')"
    return ""


def is_decorative(c_nv_pr: Element) -> bool:
    """Marked decorative in PowerPoint (adec:decorative val="1" in the cNvPr extensions)."""
    for element in c_nv_pr.iter():
        if local_name(element) == "decorative" and bool_attr(element, "val"):
            return True
    return False


def _finding(rule: Rule, slide: Slide, view: ShapeView, message: str) -> Finding:
    return Finding(rule, message, slide.number, slide.name, view.name, view.order)
