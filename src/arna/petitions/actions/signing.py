"""Signatures: a batch of confirmed signatures in one transaction, and bulk invalidation.

Every petition of a batch is row-locked (in one order) before its signatures are inserted, so
concurrent batches of one petition queue and its count is exact; a person already counted is
skipped by the unique key (`ON CONFLICT DO NOTHING`), so two requests of one person in two
processes count once. A signature is acknowledged only after the commit that holds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from arna.core import audit
from arna.core.actors import Actor
from arna.core.clock import WorkingCalendar, load_calendar, now_utc, to_local_date
from arna.core.db import Database, table_of
from arna.core.errors import ArnaError, Conflict, Forbidden, ValidationFailed
from arna.petitions import policy, rules
from arna.petitions.actions.events import entry, record
from arna.petitions.actions.lifecycle import reach_if_due
from arna.petitions.confirmation import Pending
from arna.petitions.models import Invalidation, Petition, Signature
from arna.petitions.queries import lock_petition, lock_petitions, matching_signatures, not_found
from arna.petitions.state import audit_state

SIGNERS = Actor("anonymous", name="signers")


@dataclass(frozen=True)
class Signing:
    """A confirmed signature on its way to the database."""

    pending: Pending
    source: str  # keyed digest of the network it came from


@dataclass(frozen=True)
class Signed:
    number: str
    signatures: int
    counted: bool  # False: this person had signed before
    status: str


def sign_petition(db: Database, signing: Signing, now: datetime | None = None) -> Signed:
    outcome = sign_batch(db, [signing], now=now)[0]
    if isinstance(outcome, ArnaError):
        raise outcome
    return outcome


def sign_batch(
    db: Database,
    signings: list[Signing],
    now: datetime | None = None,
    calendar: WorkingCalendar | None = None,
) -> list[Signed | ArnaError]:
    """Store the signatures, each person once per petition; one outcome per signing, in order.
    `calendar`: the installation's (ARNA_CALENDAR_FILE), for the terms a signature may start."""
    now = now or now_utc()
    calendar = calendar or load_calendar()
    today = to_local_date(now)
    outcomes: list[Signed | ArnaError | None] = [None] * len(signings)
    with db.write() as session:
        petitions = lock_petitions(session, (s.pending.number for s in signings))
        rows: list[dict[str, object]] = []
        for i, signing in enumerate(signings):
            petition = petitions.get(signing.pending.number)
            refusal = _refusal(petition, signing.pending.number, today)
            if refusal is not None:
                outcomes[i] = refusal
                continue
            assert petition is not None
            rows.append(_row(petition, signing, now))
        counted = _insert(session, rows)
        old = {p.number: audit_state(p) for p in petitions.values()}
        added: dict[int, int] = {}
        for petition_id, _ in counted:
            added[petition_id] = added.get(petition_id, 0) + 1
        _count(session, petitions, added, old, now, calendar)
        told: set[tuple[int, str]] = set()  # one person twice in a batch: counted once
        for i, signing in enumerate(signings):
            if outcomes[i] is None:
                petition = petitions[signing.pending.number]
                key = (petition.id, signing.pending.person)
                outcomes[i] = Signed(
                    petition.number,
                    petition.signatures,
                    key in counted and key not in told,
                    petition.status,
                )
                told.add(key)
    return [o for o in outcomes if o is not None]


def _refusal(petition: Petition | None, number: str, today: object) -> ArnaError | None:
    if petition is None or petition.status == policy.DRAFT:
        return not_found(number)
    if petition.status not in policy.SIGNABLE:
        return Conflict(
            f"petition {number} is {petition.status} and takes no signatures",
            status=petition.status,
        )
    if petition.closes_on is not None and petition.closes_on < today:  # type: ignore[operator]
        return Conflict(f"the collection of petition {number} has ended", status="closed")
    return None


