"""The audit event every change of a petition leaves: its state before and after, no person."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from arna.core import audit
from arna.core.actors import Actor
from arna.petitions.models import Petition
from arna.petitions.state import audit_state


def entry(
    actor: Actor,
    action: str,
    petition: Petition,
    old: dict[str, object] | None,
    now: datetime,
    reason: str | None = None,
    **extra: Any,
) -> audit.Entry:
    """The event of `action` on `petition`: its state before (`old`) and now, with `extra`."""
    return audit.Entry(
        actor=actor.label,
        action=action,
        entity_type="petition",
        entity_id=petition.number,
        old=old,
        new={**audit_state(petition), **extra},
        reason=reason,
        at=now,
    )


def record(session: Session, event: audit.Entry) -> None:
    """Append one petition's event (made by `entry`) inside the action's transaction."""
    audit.record_many(session, [event])
