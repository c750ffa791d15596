"""The one write path of appeals. Each function owns its transaction, locks the appeal, writes
the audit event with old and new state, and queues notifications in the outbox (sent after
commit by the worker)."""

from __future__ import annotations

import calendar as month_calendar
import hashlib
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from arna.appeals import notify
from arna.appeals.access import lock_appeal_for_action, lock_appeal_for_applicant
from arna.appeals.models import Appeal, Assignment
from arna.appeals.policy import (
    ALLOWED_FROM,
    FORWARD_WORKING_DAYS,
    MAX_EXTENSION_MONTHS,
    TERM_WORKING_DAYS,
    allowed_actions,
)
from arna.bodies.reference import bodies
from arna.core import audit
from arna.core.auth import APPLICANT, Actor, User
from arna.core.clock import WorkingCalendar, load_calendar, now_utc, to_local_date
from arna.core.db import Database
from arna.core.errors import InvalidTransition, NotFound, ValidationFailed
from arna.core.settings import Settings


class AppealFacts(Protocol):
    """What the audit log and notifications read of an appeal: a stored `Appeal`, or the facts
    of one being inserted in a batch (building ORM objects for that cost a third of the write)."""

    @property
    def number(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def body_id(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def due_date(self) -> date: ...
    @property
    def escalation_depth(self) -> int: ...
    @property
    def outcome(self) -> str | None: ...


def audit_state(appeal: AppealFacts) -> dict[str, object]:
    """What the audit log records of an appeal: no personal data, so history can be public."""
    return {
        "status": appeal.status,
        "body_id": appeal.body_id,
        "due_date": appeal.due_date.isoformat(),
        "escalation_depth": appeal.escalation_depth,
        "outcome": appeal.outcome,
    }


def _record(
    session: Session,
    appeal: Appeal,
    actor: Actor,
    action: str,
    old: object,
    reason: str | None,
    now: datetime,
    **extra: object,
) -> None:
    audit.record(
        session,
        actor=actor.label,
        action=action,
        entity_type="appeal",
        entity_id=appeal.number,
        old=old,
        new={**audit_state(appeal), **extra},
        reason=reason,
        at=now,
    )


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


def _notify_applicant(
    session: Session, appeal: Appeal, event: str, settings: Settings, now: datetime, **extra: str
) -> None:
    if appeal.applicant_email:
        notify.queue(
            session,
            event=event,
            recipient=appeal.applicant_email,
            language=appeal.language,
            fields=notification_fields(appeal, settings, **extra),
            appeal_id=appeal.id,
            now=now,
        )


def officials_of(session: Session, body_ids: set[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    rows = session.execute(
        select(User.body_id, User.email).where(User.body_id.in_(body_ids), User.role == "official")
    )
    for body_id, email in rows:
        if body_id:
            found.setdefault(body_id, []).append(email)
    return found


def _notify_body(
    session: Session, appeal: Appeal, event: str, settings: Settings, now: datetime
) -> None:
    for email in officials_of(session, {appeal.body_id}).get(appeal.body_id, []):
        notify.queue(
            session,
            event=event,
            recipient=email,
            language=settings.locale,
            fields=notification_fields(appeal, settings),
            appeal_id=appeal.id,
            now=now,
        )


def _guard(appeal: Appeal, action: str) -> None:
    if appeal.status not in ALLOWED_FROM[action]:
        allowed = allowed_actions(appeal.status)
        raise InvalidTransition(
            f"cannot {action} an appeal that is {appeal.status}; allowed now: "
            f"{', '.join(allowed) or 'nothing'}",
            status=appeal.status,
            allowed=allowed,
        )


def _current_assignment(session: Session, appeal: Appeal) -> Assignment:
    """The latest period a body held the appeal (ended already when it was answered)."""
    return session.scalars(
        select(Assignment)
        .where(Assignment.appeal_id == appeal.id)
        .order_by(Assignment.id.desc())
        .limit(1)
    ).one()


def _reassign(
    session: Session,
    appeal: Appeal,
    calendar: WorkingCalendar,
    *,
    to_body: str,
    reason: str,
    result: str,
    failed: bool,
    now: datetime,
) -> None:
    current = _current_assignment(session, appeal)
    current.ended_at = current.ended_at or now  # a disputed answer ended it already
    current.result, current.failed = result, failed
    appeal.body_id = to_body
    appeal.status = "registered"
    appeal.due_date = calendar.add_working_days(now, TERM_WORKING_DAYS)
    appeal.forward_due = calendar.add_working_days(now, FORWARD_WORKING_DAYS)
    appeal.extended = False
    appeal.reminded_at = None
    appeal.updated_at = now
    session.add(
        Assignment(
            appeal_id=appeal.id,
            body_id=to_body,
            reason=reason,
            started_at=now,
            due_date=appeal.due_date,
            failed=False,
        )
    )


def accept_appeal(db: Database, actor: Actor, number: str, *, now: datetime | None = None) -> None:
    """An official takes the appeal into work (registered -> in_progress)."""
    now = now or now_utc()
    with db.write() as session:
        appeal = lock_appeal_for_action(session, actor, number)
        _guard(appeal, "accept")
        old = audit_state(appeal)
        appeal.status, appeal.updated_at = "in_progress", now
        _record(session, appeal, actor, "appeal.accepted", old, None, now)


def forward_appeal(
    db: Database,
    settings: Settings,
    actor: Actor,
    number: str,
    *,
    body_id: str,
    reason: str,
    now: datetime | None = None,
) -> None:
    now = now or now_utc()
    with db.write() as session:
        appeal = lock_appeal_for_action(session, actor, number)
        _guard(appeal, "forward")
        _forward(session, settings, actor, appeal, body_id, reason, now)


def _forward(
    session: Session,
    settings: Settings,
    actor: Actor,
    appeal: Appeal,
    body_id: str,
    reason: str,
    now: datetime,
) -> None:
    if body_id not in bodies():
        raise ValidationFailed(f"no body with id {body_id!r}", field="body_id")
    if body_id == appeal.body_id:
        raise ValidationFailed("the appeal is with that body already", field="body_id")
    calendar = load_calendar(settings.calendar_file)
    old = audit_state(appeal)
    late = to_local_date(now) > appeal.forward_due  # APPC: forward within 3 working days
    _reassign(
        session,
        appeal,
        calendar,
        to_body=body_id,
        reason="forwarded",
        result="forwarded_late" if late else "forwarded",
        failed=late,
        now=now,
    )
    _record(session, appeal, actor, "appeal.forwarded", old, reason, now, late=late)
    _notify_applicant(session, appeal, "forwarded", settings, now, reason=reason)
    _notify_body(session, appeal, "assigned", settings, now)


def answer_appeal(
    db: Database,
    settings: Settings,
    actor: Actor,
    number: str,
    *,
    outcome: str,
    text: str,
    body_id: str | None = None,
    duplicate_of: str | None = None,
    now: datetime | None = None,
) -> None:
    now = now or now_utc()
    with db.write() as session:
        appeal = lock_appeal_for_action(session, actor, number)
        _guard(appeal, "answer")
        if outcome == "not_competent":
            if not body_id:
                raise ValidationFailed(
                    "not_competent needs body_id: the competent body", field="body_id"
                )
            _forward(session, settings, actor, appeal, body_id, text, now)
            return
        old = audit_state(appeal)
        if outcome == "duplicate":
            original = session.scalar(select(Appeal.id).where(Appeal.number == duplicate_of))
            if not duplicate_of or original is None or duplicate_of == appeal.number:
                raise ValidationFailed(
                    "duplicate needs duplicate_of: the number of the original", field="duplicate_of"
                )
            appeal.duplicate_of = duplicate_of
        appeal.status = "closed" if outcome == "duplicate" else "answered"
        appeal.outcome, appeal.answer_text, appeal.answered_at = outcome, text, now
        appeal.updated_at = now
        current = _current_assignment(session, appeal)
        current.ended_at, current.result = now, outcome
        current.failed = to_local_date(now) > appeal.due_date  # answered, but late
        _record(
            session,
            appeal,
            actor,
            "appeal.answered",
            old,
            None,
            now,
            answer_sha256=hashlib.sha256(text.encode()).hexdigest(),
            duplicate_of=duplicate_of,
        )
        _notify_applicant(session, appeal, "answered", settings, now)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def extend_appeal(
    db: Database,
    settings: Settings,
    actor: Actor,
    number: str,
    *,
    until: date,
    reason: str,
    now: datetime | None = None,
) -> None:
    now = now or now_utc()
    with db.write() as session:
        appeal = lock_appeal_for_action(session, actor, number)
        _guard(appeal, "extend")
        if appeal.extended:
            raise InvalidTransition(
                "the term of this appeal was extended once already",
                status=appeal.status,
                allowed=["answer", "forward"],
            )
        limit = add_months(to_local_date(appeal.registered_at), MAX_EXTENSION_MONTHS)
        if until <= appeal.due_date:
            raise ValidationFailed(
                f"until must be after the current due date {appeal.due_date.isoformat()}",
                field="until",
            )
        if until > limit:
            raise ValidationFailed(
                f"an extension ends at most 2 months after registration: {limit.isoformat()}",
                field="until",
            )
        old = audit_state(appeal)
        appeal.due_date, appeal.extended, appeal.updated_at = until, True, now
        _current_assignment(session, appeal).due_date = until
        _record(session, appeal, actor, "appeal.extended", old, reason, now)
        _notify_applicant(session, appeal, "extended", settings, now, reason=reason)


def give_feedback(
    db: Database,
    settings: Settings,
    number: str,
    access_code: str | None,
    *,
    resolved: bool,
    rating: int,
    now: datetime | None = None,
) -> None:
    """The applicant says whether the answer solved the problem; "no" escalates it."""
    now = now or now_utc()
    with db.write() as session:
        appeal = lock_appeal_for_applicant(session, number, access_code)
        _guard(appeal, "feedback")
        old = audit_state(appeal)
        appeal.feedback_resolved, appeal.feedback_rating = resolved, rating
        appeal.updated_at = now
        if resolved:
            appeal.status = "closed"
            _record(session, appeal, APPLICANT, "appeal.closed", old, None, now, rating=rating)
            return
        _record(session, appeal, APPLICANT, "appeal.disputed", old, None, now, rating=rating)
        escalate(
            session,
            settings,
            appeal,
            now,
            kind="disputed",
            why="the applicant says the answer did not solve the problem",
        )


def escalate(
    session: Session, settings: Settings, appeal: Appeal, now: datetime, *, kind: str, why: str
) -> bool:
    """Move the appeal to the parent of its body (the body stays on record as having failed).

    Returns False when the body has no parent: the appeal is then marked stalled at the top.
    """
    parent = bodies()[appeal.body_id].parent_id
    old = audit_state(appeal)
    if parent is None:
        if not appeal.stalled_at_top:
            appeal.stalled_at_top, appeal.updated_at = True, now
            _record(
                session,
                appeal,
                Actor("system", name="system:escalation"),
                "appeal.stalled",
                old,
                f"{why}; no body above {appeal.body_id}",
                now,
            )
        return False
    calendar = load_calendar(settings.calendar_file)
    _reassign(
        session,
        appeal,
        calendar,
        to_body=parent,
        reason="disputed" if kind == "disputed" else "escalated",
        result=kind,
        failed=True,
        now=now,
    )
    appeal.outcome = None
    appeal.escalation_depth += 1
    _record(
        session,
        appeal,
        Actor("system", name="system:escalation"),
        "appeal.escalated",
        old,
        why,
        now,
        cause=kind,
    )
    _notify_applicant(session, appeal, "escalated", settings, now, reason=why)
    _notify_body(session, appeal, "assigned", settings, now)
    return True


def require_appeal(session: Session, number: str) -> Appeal:
    appeal = session.scalar(select(Appeal).where(Appeal.number == number))
    if appeal is None:
        raise NotFound(f"no appeal {number}", number=number)
    return appeal
