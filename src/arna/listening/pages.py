"""The public pages of listening: trends, the regions on a map, topics with quotes, alerts and
the series behind each alert.

Every figure is an aggregate of at least `min_cell` distinct authors (smaller cells are counted,
never shown), carries its n and the interval of its corrected share, and sits beside the note
that online comments are not a representative sample. No page names an author, not even by
pseudonym. Charts and the map are drawn in the browser; their tables hold the same figures.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from arna.core import i18n
from arna.core.collation import sort_key
from arna.core.deps import SettingsDep
from arna.core.settings import Settings
from arna.geo.reference import boundaries, units
from arna.listening import queries
from arna.listening.labels import target_names
from arna.listening.store import Store, store_of
from arna.web import charts
from arna.web.charts import Chart, Point
from arna.web.maps import MapFigure, figure_collection, share_bands
from arna.web.templating import make_templates

router = APIRouter(include_in_schema=False)
templates = make_templates("arna.listening")
_ = i18n.gettext_

RECENT_DAYS = 28  # the map and the tables of institutions read the last four weeks
ALERTS_FALSE_PER_YEAR = 12.0


@dataclass(frozen=True)
class Share:
    """A corrected share with its interval and the cell's n, as a page shows it."""

    value: float
    low: float
    high: float
    mentions: int
    authors: int


@dataclass(frozen=True)
class Row:
    name: str
    url: str
    share: Share


def _share(cell: dict[str, Any]) -> Share:
    negative = cell["shares"]["negative"]
    return Share(
        negative["corrected"], negative["low"], negative["high"], cell["mentions"], cell["authors"]
    )


def _last_day(store: Store) -> date | None:
    found = store.query("SELECT max(day) FROM posts")
    return found[0][0] if found else None


def _region_kato() -> dict[str, str]:
    """The region names the aggregates use (English) → KATO code."""
    return {u.name_en: k for k, u in units().items() if u.level == 1}


def _region_name(kato: str) -> str:
    unit = units().get(kato)
    return getattr(unit, f"name_{i18n.current()}") if unit else kato


def _trend(store: Store, settings: Settings) -> Chart:
    cells = queries.aggregates(store, "period", "week", settings.min_cell)
    points = [
        Point(date.fromisoformat(c["keys"]["period"]), c["mentions"], _share(c).value)
        for c in sorted(cells.rows, key=lambda c: str(c["keys"]["period"]))
    ]
    return charts.series(
        "listening-over-time",
        _("Comments and the corrected share of negative ones, by week"),
        points,
        period="week",
        count_title=_("Comments"),
        share_title=_("Negative (corrected)"),
    )


def _recent(store: Store, by: str, settings: Settings) -> tuple[list[dict[str, Any]], int, date]:
    last = _last_day(store) or date.today()
    since = last - timedelta(days=RECENT_DAYS - 1)
    cells = queries.aggregates(store, by, "week", settings.min_cell, since)
    return cells.rows, cells.suppressed, since


def _series_url(target: str, region_kato: str) -> str:
    return "/listening/series?" + urlencode({"target": target, "region": region_kato})


@router.get("/listening", response_class=HTMLResponse)
def overview(request: Request, settings: SettingsDep) -> HTMLResponse:
    """What people write about institutions, week by week, and about which the most."""
    store = store_of(settings)
    stats = queries.stats(store)
    rows, suppressed, since = _recent(store, "target", settings)
    names = target_names()
    targets = sorted(
        (
            Row(names.get(c["keys"]["target"], c["keys"]["target"]), "", _share(c))
            for c in rows
            if c["keys"]["target"] != "none"
        ),
        key=lambda r: -r.share.mentions,
    )
    context = {
        "stats": stats,
        "over_time": _trend(store, settings),
        "targets": targets,
        "suppressed": suppressed,
        "since": since,
        "min_cell": settings.min_cell,
    }
    return templates.TemplateResponse(request, "listening_overview.html", context)


def _region_rows(store: Store, settings: Settings) -> tuple[list[Row], int, date]:
    rows, suppressed, since = _recent(store, "region", settings)
    katos = _region_kato()
    found = [
        Row(_region_name(katos[c["keys"]["region"]]), katos[c["keys"]["region"]], _share(c))
        for c in rows
        if c["keys"]["region"] in katos
    ]
    lang = i18n.current()
    return sorted(found, key=lambda r: sort_key(r.name, lang)), suppressed, since


@router.get("/listening/regions", response_class=HTMLResponse)
def regions(request: Request, settings: SettingsDep) -> HTMLResponse:
    """The corrected share of negative comments per region over the last four weeks."""
    found, suppressed, since = _region_rows(store_of(settings), settings)
    context = {
        "rows": found,
        "suppressed": suppressed,
        "since": since,
        "min_cell": settings.min_cell,
    }
    return templates.TemplateResponse(request, "listening_regions.html", context)


