"""Advance widths, kerning and line metrics read straight from a TrueType/OpenType file.

Text is measured from the font's own tables, in its design units, rather than through a text
renderer: Pillow hints advances to whole pixels without its optional layout library (raqm, which
needs FriBiDi on the machine) and kerns with it, so the same font measured differently from one
machine to the next and the sample deck had a slide more where FriBiDi was missing. Summing the
`hmtx` advances and adding the pair adjustments of the `kern` feature (GPOS), as PowerPoint does
for kerned text, depends on nothing but the file. Ligatures are not applied: PowerPoint does not.
"""

from __future__ import annotations

import struct
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

SFNT_VERSIONS = (b"\x00\x01\x00\x00", b"OTTO", b"true")
COLLECTION = b"ttcf"
_X_ADVANCE = 0x0004  # the ValueRecord field kerning sets
_PAIR_ADJUSTMENT = 2  # GPOS lookup type
_EXTENSION = 9  # GPOS lookup type that wraps another
_IGNORABLE = frozenset({"Mn", "Me", "Cf"})  # marks and format characters: no advance of their own


class FontFileError(ValueError):
    """Not a TrueType/OpenType file, or one whose tables cannot be read."""


@dataclass(frozen=True)
class LineMetrics:
    """Vertical metrics of a face, as fractions of the font size."""

    ascent: float
    descent: float
    gap: float

    @property
    def single(self) -> float:
        """Height of one line at single spacing, as a multiple of the font size."""
        return self.ascent + self.descent + self.gap


def is_font_file(path: Path) -> bool:
    """True for a TrueType/OpenType font or collection (what this module can read)."""
    try:
        with path.open("rb") as handle:
            return handle.read(4) in (*SFNT_VERSIONS, COLLECTION)
    except OSError:
        return False


@cache
def open_font(path: Path, index: int = 0) -> FontFile:
    """The font at `path` (face `index` of a collection), read once per process."""
    return FontFile(path.read_bytes(), index, str(path))


class FontFile:
    """One face: maps characters to glyphs, and measures strings in ems (multiples of the size)."""

    def __init__(self, data: bytes, index: int = 0, name: str = "font") -> None:
        self._data = data
        self.name = name
        try:
            self._tables = _table_directory(data, index)
            head, hhea = self._table("head"), self._table("hhea")
            self.units_per_em = _u16(data, head + 18)
            if not 16 <= self.units_per_em <= 16384:  # the range OpenType allows
                raise KeyError(f"unitsPerEm {self.units_per_em}")
            self._metric_count = _u16(data, hhea + 34)
            self._hmtx = self._table("hmtx")
            self._cmap = _Cmap(data, self._table("cmap"))
            gpos = self._tables.get("GPOS")
            self._kerning = _Kerning(data, gpos[0]) if gpos else None
        except (struct.error, KeyError, IndexError) as exc:
            raise FontFileError(f"{name}: not a font deckgen can read ({exc})") from None
        self._advances: dict[str, int] = {}
        self._pairs: dict[tuple[str, str], int] = {}
        self._lines: LineMetrics | None = None

    def _table(self, tag: str) -> int:
        return self._tables[tag][0]

    def width(self, text: str) -> float:
        """Advance width of `text` on one line, kerned, in ems.

        Every character and pair is looked up once per font and kept: the sums then run in
        C (map over a dict), which is most of the time a build spends measuring text.
        """
        advances = self._advances
        try:
            units = sum(map(advances.__getitem__, text))
        except KeyError:
            for char in text:
                if char not in advances:
                    advances[char] = self._advance(char)
            units = sum(map(advances.__getitem__, text))
        if self._kerning is not None and len(text) > 1:
            pairs = self._pairs
            try:
                units += sum(map(pairs.__getitem__, pairwise(text)))
            except KeyError:
                for pair in pairwise(text):
                    if pair not in pairs:
                        pairs[pair] = self._kerning.adjustment(
                            self._cmap.glyph(pair[0]), self._cmap.glyph(pair[1])
                        )
                units += sum(map(pairs.__getitem__, pairwise(text)))
        return units / self.units_per_em

    def _advance(self, char: str) -> int:
        glyph = self._cmap.glyph(char)
        if glyph == 0 and unicodedata.category(char) in _IGNORABLE:
            return 0  # a joiner or variation selector the font lacks is not drawn
        entry = min(glyph, self._metric_count - 1)
        return _u16(self._data, self._hmtx + 4 * entry)

    def line_metrics(self) -> LineMetrics:
        """The font's own line metrics (hhea with line gap, or OS/2 win metrics if larger).

        Office spaces single lines by these, about 1.2 x the size for Calibri, not by the
        glyphs' ascent and descent alone.
        """
        if self._lines is None:
            self._lines = self._read_line_metrics()
        return self._lines

    def _read_line_metrics(self) -> LineMetrics:
        data, units = self._data, self.units_per_em
        hhea = self._table("hhea")
        ascender, descender, gap = struct.unpack_from(">hhh", data, hhea + 4)
        os2 = self._tables.get("OS/2")
        if os2 is not None and os2[1] >= 78:
            win_ascent, win_descent = struct.unpack_from(">HH", data, os2[0] + 74)
            if win_ascent + win_descent > ascender - descender + gap:
                return LineMetrics(win_ascent / units, win_descent / units, 0.0)
        return LineMetrics(ascender / units, -descender / units, gap / units)


