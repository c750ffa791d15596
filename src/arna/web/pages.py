"""Server-rendered pages. The product pages come with their slices; this is the front door."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from arna.appeals.public_pages import fmt_rate, fmt_share, home_figures, region_figures
from arna.bodies.models import Body
from arna.geo.models import KatoUnit
from arna.web import i18n
from arna.web.deps import ReadSessionDep
from arna.web.templating import make_templates

router = APIRouter(include_in_schema=False)
templates = make_templates("arna.web")
templates.env.globals.update(fmt_share=fmt_share, fmt_rate=fmt_rate)


@router.get("/", response_class=HTMLResponse)
def index(request: Request, session: ReadSessionDep) -> HTMLResponse:
    language = i18n.current()
    regions = session.scalars(select(KatoUnit).where(KatoUnit.level == 1).order_by(KatoUnit.kato))
    bodies = {
        b.id: b
        for b in session.scalars(
            select(Body).where(Body.kind.in_(["oblast_akimat", "city_rs_akimat", "maslikhat"]))
        )
    }
    counts: dict[str, int] = {}
    for unit in session.scalars(select(KatoUnit).where(KatoUnit.level == 2)):
        counts[unit.parent_kato or ""] = counts.get(unit.parent_kato or "", 0) + 1
    figures = {place.kato: place for place in region_figures(session)}
    rows: list[dict[str, Any]] = []
    for region in regions:
        akimat = bodies.get(f"akimat-{region.kato}")
        maslikhat = bodies.get(f"maslikhat-{region.kato}")
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
        request, "index.html", {"rows": rows, "figures": home_figures(session)}
    )
