"""Population margins to rake to: from the reference data, or from a CSV given for a survey.

The reference data (`arna/geo/data/population_regions_2023.csv`, the BNS bulletin "Population by
sex and type of area on 1 January 2023") gives each of the 20 regions' population, and the
country's by sex and by urban/rural: the margins `region` (oblast-level KATO), `sex` (male,
female) and `settlement` (urban, rural). It has no age: an `age_group` margin (16-29, 30-44,
45-59, 60+) comes only from a CSV. The 2023 figures are used for all three so that the margins
are of one population (the 2026 release has totals for some regions only).

A margins CSV has the columns `variable,category,share` (a share or a population total per
row); its variables replace the reference's of the same name and add the others.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from functools import cache
from importlib import resources

from arna.geo.reference import units
from arna.surveys import policy

Margins = dict[str, dict[str, float]]
SOURCE = "BNS, population by sex and type of area, 1 January 2023"


class MarginsError(ValueError):
    """A margins file that cannot be used; the message names the line."""


@cache
def regions() -> dict[str, str]:
    """ISO 3166-2 → KATO of the regions (oblasts and the cities of republican significance)."""
    return {u.iso_3166_2: u.kato for u in units().values() if u.level == 1 and u.iso_3166_2}


@cache
def _reference() -> tuple[tuple[str, tuple[tuple[str, float], ...]], ...]:
    path = resources.files("arna.geo").joinpath("data", "population_regions_2023.csv")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    country = next(r for r in rows if r["kato"] == "000000000")
    known = set(regions().values())
    region = tuple((r["kato"], float(r["total"])) for r in rows if r["kato"] in known)
    sex = (("male", float(country["male"])), ("female", float(country["female"])))
    settlement = (
        ("urban", float(country["urban_total"])),
        ("rural", float(country["rural_total"])),
    )
    return (
        (policy.REGION, region),
        (policy.SEX, sex),
        (policy.SETTLEMENT, settlement),
    )


def reference_margins() -> Margins:
    """Population shares per region, sex and settlement (see the module's docstring)."""
    found: Margins = {}
    for variable, pairs in _reference():
        total = sum(v for _, v in pairs)
        found[variable] = {category: value / total for category, value in pairs}
    return found


def read_margins_csv(data: bytes) -> Margins:
    """`variable,category,share` rows (shares or totals, normalised per variable)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MarginsError("a margins file is text in UTF-8") from error
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not {"variable", "category", "share"} <= set(reader.fieldnames):
        raise MarginsError("a margins file has the columns variable,category,share")
    found: Margins = {}
    for row in reader:
        line = reader.line_num
        variable = (row["variable"] or "").strip()
        category = (row["category"] or "").strip()
        if variable not in policy.VARIABLES:
            raise MarginsError(
                f"line {line}: variable {variable!r} is not one of {', '.join(policy.VARIABLES)}"
            )
        try:
            share = float(row["share"])
        except (TypeError, ValueError):
            raise MarginsError(f"line {line}: share {row['share']!r} is not a number") from None
        if not math.isfinite(share) or share < 0:
            raise MarginsError(f"line {line}: a share is a number ≥ 0")
        normal = _category(variable, category)
        if normal is None:
            raise MarginsError(f"line {line}: {category!r} is not a category of {variable}")
        if normal in found.setdefault(variable, {}):
            raise MarginsError(f"line {line}: {variable} {normal} is given twice")
        found[variable][normal] = share
    if not found:
        raise MarginsError("the margins file has no row")
    return {v: _normalised(v, shares) for v, shares in found.items()}


def combined(custom: Mapping[str, Mapping[str, float]] | None) -> Margins:
    """The reference margins with the custom ones replacing or adding variables."""
    found = reference_margins()
    for variable, shares in (custom or {}).items():
        found[variable] = dict(shares)
    return found


def _category(variable: str, value: str) -> str | None:
    if variable == policy.REGION:
        return policy.region_of(value, regions())
    if variable == policy.SEX:
        return policy.sex_of(value)
    if variable == policy.SETTLEMENT:
        return policy.settlement_of(value)
    return value if value in policy.AGE_GROUPS else None


def _normalised(variable: str, shares: dict[str, float]) -> dict[str, float]:
    total = sum(shares.values())
    if total <= 0:
        raise MarginsError(f"the {variable} shares add up to 0")
    return {category: share / total for category, share in shares.items()}