def _u16(data: bytes, offset: int) -> int:
    return int(struct.unpack_from(">H", data, offset)[0])


def _table_directory(data: bytes, index: int) -> dict[str, tuple[int, int]]:
    """Offset and length of every table of face `index`, by tag."""
    start = 0
    if data[:4] == COLLECTION:
        count = struct.unpack_from(">I", data, 8)[0]
        if not 0 <= index < count:
            raise IndexError(f"no face {index} in a collection of {count}")
        start = struct.unpack_from(">I", data, 12 + 4 * index)[0]
    if data[start : start + 4] not in SFNT_VERSIONS:
        raise KeyError("sfnt version")
    tables = {}
    for i in range(_u16(data, start + 4)):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, start + 12 + 16 * i)
        if offset + length > len(data):
            raise IndexError(f"table {tag!r} runs past the end of the file")
        tables[tag.decode("latin-1")] = (offset, length)
    return tables


class _Cmap:
    """Character to glyph, from the best Unicode subtable (format 12, else format 4)."""

    def __init__(self, data: bytes, cmap: int) -> None:
        self._data = data
        self._glyphs: dict[str, int] = {}
        found: dict[int, int] = {}
        for i in range(_u16(data, cmap + 2)):
            platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
            if (platform, encoding) in ((3, 10), (3, 1), (0, 3), (0, 4), (0, 6)):
                found.setdefault(_u16(data, cmap + offset), cmap + offset)
        # (first code, last code, glyph of the first code or format 4's delta, glyph array)
        self._ranges: list[tuple[int, int, int, int | None]] = []
        self._groups = 12 in found
        if self._groups:
            table = found[12]
            for i in range(struct.unpack_from(">I", data, table + 12)[0]):
                first, last, glyph = struct.unpack_from(">III", data, table + 16 + 12 * i)
                self._ranges.append((first, last, glyph, None))
        elif 4 in found:
            self._read_segments(found[4])
        else:
            raise KeyError("no Unicode cmap subtable")
        self._ranges.sort()
        self._firsts = [r[0] for r in self._ranges]

    def _read_segments(self, table: int) -> None:
        data = self._data
        segments = _u16(data, table + 6) // 2
        ends = table + 14
        starts = ends + 2 * segments + 2
        deltas = starts + 2 * segments
        offsets = deltas + 2 * segments
        for i in range(segments):
            first, last = _u16(data, starts + 2 * i), _u16(data, ends + 2 * i)
            delta = struct.unpack_from(">h", data, deltas + 2 * i)[0]
            range_offset = _u16(data, offsets + 2 * i)
            # where the segment's first character sits in the glyph index array, if it uses one
            array = offsets + 2 * i + range_offset if range_offset else None
            self._ranges.append((first, last, delta, array))

    def glyph(self, char: str) -> int:
        """The glyph of `char`, 0 (the missing-glyph box) where the font has none."""
        glyph = self._glyphs.get(char)
        if glyph is None:
            glyph = self._glyphs[char] = self._lookup(ord(char))
        return glyph

    def _lookup(self, code: int) -> int:
        at = bisect_right(self._firsts, code) - 1
        if at < 0 or code > self._ranges[at][1]:
            return 0
        first, _, value, array = self._ranges[at]
        if self._groups:
            return value + code - first
        if array is None:
            return (code + value) % 65536
        try:
            glyph = _u16(self._data, array + 2 * (code - first))
        except struct.error:  # an array that runs past the table: the font has no such glyph
            return 0
        return (glyph + value) % 65536 if glyph else 0


