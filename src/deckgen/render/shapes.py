"""Autoshapes (panels, arrows, rules), alt text, and marking decoration as decorative."""

from __future__ import annotations

from typing import Any

from lxml import etree
from pptx.enum.shapes import MSO_SHAPE
from pptx.oxml.ns import qn
from pptx.util import Emu

from deckgen.render.colors import fill_solid
from deckgen.specs import ShapeKind, ShapeSpec

AUTOSHAPES = {
    ShapeKind.RECTANGLE: MSO_SHAPE.RECTANGLE,
    ShapeKind.ARROW_UP: MSO_SHAPE.UP_ARROW,
    ShapeKind.ARROW_DOWN: MSO_SHAPE.DOWN_ARROW,
    ShapeKind.RULE: MSO_SHAPE.RECTANGLE,
}
# Office's "Mark as decorative": screen readers skip the shape.
DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"


def add_shape(shapes: Any, spec: ShapeSpec) -> Any:
    """Draw an autoshape; shapes without a description are marked decorative."""
    box = spec.box
    shape = shapes.add_shape(
        AUTOSHAPES[spec.kind], Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height)
    )
    shape.name = spec.name
    style = shape._element.find(qn("p:style"))
    if style is not None:  # the theme's shape style brings an outline and a shadow
        shape._element.remove(style)
    fill_solid(shape.fill, spec.fill)
    shape.line.fill.background()
    if spec.description:
        set_description(shape, spec.description)
    else:
        mark_decorative(shape)
    return shape


def set_description(shape: Any, description: str, title: str = "") -> None:
    """Set a shape's alt text (cNvPr descr), which python-pptx has no API for."""
    c_nv_pr = _c_nv_pr(shape)
    c_nv_pr.set("descr", description)
    if title:
        c_nv_pr.set("title", title)


def mark_decorative(shape: Any) -> None:
    c_nv_pr = _c_nv_pr(shape)
    ext_lst = c_nv_pr.find(qn("a:extLst"))
    if ext_lst is None:
        ext_lst = etree.SubElement(c_nv_pr, qn("a:extLst"))
    ext = etree.SubElement(ext_lst, qn("a:ext"))
    ext.set("uri", DECORATIVE_EXT)
    flag = etree.SubElement(ext, f"{{{DECORATIVE_NS}}}decorative", nsmap={"adec": DECORATIVE_NS})
    flag.set("val", "1")


def _c_nv_pr(shape: Any) -> Any:
    return shape._element.find(".//" + qn("p:cNvPr"))
