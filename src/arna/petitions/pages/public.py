"""The public pages of petitions: the list with its filters, one petition (its state, progress
against the threshold, the chart over time, the map of where its signers live and the sign
form), and the map's figures.

They work without JavaScript: the chart and the map are drawn in the browser, and their figures
are in tables too. A draft is not shown here: its author sees it on the manage page.
"""

from __future__ import annotations

import re
from math import ceil
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import Session

from arna.core import i18n
from arna.core.deps import ReadSessionDep, SettingsDep
from arna.core.errors import NotFound
from arna.core.settings import Settings
from arna.geo.reference import units
from arna.petitions import labels, policy, queries
from arna.petitions.addressees import addressee
from arna.petitions.pages.views import (
    addressee_groups,
    missing,
    petition_context,
    progress,
    region_choices,
    region_shapes,
    templates,
    today,
)
from arna.web.maps import MapFigure, count_bands, figure_collection
from arna.web.paging import page_links

router = APIRouter(include_in_schema=False)
_ = i18n.gettext_

PER_PAGE = 20
NUMBER = re.compile(r"[0-9]{1,5}")


@router.get("/petitions", response_class=HTMLResponse)
def petitions_list(
    request: Request,
    session: ReadSessionDep,
    status: str = "",
    addressee_id: str = "",
    region: str = "",
    page: str = "1",
) -> HTMLResponse:
    """Published petitions (and those that ended), the most signed first, 20 a page; the
    filters are a plain GET form. Values that are not on offer are ignored, never echoed."""
    day = today()
    regions = region_choices()
    filters = {
        "status": status if status in policy.LISTED else "",
        "addressee_id": addressee_id if addressee(addressee_id, day) else "",
        "region": region if region in dict(regions) else "",
    }
    number = min(max(int(page) if NUMBER.fullmatch(page) else 1, 1), 10_000)
    found = queries.list_petitions(
        session,
        i18n.current(),
        status=filters["status"] or None,
        addressee=filters["addressee_id"] or None,
        region=filters["region"] or None,
        page=number,
        per_page=PER_PAGE,
    )
    pages = max(1, ceil(found.total / PER_PAGE))
    rows = [
        {
            "item": item,
            "progress": progress(item.signatures, item.threshold, item.status),
            "badge_class": labels.badge_class(item.status, _late(item, day)),
            "status_name": labels.status_name(item.status, _late(item, day)),
        }
        for item in found.items
    ]
    context = {
        "filters": filters,
        "rows": rows,
        "total": found.total,
        "page": number,
        "pages": pages,
        **page_links("/petitions", filters, number, pages),
        "api_url": "/api/v1/petitions?"
        + urlencode(
            {
                **{("addressee" if k == "addressee_id" else k): v for k, v in filters.items() if v},
                "page": number,
                "lang": i18n.current(),
            }
        ),
        "statuses": labels.status_choices(),
        "addressees": addressee_groups(day, with_threshold=False),
        "regions": regions,
    }
    return templates.TemplateResponse(request, "petitions_list.html", context)


def _late(item: Any, day: Any) -> bool:
    return bool(
        item.status == policy.RESPONSE_DUE and item.response_due and item.response_due < day
    )


def render_petition(
    request: Request,
    session: Session,
    settings: Settings,
    number: str,
    sign: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """The petition's page; `sign` holds the sign form's values and errors when it comes back
    to be corrected."""
    try:
        petition = queries.petition_for(session, number)
    except NotFound:
        return missing(request, number)
    context = petition_context(session, settings, petition)
    context["sign"] = sign or {
        "typed": {},
        "errors": {},
        "error": "",
        "done": request.query_params.get("signed", ""),
    }
    context["regions_choices"] = region_choices()
    return templates.TemplateResponse(request, "petition.html", context, status_code=status_code)


@router.get("/petitions/{number}", response_class=HTMLResponse)
def petition_page(
    request: Request, number: str, session: ReadSessionDep, settings: SettingsDep
) -> Response:
    return render_petition(request, session, settings, number)


@router.get("/petitions/{number}/regions.json")
def regions_map(number: str, session: ReadSessionDep, settings: SettingsDep) -> JSONResponse:
    """GeoJSON of the regions coloured by the petition's valid signatures whose signers live
    there; a region with fewer signers than the minimum cell has no figure."""
    try:
        petition = queries.petition_for(session, number)
    except NotFound:
        return JSONResponse({"type": "FeatureCollection", "features": []}, status_code=404)
    lang = i18n.current()
    shown = {
        r.kato: r.signatures
        for r in queries.by_region(session, petition.id, lang, settings.min_cell)
    }
    places = []
    for kato, unit in units().items():
        if unit.level != 1 or unit.valid_to is not None:
            continue
        value = shown.get(kato, 0)
        if value is None:
            text = _("fewer than %(n)s") % {"n": i18n.fmt_number(settings.min_cell)}
        else:
            text = i18n.fmt_number(value)
        places.append(
            MapFigure(
                kato,
                unit.name(lang),
                "",
                None if value is None else float(value),
                ((_("Signatures"), text),),
                point=unit.unit_type == "city_republican_significance",
            )
        )
    classes = count_bands([p.value for p in places if p.value is not None])
    collection = figure_collection(places, region_shapes(), classes, _("Signatures"))
    return JSONResponse(collection)
