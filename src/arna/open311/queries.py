"""Reads of GeoReport: the public appeals of the services as service requests, and their public
history as updates. Only public appeals of the offered services are seen, redacted as on every
public page: no applicant's name, contact, IIN or point."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from arna.appeals.models import Appeal
from arna.appeals.policy import OPEN
from arna.appeals.timeline import steps
from arna.bodies.competence import categories
from arna.bodies.reference import bodies
from arna.core.audit import AuditEvent
from arna.core.errors import NotFound
from arna.geo.reference import COUNTRY_KATO, units
from arna.open311.form import MAX_RECORDS
from arna.open311.formats import end_of, w3c
from arna.open311.schemas import RequestUpdate, ServiceRequest
from arna.open311.services import offered
from arna.text.redact import redact

# The extended statuses of the updates (FixMyStreet's), by event of the appeal's history.
STATUS_OF_EVENT = {
    "appeal.submitted": "OPEN",
    "appeal.accepted": "IN_PROGRESS",
    "appeal.extended": "IN_PROGRESS",
    "appeal.forwarded": "INTERNAL_REFERRAL",  # also an answer "not competent": sent on
    "appeal.escalated": "INTERNAL_REFERRAL",
    "appeal.stalled": "OPEN",
    "appeal.answered": "CLOSED",  # or by its outcome, below
    "appeal.disputed": "REOPEN",
    "appeal.closed": "CLOSED",
}
STATUS_OF_OUTCOME = {
    "resolved": "FIXED",
    "explained": "CLOSED",
    "refused": "NO_FURTHER_ACTION",
    "duplicate": "DUPLICATE",
}


@dataclass(frozen=True)
class Filters:
    """What `GET requests` narrows to; `ids` (when given) overrides the others."""

    ids: list[str]
    codes: set[str]
    start: datetime
    end: datetime
    statuses: set[str]


def requests(
    session: Session, place: str | None, filters: Filters, lang: str
) -> list[dict[str, Any]]:
    """The newest requests that match, at most 1,000."""
    query = select(Appeal).where(_visible(place))
    if filters.ids:
        query = query.where(Appeal.number.in_(filters.ids))
    else:
        query = query.where(Appeal.registered_at.between(filters.start, filters.end))
        if filters.codes:
            query = query.where(Appeal.category_id.in_(sorted(filters.codes)))
        if filters.statuses == {"open"}:
            query = query.where(Appeal.status.in_(OPEN))
        elif filters.statuses == {"closed"}:
            query = query.where(Appeal.status.not_in(OPEN))
    rows = session.scalars(
        query.order_by(Appeal.registered_at.desc(), Appeal.id.desc()).limit(MAX_RECORDS)
    )
    return [as_request(a, lang) for a in rows]


def request(session: Session, place: str | None, number: str, lang: str) -> dict[str, Any]:
    """One request, or 404: unknown, private and other services' appeals look the same."""
    found = session.scalar(select(Appeal).where(Appeal.number == number, _visible(place)))
    if found is None:
        raise NotFound(f"no service request {number}")
    return as_request(found, lang)


def _visible(place: str | None) -> ColumnElement[bool]:
    shown = Appeal.public.is_(True) & Appeal.category_id.in_(sorted(offered()))
    if place is None or place == COUNTRY_KATO:
        return shown & true()
    if units()[place].level == 1:
        return shown & (Appeal.region_kato == place)
    return shown & (Appeal.kato == place)


def as_request(appeal: Appeal, lang: str) -> dict[str, Any]:
    closed = appeal.status not in OPEN
    category = categories()[appeal.category_id or ""]
    unit = units()[appeal.kato or COUNTRY_KATO]
    return ServiceRequest(
        service_request_id=appeal.number,
        status="closed" if closed else "open",
        status_notes=redact(appeal.answer_text) if closed and appeal.answer_text else None,
        service_name=category.name(lang),
        service_code=category.id,
        description=redact(appeal.text),
        agency_responsible=bodies()[appeal.body_id].name(lang),
        service_notice=None,
        requested_datetime=w3c(appeal.registered_at),
        updated_datetime=w3c(appeal.updated_at),
        expected_datetime=end_of(appeal.due_date),
        address=place_name(unit.kato, lang),
        address_id=unit.kato,
    ).model_dump()


def place_name(kato: str, lang: str) -> str:
    """The unit, then its region: "Kurchatov, Abai Region"."""
    table = units()
    unit = table[kato]
    region = table.get(unit.region_kato or "")
    if unit.level < 2 or region is None:
        return unit.name(lang)
    return f"{unit.name(lang)}, {region.name(lang)}"


# --- updates ------------------------------------------------------------------------------------


@dataclass
class _Event:
    """An audit event as the history's steps read it (`appeals.timeline`)."""

    type: str
    at: str
    reason: str | None
    new: Any


def updates(
    session: Session, place: str | None, start: datetime, end: datetime, lang: str
) -> list[dict[str, Any]]:
    """The public history of the requests from `start` to `end`, oldest first, at most 1,000
    (a client follows on with the last `updated_datetime` as its next `start_date`)."""
    rows = session.execute(
        select(AuditEvent, Appeal)
        .join(Appeal, Appeal.number == AuditEvent.entity_id)
        .where(
            AuditEvent.entity_type == "appeal",
            AuditEvent.action.in_(sorted(STATUS_OF_EVENT)),
            AuditEvent.at.between(_stamp(start), _stamp(end)),
            _visible(place),
        )
        .order_by(AuditEvent.id)
        .limit(MAX_RECORDS)
    ).all()
    return [_update(e, a, lang) for e, a in rows]


def _stamp(at: datetime) -> str:
    """An instant as the audit chain writes it, so that the strings compare as instants."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _update(event: AuditEvent, appeal: Appeal, lang: str) -> dict[str, Any]:
    new = json.loads(event.new) if event.new else {}
    status = STATUS_OF_EVENT[event.action]
    if event.action == "appeal.answered":
        status = STATUS_OF_OUTCOME.get(new.get("outcome") or "", status)
    return RequestUpdate(
        update_id=str(event.id),
        service_request_id=appeal.number,
        status=status,
        updated_datetime=w3c(datetime.fromisoformat(event.at)),
        description=_said(_Event(event.action, event.at, event.reason, new), appeal, lang),
    ).model_dump()


def _said(event: _Event, appeal: Appeal, lang: str) -> str:
    """The step of the appeal's public history, in words: what happened, where it went, why."""
    names = {b.id: b.name(lang) for b in _bodies(event.new)}
    [step] = steps([event], names)
    parts = [f"{step.title}: {step.body}" if step.body else step.title]
    parts += [x for x in (step.note, step.reason) if x]
    if _current_answer(event, appeal):
        parts.append(redact(appeal.answer_text or ""))
    return " — ".join(parts)


def _bodies(new: Any) -> Iterable[Any]:
    body = bodies().get(str(new.get("body_id"))) if isinstance(new, dict) else None
    return [body] if body else []


def _current_answer(event: _Event, appeal: Appeal) -> bool:
    """Whether this answer is the one the appeal holds now (its text is not in the event)."""
    new = event.new if isinstance(event.new, dict) else {}
    return (
        event.type == "appeal.answered"
        and bool(appeal.answer_text)
        and appeal.status not in OPEN
        and new.get("body_id") == appeal.body_id
        and new.get("outcome") == appeal.outcome
    )
