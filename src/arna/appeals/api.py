"""HTTP API of appeals: submit, read (public, applicant, official), list, act, feedback."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from sqlalchemy import select

from arna.appeals import service, submission, views
from arna.appeals.access import get_appeal_for, in_scope
from arna.appeals.models import Appeal
from arna.appeals.policy import OPEN
from arna.appeals.schemas import (
    AnswerIn,
    AppealCreate,
    AppealCreated,
    AppealFull,
    AppealPage,
    AppealPublic,
    ExtendIn,
    FeedbackIn,
    ForwardIn,
)
from arna.bodies.reference import bodies
from arna.core.auth import ANONYMOUS, Actor, actor_for_token
from arna.core.clock import now_utc, to_local_date
from arna.core.errors import Unauthorized, ValidationFailed
from arna.web.deps import DatabaseDep, ReadSessionDep, SettingsDep
from arna.web.problems import problem_responses

router = APIRouter(tags=["appeals"], responses=problem_responses(400, 401, 404, 409, 413, 422))

AccessCode = Annotated[
    str | None,
    Header(alias="X-Access-Code", max_length=40, description="The applicant's access code."),
]


def current_actor(
    session: ReadSessionDep,
    authorization: Annotated[str | None, Header(max_length=500)] = None,
) -> Actor:
    if not authorization:
        return ANONYMOUS
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("use Authorization: Bearer <token> (see `arna tokens create`)")
    actor = actor_for_token(session, token.strip())
    if actor is None:
        raise Unauthorized("this bearer token is not valid; create one with `arna tokens create`")
    return actor


ActorDep = Annotated[Actor, Depends(current_actor)]


def official(actor: ActorDep) -> Actor:
    if actor.kind not in ("official", "supervisor", "admin"):
        raise Unauthorized("only officials of the body act on an appeal: send a bearer token")
    return actor


OfficialDep = Annotated[Actor, Depends(official)]


@router.post(
    "/appeals",
    status_code=201,
    response_model=AppealCreated,
    summary="Submit an appeal",
)
async def submit(
    data: AppealCreate,
    request: Request,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            max_length=200,
            pattern=r"^[\x21-\x7e]+$",
            description="Retries with the same key return the same appeal.",
        ),
    ] = None,
) -> Response:
    """Validated here; read by the text models, placed and written by the group-commit writer
    with the other appeals that arrive meanwhile; answered after commit."""
    received = submission.receive(data, idempotency_key, now_utc())
    outcome = await request.app.state.intake.submit(received)
    created, replayed = submission.unwrap(outcome)
    headers = {"Idempotent-Replayed": "true"} if replayed else None
    # Serialised once here; the response model documents it in OpenAPI.
    return Response(created.model_dump_json(), 201, headers, "application/json")


@router.get(
    "/appeals/{number}",
    response_model=AppealFull | AppealPublic,
    summary="One appeal: public and redacted, or full for its applicant and officials",
)
def read(
    number: str, session: ReadSessionDep, actor: ActorDep, access_code: AccessCode = None
) -> AppealFull | AppealPublic:
    appeal, view = get_appeal_for(session, actor, number, access_code)
    if view == "full":
        return views.full_view(session, appeal, now_utc())
    return views.public_view(session, appeal, now_utc())


@router.get("/appeals", response_model=AppealPage, summary="A page of appeals, filtered")
def list_appeals(
    session: ReadSessionDep,
    actor: ActorDep,
    region: Annotated[str | None, Query(pattern=r"^\d{9}$", examples=["750000000"])] = None,
    body: Annotated[str | None, Query(max_length=60, examples=["akimat-750000000"])] = None,
    category: Annotated[str | None, Query(max_length=40, examples=["roads_local"])] = None,
    status: Annotated[
        str | None, Query(pattern="^(registered|in_progress|answered|closed)$")
    ] = None,
    overdue: bool | None = None,
    escalated: bool | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> AppealPage:
    """Anonymous callers see public appeals; officials see every appeal of their body (and
    supervisors everything under theirs)."""
    query = select(Appeal)
    if actor.kind == "anonymous":
        query = query.where(Appeal.public.is_(True))
    elif actor.kind != "admin":
        scope = [b for b in bodies() if in_scope(actor.body_id, b)]
        query = query.where(Appeal.body_id.in_(scope))
    if region:
        query = query.where(Appeal.region_kato == region)
    if body:
        query = query.where(Appeal.body_id == body)
    if category:
        query = query.where(Appeal.category_id == category)
    if status:
        query = query.where(Appeal.status == status)
    today = to_local_date(now_utc())
    if overdue is True:
        query = query.where(Appeal.status.in_(OPEN), Appeal.due_date < today)
    elif overdue is False:
        query = query.where(~(Appeal.status.in_(OPEN) & (Appeal.due_date < today)))
    if escalated is True:
        query = query.where(Appeal.escalation_depth > 0)
    elif escalated is False:
        query = query.where(Appeal.escalation_depth == 0)
    return views.page_of(session, query, page, per_page, now_utc())


def _full(request_db: DatabaseDep, actor: Actor, number: str) -> AppealFull:
    with request_db.read() as session:
        appeal, _ = get_appeal_for(session, actor, number)
        return views.full_view(session, appeal, now_utc())


@router.post("/appeals/{number}/accept", response_model=AppealFull, summary="Take into work")
def accept(number: str, db: DatabaseDep, actor: OfficialDep) -> AppealFull:
    service.accept_appeal(db, actor, number)
    return _full(db, actor, number)


@router.post("/appeals/{number}/answer", response_model=AppealFull, summary="Answer an appeal")
def answer(
    number: str, data: AnswerIn, db: DatabaseDep, settings: SettingsDep, actor: OfficialDep
) -> AppealFull:
    service.answer_appeal(
        db,
        settings,
        actor,
        number,
        outcome=data.outcome,
        text=data.text,
        body_id=data.body_id,
        duplicate_of=data.duplicate_of,
    )
    if data.outcome == "not_competent":
        return _full_for_admin_view(db, number)
    return _full(db, actor, number)


def _full_for_admin_view(db: DatabaseDep, number: str) -> AppealFull:
    """After forwarding, the sender may no longer see the appeal; answer with what it did."""
    with db.read() as session:
        return views.full_view(session, service.require_appeal(session, number), now_utc())


@router.post(
    "/appeals/{number}/forward", response_model=AppealFull, summary="Forward to the competent body"
)
def forward(
    number: str, data: ForwardIn, db: DatabaseDep, settings: SettingsDep, actor: OfficialDep
) -> AppealFull:
    service.forward_appeal(db, settings, actor, number, body_id=data.body_id, reason=data.reason)
    return _full_for_admin_view(db, number)


@router.post(
    "/appeals/{number}/extend",
    response_model=AppealFull,
    summary="Extend the term once, up to 2 months from registration",
)
def extend(
    number: str, data: ExtendIn, db: DatabaseDep, settings: SettingsDep, actor: OfficialDep
) -> AppealFull:
    service.extend_appeal(db, settings, actor, number, until=data.until, reason=data.reason)
    return _full(db, actor, number)


@router.post(
    "/appeals/{number}/feedback",
    response_model=AppealFull,
    summary="The applicant rates the answer; not resolved escalates it",
)
def feedback(
    number: str,
    data: FeedbackIn,
    db: DatabaseDep,
    settings: SettingsDep,
    access_code: AccessCode = None,
) -> AppealFull:
    if not access_code:
        raise ValidationFailed(
            "send the access code of the appeal in the X-Access-Code header", field="X-Access-Code"
        )
    service.give_feedback(
        db, settings, number, access_code, resolved=data.resolved, rating=data.rating
    )
    with db.read() as session:
        appeal, _ = get_appeal_for(session, ANONYMOUS, number, access_code)
        return views.full_view(session, appeal, now_utc())
