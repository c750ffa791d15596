"""What the petitions API takes and gives. Public output carries a signer's or author's first
name and initial only; an IIN never leaves the request that brought it."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from arna.core.iin import compact_iin, iin_problem

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def _valid_iin(value: str) -> str:
    compact = compact_iin(value)
    problem = iin_problem(compact)
    if problem:
        raise ValueError(problem)
    return compact


def _plain(value: str) -> str:
    if _TAG.search(value):
        raise ValueError("write plain text: HTML tags are not accepted")
    return value


Iin = Annotated[
    str,
    StringConstraints(max_length=30),
    AfterValidator(_valid_iin),
]
PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=10, max_length=200),
    AfterValidator(_plain),
]
Body = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=50, max_length=6_000),
    AfterValidator(_plain),
]
Kato = Annotated[str, StringConstraints(pattern=r"^\d{9}$")]


class PetitionCreate(BaseModel):
    """A new petition: a draft until its author sends it out for co-signers."""

    model_config = ConfigDict(extra="forbid")
    title: Title = Field(examples=["Жаяу жүргіншілер өткелін мектеп жанына салу"])
    text: Body = Field(
        description="What is asked and why, 50-6,000 characters of plain text.",
        examples=["Мектеп №12 жанындағы көшеде балалар жолды өткелсіз кесіп өтеді. ..."],
    )
    addressee_id: str = Field(
        max_length=80,
        description="The body it is addressed to: `government`, or the akimat or maslikhat of "
        "an oblast, a city of republican significance or a district-level city over 50,000 "
        "people (GET /petitions/addressees).",
        examples=["akimat-751110000"],
    )
    language: Literal["kk", "ru", "en"] | None = Field(
        default=None, description="Default: read from the text."
    )
    author_iin: Iin = Field(examples=["900101300127"])
    author_first_name: PersonName = Field(examples=["Aigerim"])
    author_last_name: PersonName = Field(examples=["Seitkali"])


class PetitionCreated(BaseModel):
    number: str = Field(examples=["P-2026-000012"])
    code: str = Field(
        description="The author's code: send it (X-Access-Code) to send the draft out for "
        "co-signers. Shown once; Arna keeps only its digest.",
        examples=["K7M2Q-9XWPA"],
    )
    status: str = Field(examples=["draft"])
    threshold: int = Field(examples=[2500])


class Progress(BaseModel):
    day: date
    signatures: int = Field(description="Valid signatures by the end of this day.")


class RegionCount(BaseModel):
    kato: str
    name: str
    signatures: int | None = Field(description="None: fewer signers than the minimum cell.")


class InvalidationOut(BaseModel):
    count: int
    reason: str
    at: datetime


class PetitionOut(BaseModel):
    number: str
    title: str
    text: str
    language: str
    status: str
    addressee_id: str
    addressee: str
    author: str = Field(description="First name and initial.")
    threshold: int
    threshold_basis: str
    signatures: int
    invalidated: int
    created_at: datetime
    cosign_due: date | None
    moderation_due: date | None
    opened_at: datetime | None
    closes_on: date | None
    reached_at: datetime | None
    reason_code: str | None
    reason_note: str | None
    body_id: str | None = Field(description="The body that owes the answer now.")
    response_due: date | None
    escalation_depth: int
    answer_text: str | None
    answered_at: datetime | None


class PetitionDetail(PetitionOut):
    progress: list[Progress]
    regions: list[RegionCount]
    invalidations: list[InvalidationOut]


class PetitionSummary(BaseModel):
    number: str
    title: str
    language: str
    status: str
    addressee: str
    signatures: int
    threshold: int
    closes_on: date | None
    response_due: date | None


class PetitionPage(BaseModel):
    items: list[PetitionSummary]
    total: int
    page: int
    per_page: int


class SignIn(BaseModel):
    """Who signs: checked, then shown back for confirmation."""

    model_config = ConfigDict(extra="forbid")
    iin: Iin = Field(
        examples=["900101300127"],
        description="12 digits (spaces, dashes, dots ignored): one signature per person; kept "
        "only as a keyed digest.",
    )
    first_name: PersonName = Field(examples=["Aigerim"])
    last_name: PersonName = Field(examples=["Seitkali"])
    region: Kato = Field(
        description="The signer's oblast or city of republican significance.",
        examples=["750000000"],
    )


class SignPreview(BaseModel):
    number: str
    title: str
    shown_as: str = Field(description="How the signature appears in public.")
    region: str
    confirmation: str = Field(description="Send it back to POST …/signatures to sign.")
    expires_at: datetime


class SignConfirm(BaseModel):
    model_config = ConfigDict(extra="forbid")
    confirmation: str = Field(min_length=20, max_length=2_000)


class SignOut(BaseModel):
    number: str
    signatures: int
    counted: bool = Field(description="False when this person had signed before.")
    status: str


class ModerationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["approve", "reject"]
    reason: str | None = Field(default=None, max_length=30, examples=["banned_topic"])
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2_000)] | None = None

    @model_validator(mode="after")
    def _reason_for_rejection(self) -> ModerationIn:
        if self.decision == "reject" and not self.reason:
            raise ValueError("a rejection names its public reason code (GET /petitions/reasons)")
        return self


class PetitionAnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=20, max_length=20_000)]


class InvalidationIn(BaseModel):
    """Set aside the valid signatures that meet every stated condition."""

    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=500)]
    source: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{64}$", description="A source as GET …/surges names it."
    )
    since: datetime | None = None
    until: datetime | None = None
    region: Kato | None = None

    @model_validator(mode="after")
    def _some_condition(self) -> InvalidationIn:
        if not (self.source or self.since or self.until or self.region):
            raise ValueError("state a condition: source, since, until and/or region")
        if self.since and self.until and self.since >= self.until:
            raise ValueError("since must come before until")
        return self


class InvalidationDone(BaseModel):
    number: str
    invalidated: int
    signatures: int
    status: str


class SurgeOut(BaseModel):
    source: str
    start: datetime
    end: datetime
    count: int
    share: float


class ThresholdOut(BaseModel):
    id: str
    addressee_kind: str
    unit_types: list[str]
    min_population: int | None
    rule: str
    value: float
    basis: str
    valid_from: date | None
    valid_to: date | None


class AddresseeOut(BaseModel):
    id: str
    name: str
    threshold: int
