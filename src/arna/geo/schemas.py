"""Public shapes of territorial units and place matches."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from arna.core.hierarchy import Family
from arna.geo.lookup import PlaceMatch


class UnitPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kato: str = Field(examples=["750000000"])
    parent_kato: str | None = Field(examples=["000000000"])
    level: int = Field(description="0 republic, 1 region, 2 district/city", examples=[1])
    unit_type: str = Field(examples=["city_republican_significance"])
    iso_3166_2: str | None = Field(examples=["KZ-75"])
    name_kk: str = Field(examples=["Алматы қаласы"])
    name_ru: str = Field(examples=["город Алматы"])
    name_en: str = Field(examples=["Almaty (city)"])
    valid_from: date | None = None
    valid_to: date | None = None
    population: int | None = Field(default=None, examples=[2347924])
    population_date: date | None = Field(default=None, examples=["2026-01-01"])
    center_lat: float | None = None
    center_lon: float | None = None


class UnitDetail(UnitPublic):
    parents: list[UnitPublic] = Field(description="The units above, nearest first.")
    children: list[UnitPublic]


class PlaceMatchPublic(BaseModel):
    kato: str = Field(examples=["750000000"])
    name_kk: str
    name_ru: str
    name_en: str
    unit_type: str
    level: int
    region_kato: str | None
    span: tuple[int, int] = Field(description="Character offsets [start, end) in the text.")
    matched: str = Field(description="The words of the text that named the place.")
    alias: str = Field(description="The name or alias they matched.")
    alternatives: list[str] = Field(description="KATO of other units these words could mean.")

    @classmethod
    def of(cls, match: PlaceMatch) -> PlaceMatchPublic:
        return cls.model_validate(match.as_dict())


class FindResult(BaseModel):
    query: str
    best: PlaceMatchPublic | None
    matches: list[PlaceMatchPublic]


class LocateResult(BaseModel):
    lat: float
    lon: float
    district: UnitPublic | None
    region: UnitPublic
    exact: bool = Field(description="False when the point fell between simplified borders.")


def detail(found: Family[Any]) -> UnitDetail:
    return UnitDetail.model_validate(
        {
            **UnitPublic.model_validate(found.node).model_dump(),
            "parents": found.above,
            "children": found.below,
        }
    )
