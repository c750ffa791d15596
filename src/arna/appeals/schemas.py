"""Schema family of an appeal: what comes in, what the public sees, what the applicant and the
officials see. Redaction lives in `AppealPublic.of`."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from arna.appeals.identity import iin_problem, normalise_phone
from arna.appeals.policy import Kind, Language, Outcome
from arna.core.errors import ValidationFailed
from arna.core.types import IsoDate, normalise_email

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]


class Applicant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    email: str | None = Field(default=None, max_length=254, examples=["aigerim@example.kz"])
    phone: str | None = Field(default=None, max_length=40, examples=["+7 701 234 56 78"])
    iin: str | None = Field(default=None, max_length=20, examples=["900101300127"])

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if not value:
            return None
        try:
            return normalise_email(value)
        except ValidationFailed as exc:
            raise ValueError(exc.message) from None

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if not value:
            return None
        phone = normalise_phone(value)
        if phone is None:
            raise ValueError(
                "a Kazakhstan phone number: +7 followed by 10 digits, e.g. +7 701 234 56 78"
            )
        return phone

    @field_validator("iin")
    @classmethod
    def _iin(cls, value: str | None) -> str | None:
        if not value:
            return None
        compact = value.replace(" ", "")
        problem = iin_problem(compact)
        if problem:
            raise ValueError(problem)
        return compact


class AppealCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "Шымкентте Тұран ауданында жолда үлкен шұңқыр бар, көліктер бұзылады.",
                    "kind": "complaint",
                    "applicant": {"name": "Айгерім Сапарова", "email": "aigerim@example.kz"},
                },
                {
                    "text": "Третий день нет горячей воды в доме",
                    "kind": "complaint",
                    "category": "housing_utilities",
                    "lat": 43.238,
                    "lon": 76.889,
                    "applicant": {"name": "Иван Петров", "phone": "+7 701 234 56 78"},
                    "public": True,
                    "language": "ru",
                },
            ]
        },
    )

    text: Text = Field(description="The appeal, 1-10,000 characters after trimming.")
    kind: Kind = Field(examples=["complaint"])
    category: str | None = Field(default=None, max_length=40, examples=["roads_local"])
    kato: str | None = Field(default=None, pattern=r"^\d{9}$", examples=["791910000"])
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    applicant: Applicant
    public: bool | None = Field(
        default=None, description="Default: public for place-bound problems."
    )
    language: Language | None = None

    @model_validator(mode="after")
    def _point(self) -> AppealCreate:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self


class BodyRef(BaseModel):
    id: str = Field(examples=["akimat-791910000"])
    name: str = Field(examples=["Шымкент қаласы Тұран ауданының әкімдігі"])
    kind: str = Field(examples=["city_district_akimat"])


class AppealCreated(BaseModel):
    number: str = Field(examples=["A-2026-000123"])
    access_code: str = Field(
        description="Secret; shown once. Send it as X-Access-Code.", examples=["K7Q2M-X4PZA"]
    )
    status: str = Field(examples=["registered"])
    kind: str
    category: str | None = Field(examples=["roads_local"])
    needs_triage: bool
    kato: str | None = Field(examples=["791910000"])
    body: BodyRef
    due_date: date = Field(examples=["2026-12-21"])
    language: str = Field(examples=["kk"])
    escalation_depth: int = Field(examples=[0])
    public: bool


class EventPublic(BaseModel):
    """One event of the appeal's history, with everything needed to recompute its hash."""

    id: int
    type: str = Field(examples=["appeal.submitted"])
    at: str
    actor: str
    old: Any = None
    new: Any = None
    reason: str | None = None
    hash: str
    prev_hash: str


class AssignmentPublic(BaseModel):
    body: BodyRef
    reason: str
    started_at: datetime
    due_date: date
    ended_at: datetime | None
    result: str | None
    failed: bool


