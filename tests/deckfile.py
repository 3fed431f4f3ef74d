"""Read a built deck back as a user's tools see it: slides, titles, text, charts, notes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.util import Emu

FOOTERS = (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.SLIDE_NUMBER)


@dataclass
class SlideView:
    number: int
    slide: Any

    @property
    def title(self) -> str:
        title = self.slide.shapes.title
        return str(title.text_frame.text) if title is not None else ""

    @property
    def text(self) -> str:
        """Every word on the slide but its footers: text boxes, placeholders, table cells."""
        parts: list[str] = []
        for shape in self.slide.shapes:
            if shape.is_placeholder and shape.placeholder_format.type in FOOTERS:
                continue
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    parts.extend(cell.text for cell in row.cells)
        return "\n".join(parts)

    @property
    def notes(self) -> str:
        if not self.slide.has_notes_slide:
            return ""
        return str(self.slide.notes_slide.notes_text_frame.text)

    def charts(self) -> list[Any]:
        return [s.chart for s in self.slide.shapes if getattr(s, "has_chart", False)]

    def chart_frames(self) -> list[Any]:
        return [s for s in self.slide.shapes if getattr(s, "has_chart", False)]

    def tables(self) -> list[Any]:
        return [s.table for s in self.slide.shapes if getattr(s, "has_table", False)]


class DeckView:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.prs = Presentation(str(path))

    @property
    def slides(self) -> list[SlideView]:
        return [SlideView(n, s) for n, s in enumerate(self.prs.slides, start=1)]

    def titled(self, start: str) -> SlideView:
        """The first slide whose title starts with `start`."""
        for view in self.slides:
            if view.title.startswith(start):
                return view
        raise KeyError(f"no slide titled {start!r}: {[s.title for s in self.slides]}")

    @property
    def size(self) -> tuple[int, int]:
        return int(self.prs.slide_width), int(self.prs.slide_height)


def chart_values(chart: Any) -> dict[str, list[Any]]:
    """Series name -> values, for every plot of a chart."""
    return {s.name: list(s.values) for plot in chart.plots for s in plot.series}


def chart_categories(chart: Any) -> list[str]:
    return [str(c) for c in chart.plots[0].categories]


def descr(shape: Any) -> str:
    c_nv_pr = shape._element.find(".//" + qn("p:cNvPr"))
    return str(c_nv_pr.get("descr", "")) if c_nv_pr is not None else ""


def off_slide(shape: Any, width: int, height: int) -> bool:
    left, top = int(shape.left or 0), int(shape.top or 0)
    right = left + int(shape.width or 0)
    bottom = top + int(shape.height or 0)
    return left < 0 or top < 0 or right > width + int(Emu(1)) or bottom > height + int(Emu(1))


def all_shapes(view: SlideView) -> Iterator[Any]:
    yield from view.slide.shapes
