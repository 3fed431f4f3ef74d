"""The deck is planned again while slide numbers move; a slide whose build read no slide number
is kept from the pass before, and the plan is what building every slide again gives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from deckgen import metrics
from deckgen.deckdef import load_deck
from deckgen.render.template import inspect_template
from deckgen.slides import plan
from deckgen.workbook.reader import read_workbook
from tests.conftest import DECK, TEMPLATE, Source, sheet


class _NeverSettled(plan._Numbers):
    """Every slide counts as having read a number: built again on every pass, as before."""

    @property  # type: ignore[override]
    def read(self) -> bool:
        return True

    @read.setter
    def read(self, value: bool) -> None:
        pass


def test_a_pass_keeps_only_slides_that_read_no_number(
    source: Source, make_workbook: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    fte = sheet(source, "FTE by Project")
    fte["rows"] += [[f"Project {n:02d} with a longer name", 1.5, "Forecast"] for n in range(90)]
    fte["total"][1] = None
    read = read_workbook(make_workbook(source))
    assert read.workbook is not None
    model = read.workbook
    figures = metrics.compute(model)
    definition = load_deck(DECK)
    geometry = inspect_template(TEMPLATE)
    built: list[str] = []
    for kind, builder in list(plan.BUILDERS.items()):

        def counted(ctx: Any, slide: Any, builder: Any = builder) -> Any:
            built.append(slide.id)
            return builder(ctx, slide)

        monkeypatch.setitem(plan.BUILDERS, kind, counted)
    kept = plan.plan_deck(definition, model, figures, geometry)
    passes = built.count(definition.slides[-1].id)
    assert passes == 1  # the last slide reads no number: built once though the numbers moved
    contents = [s.id for s in definition.slides if s.kind == "contents"]
    assert contents and all(built.count(c) == 2 for c in contents)  # it reads them: again
    monkeypatch.setattr(plan, "_Numbers", _NeverSettled)
    assert plan.plan_deck(definition, model, figures, geometry) == kept


def test_every_way_of_reading_the_numbers_is_noted() -> None:
    for look in (
        lambda n: n["a"],
        lambda n: n.get("a"),
        lambda n: "a" in n,
        lambda n: list(n.items()),
        lambda n: len(n),
        lambda n: dict(n),
    ):
        numbers = plan._Numbers({"a": 1})
        assert not numbers.read
        look(numbers)
        assert numbers.read
