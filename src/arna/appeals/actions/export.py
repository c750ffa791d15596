"""A subject-access export: everything Arna holds about one person, on their request.

The appeals hold most of it (`appeals.personal`); the other slices' sources are registered with
`core.persons` by the application. The export is an audit event, `person.exported`, naming the
person only by a keyed digest of the identifiers asked for: the log shows that somebody's data
left Arna, and when and by whom, without showing whose to a reader of the log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from arna.appeals.personal import person_appeals
from arna.appeals.schemas import PersonIn
from arna.core import audit, persons, sealing
from arna.core.actors import Actor
from arna.core.clock import now_utc
from arna.core.db import Database
from arna.core.settings import Settings

EXPORTED = "person.exported"


def subject_key(settings: Settings, person: persons.Person) -> str:
    """Who was exported, as the audit log names them: a keyed digest, never the identifier."""
    return sealing.keyed_digest(settings, "person:" + audit.canonical_json(person.given()))


def export_person(
    db: Database, settings: Settings, actor: Actor, wanted: PersonIn, now: datetime | None = None
) -> dict[str, Any]:
    """Everything Arna holds about the person, as JSON-ready values; audited."""
    now = now or now_utc()
    person = persons.Person(email=wanted.email, phone=wanted.phone, iin=wanted.iin)
    with db.write() as session:
        held = {
            "appeals": person_appeals(session, settings, person, now),
            **persons.gather(session, settings, person, now),
        }
        audit.record(
            session,
            actor=actor.label,
            action=EXPORTED,
            entity_type="person",
            entity_id=subject_key(settings, person),
            new={"by": sorted(person.given()), "sections": sorted(held)},
            at=now,
        )
    return {"person": person.given(), "exported_at": now.isoformat(), **held}
