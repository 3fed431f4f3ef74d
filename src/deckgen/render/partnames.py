"""Name new package parts without walking the whole package each time.

python-pptx finds the next free part name ("/ppt/notesSlides/notesSlide%d.xml") by walking
every part of the package, each time a notes slide, chart or embedded workbook is added, so
building n slides costs n² (python-pptx #644). Here the names in use are read once and kept up
to date, per package, as parts are added. Only the renderer's own package is changed, and only
how free names are found: every name handed out is still checked against every name in use.
"""

from __future__ import annotations

from typing import Any

from pptx.opc.packuri import PackURI


class PartNames:
    """Free part names for one package, from a set of the names in use."""

    def __init__(self, package: Any) -> None:
        self._package = package
        self._taken: set[str] | None = None
        self._next: dict[str, int] = {}

    def taken(self) -> set[str]:
        if self._taken is None:
            self._taken = {str(part.partname) for part in self._package.iter_parts()}
        return self._taken

    def next_partname(self, template: str) -> PackURI:
        """The next free name for `template`, a %-template such as "/ppt/charts/chart%d.xml"."""
        taken = self.taken()
        number = self._next.get(template)
        if number is None:
            prefix = template[: (template % 42).find("42")]
            number = sum(1 for name in taken if name.startswith(prefix)) + 1
        while template % number in taken:
            number += 1
        name = template % number
        taken.add(name)
        self._next[template] = number + 1
        return PackURI(name)

    def next_image_partname(self, ext: str) -> PackURI:
        return self.next_partname(f"/ppt/media/image%d.{ext}")

    def next_media_partname(self, ext: str) -> PackURI:
        return self.next_partname(f"/ppt/media/media%d.{ext}")


def install(package: Any) -> PartNames:
    """Make `package` hand out part names from a PartNames (this package only)."""
    names = PartNames(package)
    package.next_partname = names.next_partname
    package.next_image_partname = names.next_image_partname
    package.next_media_partname = names.next_media_partname
    return names
