"""HTTP API of the ground floor: the working-day clock, the audit chain check, health."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from arna.core import audit
from arna.core.clock import load_calendar
from arna.core.db import ping
from arna.core.deps import ReadSessionDep, SettingsDep
from arna.core.problems import problem_responses
from arna.core.schemas import AddResult, ChainResult, WorkingDayResult
from arna.core.types import IsoDate

router = APIRouter(
    tags=["core"],
    responses=problem_responses(
        422,
    ),
)


@router.get("/clock/working-day", response_model=WorkingDayResult, summary="Is it a working day")
def working_day(
    settings: SettingsDep, day: Annotated[IsoDate, Query(alias="date", examples=["2026-12-16"])]
) -> WorkingDayResult:
    calendar = load_calendar(settings.calendar_file)
    return WorkingDayResult(
        date=day,
        working_day=calendar.is_working_day(day),
        reason=calendar.day_off_reason(day),
        calendar_complete=calendar.is_covered(day),
    )


@router.get("/clock/add", response_model=AddResult, summary="Add working days to a date")
def add_days(
    settings: SettingsDep,
    start: Annotated[IsoDate, Query(alias="date", examples=["2026-11-27"])],
    days: Annotated[int, Query(ge=-3660, le=3660, examples=[15])],
) -> AddResult:
    calendar = load_calendar(settings.calendar_file)
    result = calendar.add_working_days(start, days)
    return AddResult(
        start=start,
        days=days,
        result=result,
        calendar_complete=calendar.is_covered(start) and calendar.is_covered(result),
    )


@router.get(
    "/audit/verify",
    response_model=ChainResult,
    summary="Check the audit hash chain and the stored state against it",
)
def verify(session: ReadSessionDep, settings: SettingsDep) -> ChainResult:
    return ChainResult.model_validate(audit.verify(session, settings).as_dict())


@router.get("/health", summary="Liveness and database check", tags=["core"])
def health(session: ReadSessionDep) -> dict[str, str]:
    ping(session)
    return {"status": "ok"}
