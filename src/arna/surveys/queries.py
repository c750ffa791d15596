"""Reads of surveys: getters ("not found" for what is not there), lists, the respondents as the
weighting reads them, and the figures (queries on results live in `arna.surveys.results`)."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arna.core.errors import NotFound, ValidationFailed
from arna.surveys.estimates import MINIMUM_N
from arna.surveys.figures import Row, question_results, trust_index, weighted_sample
from arna.surveys.forms import Form
from arna.surveys.intake import form_of
from arna.surveys.models import Survey, SurveyResponse
from arna.surveys.schemas import (
    ChoiceOut,
    FormOut,
    QuestionOut,
    ResultsOut,
    SurveyOut,
    SurveyPage,
    TrustOut,
    WeightsReport,
)
from arna.surveys.trust import TrustScaleError


def get_survey(session: Session, number: str, lock: bool = False) -> Survey:
    query = select(Survey).where(Survey.number == number)
    found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise NotFound(f"no survey {number}")
    return found


def form_of_survey(survey: Survey) -> Form:
    return form_of(survey.form_file, survey.file_type)


def survey_out(survey: Survey) -> SurveyOut:
    return SurveyOut(
        number=survey.number,
        title=survey.title,
        form_id=survey.form_id,
        form_version=survey.form_version,
        languages=[x for x in survey.languages.split(",") if x],
        status=survey.status,
        created_at=survey.created_at,
        fielded_from=survey.fielded_from,
        fielded_to=survey.fielded_to,
        responses=survey.responses,
        weighted_at=survey.weighted_at,
    )


def form_out(survey: Survey, language: str) -> FormOut:
    form = form_of_survey(survey)
    return FormOut(
        survey=survey_out(survey),
        questions=[
            QuestionOut(
                key=q.key,
                type=q.type,
                label=q.label(language),
                required=q.required,
                choices=[ChoiceOut(name=c.name, label=c.label(language)) for c in q.choices],
            )
            for q in form.questions
            if q.type not in ("note", "calculate") and q.repeat is None
        ],
    )


def list_surveys(
    session: Session, status: str | None = None, page: int = 1, per_page: int = 20
) -> SurveyPage:
    query = select(Survey)
    counted = select(func.count()).select_from(Survey)
    if status:
        query = query.where(Survey.status == status)
        counted = counted.where(Survey.status == status)
    rows = session.scalars(
        query.order_by(Survey.id.desc()).offset((page - 1) * per_page).limit(per_page)
    )
    return SurveyPage(
        items=[survey_out(s) for s in rows],
        total=session.scalar(counted) or 0,
        page=page,
        per_page=per_page,
    )


def stored_keys(session: Session, survey: Survey, keys: list[str]) -> dict[str, str]:
    """key → fingerprint of the responses already stored under these keys."""
    found: dict[str, str] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        rows = session.execute(
            select(SurveyResponse.key, SurveyResponse.fingerprint).where(
                SurveyResponse.survey_id == survey.id, SurveyResponse.key.in_(chunk)
            )
        )
        found.update({k: f for k, f in rows})
    return found


def respondents(
    session: Session, survey: Survey
) -> list[tuple[int, str | None, str | None, str | None, str | None]]:
    """(id, region, sex, settlement, age group) of every response, in the order stored."""
    rows = session.execute(
        select(
            SurveyResponse.id,
            SurveyResponse.region,
            SurveyResponse.sex,
            SurveyResponse.settlement,
            SurveyResponse.age_group,
        )
        .where(SurveyResponse.survey_id == survey.id)
        .order_by(SurveyResponse.id)
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def weights_report(session: Session, survey: Survey) -> WeightsReport:
    if survey.weights_report is None:
        return WeightsReport(survey=survey.number, weighted_at=None)
    report = WeightsReport.model_validate(json.loads(survey.weights_report))
    later = session.scalar(
        select(func.count())
        .select_from(SurveyResponse)
        .where(SurveyResponse.survey_id == survey.id, SurveyResponse.weight.is_(None))
    )
    report.stale = bool((later or 0) > report.left_out)
    return report


def rows_of(session: Session, survey: Survey) -> list[Row]:
    """Every response as the figures read it."""
    found = session.execute(
        select(
            SurveyResponse.answers,
            SurveyResponse.weight,
            SurveyResponse.region,
            SurveyResponse.sex,
            SurveyResponse.settlement,
            SurveyResponse.age_group,
            SurveyResponse.submitted_at,
        )
        .where(SurveyResponse.survey_id == survey.id)
        .order_by(SurveyResponse.id)
    )
    return [Row(json.loads(a), w, r, s, t, g, at) for a, w, r, s, t, g, at in found]


def results_of(
    session: Session, survey: Survey, by: str | None, language: str, minimum_n: int = MINIMUM_N
) -> ResultsOut:
    weighted = survey.weighted_at is not None
    rows, weights = weighted_sample(rows_of(session, survey), weighted)
    form = form_of_survey(survey)
    return ResultsOut(
        survey=survey.number,
        weighted=weighted,
        by=by,
        minimum_n=minimum_n,
        language=language,
        questions=question_results(form, rows, weights, by, language, minimum_n),
    )


def trust_of(session: Session, survey: Survey, minimum_n: int = MINIMUM_N) -> TrustOut:
    weighted = survey.weighted_at is not None
    rows, weights = weighted_sample(rows_of(session, survey), weighted)
    try:
        institutions, cells, over_time = trust_index(
            form_of_survey(survey), rows, weights, minimum_n
        )
    except TrustScaleError as error:
        raise ValidationFailed(str(error)) from error
    return TrustOut(
        survey=survey.number,
        weighted=weighted,
        minimum_n=minimum_n,
        institutions=institutions,
        cells=cells,
        over_time=over_time,
    )
