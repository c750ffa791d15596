""" "Me too": a citizen who has the same problem as a public appeal joins it instead of filing a
copy. Each person counts once per appeal, known only by a keyed digest of their IIN (the
database cannot tell who supported what, nor can anyone who tries every IIN without the key).

Only an open public appeal can be joined: once it is answered, a problem that persists is a new
appeal (and counts as having come back, actions/problems.py). The applicant does not count as
their own supporter. Every support is an audit event with the new count and nothing personal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from arna.appeals.actions.effects import audit_state, changing
from arna.appeals.models import Supporter
from arna.appeals.policy import OPEN
from arna.appeals.queries import lock_public_appeal, supporter_known
from arna.core import sealing
from arna.core.actors import Actor
from arna.core.clock import now_utc
from arna.core.db import Database
from arna.core.errors import Conflict
from arna.core.settings import Settings

SUPPORTER = Actor("anonymous", name="supporter")


@dataclass(frozen=True)
class Support:
    number: str
    supporters: int
    counted: bool  # False: this person was counted before


def person_key(settings: Settings, iin: str) -> str:
    return sealing.keyed_digest(settings, f"appeal-supporter:{iin}")


def support_appeal(
    db: Database, settings: Settings, number: str, *, iin: str, now: datetime | None = None
) -> Support:
    """Count the person with this (valid, compact) IIN as having the appeal's problem too."""
    now = now or now_utc()
    person = person_key(settings, iin)
    with changing(db, settings) as effects:
        session = effects.session
        appeal = lock_public_appeal(session, number)
        if appeal.status not in OPEN:
            raise Conflict(
                "this appeal is answered and no longer gathers supporters: if the problem "
                f"persists, file a new appeal and mention {number}",
                status=appeal.status,
            )
        if appeal.applicant_iin == iin:
            raise Conflict("you filed this appeal: it already counts your problem")
        if supporter_known(session, appeal.id, person):
            return Support(number, appeal.supporters, counted=False)
        session.add(Supporter(appeal_id=appeal.id, person=person, created_at=now))
        appeal.supporters += 1
        effects.event(
            appeal,
            SUPPORTER,
            "appeal.supported",
            old=audit_state(appeal),
            reason=None,
            now=now,
            supporters=appeal.supporters,
        )
        return Support(number, appeal.supporters, counted=True)
