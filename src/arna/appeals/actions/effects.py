"""What every change of appeals leaves besides the rows it changes: audit events with old and new
state, and e-mails in the outbox (sent by the worker after commit).

One definition of each effect, used by the single actions, the batch of submissions and the
worker's sweeps alike: they collect effects as they change appeals, and `changing()` writes them
all with the change, in the same transaction (one chained insert of events, one insert of
e-mails), or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from arna.accounts.queries import officials_of
from arna.appeals import notices
from arna.appeals.models import Appeal, OutboxMessage
from arna.bodies.reference import bodies
from arna.core import audit, sealing
from arna.core.actors import Actor
from arna.core.db import Database, bulk_insert, table_of
from arna.core.settings import Settings


@dataclass(frozen=True)
class NewAppeal:
    """The facts of an appeal a batch is inserting, as the audit log and notifications read them
    (building ORM objects for a batch cost a third of its write)."""

    number: str
    status: str
    body_id: str
    language: str
    due_date: date
    escalation_depth: int
    outcome: str | None = None

    @classmethod
    def of(cls, row: dict[str, Any]) -> NewAppeal:
        return cls(
            row["number"],
            row["status"],
            row["body_id"],
            row["language"],
            row["due_date"],
            row["escalation_depth"],
        )


# What the effects read of an appeal: a stored one, or one being inserted.
AppealFacts = Appeal | NewAppeal


def audit_state(appeal: AppealFacts) -> dict[str, object]:
    """What the audit log records of an appeal: no personal data, so history can be public."""
    return {
        "status": appeal.status,
        "body_id": appeal.body_id,
        "due_date": appeal.due_date.isoformat(),
        "escalation_depth": appeal.escalation_depth,
        "outcome": appeal.outcome,
    }


def applicant_digest(settings: Settings, appeal: Appeal | dict[str, Any]) -> str:
    """A keyed digest of who filed the appeal (name, e-mail, phone, IIN): the audit log can
    show whether they were changed without showing them, even to someone trying every IIN."""
    who = [
        appeal[name] if isinstance(appeal, dict) else getattr(appeal, name)
        for name in ("applicant_name", "applicant_email", "applicant_phone", "applicant_iin")
    ]
    return sealing.keyed_digest(settings, audit.canonical_json(who))


def notification_fields(appeal: AppealFacts, settings: Settings, **extra: str) -> dict[str, str]:
    body = bodies()[appeal.body_id]
    return {
        "number": appeal.number,
        "body_name": body.name(appeal.language),
        "due_date": appeal.due_date.isoformat(),
        "status": appeal.status,
        "outcome": appeal.outcome or "",
        "reason": "",
        "access_code": "",
        "url": f"{settings.public_url}/appeals/{appeal.number}",
        **extra,
    }


@dataclass(frozen=True)
class _Mail:
    event: str
    recipient: str | None  # None: every official of `body_id`
    body_id: str
    language: str
    fields: dict[str, str]
    appeal_id: int
    now: datetime


class Effects:
    """The effects of one transaction, in the order they happened."""

    def __init__(self, session: Session, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self._events: list[audit.Entry] = []
        self._mail: list[_Mail] = []

    def event(
        self,
        appeal: AppealFacts,
        actor: Actor,
        action: str,
        *,
        old: dict[str, object] | None,
        reason: str | None,
        now: datetime,
        **extra: object,
    ) -> None:
        """An audit event: the appeal's state now (read at once: the caller changes it next)."""
        self._events.append(
            audit.Entry(
                actor=actor.label,
                action=action,
                entity_type="appeal",
                entity_id=appeal.number,
                old=old,
                new={**audit_state(appeal), **extra},
                reason=reason,
                at=now,
            )
        )

    def tell_applicant(
        self,
        appeal: AppealFacts,
        email: str | None,
        appeal_id: int,
        event: str,
        now: datetime,
        **extra: str,
    ) -> None:
        """An e-mail to the applicant in the appeal's language, if they gave an address."""
        if email:
            fields = notification_fields(appeal, self.settings, **extra)
            self._mail.append(
                _Mail(event, email, appeal.body_id, appeal.language, fields, appeal_id, now)
            )

    def tell_body(self, appeal: AppealFacts, appeal_id: int, event: str, now: datetime) -> None:
        """An e-mail to every official of the body that holds the appeal now."""
        fields = notification_fields(appeal, self.settings)
        self._mail.append(
            _Mail(event, None, appeal.body_id, self.settings.locale, fields, appeal_id, now)
        )

    def write(self) -> None:
        """Append the events to the audit chain and the e-mails to the outbox."""
        audit.record_many(self.session, self._events)
        wanted = {m.body_id for m in self._mail if m.recipient is None}
        officials = officials_of(self.session, wanted) if wanted else {}
        rows: list[dict[str, Any]] = []
        for mail in self._mail:
            for recipient in (
                [mail.recipient] if mail.recipient else officials.get(mail.body_id, [])
            ):
                row, secrets = notices.message(
                    event=mail.event,
                    recipient=recipient,
                    language=mail.language,
                    fields=mail.fields,
                    appeal_id=mail.appeal_id,
                    now=mail.now,
                )
                row["sealed"] = (
                    sealing.seal(self.settings, json.dumps(secrets)) if secrets else None
                )
                rows.append(row)
        bulk_insert(self.session, table_of(OutboxMessage), rows)
        self._events, self._mail = [], []


@contextmanager
def changing(db: Database, settings: Settings) -> Iterator[Effects]:
    """One write transaction of appeals: what the block changes, and its effects, commit
    together or not at all."""
    with db.write() as session:
        effects = Effects(session, settings)
        yield effects
        effects.write()
