"""What the ground floor's API gives: working days and the state of the audit chain."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class WorkingDayResult(BaseModel):
    date: date
    working_day: bool
    reason: str | None = Field(description="Why it is a day off (holiday, weekend, transfer).")
    calendar_complete: bool = Field(description="False for years the calendar file lacks.")


class AddResult(BaseModel):
    start: date
    days: int
    result: date
    calendar_complete: bool


class MismatchOut(BaseModel):
    entity_type: str = Field(examples=["appeal"])
    entity_id: str = Field(examples=["A-2026-000123"])
    problem: str = Field(examples=["status differs from its last audit event"])


class ChainResult(BaseModel):
    ok: bool = Field(description="The chain is intact and every stored row matches the log.")
    events: int
    head_hash: str = Field(description="Publish it: a later check can demand it is still there.")
    broken_event_id: int | None
    problem: str | None = Field(description="What breaks the chain, if anything.")
    chain_ok: bool
    state_checks: list[str] = Field(description="The slices whose stored rows were checked.")
    mismatches: list[MismatchOut] = Field(
        description="Stored rows not in the state their audit events record."
    )
