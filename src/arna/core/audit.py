"""The tamper-evident audit log: every state change is an event chained to the previous one.

Each event stores the SHA-256 of its own canonical serialisation, which includes the hash of the
event before it. Editing any stored field, deleting or reordering events breaks the chain at that
event; `verify_chain` names the first event that does not fit. The single-row `audit_head` holds
the id and hash of the last event: appending locks it, so concurrent writers queue in one order,
and a deleted tail shows as a head that points past the end. A deleted head is tampering too:
the next write rebuilds it from the last event and says so in the log, where it stays.

The chain proves the log was not edited; it cannot see rows changed beside it. Each slice that
records its entities' state in the log registers a state check (`add_state_check`), and
`verify` runs them: every stored entity must be in the state its last event records.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from arna.core.db import Base, bulk_insert, table_of
from arna.core.settings import Settings

GENESIS_HASH = "0" * 64
HEAD_REBUILT = "audit.head_rebuilt"


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100), index=True)
    entity_type: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(100))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_event_id: Mapped[int | None] = mapped_column(ForeignKey("audit_events.id"))
    last_hash: Mapped[str] = mapped_column(String(64))


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _canonical_payload(
    event_id: int,
    at: str,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    old: str | None,
    new: str | None,
    reason: str | None,
    prev_hash: str,
) -> bytes:
    payload = {
        "id": event_id,
        "at": at,
        "actor": actor,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "old": old,
        "new": new,
        "reason": reason,
        "prev_hash": prev_hash,
    }
    return canonical_json(payload).encode("utf-8")


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(
        _canonical_payload(
            event.id,
            event.at,
            event.actor,
            event.action,
            event.entity_type,
            event.entity_id,
            event.old,
            event.new,
            event.reason,
            event.prev_hash,
        )
    ).hexdigest()


@dataclass(frozen=True)
class Entry:
    """An event to append: who did what to which entity, with old and new values."""

    actor: str
    action: str
    entity_type: str
    entity_id: str
    old: Any = None
    new: Any = None
    reason: str | None = None
    at: datetime | None = None


def record(session: Session, **fields: Any) -> dict[str, Any]:
    """Append one event inside the caller's transaction (the service function that owns it)."""
    return record_many(session, [Entry(**fields)])[0]


def record_many(session: Session, entries: list[Entry]) -> list[dict[str, Any]]:
    """Append events in order, chained, with one lock of the head and one insert."""
    if not entries:
        return []
    last_id, last_hash = _lock_head(session)
    rows: list[dict[str, Any]] = []
    for entry in entries:
        row: dict[str, Any] = {
            "id": last_id + 1,
            "at": (entry.at or datetime.now(UTC))
            .astimezone(UTC)
            .isoformat(timespec="microseconds"),
            "actor": entry.actor,
            "action": entry.action,
            "entity_type": entry.entity_type,
            "entity_id": str(entry.entity_id),
            "old": None if entry.old is None else canonical_json(entry.old),
            "new": None if entry.new is None else canonical_json(entry.new),
            "reason": entry.reason,
            "prev_hash": last_hash,
        }
        row["hash"] = hashlib.sha256(_canonical_payload(**_payload_args(row))).hexdigest()
        rows.append(row)
        last_id, last_hash = row["id"], row["hash"]
    bulk_insert(session, table_of(AuditEvent), rows)
    session.execute(
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(last_event_id=last_id, last_hash=last_hash)
    )
    return rows


def _payload_args(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "event_id": row["id"],
        "at": row["at"],
        "actor": row["actor"],
        "action": row["action"],
        "entity_type": row["entity_type"],
        "entity_id": row["entity_id"],
        "old": row["old"],
        "new": row["new"],
        "reason": row["reason"],
        "prev_hash": row["prev_hash"],
    }


def _lock_head(session: Session) -> tuple[int, str]:
    head = session.execute(
        select(AuditHead.last_event_id, AuditHead.last_hash)
        .where(AuditHead.id == 1)
        .with_for_update()
    ).one_or_none()
    if head is not None:
        return head.last_event_id or 0, head.last_hash
    last = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).one_or_none()
    last_id, last_hash = (last.id, last.hash) if last else (0, GENESIS_HASH)
    session.execute(
        insert(AuditHead).values(id=1, last_event_id=last_id or None, last_hash=last_hash)
    )
    if last is None:  # a new database: nothing was lost
        return 0, GENESIS_HASH
    # Someone deleted the head. Writing goes on (appeals must not stop), but the log keeps the
    # fact, and every later verification reports it.
    session.flush()
    record_many(
        session,
        [
            Entry(
                actor="system:audit",
                action=HEAD_REBUILT,
                entity_type="audit",
                entity_id="head",
                new={"last_event_id": last_id},
                reason="the audit_head row was missing: rebuilt from the last event in the log",
            )
        ],
    )
    rebuilt = session.execute(select(AuditHead.last_event_id, AuditHead.last_hash)).one()
    return rebuilt.last_event_id, rebuilt.last_hash


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    head_hash: str
    broken_event_id: int | None = None
    problem: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "head_hash": self.head_hash,
            "broken_event_id": self.broken_event_id,
            "problem": self.problem,
        }


