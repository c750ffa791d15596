"""What the surveys' pages share: the templates, finding a survey by its number, its state in
words, the names of the raking variables, their categories and the trust block's institutions in
the page's language, numbers with one or two decimals, and the respondent form's CSRF token.
No SQL here: the session is handed to the queries.

The respondent's form carries a CSRF token as the consultations' forms do (a double submit): a
random token in an HttpOnly, SameSite=Lax cookie of the surveys' pages and in a hidden field; a
post whose field does not match is refused.
"""

from __future__ import annotations

import re

from babel import Locale
from babel.numbers import format_decimal, format_percent
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from arna.accounts.queries import csrf_ok
from arna.core import i18n
from arna.core.errors import NotFound
from arna.core.i18n import N_
from arna.surveys import policy, queries
from arna.surveys.models import Survey
from arna.web.templating import NO_STORE, make_templates

templates = make_templates("arna.surveys")
_ = i18n.gettext_

NUMBER = re.compile(r"S-[0-9]{4}-[0-9]{6,9}")
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,80}")
FORM_COOKIE = "arna_survey_form"
FORM_PATH = "/surveys"
FORM_AGE = 24 * 3600
# Pages with the visitor's form token: no cache keeps them, no referrer.
PRIVATE = {**NO_STORE, "Referrer-Policy": "no-referrer"}

STATUSES = {policy.OPEN: N_("Open for responses"), policy.CLOSED: N_("Closed")}
BADGES = {policy.OPEN: "badge badge-handling", policy.CLOSED: "badge badge-closed"}
VARIABLES = {
    policy.REGION: N_("region"),
    policy.SEX: N_("sex"),
    policy.SETTLEMENT: N_("urban or rural"),
    policy.AGE_GROUP: N_("age group"),
}
BREAKDOWNS = {
    policy.REGION: N_("Region"),
    policy.SEX: N_("Sex"),
    policy.SETTLEMENT: N_("Urban or rural"),
    policy.AGE_GROUP: N_("Age group"),
}
CATEGORIES = {"male": N_("Men"), "female": N_("Women"), "urban": N_("Urban"), "rural": N_("Rural")}
INSTITUTIONS = {
    "akimat": N_("The akimat"),
    "police": N_("The police"),
    "courts": N_("The courts"),
    "parliament": N_("The parliament"),
    "parties": N_("Political parties"),
    "ministries": N_("The ministries"),
    "presidential_administration": N_("The Presidential Administration"),
}


def find(session: Session, number: str) -> Survey | None:
    if not NUMBER.fullmatch(number):
        return None
    try:
        return queries.get_survey(session, number)
    except NotFound:
        return None


def missing(request: Request, number: str) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "survey_missing.html", {"number": number}, status_code=404
    )


def status_name(status: str) -> str:
    return _(STATUSES.get(status, STATUSES[policy.CLOSED]))


def badge_class(status: str) -> str:
    return BADGES.get(status, BADGES[policy.CLOSED])


def institution_name(code: str) -> str:
    return _(INSTITUTIONS[code]) if code in INSTITUTIONS else code


def variable_name(code: str) -> str:
    return _(VARIABLES[code]) if code in VARIABLES else code


def category_name(code: str) -> str:
    return _(CATEGORIES[code]) if code in CATEGORIES else code


def share1(value: float | None) -> str:
    """A share with one decimal ("42.5%", "42,5 %"): margins of error are a few points wide."""
    if value is None:
        return "—"
    locale = Locale.parse(i18n.current())
    pattern = locale.percent_formats[None].pattern.replace("#,##0", "#,##0.0", 1)
    return format_percent(value, format=pattern, locale=locale)


def decimal(value: float | None, places: int = 2) -> str:
    if value is None:
        return "—"
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(value, format=pattern, locale=i18n.current())


def kilobytes(size: int) -> str:
    return _("%(size)s kB") % {"size": i18n.fmt_number(size // 1024)}


# --- the respondent form's token --------------------------------------------------------------


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
        "The form expired, or this browser keeps no cookies (the form needs one): reload the "
        "page and answer again."
    )


def closed_message() -> str:
    return _("This survey is closed: it takes no more responses. Its results stay public.")
