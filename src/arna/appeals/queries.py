"""Reads of appeals: the access-checked getters, the public (redacted) and full views, pages of
summaries with their filters. The workbench's lists and the supervisor's figures are read in
`workbench` and `workload`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select, true
from sqlalchemy.orm import Session

from arna.appeals.access import (
    View,
    can_act,
    code_matches,
    not_found,
    readable_bodies,
    reads_whole,
)
from arna.appeals.models import Appeal, Assignment, OutboxMessage, Supporter
from arna.appeals.placement import body_ref
from arna.appeals.policy import OPEN
from arna.appeals.schemas import (
    AppealFull,
    AppealPage,
    AppealPublic,
    AppealSummary,
    ApplicantView,
    AssignmentPublic,
    EventPublic,
)
from arna.appeals.situation import Facts
from arna.appeals.workbench import current_holds
from arna.bodies.models import Body
from arna.bodies.reference import bodies as body_table
from arna.core.actors import Actor
from arna.core.audit import AuditEvent
from arna.core.clock import to_local_date
from arna.core.collation import sort_key
from arna.core.errors import NotFound
from arna.text.redact import redact

# --- access-checked getters -------------------------------------------------------------------


def get_appeal_for(
    session: Session, actor: Actor, number: str, access_code: str | None = None
) -> tuple[Appeal, View]:
    """The appeal and how much of it this actor sees (`access.readable_bodies`, the rule
    `list_appeals` follows too)."""
    appeal = session.scalar(select(Appeal).where(Appeal.number == number))
    if appeal is None:
        raise not_found(number)
    if code_matches(appeal, access_code) or reads_whole(actor, [appeal.body_id]):
        return appeal, "full"
    if readable_bodies(actor) and reads_whole(actor, _holders(session, appeal)):
        return appeal, "full"
    if appeal.public:
        return appeal, "public"
    raise not_found(number)


def _holders(session: Session, appeal: Appeal) -> list[str]:
    return list(
        session.scalars(select(Assignment.body_id).where(Assignment.appeal_id == appeal.id))
    )


def lock_appeal_for_action(session: Session, actor: Actor, number: str) -> Appeal:
    """The appeal, row-locked, if this actor may act on it (officials of its body and above)."""
    appeal = session.scalar(select(Appeal).where(Appeal.number == number).with_for_update())
    if appeal is None or not can_act(actor, appeal):
        raise not_found(number)
    return appeal


def lock_appeal_for_applicant(session: Session, number: str, access_code: str | None) -> Appeal:
    appeal = session.scalar(select(Appeal).where(Appeal.number == number).with_for_update())
    if appeal is None or not code_matches(appeal, access_code):
        raise not_found(number)
    return appeal


def lock_public_appeal(session: Session, number: str) -> Appeal:
    """A public appeal, row-locked: what anybody may join ("me too")."""
    found = select(Appeal).where(Appeal.number == number, Appeal.public).with_for_update()
    if (appeal := session.scalar(found)) is None:
        raise not_found(number)
    return appeal


def supporter_known(session: Session, appeal_id: int, person: str) -> bool:
    known = select(Supporter.id).where(Supporter.appeal_id == appeal_id, Supporter.person == person)
    return session.scalar(known) is not None


def require_appeal(session: Session, number: str) -> Appeal:
    """The appeal whoever asks: only for answering an actor with what they have just done."""
    appeal = session.scalar(select(Appeal).where(Appeal.number == number))
    if appeal is None:
        raise NotFound(f"no appeal {number}", number=number)
    return appeal


def current_assignment(session: Session, appeal: Appeal) -> Assignment:
    """The latest period a body held the appeal (ended already when it was answered)."""
    return session.scalars(
        select(Assignment)
        .where(Assignment.appeal_id == appeal.id)
        .order_by(Assignment.id.desc())
        .limit(1)
    ).one()


def previous_assignment(session: Session, held: Assignment) -> Assignment:
    """The period before `held` during which a body held the same appeal."""
    return session.scalars(
        select(Assignment)
        .where(Assignment.appeal_id == held.appeal_id, Assignment.id < held.id)
        .order_by(Assignment.id.desc())
        .limit(1)
    ).one()


# --- views ------------------------------------------------------------------------------------


def events_of(session: Session, number: str) -> list[EventPublic]:
    rows = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity_type == "appeal", AuditEvent.entity_id == number)
        .order_by(AuditEvent.id)
    )
    return [
        EventPublic(
            id=e.id,
            type=e.action,
            at=e.at,
            actor=e.actor,
            old=json.loads(e.old) if e.old else None,
            new=json.loads(e.new) if e.new else None,
            reason=e.reason,
            hash=e.hash,
            prev_hash=e.prev_hash,
        )
        for e in rows
    ]


def _assignments(session: Session, appeal: Appeal) -> list[AssignmentPublic]:
    rows = session.scalars(
        select(Assignment).where(Assignment.appeal_id == appeal.id).order_by(Assignment.id)
    )
    return [
        AssignmentPublic(
            body=body_ref(a.body_id, appeal.language),
            reason=a.reason,
            started_at=a.started_at,
            due_date=a.due_date,
            ended_at=a.ended_at,
            result=a.result,
            failed=a.failed,
        )
        for a in rows
    ]


def is_overdue(appeal: Appeal, now: datetime) -> bool:
    return appeal.status in OPEN and to_local_date(now) > appeal.due_date


def _common(appeal: Appeal, now: datetime) -> dict[str, Any]:
    """What every view of an appeal shows, public summary included."""
    return {
        "number": appeal.number,
        "status": appeal.status,
        "kind": appeal.kind,
        "category": appeal.category_id,
        "kato": appeal.kato,
        "region_kato": appeal.region_kato,
        "body": body_ref(appeal.body_id, appeal.language),
        "registered_at": appeal.registered_at,
        "due_date": appeal.due_date,
        "overdue": is_overdue(appeal, now),
        "escalation_depth": appeal.escalation_depth,
        "supporters": appeal.supporters,
    }


def public_view(session: Session, appeal: Appeal, now: datetime) -> AppealPublic:
    return AppealPublic(
        **_common(appeal, now),
        needs_triage=appeal.needs_triage,
        text=redact(appeal.text),
        language=appeal.language,
        sentiment=appeal.sentiment,
        public=appeal.public,
        outcome=appeal.outcome,
        answer_text=redact(appeal.answer_text) if appeal.answer_text else None,
        answered_at=appeal.answered_at,
        duplicate_of=appeal.duplicate_of,
        feedback_resolved=appeal.feedback_resolved,
        feedback_rating=appeal.feedback_rating,
        assignments=_assignments(session, appeal),
        events=events_of(session, appeal.number),
    )


def full_view(session: Session, appeal: Appeal, now: datetime) -> AppealFull:
    public = public_view(session, appeal, now).model_dump()
    public.update(text=appeal.text, answer_text=appeal.answer_text)
    return AppealFull(
        **public,
        applicant=ApplicantView.model_construct(
            name=appeal.applicant_name,
            email=appeal.applicant_email,
            phone=appeal.applicant_phone,
            iin=appeal.applicant_iin,
        ),
        lat=appeal.lat,
        lon=appeal.lon,
    )


def view_for(
    session: Session, actor: Actor, number: str, now: datetime, access_code: str | None = None
) -> AppealFull | AppealPublic:
    """The appeal as this actor may see it: full, or public and redacted."""
    appeal, view = get_appeal_for(session, actor, number, access_code)
    if view == "full":
        return full_view(session, appeal, now)
    return public_view(session, appeal, now)


def summary(appeal: Appeal, now: datetime) -> AppealSummary:
    return AppealSummary(
        **_common(appeal, now), excerpt=redact(appeal.text)[:200], language=appeal.language
    )


# --- lists ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What a list of appeals can be narrowed to; None is "any"."""

    region: str | None = None
    body: str | None = None
    category: str | None = None
    status: str | None = None
    overdue: bool | None = None
    escalated: bool | None = None


