"""A consultation's way: opened with its first statements, joined by participants (a token each,
kept only as a digest), statements added and moderated, closed."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arna.bodies.queries import body_exists
from arna.core import audit
from arna.core.actors import Actor
from arna.core.clock import now_utc
from arna.core.db import Database
from arna.core.errors import Forbidden, InvalidTransition, ValidationFailed
from arna.core.hashing import digest
from arna.opinion import policy
from arna.opinion.models import Consultation, Participant, Statement
from arna.opinion.queries import get_consultation, participant_by_token
from arna.opinion.schemas import ConsultationCreate
from arna.text.lid import identify

PARTICIPANT = Actor("anonymous", name="participant")


def event(
    actor: Actor, action: str, consultation: Consultation, now: datetime, **new: object
) -> audit.Entry:
    """The audit event of a change: what changed, never who a participant is."""
    return audit.Entry(
        actor=actor.label,
        action=action,
        entity_type="consultation",
        entity_id=consultation.number,
        new={"status": consultation.status, **new},
        at=now,
    )


def may_manage(actor: Actor, consultation: Consultation | None, body_id: str | None) -> bool:
    """Administrators manage every consultation; officials those of their own body."""
    if actor.kind == "admin":
        return True
    owner = consultation.body_id if consultation else body_id
    return actor.kind in ("official", "supervisor") and owner is not None and owner == actor.body_id


def language_of(text: str) -> str:
    found = identify(text).lang
    return found if found in ("kk", "ru", "en") else "ru"


def create_consultation(
    db: Database,
    actor: Actor,
    data: ConsultationCreate,
    now: datetime | None = None,
) -> str:
    now = now or now_utc()
    body_id = data.body_id if data.body_id is not None or actor.kind == "admin" else actor.body_id
    if not may_manage(actor, None, body_id):
        raise Forbidden(
            "consultations are opened by administrators, or by officials for their own body"
        )
    for text in data.statements:
        _check_statement(text)
    with db.write() as session:
        if body_id is not None and not body_exists(session, body_id):
            raise ValidationFailed(f"no body {body_id}", field="body_id")
        consultation = new_consultation(
            session,
            data.title,
            data.question,
            data.language or language_of(f"{data.title}. {data.question}"),
            body_id,
            policy.OPEN,
            "arna",
            now,
        )
        for number, text in enumerate(data.statements):
            session.add(_statement(consultation, number, text, policy.ACCEPTED, None, now))
        audit.record_many(
            session,
            [
                event(
                    actor, "consultation.opened", consultation, now, statements=len(data.statements)
                )
            ],
        )
        return consultation.number


def _same_words(text: str) -> str:
    """A statement as compared for repeats: case, spacing and end punctuation aside."""
    return " ".join(text.casefold().split()).rstrip(".!?…")


def new_consultation(
    session: Session,
    title: str,
    question: str,
    language: str,
    body_id: str | None,
    status: str,
    origin: str,
    now: datetime,
) -> Consultation:
    """A consultation's row, numbered C-<year>-<id>."""
    consultation = Consultation(
        number="C-pending",
        title=title,
        question=question,
        language=language,
        body_id=body_id,
        status=status,
        origin=origin,
        created_at=now,
        updated_at=now,
        votes_seen=0,
    )
    session.add(consultation)
    session.flush()
    consultation.number = f"C-{now.year}-{consultation.id:06d}"
    return consultation


def _check_statement(text: str) -> None:
    text = text.strip()
    if not policy.STATEMENT_MIN <= len(text) <= policy.STATEMENT_MAX:
        raise ValidationFailed(
            f"a statement is {policy.STATEMENT_MIN} to {policy.STATEMENT_MAX} characters: "
            "one thought, said briefly",
            field="statements",
        )


def _statement(
    consultation: Consultation,
    number: int,
    text: str,
    status: str,
    author: int | None,
    now: datetime,
) -> Statement:
    return Statement(
        consultation_id=consultation.id,
        number=number,
        text=text.strip(),
        language=language_of(text),
        status=status,
        author_id=author,
        created_at=now,
    )


@dataclass(frozen=True)
class Joined:
    participant: int
    token: str


