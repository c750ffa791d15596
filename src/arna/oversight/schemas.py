"""What oversight's API answers."""

from __future__ import annotations

from datetime import datetime

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


class DaysOut(BaseModel):
    n: int = Field(description="assignments the figure is read from")
    median: int | None = Field(description="working days; the smallest value with half at or below")
    median_low: int | None = Field(description="95 % distribution-free interval, lower end")
    median_high: int | None
    p90: int | None = Field(description="90th percentile, working days")
    p90_low: int | None
    p90_high: int | None


class ScorecardOut(BaseModel):
    key: str = Field(description="body id, region KATO code, category id, month (YYYY-MM); all")
    name: str
    received: int = Field(description="assignments: periods during which a body held an appeal")
    due: int = Field(description="answers due: what the on-time share is out of")
    per_100k: float | None = Field(description="received per 100,000 residents of the territory")
    on_time: ShareOut = Field(description="answers given by the due date, of the answers due")
    extended: ShareOut
    forwarded: ShareOut = Field(description="passed on as not the body's competence")
    sent_wrongly: ShareOut = Field(description="of its forwards, those passed on again")
    escalated: ShareOut = Field(description="went up for missing the deadline")
    disputed: ShareOut = Field(description="of the answers given")
    solved: ShareOut = Field(description="of the answers the applicant judged")
    came_back: ShareOut = Field(
        description="of the answers marking the problem resolved, those after which the same "
        "problem was reported again within 90 days"
    )
    first_response: DaysOut
    answer: DaysOut
    too_few: bool = Field(description="fewer answers due than a share can be read from")
    standing: str = Field(
        description="above, level or below the country's on-time share (by the intervals);"
        " unranked when too few"
    )


class ScorecardsOut(BaseModel):
    by: str
    min_due: int
    country: ScorecardOut
    rows: list[ScorecardOut]


class ProblemOut(BaseModel):
    number: str = Field(description="the number of the problem's first appeal, which names it")
    category: str | None
    kato: str | None
    region_kato: str | None
    people: int = Field(description="appeals + supporters")
    appeals: int
    public: int = Field(description="of the appeals, the public ones (only they are listed)")
    supporters: int = Field(description='citizens who said "me too" on one of its appeals')
    open: int
    solved: int = Field(description="appeals closed by their applicant saying it was solved")
    came_back: int = Field(description="appeals reporting it again after it was marked resolved")
    first: datetime
    last: datetime
    excerpt: str = Field(description="the start of its first public appeal, redacted")
    language: str
    listed: list[str] = Field(description="numbers of its public appeals (up to 20)")


class ProblemsOut(BaseModel):
    problems: list[ProblemOut]


class ProblemDetailOut(ProblemOut):
    appeals_public: list[str] = Field(description="numbers of all its public appeals, oldest first")
