"""The package guard: every Office file deckgen opens (the workbook, the template, a deck to
check) is refused the same way when hostile, wherever in a part the hostility hides, with one
line of bounded length naming the file and the part."""

from __future__ import annotations

import io
import random
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from deckgen.checks import check_deck
from deckgen.errors import DeckgenError
from deckgen.render.template import inspect_template
from deckgen.workbook.reader import read_workbook
from tests.conftest import SAMPLE_WORKBOOK, TEMPLATE

LONGEST_MESSAGE = 400  # characters: a message about a hostile part fits a terminal line or two
ENTITIES = '<!DOCTYPE x [<!ENTITY a "{}"><!ENTITY b "{}">]>'.format("A" * 1000, "&a;" * 100)

Open = Callable[[Path], object]
# (the file the hostile part goes into, how deckgen opens it, a part every such file holds)
CONSUMERS: dict[str, tuple[Path, Open, str]] = {
    "workbook": (SAMPLE_WORKBOOK, read_workbook, "xl/workbook.xml"),
    "template": (TEMPLATE, inspect_template, "ppt/presentation.xml"),
    "deck": (TEMPLATE, check_deck, "ppt/presentation.xml"),
}


def copy_with(source: Path, out: Path, replace: dict[str, bytes]) -> Path:
    """Copy a package, replacing or adding members."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in replace:
                dst.writestr(info.filename, src.read(info))
        for name, data in replace.items():
            dst.writestr(name, data)
    return out


def refusal(open_file: Open, path: Path) -> str:
    """The one line deckgen refuses `path` with."""
    with pytest.raises(DeckgenError) as caught:
        open_file(path)
    message = caught.value.format_message()
    assert "\n" not in message and "\r" not in message, message[:500]
    assert len(message) <= LONGEST_MESSAGE, f"{len(message)} characters: {message[:500]}"
    assert message.startswith(f"{path}: "), message
    return message


def refusal_and_peak_memory(open_file: Open, path: Path) -> tuple[str, int]:
    """The line deckgen refuses `path` with, and the most memory Python held meanwhile."""
    tracemalloc.start()
    try:
        message = refusal(open_file, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return message, peak


def with_dtd(source: Path, part: str, before: str = "", encoding: str = "utf-8") -> bytes:
    """`part` of `source` with a DTD declaring entities, after `before` (a comment, say)."""
    with zipfile.ZipFile(source) as package:
        text = package.read(part).decode("utf-8")
    declaration, _, body = text.partition("?>")
    declaration = declaration.replace('encoding="UTF-8"', f'encoding="{encoding.upper()}"')
    return f"{declaration}?>{before}{ENTITIES}{body}".encode(encoding)


@pytest.fixture(params=list(CONSUMERS))
def consumer(request: pytest.FixtureRequest) -> tuple[Path, Open, str]:
    return CONSUMERS[request.param]


@pytest.mark.parametrize("padding", [0, 5_000, 200_000], ids=["at-once", "5kB-in", "200kB-in"])
def test_a_dtd_is_refused_wherever_it_hides_in_the_part(
    consumer: tuple[Path, Open, str], padding: int, tmp_path: Path
) -> None:
    source, open_file, part = consumer
    comment = f"<!--{'x' * padding}-->" if padding else ""
    path = copy_with(
        source, tmp_path / f"hostile{source.suffix}", {part: with_dtd(source, part, comment)}
    )
    message = refusal(open_file, path)
    assert f"part {part} declares a DTD" in message


def test_a_dtd_in_a_utf16_part_is_refused(consumer: tuple[Path, Open, str], tmp_path: Path) -> None:
    source, open_file, part = consumer
    data = with_dtd(source, part, f"<!--{'x' * 6000}-->", encoding="utf-16")
    path = copy_with(source, tmp_path / f"wide{source.suffix}", {part: data})
    assert f"part {part} declares a DTD" in refusal(open_file, path)


def test_a_dtd_after_a_switch_to_utf16_is_refused(
    consumer: tuple[Path, Open, str], tmp_path: Path
) -> None:
    """libxml2 reads the declaration in ASCII, then the rest of the part in the encoding it
    names; the comment holds a character whose UTF-16 bytes spell "?>", as if the declaration
    ended in ASCII."""
    source, open_file, part = consumer
    declaration = '<?xml version="1.0" encoding="UTF-16"'
    rest = f'?><!--\u3e3f-->{ENTITIES}<x a="&b;"/>'
    data = declaration.encode() + rest.encode("utf-16-le")
    path = copy_with(source, tmp_path / f"switch{source.suffix}", {part: data})
    assert f"part {part} declares a DTD" in refusal(open_file, path)


def test_a_part_in_an_encoding_that_hides_markup_is_refused(
    consumer: tuple[Path, Open, str], tmp_path: Path
) -> None:
    """In UTF-7, "<!DOCTYPE" can be written "+ADwAIQ-DOCTYPE": no byte scan would see it, and
    libxml2 decodes it."""
    source, open_file, part = consumer
    hidden = (
        b'<?xml version="1.0" encoding="UTF-7"?>+ADwAIQ-DOCTYPE x +AFsAPAAh-ENTITY a "AAAA"'
        b'+AD4AXQA+-<x a="&a;"/>'
    )
    path = copy_with(source, tmp_path / f"utf7{source.suffix}", {part: hidden})
    message = refusal(open_file, path)
    assert f"part {part}" in message and "UTF-7" in message


def test_a_dtd_in_a_part_not_named_xml_is_refused(
    consumer: tuple[Path, Open, str], tmp_path: Path
) -> None:
    """A relationship can point at any part name; the guard goes by what a part holds."""
    source, open_file, part = consumer
    folder = part.split("/")[0]
    extra = f"{folder}/media/notes.bin"
    path = copy_with(
        source, tmp_path / f"named{source.suffix}", {extra: with_dtd(source, part, "<!-- -->")}
    )
    assert f"part {extra} declares a DTD" in refusal(open_file, path)


def test_a_part_with_a_very_long_name_is_named_in_a_short_line(
    consumer: tuple[Path, Open, str], tmp_path: Path
) -> None:
    source, open_file, part = consumer
    long_name = f"{part.split('/')[0]}/{'n' * 5000}.xml"
    path = copy_with(source, tmp_path / f"long{source.suffix}", {long_name: with_dtd(source, part)})
    message = refusal(open_file, path)
    assert "declares a DTD" in message and "nnnnnnnn" in message


def test_an_unsafe_name_with_line_breaks_is_one_line(
    consumer: tuple[Path, Open, str], tmp_path: Path
) -> None:
    source, open_file, _ = consumer
    path = copy_with(source, tmp_path / f"breaks{source.suffix}", {"../\n\nevil\r.xml": b"<x/>"})
    assert "unsafe part name" in refusal(open_file, path)


def test_a_sheet_name_expanded_by_an_entity_never_reaches_a_message(tmp_path: Path) -> None:
    """Once a 100,000-character error line: the entity's DTD sat after a 5 kB comment."""
    part = "xl/workbook.xml"
    data = with_dtd(SAMPLE_WORKBOOK, part, f"<!--{'x' * 5000}-->")
    data = data.replace(b'name="Portfolio"', b'name="&b;"')
    path = copy_with(SAMPLE_WORKBOOK, tmp_path / "entity.xlsx", {part: data})
    assert f"part {part} declares a DTD" in refusal(read_workbook, path)


