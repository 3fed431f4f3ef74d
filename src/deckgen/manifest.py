"""The provenance manifest beside every deck: each slide, each figure shown, and where it came from.

It is what lets a presenter answer "where does £1.15 come from?" (`deckgen explain`), what a
later build compares against to report what changed (changes.py), and what the review page and
a refresh of reused slides read. Each slide records its figures (with the sentence or label a
reader sees them with), the words chosen from the data, every chart value by series and
category, and every table cell by row and column, each with its source cell or derivation.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from deckgen import identity
from deckgen.errors import DeckgenError
from deckgen.model import Workbook
from deckgen.references import describe
from deckgen.specs import SLIDE_NUMBER, WORDS, ChartSpec, DeckSpec, FigureUse, SlideSpec, TableSpec

FORMAT_VERSION = 2
READABLE_FORMATS = (1, 2)  # a format 1 manifest has no charts or tables: compared by figures
SIGNIFICANT = 12  # digits kept of a value: enough to tell figures apart, none of the float noise
CHOICE = "choice"  # words chosen from the data (see claims.py)


def manifest_path(deck: Path) -> Path:
    """output/wmp2020.pptx -> output/wmp2020.manifest.json"""
    return deck.with_name(f"{deck.stem}.manifest.json")


def data_digest(model: Workbook) -> str:
    """A fingerprint of the workbook's data (not of its file name or its bytes): two builds
    from the same figures have the same one, whatever the deck definition or template."""
    text = repr(replace(model, path=""))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def build_manifest(
    deck: DeckSpec,
    workbook: Path,
    built: datetime,
    *,
    data_date: date | None = None,
    digest: str = "",
    selection: Sequence[str] | None = None,
    chart_engine: str = "native",
) -> dict[str, Any]:
    """The manifest of a planned deck, as plain JSON data.

    `data_date` is the workbook's "Data as of"; `digest` its data_digest; `selection` the slide
    ids of a build of chosen slides (None for the whole deck); `chart_engine` says whether
    charts were drawn as native charts or pictures (for the shape records refresh matches).
    """
    return {
        "format": FORMAT_VERSION,
        "deck": {
            "title": deck.title,
            "organisation": deck.organisation,
            "classification": deck.classification,
            "data_as_of": deck.data_as_of,
            "data_date": data_date.isoformat() if data_date else "",
            "workbook": workbook.name,
            "built": built.isoformat(),
            "data_digest": digest,
            "selection": list(selection) if selection else None,
        },
        "slides": [_slide(number, slide) for number, slide in enumerate(deck.slides, start=1)],
        # Every shape that carries data, by the id written into it (identity.py): what
        # `deckgen refresh` matches a reused shape against.
        "shapes": {
            "deck": identity.deck_key(deck),
            "records": [r.to_json() for r in identity.deck_records(deck, chart_engine)],
        },
    }


def _slide(number: int, slide: SlideSpec) -> dict[str, Any]:
    charts = [s for s in slide.shapes if isinstance(s, ChartSpec)]
    tables = [s for s in slide.shapes if isinstance(s, TableSpec)]
    in_tables = {use for table in tables for row in table.cells for use in row}
    return {
        "number": number,
        "key": slide.key,
        "id": slide.definition_id,
        "kind": slide.kind,
        "title": slide.title,
        "label": slide.label or slide.title,
        "figures": _figures(f for f in slide.figures if f not in in_tables),
        "charts": [_chart(c) for c in charts],
        "tables": [_table(t) for t in tables],
    }


def _figures(uses: Iterator[FigureUse] | Sequence[FigureUse]) -> list[dict[str, Any]]:
    seen: set[tuple[str, str, str, str]] = set()
    figures = []
    for use in uses:
        key = (use.text, use.reference, use.source, use.context)
        if key in seen or not use.text:
            continue
        seen.add(key)
        entry: dict[str, Any] = {
            "text": use.text,
            "value": _plain(use.value),
            "unit": use.unit,
            "reference": use.reference,
            "source": use.source,
        }
        if use.context and use.context != use.text:
            entry["context"] = use.context
        if use.citation:
            entry["citation"] = use.citation
        figures.append(entry)
    return figures


def _chart(spec: ChartSpec) -> dict[str, Any]:
    """Every value the chart plots, by series and category, as its data labels show it."""
    shown = spec.data_table[1:] if spec.data_table else ()
    series = []
    for column, s in enumerate(spec.series, start=1):
        points = []
        for index, category in enumerate(spec.categories):
            value = s.values[index] if index < len(s.values) else None
            if value is None:
                continue
            text = shown[index][column] if index < len(shown) else _plain_text(value)
            point: dict[str, Any] = {
                "category": category,
                "value": _plain(value),
                "text": text,
                "source": s.sources[index] if index < len(s.sources) else "",
            }
            if s.forecast:
                point["basis"] = "Forecast" if s.forecast[index] else "Actual"
            points.append(point)
        series.append({"name": s.name, "points": points})
    return {
        "name": spec.name,
        "kind": spec.kind.value,
        "categories": list(spec.categories),
        "series": series,
    }


def _table(spec: TableSpec) -> dict[str, Any]:
    """Every cell with its row's first cell (what a reader finds the row by) and its column."""
    headers = [c.header for c in spec.columns]
    texts = [*spec.rows, *([spec.total] if spec.total is not None else [])]
    rows = []
    for index, row in enumerate(texts):
        uses = spec.cells[index] if index < len(spec.cells) else ()
        cells = []
        for column, text in enumerate(row):
            use = _cell_use(uses, column, text, len(row))
            cell: dict[str, Any] = {"column": headers[column], "text": text}
            if use is not None:
                cell.update(
                    value=_plain(use.value),
                    unit=use.unit,
                    reference=use.reference,
                    source=use.source,
                )
            cells.append(cell)
        total = spec.total is not None and index == len(texts) - 1
        rows.append({"label": row[0] if row else "", "total": total, "cells": cells})
    return {"name": spec.name, "columns": headers, "rows": rows}


