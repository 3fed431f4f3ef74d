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


def escape_text(text: str) -> str:
    """Text content escaped as lxml writes it, so markup written as text gives the same bytes."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def quote_attr(value: str) -> str:
    """An attribute value in double quotes, escaped (newlines and tabs kept as characters)."""
    escaped = escape_text(value).replace('"', "&quot;")
    return '"' + escaped.replace("\n", "&#10;").replace("\t", "&#9;") + '"'
