"""The supervisor's overview: what the bodies under theirs hold, at a glance, then in detail.

At the top the figures (open, overdue, open after climbing, answered this month, the on-time
share), a chart of the last six months (appeals received, on-time share of the answers due), a
table per body that sorts by any column, and then the workbench's list of every appeal in scope
(`workbench.worklist`, the inbox's component). Its own parameters (`bsort`, `border`, `bpage`)
sort and page the table of bodies; the list's parameters are the inbox's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from arna.accounts.deps import signed_in_official, to_login
from arna.appeals import workload
from arna.appeals.pages.workbench import overview_scope, templates, worklist
from arna.appeals.workbench import ListQuery, Scope
from arna.bodies.reference import bodies
from arna.core import i18n
from arna.core.clock import load_calendar, now_utc, to_local_date
from arna.core.collation import sort_key
from arna.core.deps import DatabaseDep, SettingsDep
from arna.web import charts
from arna.web.templating import NO_STORE

router = APIRouter(include_in_schema=False)
_ = i18n.gettext_

PATH = "/official/overview"
BODY_SORTS = ("name", "open", "overdue", "on_time")
BODIES_PER_PAGE = 25
MONTHS = 6


def _month_starts(today: date, count: int) -> list[date]:
    first = today.replace(day=1)
    starts = []
    for back in range(count - 1, -1, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        starts.append(date(year, month + 1, 1))
    return starts


def _chart(session: Session, scope: Scope, today: date) -> charts.Chart:
    starts = _month_starts(today, MONTHS)
    found = workload.months(session, scope, starts[0], today)
    points = []
    for start in starts:
        month = found.get(start.strftime("%Y-%m"), workload.Month())
        points.append(charts.Point(start, month.received, month.on_time_share))
    return charts.series(
        "workload",
        _("Appeals received by the bodies in your scope, and the share answered on time"),
        points,
        period="month",
        count_title=_("Appeals received"),
        share_title=_("Answered on time"),
    )


@dataclass(frozen=True)
class BodyOrder:
    """How the table of bodies is sorted and which page of it is shown."""

    sort: str = "overdue"
    order: str = "desc"
    page: int = 1

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> BodyOrder:
        sort = params.get("bsort", "")
        sort = sort if sort in BODY_SORTS else "overdue"
        order = params.get("border", "")
        order = order if order in ("asc", "desc") else _first(sort)
        raw = params.get("bpage", "1")
        page = int(raw) if raw.isdigit() and 0 < int(raw) <= 10_000 else 1
        return cls(sort, order, page)

    def params(self, **changes: Any) -> dict[str, str]:
        changed = replace(self, **changes)
        out = {}
        if changed.sort != "overdue":
            out["bsort"] = changed.sort
        if changed.order != _first(changed.sort):
            out["border"] = changed.order
        if changed.page != 1:
            out["bpage"] = str(changed.page)
        return out


def _first(sort: str) -> str:
    """The order a first click on a column asks for: names A-Z, figures largest first."""
    return "asc" if sort == "name" else "desc"


def _url(params: Mapping[str, str]) -> str:
    return f"{PATH}?{urlencode(params)}#bodies" if params else f"{PATH}#bodies"


def _body_table(
    session: Session, scope: Scope, today: date, asked: BodyOrder, keep: Mapping[str, str]
) -> dict[str, Any]:
    """The figures per body, sorted by the column asked for (the bodies of a scope are at
    most a few hundred: sorted here, after the database counted them). `keep`: the list's
    parameters, which the table's links carry."""
    lang = i18n.current()
    table = bodies()
    rows: list[dict[str, Any]] = [
        {
            "id": body,
            "name": table[body].name(lang) if body in table else body,
            "open": f.open,
            "overdue": f.overdue,
            "on_time": f.on_time_share,
        }
        for body, f in workload.by_body(session, scope, today).items()
    ]

    def key(row: dict[str, Any]) -> Any:
        if asked.sort == "name":
            return sort_key(str(row["name"]), lang)
        value = row[asked.sort]
        return (value is not None, value or 0)

    rows.sort(key=lambda row: sort_key(str(row["name"]), lang))  # ties stay in the alphabet's order
    rows.sort(key=key, reverse=asked.order == "desc")
    pages = max(1, -(-len(rows) // BODIES_PER_PAGE))
    page = min(asked.page, pages)
    sorts = {}
    for column in BODY_SORTS:
        current = asked.sort == column
        flip = ("asc" if asked.order == "desc" else "desc") if current else _first(column)
        aria = ("ascending" if asked.order == "asc" else "descending") if current else "none"
        sorts[column] = {"url": _url({**keep, **asked.params(sort=column, order=flip, page=1)}),
                         "aria": aria}  # fmt: skip
    return {
        "rows": rows[(page - 1) * BODIES_PER_PAGE : page * BODIES_PER_PAGE],
        "total": len(rows),
        "page": page,
        "pages": pages,
        "prev_url": _url({**keep, **asked.params(page=page - 1)}) if page > 1 else "",
        "next_url": _url({**keep, **asked.params(page=page + 1)}) if page < pages else "",
        "sorts": sorts,
    }


@router.get(PATH, response_model=None)
def overview(request: Request, db: DatabaseDep, settings: SettingsDep) -> Response:
    """The supervisor's view of everything under their body (an official's: their body)."""
    me = signed_in_official(request, db)
    if me is None:
        return to_login()
    scope = overview_scope(me.actor)
    today = to_local_date(now_utc())
    calendar = load_calendar(settings.calendar_file)
    params = request.query_params
    asked = BodyOrder.parse(params)
    listing = ListQuery.parse(params).params()
    with db.read() as session:
        wl = worklist(session, scope, PATH, params, calendar, keep=asked.params(), show_body=True)
        context = {
            "me": me,
            "wl": wl,
            "figures": workload.figures(session, scope, today),
            "month_start": today.replace(day=1),
            "chart": _chart(session, scope, today),
            "bodies": _body_table(session, scope, today, asked, listing),
        }
    return templates.TemplateResponse(request, "official_overview.html", context, headers=NO_STORE)
