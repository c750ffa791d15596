"""A survey's responses weighted: raked to the population margins (the reference data's, with a
survey's own margins replacing or adding variables), trimmed and re-raked; the weights stored
on the responses and the report on the survey."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

import numpy as np
from sqlalchemy import update

from arna.core import audit
from arna.core.actors import Actor
from arna.core.clock import now_utc
from arna.core.db import Database
from arna.core.errors import ValidationFailed
from arna.surveys import policy
from arna.surveys.actions.surveys import event, expect_manager
from arna.surveys.estimates import effective_n, kish_deff
from arna.surveys.margins import SOURCE, combined
from arna.surveys.models import SurveyResponse
from arna.surveys.queries import get_survey, respondents
from arna.surveys.schemas import WeightsReport
from arna.surveys.weighting import WeightingError, rake


def weigh_survey(
    db: Database,
    actor: Actor,
    number: str,
    margins: Mapping[str, Mapping[str, float]] | None = None,
    trim: tuple[float, float] | None = policy.TRIM,
    now: datetime | None = None,
) -> WeightsReport:
    """Rake the responses; `margins` (from a margins CSV) are kept for the survey's next
    weightings. Respondents with a raking variable unknown are left out (no weight)."""
    now = now or now_utc()
    with db.write() as session:
        survey = get_survey(session, number, lock=True)
        expect_manager(actor, survey, "a survey is weighted by its managers")
        custom = margins if margins is not None else json.loads(survey.margins or "null")
        targets = combined(custom)
        variables = [v for v in policy.VARIABLES if v in targets]
        rows = respondents(session, survey)
        column = {v: i + 1 for i, v in enumerate(policy.VARIABLES)}
        kept = [r for r in rows if all(r[column[v]] is not None for v in variables)]
        if not kept:
            raise ValidationFailed(
                f"no response to weigh: every respondent needs {', '.join(variables)}"
            )
        sample = {v: np.array([r[column[v]] for r in kept], dtype=object) for v in variables}
        try:
            weights, raking = rake(sample, {v: targets[v] for v in variables}, trim=trim)
        except WeightingError as error:
            raise ValidationFailed(f"the responses cannot be weighted: {error}") from error
        weights = weights / weights.mean()
        session.execute(
            update(SurveyResponse).where(SurveyResponse.survey_id == survey.id).values(weight=None)
        )
        session.execute(
            update(SurveyResponse),
            [{"id": r[0], "weight": float(w)} for r, w in zip(kept, weights, strict=True)],
        )
        report = WeightsReport(
            survey=survey.number,
            weighted_at=now,
            variables=variables,
            margins={v: dict(targets[v]) for v in variables},
            margins_source={
                v: "survey margins CSV" if custom and v in custom else SOURCE for v in variables
            },
            n=len(kept),
            left_out=len(rows) - len(kept),
            trim=list(trim) if trim else None,
            iterations=raking.iterations,
            converged=raking.converged,
            max_margin_error=raking.max_margin_error,
            within_bounds=raking.within_bounds,
            trimmed=raking.trimmed,
            min_ratio=raking.min_ratio,
            max_ratio=raking.max_ratio,
            deff=kish_deff(weights),
            effective_n=effective_n(weights),
        )
        if margins is not None:
            survey.margins = json.dumps(margins, sort_keys=True)
        survey.weighted_at = now
        survey.weights_report = report.model_dump_json()
        audit.record_many(
            session,
            [
                event(
                    actor,
                    "survey.weighted",
                    survey,
                    now,
                    n=report.n,
                    left_out=report.left_out,
                    converged=report.converged,
                    deff=round(report.deff, 6),
                )
            ],
        )
        return report
