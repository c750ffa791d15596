"""What officials and applicants do to an appeal once it exists: accept, forward, answer, extend,
give feedback; and escalation up the hierarchy. Each action locks the appeal through an
access-checked getter, checks the transition, changes it and records its effects
(`effects.changing`), in one transaction."""

from __future__ import annotations

import calendar as month_calendar
import hashlib
from datetime import date, datetime

from sqlalchemy.orm import Session

from arna.appeals.actions.effects import Effects, audit_state, changing
from arna.appeals.actions.problems import join_problem
from arna.appeals.models import Appeal, Assignment
from arna.appeals.policy import (
    ALLOWED_FROM,
    FORWARD_WORKING_DAYS,
    MAX_EXTENSION_MONTHS,
    TERM_WORKING_DAYS,
    allowed_actions,
)
from arna.appeals.queries import (
    current_assignment,
    lock_appeal_for_action,
    lock_appeal_for_applicant,
    previous_assignment,
    require_appeal,
)
from arna.bodies.reference import bodies
from arna.core.actors import APPLICANT, Actor, system
from arna.core.clock import WorkingCalendar, load_calendar, now_utc, to_local_date
from arna.core.db import Database
from arna.core.errors import InvalidTransition, NotFound, ValidationFailed
from arna.core.settings import Settings
from arna.text.redact import redact

ESCALATION = system("escalation")


def _guard(appeal: Appeal, action: str) -> None:
    if appeal.status not in ALLOWED_FROM[action]:
        allowed = allowed_actions(appeal.status)
        raise InvalidTransition(
            f"cannot {action} an appeal that is {appeal.status}; allowed now: "
            f"{', '.join(allowed) or 'nothing'}",
            status=appeal.status,
            allowed=allowed,
        )


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
    current = current_assignment(session, appeal)
    current.ended_at = current.ended_at or now  # a disputed answer ended it already
    current.result, current.failed = result, failed
    if reason == "forwarded":  # forwarding is a response; missing the deadline is none
        responded(current, now, calendar)
        if current.reason == "forwarded":  # the body that sent it here sent it wrongly
            previous_assignment(session, current).misrouted = True
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


def responded(held: Assignment, now: datetime, calendar: WorkingCalendar) -> None:
    """The body's first response to the appeal it holds, and the working days it took."""
    if held.responded_at is None:
        held.responded_at = now
        held.response_days = calendar.working_days_between(held.started_at, now)


def accept_appeal(
    db: Database, settings: Settings, actor: Actor, number: str, *, now: datetime | None = None
) -> None:
    """An official takes the appeal into work (registered -> in_progress)."""
    now = now or now_utc()
    with changing(db, settings) as effects:
        appeal = lock_appeal_for_action(effects.session, actor, number)
        _guard(appeal, "accept")
        old = audit_state(appeal)
        appeal.status, appeal.updated_at = "in_progress", now
        calendar = load_calendar(effects.settings.calendar_file)
        responded(current_assignment(effects.session, appeal), now, calendar)
        effects.event(appeal, actor, "appeal.accepted", old=old, reason=None, now=now)


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
    reason = redact(reason)  # public in the history: no IIN, phone or e-mail goes in
    with changing(db, settings) as effects:
        appeal = lock_appeal_for_action(effects.session, actor, number)
        _guard(appeal, "forward")
        _forward(effects, actor, appeal, body_id, reason, now)


