"""HTTP API of the text models: what Arna reads in a text (used by the appeal form as you type)."""

from __future__ import annotations

from fastapi import APIRouter

from arna.core.problems import problem_responses
from arna.text.analysis import analyze
from arna.text.schemas import AnalysisOut, TextIn

router = APIRouter(tags=["text"], responses=problem_responses(400, 413, 422))


@router.post(
    "/text/analyze",
    response_model=AnalysisOut,
    summary="Language, sentiment, toxicity, targets, category suggestion and place of a text",
)
def analyze_text(body: TextIn) -> dict[str, object]:
    return analyze(body.text).as_dict()
