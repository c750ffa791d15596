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


class ChainResult(BaseModel):
    ok: bool
    events: int
    head_hash: str
    broken_event_id: int | None
    problem: str | None
