"""Make a .pptx byte-identical from build to build, whatever the clock, machine or time zone.

python-pptx writes the wall-clock time into every zip member and XlsxWriter writes "now" into
the core properties of each chart's embedded workbook. Here the package is rewritten with one
fixed time (the workbook's "Last updated" date, or SOURCE_DATE_EPOCH when set), members in a
fixed order, and the embedded workbooks normalised the same way.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time

from deckgen.archive import CONTENT_TYPES, members, write_zip
from deckgen.errors import DeckgenError

_CORE_DATE = re.compile(
    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)"
)


def build_time(fallback: date) -> datetime:
    """The time a build records: SOURCE_DATE_EPOCH when set, else `fallback` at midnight UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError, OSError):
            raise DeckgenError(
                f"SOURCE_DATE_EPOCH must be a number of seconds since 1970 (got {epoch!r})"
            ) from None
    return datetime.combine(fallback, time(), tzinfo=UTC)


def normalise(package: bytes, when: datetime) -> bytes:
    """Return `package` (a .pptx or .xlsx) rewritten to the same bytes on every build."""
    return write_zip(normalise_members(members(package), when))


def normalise_members(
    parts: Iterable[tuple[str, bytes]], when: datetime
) -> list[tuple[str, bytes]]:
    """A package's members as `normalise` zips them: in a fixed order, with the build's time
    in the core properties and the embedded workbooks normalised."""
    stamp = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()

    def fixed(name: str, data: bytes) -> bytes:
        if name.endswith(".xlsx"):
            return normalise(data, when)
        if name == "docProps/core.xml":
            return _CORE_DATE.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
        return data

    ordered = sorted(parts, key=lambda part: (part[0] != CONTENT_TYPES, part[0]))
    return [(name, fixed(name, data)) for name, data in ordered]
