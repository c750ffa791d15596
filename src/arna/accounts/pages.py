"""The workbench's door: officials log in and out.

Sessions are server-side: an HttpOnly cookie, and a CSRF token that every form sends back.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from arna.accounts.actions import Locked, log_in, log_out
from arna.accounts.deps import COOKIE, LOGIN, signed_in_official, to_login
from arna.accounts.queries import csrf_ok
from arna.core import i18n
from arna.core.deps import DatabaseDep
from arna.core.errors import ArnaError
from arna.web.templating import NO_STORE, make_templates

router = APIRouter(include_in_schema=False)
templates = make_templates("arna.accounts")
_ = i18n.gettext_


@router.get(LOGIN, response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "official_login.html", {"email": "", "error": None}, headers=NO_STORE
    )


@router.post(LOGIN, response_model=None)
def login(
    request: Request,
    db: DatabaseDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    try:
        signed = log_in(db, email, password)
    except Locked as exc:
        until = i18n.fmt_datetime(str(exc.details["until"]))
        error = _("Too many wrong passwords: the account is locked until {time}.").format(
            time=until
        )
        return templates.TemplateResponse(
            request, "official_login.html", {"email": email, "error": error}, status_code=429
        )
    except ArnaError:
        error = _("Wrong e-mail or password.")
        return templates.TemplateResponse(
            request, "official_login.html", {"email": email, "error": error}, status_code=401
        )
    response = RedirectResponse("/official/", status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(
        COOKIE, signed.token, httponly=True, samesite="strict", secure=secure, path="/"
    )
    return response


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
