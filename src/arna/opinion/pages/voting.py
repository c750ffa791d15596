"""Voting and adding a statement from the consultation's page, as plain POST forms that come back
to the page (303) once the vote or the statement is committed.

The first vote (or statement) of a browser joins the consultation: the participant's token goes
into the consultation's cookie (`views.keep_token`). A form without this browser's form token
is refused (403); a vote on a statement that is not open for votes, a vote that is not agree,
disagree or pass, a statement too short or too long or said already, and a closed consultation
bring the page back with the error said in the page's language (422 or 409).
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from arna.core import i18n
from arna.core.db import Database
from arna.core.deps import DatabaseDep
from arna.core.errors import ArnaError, InvalidTransition, NotFound
from arna.opinion import policy, queries
from arna.opinion.actions import consultations, voting
from arna.opinion.models import Consultation
from arna.opinion.pages.views import (
    find,
    form_ok,
    keep_token,
    missing,
    participant_of,
    refused,
    render,
    token_of,
)
from arna.opinion.schemas import StatementIn

STATEMENT = re.compile(r"[0-9]{1,9}")

router = APIRouter(include_in_schema=False)
_ = i18n.gettext_
Small = Annotated[str, Form()]  # any length: a value that does not fit is refused with the page


def _again(
    request: Request,
    db: Database,
    number: str,
    token: str | None,
    status: int,
    joined: str | None = None,
    **shown: str,
) -> Response:
    """The consultation's page with the error; the cookie of a participant who joined on the
    way is kept."""
    with db.read() as session:
        consultation = queries.get_consultation(session, number)
        response = render(request, session, consultation, joined or token, status=status, **shown)
    if joined:
        keep_token(request, response, number, joined)
    return response


def _closed() -> str:
    return _("This consultation is closed: it takes no more votes or statements.")


def _participant(db: Database, number: str, token: str | None) -> tuple[str, str | None]:
    """The token to act with: the browser's own, else a new participant's (and that token, to
    keep in the cookie)."""
    if token:
        with db.read() as session:
            known = participant_of(session, queries.get_consultation(session, number), token)
        if known is not None:
            return token, None
    joined = consultations.join(db, number).token
    return joined, joined


def _votable(session: Session, consultation: Consultation, statement: str) -> bool:
    """The form names a statement of this consultation that takes votes."""
    if not STATEMENT.fullmatch(statement):
        return False
    try:
        found = queries.statement_by_number(session, consultation, int(statement))
    except NotFound:
        return False
    return found.status == policy.ACCEPTED


def _refusal(
    request: Request, db: Database, number: str, token: str | None, csrf: str, **shown: str
) -> Response | None:
    """What every form of the page is refused for: an unknown consultation (404), a form not
    from this browser (403), a closed consultation (409); None when it may go on."""
    with db.read() as session:
        consultation = find(session, number)
        if consultation is None:
            return missing(request, number)
        is_open = consultation.status == policy.OPEN
    if not form_ok(request, csrf):
        return _again(request, db, number, token, 403, error=refused(), **shown)
    if not is_open:
        return _again(request, db, number, token, 409, error=_closed())
    return None


def _back(request: Request, number: str, where: str, joined: str | None) -> Response:
    """Back to the consultation's page (303), keeping the token of a participant who joined."""
    done = RedirectResponse(f"/consultations/{quote(number)}?{where}", status_code=303)
    if joined:
        keep_token(request, done, number, joined)
    return done


@router.post("/consultations/{number}/vote", response_class=HTMLResponse)
def vote(
    request: Request,
    number: str,
    db: DatabaseDep,
    csrf: Small = "",
    statement: Small = "",
    choice: Annotated[str, Form(alias="vote")] = "",
) -> Response:
    token = token_of(request, number)
    refusal = _refusal(request, db, number, token, csrf)
    if refusal is not None:
        return refusal
    with db.read() as session:
        consultation = queries.get_consultation(session, number)
        votable = _votable(session, consultation, statement)
    if choice not in policy.VOTES:
        return _again(request, db, number, token, 422, error=_("Choose agree, disagree or pass."))
    if not votable:
        message = _("This statement is not open for votes in this consultation.")
        return _again(request, db, number, token, 422, error=message)
    try:
        acting, joined = _participant(db, number, token)
    except InvalidTransition:
        return _again(request, db, number, token, 409, error=_closed())
    try:
        voting.cast_vote(db, number, acting, int(statement), choice)
    except InvalidTransition:  # closed, or the statement set aside, meanwhile
        return _again(request, db, number, token, 409, joined, error=_closed())
    return _back(request, number, "voted=yes#vote", joined)


def _text_error(exc: ValidationError | ArnaError) -> str:
    if isinstance(exc, ArnaError) and exc.details.get("field") == "text":
        return _("This statement is in the consultation already.")
    return _("A statement is %(min)s to %(max)s characters: one thought, said briefly.") % {
        "min": i18n.fmt_number(policy.STATEMENT_MIN),
        "max": i18n.fmt_number(policy.STATEMENT_MAX),
    }


@router.post("/consultations/{number}/statements", response_class=HTMLResponse)
def add_statement(
    request: Request,
    number: str,
    db: DatabaseDep,
    csrf: Small = "",
    text: Annotated[str, Form()] = "",
) -> Response:
    """A participant's statement, waiting for moderation."""
    token = token_of(request, number)
    refusal = _refusal(request, db, number, token, csrf, text=text)
    if refusal is not None:
        return refusal
    try:
        data = StatementIn.model_validate({"text": text})
    except ValidationError as exc:
        return _again(request, db, number, token, 422, text=text, text_error=_text_error(exc))
    joined = None
    try:
        acting, joined = _participant(db, number, token)
        consultations.add_statement(db, consultations.PARTICIPANT, number, data.text, acting)
    except InvalidTransition:
        return _again(request, db, number, token, 409, error=_closed())
    except ArnaError as exc:
        shown = {"text": text, "text_error": _text_error(exc)}
        return _again(request, db, number, token, 422, joined, **shown)
    return _back(request, number, "added=yes#add", joined)
