"""The supervisor's figures: how many appeals the bodies under them hold, how many are overdue
or have climbed, how many they answered this month and how many on time, for the whole scope,
per body and per month. Counted by SQL aggregates (a queries room, like `workbench`); the
on-time share is the one of the oversight figures (docs/methodology.md), so the overview and
the public body pages agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select, true
from sqlalchemy.orm import Session

from arna.appeals.models import Appeal, Assignment
from arna.appeals.policy import ANSWERED_RESULTS, OPEN
from arna.appeals.workbench import Scope, in_scope
from arna.core.clock import KZ_TZ


def held_in(scope: Scope) -> ColumnElement[bool]:
    return true() if scope is None else Assignment.body_id.in_(sorted(scope))


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _local_day(session: Session, column: Any) -> ColumnElement[Any]:
    """The day in Kazakhstan of a stored UTC instant, computed by the database."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(KZ_TZ.key, column))
    return func.date(column, "+5 hours")  # SQLite: Asia/Almaty is UTC+5 since 2024-03-01


def _local_month(session: Session, column: Any) -> ColumnElement[Any]:
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone(KZ_TZ.key, column), "YYYY-MM")
    return func.strftime("%Y-%m", column, "+5 hours")


def _holds(session: Session, today: date) -> tuple[ColumnElement[int], ...]:
    """Answered on time, and the holds that count for the on-time share: the definition of
    the oversight figures (docs/methodology.md), so the two pages agree."""
    a = Assignment
    answered = a.result.in_(ANSWERED_RESULTS)
    return (
        _count_if(and_(answered, _local_day(session, a.ended_at) <= a.due_date)),
        _count_if(
            or_(answered, a.result == "overdue", and_(a.ended_at.is_(None), a.due_date < today))
        ),
    )


@dataclass(frozen=True)
class Figures:
    """What a supervisor reads first: the state of the appeals under their body."""

    open: int = 0
    overdue: int = 0
    escalated: int = 0  # open, after climbing at least one level
    answered_this_month: int = 0
    on_time: int = 0
    due: int = 0  # holds whose answer is given or whose due date has passed

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.due if self.due else None


def _appeal_counts(today: date) -> tuple[ColumnElement[int], ...]:
    is_open = Appeal.status.in_(OPEN)
    return (
        _count_if(is_open),
        _count_if(and_(is_open, Appeal.due_date < today)),
        _count_if(and_(is_open, Appeal.escalation_depth > 0)),
    )


def figures(session: Session, scope: Scope, today: date) -> Figures:
    """The counts at the top of the overview, over every appeal in scope."""
    counts = session.execute(select(*_appeal_counts(today)).where(in_scope(scope))).one()
    since = datetime.combine(today.replace(day=1), time(0), tzinfo=KZ_TZ)
    a = Assignment
    held = held_in(scope)
    holds = session.execute(
        select(
            _count_if(and_(a.result.in_(ANSWERED_RESULTS), a.ended_at >= since)),
            *_holds(session, today),
        ).where(held)
    ).one()
    return Figures(*(int(v or 0) for v in (*counts, *holds)))


def by_body(session: Session, scope: Scope, today: date) -> dict[str, Figures]:
    """The same figures for each body in scope that holds or held an appeal."""
    out: dict[str, dict[str, int]] = {}
    per_appeal = session.execute(
        select(Appeal.body_id, *_appeal_counts(today))
        .where(in_scope(scope))
        .group_by(Appeal.body_id)
    )
    for row in per_appeal:
        out[row[0]] = {"open": row[1], "overdue": row[2], "escalated": row[3]}
    a = Assignment
    per_hold = session.execute(
        select(a.body_id, *_holds(session, today)).where(held_in(scope)).group_by(a.body_id)
    )
    for row in per_hold:
        out.setdefault(row[0], {}).update(on_time=row[1], due=row[2])
    return {
        body: Figures(**{k: int(v or 0) for k, v in counts.items()}) for body, counts in out.items()
    }


def _month_of_day(session: Session, column: Any) -> ColumnElement[Any]:
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


@dataclass(frozen=True)
class Month:
    received: int = 0  # holds that began in the month (routed, forwarded, escalated here)
    on_time: int = 0  # of the holds due in the month, answered by their due date
    due: int = 0  # holds due in the month, answered or past it

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.due if self.due else None


def months(session: Session, scope: Scope, first: date, today: date) -> dict[str, Month]:
    """Per month since `first` ("2026-11"): appeals the bodies in scope received, and the
    on-time share of the answers due that month (the supervisor's chart)."""
    a = Assignment
    held = held_in(scope)
    since = datetime.combine(first, time(0), tzinfo=KZ_TZ)
    started = _local_month(session, a.started_at)
    received = session.execute(
        select(started, func.count(a.id)).where(held, a.started_at >= since).group_by(started)
    )
    out = {str(row[0]): Month(received=int(row[1])) for row in received}
    due_month = _month_of_day(session, a.due_date)
    answered = session.execute(
        select(due_month, *_holds(session, today))
        .where(held, a.due_date >= first, a.due_date <= today)
        .group_by(due_month)
    )
    for row in answered:
        before = out.get(str(row[0]), Month())
        out[str(row[0])] = Month(before.received, int(row[1] or 0), int(row[2] or 0))
    return out
