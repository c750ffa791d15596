"""Server-rendered pages. The product pages come with their slices; this is the front door."""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from arna.bodies.models import Body
from arna.geo.models import KatoUnit
from arna.web.deps import ReadSessionDep, SettingsDep

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(resources.files("arna.web").joinpath("templates")))

# The handful of words on this page; the gettext catalogs of the web issue replace this table.
WORDS = {
    "kk": {
        "title": "Өңірлер және олардың әкімдіктері",
        "region": "Өңір",
        "akimat": "Әкімдік",
        "maslikhat": "Мәслихат",
        "population": "Халық саны",
        "districts": "Аудандар мен қалалар",
        "tagline": "Азаматтар мен мемлекет арасындағы арна",
    },
    "ru": {
        "title": "Регионы и их акиматы",
        "region": "Регион",
        "akimat": "Акимат",
        "maslikhat": "Маслихат",
        "population": "Население",
        "districts": "Районы и города",
        "tagline": "Канал между гражданами и государством",
    },
    "en": {
        "title": "Regions and their akimats",
        "region": "Region",
        "akimat": "Akimat",
        "maslikhat": "Maslikhat",
        "population": "Population",
        "districts": "Districts and cities",
        "tagline": "A channel between citizens and the state",
    },
}


def pick_language(request: Request, lang: str | None, default: str) -> str:
    if lang in WORDS:
        return lang
    accepted = request.headers.get("accept-language", "")
    for part in accepted.split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in WORDS:
            return code
    return default


@router.get("/", response_class=HTMLResponse)
def index(
    request: Request,
    session: ReadSessionDep,
    settings: SettingsDep,
    lang: Annotated[str | None, Query(max_length=5)] = None,
) -> HTMLResponse:
    language = pick_language(request, lang, settings.locale)
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
    rows: list[dict[str, Any]] = []
    for region in regions:
        akimat = bodies.get(f"akimat-{region.kato}")
        maslikhat = bodies.get(f"maslikhat-{region.kato}")
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
            }
        )
    return templates.TemplateResponse(
        request,
        "index.html",
        {"rows": rows, "w": WORDS[language], "lang": language, "languages": list(WORDS)},
    )