def _cell_use(uses: Sequence[FigureUse], column: int, text: str, width: int) -> FigureUse | None:
    """The figure a cell shows: the one in its column, or, where a row names fewer figures than
    it has cells (a total row), the one showing the same text."""
    if len(uses) == width:
        return uses[column]
    return next((u for u in uses if u.text == text and text), None)


def dumps(data: dict[str, Any]) -> bytes:
    """The manifest as UTF-8 JSON, one record (a figure, a chart value, a table cell) a line so
    that a diff of two manifests reads as a list of what changed. Each record is encoded by the
    json module's C encoder and the lines are written piece by piece: a 1,000-slide manifest is
    20 MB, and the pure-Python indenting encoder took seconds over it."""
    out = io.BytesIO()
    _write(out, data, 0)
    out.write(b"\n")
    return out.getvalue()


# One encoder for every record: json.dumps with any option makes a new encoder each call.
_encode = json.JSONEncoder(ensure_ascii=False).encode


def _write(out: io.BytesIO, value: Any, depth: int) -> None:
    if not _nested(value):
        out.write(_encode(value).encode("utf-8"))
        return
    inner = b"\n" + b"  " * (depth + 1)
    if isinstance(value, dict):
        out.write(b"{")
        for index, (key, item) in enumerate(value.items()):
            out.write((b"," if index else b"") + inner)
            out.write(_encode(key).encode("utf-8") + b": ")
            _write(out, item, depth + 1)
        out.write(b"\n" + b"  " * depth + b"}")
    else:
        out.write(b"[")
        for index, item in enumerate(value):
            out.write((b"," if index else b"") + inner)
            _write(out, item, depth + 1)
        out.write(b"\n" + b"  " * depth + b"]")


def _nested(value: Any) -> bool:
    """A mapping or list that holds records of its own (laid out a record a line), as opposed
    to a record (written on one line)."""
    if isinstance(value, dict):
        return any(_holds_records(v) for v in value.values())
    return _holds_records(value)


def _holds_records(value: Any) -> bool:
    return isinstance(value, list | dict) and any(
        isinstance(v, dict | list) for v in (value.values() if isinstance(value, dict) else value)
    )


