"""The provenance manifest beside every deck: each slide, each figure shown, and where it came from.

It is what lets a presenter answer "where does £1.15 come from?" (`deckgen explain`), and what a
later build compares against to report what changed (changes.py).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from deckgen.errors import DeckgenError
from deckgen.specs import SLIDE_NUMBER, WORDS, DeckSpec

FORMAT_VERSION = 1
SIGNIFICANT = 12  # digits kept of a value: enough to tell figures apart, none of the float noise


def manifest_path(deck: Path) -> Path:
    """output/wmp2020.pptx -> output/wmp2020.manifest.json"""
    return deck.with_name(f"{deck.stem}.manifest.json")


def build_manifest(deck: DeckSpec, workbook: Path, built: datetime) -> dict[str, Any]:
    """The manifest of a planned deck, as plain JSON data."""
    slides = []
    for number, slide in enumerate(deck.slides, start=1):
        seen: set[tuple[str, str, str]] = set()
        figures = []
        for use in slide.figures:
            key = (use.text, use.reference, use.source)
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
            if use.citation:
                entry["citation"] = use.citation
            figures.append(entry)
        slides.append(
            {
                "number": number,
                "key": slide.key,
                "id": slide.definition_id,
                "kind": slide.kind,
                "title": slide.title,
                "figures": figures,
            }
        )
    return {
        "format": FORMAT_VERSION,
        "deck": {
            "title": deck.title,
            "organisation": deck.organisation,
            "classification": deck.classification,
            "data_as_of": deck.data_as_of,
            "workbook": workbook.name,
            "built": built.isoformat(),
        },
        "slides": slides,
    }


def dumps(data: dict[str, Any]) -> bytes:
    """The manifest as indented UTF-8 JSON (for diffs), encoded piece by piece: a 1,000-slide
    manifest is 13 MB, and joining the pieces first held several copies of it at once."""
    out = io.BytesIO()
    for chunk in json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(data):
        out.write(chunk.encode("utf-8"))
    out.write(b"\n")
    return out.getvalue()


def load_manifest(path: Path) -> dict[str, Any]:
    """Read a manifest; a missing, foreign or damaged one (keys missing, wrong types) is a
    one-line error naming it, so that nothing reading it meets a KeyError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeckgenError(f"{path}: no manifest here; build the deck first") from None
    except (OSError, ValueError) as exc:
        raise DeckgenError(f"{path}: not a readable deckgen manifest ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
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
            if not isinstance(figure.get("citation", ""), str):
                return f"{where} has a 'citation' that is not text"
    return ""


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


# -- explain ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    slide: dict[str, Any]
    figure: dict[str, Any]


def explain(data: dict[str, Any], query: str) -> list[str]:
    """Answer "where does this come from?" for a figure as shown, or for a slide, in words."""
    slide = _find_slide(data, query)
    if slide is not None:
        return _explain_slide(data, slide)
    found = list(_find_figure(data, query))
    if not found:
        raise DeckgenError(
            f"'{query}' is neither a figure shown in the deck nor a slide (give a figure as it "
            "is shown, such as £1.15, or a slide number or id such as roi)"
        )
    lines = []
    for item in found:
        lines.append(_sentence(data, item.slide, item.figure))
    return list(dict.fromkeys(lines))


def _find_slide(data: dict[str, Any], query: str) -> dict[str, Any] | None:
    wanted = query.strip().casefold()
    for slide in data["slides"]:
        if wanted in (str(slide["number"]), str(slide["key"]).casefold()):
            return dict(slide)
    return None


def _find_figure(data: dict[str, Any], query: str) -> Iterator[Occurrence]:
    wanted = _fold(query)
    for slide in data["slides"]:
        for figure in slide["figures"]:
            if figure["unit"] in (WORDS, SLIDE_NUMBER):
                continue
            shown = _fold(figure["text"])
            if wanted and wanted in (shown, _bare(shown)):
                yield Occurrence(slide, figure)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _bare(text: str) -> str:
    """£1.15 -> 1.15, c.400 -> 400, 17% -> 17, over 5,000 -> 5,000: what people type."""
    for prefix in ("c.", "over ", "up to ", "under ", "£", "x"):
        text = text.removeprefix(prefix)
    return text.removesuffix("%").removesuffix("m").removesuffix("k").removesuffix(" fte")


def _sentence(data: dict[str, Any], slide: dict[str, Any], figure: dict[str, Any]) -> str:
    where = f"slide {slide['number']} ({slide['key']})"
    what = _describe(str(figure["reference"]))
    cited = f"; cited as: {figure['citation']}" if figure.get("citation") else ""
    return (
        f"{figure['text']} on {where} is {what}: {figure['source']}, in "
        f"{data['deck']['workbook']}{cited}."
    )


def _describe(reference: str) -> str:
    """metrics.return_per_pound -> "the return per pound"; fte[TS1] -> "the FTE of TS1"."""
    from deckgen.metrics import DESCRIPTIONS

    expression = reference.split(":")[0].split("|")[0].strip()
    name = expression.removeprefix("metrics.")
    if expression.startswith("metrics.") and name in DESCRIPTIONS:
        return DESCRIPTIONS[name]
    if expression.startswith("fte[") and " + " not in expression:
        return f"the FTE of {expression[4:].split(']')[0]}"
    if expression.startswith("figures.") and " " not in expression:
        _, slide, key = expression.split(".", 2)
        return f"the figure '{key}' of slide '{slide}' on the Figures sheet"
    return f"{{{expression}}}"


def _explain_slide(data: dict[str, Any], slide: dict[str, Any]) -> list[str]:
    lines = [f"slide {slide['number']} ({slide['key']}): {slide['title']}"]
    figures = [f for f in slide["figures"] if f["unit"] not in (WORDS, SLIDE_NUMBER)]
    if not figures:
        lines.append("  shows no figures from the workbook")
    for figure in figures:
        cited = f"; {figure['citation']}" if figure.get("citation") else ""
        lines.append(f"  {figure['text']}: {figure['source']}{cited}")
    return lines
