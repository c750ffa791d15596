"""Hierarchies (territorial units, bodies): walking up from a node to its top, and a row of a
self-referencing table with the rows above and below it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from arna.core.db import Base

T = TypeVar("T")
M = TypeVar("M", bound=Base)


def lineage(node: T, parent_of: Callable[[T], T | None]) -> list[T]:
    """The node and every node above it, top last. Stops on a cycle rather than looping."""
    out = [node]
    seen = {id(node)}
    parent = parent_of(node)
    while parent is not None and id(parent) not in seen:
        out.append(parent)
        seen.add(id(parent))
        parent = parent_of(parent)
    return out


@dataclass(frozen=True)
class Family(Generic[M]):
    """A row of a self-referencing table, the rows above it (nearest first) and those
    directly under it."""

    node: M
    above: list[M]
    below: list[M]


def family(
    session: Session, model: type[M], key: str, parent: InstrumentedAttribute[Any]
) -> Family[M] | None:
    """The row with primary key `key` and its family, `parent` being the column that points at
    the row above; None when there is no such row."""
    node = session.get(model, key)
    if node is None:
        return None

    def parent_of(row: M) -> M | None:
        above = getattr(row, parent.key)
        return session.get(model, above) if above else None

    (primary,) = model.__mapper__.primary_key
    below = session.scalars(select(model).where(parent == key).order_by(primary))
    return Family(node, lineage(node, parent_of)[1:], list(below))
