"""Load the deck definition (layouts/<deck>.yaml): the slides in order, their words and references.

Words live here, numbers in the workbook. The loader checks the file's shape (known slide kinds,
known keys, the right types), that no number is typed into the words, and that every reference
names a figure the workbook has, and reports each problem with its file, line and slide, before
anything is built.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from deckgen import claims
from deckgen.errors import DeckgenError
from deckgen.references import REFERENCE, Resolver


class DeckDefinitionError(DeckgenError):
    """The deck definition is malformed or refers to figures the workbook does not have."""


# -- the shape of a deck definition ---------------------------------------------------------

TEXT = "text"  # a string that may hold {references}
TEXTS = "texts"  # a list of such strings (or one string)
BLOCKS = "blocks"  # [{heading: text, bullets: texts} | {heading: text, text: text}]
FIGURES = "figures"  # [{value: "{ref}", label: text} | {text: text}]
CHART = "chart"  # {kind: ..., ...}
WORD = "word"  # a plain identifier-like string
QUOTE = "quote"  # {text: text, by: text}
TABLE = "table"  # which workbook table: one of TABLES
WORDS = "words"  # {key: text}: words in place of defaults (a table's headings, groups)

COMMON: dict[str, str] = {
    "id": WORD,
    "kind": WORD,
    "title": TEXT,
    "label": TEXT,  # a short name for the contents and the manifest (default: the title)
    "notes": TEXTS,
    "source": TEXT,
}
KINDS: dict[str, dict[str, str]] = {
    "cover": {"subtitle": TEXT, "band": TEXTS},
    "contents": {},
    "text": {"intro": TEXT, "blocks": BLOCKS},
    "tiles": {"intro": TEXT, "footnote": TEXT},
    "section": {"subtitle": TEXT},
    "big-number": {"hero": FIGURES, "figures": FIGURES, "blocks": BLOCKS, "footnote": TEXT},
    "chart": {"chart": CHART, "figures": FIGURES, "blocks": BLOCKS, "note": TEXT, "footnote": TEXT},
    "spotlight": {
        "figures": FIGURES,
        "outcomes": TEXTS,
        "summary": TEXT,
        "blocks": BLOCKS,
        "quote": QUOTE,
        "chart": CHART,
        "footnote": TEXT,
    },
    "table": {
        "table": TABLE,
        "note": TEXT,
        "blocks": BLOCKS,
        "headings": WORDS,
        "groups": WORDS,
    },
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "chart": ("title", "chart"),
    "spotlight": ("title", "figures", "summary"),
    "table": ("title", "table"),
    "section": ("title",),
    "text": ("title", "blocks"),
    "tiles": ("title",),
    "big-number": ("title", "hero"),
    "contents": ("title",),
}
CHART_KINDS = (
    "yearly",
    "yearly-combo",
    "cumulative-net",
    "totals",
    "fte-by-project",
    "msf",
    "portfolio-balance",
    "bars",
    "channel-mix",
)
CHART_KEYS = {"kind", "series", "categories", "labels", "unit", "note"}
TABLES = ("fte", "portfolio")

# Digits in the words are figures typed in, unless they are part of a name (WMP2020, TS1, 101)
# listed in the deck's `names`, or a calendar or financial year (2015, 2018/19).
_YEAR = re.compile(r"^(?:19|20)\d\d(?:/\d\d)?$")  # 2015, 2018/19
_WORD_WITH_DIGIT = re.compile(r"[\w/&.+£$,%-]*\d[\w/&.+£$,%-]*")


@dataclass(frozen=True)
class SlideDef:
    """One slide of the deck definition, as written."""

    id: str
    kind: str
    line: int
    data: Mapping[str, Any]

    def text(self, key: str, default: str = "") -> str:
        value = self.data.get(key, default)
        return str(value) if value is not None else default

    def texts(self, key: str) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]


@dataclass(frozen=True)
class DeckDef:
    path: str
    names: tuple[str, ...]
    slides: tuple[SlideDef, ...]

    def slide(self, slide_id: str) -> SlideDef:
        return next(s for s in self.slides if s.id == slide_id)


# -- loading --------------------------------------------------------------------------------


# libyaml's parser when PyYAML was built with it: the same safe loading, several times faster.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """A safe YAML loader that remembers the line of every mapping."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = {str(k): v for k, v in loader.construct_mapping(node, deep=True).items()}
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def load_deck(path: Path) -> DeckDef:
    """Read and check the shape of a deck definition; raise DeckDefinitionError naming the line."""
    shown = str(path)
    if not path.exists():
        raise DeckDefinitionError(f"{shown}: no such deck definition")
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise DeckDefinitionError(f"{shown}{where}: not valid YAML ({problem})") from None
    except UnicodeDecodeError:
        raise DeckDefinitionError(f"{shown}: not UTF-8 text") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("slides"), list):
        raise DeckDefinitionError(f"{shown}: expected a mapping with a 'slides' list")
    problems: list[str] = []
    unknown_top = sorted(set(raw) - {"slides", "names", "__line__"})
    if unknown_top:
        problems.append(
            f"{shown}:1: unknown key(s) {', '.join(unknown_top)} (known: names, slides)"
        )
    names = raw.get("names") or []
    if not isinstance(names, list) or not all(isinstance(n, str | int) for n in names):
        problems.append(f"{shown}: 'names' must be a list of words such as WMP2020")
        names = []
    slides: list[SlideDef] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(raw["slides"], start=1):
        if not isinstance(entry, dict):
            problems.append(f"{shown}: slide {index} must be a mapping with id and kind")
            continue
        line = int(entry.get("__line__", 0))
        slide_problems = _check_slide(entry)
        problems.extend(
            f"{shown}:{line}: slide '{entry.get('id', index)}': {p}" for p in slide_problems
        )
        if slide_problems:
            continue
        slide_id = str(entry["id"])
        if slide_id in seen:
            problems.append(
                f"{shown}:{line}: slide id '{slide_id}' is used twice "
                f"(first on line {seen[slide_id]})"
            )
            continue
        seen[slide_id] = line
        data = {k: _strip_lines(v) for k, v in entry.items() if k != "__line__"}
        slides.append(SlideDef(slide_id, str(entry["kind"]), line, data))
    if problems:
        raise DeckDefinitionError(_join(problems))
    return DeckDef(shown, tuple(str(n) for n in names), tuple(slides))


