"""Public pages of appeals: the list with filters, and one public appeal with its history.

They work without JavaScript. Only public appeals are listed or shown, through the same
redacted views as the API.
"""

from __future__ import annotations

import re
from math import ceil
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from arna.appeals import queries
from arna.appeals.actions import support
from arna.appeals.deps import take_support_quota
from arna.appeals.labels import event_names, kind_names, list_stages, result_names
from arna.appeals.pages.tables import (
    appeal_rows,
    category_choices,
    category_name,
    not_found,
    region_choices,
    story,
    templates,
)
from arna.appeals.policy import ANSWERED_RESULTS, OPEN
from arna.appeals.schemas import AppealPublic, SupportIn
from arna.bodies import queries as bodies
from arna.bodies.competence import categories
from arna.core import i18n
from arna.core.actors import ANONYMOUS
from arna.core.clock import load_calendar, now_utc
from arna.core.db import Database
from arna.core.deps import DatabaseDep, ReadSessionDep, SettingsDep
from arna.core.errors import Conflict, NotFound, TooManyRequests
from arna.core.settings import Settings
from arna.geo import queries as geo
from arna.web.paging import page_links
from arna.web.templating import NO_STORE

router = APIRouter(include_in_schema=False)
_ = i18n.gettext_

PER_PAGE = 20
NUMBER = re.compile(r"[0-9]{1,6}")


def _api_url(filters: dict[str, str], page: int) -> str:
    booleans = {"yes": "true", "no": "false"}
    params = {k: booleans.get(v, v) for k, v in filters.items() if v}
    params.update(page=str(page), per_page=str(PER_PAGE))
    return f"/api/v1/appeals?{urlencode(params)}"


def _options(session: Session, body: str) -> dict[str, Any]:
    return {
        "regions": region_choices(session),
        "bodies": queries.bodies_holding_public(session, i18n.current(), also=body),
        "categories": category_choices(),
    }


@router.get("/appeals", response_class=HTMLResponse)
def appeals_list(
    request: Request,
    session: ReadSessionDep,
    settings: SettingsDep,
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
        "status": status if status in list_stages() else "",
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
        "rows": appeal_rows(session, found.items, load_calendar(settings.calendar_file)),
        "total": found.total,
        "page": number,
        "pages": pages,
        **page_links("/appeals", filters, number, pages),
        "api_url": _api_url(filters, number),
        "statuses": list_stages(),
        **_options(session, filters["body"]),
    }
    return templates.TemplateResponse(request, "public_appeals.html", context)


def _place(session: Session, appeal: AppealPublic, lang: str) -> str | None:
    if not appeal.kato:
        return None
    katos = [appeal.kato]
    if appeal.region_kato and appeal.region_kato != appeal.kato:
        katos.append(appeal.region_kato)
    return ", ".join(geo.names(session, katos, lang))


@router.get("/appeals/{number}", response_class=HTMLResponse)
def appeal_page(
    request: Request, number: str, session: ReadSessionDep, settings: SettingsDep
) -> HTMLResponse:
    """One public appeal: redacted text and answer, its true state in plain words, the bodies
    that held it and its history as people read it (the hashes are on the verify page)."""
    return _appeal_page(request, number, session, settings)


def _appeal_page(
    request: Request,
    number: str,
    session: Session,
    settings: Settings,
    support: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    try:
        found, _view = queries.get_appeal_for(session, ANONYMOUS, number)
    except NotFound:
        return not_found(request, _("There is no public appeal with this number."))
    appeal = queries.public_view(session, found, now_utc())
    lang = i18n.current()
    told = story(session, appeal, load_calendar(settings.calendar_file))
    names = told["names"]
    context = {
        **told,
        "appeal": appeal,
        "category": category_name(appeal.category),
        "place": _place(session, appeal, lang),
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
        "problem": queries.problem_of(session, found),
        "gathers": found.public and found.status in OPEN,
        "support": support or {"done": request.query_params.get("supported", "")},
    }
    return templates.TemplateResponse(
        request, "public_appeal.html", context, status_code=status_code
    )


@router.post("/appeals/{number}/supporters", response_class=HTMLResponse, response_model=None)
def support_page(
    request: Request,
    number: str,
    db: DatabaseDep,
    settings: SettingsDep,
    iin: Annotated[str, Form(max_length=60)] = "",
) -> HTMLResponse | RedirectResponse:
    """ "Me too" from the appeal's page: counted once per IIN, then back to the page."""
    try:
        take_support_quota(request)
        given = SupportIn(iin=iin)
        done = support.support_appeal(db, settings, number, iin=given.iin)
    except ValidationError:
        error = _("This is not a valid IIN: 12 digits, the first six your date of birth.")
        return _supported_with(request, number, db, settings, error, 422)
    except (Conflict, TooManyRequests) as exc:
        status = exc.status
        message = (
            _("Too many from your address: wait a little and try again.")
            if status == 429
            else _("This appeal no longer gathers supporters, or you filed it yourself.")
        )
        response = _supported_with(request, number, db, settings, message, status)
        response.headers.update(exc.headers)
        return response
    outcome = "yes" if done.counted else "before"
    return RedirectResponse(f"/appeals/{quote(number)}?supported={outcome}#me-too", 303)


def _supported_with(
    request: Request, number: str, db: Database, settings: Settings, error: str, status: int
) -> HTMLResponse:
    with db.read() as session:
        return _appeal_page(request, number, session, settings, {"error": error}, status)


def _verify_page(request: Request, appeal: AppealPublic, code: str = "") -> HTMLResponse:
    titles = event_names()
    events = [{"title": titles.get(e.type, e.type), "event": e} for e in appeal.events]
    context = {"appeal": appeal, "events": events, "private": not appeal.public, "code": code}
    headers = {**NO_STORE, "Referrer-Policy": "no-referrer"} if code else None
    return templates.TemplateResponse(request, "public_verify.html", context, headers=headers)


@router.get("/appeals/{number}/verify", response_class=HTMLResponse)
def verify_page(request: Request, number: str, session: ReadSessionDep) -> HTMLResponse:
    """How anyone can check that the history of a public appeal was not changed: the chain
    explained, with each event's hash and the one before it."""
    try:
        found, _view = queries.get_appeal_for(session, ANONYMOUS, number)
    except NotFound:
        return not_found(request, _("There is no public appeal with this number."))
    return _verify_page(request, queries.public_view(session, found, now_utc()))


@router.post("/appeals/{number}/verify", response_class=HTMLResponse)
def verify_private(
    request: Request,
    number: str,
    session: ReadSessionDep,
    code: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    """The same for the applicant of a private appeal, from the tracking page: the access code
    comes in the form's body, never in the address."""
    try:
        found, _view = queries.get_appeal_for(session, ANONYMOUS, number, code.strip())
    except NotFound:
        return not_found(request, _("No appeal with this number and access code."))
    return _verify_page(request, queries.public_view(session, found, now_utc()), code.strip())
