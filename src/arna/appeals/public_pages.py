"""Public pages of appeals: the list with filters, one public appeal, a body's page, a region's
page with its map, and the figures on the home page.

Everything here works without JavaScript except the maps, whose figures are also in a table.
Only public appeals are listed or shown, through the same redacted views as the API; figures
are counted over every appeal (counts reveal nothing personal) by SQL aggregates.

How the figures are made (each period during which a body held an appeal is one assignment):

* received: assignments of the body (routed to it, forwarded or escalated to it);
* answered: assignments that ended with an answer, even one the applicant later disputed;
* answered on time: answers given on or before the due date (as extended), as a share of the
  assignments whose answer is given or whose due date has passed (answered, escalated for
  missing the deadline, or still open after it), so a body that never answers scores 0 %;
* escalated away: assignments that ended with the appeal going up to the body above (the due
  date passed, or the applicant disputed the answer);
* overdue now: open appeals the body holds after their due date;
* appeals per 10,000 residents: appeals placed in a district or region (a point or a place named
  in the text counts as the district found) over its population in the reference data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from math import ceil, floor, log10
from typing import Any
from urllib.parse import urlencode

from babel.numbers import format_percent
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from arna.appeals import api, views
from arna.appeals.access import get_appeal_for
from arna.appeals.models import Appeal, Assignment
from arna.appeals.pages import event_names
from arna.appeals.policy import OPEN
from arna.appeals.redact import redact
from arna.bodies.competence import Category, categories, route
from arna.bodies.models import Body, BodyType
from arna.core.auth import ANONYMOUS
from arna.core.clock import KZ_TZ, now_utc, to_local_date
from arna.core.errors import ArnaError, NotFound
from arna.geo.models import KatoUnit
from arna.geo.reference import COUNTRY_KATO
from arna.web import i18n
from arna.web.deps import ReadSessionDep
from arna.web.templating import make_templates

router = APIRouter(include_in_schema=False)
templates = make_templates("arna.appeals")
_ = i18n.gettext_

PER_PAGE = 20
PER_RESIDENTS = 10_000
OVERDUE_SHOWN = 50
STATUSES = ("registered", "in_progress", "answered", "closed")
ANSWERED = ("resolved", "explained", "refused", "duplicate", "disputed")
ESCALATED_AWAY = ("overdue", "disputed")
NUMBER = re.compile(r"[0-9]{1,6}")

# Sequential blues (ColorBrewer): no appeals, then up to four classes of the rate.
PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#cccccc"


# --- formatting -------------------------------------------------------------------------------


def fmt_share(share: float | None) -> str:
    """A share as a percentage in the page's language; a dash when there is nothing to share."""
    if share is None:
        return "—"
    return format_percent(share, locale=i18n.current())


def fmt_rate(rate: float | None) -> str:
    """A rate with two decimals, or two significant digits below 0.1 (0.037, not 0.04)."""
    if rate is None:
        return "—"
    digits = 2 if rate == 0 or rate >= 0.1 else 1 - floor(log10(rate))
    return i18n.fmt_number(round(rate, digits))


templates.env.globals.update(fmt_share=fmt_share, fmt_rate=fmt_rate)


def _status_names() -> dict[str, str]:
    return {
        "registered": _("Registered"),
        "in_progress": _("In progress"),
        "answered": _("Answered"),
        "closed": _("Closed"),
    }


def _result_names() -> dict[str, str]:
    """How a body's hold of an appeal ended (outcomes of an answer, or why it moved on)."""
    return {
        "resolved": _("Resolved"),
        "explained": _("Explained"),
        "refused": _("Refused"),
        "duplicate": _("Duplicate of an earlier appeal"),
        "not_competent": _("Not within its competence"),
        "forwarded": _("Forwarded to another body"),
        "forwarded_late": _("Forwarded after the 3 working days allowed"),
        "overdue": _("No answer by the due date: escalated"),
        "disputed": _("Answer disputed by the applicant: escalated"),
    }


# --- figures ----------------------------------------------------------------------------------


def today() -> date:
    return to_local_date(now_utc())