class _Kerning:
    """Pair adjustments of the GPOS `kern` feature, read lazily, a pair at a time.

    Lookups apply in order and add up; within a lookup the first subtable that covers the left
    glyph decides, as OpenType specifies.
    """

    def __init__(self, data: bytes, gpos: int) -> None:
        self._data = data
        features = gpos + _u16(data, gpos + 6)
        lookups = gpos + _u16(data, gpos + 8)
        chosen: set[int] = set()
        for i in range(_u16(data, features)):
            tag, offset = struct.unpack_from(">4sH", data, features + 2 + 6 * i)
            if tag == b"kern":
                feature = features + offset
                count = _u16(data, feature + 2)
                chosen.update(struct.unpack_from(f">{count}H", data, feature + 4))
        self._lookups: list[list[_PairTable]] = []
        for index in sorted(chosen):
            lookup = lookups + _u16(data, lookups + 2 + 2 * index)
            kind = _u16(data, lookup)
            tables = []
            for j in range(_u16(data, lookup + 4)):
                table = lookup + _u16(data, lookup + 6 + 2 * j)
                table_kind = kind
                if kind == _EXTENSION:
                    table_kind = _u16(data, table + 2)
                    table += struct.unpack_from(">I", data, table + 4)[0]
                if table_kind == _PAIR_ADJUSTMENT and _u16(data, table) in (1, 2):
                    tables.append(_PairTable(data, table))
            self._lookups.append(tables)

    def adjustment(self, left: int, right: int) -> int:
        """How much kerning moves `right` after `left`, in font units (negative: closer)."""
        total = 0
        for tables in self._lookups:
            for table in tables:
                try:
                    value = table.adjustment(left, right)
                except struct.error:  # a damaged table (an installed font) kerns nothing
                    value = None
                if value is not None:
                    total += value
                    break
        return total


class _PairTable:
    """One PairPos subtable: pairs listed glyph by glyph (format 1) or class by class (format 2)."""

    def __init__(self, data: bytes, table: int) -> None:
        self._data = data
        self._table = table
        self._format, coverage, self._format1, self._format2 = struct.unpack_from(
            ">HHHH", data, table
        )
        self._coverage = _coverage(data, table + coverage)
        # where X advance sits in a value record, and each record's size, in bytes
        self._advance_at = 2 * bin(self._format1 & 0x0003).count("1")
        self._size1 = 2 * bin(self._format1).count("1")
        self._size2 = 2 * bin(self._format2).count("1")
        self._advance2_at = 2 * bin(self._format2 & 0x0003).count("1")
        if self._format == 2:
            class1, class2, self._count1, self._count2 = struct.unpack_from(
                ">HHHH", data, table + 8
            )
            self._classes1 = _class_def(data, table + class1)
            self._classes2 = _class_def(data, table + class2)

    def adjustment(self, left: int, right: int) -> int | None:
        """The pair's X advance adjustment; None when this subtable does not apply to it."""
        index = self._coverage.get(left)
        if index is None:
            return None
        data = self._data
        pair = self._size1 + self._size2
        if self._format == 1:
            pair_set = self._table + _u16(data, self._table + 10 + 2 * index)
            count = _u16(data, pair_set)
            records = pair_set + 2
            step = 2 + pair
            low, high = 0, count
            while low < high:  # pair records are sorted by the second glyph
                middle = (low + high) // 2
                second = _u16(data, records + step * middle)
                if second == right:
                    return self._value(records + step * middle + 2)
                if second < right:
                    low = middle + 1
                else:
                    high = middle
            return None
        first, second = self._classes1.get(left, 0), self._classes2.get(right, 0)
        if first >= self._count1 or second >= self._count2:
            return None
        record = self._table + 16 + (first * self._count2 + second) * pair
        return self._value(record)

    def _value(self, record: int) -> int:
        value = 0
        if self._format1 & _X_ADVANCE:
            value += struct.unpack_from(">h", self._data, record + self._advance_at)[0]
        if self._format2 & _X_ADVANCE:
            second = record + self._size1 + self._advance2_at
            value += struct.unpack_from(">h", self._data, second)[0]
        return value


def _coverage(data: bytes, table: int) -> dict[int, int]:
    """Glyph -> coverage index."""
    kind, count = struct.unpack_from(">HH", data, table)
    if kind == 1:
        glyphs = struct.unpack_from(f">{count}H", data, table + 4)
        return {glyph: i for i, glyph in enumerate(glyphs)}
    covered = {}
    for i in range(count):
        first, last, start = struct.unpack_from(">HHH", data, table + 4 + 6 * i)
        for glyph in range(first, last + 1):
            covered[glyph] = start + glyph - first
    return covered


def _class_def(data: bytes, table: int) -> dict[int, int]:
    """Glyph -> class; glyphs not listed are class 0."""
    kind = _u16(data, table)
    if kind == 1:
        first, count = struct.unpack_from(">HH", data, table + 2)
        values = struct.unpack_from(f">{count}H", data, table + 6)
        return {first + i: value for i, value in enumerate(values) if value}
    classes = {}
    for i in range(_u16(data, table + 2)):
        first, last, value = struct.unpack_from(">HHH", data, table + 4 + 6 * i)
        if value:
            classes.update(dict.fromkeys(range(first, last + 1), value))
    return classes
