"""Resolve `{...}` references in the deck definition to figures from the workbook.

A reference names one figure where it lives: `{metrics.return_per_pound}`, `{figures.bwv.cameras}`,
`{fte[WMP2020 - DDI]}`, `{portfolio[NGES].cashable_benefits}`, `{context[Budget Cuts]}`,
`{comparisons[Officer reduction].relative}`, `{about.data_as_of}`, `{slide.yearly}`. Figures can
be added (`{fte[Mobility - PNC] + fte[Mobility - Stop & Search]}`) or divided into a share
(`{figures.ddi.response_searches / figures.ddi.insight_searches}`). After a colon, a format:
`approx` ("c.400"), `unit` ("17 FTE"), `abs` (no sign), `bare` (no qualifier such as "over").

Words that compare or describe a trend are chosen from the data by the forms in claims.py
(`{compare A with B: exceed|fall short of}`); `scan` finds every brace, nested ones included.
Every resolved figure keeps where it came from, for the speaker notes and the manifest. A
figure whose derivation is undefined (a division by zero) or too large for any deck to show is
never shown as a number: resolving it is an error naming the cells it comes from.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from functools import cache
from typing import TypeVar

from deckgen import formatting
from deckgen.metrics import Label, Metrics, Quantity
from deckgen.model import PORTFOLIO_AMOUNTS, Workbook
from deckgen.workbook.schema import LARGEST

REFERENCE = re.compile(r"\{([^{}]+)\}")
_OPERATOR = re.compile(r"\s+([+/-])\s+(?![^\[]*\])")
_HEAD = re.compile(r"^([a-z_]+)")
_STEP = re.compile(r"\.([A-Za-z_][\w-]*)|\[([^\]]+)\]")
FORMATS = ("approx", "unit", "abs", "bare")
PORTFOLIO_FIELDS = (*PORTFOLIO_AMOUNTS, "costs", "benefits", "net_benefit", "total")
COMPARISON_FIELDS = ("west_midlands", "msf_average", "difference", "relative")
_Row = TypeVar("_Row")  # a row of one of the model's tables
ABOUT_FIELDS = (
    "title",
    "subtitle",
    "organisation",
    "audience",
    "data_as_of",
    "last_updated",
    "classification",
)
# Figures shown together: a total and the parts it splits into. Each is rounded with the
# others (formatting.rounded_together), so the parts shown add up to the total shown and all
# of them read the same wherever they appear: on a slide, in alt text, in the notes.
# REST is the part of a total its other parts leave (the forecast years of an investment).
REST = "rest"
_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("fte_total", ("fte_achieved", "fte_forecast")),
    ("total_investment", ("invested_to_date", REST)),
    ("total_benefits", ("benefits_to_date", REST)),
)
SPLITS: dict[str, tuple[str, tuple[str, ...]]] = {
    name: (total, parts) for total, parts in _GROUPS for name in (total, *parts) if name != REST
}


SLIDE_ELSEWHERE = "the title of a slide this deck does not hold"
# Words for each field, so an answer says "the total of Force Contact", never a {reference}.
FIELD_WORDS = {
    "capital": "capital",
    "centrally_managed": "centrally managed cost",
    "non_cashable_benefits": "non-cashable benefits",
    "cashable_benefits": "cashable benefits",
    "one_off_costs": "one-off costs",
    "recurring_costs": "recurring costs",
    "costs": "costs",
    "benefits": "benefits",
    "net_benefit": "net benefit",
    "total": "total",
    "name": "name",
    "status": "status",
    "statement": "statement",
    "label": "label",
}


class NoValueError(KeyError):
    """The figure exists but this workbook gives it no value (no break-even year)."""


class UndefinedError(NoValueError):
    """The figure's derivation is undefined for this workbook (it divides by zero) or comes to
    more than any deck can show; the message names the cells it comes from."""


@dataclass(frozen=True)
class Value:
    """A resolved figure: a number with its unit, or a piece of text, and where it came from."""

    number: float | None
    text: str | None
    unit: str
    qualifier: str
    derivation: str
    cells: tuple[str, ...]
    citation: str = ""
    decimals: int | None = None  # computed ratios are shown to whole percent

    @property
    def source(self) -> str:
        where = ", ".join(self.cells)
        if self.derivation and where:
            return f"{self.derivation} ({where})"
        return self.derivation or where


@dataclass(frozen=True)
class Resolved:
    """A reference as it will be shown."""

    reference: str
    text: str
    value: Value


class Resolver:
    """Looks up references against one workbook, its metrics and the deck's slide numbers."""

    def __init__(
        self,
        model: Workbook,
        metrics: Metrics,
        slide_numbers: Mapping[str, int] | None = None,
        elsewhere: Mapping[str, str] | None = None,
    ) -> None:
        """`elsewhere` titles the slides of the full deck that this deck does not hold (a
        per-slide deck, a deck of chosen slides): a reference to one names it by its title."""
        self.model = model
        self.metrics = metrics
        self.slide_numbers: Mapping[str, int] = dict(slide_numbers or {})
        self.elsewhere = dict(elsewhere or {})
        self._metric_names = {
            f.name for f in fields(Metrics) if f.type in ("Quantity", "Label", "Label | None")
        }

    # -- public ------------------------------------------------------------------------
    def resolve(self, reference: str) -> Resolved:
        """Resolve one reference (without braces) to its displayed text; KeyError if unknown.

        `{metrics.break_even_year|words}` shows the words when the figure has no value for this
        workbook (a programme that does not break even within its forecast).
        """
        reference_part, bar, fallback = reference.partition("|")
        if bar:
            try:
                return self.resolve(reference_part)
            except NoValueError:
                return Resolved(
                    reference,
                    fallback.strip(),
                    Value(None, fallback.strip(), "", "", "no value", ()),
                )
        expression, _, spec = reference.partition(":")
        formats = tuple(f.strip() for f in spec.split(",") if f.strip())
        for name in formats:
            if name not in FORMATS:
                raise KeyError(f"unknown format '{name}' (formats: {', '.join(FORMATS)})")
        value = _showable(expression.strip(), self._expression(expression.strip()))
        return Resolved(reference, self._show(expression.strip(), value, formats), value)

    def check(self, reference: str) -> str | None:
        """Return why a reference cannot be resolved, or None when it can."""
        try:
            self.resolve(reference)
        except KeyError as exc:
            return str(exc.args[0])
        return None

    def value(self, expression: str) -> Value:
        """The figure an expression without format names (`fte[A] + fte[B]`); KeyError if none."""
        return self._expression(expression.strip())

    # -- expressions -------------------------------------------------------------------
    def _expression(self, expression: str) -> Value:
        parts = _OPERATOR.split(expression)
        value = self._lookup(parts[0].strip())
        for operator, operand in zip(parts[1::2], parts[2::2], strict=True):
            other = self._lookup(operand.strip())
            value = _combine(value, operator, other, expression)
        return value

    def _lookup(self, path: str) -> Value:
        head_match = _HEAD.match(path)
        if head_match is None:
            raise KeyError(f"'{path}' is not a reference")
        head, rest = head_match.group(1), path[head_match.end() :]
        steps = [m.group(1) or m.group(2) for m in _STEP.finditer(rest)]
        if "".join(m.group(0) for m in _STEP.finditer(rest)) != rest:
            raise KeyError(
                f"'{path}' is not a reference (write names as a.b or a[Name with spaces])"
            )
        lookup = {
            "metrics": self._metric,
            "figures": self._figure,
            "fte": self._fte,
            "portfolio": self._portfolio,
            "context": self._context,
            "comparisons": self._comparison,
            "about": self._about,
            "slide": self._slide,
        }.get(head)
        if lookup is None:
            raise KeyError(
                f"'{head}' is not a kind of figure (use metrics, figures, fte, portfolio, "
                "context, comparisons, about or slide)"
            )
        return lookup(steps)

    def _metric(self, steps: list[str]) -> Value:
        name = _one(steps, "metrics.NAME")
        if name not in self._metric_names:
            raise KeyError(f"no metric '{name}' (metrics: {', '.join(sorted(self._metric_names))})")
        item = getattr(self.metrics, name)
        if item is None:
            raise NoValueError(
                f"metric '{name}' has no value for this workbook; give words to show instead, "
                f"as in {{metrics.{name}|not within the forecast}}"
            )
        if isinstance(item, Quantity):
            if item.undefined:
                raise UndefinedError(
                    f"metric '{name}' ({item.derivation}) is undefined for this workbook: "
                    f"{item.undefined}; correct the workbook, or give words to show instead, as "
                    f"in {{metrics.{name}|not yet known}}"
                )
            return Value(item.value, None, item.unit, "", item.derivation, item.cells)
        assert isinstance(item, Label)
        return Value(None, item.text, "", "", item.derivation, item.cells)

    def _figure(self, steps: list[str]) -> Value:
        if len(steps) != 2:
            raise KeyError("write figures as figures.SLIDE.KEY")
        slide, key = steps
        for fig in self.model.figures:
            if fig.slide == slide and fig.key == key:
                cell = self.model.cell("figures", "value", fig.row)
                return Value(fig.value, None, fig.unit, fig.qualifier, "", (cell,), fig.source)
        keys = [f.key for f in self.model.figures if f.slide == slide]
        hint = f" (keys for '{slide}': {', '.join(keys)})" if keys else ""
        raise KeyError(f"no figure '{key}' for slide '{slide}' on the Figures sheet{hint}")

    def _fte(self, steps: list[str]) -> Value:
        name = _one(steps, "fte[PROJECT NAME]")
        missing = f"no project '{name}' on the FTE by Project sheet"
        project = _named(self.model.projects, name, lambda p: p.name, missing)
        cell = self.model.cell("fte", "fte", project.row)
        return Value(project.fte, None, "FTE", "", "", (cell,))

    def _portfolio(self, steps: list[str]) -> Value:
        name, field_name = _field(steps, "portfolio[NAME].FIELD", PORTFOLIO_FIELDS)
        missing = f"no portfolio '{name}' on the Portfolio sheet"
        line = _named(self.model.portfolios, name, lambda p: p.name, missing)
        value = getattr(line, field_name)
        if field_name in PORTFOLIO_AMOUNTS:
            cells = (self.model.cell("portfolio", field_name, line.row),)
            return Value(value, None, "£m", "", "", cells)
        row_cells = tuple(self.model.cell("portfolio", f, line.row) for f in PORTFOLIO_AMOUNTS)
        return Value(value, None, "£m", "", f"{field_name} of the row", row_cells)

    def _context(self, steps: list[str]) -> Value:
        name = _one(steps, "context[DRIVER]")
        missing = f"no driver '{name}' on the Context sheet"
        driver = _named(self.model.drivers, name, lambda d: d.name, missing)
        cell = self.model.cell("context", "figure", driver.row)
        return Value(driver.figure, None, driver.unit, "", "", (cell,), driver.source)

    def _comparison(self, steps: list[str]) -> Value:
        name, field_name = _field(steps, "comparisons[MEASURE].FIELD", COMPARISON_FIELDS)
        missing = f"no measure '{name}' on the Comparisons sheet"
        c = _named(self.model.comparisons, name, lambda c: c.measure, missing)
        wm = self.model.cell("comparisons", "west_midlands", c.row)
        msf = self.model.cell("comparisons", "msf_average", c.row)
        if field_name == "west_midlands":
            return Value(c.west_midlands, None, c.unit, "", "", (wm,), c.source)
        if field_name == "msf_average":
            return Value(c.msf_average, None, c.unit, "", "", (msf,), c.source)
        if field_name == "difference":
            return Value(
                c.west_midlands - c.msf_average,
                None,
                c.unit,
                "",
                "West Midlands - MSF average",
                (wm, msf),
                c.source,
            )
        if not c.msf_average:
            raise UndefinedError(
                f"comparison '{name}' has no relative change: its MSF average ({msf}) is 0"
            )
        relative = (c.west_midlands / c.msf_average - 1) * 100
        return Value(
            relative,
            None,
            "%",
            "",
            "(West Midlands / MSF average - 1) x 100",
            (wm, msf),
            c.source,
            decimals=0,
        )

    def _about(self, steps: list[str]) -> Value:
        name = _one(steps, "about.FIELD")
        if name not in ABOUT_FIELDS:
            raise KeyError(f"no about field '{name}' (fields: {', '.join(ABOUT_FIELDS)})")
        raw = getattr(self.model.about, name)
        text = formatting.format_date(raw) if isinstance(raw, date) else str(raw)
        row = self.model.about.rows.get(name)
        cells = (self.model.cell("about", "value", row),) if row else ()
        return Value(None, text, "", "", "", cells)

    def _slide(self, steps: list[str]) -> Value:
        slide_id = _one(steps, "slide.ID")
        if slide_id in self.slide_numbers:
            return Value(None, str(self.slide_numbers[slide_id]), "", "", "slide number", ())
        if slide_id in self.elsewhere:
            return Value(None, f"“{self.elsewhere[slide_id]}”", "", "", SLIDE_ELSEWHERE, ())
        raise KeyError(f"no slide '{slide_id}' in the deck")

    # -- display -----------------------------------------------------------------------
    def _show(self, expression: str, value: Value, formats: tuple[str, ...]) -> str:
        if value.number is None:
            return value.text or ""
        number = abs(value.number) if "abs" in formats else value.number
        qualifier = "" if "bare" in formats else value.qualifier
        approximate = "approx" in formats
        decimals = value.decimals
        together = self._together(expression, approximate)
        if together is not None:
            number, decimals = together
        elif approximate:
            number = formatting.approximate(number)
        if approximate:
            qualifier = "c."
        text = formatting.format_value(
            number, value.unit, with_unit="unit" in formats, decimals=decimals
        )
        return formatting.qualified(text, qualifier)

    def _together(self, expression: str, approximate: bool) -> tuple[float, int] | None:
        """A figure of a split (a total or one of its parts) as rounded with the others, and
        the decimals that step shows; None for figures that are not part of one."""
        name = expression.removeprefix("metrics.")
        if not expression.startswith("metrics.") or name not in SPLITS:
            return None
        total_name, parts = SPLITS[name]
        together = self.together(total_name, approximate)
        decimals = max(0, round(-math.log10(together.step)))
        if name == total_name:
            return together.total, decimals
        return together.parts[parts.index(name)], decimals

    def together(self, total_name: str, approximate: bool = False) -> formatting.Together:
        """A total and its parts as they are shown together (REST: what the others leave)."""
        _, parts = SPLITS[total_name]
        total: Quantity = getattr(self.metrics, total_name)
        named = {p: getattr(self.metrics, p).value for p in parts if p != REST}
        values = [named.get(p, total.value - math.fsum(named.values())) for p in parts]
        step = formatting.together_step(total.value, total.unit, approximate)
        return formatting.rounded_together(values, step)


