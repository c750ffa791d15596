"""The one write path of appeals. Each function owns its transaction, locks the appeal, writes
the audit event with old and new state, and queues notifications in the outbox (sent after
commit by the worker)."""

from __future__ import annotations

import calendar as month_calendar
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from arna.appeals import notify
from arna.appeals.access import lock_appeal_for_action, lock_appeal_for_applicant
from arna.appeals.classify import guess_language, suggest_category
from arna.appeals.identity import new_access_code, tracking_number
from arna.appeals.models import Appeal, Assignment, Counter, IdempotencyKey, OutboxMessage
from arna.appeals.policy import (
    ALLOWED_FROM,
    FORWARD_WORKING_DAYS,
    MAX_EXTENSION_MONTHS,
    PUBLIC_BY_DEFAULT,
    TERM_WORKING_DAYS,
    allowed_actions,
)
from arna.appeals.schemas import AppealCreate, AppealCreated, BodyRef
from arna.bodies.competence import categories, route
from arna.bodies.reference import akimat_id, bodies
from arna.core import audit
from arna.core.auth import APPLICANT, Actor, User, digest
from arna.core.clock import WorkingCalendar, load_calendar, to_local_date
from arna.core.db import Database, bulk_insert, table_of
from arna.core.errors import ArnaError, Conflict, InvalidTransition, NotFound, ValidationFailed
from arna.core.settings import Settings
from arna.geo.locate import locate
from arna.geo.lookup import find
from arna.geo.reference import COUNTRY_KATO, units


@dataclass(frozen=True)
class Placement:
    """Where an appeal goes, decided before the transaction (pure work, no locks held)."""

    category: str | None
    category_source: str
    needs_triage: bool
    kato: str | None
    place_source: str
    body_id: str
    reason: str
    language: str
    public: bool


def now_utc() -> datetime:
    return datetime.now(UTC)


def body_ref(body_id: str, language: str) -> BodyRef:
    body = bodies()[body_id]
    return BodyRef(id=body.id, name=body.name(language), kind=body.kind)


def place_appeal(data: AppealCreate, on: date) -> Placement:
    """Category, place, language and the competent body of a new appeal."""
    if data.category is not None and data.category not in categories():
        raise ValidationFailed(
            f"unknown category {data.category!r}; see GET /api/v1/categories", field="category"
        )
    category, category_source = data.category, "given"
    if category is None:
        category, category_source = suggest_category(data.text), "suggested"
        if category is None:
            category_source = "none"
    kato, place_source = _place(data)
    language = data.language or guess_language(data.text)
    public = data.public if data.public is not None else category in PUBLIC_BY_DEFAULT
    if category is not None:
        rule = categories()[category]
        if kato is None and rule.lowest_level != "national" and rule.central_id is None:
            raise ValidationFailed(
                "say where the problem is: give kato, or lat and lon, or name the place "
                "(city, district or region) in the text",
                field="kato",
            )
        decided = route(category, kato or COUNTRY_KATO, on)
        return Placement(
            category,
            category_source,
            False,
            kato,
            place_source,
            decided.body.id,
            decided.reason,
            language,
            public,
        )
    if kato is None:
        raise ValidationFailed(
            "choose a category or say where the problem is (kato, lat/lon, or a place named "
            "in the text), so that the appeal can reach a body",
            field="category",
        )
    akimat = akimat_id(kato if units()[kato].level > 0 else COUNTRY_KATO)
    if akimat not in bodies():
        akimat = "government"
    reason = f"no category recognised: sent to the akimat of {units()[kato].name_en} for triage"
    return Placement(None, "none", True, kato, place_source, akimat, reason, language, public)


def _place(data: AppealCreate) -> tuple[str | None, str]:
    if data.kato is not None:
        if data.kato not in units():
            raise ValidationFailed(f"unknown KATO code {data.kato}", field="kato")
        return data.kato, "kato"
    if data.lat is not None and data.lon is not None:
        found = locate(data.lat, data.lon)
        if found is None:
            raise ValidationFailed(
                f"the point {data.lat}, {data.lon} is outside Kazakhstan", field="lat"
            )
        return (found.district or found.region).kato, "point"
    match = find(data.text)
    return (match.unit.kato, "text") if match else (None, "none")


def _state(appeal: Appeal) -> dict[str, object]:
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
        new={**_state(appeal), **extra},
        reason=reason,
        at=now,
    )


def notification_fields(appeal: Appeal, settings: Settings, **extra: str) -> dict[str, str]:
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


def _notify_body(
    session: Session, appeal: Appeal, event: str, settings: Settings, now: datetime
) -> None:
    officials = session.scalars(
        select(User.email).where(User.body_id == appeal.body_id, User.role == "official")
    )
    for email in officials:
        notify.queue(
            session,
            event=event,
            recipient=email,
            language=settings.locale,
            fields=notification_fields(appeal, settings),
            appeal_id=appeal.id,
            now=now,
        )


def request_hash(data: AppealCreate) -> str:
    return hashlib.sha256(data.model_dump_json().encode()).hexdigest()


