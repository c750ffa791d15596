"""The public figures: the home page, a body's page and a region's page, with charts and maps.

Everything works without JavaScript: the charts (web.charts) and the maps are drawn in the
browser, and their figures are also in tables.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy.orm import Session

from arna.appeals import queries as appeals
from arna.appeals.pages.tables import appeal_rows, not_found
from arna.bodies import queries as bodies
from arna.bodies.competence import handled_categories
from arna.core import i18n
from arna.core.clock import load_calendar, now_utc
from arna.core.collation import sort_key
from arna.core.deps import ReadSessionDep, SettingsDep
from arna.core.recent import Recent
from arna.geo import queries as geo
from arna.oversight import queries, reporting
from arna.oversight.queries import PlaceFigures, Scope, depth, grouping, report, scorecard
from arna.oversight.scorecard_cells import row_cells, share_cell
from arna.web import charts
from arna.web.charts import Bar, Chart, Point
from arna.web.maps import MapPlace, feature_collection
from arna.web.templating import make_templates

router = APIRouter(include_in_schema=False)
templates = make_templates("arna.oversight", "arna.appeals")
_ = i18n.gettext_

OVERDUE_SHOWN = 50
_recent = Recent()  # the home page's figures, per database and language
REGION_BODIES = ["oblast_akimat", "city_rs_akimat"]
CITY_TYPES = ("city_republican_significance",)  # marked points on the map of the country


def _regions(session: Session) -> list[PlaceFigures]:
    places = queries.region_figures(session, geo.units_of(session, 1), i18n.current())
    return [replace(p, url=f"/regions/{p.kato}") for p in places]


def _districts(session: Session, region: str) -> list[PlaceFigures]:
    units = geo.units_of(session, 2, parent=region)
    places = queries.district_figures(session, units, i18n.current())
    return [replace(p, url=f"/bodies/akimat-{p.kato}") for p in places]


def _map(session: Session, places: list[PlaceFigures], points: set[str]) -> JSONResponse:
    shapes = geo.boundaries(session, [p.kato for p in places])
    shown = [
        MapPlace(
            p.kato,
            p.name,
            p.url,
            p.population,
            p.appeals,
            p.rate,
            p.on_time_share,
            point=p.kato in points,
        )
        for p in places
    ]
    return JSONResponse(feature_collection(shown, shapes))


def _trend_chart(session: Session, scope: Scope) -> Chart:
    trend = queries.trend(session, scope)
    points = [Point(p.start, p.received, p.answers.on_time_share) for p in trend.points]
    caption = (
        _("Appeals received and the share answered on time, by week")
        if trend.period == "week"
        else _("Appeals received and the share answered on time, by month")
    )
    return charts.series(
        "over-time",
        caption,
        points,
        period="week" if trend.period == "week" else "month",
        count_title=_("Appeals received"),
        share_title=_("Answered on time"),
    )


def _categories_chart(session: Session, scope: Scope, filters: dict[str, str]) -> Chart:
    lang = i18n.current()
    names = {c.id: getattr(c, f"name_{lang}") for c in bodies.categories(session)}
    bars = [
        Bar(names.get(cid, cid), n, url="/appeals?" + urlencode(filters | {"category": cid}))
        for cid, n in queries.top_categories(session, scope)
    ]
    return charts.ranking(
        "top-categories",
        _("The most frequent topics"),
        bars,
        label_title=_("Topic"),
        value_title=_("Appeals"),
    )


def _slowest_chart(session: Session) -> Chart:
    paces = queries.slowest_bodies(session)
    names = bodies.names(session, {p.body_id for p in paces}, i18n.current())
    bars = [
        Bar(
            names.get(p.body_id, p.body_id),
            p.late_share,
            url=f"/bodies/{quote(p.body_id)}",
            more=(
                i18n.fmt_number(p.answers.due),
                "—" if p.mean_days is None else i18n.fmt_number(round(p.mean_days, 1)),
            ),
        )
        for p in paces
    ]
    return charts.ranking(
        "slowest-bodies",
        _("The bodies that most often answer late"),
        bars,
        label_title=_("State body"),
        value_title=_("Not answered on time"),
        share=True,
        more_titles=(_("Answers due"), _("Mean days to answer")),
    )


@router.get("/", response_class=HTMLResponse)
def index(request: Request, session: ReadSessionDep, settings: SettingsDep) -> HTMLResponse:
    """The front door: what Arna does, the country's figures over time, the topics, the bodies
    that answer late, and the regions on a map and in a table. The figures read every appeal:
    they are kept for `public_figures_seconds` (core.recent)."""
    figures = _recent.get(
        (settings.effective_database_url, "home", i18n.current()),
        settings.public_figures_seconds,
        lambda: _home_figures(session),
    )
    context = {**figures, "min_due": queries.MIN_DUE}
    return templates.TemplateResponse(request, "index.html", context)


def _home_figures(session: Session) -> dict[str, Any]:
    language = i18n.current()
    akimats = bodies.of_kinds(session, REGION_BODIES)
    rows: list[dict[str, Any]] = []
    for place in _regions(session):
        akimat = akimats.get(f"akimat-{place.kato}")
        rows.append(
            {
                "place": place,
                "akimat": getattr(akimat, f"name_{language}") if akimat else "",
                "akimat_id": akimat.id if akimat else "",
            }
        )
    return {
        "rows": rows,
        "figures": queries.home_figures(session),
        "over_time": _trend_chart(session, None),
        "categories": _categories_chart(session, None, {}),
        "slowest": _slowest_chart(session),
    }


@router.get("/bodies/{body_id}", response_class=HTMLResponse)
def body_page(
    request: Request, body_id: str, session: ReadSessionDep, settings: SettingsDep
) -> HTMLResponse:
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
            key=lambda c: sort_key(c[1], lang),
        ),
        "figures": figures,
        "overdue_now": overdue_now,
        "overdue": appeal_rows(
            session,
            [appeals.summary(a, now) for a in late],
            load_calendar(settings.calendar_file),
        ),
        "overdue_shown": OVERDUE_SHOWN,
        "children": bodies.child_names(session, body.id, lang),
        "over_time": _trend_chart(session, ("body", body.id)),
        "top_categories": _categories_chart(session, ("body", body.id), {"body": body.id}),
    }
    return templates.TemplateResponse(request, "public_body.html", context)


@router.get("/regions/map.json")
def regions_map(session: ReadSessionDep) -> JSONResponse:
    """GeoJSON of the 20 regions with their figures, for the map on the home page."""
    cities = {u.kato for u in geo.units_of(session, 1) if u.unit_type in CITY_TYPES}
    return _map(session, _regions(session), cities)


@router.get("/regions/{kato}", response_class=HTMLResponse)
def region_page(request: Request, kato: str, session: ReadSessionDep) -> HTMLResponse:
    """A region: its figures over time and topics; its districts' appeals per 100,000 residents
    and on-time shares, in a table and on a map."""
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
        "over_time": _trend_chart(session, ("region", region.kato)),
        "top_categories": _categories_chart(
            session, ("region", region.kato), {"region": region.kato}
        ),
    }
    return templates.TemplateResponse(request, "public_region.html", context)


@router.get("/regions/{kato}/map.json")
def region_map(kato: str, session: ReadSessionDep) -> JSONResponse:
    """GeoJSON of a region's districts with their figures in the feature properties."""
    if geo.region(session, kato) is None:
        return JSONResponse({"detail": "no region with this KATO code"}, status_code=404)
    return _map(session, _districts(session, kato), set())