def _combine(left: Value, operator: str, right: Value, expression: str) -> Value:
    if left.number is None or right.number is None:
        raise KeyError(f"'{expression}': only figures can be added or divided, not text")
    cells = left.cells + tuple(c for c in right.cells if c not in left.cells)
    citation = left.citation if left.citation == right.citation else ""
    if operator == "/":
        if not right.number:
            raise UndefinedError(
                f"'{expression}' is undefined: it divides by {', '.join(right.cells)}, which is 0"
            )
        share = left.number / right.number * 100
        return Value(
            share, None, "%", "", "share: first / second x 100", cells, citation, decimals=0
        )
    if left.unit != right.unit:
        raise KeyError(f"'{expression}' adds {left.unit} to {right.unit}")
    total = left.number + right.number if operator == "+" else left.number - right.number
    qualifier = left.qualifier if left.qualifier == right.qualifier else ""
    return Value(total, None, left.unit, qualifier, f"sum of {len(cells)} figures", cells, citation)


def _showable(expression: str, value: Value) -> Value:
    """Refuse a number no deck can show: infinite, not a number, or beyond its unit's bound."""
    if value.number is None:
        return value
    largest = LARGEST.get(value.unit, math.inf)
    if math.isfinite(value.number) and abs(value.number) <= largest:
        return value
    size = f"{value.number:.3g}" if math.isfinite(value.number) else "no number"
    most = f" (at most {largest:,.0f} {value.unit})" if math.isfinite(largest) else ""
    raise UndefinedError(
        f"'{expression}' comes to {size}, from {value.source}: too large for any deck to show{most}"
    )


