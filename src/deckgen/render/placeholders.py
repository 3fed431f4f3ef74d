"""How a template's placeholders set their text: font, size, weight, insets, spacing.

A title or footer written into a layout's placeholder takes what deckgen does not write itself
from the template: the heading font, the weight, capitals, the insets, the footer's size and
spacing. The planner must measure with the same or it fits a title the check then finds too
tall. So the text of each placeholder is resolved here through the gate's own style chain
(checks/textstyle.py), links in the order PowerPoint reads them for a slide placeholder that
sets nothing of its own: the layout's placeholder, the master's, the master's text style, the
presentation's defaults.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from deckgen.checks.ooxml import qn
from deckgen.checks.shapes import MASTER_TYPE, Placeholder, ShapeView, placeholder_of
from deckgen.checks.textstyle import (
    OTHER_STYLE,
    TEXT_STYLE_OF,
    Layer,
    StyleChain,
    body_props,
)
from deckgen.specs import Emu, PlaceholderText

_PROBE = (
    '<p:txBody xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:bodyPr/><a:p>'
    '<a:r><a:rPr lang="en-GB"/><a:t>x</a:t></a:r></a:p></p:txBody>'
)


def placeholder_text(
    layout_shape: Any,
    master: Any,
    presentation: Any,
    major_font: str,
    minor_font: str,
) -> PlaceholderText:
    """How text put into `layout_shape` (a layout's p:sp placeholder) is set, given the
    layout's slide master element (`master`), the presentation element and the theme fonts."""
    own = placeholder_of(layout_shape) or Placeholder("obj", 0)
    master_shape = _master_placeholder(master, own)
    layers = [Layer(list_style=_list_style(layout_shape))]
    if master_shape is not None:
        layers.append(Layer(list_style=_list_style(master_shape)))
    styles = master.find(qn("p:txStyles")) if master is not None else None
    bucket = TEXT_STYLE_OF.get(own.type, OTHER_STYLE)
    if styles is not None:
        layers.append(Layer(list_style=styles.find(qn(f"p:{bucket}"))))
    if presentation is not None:
        layers.append(Layer(list_style=presentation.find(qn("p:defaultTextStyle"))))
    chain = StyleChain(tuple(layers), major_font, minor_font)
    paragraph = chain.paragraphs(etree.fromstring(_PROBE))[0]
    run = paragraph.runs[0]
    inherited = tuple(e for e in (layout_shape, master_shape) if e is not None)
    probe = ShapeView(layout_shape, "sp", "", 0, None, 0.0, own, inherited, None)
    props = body_props(probe)
    line = paragraph.line_spacing
    return PlaceholderText(
        font=run.typeface,
        size=run.size,
        bold=run.bold,
        italic=run.italic,
        caps=run.text != "x",  # capitals: the probe's text came back upper case
        insets=props.insets,
        wrap=props.wrap,
        margins=Emu(paragraph.margin_left + paragraph.margin_right + max(paragraph.indent, 0)),
        line_spacing=line.lines if line.lines is not None else 1.0,
        line_points=line.points,
        space_before=paragraph.space_before.points or 0.0,
        space_after=paragraph.space_after.points or 0.0,
        space_lines=(paragraph.space_before.lines or 0.0, paragraph.space_after.lines or 0.0),
    )


def _master_placeholder(master: Any, own: Placeholder) -> Any:
    """The master's placeholder a layout placeholder takes what it does not say from: by type."""
    if master is None:
        return None
    tree = master.find(f"{qn('p:cSld')}/{qn('p:spTree')}")
    wanted = MASTER_TYPE.get(own.type, own.type)
    for element in tree if tree is not None else ():
        found = placeholder_of(element) if len(element) else None
        if found is not None and MASTER_TYPE.get(found.type, found.type) == wanted:
            return element
    return None


def _list_style(shape: Any) -> Any:
    body = shape.find(qn("p:txBody"))
    return body.find(qn("a:lstStyle")) if body is not None else None
