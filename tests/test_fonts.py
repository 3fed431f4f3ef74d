"""The same deck on every machine: text measured and drawn with the fonts deckgen ships."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import replace
from fnmatch import fnmatch
from pathlib import Path

import pytest

from deckgen import fonts
from deckgen.fontfile import FontFile, FontFileError, open_font
from deckgen.sample.template import SAMPLE_TEMPLATE, build_template
from deckgen.textmetrics import FALLBACK_FAMILY, Measurer, find_face, font_note
from tests.conftest import (
    DECK,
    ROOT,
    SAMPLE_WORKBOOK,
    build_args,
    build_cli,
    fontconfig_without_fonts,
    run_cli,
)

THEME_FONTS = ("Calibri", "Cambria", "Arial", "Times New Roman", "Courier New")
STYLES = ((False, False), (True, False), (False, True), (True, True))
# A machine without FriBiDi: Pillow then lays text out without kerning, in whole pixels.
NO_RAQM = "import PIL.ImageFont as f; f.core.HAVE_RAQM = False; "


@pytest.fixture
def fresh_lookups() -> Iterator[None]:
    """Font lookups made under this test's environment, not remembered from another's."""
    find_face.cache_clear()
    yield
    find_face.cache_clear()


def build_with(template: Path, out: Path) -> tuple[int, str]:
    """Build two slides of the sample with another template."""
    args = ["-o", str(out), "--template", str(template), "--deck", str(DECK)]
    return run_cli("build", str(SAMPLE_WORKBOOK), *args, "--slides", "roi,mobility")


def machine_without_fonts(tmp_path: Path) -> dict[str, str]:
    """Environment of a machine whose fontconfig knows no font at all."""
    env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_without_fonts(tmp_path))}
    fc_list = shutil.which("fc-list")
    if fc_list is not None:  # the machine really has no font now
        listed = subprocess.run([fc_list], env=env, capture_output=True, text=True, check=False)
        assert listed.stdout.strip() == ""
    return env


def machine_without_fontconfig(tmp_path: Path) -> dict[str, str]:
    """Environment of a machine with no fontconfig at all (no fc-match on PATH) and no FriBiDi."""
    bare = tmp_path / "bin"
    bare.mkdir()
    env = {**os.environ, "PATH": str(bare)}
    assert shutil.which("fc-match", path=env["PATH"]) is None
    return env


@pytest.fixture(scope="module")
def sample_here(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The sample deck built on this machine (in CI, one with Carlito, Caladea and Liberation
    installed), and the build's summary."""
    here = tmp_path_factory.mktemp("here") / "here.pptx"
    code, output = build_cli(SAMPLE_WORKBOOK, here)
    assert code == 0, output
    return here, output


@pytest.mark.slow
@pytest.mark.parametrize("machine", ["no fonts installed", "no fontconfig, no FriBiDi"])
def test_the_sample_deck_is_the_same_bytes_on_any_machine(
    tmp_path: Path, machine: str, sample_here: tuple[Path, str]
) -> None:
    here, output = sample_here
    if machine == "no fonts installed":
        env, prelude = machine_without_fonts(tmp_path), ""
    else:
        env, prelude = machine_without_fontconfig(tmp_path), NO_RAQM
    there = tmp_path / "there" / "there.pptx"
    there.parent.mkdir()
    args = build_args(SAMPLE_WORKBOOK, there)
    script = f"{prelude}import sys; from deckgen.cli import main; sys.argv[1:] = {args!r}; main()"
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "fonts:" not in result.stdout  # nothing was approximated
    slides = re.search(r"(\d+) slides", output)
    assert slides is not None and f"{slides[1]} slides" in result.stdout
    assert there.read_bytes() == here.read_bytes()


def test_every_theme_font_is_shipped_in_four_styles_with_its_licence() -> None:
    for family in THEME_FONTS:
        for bold, italic in STYLES:
            path = fonts.shipped_file(family, bold, italic)
            assert path is not None and path.is_file(), (family, bold, italic)
            assert open_font(path).width("Benefits") > 0
    names = {path.name for path in fonts.font_files()}
    assert len(names) == len(THEME_FONTS) * len(STYLES)
    for stem in ("Carlito", "Caladea", "Liberation"):
        licence = (fonts.FOLDER / f"LICENSE-{stem}.txt").read_text(encoding="utf-8")
        assert "SIL OPEN FONT LICENSE Version 1.1" in licence
        assert "Copyright" in licence