def _one(steps: list[str], form: str) -> str:
    if len(steps) != 1:
        raise KeyError(f"write it as {form}")
    return steps[0]


def _field(steps: list[str], form: str, fields: Sequence[str]) -> tuple[str, str]:
    """The name and field of a reference written as `form` (`portfolio[NAME].FIELD`)."""
    if len(steps) != 2 or steps[1] not in fields:
        raise KeyError(f"write {form} with FIELD one of {', '.join(fields)}")
    return steps[0], steps[1]


def _named(rows: Iterable[_Row], name: str, key: Callable[[_Row], str], missing: str) -> _Row:
    """The row whose `key` is `name`, spacing and case aside; KeyError(`missing`) when none."""
    for row in rows:
        if _same(key(row), name):
            return row
    raise KeyError(missing)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


# -- braces, nested ---------------------------------------------------------------------------


def scan(text: str) -> list[tuple[int, int, str]]:
    """Every top-level `{...}` in `text` as (start, end, inside); braces may nest, as in
    `{sign metrics.net_benefit: savings of {metrics.net_benefit}|a cost}`. An opening brace
    that is never closed is a plain character, as before."""
    found: list[tuple[int, int, str]] = []
    if "{" not in text:
        return found  # most words of a deck: no need to read them a character at a time
    depth, start = 0, -1
    for brace in _BRACES.finditer(text):  # only the braces, not every character
        index, char = brace.start(), brace.group()
        if char == "{":
            if depth == 0:
                start = index
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                found.append((start, index + 1, text[start + 1 : index]))
    return found


