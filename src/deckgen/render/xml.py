"""Small XML edits python-pptx has no API for, kept in schema order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lxml import etree


def sort_children(element: Any, order: Sequence[str]) -> None:
    """Put an element's children in the schema's order (unknown ones last, order kept).

    PowerPoint offers to repair a file whose elements are out of order; LibreOffice and
    python-pptx do not notice, so every hand-made element goes through here.
    """
    rank = {name: i for i, name in enumerate(order)}
    children = list(element)
    children.sort(key=lambda child: rank.get(etree.QName(child).localname, len(rank)))
    for child in children:
        element.append(child)