def new_participant(session: Session, consultation: Consultation, now: datetime) -> Joined:
    token = secrets.token_urlsafe(24)
    number = session.scalar(
        select(func.coalesce(func.max(Participant.number) + 1, 0)).where(
            Participant.consultation_id == consultation.id
        )
    )
    session.add(
        Participant(
            consultation_id=consultation.id,
            number=int(number or 0),
            key=digest(token),
            created_at=now,
        )
    )
    session.flush()
    return Joined(int(number or 0), token)


def join(db: Database, number: str, now: datetime | None = None) -> Joined:
    """A new pseudonymous participant: the token is shown once and kept only as a digest."""
    now = now or now_utc()
    with db.write() as session:
        consultation = get_consultation(session, number, lock=True)
        _expect_open(consultation)
        return new_participant(session, consultation, now)


def _expect_open(consultation: Consultation) -> None:
    if consultation.status != policy.OPEN:
        raise InvalidTransition(f"consultation {consultation.number} is closed")


def add_statement(
    db: Database,
    actor: Actor,
    number: str,
    text: str,
    token: str | None = None,
    now: datetime | None = None,
) -> tuple[int, str]:
    """A participant's statement waits for moderation; one added by its managers is accepted."""
    now = now or now_utc()
    _check_statement(text)
    with db.write() as session:
        consultation = get_consultation(session, number, lock=True)
        _expect_open(consultation)
        manager = may_manage(actor, consultation, None)
        author = participant_by_token(session, consultation, token).id if token else None
        if author is None and not manager:
            raise Forbidden(
                "join the consultation first: a statement comes with your participant token"
            )
        said = session.execute(
            select(Statement.number, Statement.text).where(
                Statement.consultation_id == consultation.id
            )
        )
        duplicate = next((n for n, t in said if _same_words(t) == _same_words(text)), None)
        if duplicate is not None:
            raise ValidationFailed(f"statement {duplicate} says exactly this already", field="text")
        next_number = session.scalar(
            select(func.coalesce(func.max(Statement.number) + 1, 0)).where(
                Statement.consultation_id == consultation.id
            )
        )
        status = policy.ACCEPTED if manager else policy.PENDING
        statement = _statement(consultation, int(next_number or 0), text, status, author, now)
        session.add(statement)
        consultation.updated_at = now
        audit.record_many(
            session,
            [
                event(
                    actor if manager else PARTICIPANT,
                    "consultation.statement_added",
                    consultation,
                    now,
                    statement=statement.number,
                    statement_status=status,
                )
            ],
        )
        return statement.number, status


def moderate_statement(
    db: Database,
    actor: Actor,
    number: str,
    statement: int,
    decision: str,
    now: datetime | None = None,
    *,
    pending_only: bool = False,
) -> str:
    """Accepts or rejects a statement (a decision may be changed later); `pending_only` refuses
    one already moderated (InvalidTransition), as the workbench's buttons mean the statement
    they were shown with."""
    now = now or now_utc()
    if decision not in (policy.ACCEPTED, policy.REJECTED):
        raise ValidationFailed("a statement is accepted or rejected", field="decision")
    with db.write() as session:
        consultation = get_consultation(session, number, lock=True)
        if not may_manage(actor, consultation, None):
            raise Forbidden(
                "statements are moderated by the consultation's body or the administrators"
            )
        found = session.scalar(
            select(Statement).where(
                Statement.consultation_id == consultation.id, Statement.number == statement
            )
        )
        if found is None:
            raise ValidationFailed(f"no statement {statement} in {number}", field="statement")
        if pending_only and found.status != policy.PENDING:
            raise InvalidTransition(f"statement {statement} of {number} is {found.status} already")
        old = found.status
        found.status = decision
        consultation.updated_at = now
        audit.record_many(
            session,
            [
                event(
                    actor,
                    "consultation.statement_moderated",
                    consultation,
                    now,
                    statement=statement,
                    statement_status=decision,
                    was=old,
                )
            ],
        )
        return decision


def close_consultation(db: Database, actor: Actor, number: str, now: datetime | None = None) -> str:
    now = now or now_utc()
    with db.write() as session:
        consultation = get_consultation(session, number, lock=True)
        if not may_manage(actor, consultation, None):
            raise Forbidden("a consultation is closed by its body or the administrators")
        _expect_open(consultation)
        consultation.status = policy.CLOSED
        consultation.updated_at = now
        audit.record_many(session, [event(actor, "consultation.closed", consultation, now)])
        return consultation.status
