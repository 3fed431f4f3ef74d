"""The baseline: a plain python-pptx script building a deck the size and mix of a deckgen build.

No deckgen code is imported, so timing this script as a subprocess measures what python-pptx
alone costs for the same slides: interpreter start, imports, the same template, the same number
of slides, native charts (with their data), tables, text boxes, shapes, footers and notes.
`run.py` counts those in the deck deckgen built and passes them here, so the two compare like
with like.

    python benchmarks/plain_pptx.py --slides 250 --charts 8 -o /tmp/plain.pptx
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Emu, Inches, Pt

TEMPLATE = Path(__file__).resolve().parent.parent / "layouts" / "template.pptx"

# The chart kinds of the sample deck, in its order; cycled when more charts are asked for.
CHART_KINDS = (
    XL_CHART_TYPE.COLUMN_STACKED,
    XL_CHART_TYPE.LINE_MARKERS,
    XL_CHART_TYPE.COLUMN_CLUSTERED,
    XL_CHART_TYPE.BAR_STACKED,
    XL_CHART_TYPE.BAR_CLUSTERED,
    XL_CHART_TYPE.BAR_STACKED,
    XL_CHART_TYPE.COLUMN_STACKED_100,
    XL_CHART_TYPE.BAR_STACKED,
)
SAMPLE_CATEGORIES = (2, 10, 10, 12, 3, 5, 2, 11)  # categories per chart in the sample deck

_WORDS = (
    "programme",
    "benefits",
    "investment",
    "officers",
    "capacity",
    "released",
    "forecast",
    "achieved",
    "portfolio",
    "cashable",
    "savings",
    "force",
    "contact",
    "response",
    "neighbourhood",
    "digital",
    "public",
    "outcomes",
    "estate",
    "mobility",
    "devices",
    "searches",
    "returns",
    "total",
    "net",
    "cost",
)


@dataclass(frozen=True)
class Mix:
    """What to put in the deck: totals across it, spread over the slides."""

    slides: int
    charts: int = 8
    tables: int = 2
    table_rows: int = 18  # rows per table, header included
    table_cols: int = 4
    text_boxes: int = 0  # 0: five per slide, as a deckgen content slide has about
    shapes: int = 0  # 0: two per slide
    notes_chars: int = 500  # speaker notes per slide
    categories: tuple[int, ...] = SAMPLE_CATEGORIES  # per chart, cycled
    series: int = 2


def _sentence(rng: random.Random, chars: int) -> str:
    words: list[str] = []
    length = 0
    while length < chars:
        word = rng.choice(_WORDS)
        words.append(word)
        length += len(word) + 1
    return " ".join(words).capitalize() + "."


def _spread(total: int, slots: int) -> list[int]:
    """`total` items over `slots` slides, as evenly as whole numbers allow."""
    base, extra = divmod(total, slots) if slots else (0, 0)
    return [base + (1 if i < extra else 0) for i in range(slots)]


def _layout(prs: Any, name: str, fallback: int) -> Any:
    layouts = prs.slide_layouts
    for layout in layouts:
        if layout.name == name:
            return layout
    return layouts[fallback]


def build(mix: Mix, out: Path, template: Path | None = TEMPLATE, seed: int = 1) -> None:
    """Build and save the deck: charts on the first content slides, tables on the last."""
    if mix.slides < 1:
        raise ValueError("slides must be at least 1")
    if mix.charts + mix.tables > mix.slides:
        raise ValueError("more charts and tables than slides")
    rng = random.Random(seed)
    use_template = template is not None and template.exists()
    prs = Presentation(str(template)) if use_template else Presentation()
    if not use_template:
        prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    cover = _layout(prs, "Cover", 0)
    content = _layout(prs, "Title Only", 5)
    width, height = int(prs.slide_width or 0), int(prs.slide_height or 0)
    text_boxes = _spread(mix.text_boxes or 5 * mix.slides, mix.slides)
    shapes = _spread(mix.shapes or 2 * mix.slides, mix.slides)
    chart_at = set(range(1, 1 + mix.charts))
    table_at = set(range(mix.slides - mix.tables, mix.slides))
    chart_no = 0
    for n in range(mix.slides):
        slide = prs.slides.add_slide(cover if n == 0 else content)
        slide.shapes.title.text = f"Slide {n + 1}: {_sentence(rng, 60)}"
        for ph in slide.slide_layout.placeholders:  # footer, date and slide number
            if ph.placeholder_format.idx in (10, 11, 12):
                slide.shapes.clone_placeholder(ph)
        for ph in slide.placeholders:
            idx = ph.placeholder_format.idx
            if idx == 11:
                ph.text = "OFFICIAL - not for public distribution"
            elif idx == 10:
                ph.text = "Data as of 31 July 2019"
            elif idx == 12:
                ph.text = str(n + 1)
            elif idx == 1:
                ph.text = _sentence(rng, 80)
        left, top = Inches(0.5), Inches(1.4)
        for b in range(shapes[n]):
            box = slide.shapes.add_shape(
                MSO_SHAPE.RECTANGLE, left + b * Inches(2.2), top, Inches(2), Inches(0.9)
            )
            box.text_frame.text = f"{rng.randint(1, 999):,}"
        for t in range(text_boxes[n]):
            box = slide.shapes.add_textbox(left, top + Inches(1 + 0.5 * t), Inches(5), Inches(0.5))
            frame = box.text_frame
            frame.word_wrap = True
            frame.text = _sentence(rng, 70)
            frame.paragraphs[0].runs[0].font.size = Pt(12)
        if n in chart_at:
            _chart(slide, mix, chart_no, rng, width, height)
            chart_no += 1
        elif n in table_at:
            _table(slide, mix, rng, width)
        slide.notes_slide.notes_text_frame.text = _sentence(rng, mix.notes_chars)
    prs.save(str(out))


def _chart(slide: Any, mix: Mix, number: int, rng: random.Random, w: int, h: int) -> None:
    kind = CHART_KINDS[number % len(CHART_KINDS)]
    count = mix.categories[number % len(mix.categories)]
    data = CategoryChartData(number_format="0.0")  # type: ignore[no-untyped-call]
    data.categories = [f"Category {i + 1}" for i in range(count)]
    for s in range(mix.series):
        values = [round(rng.uniform(1, 100), 1) for _ in range(count)]
        data.add_series(f"Series {s + 1}", values)  # type: ignore[no-untyped-call]
    frame = slide.shapes.add_chart(
        kind, Emu(w // 2), Inches(1.4), Emu(w // 2 - Inches(0.5)), Emu(h - Inches(2.4)), data
    )
    chart = frame.chart
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format = "0.0"
    plot.data_labels.number_format_is_linked = False
    plot.data_labels.font.size = Pt(10)


def _table(slide: Any, mix: Mix, rng: random.Random, width: int) -> None:
    shape = slide.shapes.add_table(
        mix.table_rows, mix.table_cols, Inches(0.5), Inches(1.4), Emu(width - Inches(1)), Inches(5)
    )
    table = shape.table
    for c in range(mix.table_cols):
        table.cell(0, c).text = f"Column {c + 1}"
    for r in range(1, mix.table_rows):
        table.cell(r, 0).text = _sentence(rng, 20)
        for c in range(1, mix.table_cols):
            table.cell(r, c).text = f"{rng.uniform(0, 500):,.2f}"


def _ints(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--slides", type=int, required=True)
    parser.add_argument("--charts", type=int, default=8)
    parser.add_argument("--tables", type=int, default=2)
    parser.add_argument("--table-rows", type=int, default=18, help="per table, with the header")
    parser.add_argument("--table-cols", type=int, default=4)
    parser.add_argument("--text-boxes", type=int, default=0, help="in all [5 per slide]")
    parser.add_argument("--shapes", type=int, default=0, help="in all [2 per slide]")
    parser.add_argument("--notes-chars", type=int, default=500, help="per slide")
    parser.add_argument(
        "--categories",
        type=_ints,
        default=SAMPLE_CATEGORIES,
        help="categories per chart, comma separated, cycled [the sample's]",
    )
    parser.add_argument("--template", type=Path, default=TEMPLATE)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    mix = Mix(
        slides=args.slides,
        charts=args.charts,
        tables=args.tables,
        table_rows=args.table_rows,
        table_cols=args.table_cols,
        text_boxes=args.text_boxes,
        shapes=args.shapes,
        notes_chars=args.notes_chars,
        categories=args.categories or SAMPLE_CATEGORIES,
    )
    try:
        build(mix, args.output, args.template)
    except ValueError as exc:
        parser.error(str(exc))
    seconds = time.perf_counter() - started
    print(
        f"{args.output}: {mix.slides} slides, {mix.charts} charts, {mix.tables} tables, "
        f"built in {seconds:.1f} s",
        file=sys.stdout,
    )


if __name__ == "__main__":
    main()
