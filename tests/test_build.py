"""`deckgen build` end to end: the sample deck, changed workbooks, other templates, bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx.enum.shapes import PP_PLACEHOLDER

from deckgen.cli import cli
from deckgen.sample.template import SAMPLE_TEMPLATE, TemplateTheme, build_template
from deckgen.specs import inches
from tests.conftest import DECK, ROOT, SAMPLE_WORKBOOK, TEMPLATE, Source, row_of, sheet
from tests.conftest import build_cli as build
from tests.deckfile import (
    DeckView,
    chart_categories,
    chart_values,
    descr,
    off_slide,
)
from tests.ooxml import validate_package

# A quick real build to stand for the previous quarter's deck.
FAST_SUBSET = ("--slides", "roi", "--no-review-pictures")

MakeWorkbook = Callable[..., Path]


@pytest.fixture(scope="module")
def sample_deck(tmp_path_factory: pytest.TempPathFactory) -> DeckView:
    out = tmp_path_factory.mktemp("sample") / "wmp2020.pptx"
    code, text = build(SAMPLE_WORKBOOK, out)
    assert code == 0, text
    return DeckView(out)


# -- the sample deck ------------------------------------------------------------------------


def test_build_prints_a_one_screen_summary(tmp_path: Path) -> None:
    out = tmp_path / "deck.pptx"
    code, text = build(SAMPLE_WORKBOOK, out)
    assert code == 0
    summary = text.strip().splitlines()[-1]
    assert summary.startswith(f"{out}: ")
    assert " slides, 8 charts, 2 tables, 0 warnings, built in " in summary


def test_default_output_is_named_after_the_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder in ("inputs", "layouts"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "output" / "wmp2020.pptx").exists()
    assert not list((tmp_path / "output").glob(".*.tmp"))


def test_every_slide_has_a_unique_title_in_its_title_placeholder(sample_deck: DeckView) -> None:
    titles = [s.title for s in sample_deck.slides]
    assert all(titles)
    assert len(set(titles)) == len(titles)
    assert titles[0] == "What is WMP2020 and the Accenture partnership achieving for the public?"
    assert "Headline statements and financial benefits" in titles
    assert titles[-2].startswith("Portfolio investments and benefits")
    assert titles[-1].startswith("Across the portfolios, benefits of")


def test_every_slide_has_footers_and_no_empty_placeholder(sample_deck: DeckView) -> None:
    for view in sample_deck.slides:
        kinds = {}
        for shape in view.slide.placeholders:
            assert shape.text_frame.text.strip() or _has_field(shape), (view.number, shape.name)
            kinds[shape.placeholder_format.type] = shape
        assert (
            kinds[PP_PLACEHOLDER.FOOTER].text_frame.text == "OFFICIAL - not for public distribution"
        )
        assert kinds[PP_PLACEHOLDER.DATE].text_frame.text == "Data as of 31 July 2019"
        assert _has_field(kinds[PP_PLACEHOLDER.SLIDE_NUMBER])


def _has_field(shape: object) -> bool:
    element = shape._element  # type: ignore[attr-defined]
    return bool(element.xpath(".//a:fld[@type='slidenum']"))


def test_nothing_lies_off_the_slide(sample_deck: DeckView) -> None:
    width, height = sample_deck.size
    assert (width, height) == (inches(13.333), inches(7.5)) or width == 12_192_000
    for view in sample_deck.slides:
        for shape in view.slide.shapes:
            assert not off_slide(shape, width, height), (view.number, shape.name)


def test_charts_are_native_with_alt_text_written_from_the_data(sample_deck: DeckView) -> None:
    frames = [f for view in sample_deck.slides for f in view.chart_frames()]
    assert len(frames) == 8
    for frame in frames:
        assert len(descr(frame)) > 40, frame.name
    yearly = sample_deck.titled("Yearly investment peaked").chart_frames()[0]
    assert "to a peak of £120m in FY18/19" in descr(yearly)
    assert "crosses zero, the break-even point, in FY23/24" in descr(yearly)


def test_combo_chart_has_columns_and_a_line_on_a_second_axis(sample_deck: DeckView) -> None:
    chart = sample_deck.titled("Yearly investment peaked").charts()[0]
    plot_types = [type(plot).__name__ for plot in chart.plots]
    assert plot_types == ["BarPlot", "LinePlot"]
    values = chart_values(chart)
    assert values["Investment"][:4] == [30, 50, 66, 120]
    assert [round(v) for v in values["Cumulative net benefit"]] == [
        -20,
        -35,
        -44,
        -89,
        -85,
        -70,
        -48,
        -8,
        50,
        118,
    ]
    assert chart._chartSpace.xpath("count(.//c:valAx)") == 2


def test_slides_that_show_figures_have_notes_with_their_sources(sample_deck: DeckView) -> None:
    roi = sample_deck.titled("Every £1 spent")
    assert "Sources of the figures on this slide:" in roi.notes
    assert "- £1.15: total benefits / total investment (Finance by Year!B5:B14" in roi.notes
    mobility = sample_deck.titled("Spotlight on mobility devices and apps")
    assert "- over 5,000: Figures!D21; WMP2020 benefits report" in mobility.notes
    for view in sample_deck.slides:
        if any(c.isdigit() for c in view.text.replace(view.title, "")):
            assert view.notes, view.title


def test_contents_numbers_are_computed(sample_deck: DeckView) -> None:
    contents = sample_deck.titled("Contents")
    titles = [s.title for s in sample_deck.slides]
    headline = titles.index("Headline statements and financial benefits") + 1
    appendices = titles.index("Appendices") + 1
    assert f"Headline statements and financial benefits\t{headline}" in contents.text
    assert f"Appendices\t{appendices}" in contents.text


def test_headline_figures_read_as_published(sample_deck: DeckView) -> None:
    roi = sample_deck.titled("Every £1 spent")
    assert roi.title == (
        "Every £1 spent on WMP2020 is projected to generate £1.15 of benefits by FY24/25"
    )
    for figure in ("£778m", "£896m", "£118m", "£266m", "£177m", "c.£120m"):
        assert figure in roi.text
    officers = sample_deck.titled("WMP2020 is mitigating officer loss")
    for figure in ("1,020", "c.400", "c.620"):
        assert figure in officers.text
    assert "FY23/24" in sample_deck.titled("Cumulative benefits overtake").title


def test_long_tables_continue_with_the_header_repeated(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    fte = sheet(source, "FTE by Project")
    fte["rows"] += [
        [f"Project {n:02d} with a long descriptive name", 1.5, "Forecast"] for n in range(60)
    ]
    fte["total"][1] = None
    out = tmp_path / "long.pptx"
    code, text = build(make_workbook(source), out)
    assert code == 0, text
    deck = DeckView(out)
    parts = [s for s in deck.slides if s.title.startswith("Officer productivity")]
    assert len(parts) >= 3
    assert parts[1].title.endswith("(cont.)") and parts[2].title.endswith("(cont. 2)")
    for part in parts:
        table = part.tables()[0]
        assert [c.text for c in table.rows[0].cells] == ["Project", "FTE", "Status"]
    rows = [r.cells[0].text for p in parts for r in list(p.tables()[0].rows)[1:]]
    assert rows.count("Total") == 1 and rows[-1] == "Total"
    assert len(rows) == 12 + 60 + 2 + 1  # projects, two group headings, the total


# -- every figure comes from the workbook -------------------------------------------------------


def test_changing_the_workbook_changes_the_figures_on_the_right_slides(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    sheet(source, "Finance by Year")["rows"].append(["FY25/26", 40, 120, "Forecast"])
    fte = sheet(source, "FTE by Project")
    fte["rows"].append(["WMP2020 - Drones", 12.5, "Forecast"])
    row_of(source, "FTE by Project", "TS1")[1] = 350
    fte["total"][1] = None
    row_of(source, "Portfolio", "NGES")[4] = -75.0
    row_of(source, "Portfolio", "NGES")[7] = None
    sheet(source, "Portfolio")["total"] = None
    row_of(source, "Comparisons", "Officer reduction")[1] = 10.4
    devices = next(r for r in sheet(source, "Figures")["rows"] if r[1] == "devices")
    devices[3] = 6200
    out = tmp_path / "changed.pptx"
    code, text = build(make_workbook(source), out)
    assert code == 0, text
    deck = DeckView(out)

    roi = deck.titled("Every £1 spent")
    assert roi.title == (
        "Every £1 spent on WMP2020 is projected to generate £1.24 of benefits by FY25/26"
    )
    assert "£818m" in roi.text and "£778m" not in roi.text
    assert "£1,016m" in roi.text and "£896m" not in roi.text

    yearly = deck.titled("Yearly investment peaked").charts()[0]
    assert chart_categories(yearly)[-1] == "FY25/26"
    assert chart_values(yearly)["Investment"][-1] == 40

    officers = deck.titled("WMP2020 is mitigating officer loss")
    assert "c.1,050" in officers.title and "1,020" not in officers.text  # 1,051 FTE, shown with c.
    fte_chart = officers.charts()[0]
    assert "WMP2020 - Drones" in chart_categories(fte_chart)
    assert 350 in chart_values(fte_chart)["Achieved"]

    restructuring = deck.titled("Spotlight on restructuring the Force")
    assert "c.350 FTE" in restructuring.text and "c.330" not in restructuring.text

    portfolio = deck.titled("Portfolio investments and benefits")
    assert "-75.0" in portfolio.text and "-69.9" not in portfolio.text
    balance = deck.titled("Across the portfolios").charts()[0]
    nges = chart_categories(balance).index("NGES")
    assert chart_values(balance)["Benefits"][nges] == pytest.approx(-(22.5 + 75.0))

    msf = deck.titled("WMP continues to outperform")
    assert "10.4%" in msf.text and "9.7%" not in msf.text
    assert "65%" in msf.text and "54%" not in msf.text
    assert 10.4 in chart_values(msf.charts()[0])["West Midlands"]

    mobility = deck.titled("Spotlight on mobility devices and apps")
    assert "over 6,200" in mobility.text and "5,000" not in mobility.text


# -- templates ------------------------------------------------------------------------------


def test_another_template_restyles_the_deck_without_code_changes(tmp_path: Path) -> None:
    colors = dict(SAMPLE_TEMPLATE.colors)
    colors.update({"dk2": "2D4F1E", "accent1": "2D4F1E", "accent2": "6B2D5C", "lt2": "F4F1EA"})
    theme = TemplateTheme("Green", colors, "Arial", "Arial", inches(10), inches(7.5))
    template = tmp_path / "green-4x3.pptx"
    build_template(template, theme)
    out = tmp_path / "restyled.pptx"
    code, text = build(SAMPLE_WORKBOOK, out, "--template", str(template))
    assert code == 0, text
    deck = DeckView(out)
    width, height = deck.size
    assert (width, height) == (inches(10), inches(7.5))
    for view in deck.slides:
        for shape in view.slide.shapes:
            assert not off_slide(shape, width, height), (view.number, view.title, shape.name)
    theme_xml = deck.prs.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
    ).blob
    assert b"2D4F1E" in theme_xml and b"Arial" in theme_xml


def test_a_template_missing_a_layout_is_a_clear_error(tmp_path: Path) -> None:
    from pptx import Presentation

    prs = Presentation()  # python-pptx's default: no "Cover" or "Section" layouts
    template = tmp_path / "plain.pptx"
    prs.save(str(template))
    out = tmp_path / "deck.pptx"
    assert build(SAMPLE_WORKBOOK, out, *FAST_SUBSET)[0] == 0
    previous = out.read_bytes()
    code, text = build(SAMPLE_WORKBOOK, out, "--template", str(template))
    assert code == 2
    assert f"{template}: the template has no slide layouts named 'Cover', 'Section'" in text
    assert out.read_bytes() == previous


# -- bad input: nothing written ---------------------------------------------------------------


def test_an_invalid_workbook_builds_nothing_and_keeps_the_previous_deck(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    out = tmp_path / "deck.pptx"
    assert build(SAMPLE_WORKBOOK, out, *FAST_SUBSET)[0] == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    row_of(source, "Portfolio", "NGES")[4] = "n/a"
    code, text = build(make_workbook(source), out)
    assert code == 2
    assert "ERROR Portfolio!E11: 'Cashable Benefits' must be a number (got 'n/a')" in text
    assert "nothing was built" in text
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    assert after == {**before, "book.xlsx": after["book.xlsx"]}


def test_a_bad_reference_builds_nothing(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "slides:\n  - id: roi\n    kind: section\n    title: '{metrics.return_per_pund}'\n"
    )
    out = tmp_path / "deck.pptx"
    result = CliRunner().invoke(
        cli,
        [
            "build",
            str(SAMPLE_WORKBOOK),
            "-o",
            str(out),
            "--deck",
            str(deck),
            "--template",
            str(TEMPLATE),
        ],
    )
    assert result.exit_code == 2
    assert "slide 'roi': {metrics.return_per_pund}: no metric" in result.output
    assert not out.exists()


def test_warnings_fail_the_build_with_strict(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    sheet(source, "Portfolio")["total"][1] = 119.2
    path = make_workbook(source)
    code, text = build(path, tmp_path / "a.pptx")
    assert code == 0 and "WARNING Portfolio!B16" in text
    code, text = build(path, tmp_path / "b.pptx", "--strict")
    assert code == 2 and not (tmp_path / "b.pptx").exists()


# -- the file itself ------------------------------------------------------------------------------


def test_every_part_of_the_deck_is_schema_valid(sample_deck: DeckView) -> None:
    errors = validate_package(sample_deck.path)
    assert errors == [], "\n".join(errors[:20])


def test_default_build_does_not_import_matplotlib(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from deckgen.cli import cli\n"
        f"r = CliRunner().invoke(cli, ['build', {str(SAMPLE_WORKBOOK)!r}, '-o', "
        f"{str(tmp_path / 'x.pptx')!r}, '--template', {str(TEMPLATE)!r}, '--deck', "
        f"{str(DECK)!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('matplotlib'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import json\n" + code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONWARNINGS": ""},
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_image_chart_engine_draws_pictures_with_alt_text_and_data_in_the_notes(
    tmp_path: Path,
) -> None:
    out = tmp_path / "images.pptx"
    code, text = build(SAMPLE_WORKBOOK, out, "--chart-engine", "image")
    assert code == 0, text
    deck = DeckView(out)
    pictures = [
        (view, shape)
        for view in deck.slides
        for shape in view.slide.shapes
        if shape.shape_type == 13  # MSO_SHAPE_TYPE.PICTURE
    ]
    assert len(pictures) == 8
    assert not any(view.charts() for view in deck.slides)
    for view, picture in pictures:
        assert len(descr(picture)) > 40
        assert "Chart data (" in view.notes
    yearly = deck.titled("Yearly investment peaked")
    assert "FY18/19 | £120m | £75m" in yearly.notes
