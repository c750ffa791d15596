"""HTTP API of oversight: scorecards, the escalation depth index and the appeals behind it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import PlainTextResponse

from arna.core.deps import ReadSessionDep, SettingsDep
from arna.core.errors import NotFound, ValidationFailed
from arna.core.problems import problem_responses
from arna.oversight import reporting
from arna.oversight.queries import depth, opendata, problems, report, scorecard
from arna.oversight.schemas import (
    DepthAppealsOut,
    DepthOut,
    ProblemDetailOut,
    ProblemsOut,
    ScorecardsOut,
)

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


@router.get(
    "/oversight/open-data",
    summary="The open-data tables of oversight, each a CSV at /oversight/open-data/{name}.csv",
)
def open_data() -> dict[str, object]:
    return {
        "tables": [
            {"name": name, "csv": f"/api/v1/oversight/open-data/{name}.csv"}
            for name in opendata.TABLES
        ],
        "methodology": "docs/methodology.md",
    }


@router.get(
    "/oversight/open-data/{name}.csv",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/csv": {}}}, **problem_responses(404)},
    summary="One open-data table as CSV (groups under the minimum cell left out)",
)
def open_data_table(
    name: Annotated[str, Path(max_length=60)],
    session: ReadSessionDep,
    settings: SettingsDep,
    lang: Lang = "en",
) -> Response:
    if name not in opendata.TABLES:
        raise NotFound(f"no open-data table {name!r}; see /api/v1/oversight/open-data")
    rows = opendata.table(session, name, settings.min_cell, lang)
    return Response(
        opendata.as_csv(name, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@router.get(
    "/oversight/reports/{kind}/{month}.{fmt}",
    responses={
        200: {"content": {"application/pdf": {}, "text/html": {}}},
        **problem_responses(404),
    },
    summary="A monthly report (national, region or body) as PDF or HTML",
)
def monthly_report(
    kind: Annotated[str, Path(pattern="^(national|region|body)$")],
    month: Annotated[str, Path(max_length=7, description="YYYY-MM")],
    fmt: Annotated[str, Path(pattern="^(pdf|html)$")],
    session: ReadSessionDep,
    key: Annotated[str, Query(max_length=60, description="the region's KATO or body id")] = "",
    lang: Lang = "en",
) -> Response:
    try:
        found = report.report(session, kind, month, key, lang)
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from exc
    except report.UnknownScope as exc:
        raise NotFound(str(exc)) from exc
    name = "-".join(part for part in ("report", kind, key, month, lang) if part)
    if fmt == "pdf":
        return Response(
            reporting.pdf(found, lang),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
        )
    return Response(reporting.html(found, lang), media_type="text/html; charset=utf-8")


@router.get(
    "/oversight/problems",
    response_model=ProblemsOut,
    summary="Shared problems: reported by two people or more, those touching most first",
)
def shared_problems(
    session: ReadSessionDep,
    region: Annotated[str | None, Query(pattern=r"^\d{9}$", description="region KATO")] = None,
    category: Annotated[str | None, Query(max_length=60)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, object]:
    found = problems.shared_problems(session, region=region, category=category, limit=limit)
    return problems.as_json(found)


@router.get(
    "/oversight/problems/{number}",
    response_model=ProblemDetailOut,
    responses=problem_responses(404),
    summary="One shared problem, named by its first appeal's number, with its public appeals",
)
def shared_problem(
    session: ReadSessionDep, number: Annotated[str, Path(max_length=40)]
) -> dict[str, object]:
    found = problems.problem(session, number)
    if found is None:
        raise NotFound(f"no shared problem {number}", number=number)
    problem, members = found
    return {**problem.as_dict(), "appeals_public": [a.number for a in members]}