def _check_slide(entry: Mapping[str, Any]) -> list[str]:
    problems = []
    for key in ("id", "kind"):
        if not isinstance(entry.get(key), str) or not entry.get(key):
            problems.append(f"needs '{key}'")
    kind = entry.get("kind")
    if isinstance(kind, str) and kind not in KINDS:
        problems.append(f"unknown kind '{kind}' (kinds: {', '.join(KINDS)})")
    if problems:
        return problems
    allowed = {**COMMON, **KINDS[str(kind)]}
    for key in REQUIRED.get(str(kind), ()):
        if key not in entry:
            problems.append(f"a {kind} slide needs '{key}'")
    for key, value in entry.items():
        if key == "__line__":
            continue
        if key not in allowed:
            problems.append(
                f"unknown key '{key}' for a {kind} slide (known: {', '.join(sorted(allowed))})"
            )
            continue
        problem = _check_type(allowed[key], value)
        if problem:
            problems.append(f"'{key}' {problem}")
    return problems


def _check_type(kind: str, value: Any) -> str | None:
    if kind in (TEXT, WORD):
        return None if isinstance(value, str | int | float) else "must be text"
    if kind == TEXTS:
        ok = isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str | int | float) for v in value)
        )
        return None if ok else "must be text or a list of texts"
    if kind == BLOCKS:
        if not isinstance(value, list):
            return "must be a list of blocks"
        for block in value:
            if not isinstance(block, dict) or not ({"bullets", "text"} & set(block)):
                return "blocks need 'bullets' or 'text' (and may have 'heading')"
            extra = set(block) - {"heading", "bullets", "text", "__line__"}
            if extra:
                return f"unknown block key(s) {', '.join(sorted(extra))}"
        return None
    if kind == FIGURES:
        if not isinstance(value, list):
            return "must be a list of figures"
        for item in value:
            if not isinstance(item, dict) or not ({"value", "text"} & set(item)):
                return "each figure needs 'value' (a {reference}) or 'text'"
            extra = set(item) - {"value", "label", "text", "__line__"}
            if extra:
                return f"unknown figure key(s) {', '.join(sorted(extra))}"
            if "value" in item and not REFERENCE.fullmatch(str(item["value"]).strip()):
                return f"a figure's value must be one {{reference}} (got {item['value']!r})"
        return None
    if kind == QUOTE:
        if not isinstance(value, dict) or "text" not in value:
            return "must have 'text' and may have 'by'"
        return None
    if kind == CHART:
        if not isinstance(value, dict) or value.get("kind") not in CHART_KINDS:
            return f"needs a kind, one of {', '.join(CHART_KINDS)}"
        extra = set(value) - CHART_KEYS - {"__line__"}
        if extra:
            return f"unknown chart key(s) {', '.join(sorted(extra))}"
        return _check_chart_series(value)
    if kind == TABLE:
        return None if value in TABLES else f"must be one of {', '.join(TABLES)}"
    if kind == WORDS:
        ok = isinstance(value, dict) and all(
            isinstance(v, str | int | float) for k, v in value.items() if k != "__line__"
        )
        return None if ok else "must map names to words, e.g. fte: FTE"
    return None


