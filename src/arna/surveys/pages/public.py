"""The public pages of surveys: the list (open ones first, with their responses) and one survey
(its fieldwork, n, effective n and design effect; per question the weighted shares with their
95 % margins of error as a table and a chart drawn on the server, with the note on how they are
made; the trust index by institution and month). Individual responses are never shown."""

from __future__ import annotations

import re
from math import ceil
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from arna.core import i18n
from arna.core.deps import ReadSessionDep
from arna.surveys import policy, queries
from arna.surveys.estimates import MINIMUM_N
from arna.surveys.models import Survey
from arna.surveys.pages import results
from arna.surveys.pages.views import (
    BREAKDOWNS,
    badge_class,
    decimal,
    find,
    missing,
    status_name,
    templates,
    variable_name,
)

router = APIRouter(include_in_schema=False)
_ = i18n.gettext_

PER_PAGE = 20
PAGE = re.compile(r"[0-9]{1,5}")


def _page(value: str) -> int:
    return min(max(int(value) if PAGE.fullmatch(value) else 1, 1), 10_000)


def _section(session: Session, status: str, page: int, other: dict[str, int]) -> dict[str, Any]:
    """One part of the list (the open or the closed surveys), a page of it and the links to its
    other pages (the other part's page kept)."""
    found = queries.list_surveys(session, status, page, PER_PAGE)
    pages = max(1, ceil(found.total / PER_PAGE))
    param = "page" if status == policy.OPEN else "closed_page"

    def link(n: int) -> str:
        params = {**other, param: n}
        query = "&".join(f"{k}={v}" for k, v in params.items() if v > 1)
        return "/surveys" + (f"?{query}" if query else "")

    rows = [
        {
            "s": s,
            "badge_class": badge_class(s.status),
            "status_name": status_name(s.status),
        }
        for s in found.items
    ]
    return {
        "rows": rows,
        "total": found.total,
        "page": page,
        "pages": pages,
        "prev_url": link(page - 1) if page > 1 else None,
        "next_url": link(page + 1) if page < pages else None,
        "last_url": link(pages),
    }


@router.get("/surveys", response_class=HTMLResponse)
def surveys_list(
    request: Request, session: ReadSessionDep, page: str = "1", closed_page: str = ""
) -> HTMLResponse:
    """Open surveys first, then the closed ones, newest first in each, 20 a page."""
    open_page, shut_page = _page(page), _page(closed_page or "1")
    context = {
        "open": _section(session, policy.OPEN, open_page, {"closed_page": shut_page}),
        "closed": _section(session, policy.CLOSED, shut_page, {"page": open_page}),
    }
    return templates.TemplateResponse(request, "surveys_list.html", context)


def sentence(status: str, weighted: bool) -> str:
    """The state of a survey in one plain sentence."""
    if status == policy.OPEN and weighted:
        return _("Open: it takes responses. The figures below are weighted to the population.")
    if status == policy.OPEN:
        return _("Open: it takes responses. Its figures are not weighted yet.")
    if weighted:
        return _("Closed: its fieldwork is over. The figures below are weighted to the population.")
    return _("Closed: its fieldwork is over. Its figures were never weighted.")


def survey_context(session: Session, survey: Survey, by: str | None) -> dict[str, Any]:
    lang = i18n.current()
    s = queries.survey_out(survey)
    report = queries.weights_report(session, survey)
    found = queries.results_of(session, survey, None, lang)
    broken = queries.results_of(session, survey, by, lang) if by else None
    trust = results.trust_of(session, survey)
    weighted = found.weighted
    return {
        "s": s,
        "badge_class": badge_class(s.status),
        "status_name": status_name(s.status),
        "sentence": sentence(s.status, weighted),
        "open": s.status == policy.OPEN,
        "weighted": weighted,
        "report": report,
        "weighting": results.weighting_facts(report),
        "n": i18n.fmt_number(report.n if weighted else s.responses),
        "effective_n": decimal(report.effective_n if weighted else s.responses, 0),
        "deff": decimal(report.deff if weighted else 1.0),
        "note": results.note(weighted, report, found.minimum_n),
        "questions": results.question_views(found, broken),
        "by": by or "",
        "by_name": _(BREAKDOWNS[by]) if by else "",
        "by_words": variable_name(by) if by else "",
        "breakdowns": [(k, _(v)) for k, v in BREAKDOWNS.items()],
        "trust": results.trust_view(trust) if trust else None,
        "minimum_n": i18n.fmt_number(MINIMUM_N),
    }


@router.get("/surveys/{number}", response_class=HTMLResponse)
def survey_page(request: Request, number: str, session: ReadSessionDep, by: str = "") -> Response:
    survey = find(session, number)
    if survey is None:
        return missing(request, number)
    context = survey_context(session, survey, by if by in BREAKDOWNS else None)
    return templates.TemplateResponse(request, "survey.html", context)