def _local_day(session: Session, column: Any) -> ColumnElement[Any]:
    """The calendar day in Kazakhstan of a stored UTC instant, computed by the database."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(KZ_TZ.key, column))
    return func.date(column, "+5 hours")  # SQLite: Asia/Almaty is UTC+5 since 2024-03-01


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _measures(session: Session, on: date) -> tuple[ColumnElement[int], ...]:
    a = Assignment
    answered = a.result.in_(ANSWERED)
    return (
        func.count(a.id),
        _count_if(answered),
        _count_if(and_(answered, _local_day(session, a.ended_at) <= a.due_date)),
        _count_if(
            or_(answered, a.result == "overdue", and_(a.ended_at.is_(None), a.due_date < on))
        ),
        _count_if(a.result.in_(ESCALATED_AWAY)),
    )


@dataclass(frozen=True)
class Responsiveness:
    """How a body (or the bodies of a place) dealt with the appeals they held."""

    received: int = 0
    answered: int = 0
    on_time: int = 0
    due: int = 0
    escalated_away: int = 0

    @classmethod
    def of(cls, row: Sequence[Any]) -> Responsiveness:
        return cls(*(int(v or 0) for v in row))

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.due if self.due else None


def _overdue(on: date) -> ColumnElement[bool]:
    return and_(Appeal.status.in_(OPEN), Appeal.due_date < on)


@dataclass(frozen=True)
class HomeFigures:
    month_start: date
    this_month: int
    on_time_share: float | None
    overdue: int
    escalated: int


def home_figures(session: Session) -> HomeFigures:
    """Live figures of the whole country for the home page."""
    on = today()
    first = on.replace(day=1)
    since = datetime.combine(first, time(0), tzinfo=KZ_TZ)
    this_month, overdue, escalated = session.execute(
        select(
            _count_if(Appeal.registered_at >= since),
            _count_if(_overdue(on)),
            _count_if(Appeal.escalation_depth > 0),
        )
    ).one()
    overall = Responsiveness.of(session.execute(select(*_measures(session, on))).one())
    return HomeFigures(first, int(this_month), overall.on_time_share, int(overdue), int(escalated))


@dataclass
class PlaceFigures:
    """Appeals about a region or district, per 10,000 residents, and how they were answered."""

    kato: str
    name: str
    population: int | None
    appeals: int
    responsiveness: Responsiveness
    url: str
    fill: str = NO_DATA

    @property
    def rate(self) -> float | None:
        if not self.population:
            return None
        return self.appeals * PER_RESIDENTS / self.population

    @property
    def on_time_share(self) -> float | None:
        return self.responsiveness.on_time_share


def _units(session: Session, *where: ColumnElement[bool]) -> list[Any]:
    return list(
        session.execute(
            select(
                KatoUnit.kato,
                KatoUnit.name_kk,
                KatoUnit.name_ru,
                KatoUnit.name_en,
                KatoUnit.population,
            ).where(*where)
        )
    )


def _place_figures(
    session: Session,
    units: list[Any],
    by: InstrumentedAttribute[Any],
    url: Callable[[str], str],
) -> list[PlaceFigures]:
    katos = [u.kato for u in units]
    counts = {
        kato: int(n)
        for kato, n in session.execute(
            select(by, func.count(Appeal.id)).where(by.in_(katos)).group_by(by)
        )
    }
    answers = {
        row[0]: Responsiveness.of(row[1:])
        for row in session.execute(
            select(by, *_measures(session, today()))
            .select_from(Assignment)
            .join(Appeal, Appeal.id == Assignment.appeal_id)
            .where(by.in_(katos))
            .group_by(by)
        )
    }
    lang = i18n.current()
    places = [
        PlaceFigures(
            kato=u.kato,
            name=getattr(u, f"name_{lang}"),
            population=u.population,
            appeals=counts.get(u.kato, 0),
            responsiveness=answers.get(u.kato, Responsiveness()),
            url=url(u.kato),
        )
        for u in units
    ]
    places.sort(key=lambda p: p.name)
    bands = _bands([p.rate for p in places if p.rate is not None])
    for place in places:
        place.fill = _fill(place.rate, bands)
    return places


def region_figures(session: Session) -> list[PlaceFigures]:
    """The 20 regions: appeals per 10,000 residents and the share answered on time."""
    regions = _units(session, KatoUnit.level == 1)
    return _place_figures(session, regions, Appeal.region_kato, lambda k: f"/regions/{k}")


def district_figures(session: Session, region: str) -> list[PlaceFigures]:
    districts = _units(session, KatoUnit.level == 2, KatoUnit.parent_kato == region)
    return _place_figures(session, districts, Appeal.kato, lambda k: f"/bodies/akimat-{k}")


@dataclass(frozen=True)
class Band:
    upper: float
    fill: str
    label: str


def _bands(rates: list[float]) -> list[Band]:
    """Classes of the map: no appeals, then up to four quantile classes of the positive rates."""
    bands = [Band(0.0, PALETTE[0], fmt_rate(0))] if any(r == 0 for r in rates) else []
    positive = sorted(r for r in rates if r > 0)
    if not positive:
        return bands
    k = min(4, len(set(positive)))
    uppers = sorted({positive[ceil(i * len(positive) / k) - 1] for i in range(1, k + 1)})
    lower = positive[0]
    for j, upper in enumerate(uppers):
        shade = PALETTE[1 + j * 3 // max(len(uppers) - 1, 1)] if len(uppers) > 1 else PALETTE[3]
        label = (
            fmt_rate(upper) if j == 0 and lower == upper else f"{fmt_rate(lower)}–{fmt_rate(upper)}"
        )
        bands.append(Band(upper, shade, label))
        lower = upper
    return bands


def _fill(rate: float | None, bands: list[Band]) -> str:
    if rate is None:
        return NO_DATA
    for band in bands:
        if rate <= band.upper:
            return band.fill
    return bands[-1].fill if bands else NO_DATA


def _feature_collection(session: Session, places: list[PlaceFigures]) -> dict[str, Any]:
    shapes: dict[str, str] = {
        kato: shape
        for kato, shape in session.execute(
            select(KatoUnit.kato, KatoUnit.boundary).where(
                KatoUnit.kato.in_([p.kato for p in places])
            )
        )
        if shape
    }
    bands = _bands([p.rate for p in places if p.rate is not None])
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(shapes[p.kato]),
            "properties": {
                "kato": p.kato,
                "name": p.name,
                "url": p.url,
                "fill": p.fill,
                "population": p.population,
                "appeals": p.appeals,
                "rate": p.rate,
                "on_time_share": p.on_time_share,
                "appeals_text": i18n.fmt_number(p.appeals),
                "rate_text": fmt_rate(p.rate),
                "on_time_text": fmt_share(p.on_time_share),
            },
        }
        for p in places
        if p.kato in shapes
    ]
    legend = [{"fill": b.fill, "label": b.label} for b in bands]
    legend.append({"fill": NO_DATA, "label": _("No data")})
    return {"type": "FeatureCollection", "legend": legend, "features": features}


# --- pages ------------------------------------------------------------------------------------


def _not_found(request: Request, message: str) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "public_404.html", {"message": message}, status_code=404
    )


def _body_names(session: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    name = getattr(Body, f"name_{i18n.current()}")
    return dict(session.execute(select(Body.id, name).where(Body.id.in_(ids))).all())


def _category_name(category: str | None) -> str:
    found = categories().get(category or "")
    return found.name(i18n.current()) if found else _("Not classified yet")


def _rows(session: Session, items: Sequence[Any]) -> list[dict[str, Any]]:
    names = _body_names(session, {s.body.id for s in items})
    return [
        {
            "number": s.number,
            "category": _category_name(s.category),
            "excerpt": s.excerpt,
            "body_id": s.body.id,
            "body": names.get(s.body.id, s.body.name),
            "status": s.status,
            "due_date": s.due_date,
            "overdue": s.overdue,
            "escalation_depth": s.escalation_depth,
        }
        for s in items
    ]


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
        ((u.kato, getattr(u, f"name_{lang}")) for u in _units(session, KatoUnit.level == 1)),
        key=lambda r: r[1],
    )
    # Bodies holding a public appeal: one index probe per body, however many appeals there are.
    holding = select(Appeal.id).where(Appeal.body_id == Body.id, Appeal.public.is_(True)).exists()
    name = getattr(Body, f"name_{lang}")
    found = session.execute(select(Body.id, name).where(or_(holding, Body.id == body))).all()
    bodies = sorted(((b[0], b[1]) for b in found), key=lambda b: b[1])
    cats = sorted(((c.id, c.name(lang)) for c in categories().values()), key=lambda c: c[1])
    return {"regions": regions, "bodies": bodies, "categories": cats}


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
    region_ok = session.scalar(
        select(KatoUnit.kato).where(KatoUnit.kato == region, KatoUnit.level == 1)
    )
    filters = {
        "region": region if region_ok else "",
        "body": body if body and session.get(Body, body) is not None else "",
        "category": category if category in categories() else "",
        "status": status if status in STATUSES else "",
        "overdue": overdue if overdue in ("yes", "no") else "",
        "escalated": escalated if escalated in ("yes", "no") else "",
    }
    number = int(page) if NUMBER.fullmatch(page) else 1
    number = min(max(number, 1), 100_000)
    yes_no = {"yes": True, "no": False}
    found = api.list_appeals(
        session,
        ANONYMOUS,
        region=filters["region"] or None,
        body=filters["body"] or None,
        category=filters["category"] or None,
        status=filters["status"] or None,
        overdue=yes_no.get(filters["overdue"]),
        escalated=yes_no.get(filters["escalated"]),
        page=number,
        per_page=PER_PAGE,
    )
    pages = max(1, ceil(found.total / PER_PAGE))
    context = {
        "filters": filters,
        "rows": _rows(session, found.items),
        "total": found.total,
        "page": number,
        "pages": pages,
        "prev_url": _list_url(filters, min(number - 1, pages)) if number > 1 else None,
        "next_url": _list_url(filters, number + 1) if number < pages else None,
        "last_url": _list_url(filters, pages),
        "api_url": _api_url(filters, number),
        "statuses": _status_names(),
        **_options(session, filters["body"]),
    }
    return templates.TemplateResponse(request, "public_appeals.html", context)


def _history(session: Session, appeal: Any) -> list[dict[str, Any]]:
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
    names_of = _body_names(session, ids | {a.body.id for a in appeal.assignments})
    for r in rows:
        r["body"] = names_of.get(r["body_id"] or "", r["body_id"])
        r["due_date"] = date.fromisoformat(r["due_date"]) if r["due_date"] else None
    return rows


@router.get("/appeals/{number}", response_class=HTMLResponse)
def appeal_page(request: Request, number: str, session: ReadSessionDep) -> HTMLResponse:
    """One public appeal: redacted text and answer, where it is, and its hash-chained history."""
    try:
        found, _view = get_appeal_for(session, ANONYMOUS, number)
    except NotFound:
        return _not_found(request, _("There is no public appeal with this number."))
    appeal = views.public_view(session, found, now_utc())
    names = _body_names(session, {appeal.body.id} | {a.body.id for a in appeal.assignments})
    lang = i18n.current()
    place = None
    if appeal.kato:
        places = [session.get(KatoUnit, appeal.kato)]
        if appeal.region_kato and appeal.region_kato != appeal.kato:
            places.append(session.get(KatoUnit, appeal.region_kato))
        place = ", ".join(getattr(p, f"name_{lang}") for p in places if p is not None)
    context = {
        "appeal": appeal,
        "body": names.get(appeal.body.id, appeal.body.name),
        "category": _category_name(appeal.category),
        "place": place,
        "status": _status_names().get(appeal.status, appeal.status),
        "outcome": _result_names().get(appeal.outcome or "", appeal.outcome),
        "kinds": {
            "complaint": _("Complaint"),
            "request": _("Request"),
            "proposal": _("Proposal"),
            "report": _("Report of a problem"),
            "thanks": _("Thanks"),
        },
        "held": [
            {
                "body_id": a.body.id,
                "body": names.get(a.body.id, a.body.name),
                "started_at": a.started_at,
                "due_date": a.due_date,
                "result": _result_names().get(a.result or "", a.result),
                "late": a.failed and a.result in ANSWERED and a.result != "disputed",
            }
            for a in appeal.assignments
        ],
        "history": _history(session, appeal),
    }
    return templates.TemplateResponse(request, "public_appeal.html", context)


def handled_categories(body: Body, on: date | None = None) -> list[Category]:
    """Topics that the routing rules send to this body for problems in its territory."""
    place = body.kato or COUNTRY_KATO
    handled = []
    for category in categories().values():
        try:
            decided = route(category.id, place, on or today())
        except ArnaError:
            continue
        if decided.body.id == body.id:
            handled.append(category)
    return handled


@router.get("/bodies/{body_id}", response_class=HTMLResponse)
def body_page(request: Request, body_id: str, session: ReadSessionDep) -> HTMLResponse:
    """A state body: what it is, what it answers, how it answers, and what it has let slide."""
    body = session.get(Body, body_id)
    if body is None:
        return _not_found(request, _("There is no state body with this identifier."))
    lang = i18n.current()
    on = today()
    kind = session.get(BodyType, body.kind)
    parent = session.get(Body, body.parent_id) if body.parent_id else None
    territory = session.get(KatoUnit, body.kato) if body.kato else None
    figures = Responsiveness.of(
        session.execute(select(*_measures(session, on)).where(Assignment.body_id == body.id)).one()
    )
    overdue_now = session.scalar(
        select(func.count(Appeal.id)).where(Appeal.body_id == body.id, _overdue(on))
    )
    late = session.scalars(
        select(Appeal)
        .where(Appeal.body_id == body.id, Appeal.public.is_(True), _overdue(on))
        .order_by(Appeal.due_date, Appeal.id)
        .limit(OVERDUE_SHOWN)
    )
    children = session.execute(
        select(Body.id, getattr(Body, f"name_{lang}")).where(Body.parent_id == body.id)
    ).all()
    context = {
        "body": body,
        "name": getattr(body, f"name_{lang}"),
        "kind": getattr(kind, f"name_{lang}") if kind else body.kind,
        "parent": (parent.id, getattr(parent, f"name_{lang}")) if parent else None,
        "territory": territory,
        "territory_name": getattr(territory, f"name_{lang}") if territory else None,
        "region_kato": (body.kato[:2] + "0000000") if body.kato else None,
        "categories": sorted(
            ((c.id, c.name(lang)) for c in handled_categories(body, on)), key=lambda c: c[1]
        ),
        "figures": figures,
        "overdue_now": overdue_now or 0,
        "overdue": _rows(session, [views.summary(a, now_utc()) for a in late]),
        "overdue_shown": OVERDUE_SHOWN,
        "children": sorted(children, key=lambda c: c[1]),
        "statuses": _status_names(),
    }
    return templates.TemplateResponse(request, "public_body.html", context)


@router.get("/regions/map.json")
def regions_map(session: ReadSessionDep) -> JSONResponse:
    """GeoJSON of the 20 regions with their figures, for the map on the home page."""
    return JSONResponse(_feature_collection(session, region_figures(session)))


def _region(session: Session, kato: str) -> KatoUnit | None:
    unit = session.get(KatoUnit, kato)
    return unit if unit is not None and unit.level == 1 else None


@router.get("/regions/{kato}", response_class=HTMLResponse)
def region_page(request: Request, kato: str, session: ReadSessionDep) -> HTMLResponse:
    """A region: its districts' appeals per 10,000 residents and on-time shares, table and map."""
    region = _region(session, kato)
    if region is None:
        return _not_found(request, _("There is no region with this KATO code."))
    lang = i18n.current()
    on = today()
    districts = district_figures(session, kato)
    total, unplaced = session.execute(
        select(func.count(Appeal.id), _count_if(Appeal.kato == kato)).where(
            Appeal.region_kato == kato
        )
    ).one()
    answers = Responsiveness.of(
        session.execute(
            select(*_measures(session, on))
            .select_from(Assignment)
            .join(Appeal, Appeal.id == Assignment.appeal_id)
            .where(Appeal.region_kato == kato)
        ).one()
    )
    whole = PlaceFigures(
        kato, getattr(region, f"name_{lang}"), region.population, int(total), answers, ""
    )
    context = {
        "region": region,
        "name": whole.name,
        "whole": whole,
        "unplaced": int(unplaced or 0),
        "districts": districts,
        "overdue_now": session.scalar(
            select(func.count(Appeal.id)).where(Appeal.region_kato == kato, _overdue(on))
        )
        or 0,
    }
    return templates.TemplateResponse(request, "public_region.html", context)


@router.get("/regions/{kato}/map.json")
def region_map(kato: str, session: ReadSessionDep) -> JSONResponse:
    """GeoJSON of a region's districts with their figures in the feature properties."""
    if _region(session, kato) is None:
        return JSONResponse({"detail": "no region with this KATO code"}, status_code=404)
    return JSONResponse(_feature_collection(session, district_figures(session, kato)))
