"""Namespaces, relationship types and content types refresh reads and writes."""

from __future__ import annotations

from functools import cache

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "dg": "https://deckgen.invalid/identity/1",
}
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_OFFICE_DOCUMENT = f"{_REL}/officeDocument"
REL_PACKAGE = f"{_REL}/package"
REL_USER_SHAPES = f"{_REL}/chartUserShapes"
CT_CHART_DRAWING = "application/vnd.openxmlformats-officedocument.drawingml.chartshapes+xml"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GRAPHIC_CHART = NS["c"]
GRAPHIC_TABLE = "http://schemas.openxmlformats.org/drawingml/2006/table"


@cache
def qn(name: str) -> str:
    """ "a:t" -> "{http://...}t"."""
    prefix, _, local = name.partition(":")
    return f"{{{NS[prefix]}}}{local}"
