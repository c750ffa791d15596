"""Retention: the personal data of an appeal whose course ended long ago is erased.

An appeal answered or closed (`policy.ENDED`) and left unchanged for ARNA_RETENTION_YEARS loses
what says who filed it: the applicant's name, e-mail, phone and IIN, the point they gave (their
door, often), the code that opened their full view, their name and contact details inside the
texts (the rest of the text stays, redacted as the public sees it), the e-mails of the outbox
about it and any reply kept for an idempotent retry. What statistics and oversight count stays:
kind, category, place (KATO), body, dates, outcome, the bodies that held it and which of them
failed, escalation depth, feedback, supporters.

Each erasure is an audit event (`appeal.personal_data_erased`) carrying the digests of the
erased text and applicant, so the state check (`integrity.check_appeals`) compares the row with
them from then on; the chain itself never held the data, only hashes, and keeps verifying.

Idempotent: an erased appeal has no name left and is not claimed again. Batches are claimed
with FOR UPDATE SKIP LOCKED, so several workers on PostgreSQL share them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, select

from arna.appeals.actions.effects import Effects, applicant_digest, audit_state, changing
from arna.appeals.models import Appeal, IdempotencyKey, OutboxMessage
from arna.appeals.policy import ENDED, PERSONAL_DATA_ERASED
from arna.core.actors import system
from arna.core.db import Database
from arna.core.settings import Settings
from arna.text.redact import redact

BATCH = 200
RETENTION = system("retention")
NAME = "[name]"  # where the applicant's name stood in a text
ERASED_NAME = ""  # intake never stores an empty name: "" marks an erased appeal


@dataclass
class RetentionReport:
    erased: int = 0  # appeals whose personal data was erased
    erased_messages: int = 0  # e-mails of the outbox about them, deleted

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def cutoff(settings: Settings, now: datetime) -> datetime:
    """The instant ARNA_RETENTION_YEARS before `now` (29 February gives the 28th)."""
    year = now.year - settings.retention_years
    try:
        return now.replace(year=year)
    except ValueError:
        return now.replace(year=year, day=28)


def _due(before: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        Appeal.status.in_(ENDED),
        Appeal.updated_at < before,
        Appeal.applicant_name != ERASED_NAME,
    )


def count_due(db: Database, settings: Settings, now: datetime) -> int:
    """How many appeals an erasure at `now` would erase (what --dry-run reports)."""
    with db.read() as session:
        found = select(func.count(Appeal.id)).where(*_due(cutoff(settings, now)))
        return session.scalar(found) or 0


def scrub(text: str, known: Iterable[str | None]) -> str:
    """`text` without the applicant's name (whole and each of its words of three letters or
    more), their e-mail, phone and IIN as given, and any e-mail, phone or IIN in any spelling."""
    words: set[str] = set()
    for value in known:
        if value and value.strip():
            words.add(value.strip())
            words.update(w for w in re.split(r"\W+", value) if len(w) >= 3)
    for word in sorted(words, key=len, reverse=True):
        text = re.sub(re.escape(word), NAME, text, flags=re.IGNORECASE)
    return redact(text)


def erase_personal_data(
    db: Database,
    settings: Settings,
    now: datetime,
    *,
    progress: Callable[[int], None] | None = None,
) -> RetentionReport:
    """Erase the personal data of every appeal due, a batch per transaction; `progress` is told
    how many each batch erased."""
    report = RetentionReport()
    before = cutoff(settings, now)
    while True:
        with changing(db, settings) as effects:
            session = effects.session
            claimed = list(
                session.scalars(
                    select(Appeal)
                    .where(*_due(before))
                    .order_by(Appeal.id)
                    .limit(BATCH)
                    .with_for_update(skip_locked=True)
                )
            )
            for appeal in claimed:
                _erase(effects, appeal, before, now)
            ids = [appeal.id for appeal in claimed]
            if ids:
                sent = session.execute(
                    delete(OutboxMessage)
                    .where(OutboxMessage.appeal_id.in_(ids))
                    .returning(OutboxMessage.id)
                )
                report.erased_messages += len(sent.all())
                session.execute(delete(IdempotencyKey).where(IdempotencyKey.appeal_id.in_(ids)))
        report.erased += len(claimed)
        if progress is not None and claimed:
            progress(len(claimed))
        if len(claimed) < BATCH:
            return report


def _erase(effects: Effects, appeal: Appeal, before: datetime, now: datetime) -> None:
    known = (
        appeal.applicant_name,
        appeal.applicant_email,
        appeal.applicant_phone,
        appeal.applicant_iin,
    )
    appeal.text = scrub(appeal.text, known)
    if appeal.answer_text:
        appeal.answer_text = scrub(appeal.answer_text, known)
    appeal.applicant_name = ERASED_NAME
    appeal.applicant_email = appeal.applicant_phone = appeal.applicant_iin = None
    appeal.lat = appeal.lon = None
    appeal.access_code_hash = ""  # no code opens the applicant's view any more
    effects.event(
        appeal,
        RETENTION,
        PERSONAL_DATA_ERASED,
        old=audit_state(appeal),
        reason=f"unchanged since before {before.date().isoformat()}",
        now=now,
        text_sha256=hashlib.sha256(appeal.text.encode()).hexdigest(),
        applicant_digest=applicant_digest(effects.settings, appeal),
    )
