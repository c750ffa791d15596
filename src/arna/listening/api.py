"""HTTP API of listening: what is stored, counted, and the public aggregates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from arna.core.deps import SettingsDep
from arna.core.errors import ValidationFailed
from arna.core.problems import problem_responses
from arna.listening import queries
from arna.listening.schemas import AggregatesOut, StatsOut, TopicsOut
from arna.listening.store import store_of

router = APIRouter(tags=["listening"], responses=problem_responses(400, 422))

NOTE = (
    "Online comments are not a representative sample of the population: these figures say what "
    "was written where people chose to write."
)


@router.get("/listening/stats", response_model=StatsOut, summary="Posts stored, per source")
def listening_stats(settings: SettingsDep) -> dict[str, object]:
    return queries.stats(store_of(settings))


@router.get(
    "/listening/aggregates",
    response_model=AggregatesOut,
    summary="Mentions, authors and corrected shares of tone per cell (small cells left out)",
)
def listening_aggregates(
    settings: SettingsDep,
    by: Annotated[str, Query(max_length=100, description="period, region, target, lang")] = (
        "period,region,target"
    ),
    period: Annotated[str, Query(description="day or week")] = "week",
) -> dict[str, object]:
    try:
        cells = queries.aggregates(store_of(settings), by, period, settings.min_cell)
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from exc
    return {
        "min_cell": settings.min_cell,
        "suppressed": cells.suppressed,
        "note": NOTE,
        "cells": cells.rows,
    }


@router.get(
    "/listening/topics",
    response_model=TopicsOut,
    summary="Topics with stable ids, their words per language, figures and quotes",
)
def listening_topics(settings: SettingsDep) -> dict[str, object]:
    found = queries.topics(store_of(settings), settings.min_cell)
    return {"min_cell": settings.min_cell, "note": NOTE} | found
