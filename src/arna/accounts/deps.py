"""Who is calling: a bearer token for the API, a session cookie for the workbench pages; and
the way every workbench form (of any slice) goes through, from the official's session to the
redirect."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, cast

from fastapi import Depends, Form, Header, Request
from fastapi.responses import RedirectResponse, Response

from arna.accounts.queries import Signed, actor_for_token, csrf_ok, signed_in
from arna.accounts.throttle import LoginGuard, client_key
from arna.core import i18n
from arna.core.actors import ANONYMOUS, Actor
from arna.core.db import Database
from arna.core.deps import DatabaseDep, ReadSessionDep, SettingsDep
from arna.core.errors import ArnaError, Unauthorized
from arna.core.settings import Settings
from arna.web.forms import FormError

COOKIE = "arna_session"
LOGIN = "/official/login"
_ = i18n.gettext_


def current_actor(
    session: ReadSessionDep,
    authorization: Annotated[str | None, Header(max_length=500)] = None,
) -> Actor:
    if not authorization:
        return ANONYMOUS
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("use Authorization: Bearer <token> (see `arna tokens create`)")
    actor = actor_for_token(session, token.strip())
    if actor is None:
        raise Unauthorized("this bearer token is not valid; create one with `arna tokens create`")
    return actor


ActorDep = Annotated[Actor, Depends(current_actor)]


def official(actor: ActorDep) -> Actor:
    if actor.kind not in ("official", "supervisor", "admin"):
        raise Unauthorized("only officials of the body act on an appeal: send a bearer token")
    return actor


OfficialDep = Annotated[Actor, Depends(official)]


def signed_in_official(request: Request, db: Database) -> Signed | None:
    """The official whose session cookie came with this page request, if it is valid."""
    return signed_in(db, request.cookies.get(COOKIE))


def to_login() -> RedirectResponse:
    return RedirectResponse(LOGIN, status_code=303)


@dataclass(frozen=True)
class Posted:
    """What a workbench form acting on one thing (an appeal, a petition) brings: the request,
    the database, the settings, the thing's number from the path and the form's CSRF token."""

    request: Request
    db: Database
    settings: Settings
    number: str
    csrf: str


# Async although it waits for nothing: a plain `def` would run in the thread pool (core.deps).
async def _posted(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    number: str,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Posted:
    return Posted(request, db, settings, number, csrf)


PostedDep = Annotated[Posted, Depends(_posted)]


def act_on_form(
    posted: Posted,
    action: Callable[[Signed], None],
    again: Callable[[Signed, str, int], Response],
    refused: Callable[[Signed, ArnaError], Response],
    done: str,
) -> Response:
    """A workbench form's way: the signed-in official (else the login page); the form's CSRF
    token (else the page `again`, with a message and 403); the `action`, which raises a
    `FormError` for a value to correct (the page again, 422) and any other refusal of the
    slice's (`refused` shows it: nothing was written); a success redirects to `done` (303)."""
    me = signed_in_official(posted.request, posted.db)
    if me is None:
        return to_login()
    if not csrf_ok(me.csrf, posted.csrf):
        return again(me, _("The form expired. Reload the page and try again."), 403)
    try:
        action(me)
    except FormError as exc:
        return again(me, exc.message, exc.status)
    except ArnaError as exc:
        return refused(me, exc)
    return RedirectResponse(done, status_code=303)


def login_guard(request: Request) -> LoginGuard:
    """The login counters of this server process (`create_app` puts them in the app's state)."""
    return cast(LoginGuard, request.app.state.login_guard)


def client_of(request: Request) -> str:
    """The address a login is counted by: the direct peer's. Behind a reverse proxy on the same
    machine uvicorn puts the client from X-Forwarded-For there (it trusts that header from
    127.0.0.1 only, or from the addresses in FORWARDED_ALLOW_IPS)."""
    return client_key(request.client.host if request.client else None)
