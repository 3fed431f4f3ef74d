"""Speaker notes: a notes slide per slide, its body holding the notes text.

The first notes slide is made by python-pptx (which copies the notes master's slide image, body
and number placeholders); later ones start from a copy of that blank notes slide. The text is
written as paragraphs directly, as python-pptx's text setter writes it.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from pptx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.parts.slide import NotesSlidePart

from deckgen.render.xml import escape_text

_NOTES_PARTNAME = "/ppt/notesSlides/notesSlide%d.xml"
_CONTROL = re.compile(r"([\x00-\x08\x0B-\x1F])")
_P = qn("a:p")


class NotesWriter:
    """Adds notes slides to the slides of one presentation."""

    def __init__(self) -> None:
        self._blank: Any = None  # a notes slide with the master's placeholders, no text

    def add(self, slide: Any, text: str) -> None:
        """Give `slide` a notes slide holding `text` (one paragraph per line)."""
        if self._blank is None:
            notes = slide.notes_slide
            self._blank = copy.deepcopy(notes._element)
            part = notes.part
        else:
            part = self._new_part(slide.part)
        body = _notes_body(part._element)
        for old in body.findall(_P):
            body.remove(old)
        for paragraph in notes_paragraphs(text):
            body.append(paragraph)

    def _new_part(self, slide_part: Any) -> Any:
        package = slide_part.package
        master = package.presentation_part.notes_master_part
        part = NotesSlidePart(
            package.next_partname(_NOTES_PARTNAME),
            CONTENT_TYPE.PML_NOTES_SLIDE,
            package,
            copy.deepcopy(self._blank),
        )
        part.relate_to(master, RELATIONSHIP_TYPE.NOTES_MASTER)
        part.relate_to(slide_part, RELATIONSHIP_TYPE.SLIDE)
        slide_part.relate_to(part, RELATIONSHIP_TYPE.NOTES_SLIDE)
        return part


def _notes_body(notes: Any) -> Any:
    """The txBody of the notes slide's body placeholder."""
    for shape in notes.iter(qn("p:sp")):
        placeholder = shape.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}")
        if placeholder is not None and placeholder.get("type") == "body":
            return shape.find(qn("p:txBody"))
    raise ValueError("the notes master has no body placeholder")


def notes_paragraphs(text: str) -> list[Any]:
    """a:p elements for `text`: a paragraph per line, a line break per vertical tab."""
    paragraphs = []
    for line in text.split("\n"):
        pieces = []
        for number, piece in enumerate(line.split("\v")):
            if number:
                pieces.append("<a:br/>")
            if piece:
                escaped = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", piece)
                pieces.append(f"<a:r><a:t>{escape_text(escaped)}</a:t></a:r>")
        paragraphs.append(f"<a:p>{''.join(pieces)}</a:p>")
    return list(parse_xml(f"<a:txBody {nsdecls('a')}>{''.join(paragraphs)}</a:txBody>"))
