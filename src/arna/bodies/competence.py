"""Competence rules: which body answers an appeal of a category about a place.

A rule names the body kinds that may answer (in order of preference), the central body a regional
department must belong to, and the lowest level of the territorial hierarchy where such a body
sits. Routing walks up from the place (district -> region -> republic) to the nearest body that
fits, so a pothole in a district goes to the district akimat, the same pothole in a district of
Almaty to the Almaty city akimat (city-district akimats do not run roads), and a republican
highway to the Committee for Roads of the Ministry of Transport.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from arna.bodies.reference import BodyRow, bodies, parent_chain
from arna.core.errors import ArnaError, NotFound, ValidationFailed
from arna.geo.reference import COUNTRY_KATO, Unit, chain, units

LEVELS = {"district": 2, "region": 1, "national": 0}


@dataclass(frozen=True)
class Category:
    id: str
    name_kk: str
    name_ru: str
    name_en: str
    body_kinds: tuple[str, ...]
    central_id: str | None
    lowest_level: str
    basis: str

    def name(self, lang: str) -> str:
        return {"kk": self.name_kk, "ru": self.name_ru}.get(lang, self.name_en)


@dataclass(frozen=True)
class Route:
    category: Category
    place: Unit
    body: BodyRow
    chain: list[BodyRow]  # the body, then every body above it
    reason: str


@cache
def categories() -> dict[str, Category]:
    with (
        resources.files("arna.bodies")
        .joinpath("data", "categories.csv")
        .open(encoding="utf-8") as f
    ):
        return {
            r["id"]: Category(
                id=r["id"],
                name_kk=r["name_kk"],
                name_ru=r["name_ru"],
                name_en=r["name_en"],
                body_kinds=tuple(r["body_kinds"].split("|")),
                central_id=r["central_id"] or None,
                lowest_level=r["lowest_level"],
                basis=r["basis"],
            )
            for r in csv.DictReader(f)
        }


def _valid(body: BodyRow, on: date) -> bool:
    return (body.valid_from is None or body.valid_from <= on) and (
        body.valid_to is None or on <= body.valid_to
    )


@cache
def _by_jurisdiction() -> dict[tuple[str, str | None], list[BodyRow]]:
    index: dict[tuple[str, str | None], list[BodyRow]] = {}
    for body in bodies().values():
        index.setdefault((body.kind, body.kato), []).append(body)
    return index


def _pick(kind: str, kato: str | None, central_id: str | None, on: date) -> BodyRow | None:
    for body in _by_jurisdiction().get((kind, kato), []):
        if central_id is not None:
            serves = body.id if kato is None else body.central_id
            if serves != central_id:
                continue
        if _valid(body, on):
            return body
    return None


def route(category_id: str, kato: str, on: date | None = None) -> Route:
    """The competent body for a category of problem at a place (KATO), as of a date."""
    rule = categories().get(category_id)
    if rule is None:
        raise NotFound(
            f"unknown category {category_id!r}; see GET /api/v1/categories for the list",
            category=category_id,
        )
    place = units().get(kato)
    if place is None:
        raise ValidationFailed(
            f"unknown KATO code {kato!r}: give a 9-digit code of a region or district",
            kato=kato,
        )
    on = on or date.today()
    lowest = LEVELS[rule.lowest_level]
    for unit in chain(kato):
        if unit.level > lowest:
            continue
        jurisdiction = None if unit.kato == COUNTRY_KATO else unit.kato
        for kind in rule.body_kinds:
            body = _pick(kind, jurisdiction, rule.central_id, on)
            if body is not None:
                where = "the republic" if jurisdiction is None else f"{unit.name_en} ({unit.kato})"
                reason = (
                    f"{rule.id} is handled by a {kind} from {rule.lowest_level} level up; "
                    f"for {place.name_en} ({place.kato}) the nearest one serves {where}"
                )
                return Route(rule, place, body, parent_chain(body.id), reason)
    if rule.central_id and rule.central_id in bodies():
        body = bodies()[rule.central_id]
        reason = f"category {rule.id}: no regional body found; the central body answers"
        return Route(rule, place, body, parent_chain(body.id), reason)
    if place.level == 0:
        raise ValidationFailed(
            f"{category_id} is handled by local bodies: give the KATO of a region or district",
            category=category_id,
            kato=kato,
        )
    raise NotFound(f"no competent body for {category_id} at {kato} on {on.isoformat()}")


def handled_categories(body_id: str, kato: str | None, on: date | None = None) -> list[Category]:
    """Topics that the routing rules send to this body for problems in its territory."""
    handled = []
    for category in categories().values():
        try:
            decided = route(category.id, kato or COUNTRY_KATO, on)
        except ArnaError:
            continue
        if decided.body.id == body_id:
            handled.append(category)
    return handled
