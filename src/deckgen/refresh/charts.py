"""Bring a reused native chart up to date: its data, its workbook, the user's look kept.

The chart's cached categories, values and series names come from the deck's chart, and its
embedded workbook is written again from them (so Edit Data in PowerPoint shows the new
numbers). How much of the deck's chart comes along depends on what the user did to it:

- nobody restyled it (its look matches the fingerprint deckgen recorded): the deck's chart
  replaces it whole, so the look that follows the data (forecast hatching, the break-even
  call-out, the axis bounds) follows too;
- it was restyled: only the data changes. A series nobody restyled takes the deck's look for
  its points and labels; an axis whose bounds the user did not set takes the deck's bounds.

A series or category the deck added is added, one it dropped is dropped; a series the user added
by hand stays and is reported. The chart's size and position are the graphic frame's, on the
slide, which this never touches.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from lxml import etree

from deckgen.chartbook import SHEET, Column, chart_workbook
from deckgen.identity import Record
from deckgen.refresh import fingerprint
from deckgen.refresh.names import (
    CT_CHART_DRAWING,
    CT_XLSX,
    NS,
    REL_PACKAGE,
    REL_USER_SHAPES,
    qn,
)
from deckgen.refresh.package import Package
from deckgen.refresh.report import Change, Conflict, Outcome
from deckgen.refresh.text import Where

_SER, _TX, _CAT, _VAL, _IDX, _ORDER = (
    qn("c:ser"),
    qn("c:tx"),
    qn("c:cat"),
    qn("c:val"),
    qn("c:idx"),
    qn("c:order"),
)
_EXTERNAL = qn("c:externalData")
_USER_SHAPES = qn("c:userShapes")
DRAWING = "ppt/drawings/drawing%d.xml"
EMBEDDING = "ppt/embeddings/Microsoft_Excel_Sheet%d.xlsx"
# Children of a series that come after its values, per chart type (the schema's order).
_AFTER_VALUES = tuple(qn(f"c:{n}") for n in ("shape", "smooth", "bubbleSize", "bubble3D", "extLst"))
# Children of a value axis that come after c:majorUnit.
_AFTER_MAJOR_UNIT = tuple(qn(f"c:{n}") for n in ("minorUnit", "dispUnits", "extLst"))
# Children of c:chartSpace that come after c:externalData.
_AFTER_EXTERNAL = tuple(qn(f"c:{n}") for n in ("printSettings", "userShapes", "extLst"))


def chart_part(package: Package, slide_part: str, frame: Any) -> str | None:
    """The member name of the chart a graphic frame shows."""
    chart = frame.find(f"{qn('a:graphic')}/{qn('a:graphicData')}/{qn('c:chart')}")
    if chart is None:
        return None
    return package.target(slide_part, chart.get(qn("r:id")))


class Series:
    def __init__(self, element: Any) -> None:
        self.element = element
        self.name = fingerprint.series_name(element)


def series_of(space: Any) -> list[Series]:
    return [Series(s) for s in space.iter(_SER)]


def merge(
    talk: Package,
    talk_chart: str,
    old: Record | None,
    new: Record,
    source: Package,
    new_chart: str,
    at: Where,
    built: datetime,
) -> Outcome:
    """Update chart part `talk_chart` from the deck's chart part `new_chart`."""
    outcome = Outcome()
    part = talk.part(talk_chart)
    fresh = source.tree(new_chart)
    if part is None or fresh is None:
        reason = "its chart part cannot be read; left as it is"
        outcome.conflicts.append(Conflict(at.slide, at.shape, "", "", reason))
        return outcome
    space = part.root
    before = _data(space)
    extra = old.extra if old is not None else {}
    drawings = Drawings(talk, talk_chart, source, new_chart)
    whole = bool(extra.get("look")) and extra.get("look") == fingerprint.chart_look(space)
    if whole and not _other_links(fresh):
        replacement = _replace_whole(space, fresh)
        if fingerprint.digest(replacement) == fingerprint.digest(space) and drawings.same():
            return outcome  # already the deck's chart
        drawings.take(replacement)
        space = replacement
    else:
        whole = False
        original = _canonical(space)
        _merge_series(space, fresh, old, at, outcome)
        _merge_axes(space, fresh, extra.get("axes"), new)
        moved = drawings.follow(space, extra.get("drawing"))
        if _canonical(space) == original and not moved:
            return outcome
    after = _data(space)
    _write_workbook(talk, talk_chart, space, built)
    if whole:
        talk.put(talk_chart, _serialise(space))
    else:
        part.changed(space)
    what = "chart" if before != after else "chart's look"
    outcome.changes.append(Change(at.slide, at.shape, what, _describe(before), _describe(after)))
    return outcome


def _canonical(element: Any) -> bytes:
    canonical: bytes = etree.tostring(element, method="c14n")
    return canonical


