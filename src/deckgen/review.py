"""The review page: one HTML file a reviewer opens in a browser to sign an updated deck off.

Every slide (its picture, drawn by LibreOffice, or its text when LibreOffice is missing or
pictures are turned off) with, beside it, every figure on it, where it comes from, and, when it
changed since the build of the previous data, its old value, highlighted. The file stands
alone: pictures are inlined as data: URIs, styles are inline, there is no script, and a
Content-Security-Policy forbids the browser any request, so it can be mailed or archived.
"""

from __future__ import annotations

import base64
import html
import io
import struct
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deckgen.changes import (
    Changes,
    category_pairs,
    compare,
    figure_key,
    repeated,
    series_pairs,
    shown_date,
)
from deckgen.references import describe
from deckgen.specs import SLIDE_NUMBER, ChartSpec, DeckSpec, SlideSpec, TableSpec, TextSpec

PICTURE_DPI = 64  # 854 x 480 pixels for a 16:9 slide: legible, and about 60 KB a slide
CHOICE = "choice"

STYLE = """
:root { --ink: #1b2a3a; --muted: #5a6570; --rule: #d5dbe1; --changed: #fff1a8;
        --changed-edge: #b58a00; --new: #d9f2e3; --paper: #ffffff; --page: #eef1f4; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: var(--page); }
header, main { max-width: 1500px; margin: 0 auto; padding: 1rem 1.5rem; }
h1 { font-size: 1.6rem; margin: .2rem 0 .6rem; }
h2 { font-size: 1.15rem; margin: 0 0 .6rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem;
         margin: 0 0 .8rem; }
.facts dt { font-weight: 600; } .facts dd { margin: 0; }
.summary { font-weight: 600; }
nav ol { columns: 3 20rem; column-gap: 2.5rem; padding-left: 1.8rem; margin: .4rem 0 0; }
nav li { break-inside: avoid; margin: 0 0 .15rem; }
nav a { color: var(--ink); }
.slide { background: var(--paper); border: 1px solid var(--rule); border-radius: 6px;
         padding: 1rem 1.2rem; margin: 0 0 1.2rem; }
.slide.has-changes { border-left: 6px solid var(--changed-edge); }
.slide.added { border-left: 6px solid #2e8b57; }
.grid { display: grid; grid-template-columns: minmax(0, 1.15fr) minmax(0, 1fr); gap: 1.2rem; }
@media (max-width: 1000px) { .grid { grid-template-columns: 1fr; } }
.picture { margin: 0; position: sticky; top: .5rem; align-self: start; }
.picture img { width: 100%; height: auto; border: 1px solid var(--rule); }
.text { border: 1px solid var(--rule); padding: .8rem 1rem; background: #fafbfc; }
.text p { margin: .2rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; margin: 0 0 .8rem; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .2rem 0; }
th, td { text-align: left; vertical-align: top; padding: .25rem .4rem;
         border-bottom: 1px solid var(--rule); }
th { background: #f3f5f7; }
tr.changed td { background: var(--changed); }
tr.changed td:first-child { box-shadow: inset 4px 0 0 var(--changed-edge); }
tr.new td { background: var(--new); }
mark.key { background: var(--changed); }
.was { display: block; color: var(--muted); font-size: .85rem; }
.was del { color: #8a2d1f; }
.badge { font-size: .75rem; font-weight: 600; padding: .1rem .45rem; border-radius: 999px;
         background: var(--changed); border: 1px solid var(--changed-edge); margin-left: .4rem; }
.source { color: var(--muted); }
details { margin: 0 0 .6rem; } summary { cursor: pointer; font-weight: 600; }
.signoff { background: var(--paper); border: 1px solid var(--rule); border-radius: 6px;
           padding: 1rem 1.2rem; }
.signoff p { margin: .6rem 0; }
@media print { body { background: #fff; } .slide { break-inside: avoid; } nav { display: none; } }
"""


def review_path(deck: Path) -> Path:
    """output/wmp2020.pptx -> output/wmp2020.review.html"""
    return deck.with_name(f"{deck.stem}.review.html")


@dataclass(frozen=True)
class Before:
    """What the build of the previous data showed, found by where each thing sits."""

    figures: dict[tuple[str, str, int], str]  # (definition id, figure, occurrence) -> text
    charts: dict[tuple[str, int], dict[str, Any]]  # (definition id, chart on it) -> chart
    cells: dict[tuple[str, str, str, str], str]  # (id, table, row, column) -> text
    definitions: set[str]


