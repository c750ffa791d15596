"""The pages of representatives: the deputies and factions, and each deputy's record."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from arna.core import i18n
from arna.core.deps import ReadSessionDep
from arna.representatives import queries
from arna.web.errors import page as error_page
from arna.web.templating import make_templates

router = APIRouter(include_in_schema=False)
templates = make_templates("arna.representatives")
_ = i18n.gettext_


def mandate_names() -> dict[str, str]:
    return {
        "party_list": _("party list"),
        "single_member": _("single-member district"),
        "appointed": _("appointed"),
        "elected_by_maslikhats": _("elected by the maslikhats"),
    }


@router.get("/deputies", response_class=HTMLResponse)
def deputies_page(request: Request, session: ReadSessionDep) -> HTMLResponse:
    """Every deputy with their attendance and votes, and each faction's figures."""
    lang = i18n.current()
    context = {
        "deputies": queries.deputies(session, lang),
        "factions": queries.factions(session, lang),
        "costs": queries.cost_lines(session),
        "mandates": mandate_names(),
    }
    return templates.TemplateResponse(request, "deputies.html", context)


@router.get("/deputies/{deputy_id}", response_class=HTMLResponse)
def deputy_page(request: Request, deputy_id: str, session: ReadSessionDep) -> Response:
    """A deputy: mandate, attendance, votes and cost, each with its source."""
    page = queries.deputy_page(session, deputy_id, i18n.current())
    if page is None:
        return error_page(request, 404, f"no deputy {deputy_id!r}")
    context = {
        "p": page,
        "d": page.deputy,
        "mandates": mandate_names(),
        "choice_names": {
            "for": _("for"),
            "against": _("against"),
            "abstain": _("abstained"),
            "absent": _("absent"),
        },
    }
    return templates.TemplateResponse(request, "deputy.html", context)
