"""What the listening API gives: public aggregates only (no post, no author)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from arna.text.schemas import ClassShare


class SourceStats(BaseModel):
    source: str
    posts: int
    distinct_texts: int
    copies: int
    authors: int
    first_day: str
    last_day: str


class StatsOut(BaseModel):
    posts: int
    distinct_texts: int
    copies: int = Field(description="Posts stored as copies (exact or near) of another")
    authors: int = Field(description="Distinct author pseudonyms")
    read_by_other_models: int = Field(
        description="Posts whose stored reading other text models made than this version's: "
        "their figures may be off until an operator runs `arna listen reread`"
    )
    by_source: list[SourceStats]


class ListeningCell(BaseModel):
    keys: dict[str, str]
    mentions: int = Field(
        description="Texts in the cell, each copy counted once (with its original)"
    )
    copies: int
    authors: int = Field(
        description="Distinct authors (at least min_cell, or the cell is left out)"
    )
    reference: str = Field(description="The held-out data the tone model's error rates came from")
    status: str = Field(description="ok, few (under 20 mentions), one_text or singular")
    shares: dict[str, ClassShare]


class AggregatesOut(BaseModel):
    min_cell: int = Field(description="Fewest distinct authors a cell needs to be shown")
    suppressed: int = Field(description="Cells left out for having fewer authors")
    note: str
    cells: list[ListeningCell]


class Quote(BaseModel):
    text: str = Field(description="One sentence of a post, word for word, naming nobody")
    lang: str


class TopicOut(BaseModel):
    id: str = Field(description="Stable: never renumbered or reused")
    proposed_on: str = Field(description="The day the topic was first proposed")
    labels: dict[str, list[str]] = Field(description="The words that set it apart, per language")
    mentions: int = Field(description="Texts placed in it, each copy counted once")
    copies: int
    authors: int = Field(description="Distinct authors (at least min_cell)")
    first_day: str | None
    last_day: str | None
    shares: dict[str, ClassShare] | None = Field(description="Corrected tone shares")
    quotes: list[Quote]


class TopicsOut(BaseModel):
    min_cell: int
    suppressed: int = Field(description="Topics left out for having fewer authors")
    unplaced: int = Field(description="Texts that joined no topic yet")
    note: str
    topics: list[TopicOut]
