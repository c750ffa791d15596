"""HTTP API of state bodies, appeal categories and routing."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from arna.bodies import queries
from arna.bodies.competence import route
from arna.bodies.models import AppealCategory, Body
from arna.bodies.schemas import BodyDetail, BodyPublic, CategoryPublic, RoutePublic, detail
from arna.core.deps import ReadSessionDep
from arna.core.errors import NotFound
from arna.core.problems import problem_responses
from arna.core.types import IsoDate

router = APIRouter(tags=["bodies"], responses=problem_responses(404, 422))


@router.get("/categories", response_model=list[CategoryPublic], summary="Appeal categories")
def list_categories(session: ReadSessionDep) -> list[AppealCategory]:
    return queries.categories(session)


@router.get("/bodies", response_model=list[BodyPublic], summary="State bodies, filtered")
def list_bodies(
    session: ReadSessionDep,
    kato: Annotated[str | None, Query(pattern=r"^\d{9}$", examples=["750000000"])] = None,
    kind: Annotated[str | None, Query(max_length=40, examples=["oblast_akimat"])] = None,
) -> list[Body]:
    return queries.bodies(session, kato=kato, kind=kind)


@router.get("/bodies/{body_id}", response_model=BodyDetail, summary="One body and its chain")
def get_body(body_id: str, session: ReadSessionDep) -> BodyDetail:
    return detail(queries.body_with_family(session, body_id))


@router.get("/route", response_model=RoutePublic, summary="The competent body for a problem")
def route_problem(
    session: ReadSessionDep,
    category: Annotated[str, Query(max_length=40, examples=["roads_local"])],
    kato: Annotated[str, Query(pattern=r"^\d{9}$", examples=["101800000"])],
    on: Annotated[IsoDate | None, Query(description="Date of the appeal; default today.")] = None,
) -> RoutePublic:
    decided = route(category, kato, on)
    rows = queries.by_ids(session, [b.id for b in decided.chain])
    if decided.body.id not in rows:
        raise NotFound("reference data is not loaded: run `arna db upgrade`")
    return RoutePublic(
        category=decided.category.id,
        kato=kato,
        place=decided.place.name_en,
        on=on or date.today(),
        body=BodyPublic.model_validate(rows[decided.body.id]),
        chain=[BodyPublic.model_validate(rows[b.id]) for b in decided.chain[1:]],
        reason=decided.reason,
        basis=decided.category.basis,
    )