def list_appeals(
    session: Session, actor: Actor, filters: Filters, page: int, per_page: int, now: datetime
) -> AppealPage:
    """Every appeal this actor may open, by the rule of `get_appeal_for`: public appeals, and
    those a body the actor reads whole holds or ever held (an official's, a supervisor's and
    those under it); admins see all. So whatever is listed can be opened, and the other way
    round."""
    query = select(Appeal).where(_readable_by(actor, filters.body))
    if filters.region:
        query = query.where(Appeal.region_kato == filters.region)
    if filters.body:
        query = query.where(Appeal.body_id == filters.body)
    if filters.category:
        query = query.where(Appeal.category_id == filters.category)
    if filters.status == "open":
        query = query.where(Appeal.status.in_(OPEN))
    elif filters.status:
        query = query.where(Appeal.status == filters.status)
    today = to_local_date(now)
    if filters.overdue is True:
        query = query.where(Appeal.status.in_(OPEN), Appeal.due_date < today)
    elif filters.overdue is False:
        query = query.where(~(Appeal.status.in_(OPEN) & (Appeal.due_date < today)))
    if filters.escalated is True:
        query = query.where(Appeal.escalation_depth > 0)
    elif filters.escalated is False:
        query = query.where(Appeal.escalation_depth == 0)
    return page_of(session, query, page, per_page, now)


