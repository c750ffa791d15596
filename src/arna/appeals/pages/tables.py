"""What the public pages of appeals, and of the bodies and places that hold them, show alike:
rows of appeals with their topic and body in the page's language, and the not-found page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from arna.appeals import queries, timeline
from arna.appeals.schemas import AppealPublic, AppealSummary
from arna.appeals.situation import Situation, situation, situation_of
from arna.bodies import queries as bodies
from arna.bodies.competence import categories
from arna.core import i18n
from arna.core.clock import WorkingCalendar, now_utc, to_local_date
from arna.core.collation import sort_key
from arna.geo import queries as geo
from arna.web.templating import make_templates

_ = i18n.gettext_
templates = make_templates("arna.appeals")


def not_found(request: Request, message: str) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "public_404.html", {"message": message}, status_code=404
    )


def region_choices(session: Session) -> list[tuple[str, str]]:
    """(KATO, name) of every region, by name in the page's language: a filter's options."""
    lang = i18n.current()
    regions = ((u.kato, getattr(u, f"name_{lang}")) for u in geo.units_of(session, 1))
    return sorted(regions, key=lambda r: sort_key(r[1], lang))


def category_choices() -> list[tuple[str, str]]:
    """(id, name) of every category, by name in the page's language."""
    lang = i18n.current()
    cats = ((c.id, c.name(lang)) for c in categories().values())
    return sorted(cats, key=lambda c: sort_key(c[1], lang))


def category_name(category: str | None) -> str:
    found = categories().get(category or "")
    return found.name(i18n.current()) if found else _("Not classified yet")


def situations(
    session: Session, numbers: Sequence[str], calendar: WorkingCalendar
) -> dict[str, Situation]:
    """The true state of each appeal of a list, on today's date in Kazakhstan (working days
    counted by the operator's `calendar`)."""
    today = to_local_date(now_utc())
    facts = queries.situation_facts(session, numbers)
    return {number: situation(f, today, calendar) for number, f in facts.items()}


def appeal_rows(
    session: Session, items: Sequence[AppealSummary], calendar: WorkingCalendar
) -> list[dict[str, Any]]:
    """Rows of `public_macros.appeal_rows`: the problem in the author's words, its topic, the
    body that holds it and its true state (`situation`: a badge, not the stored status)."""
    names = bodies.names(session, {s.body.id for s in items}, i18n.current())
    states = situations(session, [s.number for s in items], calendar)
    return [
        {
            "number": s.number,
            "category": category_name(s.category),
            "excerpt": s.excerpt,
            "language": s.language,
            "body_id": s.body.id,
            "body": names.get(s.body.id, s.body.name),
            "status": s.status,
            "situation": states[s.number],
            "due_date": s.due_date,
            "overdue": s.overdue,
            "escalation_depth": s.escalation_depth,
        }
        for s in items
    ]


def story(session: Session, appeal: AppealPublic, calendar: WorkingCalendar) -> dict[str, Any]:
    """What the public page and the tracking page tell of one appeal alike: its true state
    (`situation`), the name of the body holding it, and its history as people read it."""
    events = appeal.events
    ids = {appeal.body.id} | {a.body.id for a in appeal.assignments} | timeline.body_ids(events)
    names = bodies.names(session, ids, i18n.current())
    body = names.get(appeal.body.id, appeal.body.name)
    return {
        "situation": situation_of(appeal, to_local_date(now_utc()), calendar),
        "body": body,
        "names": names,
        "steps": timeline.steps(events, names),
    }
