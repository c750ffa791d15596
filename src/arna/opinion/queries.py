"""Reads of consultations: getters ("not found" for what is not there), lists, the votes as the
maths reads them, a participant's next statement, the groups last computed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arna.core.actors import Actor
from arna.core.errors import NotFound
from arna.core.hashing import digest
from arna.opinion import policy
from arna.opinion.models import Consultation, Participant, Statement, Vote
from arna.opinion.polis_format import ExportRow, PolisStatement, PolisVote
from arna.opinion.schemas import (
    ConsensusOut,
    ConsultationOut,
    ConsultationPage,
    GroupAwareOut,
    GroupOut,
    GroupsOut,
    PointOut,
    RepresentativeOut,
    StatementOut,
)


def not_found(number: str) -> NotFound:
    return NotFound(f"no consultation {number}")


def get_consultation(session: Session, number: str, lock: bool = False) -> Consultation:
    query = select(Consultation).where(Consultation.number == number)
    found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise not_found(number)
    return found


def participant_by_token(session: Session, consultation: Consultation, token: str) -> Participant:
    found = session.scalar(
        select(Participant).where(
            Participant.consultation_id == consultation.id, Participant.key == digest(token)
        )
    )
    if found is None:
        raise NotFound("this participant token is not known in this consultation: join first")
    return found


def statement_by_number(
    session: Session, consultation: Consultation, number: int, lock: bool = False
) -> Statement:
    query = select(Statement).where(
        Statement.consultation_id == consultation.id, Statement.number == number
    )
    found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise NotFound(f"no statement {number} in {consultation.number}")
    return found


def _counts(session: Session, consultation_id: int) -> tuple[int, int, int]:
    statements = session.scalar(
        select(func.count()).where(
            Statement.consultation_id == consultation_id, Statement.status == policy.ACCEPTED
        )
    )
    participants = session.scalar(
        select(func.count()).where(Participant.consultation_id == consultation_id)
    )
    votes = session.scalar(select(func.count()).where(Vote.consultation_id == consultation_id))
    return int(statements or 0), int(participants or 0), int(votes or 0)


def consultation_out(session: Session, c: Consultation) -> ConsultationOut:
    statements, participants, votes = _counts(session, c.id)
    return ConsultationOut(
        number=c.number,
        title=c.title,
        question=c.question,
        language=c.language,
        body_id=c.body_id,
        status=c.status,
        origin=c.origin,
        statements=statements,
        participants=participants,
        votes=votes,
        groups=c.groups_k,
        groups_at=c.groups_at,
        created_at=c.created_at,
    )


def list_consultations(
    session: Session, status: str | None = None, page: int = 1, per_page: int = 20
) -> ConsultationPage:
    query = select(Consultation)
    if status:
        query = query.where(Consultation.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Consultation.created_at.desc(), Consultation.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return ConsultationPage(
        items=[consultation_out(session, c) for c in rows],
        total=total,
        page=page,
        per_page=per_page,
    )


def statements_of(
    session: Session, consultation: Consultation, status: str | None = policy.ACCEPTED
) -> list[StatementOut]:
    """Statements with the counts of the participants' last votes."""
    query = select(Statement).where(Statement.consultation_id == consultation.id)
    if status:
        query = query.where(Statement.status == status)
    return [
        StatementOut(
            number=s.number,
            text=s.text,
            language=s.language,
            status=s.status,
            agree=s.agree,
            disagree=s.disagree,
            passed=s.passed,
        )
        for s in session.scalars(query.order_by(Statement.number))
    ]


def votes_cast(session: Session, participant: Participant) -> dict[int, int]:
    """A participant's last vote on each statement, by statement number."""
    rows = session.execute(
        select(Statement.number, Vote.value)
        .join(Statement, Statement.id == Vote.statement_id)
        .where(Vote.participant_id == participant.id)
        .order_by(Vote.id)
    )
    return {number: value for number, value in rows}


def next_statement(
    session: Session, consultation: Consultation, participant: Participant | None
) -> StatementOut | None:
    """The accepted statement this participant has not voted on yet that fewest people have
    seen (so new statements get votes), or None when they have voted on all."""
    seen = votes_cast(session, participant) if participant else {}
    candidates = [s for s in statements_of(session, consultation) if s.number not in seen]
    if not candidates:
        return None
    return min(candidates, key=lambda s: (s.agree + s.disagree + s.passed, s.number))


def vote_rows(session: Session, consultation_id: int) -> list[tuple[Any, ...]]:
    """Every vote in the order it was cast: (id, when, participant number, statement number,
    value)."""
    return list(
        session.execute(
            select(Vote.id, Vote.cast_at, Participant.number, Statement.number, Vote.value)
            .join(Participant, Participant.id == Vote.participant_id)
            .join(Statement, Statement.id == Vote.statement_id)
            .where(Vote.consultation_id == consultation_id)
            .order_by(Vote.id)
        )
    )


def statement_statuses(session: Session, consultation_id: int) -> dict[int, str]:
    return dict(
        session.execute(
            select(Statement.number, Statement.status).where(
                Statement.consultation_id == consultation_id
            )
        ).all()
    )


