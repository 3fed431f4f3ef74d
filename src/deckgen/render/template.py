"""Open a template and read back what the planner needs: slide size, fonts, colours, layouts.

The planner never opens the template itself: it asks `inspect_template` for a `PageGeometry`,
which works on any template (the sample, written by deckgen.sample.template, or a user's own)
as long as it has the layouts named in specs.REQUIRED_LAYOUTS. A template passes the package
guard, then a look at its parts, before python-pptx opens it, so that a damaged or hostile one is
one line naming it and never a KeyError from deep inside python-pptx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.exc import PackageNotFoundError
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn

from deckgen.archive import TEMPLATE, ZIP_ERRORS, PackageError, detail, shown
from deckgen.design import GRID, SAMPLE_FONT, SAMPLE_THEME
from deckgen.errors import DeckgenError
from deckgen.opc import Package, open_package, rels_part
from deckgen.render.placeholders import placeholder_text
from deckgen.specs import (
    EMU_PER_INCH,
    REQUIRED_LAYOUTS,
    Box,
    Emu,
    LayoutGeometry,
    PageGeometry,
    PlaceholderText,
    to_inches,
)

THEME_SLOTS: tuple[str, ...] = tuple(SAMPLE_THEME)  # dk1 lt1 dk2 lt2 accent1..6 hlink folHlink
_HEX = re.compile(r"[0-9A-Fa-f]{6}")

# What python-pptx raises on a package it cannot make sense of, which the checks below should
# already have named: a missing relationship, an unknown content type, a value out of range.
_PPTX_FAILURES = (KeyError, ValueError, IndexError, TypeError, AttributeError, PackageNotFoundError)

_EDGE = Emu(12_700)  # a point: a rule touching the title's bottom edge is under it
_BOX_OF: dict[PP_PLACEHOLDER, str] = {
    PP_PLACEHOLDER.TITLE: "title",
    PP_PLACEHOLDER.CENTER_TITLE: "title",
    PP_PLACEHOLDER.SUBTITLE: "subtitle",
    PP_PLACEHOLDER.FOOTER: "footer",
    PP_PLACEHOLDER.DATE: "date",
    PP_PLACEHOLDER.SLIDE_NUMBER: "slide_number",
}


def open_template(path: Path) -> Any:
    """Open a template with python-pptx once the guard and a look at its parts have passed it:
    a damaged or hostile template is one line naming it, before anything is drawn."""
    check_template(path)
    try:
        return Presentation(str(path))
    except (*_PPTX_FAILURES, etree.XMLSyntaxError, *ZIP_ERRORS) as error:
        raise PackageError(path, f"python-pptx cannot open it ({detail(error)})") from None


def check_template(path: Path) -> None:
    """Raise a one-line PackageError unless the template at `path` is safe and whole: every
    part python-pptx will load is there and parses, every master has its theme and layouts, the
    slide size is one PowerPoint can show. A file already checked, unchanged, is not read again
    (a build with --split opens the template once for every slide)."""
    try:
        stat = path.stat()
    except OSError:
        stat = None
    if stat is None or not path.is_file():
        _check_template(path)  # the guard says what is wrong with the path
    else:
        _checked(path, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=8)
def _checked(path: Path, size: int, modified: int) -> None:
    _check_template(path)


def _check_template(path: Path) -> None:
    with open_package(path, TEMPLATE) as package:
        roots = _check_parts(package)
        _check_masters(package, roots)


def _check_parts(package: Package) -> dict[str, Any]:
    """Every relationship python-pptx follows when it loads the package leads to a part that is
    there and parses, and a master, layout, slide or theme is one (by its root and its content
    type, which is how python-pptx decides what to make of it): the roots by part name."""
    roots: dict[str, Any] = {}
    waiting = [""]
    while waiting:
        source = waiting.pop()
        rels = rels_part(source)
        error = package.parse_error(rels)
        if error is not None:
            raise package.fail(f"part {shown(rels)} does not parse ({shown(error)})")
        for rel in package.relationships(source).values():
            if rel.external:
                continue
            if not rel.target or package.member(rel.target) is None:
                target = shown(rel.target) if rel.target else "a place outside the package"
                where = shown(source) if source else "the package"
                raise package.fail(
                    f"relationship {shown(rel.rid, 20)} of {where} points to {target}, "
                    "which is missing"
                )
            if rel.target not in roots:
                roots[rel.target] = _parsed(package, rel.target)
                waiting.append(rel.target)
            kind = _PART_KINDS.get(rel.kind)
            if kind is not None:
                _require_kind(package, rel.target, roots[rel.target], kind)
    return roots


def _parsed(package: Package, name: str) -> Any:
    """The root of an XML part (None for a part that is not XML); one line if it does not
    parse."""
    root = package.part(name) if package.may_parse(name) else None
    error = package.parse_error(name)
    if error is not None:
        raise package.fail(f"part {shown(name)} does not parse ({shown(error)})")
    return root


@dataclass(frozen=True)
class _PartKind:
    """A part the renderer relies on, as its relationship, root element and content type name
    it."""

    what: str  # "slide master"
    relationship: str  # the last segment of its relationship type
    root: str  # its root element, in Clark notation
    content_type: str


_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_PML = "application/vnd.openxmlformats-officedocument.presentationml"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_MASTER = _PartKind("slide master", "slideMaster", f"{_P}sldMaster", f"{_PML}.slideMaster+xml")
_LAYOUT = _PartKind("slide layout", "slideLayout", f"{_P}sldLayout", f"{_PML}.slideLayout+xml")
_SLIDE = _PartKind("slide", "slide", f"{_P}sld", f"{_PML}.slide+xml")
_PART_KINDS = {
    kind.relationship: kind
    for kind in (
        _MASTER,
        _LAYOUT,
        _SLIDE,
        _PartKind("notes master", "notesMaster", f"{_P}notesMaster", f"{_PML}.notesMaster+xml"),
        _PartKind(
            "theme",
            "theme",
            "{http://schemas.openxmlformats.org/drawingml/2006/main}theme",
            "application/vnd.openxmlformats-officedocument.theme+xml",
        ),
    )
}


def _require_kind(package: Package, name: str, root: Any, kind: _PartKind) -> None:
    content_type = (package.content_type(name) or "").casefold()
    if root is None or root.tag != kind.root or content_type != kind.content_type.casefold():
        raise package.fail(f"part {shown(name)} is not a {kind.what}")


def _check_masters(package: Package, roots: dict[str, Any]) -> None:
    """The presentation lists its slide masters, each master its theme and layouts, each layout
    its master; the slide size is one PowerPoint can show."""
    main = package.related("", "officeDocument")[0]
    presentation = roots[main]
    masters = _listed(package, main, presentation, "sldMasterIdLst", _MASTER)
    if not masters:
        raise package.fail("the template has no slide master")
    _listed(package, main, presentation, "sldIdLst", _SLIDE)
    for master in masters:
        if not package.related(master, "theme"):
            raise package.fail(f"slide master {shown(master)} has no theme")
        for layout in _listed(package, master, roots[master], "sldLayoutIdLst", _LAYOUT):
            if not package.related(layout, "slideMaster"):
                raise package.fail(f"slide layout {shown(layout)} has no slide master")
    _check_size(package, presentation)


def _listed(package: Package, source: str, root: Any, list_tag: str, kind: _PartKind) -> list[str]:
    """The parts a list such as <p:sldMasterIdLst> names by relationship id, each checked to
    have a relationship of the right kind (which the walk has checked leads to such a part)."""
    found: list[str] = []
    rels = package.relationships(source)
    listing = root.find(f"{_P}{list_tag}")
    for entry in listing if listing is not None else ():
        rid = str(entry.get(_R_ID) or "")
        rel = rels.get(rid)
        if rel is None or rel.external or rel.kind != kind.relationship:
            raise package.fail(
                f"{shown(source)} lists {kind.what} {shown(rid, 20) or '(no id)'}, which has no "
                "relationship"
            )
        found.append(rel.target)
    return found


def _check_size(package: Package, presentation: Any) -> None:
    size = presentation.find(f"{_P}sldSz")
    if size is None:
        raise package.fail("the template does not say its slide size")
    try:
        width, height = int(size.get("cx", "")), int(size.get("cy", ""))
    except ValueError:
        found = f"{size.get('cx')!r} x {size.get('cy')!r}"
        raise package.fail(
            f"the template's slide size is not a number ({shown(found, 60)})"
        ) from None
    check_slide_size(package.path, width, height)


def _all_layouts(prs: Any) -> dict[str, Any]:
    """Every layout of every master by name (the first of a name wins, as in PowerPoint's menu)."""
    found: dict[str, Any] = {}
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            found.setdefault(layout.name, layout)
    return found


def require_layouts(prs: Any, path: Path) -> dict[str, Any]:
    """Return the template's layouts by name; a missing required one is a one-line error."""
    found = _all_layouts(prs)
    missing = [name for name in REQUIRED_LAYOUTS if name not in found]
    if missing:
        names = ", ".join(repr(name) for name in missing)
        has = ", ".join(found) or "none"
        if len(missing) == 1:
            what, fix = f"no slide layout named {names}", "add one with that name"
        else:
            what, fix = f"no slide layouts named {names}", "add them with those names"
        raise DeckgenError(f"{path}: the template has {what} (it has: {has}); {fix}")
    return found


def _theme_root(prs: Any, path: Path) -> Any:
    try:
        blob = prs.slide_master.part.part_related_by(RT.THEME).blob
        return parse_xml(blob)
    except (KeyError, etree.XMLSyntaxError) as error:
        raise DeckgenError(f"{path}: the template's slide master has no readable theme") from error


def master_theme_colors(master: Any) -> dict[str, str]:
    """Theme slot -> RRGGBB of a slide master's theme ({} when it has no readable theme)."""
    try:
        return _theme_colors(parse_xml(master.part.part_related_by(RT.THEME).blob))
    except (KeyError, etree.XMLSyntaxError):
        return {}


def _theme_colors(theme: Any) -> dict[str, str]:
    """Slot -> RRGGBB for slots given as srgbClr or sysClr (with its last computed colour)."""
    colors: dict[str, str] = {}
    scheme = theme.find(f"{qn('a:themeElements')}/{qn('a:clrScheme')}")
    if scheme is None:
        return colors
    for slot in THEME_SLOTS:
        element = scheme.find(qn(f"a:{slot}"))
        if element is None or len(element) == 0:
            continue
        color = element[0]
        value = {qn("a:srgbClr"): color.get("val"), qn("a:sysClr"): color.get("lastClr")}.get(
            color.tag
        )
        if value and _HEX.fullmatch(value):
            colors[slot] = value.upper()
    return colors


def _theme_font(theme: Any, which: str) -> str:
    """The latin typeface of the major or minor font; the sample font when the theme has none."""
    latin = theme.find(
        f"{qn('a:themeElements')}/{qn('a:fontScheme')}/{qn(f'a:{which}')}/{qn('a:latin')}"
    )
    typeface = latin.get("typeface", "") if latin is not None else ""
    return str(typeface) or SAMPLE_FONT


def _layout_geometry(layout: Any, path: Path, fonts: tuple[str, str]) -> LayoutGeometry:
    """Placeholder boxes of one layout, each inheriting the master's position when it has none,
    and how each sets its text (`fonts`: the theme's heading and body fonts)."""
    boxes: dict[str, Box] = {}
    texts: dict[str, PlaceholderText] = {}
    master = layout.slide_master.element
    presentation = layout.part.package.presentation_part.presentation.element
    for placeholder in layout.placeholders:
        key = _BOX_OF.get(placeholder.placeholder_format.type)
        if key is None or key in boxes:
            continue
        try:
            dims = (placeholder.left, placeholder.top, placeholder.width, placeholder.height)
        except (ValueError, TypeError):
            raise PackageError(
                path,
                f"layout {shown(layout.name, 40)!r}: the {key} placeholder's position is "
                "not a number",
            ) from None
        if any(d is None for d in dims):
            continue
        boxes[key] = Box(*(Emu(int(d)) for d in dims))
        texts[key] = placeholder_text(placeholder.element, master, presentation, *fonts)
    title = boxes.get("title")
    return LayoutGeometry(
        name=layout.name,
        title=title,
        subtitle=boxes.get("subtitle"),
        footer=boxes.get("footer"),
        date=boxes.get("date"),
        slide_number=boxes.get("slide_number"),
        text=texts,
        under_title=_under(layout, title) if title is not None else None,
    )


def _under(layout: Any, title: Box) -> Emu | None:
    """The top of the highest shape the layout (or its master, where the layout shows the
    master's shapes) draws below its title and across it: a rule a grown title must not
    reach. Placeholders are not drawn on slides, so they do not count."""
    holders = [layout]
    if layout.element.get("showMasterSp") not in ("0", "false"):
        holders.append(layout.slide_master)
    tops = []
    for holder in holders:
        for shape in holder.shapes:
            if shape.is_placeholder:
                continue
            try:
                left, top, width = shape.left, shape.top, shape.width
            except (ValueError, TypeError):
                continue
            if left is None or top is None or width is None:
                continue
            if top >= title.bottom - _EDGE and left < title.right and left + width > title.left:
                tops.append(Emu(int(top)))
    return min(tops, default=None)


def _check_boxes(geometry: PageGeometry, path: Path) -> None:
    """Every placeholder the deck writes into has a size and lies on the slide, give or take a
    slide's size: a box of no width, or one off the page altogether, is damage. A box that only
    overhangs the edge is left to the gate, which refuses a deck with text beyond the edge and
    names the shapes."""
    width, height = geometry.width, geometry.height
    for layout in geometry.layouts.values():
        for field in fields(layout):
            box = getattr(layout, field.name)
            if not isinstance(box, Box):
                continue
            if box.width <= 0 or box.height <= 0:
                wrong = "has no size"
            elif not _near(box.left, box.right, width) or not _near(box.top, box.bottom, height):
                wrong = f"lies off the {to_inches(width):g} x {to_inches(height):g} in slide"
            else:
                continue
            sides = (box.left, box.top, box.width, box.height)
            where = ", ".join(f"{to_inches(side):g}" for side in sides)
            raise PackageError(
                path,
                f"layout {shown(layout.name, 40)!r}: the {field.name.replace('_', ' ')} "
                f"placeholder {wrong} (left, top, width, height: {where} in)",
            )


def _near(start: int, end: int, page: int) -> bool:
    """Whether a box's extent along one side of the page overlaps the page and stays within
    one page's length of it."""
    return start < page and end > 0 and start >= -page and end <= 2 * page


# -- slide size -------------------------------------------------------------------------------

# ISO/IEC 29500 (ST_SlideSizeCoordinate): a slide is 1 to 56 inches on each side.
SLIDE_SIDE = (Emu(914_400), Emu(51_206_400))
MIN_CONTENT = 2.0  # inches of content each way, inside the page grid's margins and bands


def check_slide_size(path: Path, width: int, height: int) -> None:
    """Refuse a slide size that is zero, absurd, or too small for the page grid.

    The grid's margins, title band, source line and footer take a fixed part of the page
    (design.GRID); a page that leaves less than MIN_CONTENT inches for content cannot hold a
    slide of the deck, and a size outside the standard's range is damage, not design.
    """
    low, high = SLIDE_SIDE
    for side, size in (("width", width), ("height", height)):
        if not low <= size <= high:
            raise DeckgenError(
                f"{path}: the template's slide {side} is {size / EMU_PER_INCH:g} in; a slide "
                f"is {low / EMU_PER_INCH:g} to {high / EMU_PER_INCH:g} in (ISO/IEC 29500)"
            )
    bands = GRID.margin_top + GRID.title_height + GRID.title_gap
    bands += GRID.source_height + GRID.footer_height
    smallest = {
        "width": 2 * GRID.margin_x + (GRID.columns - 1) * GRID.gutter + MIN_CONTENT,
        "height": bands + MIN_CONTENT,
    }
    for side, size in (("width", width), ("height", height)):
        if size / EMU_PER_INCH < smallest[side]:
            raise DeckgenError(
                f"{path}: the template's slide is {width / EMU_PER_INCH:g} x "
                f"{height / EMU_PER_INCH:g} in, too small for a deck: its {side} must be at "
                f"least {smallest[side]:.2f} in"
            )


def inspect_template(path: Path) -> PageGeometry:
    """Read what the planner needs from a template: size, fonts, theme colours and layouts."""
    prs = open_template(path)
    layouts = require_layouts(prs, path)
    theme = _theme_root(prs, path)
    fonts = (_theme_font(theme, "majorFont"), _theme_font(theme, "minorFont"))
    geometry = PageGeometry(
        width=Emu(int(prs.slide_width)),
        height=Emu(int(prs.slide_height)),
        heading_font=fonts[0],
        body_font=fonts[1],
        layouts={name: _layout_geometry(layout, path, fonts) for name, layout in layouts.items()},
        theme_colors=_theme_colors(theme),
    )
    _check_boxes(geometry, path)
    return geometry
