"""Where a new appeal goes: category, place, language, publicity and the competent body.

Pure work done before any lock is taken: a bad category or place is a 422 here, and nothing has
been written yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from arna.appeals.classify import guess_language, suggest_category
from arna.appeals.policy import PUBLIC_BY_DEFAULT
from arna.appeals.schemas import AppealCreate, BodyRef
from arna.bodies.competence import categories, route
from arna.bodies.reference import akimat_id, bodies
from arna.core.errors import ValidationFailed
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
