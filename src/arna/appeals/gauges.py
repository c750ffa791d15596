"""What the appeals give an operator's /metrics: cheap counts read at each scrape (registered
with the web toolkit's gauges by arna/app.py). Reads only, as queries.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arna.appeals.models import WORKER, Appeal, WorkerSweep
from arna.appeals.policy import OPEN
from arna.appeals.queries import pending_messages
from arna.core.clock import to_local_date


def outbox_pending(session: Session, _now: datetime) -> float:
    return float(pending_messages(session))


def overdue_open(session: Session, now: datetime) -> float:
    overdue = select(func.count(Appeal.id)).where(
        Appeal.status.in_(OPEN), Appeal.due_date < to_local_date(now)
    )
    return float(session.scalar(overdue) or 0)


def worker_lag(session: Session, now: datetime) -> float | None:
    """None before the first sweep (the gauge is left out rather than made up)."""
    last = session.scalar(select(WorkerSweep.finished_at).where(WorkerSweep.name == WORKER))
    return None if last is None else max((now - last).total_seconds(), 0.0)


GAUGES = (
    ("arna_outbox_pending", "E-mails in the outbox not sent yet.", outbox_pending),
    ("arna_appeals_overdue_open", "Open appeals past their due date.", overdue_open),
    (
        "arna_worker_lag_seconds",
        "Seconds since an `arna worker` last finished a sweep.",
        worker_lag,
    ),
)
