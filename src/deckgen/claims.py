"""Words chosen from the data, so that a claim stays true when next quarter's figures change.

A sentence in the deck definition that compares or describes a trend does not fix its verb; it
names the figures and lets the data choose, in braces like any reference:

    {compare A with B: exceed|fall short of}            A more than B, or less
    {compare A with B: exceed|match|fall short of}      ... or the same, as shown
    {trend years.benefits from Y: rise|stay flat|fall}  last year against first, flat within 5%
    {trend context[Rise in Crime]: rising|falling}      a driver's Direction (up or down)
    {sign metrics.net_benefit: savings|a cost}          zero or more, or less than zero
    {when A > B}                                        shows nothing; data that break it fail

Two words and the middle case (the same, flat, zero) is an error naming the slide and the
sentence: give three words where that can happen. The words may hold references themselves:
`{sign metrics.net_benefit: savings of {metrics.net_benefit}|a cost of {metrics.net_benefit:abs}}`.
A figure shown negative right after a word of gain ("exceed investment by -£20m", "savings of
-£5m") or of direction ("rose -5%", "down by -3%") is refused in every sentence, whichever way it
was written; elsewhere in the sentence ("set up in 2019, it cost -£5m") a negative is a fact.

`direction` and `compared` are the thresholds themselves, for words written from data in code
(a chart's alt text), so those follow the data by the same rules as the deck definition's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from deckgen import formatting
from deckgen.references import (
    REFERENCE,
    SLIDE_ELSEWHERE,
    NoValueError,
    Resolver,
    Value,
    describe,
    scan,
    split_top,
)

CHOICE = "choice"  # the unit of words chosen from the data, in the manifest
FORMS = ("compare", "trend", "sign", "when")
FLAT_WITHIN = 0.05  # a series "stays flat" when its last value is within 5% of its first
SERIES_FIELDS = ("investment", "benefits", "net", "cumulative_net")
SERIES_WORDS = {
    "investment": "yearly investment is",
    "benefits": "yearly benefits are",
    "net": "the yearly net benefit is",
    "cumulative_net": "the cumulative net benefit is",
}
# A negative amount may not directly follow these words: "exceed it by -£20m" is false.
# Words of gain say the amount is a gain: it may follow them by a few words of the same clause
# ("exceed investment by", "savings are forecast at", "Net savings:").
GAIN_WORDS = (
    r"exceed\w*|outr[au]n\w*|overt[ao]ok\w*|overtake\w*|outperform\w*|sav(?:e|es|ed|ing|ings)"
)
# Words of direction say the amount is a change that way: only at once or after "by" ("rose 5%",
# "up by 5%"). After "to" or "from" the amount is a level ("falls to -£89m"), and "up" and
# "down" far from an amount are no claim about it ("set up in 2019, ... -£5m").
DIRECTION_WORDS = (
    r"ris(?:e|es|en|ing)|rose|fall(?:s|en|ing)?|fell|increas\w*|decreas\w*|reduc\w*|lost"
    r"|los(?:e|es|s)|cut|cuts|up|down"
)
_AFTER_GAIN = re.compile(rf"\b({GAIN_WORDS})(?::\s*|\s+)(?:[\w'’-]+\s+){{0,3}}$", re.IGNORECASE)
_AFTER_DIRECTION = re.compile(rf"\b({DIRECTION_WORDS})\s+(?:by\s+)?$", re.IGNORECASE)
# A label names what its figure is: any such word in it ("Rise in early guilty pleas") makes
# the figure that gain or change.
_IN_LABEL = re.compile(rf"\b({GAIN_WORDS}|{DIRECTION_WORDS})\b", re.IGNORECASE)
_WITHIN = re.compile(r"\s+within\s+(\d+(?:\.\d+)?)\s*%\s*$")
_TREND_CONDITION = re.compile(r"^(?P<series>.+?)\s+(?P<verb>rises|falls|stays flat)$")
_SLIDE_WORD = re.compile(r"\b[Ss]lides?\s+$")


class ClaimError(KeyError):
    """A form that cannot be read, or names a figure the workbook does not have."""


class ContradictedError(ClaimError):
    """This workbook's data contradict the sentence (a false `when`, a missing middle word)."""


