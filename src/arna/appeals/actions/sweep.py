"""The sweep `arna worker` runs: escalate overdue appeals, remind bodies, link new appeals to
the problems they report (actions/problems.py), expire idempotency keys, deliver the outbox.

Idempotent for a given instant: an escalated appeal gets a new due date after `now`, a reminded
one is marked, so a second sweep at the same `now` changes nothing. Candidates are claimed with
FOR UPDATE SKIP LOCKED, so several workers on PostgreSQL share the work without doing it twice.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from arna.appeals.actions.effects import changing
from arna.appeals.actions.lifecycle import escalate
from arna.appeals.actions.outbox import deliver
from arna.appeals.actions.problems import link_problems
from arna.appeals.models import WORKER, Appeal, IdempotencyKey, WorkerSweep
from arna.appeals.policy import OPEN
from arna.core.clock import load_calendar, to_local_date
from arna.core.db import Database
from arna.core.settings import Settings

BATCH = 200
IDEMPOTENCY_TTL = timedelta(hours=24)


@dataclass
class SweepReport:
    escalated: int = 0
    stalled: int = 0
    reminded: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    waiting: int = 0
    expired_keys: int = 0
    linked: int = 0
    came_back: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def sweep(db: Database, settings: Settings, now: datetime) -> SweepReport:
    report = SweepReport()
    today = to_local_date(now)
    while True:
        with changing(db, settings) as effects:
            overdue = _claim(
                effects.session, Appeal.due_date < today, Appeal.stalled_at_top.is_(False)
            )
            for appeal in overdue:
                why = f"no answer by the due date {appeal.due_date.isoformat()}"
                if escalate(effects, appeal, now, kind="overdue", why=why):
                    report.escalated += 1
                else:
                    report.stalled += 1
        if len(overdue) < BATCH:
            break
    report.reminded = _remind(db, settings, now)
    linked = link_problems(db, settings, now)
    report.linked, report.came_back = linked.linked, linked.came_back
    report.expired_keys = _expire_idempotency_keys(db, now)
    delivered = deliver(db, settings, now)
    report.sent, report.retried = delivered.sent, delivered.retried
    report.failed, report.waiting = delivered.failed, delivered.waiting
    return report


def _claim(session: Session, *conditions: object) -> list[Appeal]:
    return list(
        session.scalars(
            select(Appeal)
            .where(Appeal.status.in_(OPEN), *conditions)  # type: ignore[arg-type]
            .order_by(Appeal.id)
            .limit(BATCH)
            .with_for_update(skip_locked=True)
        )
    )


def _remind(db: Database, settings: Settings, now: datetime) -> int:
    calendar = load_calendar(settings.calendar_file)
    today = to_local_date(now)
    horizon = calendar.add_working_days(today, settings.reminder_days)
    with changing(db, settings) as effects:
        due_soon = _claim(
            effects.session,
            Appeal.reminded_at.is_(None),
            Appeal.due_date >= today,
            Appeal.due_date <= horizon,
        )
        for appeal in due_soon:
            effects.tell_body(appeal, appeal.id, "reminder", now)
            appeal.reminded_at = now
    return len(due_soon)


def _expire_idempotency_keys(db: Database, now: datetime) -> int:
    with db.write() as session:
        expired = session.execute(
            delete(IdempotencyKey)
            .where(IdempotencyKey.created_at < now - IDEMPOTENCY_TTL)
            .returning(IdempotencyKey.key)
        )
        return len(expired.all())


def record_sweep(db: Database, finished_at: datetime) -> None:
    """Note that a worker finished a sweep (the worker lag on /metrics). One row that only
    moves forward, so concurrent workers need no lock; no audit event: it records the worker's
    pulse, not a change of anything the audit chain vouches for."""
    with db.write() as session:
        dialect = session.get_bind().dialect.name
        stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(WorkerSweep).values(
            name=WORKER, finished_at=finished_at
        )
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=["name"],
                set_={"finished_at": stmt.excluded.finished_at},
                where=WorkerSweep.finished_at < stmt.excluded.finished_at,
            )
        )