def load_manifest(path: Path) -> dict[str, Any]:
    """Read a manifest; a missing, foreign or damaged one (keys missing, wrong types) is a
    one-line error naming it, so that nothing reading it meets a KeyError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeckgenError(f"{path}: no manifest here; build the deck first") from None
    except (OSError, ValueError) as exc:
        raise DeckgenError(f"{path}: not a readable deckgen manifest ({exc})") from None
    if not isinstance(data, dict) or data.get("format") not in READABLE_FORMATS:
        raise DeckgenError(f"{path}: not a deckgen manifest (format {FORMAT_VERSION})")
    damage = _damage(data)
    if damage:
        raise DeckgenError(f"{path}: a damaged deckgen manifest ({damage})")
    return data


# What explain and the change report read from a manifest, and the types they expect.
_NUMBER = (int, float)
_DECK_FIELDS: dict[str, tuple[type, ...]] = {
    "title": (str,),
    "workbook": (str,),
    "built": (str,),
    "data_as_of": (str,),
}
_SLIDE_FIELDS: dict[str, tuple[type, ...]] = {
    "number": (int,),
    "key": (str,),
    "id": (str,),
    "kind": (str,),
    "title": (str,),
    "figures": (list,),
}
_FIGURE_FIELDS: dict[str, tuple[type, ...]] = {
    "text": (str,),
    "value": (*_NUMBER, str),
    "unit": (str,),
    "reference": (str,),
    "source": (str,),
}


def _damage(data: dict[str, Any]) -> str:
    """What is missing or of the wrong type in a manifest ("" when nothing is)."""
    deck = data.get("deck")
    if not isinstance(deck, dict):
        return "no 'deck' section"
    problem = _missing(deck, _DECK_FIELDS, "the deck section")
    if problem:
        return problem
    slides = data.get("slides")
    if not isinstance(slides, list):
        return "'slides' is not a list"
    for index, slide in enumerate(slides, start=1):
        if not isinstance(slide, dict):
            return f"slide entry {index} is not an object"
        problem = _missing(slide, _SLIDE_FIELDS, f"slide entry {index}")
        if problem:
            return problem
        for place, figure in enumerate(slide["figures"], start=1):
            where = f"figure {place} of slide entry {index}"
            if not isinstance(figure, dict):
                return f"{where} is not an object"
            problem = _missing(figure, _FIGURE_FIELDS, where)
            if problem:
                return problem
            for optional in ("citation", "context"):
                if not isinstance(figure.get(optional, ""), str):
                    return f"{where} has a '{optional}' that is not text"
        problem = _charts_and_tables(slide, f"slide entry {index}")
        if problem:
            return problem
    return ""


_CHART_FIELDS: dict[str, tuple[type, ...]] = {
    "name": (str,),
    "categories": (list,),
    "series": (list,),
}
_SERIES_FIELDS: dict[str, tuple[type, ...]] = {"name": (str,), "points": (list,)}
_POINT_FIELDS: dict[str, tuple[type, ...]] = {
    "category": (str,),
    "value": _NUMBER,
    "text": (str,),
    "source": (str,),
}
_TABLE_FIELDS: dict[str, tuple[type, ...]] = {"name": (str,), "columns": (list,), "rows": (list,)}
_ROW_FIELDS: dict[str, tuple[type, ...]] = {"label": (str,), "total": (bool,), "cells": (list,)}
_CELL_FIELDS: dict[str, tuple[type, ...]] = {"column": (str,), "text": (str,)}


def _charts_and_tables(slide: dict[str, Any], where: str) -> str:
    """The charts and tables of a format 2 manifest (a format 1 manifest has none)."""
    levels = (
        ("charts", _CHART_FIELDS, "series", _SERIES_FIELDS, "points", _POINT_FIELDS),
        ("tables", _TABLE_FIELDS, "rows", _ROW_FIELDS, "cells", _CELL_FIELDS),
    )
    for key, fields, inner, inner_fields, leaf, leaf_fields in levels:
        items = slide.get(key, [])
        if not isinstance(items, list):
            return f"{where} has '{key}' that is not a list"
        for n, item in enumerate(items, start=1):
            place = f"{key[:-1]} {n} of {where}"
            problem = _object(item, fields, place)
            for m, part in enumerate(item.get(inner, []) if not problem else []):
                problem = problem or _object(part, inner_fields, f"{inner[:-1]} {m + 1} of {place}")
                for k, end in enumerate(part.get(leaf, []) if not problem else []):
                    problem = problem or _object(
                        end, leaf_fields, f"{leaf[:-1]} {k + 1} of {place}"
                    )
            if problem:
                return problem
    return ""


def _object(item: Any, fields: dict[str, tuple[type, ...]], where: str) -> str:
    if not isinstance(item, dict):
        return f"{where} is not an object"
    if fields is _ROW_FIELDS and not isinstance(item.get("total"), bool):
        return f"{where} has a 'total' of the wrong type"
    return _missing(item, {k: v for k, v in fields.items() if k != "total"}, where)


def _missing(item: dict[str, Any], fields: dict[str, tuple[type, ...]], where: str) -> str:
    for name, types in fields.items():
        if name not in item:
            return f"{where} has no '{name}'"
        value = item[name]
        if isinstance(value, bool) or not isinstance(value, types):
            return f"{where} has a '{name}' of the wrong type"
    return ""


def _plain(value: float | str) -> float | int | str:
    if isinstance(value, str):
        return value
    rounded = float(f"{value:.{SIGNIFICANT}g}")
    return int(rounded) if rounded.is_integer() else rounded


def _plain_text(value: float) -> str:
    return str(_plain(value))


# -- explain ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    slide: dict[str, Any]
    figure: dict[str, Any]


def explain(data: dict[str, Any], query: str) -> list[str]:
    """Answer "where does this come from?" for a figure as shown (in words, a chart or a
    table), a chart's category, a table's row, or a slide, in words."""
    slide = _find_slide(data, query)
    if slide is not None:
        return _explain_slide(data, slide)
    lines = _answers(data, query, _same_text)
    if not lines and _number(query) is not None:
        lines = _answers(data, query, _same_number)
    if not lines:
        raise DeckgenError(
            f"'{query}' is neither a figure shown in the deck nor a slide (give a figure as it "
            "is shown, such as £1.15, a chart's category such as FY19/20, or a slide number or "
            "id such as roi)"
        )
    return list(dict.fromkeys(lines))


def _answers(data: dict[str, Any], query: str, same: Any) -> list[str]:
    workbook = data["deck"]["workbook"]
    lines = [_sentence(data, o.slide, o.figure) for o in _find_figure(data, query, same)]
    for slide in data["slides"]:
        where = f"slide {slide['number']} ({slide['key']})"
        for chart in slide.get("charts", []):
            name = slide.get("label") or chart["name"]
            for series in chart["series"]:
                for point in series["points"]:
                    if same(query, point["text"]):
                        basis = f" ({point['basis']})" if point.get("basis") else ""
                        lines.append(
                            f"{point['text']} on {where} is in the chart “{name}”: series "
                            f"{series['name']}, category {point['category']}{basis}: "
                            f"{point['source'] or 'computed by deckgen'}, in {workbook}."
                        )
            for category in chart["categories"]:
                if _same_text(query, category):
                    values = [
                        f"{series['name']} {p['text']} ({p['source'] or 'computed by deckgen'})"
                        for series in chart["series"]
                        for p in series["points"]
                        if p["category"] == category
                    ]
                    lines.append(
                        f"{category} is a category of the chart “{name}” on {where}: "
                        + "; ".join(values)
                        + f", in {workbook}."
                    )
        for table in slide.get("tables", []):
            for row in table["rows"]:
                for cell in row["cells"][1:]:
                    if same(query, cell["text"]):
                        lines.append(
                            f"{cell['text']} on {where} is in the table “{table['name']}”: row "
                            f"{row['label']}, column {cell['column']}: "
                            f"{cell.get('source') or 'computed by deckgen'}, in {workbook}."
                        )
                if row["cells"] and _same_text(query, row["label"]):
                    values = [
                        f"{c['column']} {c['text']} ({c.get('source') or 'computed by deckgen'})"
                        for c in row["cells"][1:]
                    ]
                    lines.append(
                        f"{row['label']} is a row of the table “{table['name']}” on {where}: "
                        + "; ".join(values)
                        + f", in {workbook}."
                    )
    return lines


def _find_slide(data: dict[str, Any], query: str) -> dict[str, Any] | None:
    wanted = query.strip().casefold()
    for slide in data["slides"]:
        if wanted in (str(slide["number"]), str(slide["key"]).casefold()):
            return dict(slide)
    return None


def _find_figure(data: dict[str, Any], query: str, same: Any) -> Iterator[Occurrence]:
    for slide in data["slides"]:
        for figure in slide["figures"]:
            if figure["unit"] == SLIDE_NUMBER:
                continue
            if figure["unit"] == WORDS and not _same_text(query, figure["text"]):
                continue  # words are found by what they say, never by a number in them
            if same(query, figure["text"]):
                yield Occurrence(slide, figure)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold().replace("−", "-")


def _bare(text: str) -> str:
    """£1.15 -> 1.15, c.400 -> 400, 17% -> 17, over 5,000 -> 5,000: what people type."""
    for prefix in ("c.", "over ", "up to ", "under ", "£", "x"):
        text = text.removeprefix(prefix)
    text = re.sub(r"^-£", "-", text)
    return text.removesuffix("%").removesuffix("m").removesuffix("k").removesuffix(" fte")


def _same_text(query: str, shown: str) -> bool:
    wanted, seen = _fold(query), _fold(shown)
    return bool(wanted) and wanted in (seen, _bare(seen))


_SHOWN_NUMBER = re.compile(
    r"^(?P<sign>-)?(?:c\.|over |up to |under )?(?P<minus>-)?[£x]?"
    r"(?P<digits>\d[\d,]*(?:\.\d+)?)(?:m|k|bn|%| fte| times)?$"
)


def _number(text: str) -> float | None:
    """The number a figure shows, as typed or as displayed: "-£8.1m" -> -8.1, "c.400" -> 400."""
    match = _SHOWN_NUMBER.match(_fold(text).replace("−", "-"))
    if match is None:
        return None
    value = float(match["digits"].replace(",", ""))
    return -value if match["sign"] or match["minus"] else value


def _same_number(query: str, shown: str) -> bool:
    wanted, seen = _number(query), _number(shown)
    return wanted is not None and seen is not None and abs(wanted - seen) < 1e-9


def _sentence(data: dict[str, Any], slide: dict[str, Any], figure: dict[str, Any]) -> str:
    where = f"slide {slide['number']} ({slide['key']})"
    cited = f"; cited as: {figure['citation']}" if figure.get("citation") else ""
    return (
        f"{figure['text']} on {where} is {describe(str(figure['reference']))}: "
        f"{figure['source']}, in {data['deck']['workbook']}{cited}."
    )


def _explain_slide(data: dict[str, Any], slide: dict[str, Any]) -> list[str]:
    lines = [f"slide {slide['number']} ({slide['key']}): {slide['title']}"]
    figures = [f for f in slide["figures"] if f["unit"] not in (WORDS, SLIDE_NUMBER, CHOICE)]
    charts, tables = slide.get("charts", []), slide.get("tables", [])
    if not figures and not charts and not tables:
        lines.append("  shows no figures from the workbook")
    for figure in figures:
        cited = f"; {figure['citation']}" if figure.get("citation") else ""
        lines.append(f"  {figure['text']}: {figure['source']}{cited}")
    for chart in charts:
        series = ", ".join(s["name"] for s in chart["series"])
        lines.append(
            f"  chart: {series} by {', '.join(chart['categories'])} "
            "(deckgen explain CATEGORY says where each value comes from)"
        )
    for table in tables:
        rows = [r["label"] for r in table["rows"] if not r["total"]]
        lines.append(
            f"  table “{table['name']}”: {len(rows)} rows (deckgen explain ROW says where each "
            "cell comes from)"
        )
    return lines