@dataclass(frozen=True)
class Piece:
    """A part of a sentence as shown: words, a figure, or the record of words chosen."""

    text: str  # what the reader sees ("" for the record of a choice and for a condition)
    reference: str = ""  # "" for the deck definition's own words
    value: Value | None = None
    chosen: bool = False  # the record of a choice: its words are the pieces that follow
    branch: str = ""  # for a choice: the words chosen, as written (stable while the data agree)


@dataclass(frozen=True)
class Outcome:
    """Which way the data went, why, and from which cells."""

    index: int  # 0 more / rise / positive, 1 the same / flat / zero, 2 less / fall / negative
    why: str
    cells: tuple[str, ...]


def is_form(inside: str) -> bool:
    return inside.split(" ", 1)[0] in FORMS and " " in inside.strip()


# -- rendering ----------------------------------------------------------------------------------


def render(template: str, resolver: Resolver) -> list[Piece]:
    """The pieces of `template` with every reference and form resolved; ClaimError or KeyError
    when something cannot be, ContradictedError when the data contradict the sentence."""
    pieces: list[Piece] = []
    position = 0
    for start, end, inside in scan(template):
        if start > position:
            pieces.append(Piece(template[position:start]))
        position = end
        if is_form(inside):
            pieces.extend(_form(inside, resolver))
            continue
        resolved = resolver.resolve(inside)
        if resolved.value.derivation == SLIDE_ELSEWHERE and pieces and not pieces[-1].reference:
            # "see slide {slide.yearly}" in a deck without that slide: "see “Yearly ...”"
            pieces[-1] = Piece(_SLIDE_WORD.sub("", pieces[-1].text))
        pieces.append(Piece(resolved.text, inside, resolved.value))
    if position < len(template):
        pieces.append(Piece(template[position:]))
    return pieces


def plain(template: str, resolver: Resolver) -> str:
    return "".join(p.text for p in render(template, resolver))


def readable(template: str, resolver: Resolver) -> str:
    """The sentence as near as it can be shown, for a message: what cannot be resolved is left
    as its choices, "[exceed|fall short of]"."""
    out: list[str] = []
    position = 0
    for start, end, inside in scan(template):
        out.append(template[position:start])
        position = end
        try:
            out.append(plain("{" + inside + "}", resolver))
        except KeyError:
            if is_form(inside):
                words = split_top(inside, ":")
                out.append("[" + ":".join(words[1:]).strip() + "]" if len(words) > 1 else "")
            else:
                out.append("{" + inside + "}")
    out.append(template[position:])
    return " ".join("".join(out).split())


def _form(inside: str, resolver: Resolver) -> list[Piece]:
    kind, _, rest = inside.strip().partition(" ")
    if kind == "when":
        for condition in split_top(rest, " and "):
            _condition(condition.strip(), resolver)
        return []
    header, words = _header_and_words(inside)
    if kind == "compare":
        outcome = _compare_header(header, resolver)
        names = ("more", "the same", "less")
    elif kind == "trend":
        outcome = _trend_header(header, resolver)
        names = ("a rise", "a flat series", "a fall")
    else:
        outcome = _sign(resolver.value(header), header)
        names = ("more than zero", "zero", "less than zero")  # as shown
    chosen = _pick(words, outcome, inside, names)
    inner = render(chosen, resolver)
    shown = "".join(p.text for p in inner)
    record = Value(None, shown, CHOICE, "", outcome.why, outcome.cells)
    return [Piece("", inside, record, chosen=True, branch=chosen), *inner]


def _header_and_words(inside: str) -> tuple[str, list[str]]:
    kind, _, rest = inside.strip().partition(" ")
    parts = split_top(rest, ":")
    if len(parts) < 2:
        raise ClaimError(
            f"'{kind}' needs its words after a colon, as in "
            "{compare metrics.total_benefits with metrics.total_investment: exceed|fall short of}"
        )
    words = [w.strip() for w in split_top(":".join(parts[1:]), "|")]
    if len(words) not in (2, 3):
        raise ClaimError(
            f"'{kind}' takes two choices (more|less) or three (more|same|less), "
            f"separated by |; got {len(words)}"
        )
    return parts[0].strip(), words


def _pick(words: list[str], outcome: Outcome, inside: str, names: tuple[str, ...]) -> str:
    if len(words) == 3:
        return words[outcome.index]
    if outcome.index == 1:
        raise ContradictedError(
            f"has words for {names[0]} and for {names[2]}, but here {outcome.why}"
            f"{_cells(outcome)}: add words for {names[1]} between the two"
        )
    return words[0] if outcome.index == 0 else words[1]


