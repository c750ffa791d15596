"""Who is calling: a bearer token for the API, a session cookie for the workbench pages."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Header, Request
from fastapi.responses import RedirectResponse

from arna.accounts.queries import Signed, actor_for_token, signed_in
from arna.accounts.throttle import LoginGuard, client_key
from arna.core.actors import ANONYMOUS, Actor
from arna.core.db import Database
from arna.core.deps import ReadSessionDep
from arna.core.errors import Unauthorized

COOKIE = "arna_session"
LOGIN = "/official/login"


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


def login_guard(request: Request) -> LoginGuard:
    """The login counters of this server process (`create_app` puts them in the app's state)."""
    return cast(LoginGuard, request.app.state.login_guard)


def client_of(request: Request) -> str:
    """The address a login is counted by: the direct peer's. Behind a reverse proxy on the same
    machine uvicorn puts the client from X-Forwarded-For there (it trusts that header from
    127.0.0.1 only, or from the addresses in FORWARDED_ALLOW_IPS)."""
    return client_key(request.client.host if request.client else None)