# -- whole replacement ------------------------------------------------------------------------


def _other_links(space: Any) -> bool:
    """Whether the deck's chart links to anything but its workbook and its drawing (then it is
    not copied whole)."""
    for element in space.iter():
        if element.tag in (_EXTERNAL, _USER_SHAPES):
            continue
        if any(key.startswith(f"{{{NS['r']}}}") for key in element.attrib):
            return True
    return False


def _replace_whole(space: Any, fresh: Any) -> Any:
    """The deck's chart, pointing at the talk's own workbook part (if it has one)."""
    replacement = copy.deepcopy(fresh)
    mine = space.find(_EXTERNAL)
    theirs = replacement.find(_EXTERNAL)
    if theirs is not None:
        if mine is not None:
            theirs.set(qn("r:id"), mine.get(qn("r:id")) or "")
        else:
            replacement.remove(theirs)
    # PowerPoint's own extensions on the talk's chart (its series ids) are not carried over:
    # they describe the old series, and PowerPoint writes them again.
    return replacement


# -- call-outs drawn over the chart ------------------------------------------------------------


class Drawings:
    """The drawing of shapes over a chart (call-outs placed by the data), in the talk and in
    the deck."""

    def __init__(self, talk: Package, chart: str, source: Package, new_chart: str) -> None:
        self.talk, self.chart = talk, chart
        self.mine = _drawing(talk, chart)
        theirs = _drawing(source, new_chart)
        self.fresh = source.read(theirs) if theirs is not None else None

    def same(self) -> bool:
        now = self.talk.read(self.mine) if self.mine is not None else None
        return now == self.fresh

    def take(self, space: Any) -> None:
        """Point the chart's c:userShapes (if the deck's chart has one) at the deck's drawing,
        written into the talk's own drawing part or a new one."""
        link = space.find(_USER_SHAPES)
        if link is None or self.fresh is None:
            if link is not None:
                space.remove(link)
            return
        if self.mine is not None:
            self.talk.put(self.mine, self.fresh)
            rid = next(r.rid for r in self.talk.related(self.chart, "chartUserShapes"))
        else:
            name = self.talk.free_name(DRAWING)
            self.talk.put(name, self.fresh, CT_CHART_DRAWING)
            rid = self.talk.relate(self.chart, REL_USER_SHAPES, name)
        link.set(qn("r:id"), rid)

    def follow(self, space: Any, written: Any) -> bool:
        """In a restyled chart, the deck's call-outs replace deckgen's own when the user left
        them as drawn; True when they did."""
        now = self.talk.read(self.mine) if self.mine is not None else None
        if now is None or not written or fingerprint.bytes_digest(now) != written:
            return False
        if now == self.fresh:
            return False
        if self.fresh is None:
            link = space.find(_USER_SHAPES)
            if link is not None:
                space.remove(link)
            return True
        assert self.mine is not None
        self.talk.put(self.mine, self.fresh)
        return True


def _drawing(package: Package, chart: str) -> str | None:
    found = package.related(chart, "chartUserShapes")
    return found[0].target if found and package.member(found[0].target) else None


# -- data only ---------------------------------------------------------------------------------


def _merge_series(space: Any, fresh: Any, old: Record | None, at: Where, outcome: Outcome) -> None:
    talk = series_of(space)
    new = series_of(fresh)
    old_names = list(old.chart.series) if old is not None and old.chart is not None else []
    looks = dict(old.extra.get("series", {})) if old is not None else {}
    pairs: list[tuple[Series, Series]] = []
    waiting = list(new)
    loose: list[Series] = []
    for series in talk:
        match = next((n for n in waiting if n.name == series.name), None)
        if match is not None:
            waiting.remove(match)
            pairs.append((series, match))
        else:
            loose.append(series)
    for series in list(loose):  # a series the data renamed: same place in the deck's order
        if series.name in old_names:
            place = old_names.index(series.name)
            match = next((n for n in waiting if _index(n.element) == place), None)
            if match is not None and match.name not in old_names:
                waiting.remove(match)
                loose.remove(series)
                pairs.append((series, match))
    for mine, theirs in pairs:
        written_look = looks.get(mine.name)
        if written_look and written_look == fingerprint.series_look(mine.element):
            _take_series(mine.element, theirs.element)
        else:
            _take_data(mine.element, theirs.element)
    for series in loose:
        if not old_names or series.name in old_names:
            series.element.getparent().remove(series.element)
        else:
            reason = f"series '{series.name}' was added by hand; kept as it is"
            outcome.conflicts.append(Conflict(at.slide, at.shape, "", "", reason))
    for series in waiting:
        if series.name in old_names:
            continue  # deckgen drew it and the user took it out: their choice
        if not _add_series(space, series.element):
            reason = (
                f"the deck's chart now has series '{series.name}', drawn in a way this restyled "
                "chart has no place for; left as it is"
            )
            outcome.conflicts.append(Conflict(at.slide, at.shape, "", series.name, reason))


