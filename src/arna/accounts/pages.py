"""The workbench's door: officials log in and out.

Sessions are server-side: an HttpOnly cookie, and a CSRF token that every form sends back. The
login form has its own CSRF token (a double submit): showing the form sets a random token in
an HttpOnly, SameSite=Strict cookie and in a hidden field; a login whose field does not match
the cookie is refused with 403 before anything is checked, so no other site can log a visitor
in to an account of its choosing. Too many failed logins get 429 with Retry-After
(`accounts.throttle`), the same for known and unknown e-mails.
"""

from __future__ import annotations

import re
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from arna.accounts.actions import TooManyAttempts, log_in, log_out
from arna.accounts.deps import COOKIE, LOGIN, client_of, login_guard, signed_in_official, to_login
from arna.accounts.queries import csrf_ok
from arna.core import i18n
from arna.core.deps import DatabaseDep
from arna.core.errors import ArnaError
from arna.web.templating import NO_STORE, make_templates

router = APIRouter(include_in_schema=False)
templates = make_templates("arna.accounts")
_ = i18n.gettext_

LOGIN_CSRF = "arna_login_csrf"
LOGIN_CSRF_AGE = 2 * 3600  # seconds the form may stay open
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def _login_token(request: Request) -> str | None:
    """The form token of this browser's cookie, if it holds one."""
    token = request.cookies.get(LOGIN_CSRF, "")
    return token if _TOKEN.fullmatch(token) else None


def _form(
    request: Request, *, email: str = "", error: str | None = None, status: int = 200
) -> HTMLResponse:
    """The login form with this browser's token (a new one when it has none)."""
    token = _login_token(request) or secrets.token_urlsafe(32)
    response = templates.TemplateResponse(
        request,
        "official_login.html",
        {"email": email, "error": error, "csrf": token},
        status_code=status,
        headers=NO_STORE,
    )
    response.set_cookie(
        LOGIN_CSRF, token, max_age=LOGIN_CSRF_AGE, path=LOGIN, httponly=True,
        samesite="strict", secure=request.url.scheme == "https",
    )  # fmt: skip
    return response


@router.get(LOGIN, response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return _form(request)


@router.post(LOGIN, response_model=None)
def login(
    request: Request,
    db: DatabaseDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    # A sync route: FastAPI runs it in its thread pool, so checking the password (argon2, ~0.2 s
    # of CPU) never blocks the event loop.
    expected = _login_token(request)
    if expected is None or not csrf_ok(expected, csrf):
        error = _("The form expired. Reload the page and try again.")
        return _form(request, email=email, error=error, status=403)
    try:
        signed = log_in(db, email, password, client=client_of(request), guard=login_guard(request))
    except TooManyAttempts as exc:
        error = _("Too many attempts; wait a little and try again")
        refused = _form(request, email=email, error=error, status=429)
        refused.headers["Retry-After"] = str(exc.details["retry_after"])
        return refused
    except ArnaError:
        return _form(request, email=email, error=_("Wrong e-mail or password."), status=401)
    done = RedirectResponse("/official/", status_code=303)
    secure = request.url.scheme == "https"
    done.set_cookie(COOKIE, signed.token, httponly=True, samesite="strict", secure=secure, path="/")
    done.delete_cookie(LOGIN_CSRF, path=LOGIN)
    return done


@router.post("/official/logout", response_model=None)
def logout(
    request: Request, db: DatabaseDep, csrf: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    me = signed_in_official(request, db)
    if me is not None and csrf_ok(me.csrf, csrf):
        log_out(db, request.cookies.get(COOKIE))
    response = to_login()
    response.delete_cookie(COOKIE, path="/")
    return response