def _depth_by(by: str) -> str:
    return by if by in grouping.BY else "body"


def _groupings() -> list[tuple[str, str]]:
    return [
        ("body", _("State body")),
        ("region", _("Region")),
        ("category", _("Topic")),
        ("month", _("Month")),
    ]


@router.get("/scorecards", response_class=HTMLResponse)
def scorecards_page(request: Request, session: ReadSessionDep, by: str = "body") -> HTMLResponse:
    """How bodies answered, per body, region, category or month: every figure with its n and
    its interval, above or below the country only where the intervals say so."""
    by = by if by in grouping.BY else "body"
    cards, country = scorecard.scorecards(session, by, i18n.current())
    context = {
        "by": by,
        "choices": _groupings(),
        "rows": [(c, share_cell(c.on_time, c.due), row_cells(c)) for c in [*cards, country]],
        "min_due": queries.MIN_DUE,
    }
    return templates.TemplateResponse(request, "scorecards.html", context)


@router.get("/reports", response_class=HTMLResponse)
def reports_page(
    request: Request, session: ReadSessionDep, kind: str = "national", key: str = ""
) -> HTMLResponse:
    """Monthly reports of the country, a region or a body: the last twelve months, each as
    HTML and PDF in the page's language."""
    if kind not in report.KINDS:
        kind, key = "national", ""
    lang = i18n.current()
    name = ""
    if kind != "national":
        name = depth.names_of(session, kind, [key], lang).get(key, "")
        if not name:
            return not_found(request, _("There is no region or state body with this identifier."))
    months = report.months_up_to(queries.today().isoformat()[:7], report.MONTHS_SHOWN)[::-1]
    context = {
        "kind": kind,
        "key": key,
        "name": name,
        "months": [(m, reporting.month_label(m)) for m in months],
        "regions": sorted(
            ((u.kato, getattr(u, f"name_{lang}")) for u in geo.units_of(session, 1)),
            key=lambda kn: sort_key(kn[1], lang),
        ),
    }
    return templates.TemplateResponse(request, "reports.html", context)


