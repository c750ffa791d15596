"""Security headers on every response: pages, API answers, static files, errors.

The Content-Security-Policy allows scripts, styles, fonts and images of this site only, and no
inline script or style: the pages keep theirs in /static (a style a script sets through the
DOM, as the maps' colours, is allowed by the policy). No other site may frame a page, forms post
only here. Strict-Transport-Security is sent only on a request that came over HTTPS (behind a
proxy on the same machine, uvicorn takes the scheme from X-Forwarded-Proto).

FastAPI's own interactive API docs would load Swagger UI from a CDN with an inline script, which
both the policy and the offline rule forbid: /api/v1/docs serves Swagger UI from the package,
started by a script file (see `app.serve_files`). The charts need no 'unsafe-eval' either: Vega
runs with its expression interpreter (static/vega/README.md).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
HSTS = {"Strict-Transport-Security": "max-age=31536000"}


class SecurityHeaders:
    """Adds HEADERS (and HSTS over HTTPS) to every HTTP response that does not set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = HEADERS | HSTS if scope.get("scheme") == "https" else HEADERS
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers.setdefault(name, value)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # An unhandled error: answer the 500 here, with the headers, before the server's
            # outermost handler (which runs outside this middleware) logs it.
            if not started:
                response = PlainTextResponse("Internal Server Error", status_code=500)
                await response(scope, receive, send_with_headers)
            raise
