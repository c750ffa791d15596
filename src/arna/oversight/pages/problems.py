"""Pages of shared problems: the problems two people or more report, shown once with their
count, and one problem with its public appeals (oversight/queries/problems.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from arna.appeals import queries as appeals
from arna.appeals.pages.tables import (
    appeal_rows,
    category_choices,
    category_name,
    not_found,
    region_choices,
)
from arna.appeals.policy import OPEN
from arna.core import i18n
from arna.core.clock import load_calendar, now_utc
from arna.core.deps import ReadSessionDep, SettingsDep
from arna.geo import queries as geo
from arna.oversight.queries import problems
from arna.web.templating import make_templates

router = APIRouter(include_in_schema=False)
templates = make_templates("arna.oversight", "arna.appeals")
_ = i18n.gettext_


def _choices(session: Session, region: str, category: str) -> dict[str, Any]:
    regions, cats = region_choices(session), category_choices()
    known = {k for k, _ in regions}, {k for k, _ in cats}
    return {
        "regions": regions,
        "categories": cats,
        "region": region if region in known[0] else "",
        "category": category if category in known[1] else "",
    }


def _places(session: Session, found: list[problems.Problem]) -> dict[str, str]:
    """Each problem's place as people read it: the district, then its region."""
    lang = i18n.current()
    labels = {}
    for p in found:
        katos = [k for k in dict.fromkeys((p.kato, p.region_kato)) if k]
        labels[p.number] = ", ".join(geo.names(session, katos, lang)) or "—"
    return labels


@router.get("/problems", response_class=HTMLResponse)
def problems_page(
    request: Request, session: ReadSessionDep, region: str = "", category: str = ""
) -> HTMLResponse:
    """Shared problems, those touching most people first, narrowed to a region and a topic."""
    choices = _choices(session, region, category)
    found = problems.shared_problems(
        session, region=choices["region"] or None, category=choices["category"] or None
    )
    context = {
        **choices,
        "problems": found,
        "places": _places(session, found),
        "topic": category_name,
        "api": "/api/v1/oversight/problems",
    }
    return templates.TemplateResponse(request, "problems.html", context)


@router.get("/problems/{number}", response_class=HTMLResponse)
def problem_page(
    request: Request, number: str, session: ReadSessionDep, settings: SettingsDep
) -> HTMLResponse:
    """One shared problem: its figures and its public appeals, oldest first."""
    found = problems.problem(session, number)
    if found is None:
        return not_found(request, _("There is no shared problem with this number."))
    problem, members = found
    now = now_utc()
    rows = appeal_rows(
        session, [appeals.summary(a, now) for a in members], load_calendar(settings.calendar_file)
    )
    context = {
        "problem": problem,
        "rows": rows,
        "places": _places(session, [problem]),
        "topic": category_name,
        "open_members": [a.number for a in members if a.status in OPEN],
    }
    return templates.TemplateResponse(request, "problem.html", context)
