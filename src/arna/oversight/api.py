"""HTTP API of oversight: scorecards, the escalation depth index and the appeals behind it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from arna.core.deps import ReadSessionDep
from arna.core.errors import ValidationFailed
from arna.core.problems import problem_responses
from arna.oversight.queries import depth, scorecard
from arna.oversight.schemas import DepthAppealsOut, DepthOut, ScorecardsOut

router = APIRouter(tags=["oversight"], responses=problem_responses(400, 422))

By = Annotated[str, Query(max_length=20, description="body, region, category or month")]


Lang = Annotated[str, Query(pattern="^(kk|ru|en)$")]


@router.get(
    "/oversight/scorecards",
    response_model=ScorecardsOut,
    summary="How bodies answered, per body, region, category or month, with intervals",
)
def scorecards(session: ReadSessionDep, by: By = "body", lang: Lang = "en") -> dict[str, object]:
    try:
        return scorecard.scorecard_index(session, by, lang)
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from exc


@router.get(
    "/oversight/escalation-depth",
    response_model=DepthOut,
    summary="How high solved problems had to climb, per body, region, category or month",
)
def escalation_depth(
    session: ReadSessionDep,
    by: By = "body",
    lang: Lang = "en",
) -> dict[str, object]:
    try:
        return depth.index(session, by, lang)
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from exc


@router.get(
    "/oversight/escalation-depth/appeals",
    response_model=DepthAppealsOut,
    summary="The public appeals behind one share of the escalation depth index",
)
def escalation_depth_appeals(
    session: ReadSessionDep,
    key: Annotated[str, Query(max_length=60)],
    by: By = "body",
    climbed: Annotated[int, Query(ge=0, le=2, description="0, 1, or 2: twice or more")] = 1,
) -> dict[str, object]:
    try:
        found = depth.depth_appeals(session, by, key, climbed)
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from exc
    return {"by": by, "key": key, "climbed": climbed, "appeals": [a.number for a in found]}