def page(
    manifest: dict[str, Any],
    deck: DeckSpec,
    previous: dict[str, Any] | None = None,
    pictures: Sequence[bytes] = (),
) -> bytes:
    """The review page of a build: `previous` is the manifest of the build it is compared
    with (None: nothing is marked as changed); `pictures` one PNG per slide, or none."""
    before = _before(previous) if previous is not None else None
    changes = compare(previous, manifest) if previous is not None else None
    info = manifest["deck"]
    out = io.BytesIO()  # written slide by slide: a 1,000-slide page is megabytes of text

    def write(lines: list[str]) -> None:
        out.write(("\n".join(lines) + "\n").encode("utf-8"))

    write(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "img-src data:; style-src 'unsafe-inline'\">",
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>Review: {_e(info['title'])}</title>",
            f"<style>{STYLE}</style>",
            "</head>",
            "<body>",
            *_header(manifest, previous, changes),
            "<main>",
        ]
    )
    occurrences = Occurrences()
    charts_seen: dict[str, int] = defaultdict(int)
    for index, (entry, slide) in enumerate(zip(manifest["slides"], deck.slides, strict=True)):
        picture = pictures[index] if index < len(pictures) else None
        write(_slide(entry, slide, picture, before, occurrences, charts_seen))
    write([*_signoff(), "</main>", "</body>", "</html>"])
    return out.getvalue()


def _header(
    manifest: dict[str, Any], previous: dict[str, Any] | None, changes: Changes | None
) -> list[str]:
    info = manifest["deck"]
    facts = [
        ("Data as of", info["data_as_of"]),
        ("Build date", shown_date(info["built"])),
        ("Workbook", info["workbook"]),
        ("Classification", info["classification"]),
    ]
    if previous is not None:
        was = previous["deck"]
        facts.append(
            (
                "Compared with",
                f"the build of the data as of {was['data_as_of']} "
                f"(built {shown_date(was['built'])} from {was['workbook']})",
            )
        )
    else:
        facts.append(("Compared with", "no earlier build of other data: nothing is highlighted"))
    out = [
        "<header>",
        f"<h1>Review: {_e(info['title'])}</h1>",
        '<dl class="facts">',
        *(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in facts),
        "</dl>",
    ]
    if changes is not None:
        out.append(f'<p class="summary">{_e(_capital(changes.summary()))}.</p>')
        out.append(
            '<p>Rows <mark class="key">highlighted</mark> '
            "changed since that build; each shows the value it had then. A slide with changes "
            "has a gold edge, a new slide a green one.</p>"
        )
    changed = _changed_keys(changes)
    out += ["<nav>", "<h2>Slides</h2>", "<ol>"]
    for slide in manifest["slides"]:
        mark = ' <span class="badge">changed</span>' if slide["key"] in changed else ""
        out.append(
            f'<li value="{slide["number"]}"><a href="#slide-{slide["number"]}">'
            f"{_e(slide['title'])}</a>{mark}</li>"
        )
    out += ["</ol>", "</nav>", "</header>"]
    return out


def _changed_keys(changes: Changes | None) -> set[str]:
    if changes is None:
        return set()
    keys = {s.name.split("(", 1)[1].rstrip(")") for s in changes.slides}
    keys |= {s.split("(", 1)[1].rstrip(")") for s in changes.added_slides}
    return keys


