"""What the surveys' API takes and gives."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

Strict = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SurveyOut(BaseModel):
    number: str = Field(examples=["S-2026-000001"])
    title: str
    form_id: str
    form_version: str | None
    languages: list[str] = Field(examples=[["kk", "ru", "en"]])
    status: str
    created_at: datetime
    fielded_from: datetime | None
    fielded_to: datetime | None
    responses: int
    weighted_at: datetime | None


class SurveyPage(BaseModel):
    items: list[SurveyOut]
    total: int
    page: int
    per_page: int


class ChoiceOut(BaseModel):
    name: str
    label: str


class QuestionOut(BaseModel):
    key: str
    type: str
    label: str
    required: bool
    choices: list[ChoiceOut]


class FormOut(BaseModel):
    survey: SurveyOut
    questions: list[QuestionOut]


class RespondentIn(BaseModel):
    model_config = Strict
    region: str | None = Field(default=None, max_length=9, examples=["750000000"])
    sex: str | None = Field(default=None, max_length=10, examples=["female"])
    settlement: str | None = Field(default=None, max_length=10, examples=["urban"])
    age_group: str | None = Field(default=None, max_length=10, examples=["30-44"])
    age: int | None = Field(default=None, ge=16, le=120)


class ResponseIn(BaseModel):
    model_config = Strict
    answers: dict[str, Any] = Field(max_length=500, examples=[{"trust_police": "4"}])
    respondent: RespondentIn = Field(default_factory=RespondentIn)
    submitted_at: datetime | None = None


class ResponseOut(BaseModel):
    survey: str
    key: str
    stored: bool = Field(description="false when this response was there already")


class RowProblem(BaseModel):
    line: int
    key: str | None
    problems: list[str]


class ImportOut(BaseModel):
    survey: str
    added: int
    already_there: int
    repeated_in_file: int
    ignored_columns: list[str]


class WeighIn(BaseModel):
    model_config = Strict
    trim_low: float = Field(default=0.2, ge=0, le=1)
    trim_high: float = Field(default=5.0, ge=1, le=100)


class WeightsReport(BaseModel):
    survey: str
    weighted_at: datetime | None
    variables: list[str] = []
    margins: dict[str, dict[str, float]] = {}
    margins_source: dict[str, str] = {}
    n: int = 0
    left_out: int = Field(default=0, description="respondents with a raking variable unknown")
    trim: list[float] | None = None
    iterations: int = 0
    converged: bool = False
    max_margin_error: float = 0.0
    within_bounds: bool = True
    trimmed: int = 0
    min_ratio: float = 1.0
    max_ratio: float = 1.0
    deff: float = 1.0
    effective_n: float = 0.0
    stale: bool = Field(default=False, description="responses came after the weighting")


class ShareOut(BaseModel):
    choice: str
    label: str
    share: float | None
    moe: float | None = Field(description="half-width of the 95 % interval")


class CellOut(BaseModel):
    cell: str | None = Field(description="the breakdown's category; null for everyone")
    n: int
    effective_n: float | None
    deff: float | None
    suppressed: bool
    shares: list[ShareOut]


class QuestionResult(BaseModel):
    key: str
    type: str
    label: str
    cells: list[CellOut]


class ResultsOut(BaseModel):
    survey: str
    weighted: bool
    by: str | None
    minimum_n: int
    language: str
    questions: list[QuestionResult]


class TrustCell(BaseModel):
    institution: str
    question: str
    level: str = Field(description="country, or region")
    region: str | None
    month: str | None = None
    n: int
    share: float | None = Field(description="the share trusting (the scale's two highest points)")
    moe: float | None
    deff: float | None
    suppressed: bool


class TrustOut(BaseModel):
    survey: str
    weighted: bool
    minimum_n: int
    institutions: list[str]
    cells: list[TrustCell]
    over_time: list[TrustCell]
