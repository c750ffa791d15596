"""What oversight's API answers."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ShareOut(BaseModel):
    count: int
    share: float
    low: float = Field(description="Wilson 95 % interval, lower end")
    high: float = Field(description="Wilson 95 % interval, upper end")


class DepthRowOut(BaseModel):
    key: str = Field(description="body id, region KATO code, category id or month (YYYY-MM)")
    name: str
    solved: int = Field(description="problems solved, in their applicant's own words")
    climbed_none: ShareOut
    climbed_once: ShareOut
    climbed_twice_or_more: ShareOut
    to_national: ShareOut = Field(description="solved by a national body, filed with a lower one")
    too_few: bool = Field(description="fewer solved problems than a share can be read from")


class DepthOut(BaseModel):
    by: str
    min_solved: int
    rows: list[DepthRowOut]


class DepthAppealsOut(BaseModel):
    by: str
    key: str
    climbed: int
    appeals: list[str] = Field(description="numbers of the public appeals behind the share")