def _index(element: Any) -> int:
    found = element.find(_IDX)
    try:
        return int(found.get("val")) if found is not None else -1
    except ValueError:
        return -1


def _take_series(mine: Any, theirs: Any) -> None:
    """The deck's series whole (its look was deckgen's), in the talk's place and numbering."""
    replacement = copy.deepcopy(theirs)
    for tag in (_IDX, _ORDER):
        kept, new = mine.find(tag), replacement.find(tag)
        if kept is not None and new is not None:
            new.set("val", kept.get("val") or "0")
    extensions = mine.find(qn("c:extLst"))
    if extensions is not None and replacement.find(qn("c:extLst")) is None:
        replacement.append(copy.deepcopy(extensions))
    mine.getparent().replace(mine, replacement)


def _take_data(mine: Any, theirs: Any) -> None:
    """The deck's name, categories and values in the talk's series, its look kept; points and
    labels for points that no longer exist are dropped."""
    tx = theirs.find(_TX)
    old_tx = mine.find(_TX)
    if tx is not None:
        if old_tx is not None:
            old_tx.getparent().replace(old_tx, copy.deepcopy(tx))
        else:
            order = mine.find(_ORDER)
            (order if order is not None else mine.find(_IDX)).addnext(copy.deepcopy(tx))
    for tag in (_CAT, _VAL):
        element = mine.find(tag)
        if element is not None:
            mine.remove(element)
    anchor = next((c for c in mine if c.tag in _AFTER_VALUES), None)
    for tag in (_CAT, _VAL):
        element = theirs.find(tag)
        if element is None:
            continue
        element = copy.deepcopy(element)
        if anchor is not None:
            anchor.addprevious(element)
        else:
            mine.append(element)
    count = _points(theirs)
    for point in list(mine.iterfind(qn("c:dPt"))) + list(mine.iter(qn("c:dLbl"))):
        if _index(point) >= count:
            point.getparent().remove(point)


def _points(series: Any) -> int:
    count = series.find(f"{qn('c:val')}//{qn('c:ptCount')}")
    try:
        return int(count.get("val")) if count is not None else 0
    except ValueError:
        return 0


def _add_series(space: Any, theirs: Any) -> bool:
    """Add a series the deck added to the talk's plot of the same kind (columns, a line);
    False when the talk's chart has none."""
    plot_tag = theirs.getparent().tag
    plot_area = space.find(f"{qn('c:chart')}/{qn('c:plotArea')}")
    plot = plot_area.find(plot_tag) if plot_area is not None else None
    if plot is None:
        return False
    series = copy.deepcopy(theirs)
    numbers = [_index(s) for s in space.iter(_SER)]
    orders = [int(o.get("val") or 0) for s in space.iter(_SER) for o in s.iterfind(_ORDER)]
    series.find(_IDX).set("val", str(max(numbers, default=-1) + 1))
    series.find(_ORDER).set("val", str(max(orders, default=-1) + 1))
    existing = plot.findall(_SER)
    if existing:
        existing[-1].addnext(series)
    else:
        anchor = next(
            (
                c
                for c in plot
                if c.tag not in (qn("c:barDir"), qn("c:grouping"), qn("c:varyColors"))
            ),
            None,
        )
        if anchor is not None:
            anchor.addprevious(series)
        else:
            plot.append(series)
    return True


def _merge_axes(space: Any, fresh: Any, written: Any, new: Record) -> None:
    """Each value axis whose bounds are still deckgen's (or no longer hold the data) takes
    the deck's bounds."""
    mine = list(space.iter(qn("c:valAx")))
    theirs = list(fresh.iter(qn("c:valAx")))
    now = fingerprint.axis_bounds(space)
    for number, (axis, model) in enumerate(zip(mine, theirs, strict=False)):
        recorded = written[number] if isinstance(written, list) and number < len(written) else None
        if recorded is not None and recorded != now[number]:
            continue  # the user set these bounds
        if recorded is None and _holds(now[number], new):
            continue
        _copy_bounds(axis, model)


def _holds(bounds: Sequence[float | None], new: Record) -> bool:
    """Whether fixed bounds still hold every value of the new data."""
    low, high = bounds[0], bounds[1]
    values = [v for row in (new.chart.values if new.chart else ()) for v in row if v is not None]
    return all((low is None or v >= low) and (high is None or v <= high) for v in values)


