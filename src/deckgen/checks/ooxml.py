"""The OOXML vocabulary the checks read: namespaces, qualified names and forgiving readers.

A deck from anywhere may carry attributes no schema allows ("12pt" where an integer belongs);
the readers fall back to the default instead of raising, so a damaged file yields findings
rather than a traceback.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any, TypeAlias

Element: TypeAlias = Any  # an lxml element; lxml ships no type information

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "dgm": "http://schemas.openxmlformats.org/drawingml/2006/diagram",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
GRAPHIC_CHART = NS["c"]
GRAPHIC_DIAGRAM = NS["dgm"]
GRAPHIC_TABLE = "http://schemas.openxmlformats.org/drawingml/2006/table"
CHART_URI_ENDINGS = ("/chart", "/chartex")  # DrawingML charts and Office 2016 chartex

TAG_CACHE_SIZE = 1024  # local names remembered: far more tags than any real deck uses
TRUE_VALUES = frozenset({"1", "true", "on"})
FALSE_VALUES = frozenset({"0", "false", "off"})


@cache
def qn(name: str) -> str:
    """Clark notation of a prefixed name: "a:t" -> "{http://...}t" (worked out once per name:
    the checks ask for the same few names millions of times on a large deck)."""
    prefix, _, local = name.partition(":")
    return f"{{{NS[prefix]}}}{local}"


# The names the rules look up for every paragraph, run and cell, in Clark notation.
A_P = qn("a:p")
A_R = qn("a:r")
A_T = qn("a:t")
A_PPR = qn("a:pPr")
A_RPR = qn("a:rPr")
A_DEF_RPR = qn("a:defRPr")
A_END_PARA_RPR = qn("a:endParaRPr")
A_LATIN = qn("a:latin")
A_LST_STYLE = qn("a:lstStyle")
A_TX_BODY = qn("a:txBody")
A_TC_PR = qn("a:tcPr")
A_SPC_PCT = qn("a:spcPct")
A_SPC_PTS = qn("a:spcPts")
LEVEL_TAGS = tuple(qn(f"a:lvl{level}pPr") for level in range(1, 10))  # lvl1pPr .. lvl9pPr
P_TX_BODY = qn("p:txBody")
P_SP_PR = qn("p:spPr")
P_CNV_PR = qn("p:cNvPr")


def local_name(element: Element) -> str:
    """The tag without its namespace ("sp" for p:sp); "" for comments and the like."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return _local(tag)


@lru_cache(maxsize=TAG_CACHE_SIZE)
def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def int_attr(element: Element | None, name: str, default: int) -> int:
    """An integer attribute, or `default` when absent or not an integer."""
    if element is None:
        return default
    value = element.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        return default


def optional_int(element: Element | None, name: str) -> int | None:
    """An integer attribute, or None when absent or not an integer."""
    if element is None or element.get(name) is None:
        return None
    try:
        return int(element.get(name))
    except ValueError:
        return None


def bool_attr(element: Element | None, name: str) -> bool | None:
    """A boolean attribute (xsd:boolean or on/off), None when absent or unreadable."""
    if element is None:
        return None
    value = element.get(name)
    if value is None:
        return None
    if value.strip().lower() in TRUE_VALUES:
        return True
    if value.strip().lower() in FALSE_VALUES:
        return False
    return None


def str_attr(element: Element | None, name: str, default: str = "") -> str:
    if element is None:
        return default
    value = element.get(name)
    return default if value is None else str(value)


def paragraph_text(paragraph: Element) -> str:
    """A paragraph's text as shown: runs, fields, and line breaks as newlines."""
    parts: list[str] = []
    for child in paragraph:
        name = local_name(child)
        if name in ("r", "fld"):
            parts.append(child.findtext(qn("a:t")) or "")
        elif name == "br":
            parts.append("\n")
    return "".join(parts)


def body_text(body: Element | None) -> str:
    """A text body's paragraphs joined by newlines ("" when there is no body)."""
    if body is None:
        return ""
    return "\n".join(paragraph_text(p) for p in body.iterfind(qn("a:p")))


def is_chart(graphic_data: Element | None) -> bool:
    """Whether a graphic frame's graphicData holds a chart."""
    return graphic_data is not None and str(graphic_data.get("uri") or "").endswith(
        CHART_URI_ENDINGS
    )