@dataclass(frozen=True)
class Submission:
    """A validated appeal with its placement, ready to be written (alone or in a batch)."""

    data: AppealCreate
    placement: Placement
    idempotency_key: str | None
    fingerprint: str
    now: datetime


def prepare(data: AppealCreate, idempotency_key: str | None, now: datetime) -> Submission:
    """Pure work before any lock: place the appeal (raises ValidationFailed on bad input)."""
    return Submission(
        data, place_appeal(data, to_local_date(now)), idempotency_key, request_hash(data), now
    )


# What one submission of a batch turned into: the response and whether it is a replay, or the
# error to give that caller.
Outcome = tuple[AppealCreated, bool] | ArnaError


def submit_appeal(
    db: Database,
    settings: Settings,
    data: AppealCreate,
    *,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> tuple[AppealCreated, bool]:
    """Register one appeal; returns the response and whether it replays an earlier request."""
    submission = prepare(data, idempotency_key, now or now_utc())
    return unwrap(write_batch(db, settings, [submission])[0])


def unwrap(outcome: Outcome) -> tuple[AppealCreated, bool]:
    if isinstance(outcome, ArnaError):
        raise outcome
    return outcome


def write_batch(db: Database, settings: Settings, batch: list[Submission]) -> list[Outcome]:
    """Write submissions in one transaction (group commit). If the batch cannot commit (a
    concurrent writer took an idempotency key), each submission is retried on its own."""
    try:
        with db.write() as session:
            return insert_submissions(session, settings, batch)
    except IntegrityError:
        if len(batch) == 1:
            with db.write() as session:  # the key exists now: this is a replay
                return insert_submissions(session, settings, batch)
        return [write_batch(db, settings, [one])[0] for one in batch]


def insert_submissions(
    session: Session, settings: Settings, batch: list[Submission]
) -> list[Outcome]:
    """Insert a batch of appeals with a handful of statements, whatever its size."""
    outcomes: list[Outcome | None] = [None] * len(batch)
    stored = _stored_keys(session, [s.idempotency_key for s in batch if s.idempotency_key])
    fresh: list[tuple[int, Submission]] = []
    seen: dict[str, int] = {}
    for i, sub in enumerate(batch):
        key = sub.idempotency_key
        if key and key in stored:
            outcomes[i] = _replay(stored[key], sub.fingerprint, key)
        elif key and key in seen:
            fresh.append((i, sub))  # resolved after insert, as a replay of the first
        else:
            if key:
                seen[key] = i
            fresh.append((i, sub))
    firsts = [
        (i, sub) for i, sub in fresh if not sub.idempotency_key or seen[sub.idempotency_key] == i
    ]
    created = _insert_many(session, settings, [sub for _, sub in firsts])
    for (i, _), result in zip(firsts, created, strict=True):
        outcomes[i] = (result, False)
    for i, sub in fresh:
        if outcomes[i] is None and sub.idempotency_key:
            first = outcomes[seen[sub.idempotency_key]]
            assert isinstance(first, tuple)
            same = batch[seen[sub.idempotency_key]].fingerprint == sub.fingerprint
            outcomes[i] = (first[0], True) if same else _key_conflict(sub.idempotency_key)
    return [o for o in outcomes if o is not None]


def _stored_keys(session: Session, keys: list[str]) -> dict[str, IdempotencyKey]:
    if not keys:
        return {}
    rows = session.scalars(select(IdempotencyKey).where(IdempotencyKey.key.in_(keys)))
    return {row.key: row for row in rows}


def _key_conflict(key: str) -> Conflict:
    return Conflict(
        "this Idempotency-Key was used with a different request; use a new key for a new appeal",
        idempotency_key=key,
    )


def _replay(stored: IdempotencyKey, fingerprint: str, key: str) -> Outcome:
    if stored.request_hash != fingerprint:
        return _key_conflict(key)
    return AppealCreated.model_validate(json.loads(stored.response)), True


def _allocate_numbers(session: Session, year: int, count: int) -> list[str]:
    """`count` consecutive tracking numbers of the year; the counter row serialises writers."""
    key = f"appeal:{year}"
    dialect = session.get_bind().dialect.name
    stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(Counter).values(
        key=key, value=count
    )
    last = session.execute(
        stmt.on_conflict_do_update(
            index_elements=["key"], set_={"value": Counter.value + count}
        ).returning(Counter.value)
    ).scalar_one()
    return [tracking_number(year, n) for n in range(last - count + 1, last + 1)]


def _insert_many(
    session: Session, settings: Settings, batch: list[Submission]
) -> list[AppealCreated]:
    if not batch:
        return []
    calendar = load_calendar(settings.calendar_file)
    numbers: list[str] = []
    years = [to_local_date(s.now).year for s in batch]
    for year in sorted(set(years)):
        allocated = iter(_allocate_numbers(session, year, years.count(year)))
        numbers += [next(allocated) for y in years if y == year]
    order = sorted(range(len(batch)), key=lambda i: years[i])  # numbers were handed out by year
    number_of = {i: numbers[k] for k, i in enumerate(order)}
    codes = [new_access_code() for _ in batch]
    rows = [_appeal_row(sub, number_of[i], codes[i], calendar) for i, sub in enumerate(batch)]
    # matched by number: the order of RETURNING rows is not something to rely on
    id_of = dict(bulk_insert(session, table_of(Appeal), rows, returning=("number", "id")))
    ids = [id_of[row["number"]] for row in rows]
    bulk_insert(
        session,
        table_of(Assignment),
        [
            {
                "appeal_id": id_,
                "body_id": row["body_id"],
                "reason": "routed",
                "started_at": row["registered_at"],
                "due_date": row["due_date"],
                "failed": False,
            }
            for id_, row in zip(ids, rows, strict=True)
        ],
    )
    audit.record_many(
        session,
        [
            audit.Entry(
                actor=APPLICANT.label,
                action="appeal.submitted",
                entity_type="appeal",
                entity_id=row["number"],
                new={
                    **_row_state(row),
                    "kind": row["kind"],
                    "category": row["category_id"],
                    "kato": row["kato"],
                    "public": row["public"],
                    "text_sha256": hashlib.sha256(row["text"].encode()).hexdigest(),
                },
                reason=sub.placement.reason,
                at=sub.now,
            )
            for sub, row in zip(batch, rows, strict=True)
        ],
    )
    officials = _officials(session, {row["body_id"] for row in rows})
    messages = []
    for id_, row, code, sub in zip(ids, rows, codes, batch, strict=True):
        fields = _row_fields(row, settings)
        if row["applicant_email"]:
            messages.append(
                notify.message(
                    event="submitted",
                    recipient=row["applicant_email"],
                    language=row["language"],
                    appeal_id=id_,
                    now=sub.now,
                    fields={**fields, "access_code": code},
                )
            )
        for email in officials.get(row["body_id"], []):
            messages.append(
                notify.message(
                    event="assigned",
                    recipient=email,
                    language=settings.locale,
                    appeal_id=id_,
                    now=sub.now,
                    fields=fields,
                )
            )
    if messages:
        bulk_insert(session, table_of(OutboxMessage), messages)
    created = []
    for id_, row, code, sub in zip(ids, rows, codes, batch, strict=True):
        response = AppealCreated(
            number=row["number"],
            access_code=code,
            status="registered",
            kind=row["kind"],
            category=row["category_id"],
            needs_triage=row["needs_triage"],
            kato=row["kato"],
            body=body_ref(row["body_id"], row["language"]),
            due_date=row["due_date"],
            language=row["language"],
            escalation_depth=0,
            public=row["public"],
        )
        if sub.idempotency_key:
            session.execute(
                insert(IdempotencyKey).values(
                    key=sub.idempotency_key,
                    request_hash=sub.fingerprint,
                    appeal_id=id_,
                    response=response.model_dump_json(),
                    created_at=sub.now,
                )
            )
        created.append(response)
    return created


def _appeal_row(
    sub: Submission, number: str, code: str, calendar: WorkingCalendar
) -> dict[str, Any]:
    data, placement, now = sub.data, sub.placement, sub.now
    return {
        "number": number,
        "access_code_hash": digest(code),
        "kind": data.kind,
        "category_id": placement.category,
        "category_source": placement.category_source,
        "needs_triage": placement.needs_triage,
        "text": data.text,
        "language": placement.language,
        "kato": placement.kato,
        "region_kato": units()[placement.kato].region_kato if placement.kato else None,
        "lat": data.lat,
        "lon": data.lon,
        "place_source": placement.place_source,
        "applicant_name": data.applicant.name,
        "applicant_email": data.applicant.email,
        "applicant_phone": data.applicant.phone,
        "applicant_iin": data.applicant.iin,
        "public": placement.public,
        "status": "registered",
        "body_id": placement.body_id,
        "registered_at": now,
        "due_date": calendar.add_working_days(now, TERM_WORKING_DAYS),
        "forward_due": calendar.add_working_days(now, FORWARD_WORKING_DAYS),
        "extended": False,
        "escalation_depth": 0,
        "stalled_at_top": False,
        "updated_at": now,
    }


def _row_state(row: dict[str, Any]) -> dict[str, object]:
    return {
        "status": row["status"],
        "body_id": row["body_id"],
        "due_date": row["due_date"].isoformat(),
        "escalation_depth": 0,
        "outcome": None,
    }


def _row_fields(row: dict[str, Any], settings: Settings) -> dict[str, str]:
    return {
        "number": row["number"],
        "body_name": bodies()[row["body_id"]].name(row["language"]),
        "due_date": row["due_date"].isoformat(),
        "status": row["status"],
        "outcome": "",
        "reason": "",
        "access_code": "",
        "url": f"{settings.public_url}/appeals/{row['number']}",
    }


def _officials(session: Session, body_ids: set[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    rows = session.execute(
        select(User.body_id, User.email).where(User.body_id.in_(body_ids), User.role == "official")
    )
    for body_id, email in rows:
        if body_id:
            found.setdefault(body_id, []).append(email)
    return found


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
        old = _state(appeal)
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
    old = _state(appeal)
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
        old = _state(appeal)
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
        old = _state(appeal)
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
        old = _state(appeal)
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
    old = _state(appeal)
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