def _slide(
    entry: dict[str, Any],
    slide: SlideSpec,
    picture: bytes | None,
    before: Before | None,
    occurrences: Occurrences,
    charts_seen: dict[str, int],
) -> list[str]:
    definition = str(entry["id"])
    added = before is not None and definition not in before.definitions
    rows, changed = _figure_rows(entry, before, occurrences)
    side = [*rows]
    for chart in entry.get("charts", []):
        number = charts_seen[definition]
        charts_seen[definition] += 1
        html_rows, count = _chart_rows(definition, number, chart, before)
        changed += count
        side.append(
            f"<details{' open' if count else ''}><summary>Chart: {_e(entry['label'])} "
            f"({_values(chart)})</summary>"
        )
        side.extend(html_rows)
        side.append("</details>")
    for table in entry.get("tables", []):
        html_rows, count = _table_rows(definition, table, before)
        changed += count
        rows_count = sum(1 for r in table["rows"] if not r["total"])
        side.append(
            f"<details{' open' if count else ''}><summary>Table: {_e(table['name'])} "
            f"({rows_count} rows)</summary>"
        )
        side.extend(html_rows)
        side.append("</details>")
    classes = ["slide"]
    if added:
        classes.append("added")
    elif changed:
        classes.append("has-changes")
    badge = ""
    if added:
        badge = ' <span class="badge">new slide</span>'
    elif changed:
        badge = f' <span class="badge">{changed} changed</span>'
    title = _e(entry["title"])
    number = entry["number"]
    out = [
        f'<section class="{" ".join(classes)}" id="slide-{number}" data-number="{number}" '
        f'data-key="{_e(entry["key"])}">',
        f"<h2>{number}. {title}{badge}</h2>",
        '<div class="grid">',
    ]
    if picture is not None:
        width, height = _png_size(picture)
        data = base64.b64encode(picture).decode("ascii")
        out.append(
            f'<figure class="picture"><img src="data:image/png;base64,{data}" '
            f'width="{width}" height="{height}" alt="Slide {number}: {title}"></figure>'
        )
    else:
        out.append(_slide_text(slide))
    out.append('<div class="figures">')
    out.extend(side or ["<p>This slide shows no figures from the workbook.</p>"])
    out += ["</div>", "</div>", "</section>"]
    return out


def _figure_rows(
    entry: dict[str, Any], before: Before | None, occurrences: Occurrences
) -> tuple[list[str], int]:
    figures = [f for f in entry["figures"] if f["unit"] != SLIDE_NUMBER]
    if not figures:
        return [], 0
    out = [
        "<table>",
        "<caption>Figures and words from the data</caption>",
        "<thead><tr><th>Shown</th><th>Read with</th><th>Where it comes from</th></tr></thead>",
        "<tbody>",
    ]
    changed = 0
    for figure in figures:
        key = (str(entry["id"]), figure_key(figure))
        old = None if before is None else before.figures.get((*key, occurrences.of(key, figure)))
        state = _state(before, str(entry["id"]), old, str(figure["text"]))
        changed += state == "changed"
        what = "words chosen from the data" if figure["unit"] == CHOICE else ""
        read = figure.get("context") or what or describe(str(figure["reference"]))
        cited = f"; cited as {figure['citation']}" if figure.get("citation") else ""
        out.append(
            f'<tr class="{state}"><td><strong>{_e(figure["text"])}</strong>'
            f"{_was(old, state)}</td><td>{_e(read)}</td>"
            f'<td class="source">{_e(figure["source"] + cited)}</td></tr>'
        )
    out += ["</tbody>", "</table>"]
    return out, changed


def _chart_rows(
    definition: str, number: int, chart: dict[str, Any], before: Before | None
) -> tuple[list[str], int]:
    out = [
        "<table>",
        "<thead><tr><th>Series</th><th>Category</th><th>Value</th><th>Where it comes from</th>"
        "</tr></thead>",
        "<tbody>",
    ]
    changed = 0
    old_chart = None if before is None else before.charts.get((definition, number))
    pairs = category_pairs(old_chart, chart) if old_chart else {}
    names = series_pairs(old_chart, chart) if old_chart else {}
    old_points = {
        (s["name"], p["category"]): p
        for s in (old_chart or {}).get("series", [])
        for p in s["points"]
    }
    for series in chart["series"]:
        for point in series["points"]:
            category = pairs.get(point["category"], point["category"])
            old_point = old_points.get((names.get(series["name"], series["name"]), category))
            old = None if old_point is None else _point_text(old_point)
            now = _point_text(point)
            state = _state(before, definition, old, now)
            changed += state == "changed"
            out.append(
                f'<tr class="{state}"><td>{_e(series["name"])}</td><td>{_e(point["category"])}'
                f"</td><td><strong>{_e(now)}</strong>{_was(old, state)}</td>"
                f'<td class="source">{_e(point["source"] or "computed by deckgen")}</td></tr>'
            )
    out += ["</tbody>", "</table>"]
    return out, changed


