"""HTTP API of representatives: deputies, factions, parliament's cost, and CSV imports."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from arna.accounts.deps import ActorDep
from arna.core.deps import DatabaseDep, ReadSessionDep
from arna.core.errors import Forbidden, NotFound, ValidationFailed
from arna.core.problems import problem_responses
from arna.representatives import actions, queries
from arna.representatives.csvfiles import MAX_BYTES
from arna.representatives.schemas import CostOut, DeputyOut, DeputyPageOut, FactionOut, ImportedOut

router = APIRouter(tags=["representatives"], responses=problem_responses(400, 422))
Lang = Annotated[str, Query(pattern="^(kk|ru|en)$")]


@router.get("/representatives/deputies", response_model=list[DeputyOut], summary="Deputies")
def list_deputies(
    session: ReadSessionDep,
    party: Annotated[str | None, Query(max_length=40)] = None,
    lang: Lang = "en",
) -> list[dict[str, Any]]:
    return [asdict(d) for d in queries.deputies(session, lang, party=party)]


@router.get(
    "/representatives/deputies/{deputy_id}",
    response_model=DeputyPageOut,
    summary="A deputy: mandate, attendance, votes and cost, each with its source",
    responses=problem_responses(404),
)
def get_deputy(
    deputy_id: Annotated[str, Path(max_length=60)], session: ReadSessionDep, lang: Lang = "en"
) -> dict[str, Any]:
    page = queries.deputy_page(session, deputy_id, lang)
    if page is None:
        raise NotFound(f"no deputy {deputy_id!r}")
    return asdict(page)


@router.get(
    "/representatives/factions",
    response_model=list[FactionOut],
    summary="Each party's deputies: attendance and votes taken part in",
)
def list_factions(session: ReadSessionDep, lang: Lang = "en") -> list[dict[str, Any]]:
    return [asdict(f) for f in queries.factions(session, lang)]


@router.get(
    "/representatives/costs", response_model=list[CostOut], summary="Parliament's cost lines"
)
def list_costs(session: ReadSessionDep) -> list[dict[str, Any]]:
    return queries.cost_lines(session)


@router.post(
    "/representatives/imports/{kind}",
    response_model=ImportedOut,
    summary="Import a CSV file of deputies, attendance or votes (admins; all or nothing)",
    responses=problem_responses(401, 403, 413),
    openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def import_file(
    kind: Annotated[str, Path(pattern="^(deputies|attendance|votes)$")],
    request: Request,
    db: DatabaseDep,
    actor: ActorDep,
) -> dict[str, Any]:
    if actor.kind != "admin":
        raise Forbidden("only an administrator imports representatives' records")
    data = await request.body()
    if len(data) > MAX_BYTES:
        raise ValidationFailed(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    # The import is a blocking transaction: in a worker thread, not on the event loop.
    found = await run_in_threadpool(actions.import_records, db, actor, kind, data)
    return found.as_dict()