def _check_chart_series(chart: Mapping[str, Any]) -> str | None:
    """Charts of named figures: categories, and series of {references} or gaps (null)."""
    if chart["kind"] not in ("bars", "channel-mix"):
        return None
    categories = chart.get("categories")
    if not isinstance(categories, list) or not categories:
        return "needs 'categories', a list of words"
    series = chart.get("series")
    if not isinstance(series, list) or not series:
        return "needs 'series', a list of {name, values}"
    for entry in series:
        if not isinstance(entry, dict) or "name" not in entry or "values" not in entry:
            return "each series needs 'name' and 'values'"
        values = entry["values"]
        if not isinstance(values, list) or len(values) != len(categories):
            return f"series '{entry['name']}' needs one value per category ({len(categories)})"
        for raw in values:
            if raw is not None and not REFERENCE.fullmatch(str(raw).strip()):
                return (
                    f"series '{entry['name']}': values must be {{references}} or null (got {raw!r})"
                )
    labels = chart.get("labels", {})
    if not isinstance(labels, dict):
        return "'labels' must map chart words to your own, e.g. remainder: Other"
    return None


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def _join(problems: Sequence[str]) -> str:
    if len(problems) == 1:
        return problems[0]
    return f"{len(problems)} problems in the deck definition:\n  " + "\n  ".join(problems)


# -- words and references ---------------------------------------------------------------------


def strings(value: Any) -> list[str]:
    """Every string inside a slide's data, in order."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def _unique(problems: list[str]) -> list[str]:
    """The same problem once, however often the slide repeats the reference."""
    return list(dict.fromkeys(problems))


def _allowed_word(word: str, names: set[str]) -> bool:
    """A name (WMP2020), a year (2015, 2018/19) or a hyphenation of them (Post-2020)."""
    if word.casefold() in names:
        return True
    parts = [p for p in re.split(r"[-–]", word) if any(c.isdigit() for c in p)]
    return bool(parts) and all(p.casefold() in names or _YEAR.match(p) for p in parts)


def check_references(deck: DeckDef, resolver: Resolver) -> None:
    """Raise DeckDefinitionError listing every reference that names nothing, every claim this
    workbook's data contradict (naming the slide and the sentence), and typed numbers."""
    problems: list[str] = []
    allowed = {n.casefold() for n in deck.names}
    for slide in deck.slides:
        where = f"{deck.path}:{slide.line}: slide '{slide.id}'"
        words = {k: v for k, v in slide.data.items() if k not in ("id", "kind")}
        for text in strings(words):
            problems.extend(f"{where}: {p}" for p in claims.check(text, resolver))
            for word in _WORD_WITH_DIGIT.findall(claims.literal_words(text)):
                bare = word.strip(".,;:()")
                if _allowed_word(bare, allowed):
                    continue
                problems.append(
                    f"{where}: '{bare}' types a number into the deck definition; take it from "
                    "the workbook with a {reference}, or list it under 'names' if it is a name"
                )
        problems.extend(f"{where}: {p}" for p in _figure_claims(slide, resolver))
    if problems:
        raise DeckDefinitionError(_join(_unique(problems)))


def _figure_claims(slide: SlideDef, resolver: Resolver) -> list[str]:
    """A key figure's label is read with its value: "Net cumulative savings" over -£20m is
    the same false claim as a sentence that says so; so is a chart series named "Rise"."""
    labelled: list[tuple[Any, Any]] = []
    for key in ("figures", "hero"):
        for item in slide.data.get(key) or []:
            if isinstance(item, dict) and "value" in item and item.get("label"):
                labelled.append((item["label"], item["value"]))
    chart = slide.data.get("chart")
    if isinstance(chart, dict):
        for entry in chart.get("series") or []:
            if isinstance(entry, dict) and isinstance(entry.get("values"), list):
                labelled += [(entry.get("name", ""), v) for v in entry["values"] if v is not None]
    problems: list[str] = []
    for label, raw in labelled:
        try:
            words = claims.plain(str(label), resolver)
            value = claims.render(str(raw), resolver)
        except KeyError:
            continue  # reported with the text itself
        problems.extend(claims.negative_after_claim(value, words))
    return problems
