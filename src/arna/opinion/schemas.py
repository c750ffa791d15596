"""What the consultations' API takes and gives."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from arna.opinion.policy import STATEMENT_MAX, STATEMENT_MIN

Strict = ConfigDict(extra="forbid", str_strip_whitespace=True)
StatementText = Field(min_length=STATEMENT_MIN, max_length=STATEMENT_MAX)


class ConsultationCreate(BaseModel):
    model_config = Strict
    title: str = Field(min_length=3, max_length=200, examples=["Алматыдағы қоғамдық көлік"])
    question: str = Field(min_length=3, max_length=2000)
    language: Literal["kk", "ru", "en"] | None = None
    body_id: str | None = Field(default=None, max_length=60)
    statements: list[str] = Field(default_factory=list, max_length=200)


class ConsultationOut(BaseModel):
    number: str
    title: str
    question: str
    language: str
    body_id: str | None
    status: str
    origin: str
    statements: int
    participants: int
    votes: int
    groups: int | None
    groups_at: datetime | None
    created_at: datetime


class ConsultationPage(BaseModel):
    items: list[ConsultationOut]
    total: int
    page: int
    per_page: int


class StatementIn(BaseModel):
    model_config = Strict
    text: str = StatementText
    token: str | None = Field(default=None, max_length=80, description="A participant's token")


class StatementOut(BaseModel):
    number: int
    text: str
    language: str
    status: str
    agree: int = 0
    disagree: int = 0
    passed: int = 0


class ModerationIn(BaseModel):
    model_config = Strict
    decision: Literal["accepted", "rejected"]


class Joined(BaseModel):
    participant: int
    token: str = Field(description="Keep it: it is how later votes are known as yours")


class VoteIn(BaseModel):
    model_config = Strict
    token: str = Field(min_length=10, max_length=80)
    statement: int = Field(ge=0, le=2_147_483_647)
    vote: Literal["agree", "disagree", "pass"]


class VoteOut(BaseModel):
    statement: int
    vote: str
    votes_cast: int
    next_statement: StatementOut | None


class RepresentativeOut(BaseModel):
    statement: int
    text: str
    stance: str
    count: int
    seen: int
    share: float
    test: float
    ratio: float
    ratio_test: float


class GroupOut(BaseModel):
    id: int
    label: str
    size: int
    representative: list[RepresentativeOut]


class ConsensusOut(BaseModel):
    statement: int
    text: str
    stance: str
    count: int
    seen: int
    share: float


class GroupAwareOut(BaseModel):
    statement: int
    text: str
    score: float


class PointOut(BaseModel):
    participant: int
    group: int | None
    x: float
    y: float


class GroupsOut(BaseModel):
    number: str
    k: int | None
    computed_at: datetime | None
    placed: int
    participants: int
    groups: list[GroupOut]
    consensus: list[ConsensusOut]
    group_aware_consensus: list[GroupAwareOut]