def groups_of(session: Session, consultation: Consultation) -> GroupsOut:
    """The groups last computed, with what sets each apart and what everyone shares."""
    texts = dict(
        session.execute(
            select(Statement.number, Statement.text).where(
                Statement.consultation_id == consultation.id
            )
        ).all()
    )
    data = json.loads(consultation.summary) if consultation.summary else {}
    participants = session.scalar(
        select(func.count()).where(Participant.consultation_id == consultation.id)
    )
    placed = session.scalar(
        select(func.count()).where(
            Participant.consultation_id == consultation.id, Participant.group_id.is_not(None)
        )
    )
    return GroupsOut(
        number=consultation.number,
        k=consultation.groups_k,
        computed_at=consultation.groups_at,
        placed=int(placed or 0),
        participants=int(participants or 0),
        groups=[
            GroupOut(
                id=g["id"],
                label=g["label"],
                size=g["size"],
                representative=[
                    RepresentativeOut(
                        text=texts.get(r["statement"], ""),
                        **{k: v for k, v in r.items() if k != "best_agree"},
                    )
                    for r in g["representative"]
                ],
            )
            for g in data.get("groups", [])
        ],
        consensus=[
            ConsensusOut(
                statement=c["statement"],
                text=texts.get(c["statement"], ""),
                stance=c["stance"],
                count=c["count"],
                seen=c["seen"],
                share=c["share"],
            )
            for c in data.get("consensus", [])
        ],
        group_aware_consensus=[
            GroupAwareOut(
                statement=a["statement"], text=texts.get(a["statement"], ""), score=a["score"]
            )
            for a in data.get("group_aware_consensus", [])
        ],
    )


def map_points(session: Session, consultation: Consultation) -> list[PointOut]:
    return [
        PointOut(participant=number, group=group, x=x, y=y)
        for number, group, x, y in session.execute(
            select(Participant.number, Participant.group_id, Participant.x, Participant.y)
            .where(Participant.consultation_id == consultation.id, Participant.x.is_not(None))
            .order_by(Participant.number)
        )
    ]


def participant_numbers(
    session: Session, consultation: Consultation
) -> list[tuple[int, int | None]]:
    """(participant number, group) for everyone, in number order."""
    return [
        (number, group)
        for number, group in session.execute(
            select(Participant.number, Participant.group_id)
            .where(Participant.consultation_id == consultation.id)
            .order_by(Participant.number)
        )
    ]


def pending_consultations(session: Session) -> list[str]:
    """Open consultations with votes their groups have not seen yet."""
    newest = (
        select(Vote.consultation_id, func.max(Vote.id).label("last"))
        .group_by(Vote.consultation_id)
        .subquery()
    )
    return list(
        session.scalars(
            select(Consultation.number)
            .join(newest, newest.c.consultation_id == Consultation.id)
            .where(newest.c.last > Consultation.votes_seen, Consultation.status == policy.OPEN)
            .order_by(Consultation.id)
        )
    )


def polis_export(
    session: Session, consultation: Consultation
) -> tuple[list[PolisStatement], list[PolisVote], list[ExportRow]]:
    """The consultation as the four files of a Pol.is export hold it (agree 1)."""
    authors = dict(
        session.execute(
            select(Participant.id, Participant.number).where(
                Participant.consultation_id == consultation.id
            )
        ).all()
    )
    statements = [
        PolisStatement(
            id=s.number,
            author=authors.get(s.author_id, -1) if s.author_id else -1,
            created=s.created_at,
            text=s.text,
            moderated=policy.MODERATION_POLIS[s.status],
        )
        for s in session.scalars(
            select(Statement)
            .where(Statement.consultation_id == consultation.id)
            .order_by(Statement.number)
        )
    ]
    rows = vote_rows(session, consultation.id)
    votes = [
        PolisVote(at, statement, participant, value)
        for _, at, participant, statement, value in rows
    ]
    last: dict[int, dict[int, int]] = {}
    for vote in votes:
        last.setdefault(vote.participant, {})[vote.statement] = vote.value
    people = [
        ExportRow(number, group, last.get(number, {}))
        for number, group in participant_numbers(session, consultation)
    ]
    return statements, votes, people


def statement_languages(session: Session, consultation_id: int) -> dict[int, str]:
    """The language of each statement, by number (for the pages' lang attributes)."""
    return dict(
        session.execute(
            select(Statement.number, Statement.language).where(
                Statement.consultation_id == consultation_id
            )
        ).all()
    )


@dataclass(frozen=True)
class Waiting:
    """A participant's statement waiting for moderation, as the workbench shows it: never its
    author."""

    number: int
    text: str
    language: str
    submitted_at: datetime


def awaiting(session: Session, actor: Actor) -> list[tuple[ConsultationOut, list[Waiting]]]:
    """The consultations this official manages (administrators every one, officials and
    supervisors their body's, as `actions.consultations.may_manage` decides) that are open or
    have statements waiting, open first, newest first; each with its waiting statements,
    oldest first."""
    query = select(Consultation)
    if actor.kind in ("official", "supervisor") and actor.body_id:
        query = query.where(Consultation.body_id == actor.body_id)
    elif actor.kind != "admin":
        return []
    waiting = (
        select(Statement.id)
        .where(Statement.consultation_id == Consultation.id, Statement.status == policy.PENDING)
        .exists()
    )
    found = session.scalars(
        query.where((Consultation.status == policy.OPEN) | waiting).order_by(
            (Consultation.status == policy.OPEN).desc(),
            Consultation.created_at.desc(),
            Consultation.id.desc(),
        )
    ).all()
    rows = session.execute(
        select(Statement)
        .where(
            Statement.consultation_id.in_([c.id for c in found]),
            Statement.status == policy.PENDING,
        )
        .order_by(Statement.created_at, Statement.number)
    ).scalars()
    statements: dict[int, list[Waiting]] = {}
    for s in rows:
        statements.setdefault(s.consultation_id, []).append(
            Waiting(s.number, s.text, s.language, s.created_at)
        )
    return [(consultation_out(session, c), statements.get(c.id, [])) for c in found]