def test_a_sheet_name_as_long_as_a_book_is_named_in_a_short_line(tmp_path: Path) -> None:
    """The same name written out, with no entity: the message still fits a line."""
    with zipfile.ZipFile(SAMPLE_WORKBOOK) as package:
        book = package.read("xl/workbook.xml").replace(
            b'name="Portfolio"', b'name="' + b"A" * 100_000 + b'"'
        )
    path = copy_with(SAMPLE_WORKBOOK, tmp_path / "long.xlsx", {"xl/workbook.xml": book})
    errors = [str(issue) for issue in read_workbook(path).errors]
    assert any("missing sheet 'Portfolio'" in line for line in errors), errors
    assert all(len(line) <= LONGEST_MESSAGE and "\n" not in line for line in errors)


def test_a_large_part_is_scanned_to_its_end_in_bounded_memory(tmp_path: Path) -> None:
    """A DTD behind 12 MB of text is found, without holding the part in memory."""
    rng = random.Random(7)
    filler = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz ", k=12 * 2**20))
    part = "xl/workbook.xml"
    data = with_dtd(SAMPLE_WORKBOOK, part, f"<!--{filler}-->")
    path = copy_with(SAMPLE_WORKBOOK, tmp_path / "large.xlsx", {part: data})
    message, peak = refusal_and_peak_memory(read_workbook, path)
    assert f"part {part} declares a DTD" in message
    assert peak < 4 * 2**20, f"peak {peak / 2**20:.1f} MB"


def test_a_harmless_part_with_doctype_in_its_text_is_read(tmp_path: Path) -> None:
    """Text that merely mentions the word, escaped as XML escapes it, is not a DTD."""
    with zipfile.ZipFile(SAMPLE_WORKBOOK) as package:
        strings = package.read("xl/sharedStrings.xml")
    strings = strings.replace(b"</sst>", b"<si><t>&lt;!DOCTYPE html&gt;</t></si></sst>")
    path = copy_with(SAMPLE_WORKBOOK, tmp_path / "mention.xlsx", {"xl/sharedStrings.xml": strings})
    assert read_workbook(path).workbook is not None


def test_embedded_binary_parts_are_not_mistaken_for_xml(tmp_path: Path) -> None:
    """Pictures and embedded workbooks pass the guard whatever bytes they hold."""
    picture = io.BytesIO()
    with zipfile.ZipFile(picture, "w") as inner:
        inner.writestr("x.xml", ENTITIES + "<x/>")  # a zip inside is compressed, not XML
    path = copy_with(
        TEMPLATE,
        tmp_path / "media.pptx",
        {
            "ppt/embeddings/book.xlsx": picture.getvalue(),
            "ppt/media/image1.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
        },
    )
    inspect_template(path)


def test_a_hostile_deck_is_refused_before_libreoffice_draws_it(tmp_path: Path) -> None:
    from deckgen.libreoffice import to_pdf
    from tests.conftest import require_libreoffice

    require_libreoffice()
    part = "ppt/presentation.xml"
    path = copy_with(
        TEMPLATE,
        tmp_path / "hostile.pptx",
        {part: with_dtd(TEMPLATE, part, f"<!--{'x' * 5000}-->")},
    )
    assert f"part {part} declares a DTD" in refusal(lambda p: to_pdf(p, tmp_path / "pdf"), path)
    assert not (tmp_path / "pdf").exists()


def test_a_zip_listing_too_many_parts_is_refused_before_they_are_listed(tmp_path: Path) -> None:
    """zipfile makes an object for every part a zip lists; 20,000 empty parts take a few MB."""
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(SAMPLE_WORKBOOK) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        for n in range(20_000):
            dst.writestr(f"xl/media/{n}", b"")
    message, peak = refusal_and_peak_memory(read_workbook, path)
    assert "20,0" in message and "at most 10,000" in message
    assert peak < 1 * 2**20, f"peak {peak / 2**20:.1f} MB"
