"""What the public pages of appeals, and of the bodies and places that hold them, show alike:
rows of appeals with their topic and body in the page's language, and the not-found page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from arna.appeals.schemas import AppealSummary
from arna.bodies import queries as bodies
from arna.bodies.competence import categories
from arna.core import i18n
from arna.web.templating import make_templates

_ = i18n.gettext_
templates = make_templates("arna.appeals")


def not_found(request: Request, message: str) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "public_404.html", {"message": message}, status_code=404
    )


def category_name(category: str | None) -> str:
    found = categories().get(category or "")
    return found.name(i18n.current()) if found else _("Not classified yet")


def appeal_rows(session: Session, items: Sequence[AppealSummary]) -> list[dict[str, Any]]:
    names = bodies.names(session, {s.body.id for s in items}, i18n.current())
    return [
        {
            "number": s.number,
            "category": category_name(s.category),
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
