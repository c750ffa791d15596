"""HTTP API of appeals: submit, read (public, applicant, official), list, act, feedback."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response

from arna.accounts.deps import ActorDep, OfficialDep
from arna.appeals import queries
from arna.appeals.actions import lifecycle, support, triage
from arna.appeals.actions.submit import unwrap
from arna.appeals.deps import take_support_quota
from arna.appeals.placement import receive
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
    ReclassifyIn,
    SupportIn,
    SupportOut,
)
from arna.core.actors import ANONYMOUS, Actor
from arna.core.clock import now_utc
from arna.core.deps import DatabaseDep, ReadSessionDep, SettingsDep
from arna.core.errors import ValidationFailed
from arna.core.problems import problem_responses

router = APIRouter(tags=["appeals"], responses=problem_responses(400, 401, 404, 409, 413, 422))
SUPPORT_ERRORS = problem_responses(429)

AccessCode = Annotated[
    str | None,
    Header(alias="X-Access-Code", max_length=40, description="The applicant's access code."),
]


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
    received = receive(data, idempotency_key, now_utc())
    outcome = await request.app.state.intake.submit(received)
    created, replayed = unwrap(outcome)
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
    return queries.view_for(session, actor, number, now_utc(), access_code)


@router.get("/appeals", response_model=AppealPage, summary="A page of appeals, filtered")
def list_appeals(
    session: ReadSessionDep,
    actor: ActorDep,
    region: Annotated[str | None, Query(pattern=r"^\d{9}$", examples=["750000000"])] = None,
    body: Annotated[str | None, Query(max_length=60, examples=["akimat-750000000"])] = None,
    category: Annotated[str | None, Query(max_length=40, examples=["roads_local"])] = None,
    status: Annotated[
        str | None,
        Query(
            pattern="^(open|registered|in_progress|answered|closed)$",
            description="`open`: not answered yet (registered or in progress), at any level.",
        ),
    ] = None,
    overdue: bool | None = None,
    escalated: bool | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> AppealPage:
    """Anonymous callers see public appeals; officials see every appeal of their body (and
    supervisors everything under theirs)."""
    filters = queries.Filters(region, body, category, status, overdue, escalated)
    return queries.list_appeals(session, actor, filters, page, per_page, now_utc())


def _full(db: DatabaseDep, actor: Actor, number: str) -> AppealFull:
    with db.read() as session:
        appeal, _ = queries.get_appeal_for(session, actor, number)
        return queries.full_view(session, appeal, now_utc())


def _after_forwarding(db: DatabaseDep, number: str) -> AppealFull:
    """After forwarding, the sender may no longer see the appeal; answer with what it did."""
    with db.read() as session:
        return queries.full_view(session, queries.require_appeal(session, number), now_utc())


@router.post("/appeals/{number}/accept", response_model=AppealFull, summary="Take into work")
def accept(number: str, db: DatabaseDep, settings: SettingsDep, actor: OfficialDep) -> AppealFull:
    lifecycle.accept_appeal(db, settings, actor, number)
    return _full(db, actor, number)


@router.post("/appeals/{number}/answer", response_model=AppealFull, summary="Answer an appeal")
def answer(
    number: str, data: AnswerIn, db: DatabaseDep, settings: SettingsDep, actor: OfficialDep
) -> AppealFull:
    lifecycle.answer_appeal(
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
        return _after_forwarding(db, number)
    return _full(db, actor, number)


@router.post(
    "/appeals/{number}/forward", response_model=AppealFull, summary="Forward to the competent body"
)
def forward(
    number: str, data: ForwardIn, db: DatabaseDep, settings: SettingsDep, actor: OfficialDep
) -> AppealFull:
    lifecycle.forward_appeal(db, settings, actor, number, body_id=data.body_id, reason=data.reason)
    return _after_forwarding(db, number)


@router.post(
    "/appeals/{number}/extend",
    response_model=AppealFull,
    summary="Extend the term once, up to 2 months from registration",
)
def extend(
    number: str, data: ExtendIn, db: DatabaseDep, settings: SettingsDep, actor: OfficialDep
) -> AppealFull:
    lifecycle.extend_appeal(db, settings, actor, number, until=data.until, reason=data.reason)
    return _full(db, actor, number)


@router.post(
    "/appeals/{number}/reclassify",
    response_model=AppealFull,
    summary="Correct the topic (category) and/or the place (KATO)",
)
def reclassify(
    number: str, data: ReclassifyIn, db: DatabaseDep, settings: SettingsDep, actor: OfficialDep
) -> AppealFull:
    """What Arna read from the text, corrected by an official of the body holding the appeal
    (audited as `appeal.reclassified`). It is not re-routed: forward it if it now belongs to
    another body."""
    triage.reclassify_appeal(db, settings, actor, number, category=data.category, kato=data.kato)
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
    lifecycle.give_feedback(
        db,
        settings,
        number,
        access_code,
        resolved=data.resolved,
        rating=data.rating,
        reason=data.comment if not data.resolved else None,
    )
    with db.read() as session:
        appeal, _ = queries.get_appeal_for(session, ANONYMOUS, number, access_code)
        return queries.full_view(session, appeal, now_utc())


@router.post(
    "/appeals/{number}/supporters",
    status_code=201,
    response_model=SupportOut,
    responses={
        200: {"model": SupportOut, "description": "This person was counted before"},
        **SUPPORT_ERRORS,
    },
    summary='"Me too": count a citizen who has the same problem as this open public appeal',
)
def support_appeal(
    number: str, data: SupportIn, request: Request, db: DatabaseDep, settings: SettingsDep
) -> Response:
    """Each person (IIN) counts once per appeal; an answered appeal gathers no more supporters
    (409: file a new appeal); too many from one address get 429 with Retry-After."""
    take_support_quota(request)
    done = support.support_appeal(db, settings, number, iin=data.iin)
    out = SupportOut(number=done.number, supporters=done.supporters, counted=done.counted)
    return Response(out.model_dump_json(), 201 if done.counted else 200, None, "application/json")
