"""Reads of state bodies and categories: lists, one body with its chain, names in a language."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from arna.bodies.models import AppealCategory, Body, BodyType
from arna.core.collation import sort_key
from arna.core.errors import NotFound
from arna.core.hierarchy import Family, family


def body_exists(session: Session, body_id: str) -> bool:
    return session.get(Body, body_id) is not None


def body(session: Session, body_id: str) -> Body | None:
    return session.get(Body, body_id)


def kind(session: Session, kind_id: str) -> BodyType | None:
    return session.get(BodyType, kind_id)


def categories(session: Session) -> list[AppealCategory]:
    return list(session.scalars(select(AppealCategory).order_by(AppealCategory.id)))


def bodies(session: Session, *, kato: str | None = None, kind: str | None = None) -> list[Body]:
    """Bodies by id, of a territory and a kind when given."""
    query = select(Body).order_by(Body.id)
    if kato is not None:
        query = query.where(Body.kato == kato)
    if kind is not None:
        query = query.where(Body.kind == kind)
    return list(session.scalars(query))


def of_kinds(session: Session, kinds: list[str]) -> dict[str, Body]:
    return {b.id: b for b in session.scalars(select(Body).where(Body.kind.in_(kinds)))}


def by_ids(session: Session, ids: Iterable[str]) -> dict[str, Body]:
    return {b.id: b for b in session.scalars(select(Body).where(Body.id.in_(list(ids))))}


def body_with_family(session: Session, body_id: str) -> Family[Body]:
    """The body, the bodies above it (nearest first) and those directly under it."""
    found = family(session, Body, body_id, Body.parent_id)
    if found is None:
        raise NotFound(f"no body with id {body_id!r}", body_id=body_id)
    return found


def names(session: Session, ids: set[str], lang: str) -> dict[str, str]:
    """The names of bodies in `lang`, by id."""
    if not ids:
        return {}
    name = getattr(Body, f"name_{lang}")
    return dict(session.execute(select(Body.id, name).where(Body.id.in_(ids))).all())


def child_names(session: Session, body_id: str, lang: str) -> list[tuple[str, str]]:
    """(id, name in `lang`) of the bodies directly under this one, by name."""
    name = getattr(Body, f"name_{lang}")
    rows = session.execute(select(Body.id, name).where(Body.parent_id == body_id)).all()
    return sorted(((r[0], r[1]) for r in rows), key=lambda c: sort_key(c[1], lang))
