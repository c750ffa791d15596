"""Registering appeals: one at a time or as a batch in one transaction (group commit).

Each submission is placed (routed) before the transaction; the transaction allocates tracking
numbers, inserts the appeals and their first assignments with a handful of statements whatever
the batch size, records each appeal's effects (audit event, e-mails) through the same `Effects`
as every other action, and keeps idempotency keys so that a retried request gets the same
appeal back.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import event, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from arna.appeals.actions.effects import Effects, NewAppeal, applicant_digest, changing
from arna.appeals.identity import new_access_code, tracking_number
from arna.appeals.models import Appeal, Assignment, Counter, IdempotencyKey
from arna.appeals.placement import Submission, body_ref, prepare
from arna.appeals.policy import FORWARD_WORKING_DAYS, TERM_WORKING_DAYS
from arna.appeals.schemas import AppealCreate, AppealCreated
from arna.core import sealing
from arna.core.actors import APPLICANT
from arna.core.clock import WorkingCalendar, load_calendar, now_utc, to_local_date
from arna.core.db import Database, bulk_insert, table_of
from arna.core.errors import ArnaError, Conflict, Unavailable
from arna.core.hashing import digest
from arna.core.settings import Settings
from arna.geo.reference import units

log = logging.getLogger(__name__)

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


def write_batch(
    db: Database, settings: Settings, batch: list[Submission], claim: Claim | None = None
) -> list[Outcome]:
    """Write submissions in one transaction (group commit): an outcome for each, in order.

    If the batch cannot commit (a concurrent writer took an idempotency key), each submission
    is retried on its own and gets its own outcome, whatever happens to the others: what was
    stored (or replayed), or the error that kept it out (an unexpected one is logged and
    answered 503: nothing of that submission was kept).

    `claim` (the intake's) is asked just before the commit whether each submission's caller
    still waits for it; when all do, they are claimed and their answer is the commit's. A
    submission it refuses (its caller was already told to retry) is never committed: the
    transaction rolls back and the others are written without it."""
    try:
        return _commit(db, settings, batch, claim)
    except _Refused as refused:
        still = [sub for sub, wanted in zip(batch, refused.wanted, strict=True) if wanted]
        written = iter(write_batch(db, settings, still, claim) if still else [])
        return [next(written) if wanted else _too_late() for wanted in refused.wanted]
    except IntegrityError:
        if len(batch) > 1:
            return [_write_one(db, settings, one, claim) for one in batch]
    try:  # the key exists now: this is a replay
        return _commit(db, settings, batch, claim)
    except _Refused:
        return [_too_late()]


# Asked just before a batch commits, from the writing thread: for each submission, whether its
# caller still waits for it; claims them all for the commit only when every one is wanted.
Claim = Callable[[list[Submission]], list[bool]]


class _Refused(Exception):
    def __init__(self, wanted: list[bool]) -> None:
        super().__init__("the batch holds submissions nobody waits for any more")
        self.wanted = wanted


def _commit(
    db: Database, settings: Settings, batch: list[Submission], claim: Claim | None
) -> list[Outcome]:
    with changing(db, settings) as effects:
        outcomes = insert_submissions(effects, batch)
        if claim is not None:

            def claimed(session: Session) -> None:
                session.flush()  # whatever could still wait for a lock, before the claim
                wanted = claim(batch)
                if not all(wanted):
                    raise _Refused(wanted)  # rolls the transaction back

            # as late as can be: after the effects are written, right before COMMIT
            event.listen(effects.session, "before_commit", claimed)
        return outcomes


def _write_one(db: Database, settings: Settings, one: Submission, claim: Claim | None) -> Outcome:
    try:
        return write_batch(db, settings, [one], claim)[0]
    except ArnaError as exc:
        return exc
    except Exception:
        log.exception("a submission could not be written on its own")
        return Unavailable(
            "this appeal could not be stored and nothing of it was kept; send it again"
        )


def _too_late() -> Unavailable:
    return Unavailable(
        "this appeal waited too long to be written and was not stored; send it again"
    )


def insert_submissions(effects: Effects, batch: list[Submission]) -> list[Outcome]:
    """Insert a batch of appeals with a handful of statements, whatever its size."""
    outcomes: list[Outcome | None] = [None] * len(batch)
    keys = [s.idempotency_key for s in batch if s.idempotency_key]
    stored = _stored_keys(effects.session, keys)
    fresh: list[tuple[int, Submission]] = []
    seen: dict[str, int] = {}
    for i, sub in enumerate(batch):
        key = sub.idempotency_key
        if key and key in stored:
            outcomes[i] = _replay(effects.settings, stored[key], sub.fingerprint, key)
        elif key and key in seen:
            fresh.append((i, sub))  # resolved after insert, as a replay of the first
        else:
            if key:
                seen[key] = i
            fresh.append((i, sub))
    firsts = [
        (i, sub) for i, sub in fresh if not sub.idempotency_key or seen[sub.idempotency_key] == i
    ]
    created = _insert_many(effects, [sub for _, sub in firsts])
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


def _replay(settings: Settings, stored: IdempotencyKey, fingerprint: str, key: str) -> Outcome:
    if stored.request_hash != fingerprint:
        return _key_conflict(key)
    try:
        code = sealing.unseal(settings, stored.sealed_code or "")
    except sealing.SecretUnavailable:
        return Conflict(
            "this request was stored, but its access code cannot be recovered any more "
            "(the server's key changed); the appeal's number is in the details",
            idempotency_key=key,
            number=json.loads(stored.response)["number"],
        )
    response = AppealCreated.model_validate(json.loads(stored.response))
    return response.model_copy(update={"access_code": code}), True


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


def _numbers(session: Session, batch: list[Submission]) -> list[str]:
    """A tracking number for each submission, of the year it arrived in."""
    numbers: list[str] = []
    years = [to_local_date(s.now).year for s in batch]
    for year in sorted(set(years)):
        allocated = iter(_allocate_numbers(session, year, years.count(year)))
        numbers += [next(allocated) for y in years if y == year]
    order = sorted(range(len(batch)), key=lambda i: years[i])  # numbers were handed out by year
    number_of = {i: numbers[k] for k, i in enumerate(order)}
    return [number_of[i] for i in range(len(batch))]


def _insert_many(effects: Effects, batch: list[Submission]) -> list[AppealCreated]:
    if not batch:
        return []
    session = effects.session
    calendar = load_calendar(effects.settings.calendar_file)
    codes = [new_access_code() for _ in batch]
    rows = [
        _appeal_row(sub, number, code, calendar)
        for sub, number, code in zip(batch, _numbers(session, batch), codes, strict=True)
    ]
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
    created = []
    for id_, row, code, sub in zip(ids, rows, codes, batch, strict=True):
        facts = NewAppeal.of(row)
        effects.event(
            facts,
            APPLICANT,
            "appeal.submitted",
            old=None,
            reason=sub.placement.reason,
            now=sub.now,
            kind=row["kind"],
            category=row["category_id"],
            kato=row["kato"],
            public=row["public"],
            text_sha256=hashlib.sha256(row["text"].encode()).hexdigest(),
            applicant_digest=applicant_digest(effects.settings, row),
        )
        effects.tell_applicant(
            facts, row["applicant_email"], id_, "submitted", sub.now, access_code=code
        )
        effects.tell_body(facts, id_, "assigned", sub.now)
        response = _created(row, code)
        if sub.idempotency_key:
            session.execute(
                insert(IdempotencyKey).values(
                    key=sub.idempotency_key,
                    request_hash=sub.fingerprint,
                    appeal_id=id_,
                    # the code only sealed: whoever reads the table cannot open the appeal
                    response=response.model_copy(update={"access_code": ""}).model_dump_json(),
                    sealed_code=sealing.seal(effects.settings, code),
                    created_at=sub.now,
                )
            )
        created.append(response)
    return created


def _created(row: dict[str, Any], code: str) -> AppealCreated:
    return AppealCreated(
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
        "sentiment": placement.sentiment,
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