class AppealPublic(BaseModel):
    number: str
    status: str
    kind: str
    category: str | None
    needs_triage: bool
    kato: str | None
    region_kato: str | None
    text: str
    language: str
    sentiment: str | None = Field(
        description="Tone of the text as read by Arna's text models (negative, neutral, positive).",
        examples=["negative"],
    )
    public: bool
    body: BodyRef
    registered_at: datetime
    due_date: date
    overdue: bool
    escalation_depth: int
    supporters: int = Field(
        default=0, description='Citizens who said they have the same problem ("me too").'
    )
    outcome: str | None
    answer_text: str | None
    answered_at: datetime | None
    duplicate_of: str | None
    feedback_resolved: bool | None
    feedback_rating: int | None
    assignments: list[AssignmentPublic]
    events: list[EventPublic]


class ApplicantView(Applicant):
    pass


class PersonIn(Applicant):
    """Whom a subject-access export is about: an e-mail, a phone or an IIN (or several of
    them), each normalised as intake stores it."""

    name: str = ""

    @model_validator(mode="after")
    def _someone(self) -> PersonIn:
        if not (self.email or self.phone or self.iin):
            raise ValueError("give an e-mail, a phone or an IIN")
        return self


class AppealFull(AppealPublic):
    """The applicant's and the officials' view: the public one plus the applicant's data."""

    applicant: ApplicantView
    lat: float | None
    lon: float | None


class AppealSummary(BaseModel):
    number: str
    status: str
    kind: str
    category: str | None
    kato: str | None
    region_kato: str | None
    body: BodyRef
    registered_at: datetime
    due_date: date
    overdue: bool
    escalation_depth: int
    supporters: int = Field(
        default=0, description='Citizens who said they have the same problem ("me too").'
    )
    excerpt: str = Field(description="The first 200 characters of the (redacted) text.")
    language: str = Field(examples=["kk"], description="The language of the text: kk, ru or en.")


class AppealPage(BaseModel):
    items: list[AppealSummary]
    page: int
    per_page: int
    total: int


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Outcome = Field(examples=["resolved"])
    text: Text = Field(examples=["Жол 2026 жылғы 5 желтоқсанда жөнделді."])
    body_id: str | None = Field(default=None, description="Competent body, for not_competent.")
    duplicate_of: str | None = Field(
        default=None, description="Original, for duplicate.", pattern=r"^A-\d{4}-\d{6,}$"
    )


class ForwardIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body_id: str = Field(max_length=60, examples=["akimat-790000000"])
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]


class ExtendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    until: IsoDate = Field(examples=["2027-01-20"])
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]


class ReclassifyIn(BaseModel):
    """A corrected topic and/or place; a field left out stays as it is. The appeal is not
    re-routed: forward it if it now belongs to another body."""

    model_config = ConfigDict(extra="forbid")

    category: str | None = Field(default=None, max_length=40, examples=["roads_local"])
    kato: str | None = Field(default=None, pattern=r"^\d{9}$", examples=["101800000"])

    @model_validator(mode="after")
    def _something(self) -> ReclassifyIn:
        if self.category is None and self.kato is None:
            raise ValueError("give a category, a kato, or both")
        return self


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resolved: bool = Field(examples=[False])
    rating: int = Field(ge=1, le=5, examples=[2])
    comment: str | None = Field(
        default=None,
        max_length=2000,
        description=(
            "Why the answer did not solve the problem (when `resolved` is false): kept in the "
            "appeal's public history with IINs, phone numbers and e-mail addresses masked."
        ),
    )


class SupportIn(BaseModel):
    """A citizen who has the same problem as a public appeal ("me too")."""

    model_config = ConfigDict(extra="forbid")
    iin: str = Field(
        max_length=30,
        examples=["900101300127"],
        description="The supporter's IIN (12 digits; spaces and dashes are ignored). It counts "
        "them once and is kept only as a keyed digest.",
    )

    @field_validator("iin")
    @classmethod
    def _iin(cls, value: str) -> str:
        compact = re.sub(r"[\s\-.]", "", value)
        problem = iin_problem(compact)
        if problem:
            raise ValueError(problem)
        return compact


class SupportOut(BaseModel):
    number: str
    supporters: int = Field(description="Supporters of the appeal now, the applicant aside.")
    counted: bool = Field(description="False when this person had supported it before.")
