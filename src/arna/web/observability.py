"""What operators see of a running server: a request id on every request and its log lines, one
access line per request, the counters of web/metrics.py, and /healthz, /readyz and /metrics.

The access line names the route template (`/api/v1/appeals/{number}`), never the path or the
query: paths carry appeal numbers, queries may carry codes. Nothing of a request's body or
headers is logged but the request id, which is the client's own `X-Request-ID` when it is a
plain token (at most 64 letters, digits, `.`, `_`, `-`), else a new one; either way the response
sends it back in `X-Request-ID`.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from arna.core.db import Database
from arna.core.logs import request_id
from arna.web.metrics import CONTENT_TYPE, UNMATCHED, Metrics

access_log = logging.getLogger("arna.access")

HEADER = "X-Request-ID"
_RAW_HEADER = HEADER.lower().encode("ascii")
_TOKEN = re.compile(rb"[A-Za-z0-9._-]{1,64}")
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
NO_STORE = {"Cache-Control": "no-store"}


def route_of(scope: Scope) -> str:
    """The template of the route that took the request: `/api/v1/appeals/{number}`.

    The router leaves the route in the scope; a route of an included router knows its own
    template (`/appeals/{number}`) but not the prefix it was included under (`/api/v1`), which
    is the part of the path before as many segments as the template has. A `{x:path}` parameter
    spans any number of segments: such a route keeps its own template, without the prefix.
    """
    route = scope.get("route")
    template = getattr(route, "path_format", None)
    if not isinstance(template, str) or not template:
        return UNMATCHED
    if ":path}" in str(getattr(route, "path", "")) or isinstance(route, Mount):
        return template
    segments = str(scope.get("path", "")).split("/")
    prefix = segments[: max(len(segments) - template.count("/"), 1)]
    return "/".join(prefix) + template


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == _RAW_HEADER:
            return value.decode("ascii") if _TOKEN.fullmatch(value) else None
    return None


class Observability:
    """The outermost middleware: sets the request id for everything inside, adds it to the
    response, counts and times the request, and writes its access line."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_id(scope) or uuid.uuid4().hex
        token = request_id.set(rid)
        start = time.perf_counter()
        status = 500  # unless a response starts: an error that escaped every handler

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append(HEADER, rid)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - start
            method = scope["method"] if scope["method"] in METHODS else "OTHER"
            route = route_of(scope)
            self.metrics.observe(method, route, status, seconds)
            if access_log.isEnabledFor(logging.INFO):
                fields = {
                    "method": method,
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 2),
                }
                access_log.info("request", extra={"fields": fields})
            request_id.reset(token)


def install(
    app: FastAPI,
    db: Database,
    metrics: Metrics,
    current_revision: Callable[[Database], str | None],
    head_revision: Callable[[], str | None],
) -> None:
    """The middleware (add it last: the outermost) and the three operators' addresses, left out
    of the OpenAPI schema (they are for the machines that run Arna, not for its clients)."""
    app.add_middleware(Observability, metrics=metrics)
    head: list[str | None] = []  # read once, at the first readiness check

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        """Liveness: the process answers; the database is not asked."""
        return JSONResponse({"status": "ok"}, headers=NO_STORE)

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> JSONResponse:
        """Readiness: the database answers and its schema is at the migrations' head."""
        if not head:
            head.append(head_revision())
        try:
            current = current_revision(db)
        except Exception as exc:
            logging.getLogger(__name__).warning(
                "readiness: the database did not answer (%s)", type(exc).__name__
            )
            return _unready("the database does not answer")
        if current != head[0]:
            return _unready(
                "the database schema is not at the migrations' head: run `arna db upgrade`",
                current=current,
                head=head[0],
            )
        return JSONResponse({"status": "ready", "revision": current}, headers=NO_STORE)

    @app.get("/metrics", include_in_schema=False)
    def prometheus() -> Response:
        return Response(metrics.exposition(), media_type=CONTENT_TYPE, headers=NO_STORE)


def _unready(reason: str, **details: Any) -> JSONResponse:
    body = {"status": "unavailable", "reason": reason, **details}
    return JSONResponse(body, status_code=503, headers=NO_STORE)