def _forward(
    effects: Effects, actor: Actor, appeal: Appeal, body_id: str, reason: str, now: datetime
) -> None:
    if body_id not in bodies():
        raise ValidationFailed(f"no body with id {body_id!r}", field="body_id")
    if body_id == appeal.body_id:
        raise ValidationFailed("the appeal is with that body already", field="body_id")
    calendar = load_calendar(effects.settings.calendar_file)
    old = audit_state(appeal)
    late = to_local_date(now) > appeal.forward_due  # APPC: forward within 3 working days
    _reassign(
        effects.session,
        appeal,
        calendar,
        to_body=body_id,
        reason="forwarded",
        result="forwarded_late" if late else "forwarded",
        failed=late,
        now=now,
    )
    effects.event(appeal, actor, "appeal.forwarded", old=old, reason=reason, now=now, late=late)
    effects.tell_applicant(
        appeal, appeal.applicant_email, appeal.id, "forwarded", now, reason=reason
    )
    effects.tell_body(appeal, appeal.id, "assigned", now)


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
    text = redact(text)  # public with the appeal (and the forwarding reason if not competent)
    with changing(db, settings) as effects:
        session = effects.session
        appeal = lock_appeal_for_action(session, actor, number)
        _guard(appeal, "answer")
        if outcome == "not_competent":
            if not body_id:
                raise ValidationFailed(
                    "not_competent needs body_id: the competent body", field="body_id"
                )
            _forward(effects, actor, appeal, body_id, text, now)
            return
        old = audit_state(appeal)
        if outcome == "duplicate":
            try:
                if not duplicate_of or duplicate_of == appeal.number:
                    raise NotFound("no original")
                original = require_appeal(session, duplicate_of)
            except NotFound:
                raise ValidationFailed(
                    "duplicate needs duplicate_of: the number of the original", field="duplicate_of"
                ) from None
            appeal.duplicate_of = duplicate_of
            join_problem(session, appeal, original.problem_id or original.id)
        appeal.status = "closed" if outcome == "duplicate" else "answered"
        appeal.outcome, appeal.answer_text, appeal.answered_at = outcome, text, now
        appeal.updated_at = now
        current = current_assignment(session, appeal)
        current.ended_at, current.result = now, outcome
        calendar = load_calendar(effects.settings.calendar_file)
        responded(current, now, calendar)
        current.answer_days = calendar.working_days_between(current.started_at, now)
        current.failed = to_local_date(now) > appeal.due_date  # answered, but late
        effects.event(
            appeal,
            actor,
            "appeal.answered",
            old=old,
            reason=None,
            now=now,
            answer_sha256=hashlib.sha256(text.encode()).hexdigest(),
            duplicate_of=duplicate_of,
            late=current.failed,
        )
        effects.tell_applicant(appeal, appeal.applicant_email, appeal.id, "answered", now)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def latest_extension(registered_at: datetime) -> date:
    """The last day an extension may reach: 2 months after registration (APPC art. 76)."""
    return add_months(to_local_date(registered_at), MAX_EXTENSION_MONTHS)


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
    reason = redact(reason)  # public in the history: no IIN, phone or e-mail goes in
    with changing(db, settings) as effects:
        appeal = lock_appeal_for_action(effects.session, actor, number)
        _guard(appeal, "extend")
        if appeal.extended:
            raise InvalidTransition(
                "the term of this appeal was extended once already",
                status=appeal.status,
                allowed=["answer", "forward"],
            )
        limit = latest_extension(appeal.registered_at)
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
        current = current_assignment(effects.session, appeal)
        current.due_date, current.extended = until, True
        effects.event(appeal, actor, "appeal.extended", old=old, reason=reason, now=now)
        effects.tell_applicant(
            appeal, appeal.applicant_email, appeal.id, "extended", now, reason=reason
        )


def give_feedback(
    db: Database,
    settings: Settings,
    number: str,
    access_code: str | None,
    *,
    resolved: bool,
    rating: int,
    reason: str | None = None,
    now: datetime | None = None,
) -> None:
    """The applicant says whether the answer solved the problem; "no" escalates it, with their
    reason (public in the history, so redacted like the appeal's text)."""
    now = now or now_utc()
    reason = (redact(reason.strip()) or None) if reason else None
    with changing(db, settings) as effects:
        appeal = lock_appeal_for_applicant(effects.session, number, access_code)
        _guard(appeal, "feedback")
        old = audit_state(appeal)
        appeal.feedback_resolved, appeal.feedback_rating = resolved, rating
        appeal.updated_at = now
        current_assignment(effects.session, appeal).solved = resolved
        if resolved:
            appeal.status = "closed"
            effects.event(
                appeal, APPLICANT, "appeal.closed", old=old, reason=None, now=now, rating=rating
            )
            return
        effects.event(
            appeal, APPLICANT, "appeal.disputed", old=old, reason=reason, now=now, rating=rating
        )
        escalate(
            effects,
            appeal,
            now,
            kind="disputed",
            why="the applicant says the answer did not solve the problem",
        )


def escalate(effects: Effects, appeal: Appeal, now: datetime, *, kind: str, why: str) -> bool:
    """Move the appeal to the parent of its body (the body stays on record as having failed).

    Returns False when the body has no parent: the appeal is then marked stalled at the top.
    """
    why = redact(why)
    parent = bodies()[appeal.body_id].parent_id
    old = audit_state(appeal)
    if parent is None:
        if not appeal.stalled_at_top:
            appeal.stalled_at_top, appeal.updated_at = True, now
            effects.event(
                appeal,
                ESCALATION,
                "appeal.stalled",
                old=old,
                reason=f"{why}; no body above {appeal.body_id}",
                now=now,
            )
        return False
    calendar = load_calendar(effects.settings.calendar_file)
    _reassign(
        effects.session,
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
    effects.event(appeal, ESCALATION, "appeal.escalated", old=old, reason=why, now=now, cause=kind)
    effects.tell_applicant(appeal, appeal.applicant_email, appeal.id, "escalated", now, reason=why)
    effects.tell_body(appeal, appeal.id, "assigned", now)
    return True
