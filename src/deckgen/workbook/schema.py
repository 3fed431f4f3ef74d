"""The workbook contract as data: sheets, columns, what empty means, which values are allowed.

The reader, the sample-workbook writer and the README's contract tables all follow this module,
so a change to the contract is made here once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

# Text longer than this is refused in any cell; the columns the deck shows have tighter limits.
MAX_TEXT_LENGTH = 5_000


class Kind(Enum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"


class Empty(Enum):
    """What an empty cell in a data row means for a column."""

    ERROR = "error"  # a required value: empty is an error
    ZERO = "zero"  # empty means 0
    NONE = "none"  # optional: empty means "not given"


@dataclass(frozen=True)
class Column:
    field: str  # attribute name in the model
    header: str  # header text as the contract names it
    kind: Kind = Kind.TEXT
    empty: Empty = Empty.ERROR
    minimum: float | None = None  # inclusive bound, e.g. 0 for "≥ 0"
    maximum: float | None = None
    unit: str = ""  # the unit numbers in this column are in (for "£8.1m"-style text)
    allowed: tuple[str, ...] = ()  # allowed text values (compared case-insensitively)
    by_prefix: bool = False  # a value need only start with an allowed one ("Achieved - cashed")
    bound_reason: str = ""  # why the bound exists, for the error message
    required: bool = True  # the column must be present in the header row
    on_slide: bool = True  # shown on a slide (a Source column goes to the notes only)
    summed: bool = False  # the deck shows totals of this column, so its sum is bounded too
    max_length: int = 0  # text: the most characters the deck has room for (0: MAX_TEXT_LENGTH)
    goes: str = ""  # where the deck shows the text, for the message when it is too long

    @property
    def longest(self) -> int:
        """The most characters this column's text may have."""
        return self.max_length or MAX_TEXT_LENGTH


@dataclass(frozen=True)
class Sheet:
    key: str  # stable identifier used in code
    name: str  # the sheet name as the contract spells it
    columns: tuple[Column, ...]
    unique: tuple[str, ...]  # fields that together identify a row
    noun: str = "row"  # what one row is, for messages: "duplicate project 'TS1'"
    total_row: bool = False  # the sheet ends with a stated "Total" row
    optional_rows: bool = False  # an empty table is a warning, not an error
    title: str = ""  # what the sheet holds, for docs and the sample's title row

    @property
    def key_column(self) -> Column:
        return self.columns[0]

    def column(self, field_name: str) -> Column:
        for col in self.columns:
            if col.field == field_name:
                return col
        raise KeyError(field_name)


MONEY_M = "£m"

# Units a figure may carry (Figures!Unit, Context!Unit, Comparisons!Unit).
UNITS: tuple[str, ...] = (
    "count",
    "FTE",
    "£m",
    "£k",
    "%",
    "x",
    "per minute",
    "hours",
    "minutes",
    "days",
    "weeks",
    "index",
)
MONEY_UNITS: tuple[str, ...] = ("£m", "£k")
# The largest magnitude a figure may have, by unit; larger ones are refused naming the cell, and
# so are sums the deck shows (a sheet's amounts in one unit, added up) and derived figures
# (ratios, shares) that pass them. Far inside what a float, an Excel number format and a chart
# axis hold (about 1.8e308), these keep a figure's text short enough for the narrowest box that
# shows one, a context tile's big number at its smallest size: measured on the sample template,
# "999,000,000%" fits and "999,000,000,000%" does not. Counts are written in words ("1,000
# trillion") and money in £bn and £tn, so they may be larger: money is bounded at the same
# amount, £1,000 trillion, in either unit.
LARGEST: dict[str, float] = {
    "£m": 1e9,
    "£k": 1e12,
    "count": 1e15,
    **{
        unit: 1e9
        for unit in ("FTE", "%", "x", "per minute", "hours", "minutes", "days", "weeks", "index")
    },
    "£ per £1": 1e9,  # the return per £1, derived
}
QUALIFIERS: tuple[str, ...] = ("c.", "over", "up to", "under")
STATUS_PREFIXES: tuple[str, ...] = ("Achieved", "Forecast")
BASES: tuple[str, ...] = ("Actual", "Forecast")
DIRECTIONS: tuple[str, ...] = ("up", "down")
YEAR_LABEL = re.compile(r"^FY(\d{2})/(\d{2})$")
# What Excel saves in a cell whose formula failed. Such a cell is an error wherever the deck uses
# it, whether saved as an error (openpyxl's data type "e") or pasted as text.
EXCEL_ERRORS: tuple[str, ...] = (
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
    "#PYTHON!",
    "#EXTERNAL!",
)

