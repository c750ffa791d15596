"""What the text API takes and gives."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

Text = Annotated[str, StringConstraints(min_length=1, max_length=10_000)]


class TextIn(BaseModel):
    """The text is analysed as sent (not trimmed), so that spans index the caller's string."""

    model_config = ConfigDict(extra="forbid")
    text: Text = Field(
        examples=["Алматыда Абай даңғылында көше шамдары жанбайды, әкімдік жауап бермейді"]
    )

    @field_validator("text")
    @classmethod
    def has_words(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is blank: send the words to analyse")
        return value


class PlaceOut(BaseModel):
    kato: str
    name: str
    span: tuple[int, int]


class AnalysisOut(BaseModel):
    lang: str = Field(description="kk, ru, en, mixed or other", examples=["kk"])
    script: str = Field(description="cyrl, latn, mixed or none", examples=["cyrl"])
    sentiment: str = Field(examples=["negative"])
    sentiment_score: float = Field(description="From -1 (negative) to 1 (positive)")
    toxic: bool
    toxicity: float
    targets: list[str] = Field(examples=[["akimat"]])
    target_sentiment: dict[str, str] = Field(examples=[{"akimat": "negative"}])
    category: str | None = Field(examples=["roads_local"])
    category_top3: list[tuple[str, float]] = Field(examples=[[["roads_local", 0.61]]])
    place: PlaceOut | None