@router.get("/listening/regions/map.json")
def regions_map(settings: SettingsDep) -> JSONResponse:
    """GeoJSON of the regions coloured by the corrected negative share (cells with enough
    authors only; the others have no data)."""
    found, _suppressed, _since = _region_rows(store_of(settings), settings)
    shapes = _region_shapes()
    by_kato = {r.url: r for r in found}
    places = []
    for kato, unit in units().items():
        if unit.level != 1:
            continue
        row = by_kato.get(kato)
        lines: tuple[tuple[str, str], ...] = ()
        if row:
            lines = (
                (_("Negative (corrected)"), i18n.fmt_share(row.share.value)),
                (_("Negative (corrected), 95 %% interval") % {}, _interval(row.share)),
                (_("Comments"), i18n.fmt_number(row.share.mentions)),
                (_("Distinct authors"), i18n.fmt_number(row.share.authors)),
            )
        else:
            lines = ((_("Comments"), _("fewer authors than the minimum, or none")),)
        places.append(
            MapFigure(
                kato,
                _region_name(kato),
                "",
                row.share.value if row else None,
                lines,
                point=unit.unit_type == "city_republican_significance",
            )
        )
    classes = share_bands([p.value for p in places if p.value is not None])
    return JSONResponse(figure_collection(places, shapes, classes, _("Negative (corrected)")))


@cache
def _region_shapes() -> dict[str, str]:
    """Each region's boundary as GeoJSON text (the maps' label points are cached by it)."""
    return {k: json.dumps(g) for k, g in boundaries(1).items()}


def _interval(share: Share) -> str:
    return f"{i18n.fmt_share(share.low)}–{i18n.fmt_share(share.high)}"


@router.get("/listening/topics", response_class=HTMLResponse)
def topics(request: Request, settings: SettingsDep) -> HTMLResponse:
    """Topics with their words, figures and quotes."""
    found = queries.topics(store_of(settings), settings.min_cell)
    context = {"found": found, "min_cell": settings.min_cell}
    return templates.TemplateResponse(request, "listening_topics.html", context)


@router.get("/listening/alerts", response_class=HTMLResponse)
def alerts(request: Request, settings: SettingsDep) -> HTMLResponse:
    """Rises of the corrected negative share per institution and region, each linked to its
    series and quotes. An alert whose week has fewer authors than the minimum is counted only."""
    found = queries.alerts(store_of(settings), ALERTS_FALSE_PER_YEAR)
    names = target_names()
    shown = [
        a | {"target_name": names.get(a["target"], a["target"]),
             "region_name": _region_name(a["region_kato"]),
             "url": _series_url(a["target"], a["region_kato"])}
        for a in found["alerts"]
        if a["region_kato"] and a["authors_week"] >= settings.min_cell
    ]  # fmt: skip
    shown.sort(key=lambda a: (a["day"], a["target"], a["region_kato"]), reverse=True)
    context = {
        "alerts": shown,
        "hidden": len(found["alerts"]) - len(shown),
        "watched": found["series_watched"],
        "per_year": ALERTS_FALSE_PER_YEAR,
        "min_cell": settings.min_cell,
    }
    return templates.TemplateResponse(request, "listening_alerts.html", context)


@router.get("/listening/series", response_class=HTMLResponse)
def series(
    request: Request, settings: SettingsDep, target: str = "", region: str = ""
) -> HTMLResponse:
    """One institution in one region, week by week, with quotes from its latest comments."""
    names = target_names()
    unit = units().get(region)
    if target not in names or unit is None or unit.level != 1:
        return templates.TemplateResponse(
            request,
            "listening_series.html",
            {"missing": True, "target_name": "", "region_name": "", "chart": None},
            status_code=404,
        )
    store = store_of(settings)
    cells = queries.aggregates(store, "period,target,region", "week", settings.min_cell)
    mine = sorted(
        (
            c
            for c in cells.rows
            if c["keys"]["target"] == target and c["keys"]["region"] == unit.name_en
        ),
        key=lambda c: str(c["keys"]["period"]),
    )
    points = [
        Point(date.fromisoformat(c["keys"]["period"]), c["mentions"], _share(c).value) for c in mine
    ]
    target_name, region_name = names[target], _region_name(region)
    chart = charts.series(
        "series-over-time",
        _("Comments about %(target)s in %(region)s and the negative share, by week")
        % {"target": target_name, "region": region_name},
        points,
        period="week",
        count_title=_("Comments"),
        share_title=_("Negative (corrected)"),
    )
    last = _last_day(store) or date.today()
    context = {
        "missing": False,
        "target_name": target_name,
        "region_name": region_name,
        "chart": chart,
        "weeks": [(date.fromisoformat(c["keys"]["period"]), _share(c)) for c in mine],
        "quotes": queries.series_quotes(
            store, target, region, last - timedelta(days=13), settings.min_cell
        ),
        "min_cell": settings.min_cell,
    }
    return templates.TemplateResponse(request, "listening_series.html", context)
