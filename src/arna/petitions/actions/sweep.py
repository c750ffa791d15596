"""The clock of petitions, run by `arna worker` with the appeals' sweep: drafts whose co-signers
did not come lapse, windows that ended below the threshold close, and an answer not given by its
due date goes up to the body above, with a new term (as an overdue appeal does).

Idempotent for an instant: each change moves the petition out of what selected it. Candidates
are claimed with FOR UPDATE SKIP LOCKED, so several workers share the work.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from arna.bodies.reference import bodies
from arna.core.actors import system
from arna.core.clock import load_calendar, to_local_date
from arna.core.db import Database
from arna.core.settings import Settings
from arna.petitions import policy
from arna.petitions.actions.events import entry, record
from arna.petitions.actions.lifecycle import response_due_from
from arna.petitions.models import Petition
from arna.petitions.state import audit_state

CLOCK = system("petition-clock")
BATCH = 200


@dataclass
class PetitionSweep:
    lapsed: int = 0
    closed: int = 0
    escalated: int = 0

    def as_dict(self) -> dict[str, int]:
        return {f"petitions_{k}": v for k, v in asdict(self).items()}


def sweep_petitions(db: Database, settings: Settings, now: datetime) -> PetitionSweep:
    report = PetitionSweep()
    today = to_local_date(now)
    calendar = load_calendar(settings.calendar_file)
    with db.write() as session:
        for petition in _claim(
            session, Petition.status == policy.COSIGNING, Petition.cosign_due < today
        ):
            old = audit_state(petition)
            petition.status, petition.updated_at = policy.LAPSED, now
            why = f"fewer than the co-signers needed by {petition.cosign_due}"
            record(session, entry(CLOCK, "petition.lapsed", petition, old, now, why))
            report.lapsed += 1
        for petition in _claim(session, Petition.status == policy.OPEN, Petition.closes_on < today):
            old = audit_state(petition)
            petition.status, petition.updated_at = policy.CLOSED, now
            why = f"the collection ended on {petition.closes_on} below the threshold"
            record(session, entry(CLOCK, "petition.closed", petition, old, now, why))
            report.closed += 1
        for petition in _claim(
            session, Petition.status == policy.RESPONSE_DUE, Petition.response_due < today
        ):
            above = bodies().get(petition.body_id or "")
            if above is None or above.parent_id is None:
                continue  # no body above: it stays overdue, in public
            old = audit_state(petition)
            why = f"no answer by the due date {petition.response_due}"
            petition.body_id = above.parent_id
            petition.response_due = response_due_from(above.parent_id, now, calendar)
            petition.escalation_depth += 1
            petition.updated_at = now
            record(session, entry(CLOCK, "petition.escalated", petition, old, now, why))
            report.escalated += 1
    return report


def _claim(session: Session, *where: ColumnElement[bool]) -> list[Petition]:
    found = select(Petition).where(*where).order_by(Petition.id).limit(BATCH)
    return list(session.scalars(found.with_for_update(skip_locked=True)))