def _copy_bounds(axis: Any, model: Any) -> None:
    scaling, theirs = axis.find(qn("c:scaling")), model.find(qn("c:scaling"))
    if scaling is not None and theirs is not None:
        axis.replace(scaling, copy.deepcopy(theirs))
    unit, new_unit = axis.find(qn("c:majorUnit")), model.find(qn("c:majorUnit"))
    if unit is not None:
        axis.remove(unit)
    if new_unit is not None:
        anchor = next((c for c in axis if c.tag in _AFTER_MAJOR_UNIT), None)
        if anchor is not None:
            anchor.addprevious(copy.deepcopy(new_unit))
        else:
            axis.append(copy.deepcopy(new_unit))


# -- the embedded workbook ------------------------------------------------------------------


def _write_workbook(talk: Package, chart: str, space: Any, built: datetime) -> None:
    """Write the chart's data into its embedded workbook, with every formula pointing at it;
    a chart whose workbook was lost on the way (LibreOffice drops them) gets a new one."""
    categories, columns = chart_data(space)
    count = len(categories)
    for number, element in enumerate(space.iter(_SER), start=1):
        letter = _column(number + 1)  # column A holds the categories
        _formula(element.find(_TX), f"{SHEET}!${letter}$1")
        _formula(element.find(_CAT), f"{SHEET}!$A$2:$A${count + 1}")
        _formula(element.find(_VAL), f"{SHEET}!${letter}$2:${letter}${count + 1}")
    data = chart_workbook(categories, columns, created=built)
    link = space.find(_EXTERNAL)
    embedded = talk.target(chart, link.get(qn("r:id"))) if link is not None else None
    if embedded is not None:
        talk.put(embedded, data)
        return
    name = talk.free_name(EMBEDDING)
    talk.declare_default("xlsx", CT_XLSX)
    talk.put(name, data)
    rid = talk.relate(chart, REL_PACKAGE, name)
    if link is not None:
        space.remove(link)
    link = etree.Element(_EXTERNAL)
    link.set(qn("r:id"), rid)
    etree.SubElement(link, qn("c:autoUpdate")).set("val", "0")
    anchor = next((c for c in space if c.tag in _AFTER_EXTERNAL), None)
    if anchor is not None:
        anchor.addprevious(link)
    else:
        space.append(link)


def chart_data(space: Any) -> tuple[list[str], list[Column]]:
    """A chart's data as its part caches it (`space` is its c:chartSpace): the categories, and
    each series as its name, values and number format, for the chart's workbook."""
    series = list(space.iter(_SER))
    categories = _categories(series)
    columns: list[Column] = [
        (fingerprint.series_name(element), _values(element, len(categories)), _format(element))
        for element in series
    ]
    return categories, columns


def _categories(series: Sequence[Any]) -> list[str]:
    for element in series:
        cat = element.find(_CAT)
        if cat is not None:
            return _cached(cat)
    return []


def _cached(holder: Any) -> list[str]:
    """The cached points of a c:cat or c:val, by index, as text ("" for a gap)."""
    count = holder.find(f".//{qn('c:ptCount')}")
    try:
        size = int(count.get("val")) if count is not None else 0
    except ValueError:
        size = 0
    points = [""] * size
    for point in holder.iter(qn("c:pt")):
        try:
            index = int(point.get("idx") or -1)
        except ValueError:
            continue
        value = point.find(qn("c:v"))
        if 0 <= index < size and value is not None:
            points[index] = value.text or ""
    return points


def _values(series: Any, count: int) -> list[float | None]:
    val = series.find(_VAL)
    texts = _cached(val) if val is not None else []
    values: list[float | None] = []
    for text in (texts + [""] * count)[:count]:
        try:
            values.append(float(text) if text else None)
        except ValueError:
            values.append(None)
    return values


def _format(series: Any) -> str:
    code = series.find(f"{qn('c:val')}//{qn('c:formatCode')}")
    return (code.text or "") if code is not None else ""


def _formula(holder: Any, formula: str) -> None:
    """Point a c:tx, c:cat or c:val's reference at `formula` (literals are left as they are)."""
    if holder is None:
        return
    for ref in holder.iter(qn("c:strRef"), qn("c:numRef")):
        f = ref.find(qn("c:f"))
        if f is not None:
            f.text = formula


def _column(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _data(space: Any) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """Every series' name, categories and values, as the caches show them."""
    found = []
    for element in space.iter(_SER):
        cat, val = element.find(_CAT), element.find(_VAL)
        found.append(
            (
                fingerprint.series_name(element),
                tuple(_cached(cat)) if cat is not None else (),
                tuple(_cached(val)) if val is not None else (),
            )
        )
    return tuple(found)


def _describe(data: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]) -> str:
    names = ", ".join(name for name, _, _ in data) or "no series"
    categories = data[0][1] if data else ()
    span = f"{categories[0]}–{categories[-1]}" if len(categories) > 1 else "".join(categories)
    return f"{names} ({len(categories)} categories{': ' + span if span else ''})"


def _serialise(space: Any) -> bytes:
    data: bytes = etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data
