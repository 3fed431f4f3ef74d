"""Edit some elements of an XML part and keep every other byte of it as it was.

Serialising a whole part again would rewrite shapes deckgen never made: lxml writes `<a/>` where
LibreOffice wrote `<a></a>`, its own XML declaration, its own choice of escapes. Instead each
element's byte span in the original is found (expat reports where each tag starts), and only the
spans of the elements refresh changed are replaced by their new serialisation.
"""

from __future__ import annotations

import re
from typing import Any
from xml.parsers import expat

from lxml import etree

PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, remove_comments=False
)


class SpliceError(ValueError):
    """The part's bytes and its tree do not line up (never expected of a well-formed part)."""


class EditablePart:
    """An XML part parsed for editing, its original bytes kept to splice changes into."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.root = etree.fromstring(data, PARSER)
        self._elements = list(self.root.iter(tag=etree.Element))
        self._index = {element: number for number, element in enumerate(self._elements)}
        self._spans: list[tuple[int, int]] | None = None
        self._changed: list[Any] = []

    def changed(self, element: Any) -> None:
        """Note that `element` (one of the part's original elements) has been edited."""
        if element not in self._index:
            raise SpliceError("only elements present when the part was read can be spliced")
        if element not in self._changed:
            self._changed.append(element)

    @property
    def dirty(self) -> bool:
        return bool(self._changed)

    def to_bytes(self) -> bytes:
        """The part with each changed element's span replaced; the rest byte for byte."""
        if not self._changed:
            return self.data
        if (self.root.getroottree().docinfo.encoding or "UTF-8").upper() != "UTF-8":
            whole: bytes = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8")
            return whole  # spans of another encoding cannot take UTF-8 pieces
        spans = self._spans or _spans(self.data, len(self._elements))
        self._spans = spans
        chosen = _outermost(self._changed)
        pieces: list[tuple[int, int, bytes]] = []
        for element in chosen:
            start, end = spans[self._index[element]]
            pieces.append((start, end, _serialise(element)))
        pieces.sort()
        out, cursor = [], 0
        for start, end, text in pieces:
            out.append(self.data[cursor:start])
            out.append(text)
            cursor = end
        out.append(self.data[cursor:])
        return b"".join(out)


def _outermost(elements: list[Any]) -> list[Any]:
    """Drop elements inside another changed element: the outer one carries them."""
    chosen = set(elements)
    result = []
    for element in elements:
        parent = element.getparent()
        while parent is not None and parent not in chosen:
            parent = parent.getparent()
        if parent is None:
            result.append(element)
    return result


def _serialise(element: Any) -> bytes:
    """An element's markup, without the namespace declarations its place already gives it."""
    markup: bytes = etree.tostring(element, encoding="UTF-8", with_tail=False)
    text = markup.removeprefix(b"<?xml version='1.0' encoding='UTF-8'?>\n")
    parent = element.getparent()
    if parent is None:
        return text
    inherited = parent.nsmap
    end = _tag_end(text, 0)
    start_tag = _DECLARATION.sub(
        lambda m: b"" if inherited.get(m.group(1).decode()) == m.group(2).decode() else m.group(0),
        text[:end],
    )
    return start_tag + text[end:]


_DECLARATION = re.compile(rb' xmlns:([A-Za-z_][\w.-]*)="([^"]*)"')


def _spans(data: bytes, count: int) -> list[tuple[int, int]]:
    """Byte span [start, end) of every element, in document order."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    starts: list[int] = []
    ends: list[int] = [0] * count
    stack: list[int] = []

    def start(_name: str, _attrs: Any) -> None:
        stack.append(len(starts))
        starts.append(parser.CurrentByteIndex)

    def end(_name: str) -> None:
        number = stack.pop()
        at = parser.CurrentByteIndex
        # An empty element (<a/>) ends where its start tag ends, and expat reports the byte after
        # it; any other element ends with the end tag expat reports the start of.
        start_tag_end = _tag_end(data, starts[number])
        empty = start_tag_end == at and data[at - 2 : at] == b"/>"
        ends[number] = at if empty else _tag_end(data, at)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.Parse(data, True)
    if len(starts) != count:
        raise SpliceError(f"expat saw {len(starts)} elements, lxml {count}")
    return list(zip(starts, ends, strict=True))


def _tag_end(data: bytes, at: int) -> int:
    """The byte after the tag starting at `at` ('<' of an end tag or of an empty element)."""
    quote = 0
    for position in range(at, len(data)):
        byte = data[position]
        if quote:
            if byte == quote:
                quote = 0
        elif byte in (0x22, 0x27):  # " '
            quote = byte
        elif byte == 0x3E:  # >
            return position + 1
    raise SpliceError("a tag does not end")
