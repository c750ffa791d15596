"""HTTP API of state bodies, appeal categories and routing."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from arna.bodies.competence import route
from arna.bodies.models import AppealCategory, Body
from arna.bodies.schemas import BodyDetail, BodyPublic, CategoryPublic, RoutePublic
from arna.core.errors import NotFound
from arna.core.hierarchy import lineage
from arna.core.types import IsoDate
from arna.web.deps import ReadSessionDep
from arna.web.problems import problem_responses

router = APIRouter(tags=["bodies"], responses=problem_responses(404, 422))


@router.get("/categories", response_model=list[CategoryPublic], summary="Appeal categories")
def list_categories(session: ReadSessionDep) -> list[AppealCategory]:
    return list(session.scalars(select(AppealCategory).order_by(AppealCategory.id)))


@router.get("/bodies", response_model=list[BodyPublic], summary="State bodies, filtered")
def list_bodies(
    session: ReadSessionDep,
    kato: Annotated[str | None, Query(pattern=r"^\d{9}$", examples=["750000000"])] = None,
    kind: Annotated[str | None, Query(max_length=40, examples=["oblast_akimat"])] = None,
) -> list[Body]:
    query = select(Body).order_by(Body.id)
    if kato is not None:
        query = query.where(Body.kato == kato)
    if kind is not None:
        query = query.where(Body.kind == kind)
    return list(session.scalars(query))


@router.get("/bodies/{body_id}", response_model=BodyDetail, summary="One body and its chain")
def get_body(body_id: str, session: ReadSessionDep) -> BodyDetail:
    body = session.get(Body, body_id)
    if body is None:
        raise NotFound(f"no body with id {body_id!r}", body_id=body_id)
    above = lineage(body, lambda b: session.get(Body, b.parent_id) if b.parent_id else None)[1:]
    chain = [BodyPublic.model_validate(b) for b in above]
    children = session.scalars(select(Body).where(Body.parent_id == body_id).order_by(Body.id))
    return BodyDetail(
        **BodyPublic.model_validate(body).model_dump(),
        chain=chain,
        children=[BodyPublic.model_validate(c) for c in children],
    )


@router.get("/route", response_model=RoutePublic, summary="The competent body for a problem")
def route_problem(
    session: ReadSessionDep,
    category: Annotated[str, Query(max_length=40, examples=["roads_local"])],
    kato: Annotated[str, Query(pattern=r"^\d{9}$", examples=["101800000"])],
    on: Annotated[IsoDate | None, Query(description="Date of the appeal; default today.")] = None,
) -> RoutePublic:
    decided = route(category, kato, on)
    rows = {
        b.id: b
        for b in session.scalars(select(Body).where(Body.id.in_([b.id for b in decided.chain])))
    }
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