def test_the_package_data_takes_every_font_and_licence() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["deckgen.fonts"]
    shipped = [p for p in fonts.FOLDER.iterdir() if p.suffix != ".py" and p.is_file()]
    assert shipped
    for path in shipped:
        assert any(fnmatch(path.name, pattern) for pattern in patterns), path.name


@pytest.mark.usefixtures("fresh_lookups")
def test_theme_fonts_are_measured_with_the_shipped_files_without_fontconfig(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", machine_without_fontconfig(tmp_path)["PATH"])
    for family in THEME_FONTS:
        face = find_face(family, bold=True)
        assert face.exact and face.path.parent == fonts.FOLDER
    assert font_note(THEME_FONTS) is None
    assert font_note(["Calibri", "Carlito", "Liberation Sans"]) is None


@pytest.mark.usefixtures("fresh_lookups")
def test_a_font_deckgen_does_not_ship_is_approximated_and_named_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", machine_without_fontconfig(tmp_path)["PATH"])
    face = find_face("Segoe UI")
    assert face.family == FALLBACK_FAMILY and not face.exact
    note = font_note(["Segoe UI", "Segoe UI", "Calibri"])
    assert note is not None
    assert note.count("'Segoe UI'") == 1 and "approximated with DejaVu Sans" in note
    assert "\n" not in note


def test_a_font_file_deckgen_cannot_read_is_refused_cleanly() -> None:
    carlito = (fonts.FOLDER / "Carlito-Regular.ttf").read_bytes()
    for damaged in (b"", b"not a font at all", carlito[:2000]):
        with pytest.raises(FontFileError):
            FontFile(damaged)


def test_pairs_are_kerned_as_powerpoint_kerns_them() -> None:
    for family in THEME_FONTS[:4]:  # Liberation Mono, a fixed-width font, has no kerning
        measurer = Measurer(family)
        apart = measurer.width("A", 40) + measurer.width("V", 40)
        assert measurer.width("AV", 40) < apart - 1, family  # points: the pair is set closer


def test_widths_agree_with_harfbuzz_where_pillow_has_it() -> None:
    """An independent check of the kerning tables read: HarfBuzz through Pillow's raqm layout,
    with ligatures off as in PowerPoint."""
    from PIL import ImageFont, features

    if not features.check("raqm"):
        pytest.skip("Pillow has no raqm layout here")
    text = "WMP2020 Transformation: AVAILABLE ‘To’ Yearly, “Force” -> £1.15 Þórr Ωμέγα"
    for family in THEME_FONTS:
        for bold, italic in STYLES:
            face = find_face(family, bold, italic)
            units = open_font(face.path).units_per_em
            pillow = ImageFont.truetype(str(face.path), units, layout_engine=ImageFont.Layout.RAQM)
            expected = pillow.getlength(text, features=["-liga", "-calt", "-dlig"])
            assert open_font(face.path).width(text) * units == pytest.approx(expected, abs=0.5)


def test_a_serif_template_lays_out_with_caladea_and_needs_no_note(tmp_path: Path) -> None:
    template = tmp_path / "serif.pptx"
    build_template(template, replace(SAMPLE_TEMPLATE, heading_font="Cambria", body_font="Cambria"))
    code, output = build_with(template, tmp_path / "serif-deck.pptx")
    assert code == 0, output
    assert "fonts:" not in output


@pytest.mark.usefixtures("fresh_lookups")
def test_a_template_font_deckgen_does_not_ship_is_one_line_of_the_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", machine_without_fontconfig(tmp_path)["PATH"])
    template = tmp_path / "own.pptx"
    own = replace(SAMPLE_TEMPLATE, heading_font="Gill Sans Nova", body_font="Segoe UI")
    build_template(template, own)
    code, output = build_with(template, tmp_path / "own-deck.pptx")
    assert code == 0, output
    notes = [line for line in output.splitlines() if line.startswith("fonts:")]
    assert len(notes) == 1, output
    assert "'Gill Sans Nova' and 'Segoe UI' approximated with DejaVu Sans" in notes[0]


def test_chart_pictures_draw_with_the_shipped_files() -> None:
    from matplotlib import font_manager

    from deckgen.render.images import resolve_font

    for family in THEME_FONTS:
        drawn = resolve_font(family)
        for weight in ("normal", "bold"):
            path = font_manager.findfont(font_manager.FontProperties(family=drawn, weight=weight))
            assert Path(path).parent == fonts.FOLDER, (family, weight, path)