_COST = "costs are entered as positive amounts"
# Where text goes, and so how much of it fits. Measured on the sample template and on a 4:3
# one in Arial: text of ordinary words at these lengths builds with no finding. A table row
# grows and continues, but a name is also a chart's category label, where two lines is the most
# that reads; a tile and its sentence must fit on one slide.
_TABLE_AND_CHART = "in a table row and as a chart label"
_NOTES = "in the speaker notes"
_ID = "as an id in the deck definition"
_BENEFIT = "benefits are entered as negative amounts, as in the source table"


def _cost(field_name: str, header: str) -> Column:
    return Column(
        field_name,
        header,
        Kind.NUMBER,
        Empty.ZERO,
        minimum=0,
        unit=MONEY_M,
        bound_reason=_COST,
        summed=True,
    )


def _benefit(field_name: str, header: str) -> Column:
    return Column(
        field_name,
        header,
        Kind.NUMBER,
        Empty.ZERO,
        maximum=0,
        unit=MONEY_M,
        bound_reason=_BENEFIT,
        summed=True,
    )


def _source() -> Column:
    return Column(
        "source",
        "Source",
        empty=Empty.NONE,
        required=False,
        on_slide=False,
        max_length=300,
        goes=_NOTES,
    )


PORTFOLIO = Sheet(
    key="portfolio",
    name="Portfolio",
    title="WMP2020 Cost & Benefit Summary 19/20 to 24/25",
    columns=(
        Column("name", "Portfolio", max_length=120, goes=_TABLE_AND_CHART),
        _cost("capital", "Capital"),
        _cost("centrally_managed", "Centrally Managed"),
        _benefit("non_cashable_benefits", "Non Cashable Benefits"),
        _benefit("cashable_benefits", "Cashable Benefits"),
        _cost("one_off_costs", "Revenue - One Off Costs"),
        _cost("recurring_costs", "Revenue - Recurring Costs"),
        Column("total", "Total", Kind.NUMBER, Empty.NONE, unit=MONEY_M, required=False),
    ),
    unique=("name",),
    noun="portfolio",
    total_row=True,
)

FTE = Sheet(
    key="fte",
    name="FTE by Project",
    title="Officer productivity / FTE savings, broken down by ACC portfolio",
    columns=(
        Column("name", "Project Name", max_length=120, goes=_TABLE_AND_CHART),
        Column(
            "fte",
            "Grand Total",
            Kind.NUMBER,
            minimum=0,
            unit="FTE",
            bound_reason="FTE released cannot be negative",
            summed=True,
        ),
        Column(
            "status",
            "Status",
            allowed=STATUS_PREFIXES,
            by_prefix=True,
            max_length=60,
            goes="in a table cell",
        ),
    ),
    unique=("name",),
    noun="project",
    total_row=True,
)

FINANCE = Sheet(
    key="finance",
    name="Finance by Year",
    title="Programme investment and benefits by financial year (£m)",
    columns=(
        Column("year", "Financial Year"),
        Column(
            "investment",
            "Investment",
            Kind.NUMBER,
            minimum=0,
            unit=MONEY_M,
            bound_reason="investment cannot be negative",
            summed=True,
        ),
        Column(
            "benefits",
            "Benefits",
            Kind.NUMBER,
            minimum=0,
            unit=MONEY_M,
            bound_reason="benefits are entered as positive amounts on this sheet",
            summed=True,
        ),
        Column("basis", "Basis", allowed=BASES),
    ),
    unique=("year",),
    noun="year",
)

