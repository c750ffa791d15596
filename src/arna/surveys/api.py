"""HTTP API of surveys: load a questionnaire (an XLSForm file), list and read surveys, submit
responses (idempotent by Idempotency-Key), weigh them, and read the weighted results, the trust
index and the weighting report."""

from __future__ import annotations

from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Query, Request, Response, UploadFile
from starlette.datastructures import UploadFile as StarletteUpload

from arna.accounts.deps import OfficialDep
from arna.core.deps import DatabaseDep, ReadSessionDep
from arna.core.errors import ValidationFailed
from arna.core.problems import problem_responses
from arna.surveys import policy, queries
from arna.surveys.actions import responses, surveys, weighing
from arna.surveys.estimates import MINIMUM_N
from arna.surveys.intake import Incoming, respondent_of
from arna.surveys.schemas import (
    FormOut,
    ImportOut,
    ResponseIn,
    ResponseOut,
    ResultsOut,
    SurveyOut,
    SurveyPage,
    TrustOut,
    WeighIn,
    WeightsReport,
)

router = APIRouter(tags=["surveys"], responses=problem_responses(400, 404, 409, 413, 422))
MANAGER_ERRORS = problem_responses(401, 403)
Language = Annotated[str, Query(pattern="^(kk|ru|en)$")]
By = Annotated[str | None, Query(pattern="^(region|sex|settlement|age_group)$")]
MinimumN = Annotated[int, Query(ge=1, le=10_000)]


@router.get("/surveys", response_model=SurveyPage, summary="Surveys")
def browse(
    session: ReadSessionDep,
    status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SurveyPage:
    return queries.list_surveys(session, status, page, per_page)


@router.post(
    "/surveys",
    status_code=201,
    response_model=SurveyOut,
    responses=MANAGER_ERRORS,
    summary="Load a questionnaire from an XLSForm file (administrators and officials)",
)
async def create(
    actor: OfficialDep,
    db: DatabaseDep,
    file: Annotated[UploadFile, File(description="An XLSForm: .xlsx, .xls, .csv or .md")],
    title: Annotated[str | None, Form(max_length=200)] = None,
) -> SurveyOut:
    data = await file.read(policy.MAX_FORM_BYTES + 1)
    suffix = PurePath(file.filename or "").suffix.lower()
    if not suffix:
        raise ValidationFailed("the file's name ends in .xlsx, .xls, .csv or .md", field="file")
    number = surveys.create_survey(db, actor, data, suffix, title)
    with db.read() as session:
        return queries.survey_out(queries.get_survey(session, number))


@router.get("/surveys/{number}", response_model=FormOut, summary="A survey and its questions")
def read(number: str, session: ReadSessionDep, language: Language = "ru") -> FormOut:
    return queries.form_out(queries.get_survey(session, number), language)


@router.post(
    "/surveys/{number}/responses",
    status_code=201,
    response_model=ResponseOut,
    responses={200: {"model": ResponseOut, "description": "The same response was there"}},
    summary="Submit a response",
)
def submit(
    number: str,
    data: ResponseIn,
    db: DatabaseDep,
    response: Response,
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            max_length=policy.MAX_KEY,
            pattern=r"^[\x21-\x7e]+$",
            description="The response's own id: a retry with the same key stores nothing new",
        ),
    ] = None,
) -> ResponseOut:
    """Answered 201 when stored, 200 when the same response is there already under its key,
    409 when the key holds other answers. The respondent's raking variables are those of
    `respondent`, else the answers to questions named region, sex, settlement, age_group or
    age."""
    import uuid

    given = {k: v for k, v in data.respondent.model_dump().items() if v is not None}
    respondent, problems = respondent_of({**data.answers, **given})
    if problems:
        raise ValidationFailed("; ".join(problems), field="respondent")
    key = key or str(uuid.uuid4())
    incoming = Incoming(key, data.answers, respondent, data.submitted_at)
    stored = responses.submit_response(db, number, incoming)
    response.status_code = 201 if stored else 200
    return ResponseOut(survey=number, key=key, stored=stored)


@router.post(
    "/surveys/{number}/imports",
    response_model=ImportOut,
    responses=MANAGER_ERRORS,
    summary="Import a CSV of responses (multipart `file`, or a text/csv body)",
    openapi_extra={
        "requestBody": {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                },
            }
        }
    },
)
async def import_csv(
    number: str, request: Request, actor: OfficialDep, db: DatabaseDep
) -> ImportOut:
    """A KoboToolbox or ODK Central export (docs/surveys.md): rows already there are skipped
    (importing the same file again adds nothing); when any row is bad nothing is stored and the
    answer (422) lists every bad row with its line (`rows`; the header is line 1)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        async with request.form(max_files=1, max_fields=10) as form:
            file = form.get("file")
            if not isinstance(file, StarletteUpload):
                raise ValidationFailed("send the CSV as the multipart field `file`", field="file")
            data = await file.read(policy.MAX_CSV_BYTES + 1)
    elif kind in ("text/csv", "text/plain", "application/csv"):
        data = await request.body()
    else:
        raise ValidationFailed("send the CSV as text/csv, or as multipart/form-data `file`")
    found = responses.import_responses(db, actor, number, data)
    return ImportOut(
        survey=number,
        added=found.added,
        already_there=found.already_there,
        repeated_in_file=found.repeated_in_file,
        ignored_columns=found.ignored_columns,
    )


@router.post(
    "/surveys/{number}/closing",
    response_model=SurveyOut,
    responses=MANAGER_ERRORS,
    summary="Close a survey: it takes no more responses (its managers)",
)
def close(number: str, actor: OfficialDep, db: DatabaseDep) -> SurveyOut:
    surveys.close_survey(db, actor, number)
    with db.read() as session:
        return queries.survey_out(queries.get_survey(session, number))


@router.post(
    "/surveys/{number}/weighting",
    response_model=WeightsReport,
    responses=MANAGER_ERRORS,
    summary="Weigh the responses: rake to the population margins, trim, re-rake",
)
def weigh(number: str, data: WeighIn, actor: OfficialDep, db: DatabaseDep) -> WeightsReport:
    if data.trim_low >= data.trim_high:
        raise ValidationFailed("trim_low is below trim_high", field="trim_low")
    return weighing.weigh_survey(db, actor, number, trim=(data.trim_low, data.trim_high))


@router.get(
    "/surveys/{number}/weighting", response_model=WeightsReport, summary="The last weighting"
)
def weights_report(number: str, session: ReadSessionDep) -> WeightsReport:
    return queries.weights_report(session, queries.get_survey(session, number))


@router.get(
    "/surveys/{number}/results",
    response_model=ResultsOut,
    summary="Weighted shares per question with 95 % margins of error, overall or by a variable",
)
def survey_results(
    number: str,
    session: ReadSessionDep,
    by: By = None,
    language: Language = "ru",
    minimum_n: MinimumN = MINIMUM_N,
) -> ResultsOut:
    survey = queries.get_survey(session, number)
    return queries.results_of(session, survey, by, language, minimum_n)


@router.get(
    "/surveys/{number}/trust",
    response_model=TrustOut,
    summary="The trust index: share trusting each institution, by region and by month",
)
def trust_index(number: str, session: ReadSessionDep, minimum_n: MinimumN = MINIMUM_N) -> TrustOut:
    survey = queries.get_survey(session, number)
    return queries.trust_of(session, survey, minimum_n)