@router.get("/escalation", response_class=HTMLResponse)
def escalation_page(request: Request, session: ReadSessionDep, by: str = "body") -> HTMLResponse:
    """How high solved problems had to climb, per body, region, category or month, with the
    public appeals behind each share one click away."""
    by = _depth_by(by)
    context = {
        "by": by,
        "choices": [
            ("body", _("State body filed with")),
            ("region", _("Region")),
            ("category", _("Topic")),
            ("month", _("Month filed")),
        ],
        "rows": depth.escalation_depth(session, by, i18n.current()),
        "min_solved": queries.MIN_DUE,
        "trend": _depth_trend(session),
    }
    return templates.TemplateResponse(request, "escalation.html", context)


def _depth_trend(session: Session) -> Chart:
    """Problems solved by the month they were filed, and the share that had to climb."""
    months = sorted(depth.escalation_depth(session, "month"), key=lambda r: r.key)
    points = [
        Point(date.fromisoformat(f"{r.key}-01"), r.solved, 1 - r.climbed[0].share)
        for r in months[-queries.MONTHS_SHOWN :]
    ]
    return charts.series(
        "depth-trend",
        _("Problems solved, by the month they were filed, and the share that had to climb"),
        points,
        period="month",
        count_title=_("Problems solved"),
        share_title=_("Had to climb"),
    )


@router.get("/escalation/appeals", response_class=HTMLResponse)
def escalation_appeals_page(
    request: Request,
    session: ReadSessionDep,
    settings: SettingsDep,
    key: str = "",
    by: str = "body",
    climbed: int = 1,
) -> HTMLResponse:
    """The public appeals behind one share of the escalation depth index."""
    by = _depth_by(by)
    climbed = min(max(climbed, 0), 2)
    row = next(iter(depth.escalation_depth(session, by, i18n.current(), key=key)), None)
    if row is None:
        return not_found(request, _("No problem of this group has been solved yet."))
    found = depth.depth_appeals(session, by, key, climbed)
    now = now_utc()
    context = {
        "row": row,
        "by": by,
        "climbed": climbed,
        "share": row.climbed[climbed],
        "appeals": appeal_rows(
            session, [appeals.summary(a, now) for a in found], load_calendar(settings.calendar_file)
        ),
        "limit": depth.DRILL_LIMIT,
    }
    return templates.TemplateResponse(request, "escalation_appeals.html", context)
