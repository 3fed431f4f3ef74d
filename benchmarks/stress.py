"""Generate large, valid workbooks to stress `deckgen build`.

The sample workbook's source is grown rather than replaced, so every project, portfolio and
figure the deck definition refers to still exists; only the number of rows grows. The FTE and
Portfolio appendix tables continue over as many slides as their rows need, so the deck grows by
about one slide per dozen projects. Seeded, so a size always gives the same bytes.

    python benchmarks/stress.py --projects 5000 -o /tmp/stress.xlsx
"""

from __future__ import annotations

import argparse
import copy
import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deckgen.sample.writer import load_source, write_sample

FIRST_YEAR = 2015  # the sample's FY15/16
MAX_YEARS = 2099 - FIRST_YEAR  # two-digit labels must not wrap round (FY98/99 is the last)
SEED = 2020

_AREAS = (
    "Connect",
    "Mobility",
    "Estates",
    "Contact",
    "Response",
    "Neighbourhood",
    "Investigations",
    "Data",
    "Digital",
    "Custody",
    "Forensics",
    "Intelligence",
)
_REGIONS = (
    "North",
    "South",
    "East",
    "West",
    "Central",
    "Coastal",
    "Metro",
    "Rural",
)


@dataclass(frozen=True)
class Size:
    """A stress workbook's row counts, with the deck size it was measured to build."""

    projects: int
    portfolios: int
    years: int
    slides: int = 0  # slides `deckgen build` made from it (measured; see README)


# Row counts chosen by building: each gives about the slide count named (see README.md).
SIZES: dict[int, Size] = {
    50: Size(projects=338, portfolios=33, years=10, slides=50),
    250: Size(projects=3_958, portfolios=395, years=15, slides=250),
    500: Size(projects=8_478, portfolios=847, years=20, slides=500),
    1000: Size(projects=17_518, portfolios=1_751, years=30, slides=1000),
}


def _sheet(source: dict[str, Any], name: str) -> dict[str, Any]:
    for sheet in source["sheets"]:
        if sheet["name"] == name:
            found: dict[str, Any] = sheet
            return found
    raise KeyError(name)


def _year_label(start: int) -> str:
    return f"FY{start % 100:02d}/{(start + 1) % 100:02d}"


def _unique_names(existing: list[str], count: int, rng: random.Random, stem: str) -> list[str]:
    """`count` new names, none clashing with `existing` (case-insensitively, as the reader)."""
    seen = {n.casefold() for n in existing}
    names: list[str] = []
    serial = 0
    while len(names) < count:
        serial += 1
        name = f"{rng.choice(_AREAS)} {stem} {rng.choice(_REGIONS)} {serial:05d}"
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def _grow_projects(sheet: dict[str, Any], projects: int, rng: random.Random) -> None:
    rows: list[list[Any]] = [list(r) for r in sheet["rows"]][:projects]
    names = _unique_names([r[0] for r in rows], projects - len(rows), rng, "Project")
    for name in names:
        achieved = rng.random() < 0.4
        fte = round(rng.uniform(0.5, 60.0), 2)
        rows.append([name, fte, "Achieved" if achieved else "Forecasted"])
    sheet["rows"] = rows
    # The stated total is checked against the line items, so it is recomputed here.
    sheet["total"] = ["Total", round(math.fsum(r[1] for r in rows), 2), "N/A"]


def _grow_portfolios(sheet: dict[str, Any], portfolios: int, rng: random.Random) -> None:
    rows: list[list[Any]] = [list(r) for r in sheet["rows"]][:portfolios]
    names = _unique_names([r[0] for r in rows], portfolios - len(rows), rng, "Portfolio")
    for name in names:
        amounts = [
            round(rng.uniform(0, 12), 1),  # Capital
            round(rng.uniform(0, 3), 1),  # Centrally Managed
            -round(rng.uniform(0, 25), 1),  # Non Cashable Benefits
            -round(rng.uniform(0, 20), 1),  # Cashable Benefits
            round(rng.uniform(0, 15), 1),  # Revenue - One Off Costs
            round(rng.uniform(0, 8), 1),  # Revenue - Recurring Costs
        ]
        # Some blanks, as in the sample: an empty amount reads as 0.
        cells: list[float | None] = [None if rng.random() < 0.15 else a for a in amounts]
        total = round(math.fsum(a for a in cells if a is not None), 1)
        rows.append([name, *cells, total])
    sheet["rows"] = rows
    total_row: list[Any] = ["Total £m"]
    for col in range(1, 8):
        total_row.append(round(math.fsum(r[col] or 0.0 for r in rows), 1))
    sheet["total"] = total_row


