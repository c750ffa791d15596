"""HTTP API of consultations: open one, join it, vote on statements one at a time, add and
moderate statements, and read the opinion groups, the map and the consensus."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query

from arna.accounts.deps import ActorDep, OfficialDep
from arna.core.deps import DatabaseDep, ReadSessionDep
from arna.core.problems import problem_responses
from arna.opinion import policy, queries
from arna.opinion.actions import consultations, groups, voting
from arna.opinion.schemas import (
    ConsultationCreate,
    ConsultationOut,
    ConsultationPage,
    GroupsOut,
    Joined,
    ModerationIn,
    PointOut,
    StatementIn,
    StatementOut,
    VoteIn,
    VoteOut,
)

router = APIRouter(tags=["consultations"], responses=problem_responses(400, 404, 409, 413, 422))
MANAGER_ERRORS = problem_responses(401, 403)
StatementNumber = Annotated[int, Path(ge=0, le=2_147_483_647)]
Token = Annotated[
    str | None,
    Header(alias="X-Participant-Token", max_length=80, description="The token from joining"),
]


@router.get("/consultations", response_model=ConsultationPage, summary="Consultations")
def browse(
    session: ReadSessionDep,
    status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ConsultationPage:
    return queries.list_consultations(session, status, page, per_page)


@router.post(
    "/consultations",
    status_code=201,
    response_model=ConsultationOut,
    responses=MANAGER_ERRORS,
    summary="Open a consultation (administrators; officials for their body)",
)
def open_consultation(
    data: ConsultationCreate, actor: OfficialDep, db: DatabaseDep
) -> ConsultationOut:
    number = consultations.create_consultation(db, actor, data)
    with db.read() as session:
        return queries.consultation_out(session, queries.get_consultation(session, number))


@router.get("/consultations/{number}", response_model=ConsultationOut, summary="A consultation")
def read(number: str, session: ReadSessionDep) -> ConsultationOut:
    return queries.consultation_out(session, queries.get_consultation(session, number))


@router.get(
    "/consultations/{number}/statements",
    response_model=list[StatementOut],
    summary="Its statements with their votes (managers may ask for pending or rejected ones)",
)
def statements(
    number: str,
    session: ReadSessionDep,
    actor: ActorDep,
    status: Annotated[str, Query(pattern="^(accepted|pending|rejected)$")] = "accepted",
) -> list[StatementOut]:
    consultation = queries.get_consultation(session, number)
    if status != policy.ACCEPTED and not consultations.may_manage(actor, consultation, None):
        status = policy.ACCEPTED
    return queries.statements_of(session, consultation, status)


@router.post(
    "/consultations/{number}/participants",
    status_code=201,
    response_model=Joined,
    summary="Join: a pseudonymous participant and its token (shown once)",
)
def join(number: str, db: DatabaseDep) -> Joined:
    joined = consultations.join(db, number)
    return Joined(participant=joined.participant, token=joined.token)


@router.get(
    "/consultations/{number}/next",
    response_model=StatementOut | None,
    summary="The next statement for this participant (null when all are voted on)",
)
def next_statement(
    number: str, session: ReadSessionDep, token: Token = None
) -> StatementOut | None:
    consultation = queries.get_consultation(session, number)
    participant = queries.participant_by_token(session, consultation, token) if token else None
    return queries.next_statement(session, consultation, participant)


@router.post("/consultations/{number}/votes", response_model=VoteOut, summary="Vote on a statement")
def vote(number: str, data: VoteIn, db: DatabaseDep) -> VoteOut:
    """Agree, disagree or pass; voting again on a statement changes the vote. Answered once
    the vote is committed."""
    cast = voting.cast_vote(db, number, data.token, data.statement, data.vote)
    with db.read() as session:
        consultation = queries.get_consultation(session, number)
        participant = queries.participant_by_token(session, consultation, data.token)
        following = queries.next_statement(session, consultation, participant)
    return VoteOut(
        statement=data.statement, vote=data.vote, votes_cast=cast, next_statement=following
    )


@router.post(
    "/consultations/{number}/statements",
    status_code=201,
    response_model=StatementOut,
    responses=MANAGER_ERRORS,
    summary="Add a statement (a participant's waits for moderation)",
)
def add_statement(number: str, data: StatementIn, actor: ActorDep, db: DatabaseDep) -> StatementOut:
    added, status = consultations.add_statement(db, actor, number, data.text, data.token)
    with db.read() as session:
        consultation = queries.get_consultation(session, number)
        found = queries.statement_by_number(session, consultation, added)
        return StatementOut(number=added, text=found.text, language=found.language, status=status)


@router.post(
    "/consultations/{number}/statements/{statement}/moderation",
    response_model=StatementOut,
    responses=MANAGER_ERRORS,
    summary="Accept or reject a statement",
)
def moderate(
    number: str,
    statement: StatementNumber,
    data: ModerationIn,
    actor: OfficialDep,
    db: DatabaseDep,
) -> StatementOut:
    status = consultations.moderate_statement(db, actor, number, statement, data.decision)
    with db.read() as session:
        consultation = queries.get_consultation(session, number)
        found = queries.statement_by_number(session, consultation, statement)
        return StatementOut(
            number=statement, text=found.text, language=found.language, status=status
        )


@router.post(
    "/consultations/{number}/closing",
    response_model=ConsultationOut,
    responses=MANAGER_ERRORS,
    summary="Close the consultation (no more votes)",
)
def close(number: str, actor: OfficialDep, db: DatabaseDep) -> ConsultationOut:
    consultations.close_consultation(db, actor, number)
    groups.compute_groups(db, number)
    with db.read() as session:
        return queries.consultation_out(session, queries.get_consultation(session, number))


@router.get(
    "/consultations/{number}/groups",
    response_model=GroupsOut,
    summary="Opinion groups, what sets each apart, and what everyone shares",
)
def opinion_groups(number: str, db: DatabaseDep, fresh: bool = False) -> GroupsOut:
    """The groups as last computed by the worker; `fresh=true` computes them first."""
    if fresh:
        groups.compute_groups(db, number)
    with db.read() as session:
        return queries.groups_of(session, queries.get_consultation(session, number))


@router.get("/consultations/{number}/map", response_model=list[PointOut], summary="The opinion map")
def opinion_map(number: str, session: ReadSessionDep) -> list[PointOut]:
    """Every placed participant's point (none before the groups are first computed)."""
    return queries.map_points(session, queries.get_consultation(session, number))
