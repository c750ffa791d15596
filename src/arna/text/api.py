"""HTTP API of the text models: what Arna reads in a text (used by the appeal form as you type),
and corrected shares of tone over many texts."""

from __future__ import annotations

from fastapi import APIRouter

from arna.core.errors import ValidationFailed
from arna.core.problems import problem_responses
from arna.text.analysis import analyze
from arna.text.schemas import AnalysisOut, SharesIn, SharesOut, TextIn

router = APIRouter(tags=["text"], responses=problem_responses(400, 413, 422))


@router.post(
    "/text/analyze",
    response_model=AnalysisOut,
    summary="Language, sentiment, toxicity, targets, category suggestion and place of a text",
)
def analyze_text(body: TextIn) -> dict[str, object]:
    return analyze(body.text).as_dict()


@router.post(
    "/text/shares",
    response_model=SharesOut,
    summary="Share of negative, neutral and positive texts per cell, corrected, with intervals",
)
def text_shares(body: SharesIn) -> dict[str, object]:
    from arna.text import cells

    records = [t.model_dump() for t in body.texts]
    unknown = cells.unknown_dims(records, body.by)
    if unknown:
        raise ValidationFailed(
            f"by: {', '.join(unknown)} is neither region, target, lang nor a field of the texts"
        )
    for r in records:
        for d in body.by:
            value = r.get(d)
            if d != "text" and not (
                value is None
                or isinstance(value, str)
                or (isinstance(value, list) and all(isinstance(v, str) for v in value))
            ):
                raise ValidationFailed(f"{d}: must be a string or a list of strings")
    return {"cells": cells.corrected_shares(records, list(body.by), lambda _: None)}
