"""The bundled reference data: the country, 20 regions and 224 districts/cities (2024 frame).

Sources and licences: see NOTICE and data/SOURCE.md. Everything is read once per process.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from arna.core.hierarchy import lineage

COUNTRY_KATO = "000000000"

# unit_type -> level in the territorial hierarchy (0 = the republic).
LEVELS = {
    "country": 0,
    "oblast": 1,
    "city_republican_significance": 1,
    "district": 2,
    "city_oblast_significance": 2,
    "city_district": 2,
}


@dataclass(frozen=True)
class Unit:
    kato: str
    parent_kato: str | None
    unit_type: str
    iso_3166_2: str | None
    name_kk: str
    name_ru: str
    name_en: str
    name_ru_alt: str | None
    valid_from: date | None
    valid_to: date | None
    population: int | None
    population_date: date | None
    admin_center_kk: str | None = None
    admin_center_ru: str | None = None
    admin_center_en: str | None = None

    @property
    def level(self) -> int:
        return LEVELS[self.unit_type]

    @property
    def region_kato(self) -> str | None:
        return None if self.level == 0 else self.kato[:2] + "0000000"

    def name(self, lang: str) -> str:
        return {"kk": self.name_kk, "ru": self.name_ru}.get(lang, self.name_en)


def _open(name: str) -> Any:
    return resources.files("arna.geo").joinpath("data", name).open(encoding="utf-8")


def _rows(name: str) -> list[dict[str, str]]:
    with _open(name) as handle:
        return list(csv.DictReader(handle))


_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


def _split_date(note: str) -> date | None:
    """Regions created by the 2022 reform carry "2022-06-08 (split from ...)" in the source."""
    match = _DATE.match(note or "")
    return date.fromisoformat(match.group(1)) if match and "split" in note else None


@cache
def units() -> dict[str, Unit]:
    """Every unit by KATO, the country first, then regions, then districts."""
    population: dict[str, tuple[int, date]] = {}
    for row in _rows("population_regions_2023.csv"):
        population[row["kato"]] = (int(row["total"]), date(2023, 1, 1))
    for row in _rows("population_districts_2023.csv"):
        population[row["kato"]] = (int(row["total"]), date(2023, 1, 1))
    for row in _rows("population_2026_partial.csv"):
        when = date.fromisoformat(row["date"])
        if when > population.get(row["kato"], (0, date.min))[1]:
            population[row["kato"]] = (int(row["total"]), when)

    def pop(kato: str) -> tuple[int | None, date | None]:
        value = population.get(kato)
        return (value[0], value[1]) if value else (None, None)

    result: dict[str, Unit] = {}
    result[COUNTRY_KATO] = Unit(
        COUNTRY_KATO,
        None,
        "country",
        "KZ",
        "Қазақстан Республикасы",
        "Республика Казахстан",
        "Republic of Kazakhstan",
        None,
        date(1991, 12, 16),
        None,
        *pop(COUNTRY_KATO),
    )
    for row in _rows("regions.csv"):
        result[row["kato"]] = Unit(
            kato=row["kato"],
            parent_kato=COUNTRY_KATO,
            unit_type=row["unit_type"],
            iso_3166_2=row["iso_3166_2"],
            name_kk=row["name_kk"],
            name_ru=row["name_ru"],
            name_en=row["name_en"],
            name_ru_alt=row["name_ru_alt"] or None,
            valid_from=_split_date(row["change_note"]),
            valid_to=None,
            population=pop(row["kato"])[0],
            population_date=pop(row["kato"])[1],
            admin_center_kk=row["admin_center_kk"] or None,
            admin_center_ru=row["admin_center_ru"] or None,
            admin_center_en=row["admin_center_en"] or None,
        )
    for row in _rows("districts.csv"):
        result[row["kato"]] = Unit(
            kato=row["kato"],
            parent_kato=row["parent_kato"],
            unit_type=row["unit_type"],
            iso_3166_2=None,
            name_kk=row["name_kk"],
            name_ru=row["name_ru"],
            name_en=row["name_en"],
            name_ru_alt=None,
            valid_from=None,
            valid_to=None,
            population=pop(row["kato"])[0],
            population_date=pop(row["kato"])[1],
        )
    return result


def chain(kato: str) -> list[Unit]:
    """The unit and every unit above it, up to the republic."""
    table = units()
    return lineage(table[kato], lambda u: table[u.parent_kato] if u.parent_kato else None)


@cache
def boundaries(level: int) -> dict[str, dict[str, Any]]:
    """GeoJSON geometry per KATO: level 1 regions, level 2 districts (simplified, WGS84)."""
    name = "regions.geojson" if level == 1 else "districts.geojson"
    with _open(name) as handle:
        collection = json.load(handle)
    return {f["properties"]["KATO"]: f["geometry"] for f in collection["features"]}
