"""Which shapes deckgen writes carry data, the id each gets, and what each shows, as data.

A slide reused in another talk keeps its shapes but loses its place: it may sit at any position,
under any template, among slides deckgen never made. What lets `deckgen refresh` find a shape
there and bring it up to date is an id written into the shape itself (render/identity.py writes
it), tied to a record of what the shape showed when it was written: the slide's id, the shape's
role, its paragraphs and where each figure sits in them, a chart's series and categories, a
table's cells. The same records go into the manifest under "shapes", so a shape whose written
record was lost on the way (LibreOffice keeps only shape names) can still be matched.

This module knows nothing of PowerPoint: it turns slide specs into records and records into
JSON and back.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from deckgen.specs import (
    ChartSpec,
    DeckSpec,
    FigureUse,
    Shape,
    SlideSpec,
    TableSpec,
    TextSpec,
)

FORMAT = 1
LINE_DIGITS = 10  # hex digits of a notes line's digest
TAG_NAME = "DECKGEN"  # PowerPoint shows tag names in capitals; written so, they read back alike
EXT_URI = "{5C0B0A1E-DEC6-4E4E-9F0B-2B1D8E5F0714}"  # deckgen's own cNvPr extension
EXT_NAMESPACE = "https://deckgen.invalid/identity/1"
NAME_MARK = re.compile(r" \[deckgen:(?P<deck>[0-9a-f]{6}):(?P<uid>[^\]\s]+)\]$")

# Roles of the shapes that carry data.
TITLE = "title"
SUBTITLE = "subtitle"
TEXT = "text"
CHART = "chart"  # native, or drawn as a picture (--chart-engine image)
TABLE = "table"
NOTES = "notes"
FOOTER = "footer"  # the date placeholder: "Data as of 31 July 2019"
SLIDE_ROLES = (TITLE, SUBTITLE, NOTES, FOOTER)  # one per slide; carried by the slide's own tags
DATA_AS_OF = "Data as of "
DATA_AS_OF_REFERENCE = "about.data_as_of"
IMAGE = "image"  # the chart engine that draws charts as pictures


def deck_key(deck: DeckSpec) -> str:
    """Which deck a shape came from: the deck definition's name and the organisation."""
    return f"{deck.definition}|{deck.organisation}"


