"""One handler for the error tree: problem details (RFC 9457) under /api, a page elsewhere, and
another protocol's own error format under the prefixes `install` is given (Open311's
errors/error under /open311/)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from arna.core import i18n
from arna.core.errors import ArnaError
from arna.web.templating import make_templates

PROBLEM = "application/problem+json"

# Renders an error in a protocol's own format: (request, status, detail, details) -> response;
# `details` may hold "errors", a list of {"field", "message"}.
Renderer = Callable[[Request, int, str, dict[str, Any]], Response]


def _problem(status: int, code: str, detail: str, **extra: Any) -> JSONResponse:
    body = {
        "type": f"https://arna.kz/problems/{code}",
        "title": code.replace("_", " "),
        "status": status,
        "detail": detail,
    }
    body.update({k: v for k, v in extra.items() if k not in body})
    return JSONResponse(jsonable_encoder(body), status_code=status, media_type=PROBLEM)


def _renamed(details: dict[str, Any]) -> dict[str, Any]:
    """Details whose names clash with the problem fields get a prefix rather than vanish."""
    reserved = {"type", "title", "status", "detail"}
    return {(f"current_{k}" if k in reserved else k): v for k, v in details.items()}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def page(request: Request, status: int, detail: str) -> Response:
    """The error as a page of the site, in the visitor's language (the detail, in English, is
    kept for whoever reports it)."""

    _ = i18n.gettext_
    titles = {
        400: _("The request could not be read"),
        403: _("This action is not allowed"),
        404: _("Page not found"),
        405: _("This page does not accept that kind of request"),
        409: _("This cannot be done in the appeal's present state"),
        413: _("What was sent is too large"),
        422: _("Some of what was sent cannot be used"),
        429: _("Too many attempts; wait a little and try again"),
    }
    title = titles.get(status, _("Something went wrong"))
    return make_templates("arna.web").TemplateResponse(
        request, "error.html", {"status": status, "title": title, "detail": detail},
        status_code=status,
    )  # fmt: skip


def _describe(error: dict[str, Any]) -> dict[str, Any]:
    parts = [str(part) for part in error.get("loc", ())]
    location = ".".join(parts[1:] if parts[:1] == ["body"] and len(parts) > 1 else parts)
    return {"field": location or "body", "message": error.get("msg", "invalid value")}


def renderer_for(app: Any, path: str) -> Renderer | None:
    """The renderer `install` was given for the prefix of this path, if any."""
    renderers: Mapping[str, Renderer] = getattr(app.state, "error_renderers", {})
    return next((r for prefix, r in renderers.items() if path.startswith(prefix)), None)


def install(app: FastAPI, renderers: Mapping[str, Renderer] | None = None) -> None:
    app.state.error_renderers = dict(renderers or {})

    @app.exception_handler(ArnaError)
    async def _arna_error(request: Request, exc: ArnaError) -> Response:
        if own := renderer_for(request.app, request.url.path):
            response: Response = own(request, exc.status, exc.message, exc.details)
        elif _wants_json(request):
            response = _problem(exc.status, exc.code, exc.message, **_renamed(exc.details))
        else:
            response = page(request, exc.status, exc.message)
        response.headers.update(exc.headers)  # e.g. Retry-After on a 503
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [_describe(e) for e in exc.errors()]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "invalid request"
        if own := renderer_for(request.app, request.url.path):
            return own(request, 422, detail, {"errors": errors})
        if _wants_json(request):
            return _problem(422, "validation_failed", detail, errors=errors)
        return page(request, 422, detail)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        detail = str(exc.detail)
        if exc.status_code == 400 and "parsing the body" in detail:
            detail = "the request body is not valid JSON: send one JSON object encoded in UTF-8"
        if own := renderer_for(request.app, request.url.path):
            response: Response = own(request, exc.status_code, detail, {})
        elif _wants_json(request):
            named = {404: "not_found", 413: "payload_too_large"}
            code = named.get(exc.status_code, f"http_{exc.status_code}")
            response = _problem(exc.status_code, code, detail)
        else:
            response = page(request, exc.status_code, detail)
        response.headers.update(exc.headers or {})  # e.g. Allow on a 405
        return response
