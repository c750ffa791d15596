"""What the text API takes and gives."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints


def _has_words(value: str) -> str:
    if not value.strip():
        raise ValueError("text is blank: send the words to analyse")
    return value


Text = Annotated[
    str, StringConstraints(min_length=1, max_length=10_000), AfterValidator(_has_words)
]


class TextIn(BaseModel):
    """The text is analysed as sent (not trimmed), so that spans index the caller's string."""

    model_config = ConfigDict(extra="forbid")
    text: Text = Field(
        examples=["Алматыда Абай даңғылында көше шамдары жанбайды, әкімдік жауап бермейді"]
    )


class PlaceOut(BaseModel):
    kato: str
    name: str
    span: tuple[int, int]


class AnalysisOut(BaseModel):
    lang: str = Field(description="kk, ru, en, mixed or other", examples=["kk"])
    script: str = Field(description="cyrl, latn, mixed or none", examples=["cyrl"])
    sentiment: str = Field(examples=["negative"])
    sentiment_score: float = Field(
        description="P(positive) − P(negative), from -1 (negative) to 1 (positive)"
    )
    tone: dict[str, float] = Field(
        description="Probabilities of negative, neutral and positive",
        examples=[{"negative": 0.81, "neutral": 0.15, "positive": 0.04}],
    )
    genre: str = Field(
        description="The kind of text it reads like (reviews_kk, social_ru, sentences_ru, "
        "comments_en, appeals): the tone model mixes each kind's way of judging tone",
        examples=["appeals"],
    )
    toxic: bool
    toxicity: float
    targets: list[str] = Field(examples=[["akimat"]])
    target_sentiment: dict[str, str] = Field(examples=[{"akimat": "negative"}])
    category: str | None = Field(examples=["roads_local"])
    category_top3: list[tuple[str, float]] = Field(examples=[[["roads_local", 0.61]]])
    place: PlaceOut | None


Key = Annotated[str, StringConstraints(min_length=1, max_length=200)]
SHARES_MAX_TEXTS = 5_000


class ShareText(BaseModel):
    """One text and, optionally, the cells it belongs to (`region`, `target`, `lang` or any
    other field named in `by`; a list puts it in several cells). Fields not given are read from
    the text (region from the place it names, target from the institutions it names)."""

    model_config = ConfigDict(extra="allow")
    text: Text


class SharesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    texts: list[ShareText] = Field(min_length=1, max_length=SHARES_MAX_TEXTS)
    by: list[Key] = Field(default=["region", "target"], min_length=1, max_length=4)


class ClassShare(BaseModel):
    cc: float = Field(description="Share of texts whose likeliest tone is this (uncorrected)")
    corrected: float = Field(description="Share corrected for the tone model's errors (PACC)")
    low: float = Field(description="Lower end of the 95 % interval")
    high: float = Field(description="Upper end of the 95 % interval")


class ShareCell(BaseModel):
    keys: dict[str, str]
    n: int
    reference: str = Field(description="The held-out data the model's error rates came from")
    status: str = Field(description="ok, empty, one_text, few (under 20 texts) or singular")
    shares: dict[str, ClassShare]


class SharesOut(BaseModel):
    cells: list[ShareCell]