def _cells(outcome: Outcome) -> str:
    return f" ({', '.join(outcome.cells)})" if outcome.cells else ""


# -- compare ------------------------------------------------------------------------------------


def _within(header: str) -> tuple[str, float | None]:
    match = _WITHIN.search(header)
    if match is None:
        return header, None
    return header[: match.start()], float(match.group(1)) / 100


def _compare_header(header: str, resolver: Resolver) -> Outcome:
    header, within = _within(header)
    operands = split_top(header, " with ")
    if len(operands) != 2:
        raise ClaimError("write compare A with B: more|less")
    return _compare(operands[0].strip(), operands[1].strip(), within, resolver)


def _operand(expression: str, other: str, resolver: Resolver) -> Value:
    if expression == "0":
        unit = resolver.value(other).unit if other != "0" else ""
        return Value(0.0, None, unit, "", "zero", ())
    return resolver.value(expression)


def _compare(left: str, right: str, within: float | None, resolver: Resolver) -> Outcome:
    a, b = _operand(left, right, resolver), _operand(right, left, resolver)
    cells = a.cells + tuple(c for c in b.cells if c not in a.cells)
    if a.number is None or b.number is None:
        first, second = _year_index(a, left, resolver), _year_index(b, right, resolver)
        index = 0 if first > second else 1 if first == second else 2
        relation = ("later than", "the same year as", "earlier than")[index]
        return Outcome(index, f"{a.text} is {relation} {b.text}", cells)
    if within is not None:
        same = abs(a.number - b.number) <= within * max(abs(a.number), abs(b.number))
    else:
        same = _shown(a, b) == _shown(b, a)
    index = 1 if same else 0 if a.number > b.number else 2
    relation = ("more than", "the same as", "less than")[index]
    if within is not None and same:
        relation = f"within {within:.0%} of"
    if right == "0":
        relation = ("more than zero", "zero", "less than zero")[index]
        return Outcome(index, f"{describe(left)} is {_shown(a, b)}, {relation}", cells)
    why = f"{describe(left)} is {_shown(a, b)}, {relation} {describe(right)}, {_shown(b, a)}"
    return Outcome(index, why, cells)


def _shown(value: Value, other: Value) -> str:
    """A figure as a reader sees it, to tell whether two figures read the same."""
    number = value.number or 0.0
    if value.unit == other.unit:
        return formatting.format_value(number, value.unit, decimals=value.decimals)
    places = max(
        formatting.decimals_for(number, value.unit),
        formatting.decimals_for(other.number or 0.0, other.unit),
    )
    return formatting.number(number, places)


def _year_index(value: Value, expression: str, resolver: Resolver) -> int:
    labels = [y.label for y in resolver.model.years]
    text = value.text or ""
    if text not in labels:
        raise ClaimError(
            f"'{expression}' is neither a figure nor a year of the Finance by Year sheet: "
            "compare compares figures, or years"
        )
    return labels.index(text)


def _sign(value: Value, expression: str) -> Outcome:
    if value.number is None:
        raise ClaimError(f"'{expression}' is not a figure: sign needs a figure")
    places = value.decimals
    if places is None:
        places = formatting.decimals_for(value.number, value.unit)
    shown = formatting.round_half_up(value.number, places)
    index = 1 if shown == 0 else 0 if shown > 0 else 2
    relation = ("more than zero", "zero as shown", "less than zero")[index]
    text = formatting.format_value(value.number, value.unit, decimals=value.decimals)
    return Outcome(index, f"{describe(expression)} is {text}, {relation}", value.cells)


# -- trend --------------------------------------------------------------------------------------


def _trend_header(header: str, resolver: Resolver) -> Outcome:
    header, within = _within(header)
    return trend(header.strip(), within, resolver)


