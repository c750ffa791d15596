"""The only writes of representatives: the bundled reference (chambers, parties, cost lines) and
imports of deputies, attendance and roll-call votes from CSV, each all or nothing.

An import is idempotent: the same file again changes nothing (inserted / updated / unchanged
are counted per table), a corrected file updates what changed. A file with any bad row stores
nothing and names every bad row with its line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arna.core import audit
from arna.core.actors import Actor
from arna.core.db import Database
from arna.core.errors import ValidationFailed
from arna.core.sync import SyncCounts, sync_rows
from arna.representatives import reference
from arna.representatives.csvfiles import Parsed, Unreadable, parse
from arna.representatives.models import (
    Attendance,
    CostFigure,
    Deputy,
    Legislature,
    Party,
    RollCall,
    VoteRecord,
)


def sync_reference(session: Session) -> list[SyncCounts]:
    """The chambers, parties and cost lines of the bundled data (maintenance's transaction)."""
    return [
        sync_rows(session, Legislature, reference.legislature_rows(), key=["id"]),
        sync_rows(session, Party, reference.party_rows(), key=["id"]),
        sync_rows(session, CostFigure, reference.cost_rows(), key=["year", "figure"]),
    ]


@dataclass(frozen=True)
class Imported:
    kind: str
    rows: int
    tables: list[SyncCounts]

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "rows": self.rows, "tables": [t.as_dict() for t in self.tables]}


def _refuse(errors: list[tuple[int, str]]) -> ValidationFailed:
    shown = errors[:50]
    message = "; ".join(f"line {line}: {what}" for line, what in shown[:5])
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return ValidationFailed(
        f"nothing imported: {message}{more}",
        errors=[{"line": line, "message": what} for line, what in shown],
    )


def import_records(db: Database, actor: Actor, kind: str, data: bytes) -> Imported:
    """Import one CSV file of `kind` (csvfiles.KINDS), all or nothing."""
    try:
        parsed = parse(kind, data)
    except Unreadable as exc:
        raise ValidationFailed(str(exc), field="file") from exc
    with db.write() as session:
        errors = parsed.errors + _unknown(session, parsed) + _repeated(parsed)
        if errors:
            raise _refuse(sorted(errors))
        tables = _STORE[kind](session, [_without_line(r) for r in parsed.rows])
        if any(t.changed for t in tables):
            audit.record(
                session,
                actor=actor.label,
                action="representatives.imported",
                entity_type="representatives",
                entity_id=kind,
                new={t.table: {"inserted": t.inserted, "updated": t.updated} for t in tables},
                reason=f"{len(parsed.rows)} rows of a {kind} file",
            )
    return Imported(kind, len(parsed.rows), tables)


def _without_line(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "line"}


def _unknown(session: Session, parsed: Parsed) -> list[tuple[int, str]]:
    """Rows naming a chamber, party or deputy that is not there."""
    errors = []
    if parsed.kind == "deputies":
        chambers = set(session.scalars(select(Legislature.id)))
        parties = set(session.scalars(select(Party.id)))
        for row in parsed.rows:
            if row["legislature_id"] not in chambers:
                there = ", ".join(sorted(chambers))
                errors.append((row["line"], f"no legislature {row['legislature_id']!r} ({there})"))
            if row["party_id"] is not None and row["party_id"] not in parties:
                there = ", ".join(sorted(parties))
                errors.append((row["line"], f"no party {row['party_id']!r} ({there}; or empty)"))
        return errors
    named = {row["deputy_id"] for row in parsed.rows}
    known = set(session.scalars(select(Deputy.id).where(Deputy.id.in_(named))))
    for row in parsed.rows:
        if row["deputy_id"] not in known:
            errors.append((row["line"], f"no deputy {row['deputy_id']!r}: import them first"))
    return errors


def _repeated(parsed: Parsed) -> list[tuple[int, str]]:
    """A row given twice, or a roll call whose rows disagree on its date, title or source."""
    keys = {
        "deputies": ("id",),
        "attendance": ("deputy_id", "day"),
        "votes": ("roll_call_id", "deputy_id"),
    }[parsed.kind]
    first: dict[tuple[Any, ...], int] = {}
    calls: dict[str, tuple[int, tuple[Any, ...]]] = {}
    errors = []
    for row in parsed.rows:
        key = tuple(row[k] for k in keys)
        if key in first:
            errors.append((row["line"], f"the same row as line {first[key]}"))
        first.setdefault(key, row["line"])
        if parsed.kind == "votes":
            facts = (row["day"], row["title"], row["source"])
            line, seen = calls.setdefault(row["roll_call_id"], (row["line"], facts))
            if seen != facts:
                errors.append(
                    (row["line"], f"vote {row['roll_call_id']}: date, title and source differ "
                     f"from line {line}")
                )  # fmt: skip
    return errors


def _deputies(session: Session, rows: list[dict[str, Any]]) -> list[SyncCounts]:
    ids = [r["id"] for r in rows]
    return [sync_rows(session, Deputy, rows, key=["id"], where=Deputy.id.in_(ids))]


def _attendance(session: Session, rows: list[dict[str, Any]]) -> list[SyncCounts]:
    ids = {r["deputy_id"] for r in rows}
    days = {r["day"] for r in rows}
    where = Attendance.deputy_id.in_(ids) & Attendance.day.in_(days)
    return [sync_rows(session, Attendance, rows, key=["deputy_id", "day"], where=where)]


def _votes(session: Session, rows: list[dict[str, Any]]) -> list[SyncCounts]:
    calls: dict[str, dict[str, Any]] = {}
    for r in rows:
        facts = {"id": r["roll_call_id"], "day": r["day"], "title": r["title"]}
        calls.setdefault(r["roll_call_id"], facts | {"source": r["source"]})
    records = [{k: r[k] for k in ("roll_call_id", "deputy_id", "choice")} for r in rows]
    return [
        sync_rows(session, RollCall, calls.values(), key=["id"], where=RollCall.id.in_(calls)),
        sync_rows(
            session, VoteRecord, records, key=["roll_call_id", "deputy_id"],
            where=VoteRecord.roll_call_id.in_(calls),
        ),
    ]  # fmt: skip


_STORE = {"deputies": _deputies, "attendance": _attendance, "votes": _votes}