def _grow_years(sheet: dict[str, Any], years: int, rng: random.Random) -> None:
    """`years` consecutive years from FY15/16: a ramp up, a peak, then a benefits plateau."""
    if not 1 <= years <= MAX_YEARS:
        raise ValueError(f"years must be between 1 and {MAX_YEARS} (got {years})")
    sample: list[list[Any]] = [list(r) for r in sheet["rows"]]
    rows: list[list[Any]] = []
    actual = max(1, min(len([r for r in sample if r[3] == "Actual"]), years - 1))
    for i in range(years):
        if i < len(sample):
            investment, benefits = sample[i][1], sample[i][2]
        else:
            investment = max(5, round(sample[-1][1] * 0.97 ** (i - len(sample) + 1)))
            investment += rng.randint(0, 3)
            benefits = sample[-1][2]  # the plateau carries on
        rows.append(
            [
                _year_label(FIRST_YEAR + i),
                investment,
                benefits,
                "Actual" if i < actual else "Forecast",
            ]
        )
    sheet["rows"] = rows
    sheet["notes"] = [
        "Stress data generated by benchmarks/stress.py: the first years are the sample's, "
        "later years extend its plateau.",
        "Benefits are cashable plus non-cashable, entered as positive amounts.",
    ]


def stress_source(
    projects: int, portfolios: int, years: int = 10, seed: int = SEED
) -> dict[str, Any]:
    """The sample's source grown to the given row counts (fewer than the sample's cuts it)."""
    if projects < 1 or portfolios < 1:
        raise ValueError("projects and portfolios must be at least 1")
    rng = random.Random(seed)
    source = copy.deepcopy(load_source())
    _grow_projects(_sheet(source, "FTE by Project"), projects, rng)
    _grow_portfolios(_sheet(source, "Portfolio"), portfolios, rng)
    _grow_years(_sheet(source, "Finance by Year"), years, rng)
    return source


def write_stress(
    out: Path, projects: int, portfolios: int, years: int = 10, seed: int = SEED
) -> Path:
    """Write a stress workbook to `out` and return the path."""
    return write_sample(out, stress_source(projects, portfolios, years, seed))


def write_size(out: Path, slides: int) -> Path:
    """Write the stress workbook measured to build a deck of about `slides` slides."""
    size = SIZES[slides]
    return write_stress(out, size.projects, size.portfolios, size.years)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, required=True, help="where to write")
    parser.add_argument("--slides", type=int, choices=sorted(SIZES), help="a measured size")
    parser.add_argument("--projects", type=int, help="rows of FTE by Project")
    parser.add_argument("--portfolios", type=int, help="rows of Portfolio [projects / 10]")
    parser.add_argument("--years", type=int, default=None, help="rows of Finance by Year [10]")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if args.slides is not None:
        size = SIZES[args.slides]
        projects, portfolios, years = size.projects, size.portfolios, size.years
    elif args.projects is not None:
        projects = args.projects
        portfolios = args.portfolios or max(1, projects // 10)
        years = 10
    else:
        parser.error("give --projects N or --slides N")
    if args.portfolios is not None:
        portfolios = args.portfolios
    if args.years is not None:
        years = args.years
    write_stress(args.output, projects, portfolios, years, args.seed)
    print(f"{args.output}: {projects} projects, {portfolios} portfolios, {years} years")


if __name__ == "__main__":
    main()