def trend(series: str, within: float | None, resolver: Resolver) -> Outcome:
    """Rise, flat or fall: a yearly series from its first to its last year, or a driver."""
    if series.startswith("context["):
        return _driver(series, resolver)
    if not series.startswith("years."):
        raise ClaimError(
            f"'{series}' is not a series: use years.FIELD (FIELD one of "
            f"{', '.join(SERIES_FIELDS)}), optionally from YEAR to YEAR, or context[DRIVER]"
        )
    words = series.split()
    field_name = words[0].removeprefix("years.")
    if field_name not in SERIES_FIELDS:
        raise ClaimError(f"no series 'years.{field_name}' (series: {', '.join(SERIES_FIELDS)})")
    span = " ".join(words[1:])
    labels = [y.label for y in resolver.model.years]
    first, last = 0, len(labels) - 1
    for keyword, rest in _span_parts(span):
        index = _year_of(rest, labels, resolver)
        if keyword == "from":
            first = index
        else:
            last = index
    if last <= first:
        raise ContradictedError(
            f"needs two years or more, but runs from {labels[first]} to {labels[last]}"
        )
    points = resolver.metrics.years
    start, end = getattr(points[first], field_name), getattr(points[last], field_name)
    limit = FLAT_WITHIN if within is None else within
    index = direction(start, end, limit)
    relation = (
        f"more than {limit:.0%} above",
        f"within {limit:.0%} of",
        f"more than {limit:.0%} below",
    )
    why = (
        f"{SERIES_WORDS[field_name]} {formatting.format_value(end, '£m')} in {labels[last]}, "
        f"{relation[index]} {formatting.format_value(start, '£m')} in {labels[first]}"
    )
    model = resolver.model
    rows = (model.years[first].row, model.years[last].row)
    columns = (
        ("investment", "benefits") if field_name in ("net", "cumulative_net") else (field_name,)
    )
    if field_name == "cumulative_net":
        rows = (model.years[0].row, model.years[last].row)
    cells = tuple(model.cell_range("finance", c, rows) for c in columns)
    return Outcome(index, why, cells)


def direction(start: float, end: float, within: float = FLAT_WITHIN) -> int:
    """0 when `end` rises from `start`, 1 when it stays flat (within `within` of the larger of
    the two), 2 when it falls: the threshold every trend word of the deck is chosen by."""
    if abs(end - start) <= within * max(abs(start), abs(end)):
        return 1
    return 0 if end > start else 2


def compared(first: float, second: float, unit: str) -> int:
    """0 when `first` is more than `second`, 1 when the two read the same as shown in `unit`
    (£118m and £118.2m), 2 when it is less: how the deck tells a tie."""
    if formatting.format_value(first, unit) == formatting.format_value(second, unit):
        return 1
    return 0 if first > second else 2


def _span_parts(span: str) -> Iterator[tuple[str, str]]:
    tokens = re.split(r"\s*\b(from|to)\s+", " " + span)
    if tokens[0].strip():
        raise ClaimError(f"'{span}': write the years as from YEAR to YEAR")
    for keyword, rest in zip(tokens[1::2], tokens[2::2], strict=True):
        yield keyword, rest.strip()


def _year_of(expression: str, labels: list[str], resolver: Resolver) -> int:
    if expression in labels:
        return labels.index(expression)
    value = resolver.value(expression)
    if value.text in labels:
        return labels.index(value.text or "")
    raise ClaimError(f"'{expression}' is not a year of the Finance by Year sheet")


def _driver(series: str, resolver: Resolver) -> Outcome:
    name = series.removeprefix("context[").removesuffix("]")
    model = resolver.model
    for driver in model.drivers:
        if " ".join(driver.name.split()).casefold() == " ".join(name.split()).casefold():
            cell = model.cell("context", "direction", driver.row)
            direction = "up" if driver.up else "down"
            return Outcome(
                0 if driver.up else 2, f"the driver {driver.name} is marked {direction}", (cell,)
            )
    raise ClaimError(f"no driver '{name}' on the Context sheet")


# -- conditions ---------------------------------------------------------------------------------


def _condition(condition: str, resolver: Resolver) -> None:
    """Raise ContradictedError unless the data meet `condition` (A > B, A < B, A = B,
    SERIES rises / falls / stays flat)."""
    condition, within = _within(condition)
    match = _TREND_CONDITION.match(condition)
    if match is not None:
        outcome = trend(match["series"], within, resolver)
        wanted = {"rises": 0, "stays flat": 1, "falls": 2}[match["verb"]]
    else:
        sides = next(
            ((op, parts) for op in "><=" if len(parts := split_top(condition, f" {op} ")) == 2),
            None,
        )
        if sides is None:
            raise ClaimError(
                f"'{condition}' is not a condition: write A > B, A < B, A = B (B may be 0), "
                "or SERIES rises, falls or stays flat"
            )
        op, (left, right) = sides
        outcome = _compare(left.strip(), right.strip(), within, resolver)
        wanted = {">": 0, "=": 1, "<": 2}[op]
    if outcome.index != wanted:
        raise ContradictedError(f"needs {condition}, but {outcome.why}{_cells(outcome)}")