def iter_events(
    session: Session, batch: int = 5000, entity_type: str | None = None
) -> Iterator[AuditEvent]:
    """Events in chain order (of one entity type, if given), read a batch at a time."""
    last = 0
    while True:
        query = select(AuditEvent).where(AuditEvent.id > last)
        if entity_type is not None:
            query = query.where(AuditEvent.entity_type == entity_type)
        rows = session.scalars(query.order_by(AuditEvent.id).limit(batch)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def verify_chain(session: Session, anchors: Iterable[str] = ()) -> ChainReport:
    """Recompute every hash in order; report the first event that does not fit the chain.

    `anchors` are head hashes published earlier (printed by `arna audit verify`, shown by the
    API). Each must still be in the chain: whoever deletes the newest events and rewinds the head
    cannot make an anchor taken after those events reappear.
    """
    pending = set(anchors)
    expected_prev = GENESIS_HASH
    expected_id = 1
    count = 0
    rebuilt: int | None = None
    for event in iter_events(session):
        problem = None
        if event.id != expected_id:
            problem = f"event {expected_id} is missing (next stored event is {event.id})"
        elif event.prev_hash != expected_prev:
            problem = "prev_hash does not match the hash of the event before it"
        elif event_hash(event) != event.hash:
            problem = "stored fields do not match the event's hash (the row was edited)"
        if problem:
            return ChainReport(False, count, expected_prev, event.id, problem)
        expected_prev = event.hash
        expected_id += 1
        count += 1
        pending.discard(event.hash)
        if event.action == HEAD_REBUILT and rebuilt is None:
            rebuilt = event.id
    if pending:
        missing = ", ".join(sorted(pending))
        return ChainReport(
            False,
            count,
            expected_prev,
            None,
            f"published head hash(es) not in the log: {missing} (events after them were "
            "deleted, or the log was rebuilt)",
        )
    head = session.get(AuditHead, 1)
    if head is None:
        return ChainReport(
            False,
            count,
            expected_prev,
            None,
            "the audit_head row is missing (deleted: a deleted tail of the log would not show)",
        )
    if (head.last_event_id or 0) != count or head.last_hash != expected_prev:
        return ChainReport(
            False,
            count,
            expected_prev,
            head.last_event_id,
            f"the chain head points at event {head.last_event_id} but the log ends at "
            f"event {count} (events were deleted from the end, or the head was edited)",
        )
    if rebuilt is not None:
        return ChainReport(
            False,
            count,
            expected_prev,
            rebuilt,
            "the audit_head row had been deleted; the next write rebuilt it (events deleted "
            "from the end before that would not show)",
        )
    return ChainReport(True, count, expected_prev)


@dataclass(frozen=True)
class Mismatch:
    """A stored entity that is not in the state its audit events record."""

    entity_type: str
    entity_id: str
    problem: str

    def as_dict(self) -> dict[str, str]:
        return {
            "entity_type": self.entity_type,
            "entity_id": self.entity_id,
            "problem": self.problem,
        }


# A slice's check of its stored rows against the log (the settings key personal-data digests).
StateCheck = Callable[[Session, Settings], list[Mismatch]]
_state_checks: dict[str, StateCheck] = {}


def add_state_check(name: str, check: StateCheck) -> None:
    """Register a slice's state check with `verify` (the application does, at start)."""
    _state_checks[name] = check


@dataclass(frozen=True)
class AuditReport:
    chain: ChainReport
    mismatches: list[Mismatch]
    checked: list[str]

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.mismatches

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.chain.as_dict(),
            "ok": self.ok,
            "chain_ok": self.chain.ok,
            "state_checks": self.checked,
            "mismatches": [m.as_dict() for m in self.mismatches],
        }


def verify(session: Session, settings: Settings, anchors: Iterable[str] = ()) -> AuditReport:
    """The chain, then every registered state check."""
    chain = verify_chain(session, anchors)
    mismatches = [m for check in _state_checks.values() for m in check(session, settings)]
    return AuditReport(chain, mismatches, sorted(_state_checks))
