"""python-pptx's queries, compiled once, find what lxml finds compiling them each time."""

from __future__ import annotations

from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import _nsmap

from deckgen.render import xpaths
from tests.conftest import TEMPLATE

QUERIES = ("./*[1]/p:nvPr/p:ph", "//@id", "./p:cSld/p:spTree/p:sp", "./*[1]/p:cNvPr/@name")


def test_compiled_queries_find_what_lxml_finds() -> None:
    xpaths.install()
    prs = Presentation(str(TEMPLATE))
    elements = [
        shape._element
        for master in prs.slide_masters
        for layout in master.slide_layouts
        for shape in layout.shapes
    ]
    elements += [layout._element for layout in prs.slide_layouts]
    checked = 0
    for element in elements:
        for query in QUERIES:
            expected = etree.ElementBase.xpath(element, query, namespaces=_nsmap)
            found = element.xpath(query)
            assert found == expected
            checked += bool(found)
    assert checked > 20  # the queries found things, so the comparison means something
    assert any(shape.is_placeholder for layout in prs.slide_layouts for shape in layout.shapes)


def test_queries_with_an_index_are_not_all_kept() -> None:
    xpaths.install()
    prs = Presentation(str(TEMPLATE))
    element = prs.slide_layouts[0]._element
    for index in range(xpaths.MAX_KEPT + 50):
        assert element.xpath(f"./p:cSld[@name='{index}']") == []
    assert len(xpaths._compiled) <= xpaths.MAX_KEPT
