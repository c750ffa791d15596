"""A cap on request bodies, enforced before anything reads them (Content-Length or streamed).

A body announced larger than the cap is refused before it is read. A chunked body (no
Content-Length) is counted as it streams in: the chunk that goes over the cap raises
`TooLarge`, an HTTPException, so that whatever is reading the body (FastAPI's parser keeps only
HTTPExceptions as they are; every other error becomes "the body is not valid JSON") lets it
through to the error handlers, which answer 413.
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from arna.core import i18n
from arna.web.errors import page, renderer_for
from arna.web.language import negotiate


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await self._reject(scope, send)
                return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise TooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except TooLarge:  # read outside the error handlers (by a middleware)
            if not started:
                await self._reject(scope, send)

    async def _reject(self, scope: Scope, send: Send) -> None:
        detail = too_large(self.max_bytes)
        if own := renderer_for(scope["app"], scope["path"]):
            await self._send(scope, send, own(Request(scope), 413, detail, {}))
            return
        if not scope["path"].startswith("/api/"):
            await self._page(scope, send, detail)
            return
        body = json.dumps(
            {
                "type": "https://arna.kz/problems/payload_too_large",
                "title": "payload too large",
                "status": 413,
                "detail": detail,
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _page(self, scope: Scope, send: Send, detail: str) -> None:
        """A page of the site in the visitor's language (this runs before the language is set)."""
        request = Request(scope)
        i18n.use(negotiate(request))
        await self._send(scope, send, page(request, 413, detail))

    @staticmethod
    async def _send(scope: Scope, send: Send, response: Response) -> None:
        async def nothing() -> Message:
            return {"type": "http.disconnect"}

        await response(scope, nothing, send)


def too_large(max_bytes: int) -> str:
    return f"the request body is larger than {max_bytes} bytes; send less"


class TooLarge(HTTPException):
    """A streamed body went over the cap while it was being read."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, too_large(max_bytes))
