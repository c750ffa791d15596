"""Read models of appeals: the public (redacted) view, the full view, pages of summaries."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from arna.appeals.models import Appeal, Assignment
from arna.appeals.placement import body_ref
from arna.appeals.policy import OPEN
from arna.appeals.redact import redact
from arna.appeals.schemas import (
    AppealFull,
    AppealPage,
    AppealPublic,
    AppealSummary,
    ApplicantView,
    AssignmentPublic,
    EventPublic,
)
from arna.core.audit import AuditEvent
from arna.core.clock import to_local_date


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


def summary(appeal: Appeal, now: datetime) -> AppealSummary:
    return AppealSummary(**_common(appeal, now), excerpt=redact(appeal.text)[:200])


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
