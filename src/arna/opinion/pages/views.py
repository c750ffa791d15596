"""What the consultations' pages show, made from the queries' views: a consultation's state in
plain words, the visitor's progress, and the participant behind the visitor's cookie. No SQL here:
the session is handed to the queries.

A participant is pseudonymous: the token `actions.consultations.join` gives is kept in an
HttpOnly, SameSite=Lax cookie scoped to that consultation's pages (`arna_opinion_<number>`,
path `/consultations/<number>`), never in a page or an address. The forms carry a CSRF token as
the login form does (a double submit): a random token in an HttpOnly cookie of the
consultations' pages and in a hidden field; a post whose field does not match is refused.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from arna.accounts.queries import csrf_ok
from arna.core import i18n
from arna.core.errors import NotFound
from arna.core.i18n import N_
from arna.opinion import policy, queries
from arna.opinion.models import Consultation, Participant
from arna.opinion.schemas import ConsultationOut
from arna.web.templating import NO_STORE, make_templates

templates = make_templates("arna.opinion")
_ = i18n.gettext_

NUMBER = re.compile(r"C-[0-9]{4}-[0-9]{6,9}")
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,80}")
FORM_COOKIE = "arna_opinion_form"
FORM_PATH = "/consultations"
COOKIE_AGE = 365 * 24 * 3600  # a participant comes back to vote on new statements
FORM_AGE = 24 * 3600
# Pages with the visitor's own progress and form token: no cache keeps them, no referrer.
PRIVATE = {**NO_STORE, "Referrer-Policy": "no-referrer"}

STATUSES = {policy.OPEN: N_("Open for votes"), policy.CLOSED: N_("Closed")}
BADGES = {policy.OPEN: "badge badge-handling", policy.CLOSED: "badge badge-closed"}


def cookie_name(number: str) -> str:
    return f"arna_opinion_{number}"


def cookie_path(number: str) -> str:
    return f"/consultations/{number}"


def token_of(request: Request, number: str) -> str | None:
    """The participant token this browser keeps for the consultation, if it looks like one."""
    token = request.cookies.get(cookie_name(number), "")
    return token if TOKEN.fullmatch(token) else None


def keep_token(request: Request, response: Response, number: str, token: str) -> None:
    response.set_cookie(
        cookie_name(number), token, max_age=COOKIE_AGE, path=cookie_path(number), httponly=True,
        samesite="lax", secure=request.url.scheme == "https",
    )  # fmt: skip


def form_token(request: Request) -> str | None:
    token = request.cookies.get(FORM_COOKIE, "")
    return token if TOKEN.fullmatch(token) else None


def form_ok(request: Request, given: str) -> bool:
    """The form's hidden token matches this browser's cookie (no other site can know it)."""
    expected = form_token(request)
    return expected is not None and csrf_ok(expected, given)


def with_form_token(request: Request, response: Response, token: str) -> Response:
    response.set_cookie(
        FORM_COOKIE, token, max_age=FORM_AGE, path=FORM_PATH, httponly=True, samesite="lax",
        secure=request.url.scheme == "https",
    )  # fmt: skip
    response.headers.update(PRIVATE)
    return response


def refused() -> str:
    return _(
        "The form expired, or this browser keeps no cookies (voting needs them): reload the "
        "page and try again."
    )


def participant_of(
    session: Session, consultation: Consultation, token: str | None
) -> Participant | None:
    if not token:
        return None
    try:
        return queries.participant_by_token(session, consultation, token)
    except NotFound:
        return None


def find(session: Session, number: str) -> Consultation | None:
    if not NUMBER.fullmatch(number):
        return None
    try:
        return queries.get_consultation(session, number)
    except NotFound:
        return None


def missing(request: Request, number: str) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "consultation_missing.html", {"number": number}, status_code=404
    )


def status_name(status: str) -> str:
    return _(STATUSES.get(status, STATUSES[policy.CLOSED]))


def sentence(c: ConsultationOut) -> str:
    """The state of a consultation in one plain sentence."""
    if c.status == policy.OPEN:
        return _(
            "Open: vote on its statements one at a time, add your own, and see which groups of "
            "opinion form and what they share."
        )
    return _("Closed: it takes no more votes or statements. Its results stay public.")


def counts(c: ConsultationOut) -> list[tuple[str, str]]:
    """(label, figure) of a consultation, for its facts and the list."""
    groups = i18n.fmt_number(c.groups) if c.groups else _("not computed yet")
    return [
        (_("Statements"), i18n.fmt_number(c.statements)),
        (_("Participants"), i18n.fmt_number(c.participants)),
        (_("Votes"), i18n.fmt_number(c.votes)),
        (_("Opinion groups"), groups),
    ]


def progress(voted: int, total: int) -> dict[str, Any]:
    return {
        "value": min(voted, total),
        "max": max(total, 1),
        "text": _("You voted on %(n)s of %(total)s statements")
        % {"n": i18n.fmt_number(voted), "total": i18n.fmt_number(total)},
    }


def consultation_context(
    session: Session, consultation: Consultation, token: str | None
) -> dict[str, Any]:
    """Everything the consultation's page shows: its state, the next statement for this
    visitor and how far they are."""
    c = queries.consultation_out(session, consultation)
    participant = participant_of(session, consultation, token)
    statuses = queries.statement_statuses(session, consultation.id)
    accepted = {number for number, status in statuses.items() if status == policy.ACCEPTED}
    voted = queries.votes_cast(session, participant) if participant else {}
    done = len(accepted & set(voted))
    following = queries.next_statement(session, consultation, participant)
    return {
        "c": c,
        "badge_class": BADGES.get(c.status, BADGES[policy.CLOSED]),
        "status_name": status_name(c.status),
        "sentence": sentence(c),
        "counts": counts(c),
        "open": c.status == policy.OPEN,
        "next": following,
        "voted": done,
        "total": len(accepted),
        "progress": progress(done, len(accepted)),
        "joined": participant is not None,
        "min_length": policy.STATEMENT_MIN,
        "max_length": policy.STATEMENT_MAX,
    }


def render(
    request: Request,
    session: Session,
    consultation: Consultation,
    token: str | None,
    *,
    status: int = 200,
    error: str = "",
    text: str = "",
    text_error: str = "",
) -> Response:
    """The consultation's page; `error` says what went wrong with a vote, `text_error` with the
    statement (`text` kept, so the visitor corrects rather than retypes it)."""
    context = consultation_context(session, consultation, token)
    form = form_token(request) or secrets.token_urlsafe(32)
    context.update(
        csrf=form,
        error=error,
        text=text[: policy.STATEMENT_MAX * 5],
        text_error=text_error,
        voted_now=request.query_params.get("voted") == "yes",
        added=request.query_params.get("added") == "yes",
    )
    response = templates.TemplateResponse(request, "consultation.html", context, status_code=status)
    return with_form_token(request, response, form)
