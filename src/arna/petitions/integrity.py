"""Every stored petition against its audit events and its signatures: the state after its last
event (status, count, threshold, body, due date, depth), and the count of its valid signature
rows. A signature deleted, slipped in or validated again beside the actions shows here.
Mismatches name the petition and the field, never a person."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arna.core.audit import AuditEvent, Mismatch
from arna.core.settings import Settings
from arna.petitions.models import Petition, Signature
from arna.petitions.state import audit_state


def _recorded(session: Session) -> dict[str, dict[str, Any]]:
    last: dict[str, dict[str, Any]] = {}
    events = session.execute(
        select(AuditEvent.entity_id, AuditEvent.new)
        .where(AuditEvent.entity_type == "petition")
        .order_by(AuditEvent.id)
    )
    for number, new in events:
        last[number] = json.loads(new) if new else {}
    return last


def check_petitions(session: Session, settings: Settings) -> list[Mismatch]:
    log = _recorded(session)
    counts = dict(
        session.execute(
            select(Signature.petition_id, func.count())
            .where(Signature.valid)
            .group_by(Signature.petition_id)
        ).all()
    )
    found: list[Mismatch] = []
    seen: set[str] = set()
    for petition in session.scalars(select(Petition).order_by(Petition.id)):
        seen.add(petition.number)
        recorded = log.get(petition.number)
        if recorded is None:
            found.append(Mismatch("petition", petition.number, "stored, but never in the log"))
            continue
        for name, value in audit_state(petition).items():
            if recorded.get(name) != value:
                found.append(Mismatch("petition", petition.number, f"{name} differs from the log"))
        if counts.get(petition.id, 0) != petition.signatures:
            found.append(
                Mismatch("petition", petition.number, "signatures differ from the signature rows")
            )
    for number in sorted(set(log) - seen):
        found.append(Mismatch("petition", number, "in the log, but deleted from the petitions"))
    return found
