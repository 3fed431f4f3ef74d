"""What changed between two builds, in words a reviewer reads: each slide by its title, each
figure by the label or sentence it is read with, each chart value by chart, series and category,
each table cell by row and column, rows added or removed, and the words chosen from the data.

Figures are matched by the slide they belong to (a slide and its "(cont.)" slides together) and
the reference that produced them, so a figure that moves is not a change but a figure whose value
moves is. Chart values are matched by series and category, table cells by row and column.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from deckgen.references import describe, split_top
from deckgen.specs import SLIDE_NUMBER

CHOICE = "choice"


@dataclass(frozen=True)
class FigureChange:
    slide: str  # "slide 6 (roi)"
    reference: str
    old: str | None  # None: the figure is new on this slide
    new: str | None  # None: the figure is gone from this slide
    label: str = ""  # what a reader sees it with: its label, or the sentence it is in
    more: int = 0  # further places on the slide with the same change
    chosen: bool = False  # words chosen from the data, not a figure
    why: str = ""  # for chosen words: the data that chose them

    def __str__(self) -> str:
        if self.old is None:
            return f"{self.slide}: added {self.new}"
        if self.new is None:
            return f"{self.slide}: removed {self.old}"
        return f"{self.slide}: {self.old} -> {self.new}"


@dataclass(frozen=True)
class ChartChange:
    chart: str  # the chart's name as the reader knows it: its slide's short name
    series: str
    category: str
    old: str | None  # None: a new point
    new: str | None  # None: a point gone
    old_basis: str = ""
    new_basis: str = ""

    def words(self) -> str:
        where = f"{self.chart} — {self.series}, {self.category}"
        if self.old is None:
            return f"{where}: added, {self.new}{_basis(self.new_basis)}"
        if self.new is None:
            return f"{where}: removed (was {self.old}{_basis(self.old_basis)})"
        parts = []
        if self.old != self.new:
            parts.append(f"{self.old} → {self.new}")
        if self.old_basis != self.new_basis and self.old_basis and self.new_basis:
            parts.append(f"{self.old_basis} → {self.new_basis}")
        return f"{where}: " + "; ".join(parts)


@dataclass(frozen=True)
class TableChange:
    table: str
    row: str
    column: str = ""  # "": the whole row was added or removed
    old: str | None = None
    new: str | None = None

    def words(self) -> str:
        if not self.column:
            what = "added" if self.old is None else "removed"
            cells = self.new if self.old is None else self.old
            return f"{self.table} — row {what}: {self.row} ({cells})"
        return f"{self.table} — {self.row}, {self.column}: {self.old} → {self.new}"


@dataclass
class SlideChanges:
    """Everything that changed on one slide of the new deck (with its continuations)."""

    name: str  # "slide 6 (roi)"
    title: str
    old_title: str = ""
    figures: list[FigureChange] = field(default_factory=list)
    charts: list[ChartChange] = field(default_factory=list)
    tables: list[TableChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.old_title or self.figures or self.charts or self.tables)


@dataclass(frozen=True)
class Changes:
    added_slides: tuple[str, ...]
    removed_slides: tuple[str, ...]
    slides: tuple[SlideChanges, ...] = ()
    data_as_of: tuple[str, str] = ("", "")  # (compared with, this build)

    @property
    def figures(self) -> tuple[FigureChange, ...]:
        return tuple(f for s in self.slides for f in s.figures)

    @property
    def charts(self) -> tuple[ChartChange, ...]:
        return tuple(c for s in self.slides for c in s.charts)

    @property
    def tables(self) -> tuple[TableChange, ...]:
        return tuple(t for s in self.slides for t in s.tables)

    @property
    def empty(self) -> bool:
        return not (self.added_slides or self.removed_slides) and all(s.empty for s in self.slides)

    def summary(self) -> str:
        against = f"against the build of data as of {self.data_as_of[0]}"
        if self.empty:
            return f"no changes {against}"
        figures = [f for f in self.figures if not f.chosen]
        changed = sum(1 for f in figures if f.old is not None and f.new is not None)
        other = len(figures) - changed
        words = sum(1 for f in self.figures if f.chosen)
        rows = sum(1 for t in self.tables if not t.column)
        cells = len(self.tables) - rows
        parts = [
            f"{_count(len(self.added_slides), 'slide')} added",
            f"{len(self.removed_slides)} removed",
            f"{_count(changed, 'figure')} changed",
        ]
        if other:
            parts.append(f"{other} added or removed")
        if self.charts:
            parts.append(f"{_count(len(self.charts), 'chart value')} changed")
        if cells:
            parts.append(f"{_count(cells, 'table cell')} changed")
        if rows:
            parts.append(f"{_count(rows, 'table row')} added or removed")
        if words:
            parts.append(f"{_count(words, 'choice')} of words changed")
        return f"changes {against}: " + ", ".join(parts)


def compare(old: dict[str, Any], new: dict[str, Any]) -> Changes:
    """Compare two manifests (a format 1 manifest has no charts or tables: figures only)."""
    old_keys = {s["key"] for s in old["slides"]}
    new_keys = {s["key"] for s in new["slides"]}
    added = tuple(_name(s) for s in new["slides"] if s["key"] not in old_keys)
    removed = tuple(_name(s) for s in old["slides"] if s["key"] not in new_keys)
    if new["deck"].get("selection"):  # a build of chosen slides: the others are not "removed"
        chosen = {s["id"] for s in new["slides"]}
        removed = tuple(
            _name(s) for s in old["slides"] if s["key"] not in new_keys and s["id"] in chosen
        )
    before, after = _by_definition(old), _by_definition(new)
    slides: list[SlideChanges] = []
    for definition, group in after.items():
        first = group[0]
        report = SlideChanges(_name(first), first["title"])
        if definition in before:
            was = before[definition]
            if was[0]["title"] != first["title"]:
                report.old_title = was[0]["title"]
            report.figures = list(_figure_changes(was, group))
            if all("charts" in s for s in was):
                report.charts = list(_chart_changes(was, group))
            if all("tables" in s for s in was):
                report.tables = list(_table_changes(was, group))
        if not report.empty:
            slides.append(report)
    return Changes(
        added,
        removed,
        tuple(slides),
        (str(old["deck"].get("data_as_of", "")), str(new["deck"].get("data_as_of", ""))),
    )


def _by_definition(manifest: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for slide in manifest["slides"]:
        groups[str(slide.get("id") or slide["key"])].append(slide)
    return groups


def _figure_changes(was: list[dict[str, Any]], now: list[dict[str, Any]]) -> Iterator[FigureChange]:
    before, after = _figures(was), _figures(now)
    where = _name(now[0])
    found: dict[tuple[str, str | None, str | None], FigureChange] = {}
    for ref in dict.fromkeys([*before, *after]):
        olds, news = before.get(ref, []), after.get(ref, [])
        for index in range(max(len(olds), len(news))):
            old = olds[index] if index < len(olds) else None
            new = news[index] if index < len(news) else None
            old_text = old["text"] if old else None
            new_text = new["text"] if new else None
            if old_text == new_text or _same_choice(old, new):
                continue
            seen = new or old or {}
            key = (ref, old_text, new_text)
            if key in found:
                found[key] = FigureChange(**{**found[key].__dict__, "more": found[key].more + 1})
                continue
            chosen = seen.get("unit") == CHOICE
            found[key] = FigureChange(
                where,
                ref,
                old_text,
                new_text,
                label=str(seen.get("context") or ("" if chosen else describe(ref))),
                chosen=chosen,
                why=str(seen.get("source", "")) if chosen else "",
            )
    yield from found.values()


def _same_choice(old: dict[str, Any] | None, new: dict[str, Any] | None) -> bool:
    """The data chose the same words as before: any change is in the figures they hold."""
    if old is None or new is None or new.get("unit") != CHOICE:
        return False
    return bool(old.get("value") == new.get("value"))


def _figures(slides: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    seen: set[tuple[str, str, str]] = set()
    for slide in slides:
        for figure in slide["figures"]:
            if figure["unit"] == SLIDE_NUMBER or repeated(figure, seen):
                continue
            found[figure_key(figure)].append(figure)
    return found


def repeated(figure: dict[str, Any], seen: set[tuple[str, str, str]]) -> bool:
    """The same figure in the same words again on a "(cont.)" slide (its title): counted once."""
    key = (figure_key(figure), str(figure["text"]), str(figure.get("context", "")))
    if key in seen:
        return True
    seen.add(key)
    return False


def figure_key(figure: dict[str, Any]) -> str:
    """What a figure is, whatever its format: `metrics.net_benefit:abs` is `metrics.net_benefit`,
    so "£118m" shown as savings and "£180m" shown as a cost are one figure that changed."""
    reference = str(figure["reference"])
    if figure.get("unit") == CHOICE:
        return reference
    return split_top(split_top(reference, "|")[0], ":")[0].strip()


def category_pairs(old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """Each category of the new chart with the old category it stands in place of: itself, or,
    where categories were renamed ("Investment £778m" to "Investment £1,076m") and as many are
    gone as came, the one in the same place."""
    return _pairs(list(old["categories"]), list(new["categories"]))


def series_pairs(old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """Series, paired as categories are ("Actual to FY18/19" became "Actual to FY19/20")."""
    return _pairs([s["name"] for s in old["series"]], [s["name"] for s in new["series"]])


def _pairs(old_categories: list[str], new_categories: list[str]) -> dict[str, str]:
    pairs = {c: c for c in new_categories if c in old_categories}
    gone = [c for c in old_categories if c not in new_categories]
    came = [c for c in new_categories if c not in old_categories]
    if len(gone) == len(came):
        pairs.update(zip(came, gone, strict=True))
    return pairs


def _chart_changes(was: list[dict[str, Any]], now: list[dict[str, Any]]) -> Iterator[ChartChange]:
    old_charts = [c for s in was for c in s.get("charts", [])]
    new_charts = [c for s in now for c in s.get("charts", [])]
    name = str(now[0].get("label") or now[0]["title"])
    for index, chart in enumerate(new_charts):
        old_chart = old_charts[index] if index < len(old_charts) else None
        old_points = _points(old_chart) if old_chart else {}
        new_points = _points(chart)
        pairs = category_pairs(old_chart, chart) if old_chart else {}
        names = series_pairs(old_chart, chart) if old_chart else {}
        paired = {(names.get(s, s), pairs.get(c, c)): (s, c) for s, c in new_points}
        for key in dict.fromkeys([*old_points, *paired]):
            old = old_points.get(key)
            shown = paired.get(key, key)
            new = new_points.get(shown) if key in paired else None
            if key[1] != shown[1]:
                shown = (shown[0], f"{shown[1]} (was {key[1]})")
            if key[0] != shown[0]:
                shown = (f"{shown[0]} (was {key[0]})", shown[1])
            old_text = old["text"] if old else None
            new_text = new["text"] if new else None
            old_basis = str(old.get("basis", "")) if old else ""
            new_basis = str(new.get("basis", "")) if new else ""
            if old_text == new_text and old_basis == new_basis:
                continue
            label = name if len(new_charts) == 1 else f"{name}, chart {index + 1}"
            yield ChartChange(label, shown[0], shown[1], old_text, new_text, old_basis, new_basis)


def _points(chart: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (series["name"], point["category"]): point
        for series in chart["series"]
        for point in series["points"]
    }


def _table_changes(was: list[dict[str, Any]], now: list[dict[str, Any]]) -> Iterator[TableChange]:
    old_rows, new_rows = _rows(was), _rows(now)
    for key in dict.fromkeys([*new_rows, *old_rows]):
        table, label = key
        old, new = old_rows.get(key), new_rows.get(key)
        if old is None and new is not None:
            yield TableChange(table, label, new=_cells_text(new))
        elif new is None and old is not None:
            yield TableChange(table, label, old=_cells_text(old))
        elif old is not None and new is not None:
            before = {c["column"]: c["text"] for c in old["cells"][1:]}
            for cell in new["cells"][1:]:
                if before.get(cell["column"], cell["text"]) != cell["text"]:
                    yield TableChange(
                        table, label, cell["column"], before[cell["column"]], cell["text"]
                    )


def _rows(slides: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for slide in slides:
        for table in slide.get("tables", []):
            for row in table["rows"]:
                rows.setdefault((table["name"], row["label"]), row)
    return rows


def _cells_text(row: dict[str, Any]) -> str:
    return ", ".join(f"{c['column']} {c['text']}" for c in row["cells"][1:] if c["text"])


# -- the report ---------------------------------------------------------------------------------


def report(changes: Changes, old: dict[str, Any], new: dict[str, Any], against: str = "") -> str:
    """The change report as Markdown: what a reviewer reads before signing the deck off."""
    deck, was = new["deck"], old["deck"]
    lines = [
        f"# What changed in {deck['title']}",
        "",
        "| | this build | the build compared with |",
        "|---|---|---|",
        f"| Data as of | {deck['data_as_of']} | {was['data_as_of']} |",
        f"| Build date | {shown_date(deck['built'])} | {shown_date(was['built'])} |",
        f"| Workbook | {deck['workbook']} | {was['workbook']} |",
        "",
    ]
    if against:
        lines += [f"Compared with {against}.", ""]
    if changes.empty:
        lines.append(
            "Nothing changed: every slide, figure, chart value and table cell is as before."
        )
        return "\n".join(lines) + "\n"
    lines += [f"In short: {changes.summary().split(': ', 1)[1]}.", ""]
    if changes.added_slides:
        lines += ["## Slides added", "", *(f"- {s}" for s in changes.added_slides), ""]
    if changes.removed_slides:
        lines += ["## Slides removed", "", *(f"- {s}" for s in changes.removed_slides), ""]
    for slide in changes.slides:
        lines += [f"## {_capital(slide.name)}: {slide.title}", ""]
        if slide.old_title:
            lines.append(f"- Title, before: {slide.old_title}")
        lines.extend(f"- {_figure_words(f)}" for f in slide.figures)
        lines.extend(f"- {c.words()}" for c in slide.charts)
        lines.extend(f"- {t.words()}" for t in slide.tables)
        lines.append("")
    return "\n".join(lines)


def _figure_words(change: FigureChange) -> str:
    more = f" (and {_count(change.more, 'more place')} on this slide)" if change.more else ""
    label = change.label
    if change.chosen:
        why = f" ({change.why})" if change.why else ""
        where = f", in “{label}”" if label else ""
        return (
            f"Words chosen from the data{where}: "
            f"“{change.old or ''}” → “{change.new or ''}”{why}{more}"
        )
    if change.old is None:
        return f"Added: {change.new}, in “{label}”"
    if change.new is None:
        return f"Removed: {change.old}, from “{label}”"
    return f"“{label}”: {change.old} → {change.new}{more}"


def shown_date(value: str) -> str:
    """2019-07-31T00:00:00+00:00 -> 31 July 2019 (with the time when it is not midnight)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    day = f"{moment.day} {moment:%B %Y}"
    return day if (moment.hour, moment.minute) == (0, 0) else f"{day} {moment:%H:%M} UTC"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _basis(basis: str) -> str:
    return f" ({basis})" if basis else ""


def _name(slide: dict[str, Any]) -> str:
    return f"slide {slide['number']} ({slide['key']})"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
