"""Fingerprints of a chart's formatting, with its data left out.

The renderer records them when it writes a chart; refresh compares them with the chart it finds
in a talk. Equal: nobody restyled the chart (or the series), so deckgen may redraw the parts of
its look that follow the data (forecast hatching, call-outs, axis bounds). Different: the user
restyled it, and only the data is brought up to date.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from lxml import etree

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# A series' data (and its identity), as opposed to its look.
SERIES_DATA = frozenset(f"{{{C}}}{n}" for n in ("idx", "order", "tx", "cat", "val", "extLst"))
_DATA = frozenset(f"{{{C}}}{n}" for n in ("tx", "cat", "val", "externalData"))
_NOISE = frozenset((f"{{{C}}}extLst", f"{{{MC}}}AlternateContent", f"{{{C}}}externalData"))
DIGITS = 16


def digest(element: Any) -> str:
    """A short hash of an element's canonical XML, extensions and data left out, and the ids of
    relationships too (every copy into another deck numbers them anew)."""
    clean = copy.deepcopy(element)
    for node in list(clean.iter()):
        if node.tag in _NOISE and node is not clean:
            node.getparent().remove(node)
            continue
        for key in [k for k in node.attrib if k.startswith(_R)]:
            del node.attrib[key]
    return bytes_digest(etree.tostring(clean, method="c14n"))


def bytes_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:DIGITS]


def series_look(series: Any) -> str:
    """The fingerprint of a series' look: everything but its data."""
    clean = copy.deepcopy(series)
    for child in list(clean):
        if child.tag in SERIES_DATA:
            clean.remove(child)
    return digest(clean)


def chart_look(chart_space: Any) -> str:
    """The fingerprint of a whole chart's look: every series' data left out."""
    clean = copy.deepcopy(chart_space)
    for series in clean.iter(f"{{{C}}}ser"):
        for child in list(series):
            if child.tag in _DATA:
                series.remove(child)
    return digest(clean)


def axis_bounds(chart_space: Any) -> list[list[float | None]]:
    """[min, max, major unit] of each value axis, in order (None where the chart sets none)."""
    bounds = []
    for axis in chart_space.iter(f"{{{C}}}valAx"):
        scaling = axis.find(f"{{{C}}}scaling")
        unit = axis.find(f"{{{C}}}majorUnit")
        row: list[float | None] = []
        for element in (
            scaling.find(f"{{{C}}}min") if scaling is not None else None,
            scaling.find(f"{{{C}}}max") if scaling is not None else None,
            unit,
        ):
            row.append(_float(element.get("val")) if element is not None else None)
        bounds.append(row)
    return bounds


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def series_name(series: Any) -> str:
    """A series' name as its cache (or literal) shows it; "" when it has none."""
    tx = series.find(f"{{{C}}}tx")
    if tx is None:
        return ""
    value = tx.find(f".//{{{C}}}v")
    return (value.text or "") if value is not None else ""


def series_looks(chart_space: Any) -> dict[str, str]:
    """Each series' look, by series name."""
    return {series_name(s): series_look(s) for s in chart_space.iter(f"{{{C}}}ser")}
