"""HTTP API of territorial units: list, detail, find in text, locate a point."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from arna.core.deps import ReadSessionDep
from arna.core.errors import NotFound
from arna.core.problems import problem_responses
from arna.geo import lookup, queries
from arna.geo.locate import locate
from arna.geo.models import KatoUnit
from arna.geo.schemas import (
    FindResult,
    LocateResult,
    PlaceMatchPublic,
    UnitDetail,
    UnitPublic,
    detail,
)

router = APIRouter(tags=["geo"], responses=problem_responses(404, 422))


@router.get("/regions", response_model=list[UnitPublic], summary="The 20 first-level units")
def list_regions(session: ReadSessionDep) -> list[KatoUnit]:
    return queries.regions(session)


@router.get("/geo/units/{kato}", response_model=UnitDetail, summary="One unit with its parents")
def get_unit(kato: str, session: ReadSessionDep) -> UnitDetail:
    return detail(queries.unit_with_family(session, kato))


@router.get("/geo/find", response_model=FindResult, summary="Find places named in a text")
def find_places(
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=10_000,
            description="Free text in kk, ru or en.",
            examples=["Шымкентте жол жөнделмей жатыр"],
        ),
    ],
) -> FindResult:
    best = lookup.find(q)
    return FindResult(
        query=q,
        best=PlaceMatchPublic.of(best) if best else None,
        matches=[PlaceMatchPublic.of(m) for m in lookup.find_all(q)],
    )


@router.get("/geo/at", response_model=LocateResult, summary="The unit at a point")
def locate_point(
    session: ReadSessionDep,
    lat: Annotated[float, Query(ge=-90, le=90, examples=[43.238])],
    lon: Annotated[float, Query(ge=-180, le=180, examples=[76.889])],
) -> LocateResult:
    found = locate(lat, lon)
    if found is None:
        raise NotFound(f"the point {lat}, {lon} is outside Kazakhstan", lat=lat, lon=lon)
    region = queries.unit(session, found.region.kato)
    district = queries.unit(session, found.district.kato) if found.district else None
    if region is None:
        raise NotFound("reference data is not loaded: run `arna db upgrade`")
    return LocateResult(
        lat=lat,
        lon=lon,
        district=UnitPublic.model_validate(district) if district else None,
        region=UnitPublic.model_validate(region),
        exact=found.exact,
    )
