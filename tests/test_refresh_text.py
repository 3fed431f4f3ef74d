"""Figures inside words chosen from the data: the figure alone changes while the words stay;
the whole choice changes, figures and all, when the data choose other words."""

from __future__ import annotations

from typing import Any

from lxml import etree

from deckgen.identity import Mark, Record
from deckgen.refresh.text import Where, merge

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
SAVE = (
    "sign metrics.net_benefit: save {metrics.net_benefit}|break even|lose {metrics.net_benefit:abs}"
)


def body(*runs: tuple[str, bool]) -> Any:
    """A text body of one paragraph; each run's text and whether it is bold."""
    root = etree.Element(f"{{{A}}}txBody", nsmap={"a": A})
    paragraph = etree.SubElement(root, f"{{{A}}}p")
    for text, bold in runs:
        run = etree.SubElement(paragraph, f"{{{A}}}r")
        etree.SubElement(run, f"{{{A}}}rPr", b="1" if bold else "0")
        etree.SubElement(run, f"{{{A}}}t").text = text
    return root


def record(sentence: str, choice: str, figure: str | None) -> Record:
    start = sentence.index(choice)
    marks = [Mark(0, start, choice, SAVE)]
    if figure is not None:
        marks.append(Mark(0, sentence.index(figure), figure, "metrics.net_benefit"))
    return Record("roi/text1", "text", "", (sentence,), tuple(marks))


def runs(root: Any) -> list[tuple[str, str]]:
    return [
        (r.findtext(f"{{{A}}}t") or "", r.find(f"{{{A}}}rPr").get("b"))
        for r in root.iter(f"{{{A}}}r")
    ]


def test_the_figure_alone_changes_when_the_chosen_words_stay() -> None:
    old = record("We save £118m by FY24/25.", "save £118m", "£118m")
    new = record("We save £205m by FY24/25.", "save £205m", "£205m")
    talk = body(("We save ", False), ("£118m", True), (" (audited) by FY24/25.", False))
    outcome = merge(talk, old, new, Where(3, "Summary"))
    assert not outcome.conflicts
    assert runs(talk) == [("We save ", "0"), ("£205m", "1"), (" (audited) by FY24/25.", "0")]
    assert [(c.old, c.new) for c in outcome.changes] == [("£118m", "£205m")]


def test_the_whole_choice_changes_when_the_data_choose_other_words() -> None:
    old = record("We save £118m by FY24/25.", "save £118m", "£118m")
    new = record("We break even by FY24/25.", "break even", None)
    talk = body(("We save £118m by FY24/25.", False))
    outcome = merge(talk, old, new, Where(3, "Summary"))
    assert not outcome.conflicts  # the figure went with its words: nothing left behind
    assert runs(talk) == [("We break even by FY24/25.", "0")]
