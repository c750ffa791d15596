"""Reads of territorial units: lists, one unit with its parents and children, names, shapes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from arna.core.errors import NotFound
from arna.core.hierarchy import Family, family
from arna.geo.models import KatoUnit


def regions(session: Session) -> list[KatoUnit]:
    """The first-level units, by KATO code."""
    return list(
        session.scalars(select(KatoUnit).where(KatoUnit.level == 1).order_by(KatoUnit.kato))
    )


def units_of(session: Session, level: int, parent: str | None = None) -> list[KatoUnit]:
    """Units of a level (under `parent` when given), in no particular order."""
    query = select(KatoUnit).where(KatoUnit.level == level)
    if parent is not None:
        query = query.where(KatoUnit.parent_kato == parent)
    return list(session.scalars(query))


def unit(session: Session, kato: str) -> KatoUnit | None:
    return session.get(KatoUnit, kato)


def region(session: Session, kato: str) -> KatoUnit | None:
    """The first-level unit with this code, or None (also for districts)."""
    found = session.get(KatoUnit, kato)
    return found if found is not None and found.level == 1 else None


def unit_with_family(session: Session, kato: str) -> Family[KatoUnit]:
    """The unit, the units above it (nearest first) and those directly under it."""
    found = family(session, KatoUnit, kato, KatoUnit.parent_kato)
    if found is None:
        raise NotFound(f"no territorial unit with KATO {kato!r}", kato=kato)
    return found


def names(session: Session, katos: list[str], lang: str) -> list[str]:
    """The names of the units in `lang`, in the order given (unknown codes left out)."""
    found = [session.get(KatoUnit, kato) for kato in katos]
    return [getattr(u, f"name_{lang}") for u in found if u is not None]


def boundaries(session: Session, katos: list[str]) -> dict[str, str]:
    """The simplified boundary (GeoJSON geometry text) of each unit that has one."""
    return {
        kato: shape
        for kato, shape in session.execute(
            select(KatoUnit.kato, KatoUnit.boundary).where(KatoUnit.kato.in_(katos))
        )
        if shape
    }
