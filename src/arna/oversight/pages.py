"""The public figures: the home page, a body's page and a region's page, with their maps.

Everything works without JavaScript except the maps, whose figures are also in a table.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy.orm import Session

from arna.appeals import queries as appeals
from arna.appeals.labels import status_names
from arna.appeals.pages.tables import appeal_rows, not_found
from arna.bodies import queries as bodies
from arna.bodies.competence import handled_categories
from arna.core import i18n
from arna.core.clock import now_utc
from arna.core.deps import ReadSessionDep
from arna.geo import queries as geo
from arna.oversight import queries
from arna.oversight.queries import PlaceFigures
from arna.web.maps import MapPlace, feature_collection
from arna.web.templating import make_templates

router = APIRouter(include_in_schema=False)
templates = make_templates("arna.oversight", "arna.appeals")
_ = i18n.gettext_

OVERDUE_SHOWN = 50
REGION_BODIES = ["oblast_akimat", "city_rs_akimat", "maslikhat"]


def _regions(session: Session) -> list[PlaceFigures]:
    places = queries.region_figures(session, geo.units_of(session, 1), i18n.current())
    return [replace(p, url=f"/regions/{p.kato}") for p in places]


def _districts(session: Session, region: str) -> list[PlaceFigures]:
    units = geo.units_of(session, 2, parent=region)
    places = queries.district_figures(session, units, i18n.current())
    return [replace(p, url=f"/bodies/akimat-{p.kato}") for p in places]


def _map(session: Session, places: list[PlaceFigures]) -> JSONResponse:
    shapes = geo.boundaries(session, [p.kato for p in places])
    shown = [
        MapPlace(p.kato, p.name, p.url, p.population, p.appeals, p.rate, p.on_time_share)
        for p in places
    ]
    return JSONResponse(feature_collection(shown, shapes))


@router.get("/", response_class=HTMLResponse)
def index(request: Request, session: ReadSessionDep) -> HTMLResponse:
    """The front door: what Arna does, the country's figures and the regions with their map."""
    language = i18n.current()
    regions = geo.regions(session)
    akimats = bodies.of_kinds(session, REGION_BODIES)
    counts: dict[str, int] = {}
    for unit in geo.units_of(session, 2):
        counts[unit.parent_kato or ""] = counts.get(unit.parent_kato or "", 0) + 1
    figures = {place.kato: place for place in _regions(session)}
    rows: list[dict[str, Any]] = []
    for region in regions:
        akimat = akimats.get(f"akimat-{region.kato}")
        maslikhat = akimats.get(f"maslikhat-{region.kato}")
        place = figures.get(region.kato)
        rows.append(
            {
                "kato": region.kato,
                "iso": region.iso_3166_2,
                "name": getattr(region, f"name_{language}"),
                "population": region.population,
                "akimat": getattr(akimat, f"name_{language}") if akimat else "",
                "akimat_id": akimat.id if akimat else "",
                "maslikhat": getattr(maslikhat, f"name_{language}") if maslikhat else "",
                "districts": counts.get(region.kato, 0),
                "appeals": place.appeals if place else 0,
                "rate": place.rate if place else None,
                "on_time": place.on_time_share if place else None,
            }
        )
    return templates.TemplateResponse(
        request, "index.html", {"rows": rows, "figures": queries.home_figures(session)}
    )


@router.get("/bodies/{body_id}", response_class=HTMLResponse)
def body_page(request: Request, body_id: str, session: ReadSessionDep) -> HTMLResponse:
    """A state body: what it is, what it answers, how it answers, and what it has let slide."""
    body = bodies.body(session, body_id)
    if body is None:
        return not_found(request, _("There is no state body with this identifier."))
    lang = i18n.current()
    on = queries.today()
    kind = bodies.kind(session, body.kind)
    parent = bodies.body(session, body.parent_id) if body.parent_id else None
    territory = geo.unit(session, body.kato) if body.kato else None
    figures, overdue_now = queries.body_figures(session, body.id)
    now = now_utc()
    late = appeals.overdue_public(session, body.id, on, OVERDUE_SHOWN)
    context = {
        "body": body,
        "name": getattr(body, f"name_{lang}"),
        "kind": getattr(kind, f"name_{lang}") if kind else body.kind,
        "parent": (parent.id, getattr(parent, f"name_{lang}")) if parent else None,
        "territory": territory,
        "territory_name": getattr(territory, f"name_{lang}") if territory else None,
        "region_kato": (body.kato[:2] + "0000000") if body.kato else None,
        "categories": sorted(
            ((c.id, c.name(lang)) for c in handled_categories(body.id, body.kato, on)),
            key=lambda c: c[1],
        ),
        "figures": figures,
        "overdue_now": overdue_now,
        "overdue": appeal_rows(session, [appeals.summary(a, now) for a in late]),
        "overdue_shown": OVERDUE_SHOWN,
        "children": bodies.child_names(session, body.id, lang),
        "statuses": status_names(),
    }
    return templates.TemplateResponse(request, "public_body.html", context)


@router.get("/regions/map.json")
def regions_map(session: ReadSessionDep) -> JSONResponse:
    """GeoJSON of the 20 regions with their figures, for the map on the home page."""
    return _map(session, _regions(session))


@router.get("/regions/{kato}", response_class=HTMLResponse)
def region_page(request: Request, kato: str, session: ReadSessionDep) -> HTMLResponse:
    """A region: its districts' appeals per 10,000 residents and on-time shares, table and map."""
    region = geo.region(session, kato)
    if region is None:
        return not_found(request, _("There is no region with this KATO code."))
    whole, unplaced, overdue_now = queries.region_whole(session, region, i18n.current())
    context = {
        "region": region,
        "name": whole.name,
        "whole": whole,
        "unplaced": unplaced,
        "districts": _districts(session, kato),
        "overdue_now": overdue_now,
    }
    return templates.TemplateResponse(request, "public_region.html", context)


@router.get("/regions/{kato}/map.json")
def region_map(kato: str, session: ReadSessionDep) -> JSONResponse:
    """GeoJSON of a region's districts with their figures in the feature properties."""
    if geo.region(session, kato) is None:
        return JSONResponse({"detail": "no region with this KATO code"}, status_code=404)
    return _map(session, _districts(session, kato))
