"""Languages of the pages: gettext catalogs kk, ru, en (Babel), chosen per request.

The catalogs are the `.po` files in `arna/web/locale/<lang>/LC_MESSAGES/messages.po`, compiled
in memory when first used (no binary `.mo` files in the repository). The language of a request:
`?lang=` (remembered in a cookie), else the cookie, else `Accept-Language`, else Kazakh.
"""

from __future__ import annotations

import gettext
import io
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from importlib import resources

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LANGUAGES = ("kk", "ru", "en")
DEFAULT = "kk"
COOKIE = "arna_lang"
NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}

_current: ContextVar[str] = ContextVar("arna_language", default=DEFAULT)


@cache
def translations(lang: str) -> gettext.GNUTranslations:
    path = resources.files("arna.web").joinpath("locale", lang, "LC_MESSAGES", "messages.po")
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def negotiate(request: Request, default: str = DEFAULT) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(COOKIE)
    if remembered in LANGUAGES:
        return remembered
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in LANGUAGES:
            return code
    return default if default in LANGUAGES else DEFAULT


def use(lang: str) -> None:
    """Make `lang` the language of everything rendered in this request."""
    _current.set(lang)


def current() -> str:
    return _current.get()


def gettext_(message: str) -> str:
    return translations(current()).gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)


def _locale() -> Locale:
    return Locale.parse(current())


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    return format_date(day, format="long", locale=_locale())


def fmt_datetime(value: datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    from arna.core.clock import KZ_TZ

    return format_datetime(value.astimezone(KZ_TZ), format="medium", locale=_locale())


def fmt_number(value: float | int) -> str:
    return format_decimal(value, locale=_locale())


class LanguageMiddleware:
    """Sets the language of each page request; `?lang=` is remembered in a cookie for a year."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(("/api/", "/static/")):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        settings = getattr(scope["app"].state, "settings", None)
        lang = negotiate(request, getattr(settings, "locale", DEFAULT))
        use(lang)
        remember = request.query_params.get("lang") in LANGUAGES

        async def send_with_cookie(message: Message) -> None:
            if remember and message["type"] == "http.response.start":
                cookie = f"{COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax"
                message.setdefault("headers", []).append((b"set-cookie", cookie.encode()))
            await send(message)

        await self.app(scope, receive, send_with_cookie)
