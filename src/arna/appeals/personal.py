"""What the appeals hold about one person, for a subject-access export: their appeals as they
see them themselves (full view with history), the e-mails sent or waiting for them and the
appeals they said "me too" to. Reads only; `actions/export.py` records the export."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from arna.appeals.actions.support import person_key
from arna.appeals.models import Appeal, OutboxMessage, Supporter
from arna.appeals.queries import full_view
from arna.core.persons import Person
from arna.core.settings import Settings


def _filed_by(person: Person) -> list[ColumnElement[bool]]:
    found = []
    if person.email:
        found.append(Appeal.applicant_email == person.email)
    if person.phone:
        found.append(Appeal.applicant_phone == person.phone)
    if person.iin:
        found.append(Appeal.applicant_iin == person.iin)
    return found


def person_appeals(
    session: Session, settings: Settings, person: Person, now: datetime
) -> dict[str, Any]:
    filed_by = _filed_by(person)
    appeals = (
        list(session.scalars(select(Appeal).where(or_(*filed_by)).order_by(Appeal.id)))
        if filed_by
        else []
    )
    return {
        "appeals": [full_view(session, a, now).model_dump(mode="json") for a in appeals],
        "messages": _messages(session, person),
        "supported": _supported(session, settings, person),
    }


def _messages(session: Session, person: Person) -> list[dict[str, Any]]:
    if not person.email:
        return []
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == person.email)
        .order_by(OutboxMessage.id)
    )
    return [
        {
            "event": m.event,
            "appeal": session.scalar(select(Appeal.number).where(Appeal.id == m.appeal_id))
            if m.appeal_id
            else None,
            "created_at": m.created_at.isoformat(),
            "language": m.language,
            "subject": m.subject,
            "body": m.body,
            "status": m.status,
            "sent_at": m.sent_at.isoformat() if m.sent_at else None,
        }
        for m in rows
    ]


def _supported(session: Session, settings: Settings, person: Person) -> list[dict[str, Any]]:
    """Appeals this person said "me too" to: known only by a keyed digest of their IIN."""
    if not person.iin:
        return []
    rows = session.execute(
        select(Appeal.number, Supporter.created_at)
        .join(Appeal, Appeal.id == Supporter.appeal_id)
        .where(Supporter.person == person_key(settings, person.iin))
        .order_by(Supporter.id)
    )
    return [{"appeal": number, "at": at.isoformat()} for number, at in rows]
