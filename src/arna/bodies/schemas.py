"""Public shapes of bodies, categories and routing decisions."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from arna.core.hierarchy import Family


class BodyPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str = Field(examples=["akimat-751110000"])
    kind: str = Field(examples=["city_district_akimat"])
    parent_id: str | None = Field(examples=["akimat-750000000"])
    kato: str | None = Field(description="Jurisdiction; null = the whole republic.")
    name_kk: str
    name_ru: str
    name_en: str
    valid_from: date | None = None
    valid_to: date | None = None


class BodyDetail(BodyPublic):
    chain: list[BodyPublic] = Field(description="Bodies above this one, nearest first.")
    children: list[BodyPublic]


class CategoryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str = Field(examples=["roads_local"])
    name_kk: str
    name_ru: str
    name_en: str
    body_kinds: str = Field(description="Competent body kinds, in order, separated by |.")
    lowest_level: str = Field(examples=["district"])
    basis: str = Field(description="Legal basis of the competence rule.")


class RoutePublic(BaseModel):
    category: str = Field(examples=["roads_local"])
    kato: str = Field(examples=["101800000"])
    place: str = Field(examples=["Kurchatov"])
    on: date
    body: BodyPublic
    chain: list[BodyPublic] = Field(description="Bodies above the routed one, up to the top.")
    reason: str
    basis: str


def detail(found: Family[Any]) -> BodyDetail:
    return BodyDetail.model_validate(
        {
            **BodyPublic.model_validate(found.node).model_dump(),
            "chain": found.above,
            "children": found.below,
        }
    )