CONTEXT = Sheet(
    key="context",
    name="Context",
    title="Policing context: the drivers for change",
    columns=(
        Column("driver", "Driver", max_length=60, goes="as a tile's heading"),
        Column("figure", "Figure", Kind.NUMBER),
        Column("unit", "Unit", allowed=UNITS),
        Column("direction", "Direction", allowed=DIRECTIONS),
        Column("statement", "Statement", max_length=360, goes="in a tile"),
        _source(),
    ),
    unique=("driver",),
    noun="driver",
    optional_rows=True,
)

COMPARISONS = Sheet(
    key="comparisons",
    name="Comparisons",
    title="West Midlands Police against its Most Similar Forces",
    columns=(
        Column("measure", "Measure", max_length=120, goes="as a chart label"),
        Column("west_midlands", "West Midlands", Kind.NUMBER),
        Column("msf_average", "MSF Average", Kind.NUMBER),
        Column("unit", "Unit", allowed=UNITS),
        Column("period", "Period", max_length=60, goes="in a chart's description"),
        _source(),
    ),
    unique=("measure",),
    noun="measure",
    optional_rows=True,
)

FIGURES = Sheet(
    key="figures",
    name="Figures",
    title="Every other figure a slide shows",
    columns=(
        Column("slide", "Slide", max_length=60, goes=_ID),
        Column("key", "Key", max_length=60, goes=_ID),
        Column("label", "Label", max_length=300, goes="as a figure's label or a chart label"),
        Column("value", "Value", Kind.NUMBER),
        Column("unit", "Unit", allowed=UNITS),
        Column("qualifier", "Qualifier", empty=Empty.NONE, allowed=QUALIFIERS, required=False),
        _source(),
    ),
    unique=("slide", "key"),
    noun="figure",
    optional_rows=True,
)

ABOUT = Sheet(
    key="about",
    name="About",
    title="About this deck",
    columns=(
        Column("field", "Field"),
        Column("value", "Value"),
    ),
    unique=("field",),
    noun="field",
)


@dataclass(frozen=True)
class AboutField:
    field: str
    label: str
    kind: Kind = Kind.TEXT
    required: bool = True
    max_length: int = 0  # these go on the cover and in every footer: they must stay short
    goes: str = ""  # where it is shown, for the message when it is too long


ABOUT_FIELDS: tuple[AboutField, ...] = (
    AboutField("title", "Title", max_length=120, goes="the cover's title"),
    AboutField(
        "subtitle", "Subtitle", required=False, max_length=100, goes="one line of the cover"
    ),
    AboutField("organisation", "Organisation", max_length=60, goes="the cover"),
    AboutField("audience", "Audience", required=False, max_length=80, goes="the cover"),
    AboutField("data_as_of", "Data as of", Kind.DATE),
    AboutField("last_updated", "Last updated", Kind.DATE),
    AboutField("classification", "Classification", max_length=60, goes="every footer"),
)

SHEETS: tuple[Sheet, ...] = (PORTFOLIO, FTE, FINANCE, CONTEXT, COMPARISONS, FIGURES, ABOUT)

# Reading bounds: generous for real workbooks, small enough that a hostile one is refused quickly.
HEADER_SEARCH_ROWS = 30
MAX_COLUMNS = 64
MAX_DATA_ROWS = 20_000  # a national roll-out's thousands of projects; a million is refused
TRAILING_ROWS_CHECKED = 50  # rows below a table looked at for data cut off by a blank row
# A word longer than this cannot fit across a narrow tile at label size: PowerPoint would break
# it between letters. English words are far shorter; a long URL belongs in a Source column.
MAX_WORD_LENGTH = 30


def normalise_header(text: str) -> str:
    """Return header text reduced for matching: case, spaces, line breaks, trailing unit ignored."""
    cleaned = " ".join(str(text).replace("\u00a0", " ").split()).lower()
    cleaned = re.sub(r"\s*\((?:£m|£k|£|%|fte|m|k|count|no\.?)\)\s*$", "", cleaned)
    cleaned = re.sub(r"\s*(?:£m|£k)$", "", cleaned)
    return cleaned.strip()


def normalise_sheet_name(text: str) -> str:
    """Return a sheet name reduced for matching: case and surrounding spaces ignored."""
    return " ".join(text.split()).casefold()