def split_top(text: str, separator: str) -> list[str]:
    """Split at `separator` where it is outside any {braces} or [brackets]."""
    if "{" not in text and "[" not in text:
        return text.split(separator)  # nothing nested: the same split, without the walk
    if separator and not any(c in separator for c in "{}[]"):
        return _split_marks(text, separator)
    parts: list[str] = []
    depth, last, index = 0, 0, 0
    while index < len(text):
        char = text[index]
        if char in "{[":
            depth += 1
        elif char in "}]" and depth:
            depth -= 1
        elif depth == 0 and text.startswith(separator, index):
            parts.append(text[last:index])
            index += len(separator)
            last = index
            continue
        index += 1
    parts.append(text[last:])
    return parts


def _split_marks(text: str, separator: str) -> list[str]:
    """split_top for a separator with no bracket in it: the walk visits only the brackets and
    the separators (found by one regular expression), not every character."""
    parts: list[str] = []
    depth, last = 0, 0
    for mark in _marks(separator).finditer(text):
        char = mark.group()
        if char in ("{", "["):
            depth += 1
        elif char in ("}", "]"):
            depth = max(depth - 1, 0)
        elif depth == 0:
            parts.append(text[last : mark.start()])
            last = mark.end()
    parts.append(text[last:])
    return parts