# -- checking a deck definition -----------------------------------------------------------------


def check(template: str, resolver: Resolver) -> list[str]:
    """Every problem of one text of the deck definition, each as a message without its place:
    references that name nothing (in every choice, taken or not), forms that cannot be read,
    data that contradict the sentence, and a negative amount after a word of gain."""
    problems = list(_check_syntax(template, resolver))
    if problems:
        return problems
    try:
        pieces = render(template, resolver)
    except ContradictedError as exc:
        return [f"“{readable(template, resolver)}” {exc.args[0]}"]
    except KeyError as exc:
        return [f"“{readable(template, resolver)}”: {exc.args[0]}"]
    return negative_after_claim(pieces)


def _check_syntax(template: str, resolver: Resolver) -> Iterator[str]:
    for _, _, inside in scan(template):
        if not is_form(inside):
            try:
                resolver.resolve(inside)
            except NoValueError:
                pass  # words for when there is no value belong after a bar: checked if shown
            except KeyError as exc:
                yield f"{{{inside}}}: {exc.args[0]}"
            continue
        kind, _, rest = inside.strip().partition(" ")
        try:
            if kind == "when":
                for condition in split_top(rest, " and "):
                    _check_operands(condition.strip(), resolver)
                continue
            header, words = _header_and_words(inside)
            _check_operands(f"{kind} {header}", resolver)
        except ContradictedError:
            continue  # the data's business: reported with the sentence
        except KeyError as exc:
            yield f"{{{inside}}}: {exc.args[0]}"
            continue
        for word in words:
            yield from _check_syntax(word, resolver)


def _check_operands(text: str, resolver: Resolver) -> None:
    """Resolve a form's figures and years so a typo fails now, not next quarter."""
    kind, _, rest = text.partition(" ")
    try:
        if kind == "compare":
            _compare_header(rest, resolver)
        elif kind == "trend":
            _trend_header(rest, resolver)
        elif kind == "sign":
            _sign(resolver.value(rest), rest)
        else:
            _condition(text, resolver)
    except NoValueError:
        return  # a figure with no value this quarter is for the words after a bar to handle


def negative_after_claim(pieces: list[Piece], label: str = "") -> list[str]:
    """A figure shown negative right after a word of gain or direction (see claim_before), or
    under a `label` (a key figure's, a chart series') that holds one anywhere."""
    problems = []
    lead = f"{label}: " if label else ""
    labelled = _IN_LABEL.search(label)
    sentence = lead
    for piece in pieces:
        if piece.value is not None and piece.value.number is not None and not piece.chosen:
            shown = piece.text.lstrip()
            word = claim_before(sentence + piece.text[: len(piece.text) - len(shown)])
            word = word or (labelled.group(1) if labelled else "")
            if shown[:1] in ("-", "−") and word:
                whole = " ".join((lead + "".join(p.text for p in pieces)).split())
                problems.append(
                    f"“{whole}” shows the negative amount {shown} after '{word}'; "
                    "choose the words from the data, e.g. "
                    "{sign metrics.net_benefit: savings of ...|a cost of ...}, and show the "
                    "amount with :abs"
                )
        sentence = _after_last_stop(sentence + piece.text)
    return problems


def claim_before(text: str) -> str:
    """The word of gain or direction an amount written right after `text` would be read with
    ("exceed investment by " -> "exceed"), or "" when the amount would be no claim's."""
    sentence = _after_last_stop(text)
    match = _AFTER_DIRECTION.search(sentence) or _AFTER_GAIN.search(sentence)
    return match.group(1) if match else ""


def _after_last_stop(text: str) -> str:
    """The sentence so far: what follows the last full stop, semicolon or line break."""
    return re.split(r"[.;!?]\s|\n", text)[-1]


def literal_words(template: str) -> str:
    """The deck definition's own words in `template`, in every choice, references left out:
    what the typed-number check reads."""
    out: list[str] = []
    position = 0
    for start, end, inside in scan(template):
        out.append(template[position:start])
        out.append(" ")
        position = end
        if is_form(inside):
            try:
                _, words = _header_and_words(inside)
            except KeyError:
                continue
            out.extend(literal_words(w) + " " for w in words)
    out.append(template[position:])
    return REFERENCE.sub(" ", "".join(out))
