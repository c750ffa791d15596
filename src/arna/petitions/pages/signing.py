"""Signing from the petition's page, in two plain POST forms, as the API does it: the first
checks the signer's details and shows them back ("You sign as Aigerim S., Almaty") with the
sealed confirmation in a hidden field; the second sends it to the group-commit queue and comes
back to the petition's page once the signature is durable (303, `?signed=yes|before#sign`).

Nothing is stored by the first step, and the IIN never leaves it: the confirmation holds its
keyed digest only. Too many signatures from one address or network get a page that says how
long to wait (429 with Retry-After), and so does a batch that could not be written (503).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from arna.core import i18n
from arna.core.clock import now_utc
from arna.core.db import Database
from arna.core.deps import DatabaseDep, SettingsDep
from arna.core.errors import Conflict, NotFound, TooManyRequests, Unavailable, ValidationFailed
from arna.core.settings import Settings
from arna.petitions import queries, rules
from arna.petitions.actions.lifecycle import person_key
from arna.petitions.actions.signing import Signing
from arna.petitions.confirmation import LIFETIME, Pending, expiry, open_pending, seal_pending
from arna.petitions.deps import signing_queue, source_of, take_signing_quota
from arna.petitions.pages.public import render_petition
from arna.petitions.pages.views import PRIVATE, missing, region_name, signable, templates, today
from arna.petitions.schemas import SignIn
from arna.web.forms import form_errors

router = APIRouter(include_in_schema=False)
_ = i18n.gettext_
Field = Annotated[str, Form(max_length=200)]

_FIELD_OF = {"iin": "iin", "first_name": "first_name", "last_name": "last_name", "region": "region"}


def _messages() -> dict[str, str]:
    return {
        "iin": _(
            "An IIN has 12 digits, the first six your date of birth, and a valid check digit."
        ),
        "first_name": _("Give your first name (up to 60 characters)."),
        "last_name": _("Give your last name (up to 60 characters)."),
        "region": _("Choose the region where you live."),
    }


def _again(
    request: Request,
    db: Database,
    settings: Settings,
    number: str,
    status: int,
    *,
    error: str = "",
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    """The petition's page with the sign form to correct (its values kept, the IIN too: it is
    the signer's own and the page is not stored)."""
    sign = {"typed": values or {}, "errors": errors or {}, "error": error, "done": ""}
    with db.read() as session:
        response = render_petition(request, session, settings, number, sign, status)
    response.headers.update(PRIVATE)
    return response


@router.post("/petitions/{number}/sign", response_class=HTMLResponse)
def sign_step(
    request: Request,
    number: str,
    db: DatabaseDep,
    settings: SettingsDep,
    iin: Field = "",
    first_name: Field = "",
    last_name: Field = "",
    region: Field = "",
) -> Response:
    """The first step: the details checked and shown back, sealed for the second."""
    values = {"iin": iin, "first_name": first_name, "last_name": last_name, "region": region}
    with db.read() as session:
        try:
            petition = queries.petition_for(session, number)
        except NotFound:
            return missing(request, number)
        title, open_now = petition.title, signable(petition, today())
    if not open_now:
        message = _("This petition takes no signatures now.")
        return _again(request, db, settings, number, 409, error=message)
    try:
        data = SignIn.model_validate(values)
    except ValidationError as exc:
        errors = form_errors(exc, _FIELD_OF, _messages(), "iin")
        return _again(request, db, settings, number, 422, values=values, errors=errors)
    unit_name = region_name(data.region)
    if unit_name == data.region:  # not a region Arna knows
        errors = {"region": _messages()["region"]}
        return _again(request, db, settings, number, 422, values=values, errors=errors)
    pending = Pending(
        number,
        person_key(settings, data.iin),
        rules.shown_name(data.first_name, data.last_name),
        data.region,
        expiry(now_utc()),
    )
    context = {
        "number": number,
        "title": title,
        "shown_as": pending.name,
        "region": unit_name,
        "confirmation": seal_pending(settings, pending),
        "expires_at": pending.expires_at,
        "minutes": int(LIFETIME.total_seconds() // 60),
    }
    return templates.TemplateResponse(request, "petition_sign.html", context, headers=PRIVATE)


@router.post("/petitions/{number}/sign/confirm", response_model=None)
async def confirm_step(
    request: Request,
    number: str,
    db: DatabaseDep,
    settings: SettingsDep,
    confirmation: Annotated[str, Form(max_length=2_000)] = "",
) -> Response:
    """The second step: signed once the signature is committed, then back to the petition."""
    try:
        take_signing_quota(request)
        pending = open_pending(settings, confirmation, number, now_utc())
        done = await signing_queue(request).sign(Signing(pending, source_of(request, settings)))
    except TooManyRequests as exc:
        return _busy(request, number, exc.status, exc.headers, "")
    except Unavailable as exc:
        return _busy(request, number, exc.status, exc.headers, confirmation)
    except NotFound:
        return missing(request, number)
    except ValidationFailed as exc:
        message = (
            _("The confirmation expired: fill in the form again.")
            if "expired" in exc.message
            else _("This confirmation cannot be used: fill in the form again.")
        )
        return await run_in_threadpool(_again, request, db, settings, number, 422, error=message)
    except Conflict:
        message = _("This petition takes no signatures now.")
        return await run_in_threadpool(_again, request, db, settings, number, 409, error=message)
    outcome = "yes" if done.counted else "before"
    return RedirectResponse(f"/petitions/{quote(number)}?signed={outcome}#sign", status_code=303)


def _busy(
    request: Request, number: str, status: int, headers: dict[str, str], confirmation: str
) -> HTMLResponse:
    """Too many signatures from here (429), or a batch not written (503: the same confirmation
    may be sent again)."""
    wait = int(headers.get("Retry-After", "60"))
    context: dict[str, Any] = {
        "number": number,
        "status": status,
        "wait": i18n.ngettext_("{n} second", "{n} seconds", wait).format(n=i18n.fmt_number(wait)),
        "confirmation": confirmation,
    }
    return templates.TemplateResponse(
        request,
        "petition_busy.html",
        context,
        status_code=status,
        headers={**PRIVATE, **headers},
    )
