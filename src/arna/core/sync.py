"""Idempotent loading of reference rows: insert what is new, update what changed, report counts.

Rows that disappeared from the data are counted as `stale` and kept: appeals and audit events
may point at them, and history must stay readable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import DeclarativeBase, Session


@dataclass
class SyncCounts:
    table: str
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated)

    def as_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "stale": self.stale,
        }


def sync_rows(
    session: Session,
    model: type[DeclarativeBase],
    rows: Iterable[dict[str, Any]],
    key: Sequence[str],
    where: ColumnElement[bool] | None = None,
) -> SyncCounts:
    """Make the table hold `rows` (matched on `key` columns), in the order given; only the
    stored rows `where` selects are compared (and counted stale), when given."""
    counts = SyncCounts(str(model.__tablename__))
    query = select(model) if where is None else select(model).where(where)
    existing = {tuple(getattr(obj, k) for k in key): obj for obj in session.scalars(query)}
    seen = set()
    for row in rows:
        ident = tuple(row[k] for k in key)
        seen.add(ident)
        obj = existing.get(ident)
        if obj is None:
            session.add(model(**row))  # flushed in the order added: parents before children
            counts.inserted += 1
            continue
        changed = False
        for column, value in row.items():
            if getattr(obj, column) != value:
                setattr(obj, column, value)
                changed = True
        if changed:
            counts.updated += 1
        else:
            counts.unchanged += 1
    session.flush()
    counts.stale = len(set(existing) - seen)
    return counts