def _row(petition: Petition, signing: Signing, now: datetime) -> dict[str, object]:
    p = signing.pending
    return {
        "petition_id": petition.id,
        "person": p.person,
        "name": p.name,
        "region_kato": p.region_kato,
        "source": signing.source,
        "created_at": now,
        "valid": True,
    }


def _insert(session: Session, rows: list[dict[str, object]]) -> set[tuple[int, str]]:
    """Insert the rows whose person has not signed that petition; (petition, person) of those
    inserted. The same person twice in one batch is inserted once. One statement whatever the
    batch's size (executemany), so that it is compiled once per process."""
    if not rows:
        return set()
    unique = list({(r["petition_id"], r["person"]): r for r in reversed(rows)}.values())
    table = table_of(Signature)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(table)
        .on_conflict_do_nothing(index_elements=["petition_id", "person"])
        .returning(table.c.petition_id, table.c.person)
    )
    found = session.execute(statement, unique)
    return {(pid, person) for pid, person in found}


def _count(
    session: Session,
    petitions: dict[str, Petition],
    added: dict[int, int],
    old: dict[str, dict[str, object]],
    now: datetime,
    calendar: WorkingCalendar,
) -> None:
    """New counts, the transitions they cause, one audit event per petition signed."""
    entries = []
    for petition in petitions.values():
        n = added.get(petition.id, 0)
        if not n:
            continue
        petition.signatures += n
        petition.updated_at = now
        entries.append(
            entry(SIGNERS, "petition.signed", petition, old[petition.number], now, added=n)
        )
    audit.record_many(session, entries)
    for petition in petitions.values():
        if added.get(petition.id) and petition.status == policy.COSIGNING:
            if petition.signatures >= rules.term("cosigners"):
                before = audit_state(petition)
                petition.status = policy.MODERATION
                petition.moderation_due = calendar.add_working_days(now, rules.term("moderation"))
                record(session, entry(SIGNERS, "petition.moderation", petition, before, now))
        elif added.get(petition.id):
            reach_if_due(session, SIGNERS, petition, now, calendar)


def invalidate_signatures(
    db: Database,
    actor: Actor,
    number: str,
    *,
    reason: str,
    source: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    region: str | None = None,
    now: datetime | None = None,
) -> tuple[int, Petition]:
    """Set aside the valid signatures meeting every condition; the count and the reason are
    public, the condition is in the audit log."""
    now = now or now_utc()
    if actor.kind != "admin":
        raise Forbidden("signatures are invalidated by the platform's administrators")
    if not (source or since or until or region):
        raise ValidationFailed("state a condition: source, since, until and/or region")
    conditions = []
    if source:
        conditions.append(Signature.source == source)
    if since:
        conditions.append(Signature.created_at >= since)
    if until:
        conditions.append(Signature.created_at < until)
    if region:
        conditions.append(Signature.region_kato == region)
    condition = {
        "source": source,
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "region": region,
    }
    with db.write() as session:
        petition = lock_petition(session, number)
        ids = matching_signatures(session, petition.id, conditions)
        if not ids:
            return 0, petition
        old = audit_state(petition)
        done = Invalidation(
            petition_id=petition.id,
            condition=audit.canonical_json(condition),
            reason=reason,
            count=len(ids),
            actor=actor.label,
            created_at=now,
        )
        session.add(done)
        session.flush()
        session.execute(
            update(Signature)
            .where(Signature.id.in_(ids))
            .values(valid=False, invalidation_id=done.id)
        )
        petition.signatures -= len(ids)
        petition.invalidated += len(ids)
        petition.updated_at = now
        if petition.status == policy.RESPONSE_DUE and petition.signatures < petition.threshold:
            # the threshold was reached with signatures that do not count: no obligation yet
            petition.status = policy.OPEN
            petition.reached_at = petition.body_id = petition.response_due = None
        record(
            session,
            entry(
                actor,
                "petition.invalidated",
                petition,
                old,
                now,
                reason,
                invalidated=len(ids),
                condition=condition,
            ),
        )
        return len(ids), petition