def deck_mark(key: str) -> str:
    """Six hex digits of the deck key, short enough for a shape name."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:6]


def uid_slide(uid: str) -> str:
    """roi/text2 -> roi"""
    return uid.rpartition("/")[0]


def marked_name(name: str, key: str, uid: str) -> str:
    """A shape's name with its id after it, as the selection pane shows it; kept by LibreOffice,
    which drops tags and extensions."""
    return f"{unmarked_name(name)} [deckgen:{deck_mark(key)}:{uid}]"


def unmarked_name(name: str) -> str:
    return NAME_MARK.sub("", name)


def name_mark(name: str) -> tuple[str, str] | None:
    """(deck mark, uid) of a marked shape name, None when the name carries none."""
    match = NAME_MARK.search(name)
    return (match.group("deck"), match.group("uid")) if match else None


@dataclass(frozen=True)
class Mark:
    """A figure as written into a text: its paragraph, where it starts, its text and reference."""

    paragraph: int
    start: int
    text: str
    reference: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class ChartRecord:
    categories: tuple[str, ...]
    series: tuple[str, ...]
    values: tuple[tuple[float | None, ...], ...]


@dataclass(frozen=True)
class Record:
    """One data-carrying shape as deckgen wrote it."""

    uid: str  # "roi/text2": the slide's key, then the role and its ordinal on the slide
    role: str
    name: str = ""  # the shape's name without the id mark (what the selection pane showed)
    paragraphs: tuple[str, ...] = ()  # text roles: each paragraph's text as written
    marks: tuple[Mark, ...] = ()
    chart: ChartRecord | None = None
    rows: tuple[tuple[str, ...], ...] = ()  # tables: every row as written, header first
    lines: tuple[str, ...] = ()  # notes: a digest of each line (the notes hold the words)
    extra: Mapping[str, Any] = field(default_factory=dict)  # render-time facts (see below)

    @property
    def slide(self) -> str:
        return uid_slide(self.uid)

    def shows_same(self, other: Record) -> bool:
        """Whether two records show the same words, figures, cells and data."""
        return (self.paragraphs, self.marks, self.rows, self.lines, self.chart) == (
            other.paragraphs,
            other.marks,
            other.rows,
            other.lines,
            other.chart,
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.uid, "role": self.role}
        if self.name:
            data["name"] = self.name
        if self.paragraphs:
            data["paragraphs"] = list(self.paragraphs)
        if self.marks:
            data["figures"] = [
                {
                    "paragraph": m.paragraph,
                    "start": m.start,
                    "text": m.text,
                    "reference": m.reference,
                }
                for m in self.marks
            ]
        if self.chart is not None:
            data["categories"] = list(self.chart.categories)
            data["series"] = [
                {"name": name, "values": list(values)}
                for name, values in zip(self.chart.series, self.chart.values, strict=True)
            ]
        if self.rows:
            data["rows"] = [list(row) for row in self.rows]
        if self.lines:
            data["lines"] = list(self.lines)
        if self.extra:
            data["extra"] = dict(self.extra)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Record:
        """A record from JSON; ValueError (or KeyError, TypeError) when it is not one."""
        chart = None
        if "series" in data:
            series = data["series"]
            chart = ChartRecord(
                tuple(str(c) for c in data.get("categories", ())),
                tuple(str(s["name"]) for s in series),
                tuple(tuple(_number(v) for v in s["values"]) for s in series),
            )
        marks = tuple(
            Mark(int(m["paragraph"]), int(m["start"]), str(m["text"]), str(m["reference"]))
            for m in data.get("figures", ())
        )
        extra = data.get("extra", {})
        if not isinstance(extra, dict):
            raise ValueError("extra is not an object")
        return cls(
            uid=str(data["id"]),
            role=str(data["role"]),
            name=str(data.get("name", "")),
            paragraphs=tuple(str(p) for p in data.get("paragraphs", ())),
            marks=marks,
            chart=chart,
            rows=tuple(tuple(str(c) for c in row) for row in data.get("rows", ())),
            lines=tuple(str(line) for line in data.get("lines", ())),
            extra=extra,
        )


def _number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"not a number: {value!r}")
    return float(value)


# -- tags: what the renderer writes and refresh reads --------------------------------------


@dataclass(frozen=True)
class SlideTag:
    """The tag of a slide: its deck and key, and the records of its one-per-slide shapes."""

    deck: str
    slide: str
    records: tuple[Record, ...]


def shape_payload(deck: str, record: Record) -> str:
    return _dumps({"deckgen": FORMAT, "deck": deck, "shape": record.to_json()})


def slide_payload(tag: SlideTag) -> str:
    return _dumps(
        {
            "deckgen": FORMAT,
            "deck": tag.deck,
            "slide": tag.slide,
            "shapes": [r.to_json() for r in tag.records],
        }
    )


def read_payload(text: str) -> tuple[str, Record] | SlideTag | None:
    """A shape's (deck, record) or a slide's tag from a tag value; None when the value is not
    deckgen's or is damaged (a tag is data from a file anyone may have edited)."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("deckgen") != FORMAT:
            return None
        deck = str(data["deck"])
        if "shape" in data:
            return deck, Record.from_json(data["shape"])
        records = tuple(Record.from_json(r) for r in data["shapes"])
        return SlideTag(deck, str(data["slide"]), records)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def line_digest(line: str) -> str:
    """A notes line as a record keeps it: notes are long, and only whether a line is still the
    one deckgen wrote matters (the deck itself holds the new words)."""
    return hashlib.sha256(line.encode("utf-8")).hexdigest()[:LINE_DIGITS]


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# -- records of a planned slide ------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """The records of one slide: the one-per-slide ones and those of its shapes, each beside the
    spec it was made from (None for a shape that carries no data)."""

    slide: tuple[Record, ...]
    shapes: tuple[tuple[Shape, Record | None], ...]


def plan_slide(slide: SlideSpec, notes: str, footer_text: str = "") -> Planned:
    """The records of `slide` as it will be drawn, with `notes` as its notes' text and
    `footer_text` in its date placeholder."""
    key = slide.key
    own: list[Record] = []
    if slide.title_figures:
        own.append(
            _text_record(f"{key}/{TITLE}", TITLE, "", (slide.title,), (slide.title_figures,))
        )
    if slide.subtitle and slide.subtitle_figures:
        lines = tuple(slide.subtitle.split("\n"))
        own.append(_text_record(f"{key}/{SUBTITLE}", SUBTITLE, "", lines, _spread(lines, slide)))
    if footer_text.startswith(DATA_AS_OF) and slide.footer:
        date = footer_text[len(DATA_AS_OF) :]
        mark = Mark(0, len(DATA_AS_OF), date, DATA_AS_OF_REFERENCE)
        own.append(Record(f"{key}/{FOOTER}", FOOTER, "", (footer_text,), (mark,)))
    if notes:
        lines = tuple(line_digest(line) for line in notes.split("\n"))
        own.append(Record(f"{key}/{NOTES}", NOTES, lines=lines))
    shapes: list[tuple[Shape, Record | None]] = []
    counts: dict[str, int] = {}
    for shape in slide.shapes:
        role = _role(shape)
        if role is None:
            shapes.append((shape, None))
            continue
        counts[role] = counts.get(role, 0) + 1
        uid = f"{key}/{role}{counts[role]}"
        shapes.append((shape, _shape_record(shape, role, uid)))
    return Planned(tuple(own), tuple(shapes))


def deck_records(deck: DeckSpec, chart_engine: str) -> Iterator[Record]:
    """Every record of the deck, slide by slide: what the manifest lists under "shapes"."""
    footer = f"{DATA_AS_OF}{deck.data_as_of}"
    for slide in deck.slides:
        planned = plan_slide(slide, notes_text(slide, chart_engine), footer)
        yield from planned.slide
        yield from (record for _, record in planned.shapes if record is not None)


def notes_text(slide: SlideSpec, chart_engine: str) -> str:
    """The slide's notes; with charts as pictures, each chart's data follows as a table."""
    notes = slide.notes
    if chart_engine == IMAGE:
        for shape in slide.shapes:
            if isinstance(shape, ChartSpec) and shape.data_table:
                rows = [" | ".join(cell or "-" for cell in row) for row in shape.data_table]
                table = "\n".join([f"Chart data ({shape.name}):", *rows])
                notes = f"{notes}\n\n{table}" if notes else table
    return notes


def _role(shape: Shape) -> str | None:
    if isinstance(shape, ChartSpec):
        return CHART
    if isinstance(shape, TableSpec):
        return TABLE
    if isinstance(shape, TextSpec):
        return TEXT
    return None


def _shape_record(shape: Shape, role: str, uid: str) -> Record | None:
    if isinstance(shape, TextSpec):
        texts = tuple(p.text for p in shape.paragraphs)
        record = _text_record(uid, TEXT, shape.name, texts, [p.figures for p in shape.paragraphs])
        return record if record.marks else None
    if isinstance(shape, ChartSpec):
        chart = ChartRecord(
            shape.categories,
            tuple(s.name for s in shape.series),
            tuple(tuple(_finite(v) for v in s.values) for s in shape.series),
        )
        return Record(uid, role, shape.name, chart=chart)
    if isinstance(shape, TableSpec):
        rows = [tuple(c.header for c in shape.columns), *shape.rows]
        if shape.total is not None:
            rows.append(shape.total)
        return Record(uid, TABLE, shape.name, rows=tuple(rows))
    return None


def _text_record(
    uid: str,
    role: str,
    name: str,
    texts: Sequence[str],
    figures: Sequence[Sequence[FigureUse]],
) -> Record:
    marks: list[Mark] = []
    for index, (text, uses) in enumerate(zip(texts, figures, strict=False)):
        marks.extend(locate(index, text, uses))
    return Record(uid, role, name, tuple(texts), tuple(marks))


SLIDE_REFERENCE = "slide."  # {slide.yearly}: the number (or title) of another slide


def locate(paragraph: int, text: str, uses: Sequence[FigureUse]) -> list[Mark]:
    """Where each figure sits in `text`: at its recorded offset when the text shows it there,
    else at its next showing after the previous figure; a figure not shown is left out. A
    figure inside words chosen from the data ("save {metrics.net_benefit}") is kept nested in
    the choice's mark, so a refresh can change the figure alone when the words stay.

    A pointer to another slide ("see slide 9", or that slide's title in a per-slide deck) is
    not a figure of the workbook and means nothing in another talk: it is never refreshed."""
    marks: list[Mark] = []
    cursor = 0
    for use in uses:
        shown = use.text
        if not shown or use.reference.startswith(SLIDE_REFERENCE):
            continue
        start = use.offset
        if start >= 0 and text[start : start + len(shown)] == shown:
            if start < cursor:
                outer = marks[-1] if marks else None
                if outer is not None and outer.start <= start and start + len(shown) <= outer.end:
                    # a figure inside words chosen from the data: kept, nested in them
                    marks.append(Mark(paragraph, start, shown, use.reference))
                continue
        else:
            start = text.find(shown, cursor)
            if start < 0:
                continue
        marks.append(Mark(paragraph, start, shown, use.reference))
        cursor = start + len(shown)
    return marks


def _spread(lines: Sequence[str], slide: SlideSpec) -> list[list[FigureUse]]:
    """The subtitle's figures, line by line, in order (its lines were stripped when planned)."""
    per_line: list[list[FigureUse]] = [[] for _ in lines]
    index = 0
    for use in slide.subtitle_figures:
        while index < len(lines) and use.text not in lines[index]:
            index += 1
        if index == len(lines):
            break
        per_line[index].append(replace(use, offset=-1))  # found again in its line
    return per_line


def _finite(value: float | None) -> float | None:
    """A chart's value as JSON can hold it: a gap for NaN and the infinities, as drawn."""
    return value if value is not None and math.isfinite(value) else None
