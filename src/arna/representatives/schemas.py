"""What the representatives API answers."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class RateOut(BaseModel):
    count: int
    n: int
    share: float | None
    low: float = Field(description="Wilson 95 % interval, lower end")
    high: float = Field(description="Wilson 95 % interval, upper end")


class DeputyOut(BaseModel):
    id: str
    name: str
    legislature: str
    legislature_name: str
    party: str | None
    party_name: str | None
    mandate: str = Field(description="party_list, single_member, appointed, elected_by_maslikhats")
    constituency: str | None
    region_kato: str | None
    valid_from: date
    valid_to: date | None
    source: str = Field(description="where the mandate is stated")
    attendance: RateOut = Field(description="sittings present at, of those recorded")
    voted: RateOut = Field(description="roll calls taken part in (not absent), of those recorded")


class VoteOut(BaseModel):
    id: str
    day: date
    title: str
    choice: str
    source: str


class CostOut(BaseModel):
    year: int
    figure: str
    value_kzt: int | None
    value_text: str = Field(description="the value as the source states it")
    unit: str
    derived: bool = Field(description="worked out from other figures, not stated")
    notes: str
    source: str


class DeputyPageOut(BaseModel):
    deputy: DeputyOut
    choices: dict[str, int]
    votes: list[VoteOut] = Field(description="the latest roll calls, newest first")
    attendance_sources: list[str]
    costs: list[CostOut]


class FactionOut(BaseModel):
    party: str | None
    name: str | None
    deputies: int
    attendance: RateOut
    voted: RateOut


class TableCountsOut(BaseModel):
    table: str
    inserted: int
    updated: int
    unchanged: int
    stale: int


class ImportedOut(BaseModel):
    kind: str
    rows: int
    tables: list[TableCountsOut]
