"""Make a .pptx byte-identical from build to build, whatever the clock, machine or time zone.

python-pptx writes the wall-clock time into every zip member and XlsxWriter writes "now" into
the core properties of each chart's embedded workbook. Here the package is rewritten with one
fixed time (the workbook's "Last updated" date, or SOURCE_DATE_EPOCH when set), members in a
fixed order, and the embedded workbooks normalised the same way.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import UTC, date, datetime, time

from deckgen.errors import DeckgenError

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip member can carry
_CORE_DATE = re.compile(
    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)"
)
_FIRST = "[Content_Types].xml"  # readers expect the content types first


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
    stamp = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(package))
    names = sorted(source.namelist(), key=lambda n: (n != _FIRST, n))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            data = source.read(name)
            if name.endswith(".xlsx"):
                data = normalise(data, when)
            elif name == "docProps/core.xml":
                data = _CORE_DATE.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever the machine
            target.writestr(info, data, compresslevel=6)
    return out.getvalue()
