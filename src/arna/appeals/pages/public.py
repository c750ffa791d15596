"""Public pages of appeals: the list with filters, and one public appeal with its history.

They work without JavaScript. Only public appeals are listed or shown, through the same
redacted views as the API.
"""

from __future__ import annotations

import re
from datetime import date
from math import ceil
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from arna.appeals import queries
from arna.appeals.labels import event_names, kind_names, result_names, status_names
from arna.appeals.pages.tables import appeal_rows, category_name, not_found, templates
from arna.appeals.policy import ANSWERED_RESULTS, STATUSES
from arna.appeals.redact import redact
from arna.appeals.schemas import AppealPublic
from arna.bodies import queries as bodies
from arna.bodies.competence import categories
from arna.core import i18n
from arna.core.actors import ANONYMOUS
from arna.core.clock import now_utc
from arna.core.deps import ReadSessionDep
from arna.core.errors import NotFound
from arna.geo import queries as geo

router = APIRouter(include_in_schema=False)
_ = i18n.gettext_

PER_PAGE = 20
NUMBER = re.compile(r"[0-9]{1,6}")


def _list_url(filters: dict[str, str], page: int) -> str:
    params = {k: v for k, v in filters.items() if v}
    if page > 1:
        params["page"] = str(page)
    return "/appeals" + (f"?{urlencode(params)}" if params else "")


def _api_url(filters: dict[str, str], page: int) -> str:
    booleans = {"yes": "true", "no": "false"}
    params = {k: booleans.get(v, v) for k, v in filters.items() if v}
    params.update(page=str(page), per_page=str(PER_PAGE))
    return f"/api/v1/appeals?{urlencode(params)}"


def _options(session: Session, body: str) -> dict[str, Any]:
    lang = i18n.current()
    regions = sorted(
        ((u.kato, getattr(u, f"name_{lang}")) for u in geo.units_of(session, 1)),
        key=lambda r: r[1],
    )
    cats = sorted(((c.id, c.name(lang)) for c in categories().values()), key=lambda c: c[1])
    return {
        "regions": regions,
        "bodies": queries.bodies_holding_public(session, lang, also=body),
        "categories": cats,
    }


@router.get("/appeals", response_class=HTMLResponse)
def appeals_list(
    request: Request,
    session: ReadSessionDep,
    region: str = "",
    body: str = "",
    category: str = "",
    status: str = "",
    overdue: str = "",
    escalated: str = "",
    page: str = "1",
) -> HTMLResponse:
    """Public appeals, newest first, 20 a page; filters are a plain GET form. Values that are
    not on offer are ignored, never echoed."""
    filters = {
        "region": region if geo.region(session, region) is not None else "",
        "body": body if body and bodies.body_exists(session, body) else "",
        "category": category if category in categories() else "",
        "status": status if status in STATUSES else "",
        "overdue": overdue if overdue in ("yes", "no") else "",
        "escalated": escalated if escalated in ("yes", "no") else "",
    }
    number = int(page) if NUMBER.fullmatch(page) else 1
    number = min(max(number, 1), 100_000)
    yes_no = {"yes": True, "no": False}
    chosen = queries.Filters(
        region=filters["region"] or None,
        body=filters["body"] or None,
        category=filters["category"] or None,
        status=filters["status"] or None,
        overdue=yes_no.get(filters["overdue"]),
        escalated=yes_no.get(filters["escalated"]),
    )
    found = queries.list_appeals(session, ANONYMOUS, chosen, number, PER_PAGE, now_utc())
    pages = max(1, ceil(found.total / PER_PAGE))
    context = {
        "filters": filters,
        "rows": appeal_rows(session, found.items),
        "total": found.total,
        "page": number,
        "pages": pages,
        "prev_url": _list_url(filters, min(number - 1, pages)) if number > 1 else None,
        "next_url": _list_url(filters, number + 1) if number < pages else None,
        "last_url": _list_url(filters, pages),
        "api_url": _api_url(filters, number),
        "statuses": status_names(),
        **_options(session, filters["body"]),
    }
    return templates.TemplateResponse(request, "public_appeals.html", context)


def _history(session: Session, appeal: AppealPublic) -> list[dict[str, Any]]:
    names = event_names()
    moved = ("appeal.submitted", "appeal.forwarded", "appeal.escalated")
    dated = (*moved, "appeal.extended")
    explained = ("appeal.forwarded", "appeal.extended")
    rows = []
    for e in appeal.events:
        new = e.new if isinstance(e.new, dict) else {}
        rows.append(
            {
                "type": names.get(e.type, e.type),
                "at": e.at,
                "hash": e.hash,
                "prev_hash": e.prev_hash,
                "body_id": new.get("body_id") if e.type in moved else None,
                "due_date": new.get("due_date") if e.type in dated else None,
                # The officials' reasons for forwarding and extending are public; the system's
                # notes (routing, escalation) are not translated and the event name says it.
                "reason": redact(e.reason) if e.reason and e.type in explained else "",
            }
        )
    ids = {r["body_id"] for r in rows if r["body_id"]}
    names_of = bodies.names(session, ids | {a.body.id for a in appeal.assignments}, i18n.current())
    for r in rows:
        r["body"] = names_of.get(r["body_id"] or "", r["body_id"])
        r["due_date"] = date.fromisoformat(r["due_date"]) if r["due_date"] else None
    return rows


@router.get("/appeals/{number}", response_class=HTMLResponse)
def appeal_page(request: Request, number: str, session: ReadSessionDep) -> HTMLResponse:
    """One public appeal: redacted text and answer, where it is, and its hash-chained history."""
    try:
        found, _view = queries.get_appeal_for(session, ANONYMOUS, number)
    except NotFound:
        return not_found(request, _("There is no public appeal with this number."))
    appeal = queries.public_view(session, found, now_utc())
    lang = i18n.current()
    names = bodies.names(session, {appeal.body.id} | {a.body.id for a in appeal.assignments}, lang)
    place = None
    if appeal.kato:
        katos = [appeal.kato]
        if appeal.region_kato and appeal.region_kato != appeal.kato:
            katos.append(appeal.region_kato)
        place = ", ".join(geo.names(session, katos, lang))
    context = {
        "appeal": appeal,
        "body": names.get(appeal.body.id, appeal.body.name),
        "category": category_name(appeal.category),
        "place": place,
        "status": status_names().get(appeal.status, appeal.status),
        "outcome": result_names().get(appeal.outcome or "", appeal.outcome),
        "kinds": kind_names(),
        "held": [
            {
                "body_id": a.body.id,
                "body": names.get(a.body.id, a.body.name),
                "started_at": a.started_at,
                "due_date": a.due_date,
                "result": result_names().get(a.result or "", a.result),
                "late": a.failed and a.result in ANSWERED_RESULTS and a.result != "disputed",
            }
            for a in appeal.assignments
        ],
        "history": _history(session, appeal),
    }
    return templates.TemplateResponse(request, "public_appeal.html", context)