@cache
def _marks(separator: str) -> re.Pattern[str]:
    return re.compile(r"[{}\[\]]|" + re.escape(separator))


_BRACES = re.compile(r"[{}]")


# -- references in words ------------------------------------------------------------------------


def describe(reference: str) -> str:
    """A reference in words, for answers and reports: `portfolio[NGES].total` -> "the total of
    portfolio NGES on the Portfolio sheet". Never shows the braces of the deck definition."""
    from deckgen.metrics import DESCRIPTIONS

    expression = reference.split("|")[0]
    expression = split_top(expression, ":")[0].strip()
    parts = _OPERATOR.split(expression)
    if len(parts) > 1:
        operands = [describe(p) for p in parts[0::2]]
        if "/" in parts[1::2]:
            return f"{operands[0]} as a share of {operands[-1]}"
        return "the sum of " + ", ".join(operands[:-1]) + f" and {operands[-1]}"
    head_match = _HEAD.match(expression)
    head = head_match.group(1) if head_match else ""
    steps = [m.group(1) or m.group(2) for m in _STEP.finditer(expression[len(head) :])]
    if head == "metrics" and len(steps) == 1 and steps[0] in DESCRIPTIONS:
        return DESCRIPTIONS[steps[0]]
    if head == "figures" and len(steps) == 2:
        return f"the figure '{steps[1]}' of slide '{steps[0]}' on the Figures sheet"
    if head == "fte" and steps:
        field_name = f"the {FIELD_WORDS.get(steps[1], steps[1])}" if len(steps) > 1 else "the FTE"
        return f"{field_name} of project {steps[0]} on the FTE by Project sheet"
    if head == "portfolio" and steps:
        field_name = FIELD_WORDS.get(steps[1], steps[1]) if len(steps) > 1 else "row"
        return f"the {field_name} of portfolio {steps[0]} on the Portfolio sheet"
    if head == "context" and steps:
        what = f"the {FIELD_WORDS.get(steps[1], steps[1])}" if len(steps) > 1 else "the figure"
        return f"{what} of the driver {steps[0]} on the Context sheet"
    if head == "comparisons" and len(steps) == 2:
        return {
            "west_midlands": f"the West Midlands figure for {steps[0]}",
            "msf_average": f"the MSF average for {steps[0]}",
            "difference": f"West Midlands less the MSF average for {steps[0]}",
            "relative": f"how far West Midlands is above or below the MSF average for {steps[0]}",
        }.get(steps[1], f"{steps[1]} of {steps[0]}") + " on the Comparisons sheet"
    if head == "about" and steps:
        return f"the {steps[0].replace('_', ' ')} on the About sheet"
    if head == "slide" and steps:
        return f"the number of the slide '{steps[0]}'"
    if expression.startswith("portfolio total "):
        return f"the total of the {FIELD_WORDS.get(expression[16:], expression[16:])} column"
    if expression.split(" ")[0] in ("compare", "trend", "sign", "when"):
        return "words chosen from the data"
    return expression
