"""The language of each page request: `?lang=` (remembered in a cookie), else the cookie, else
`Accept-Language`, else the configured default."""

from __future__ import annotations

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from arna.core.i18n import DEFAULT, LANGUAGES, use

COOKIE = "arna_lang"


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