def _readable_by(actor: Actor, body: str | None = None) -> ColumnElement[bool]:
    """The reading rule; none for a `body` read whole (its OR kept the inbox's count slow)."""
    readable = readable_bodies(actor)
    if readable is None or body in readable:
        return true()
    if not readable:
        return Appeal.public.is_(True)
    held = (
        select(Assignment.id)
        .where(Assignment.appeal_id == Appeal.id, Assignment.body_id.in_(sorted(readable)))
        .exists()
    )
    return or_(Appeal.public.is_(True), Appeal.body_id.in_(sorted(readable)), held)


def page_of(
    session: Session, query: Select[Appeal], page: int, per_page: int, now: datetime
) -> AppealPage:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = session.scalars(
        query.order_by(Appeal.registered_at.desc(), Appeal.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return AppealPage(
        items=[summary(a, now) for a in rows], page=page, per_page=per_page, total=total or 0
    )


def overdue_public(session: Session, body_id: str, on: date, limit: int) -> list[Appeal]:
    """Public appeals that this body holds past their due date, the longest overdue first."""
    return list(
        session.scalars(
            select(Appeal)
            .where(
                Appeal.body_id == body_id,
                Appeal.public.is_(True),
                Appeal.status.in_(OPEN),
                Appeal.due_date < on,
            )
            .order_by(Appeal.due_date, Appeal.id)
            .limit(limit)
        )
    )


def bodies_holding_public(session: Session, lang: str, also: str = "") -> list[tuple[str, str]]:
    """(id, name in `lang`) of the bodies that hold a public appeal (and `also`), by name: one
    index probe per body, however many appeals there are."""
    holding = select(Appeal.id).where(Appeal.body_id == Body.id, Appeal.public.is_(True)).exists()
    name = getattr(Body, f"name_{lang}")
    found = session.execute(select(Body.id, name).where(or_(holding, Body.id == also))).all()
    return sorted(((b[0], b[1]) for b in found), key=lambda b: sort_key(b[1], lang))


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Appeal)) or 0


def waiting_above(session: Session) -> list[str]:
    """Numbers of escalated appeals that no body above has taken up yet, oldest first."""
    waiting = Appeal.escalation_depth > 0, Appeal.status == "registered"
    return list(session.scalars(select(Appeal.number).where(*waiting).order_by(Appeal.id)))


def problem_of(session: Session, appeal: Appeal) -> tuple[str, int] | None:
    """The shared problem an appeal reports: its first appeal's number and how many appeals
    report it (actions/problems.py links them); None before it is linked."""
    if appeal.problem_id is None:
        return None
    lead = session.scalar(select(Appeal.number).where(Appeal.id == appeal.problem_id))
    same = select(func.count(Appeal.id)).where(Appeal.problem_id == appeal.problem_id)
    return (lead, session.scalar(same) or 0) if lead else None


def pending_messages(session: Session) -> int:
    """E-mails of the outbox not sent yet."""
    pending = select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "pending")
    return session.scalar(pending) or 0


# --- the true state of appeals (appeals.situation) ---------------------------------------------


def situation_facts(session: Session, numbers: Sequence[str]) -> dict[str, Facts]:
    """What `situation.situation` reads of each appeal of a list (the current hold: since when,
    and how it came there), in two queries however long the list."""
    appeals = {a.id: a for a in session.scalars(select(Appeal).where(Appeal.number.in_(numbers)))}
    held = current_holds(session, list(appeals))
    return {
        a.number: Facts(
            status=a.status,
            body_id=a.body_id,
            due_date=a.due_date,
            escalation_depth=a.escalation_depth,
            held_since=held[i][0] if i in held else None,
            held_reason=held[i][1] if i in held else "routed",
            outcome=a.outcome,
            answered_at=a.answered_at,
            feedback_resolved=a.feedback_resolved,
            stalled=a.stalled_at_top,
        )
        for i, a in appeals.items()
    }


def body_above(body_id: str) -> str | None:
    """Where a dispute or a missed term sends an appeal that this body holds (the parent that
    `lifecycle.escalate` moves it to); None at the top of the hierarchy."""
    found = body_table().get(body_id)
    return found.parent_id if found else None