def _table_rows(
    definition: str, table: dict[str, Any], before: Before | None
) -> tuple[list[str], int]:
    out = [
        "<table>",
        "<thead><tr><th>Row</th><th>Column</th><th>Value</th><th>Where it comes from</th>"
        "</tr></thead>",
        "<tbody>",
    ]
    changed = 0
    for row in table["rows"]:
        for cell in row["cells"][1:]:
            key = (definition, table["name"], row["label"], cell["column"])
            old = None if before is None else before.cells.get(key)
            state = _state(before, definition, old, str(cell["text"]))
            changed += state in ("changed", "new")
            out.append(
                f'<tr class="{state}"><td>{_e(row["label"])}</td><td>{_e(cell["column"])}</td>'
                f"<td><strong>{_e(cell['text'])}</strong>{_was(old, state)}</td>"
                f'<td class="source">{_e(cell.get("source") or "")}</td></tr>'
            )
    out += ["</tbody>", "</table>"]
    return out, changed


def _point_text(point: dict[str, Any]) -> str:
    basis = f" ({point['basis']})" if point.get("basis") else ""
    return f"{point['text']}{basis}"


def _state(before: Before | None, definition: str, old: str | None, now: str) -> str:
    """ "changed" (with its old value), "new" (not there before), or "" (as before)."""
    if before is None or definition not in before.definitions:
        return ""
    if old is None:
        return "new"
    return "changed" if old != now else ""


def _was(old: str | None, state: str) -> str:
    if state == "changed":
        return f'<span class="was">was <del>{_e(old or "")}</del></span>'
    if state == "new":
        return '<span class="was">new since that build</span>'
    return ""


class Occurrences:
    """Counts each figure's occurrences on a slide and its "(cont.)" slides, as changes.py does:
    the same figure in the same words again (a continued title) is the first one again."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str], int] = defaultdict(int)
        self.first: dict[tuple[str, str, str, str], int] = {}

    def of(self, key: tuple[str, str], figure: dict[str, Any]) -> int:
        words = (*key, str(figure["text"]), str(figure.get("context", "")))
        if words not in self.first:
            self.first[words] = self.counts[key]
            self.counts[key] += 1
        return self.first[words]


def _before(manifest: dict[str, Any]) -> Before:
    figures: dict[tuple[str, str, int], str] = {}
    charts_by: dict[tuple[str, int], dict[str, Any]] = {}
    seen: set[tuple[str, str, str]] = set()
    cells: dict[tuple[str, str, str, str], str] = {}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    charts: dict[str, int] = defaultdict(int)
    definitions: set[str] = set()
    for slide in manifest["slides"]:
        definition = str(slide.get("id") or slide["key"])
        definitions.add(definition)
        for figure in slide["figures"]:
            if figure["unit"] == SLIDE_NUMBER or repeated(figure, seen):
                continue
            key = (definition, figure_key(figure))
            figures[(*key, counts[key])] = str(figure["text"])
            counts[key] += 1
        for chart in slide.get("charts", []):
            charts_by[(definition, charts[definition])] = chart
            charts[definition] += 1
        for table in slide.get("tables", []):
            for row in table["rows"]:
                for cell in row["cells"][1:]:
                    key4 = (definition, table["name"], row["label"], cell["column"])
                    cells.setdefault(key4, str(cell["text"]))
    return Before(figures, charts_by, cells, definitions)


def _slide_text(slide: SlideSpec) -> str:
    """The slide as text, in reading order, where there is no picture."""
    parts = ['<div class="text">', f"<p><strong>{_e(slide.title)}</strong></p>"]
    for shape in slide.shapes:
        if isinstance(shape, TextSpec):
            for paragraph in shape.paragraphs:
                if paragraph.text.strip():
                    parts.append(f"<p>{_e(paragraph.text)}</p>")
        elif isinstance(shape, ChartSpec):
            parts.append(f"<p><em>Chart:</em> {_e(shape.alt_text)}</p>")
        elif isinstance(shape, TableSpec):
            head = "".join(f"<th>{_e(c.header)}</th>" for c in shape.columns)
            body = "".join(
                "<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>"
                for row in (*shape.rows, *([shape.total] if shape.total else []))
            )
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    parts.append("</div>")
    return "\n".join(parts)


def _signoff() -> list[str]:
    return [
        '<section class="signoff" id="sign-off">',
        "<h2>Sign-off</h2>",
        "<p>I have checked every highlighted figure against the workbook and read every "
        "slide whose words changed.</p>",
        "<p>Reviewed by: ____________________________ &nbsp; Date: ______________</p>",
        "</section>",
    ]


def _values(chart: dict[str, Any]) -> str:
    count = sum(len(s["points"]) for s in chart["series"])
    return f"{count} value{'' if count == 1 else 's'}"


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header, so the page keeps its layout while it loads."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return 0, 0


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)
