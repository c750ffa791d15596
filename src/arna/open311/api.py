"""Open311 GeoReport v2 over the appeals: `/open311/v2/{resource}.{json|xml}`.

A service request is an ordinary appeal: it goes through the appeals' intake (validation,
reading, routing, the legal clock, the audit event, the e-mails), is public, and is read back
redacted like every public appeal. Errors are the spec's `errors/error` in the format asked
(`error_response`, which `create_app` gives the error handlers for every path under
/open311/), with its statuses: 400 bad input, 403 bad API key, 404 unknown.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from arna.accounts.queries import api_key_id
from arna.appeals.placement import receive
from arna.appeals.schemas import AppealCreated
from arna.bodies.reference import bodies
from arna.core.clock import now_utc
from arna.core.db import Database
from arna.core.deps import ReadSessionDep, SettingsDep
from arna.core.errors import ArnaError, Forbidden, NotFound, ValidationFailed
from arna.core.hashing import digest
from arna.core.i18n import current
from arna.open311 import form, queries
from arna.open311.formats import Format, errors, media_type, render
from arna.open311.schemas import (
    Discovery,
    Endpoint,
    Error,
    RequestCreated,
    RequestUpdate,
    Service,
    ServiceDefinition,
    ServiceRequest,
    TokenFound,
)
from arna.open311.services import attributes, offered, service_fields, service_notice

PREFIX = "/open311/v2"
CHANGESET = "2026-12-07T00:00:00+05:00"  # when this interface last changed
FORM = "application/x-www-form-urlencoded"
# What the spec's statuses mean here; every route documents the ones it can answer.
_MEANING = {
    400: "A missing argument or bad input; each `error` names the field",
    403: "No valid api_key (unknown or revoked)",
    404: "Unknown jurisdiction_id, service_code, service request or token, or no such resource",
    409: "This Idempotency-Key was used with a different request",
    413: "The request body is too large",
    503: "The request was not stored; send it again after Retry-After seconds",
}


def _documented(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {
        code: {"description": _MEANING[code], "model": list[Error], "content": {"text/xml": {}}}
        for code in codes
    }


def _ok(model: Any, *, many: bool = True, status: int = 200) -> dict[int | str, dict[str, Any]]:
    return {
        status: {
            "description": "The document, in the format of the address",
            "model": list[model] if many else model,
            "content": {"text/xml": {}},
        }
    }


# "4XX" also keeps FastAPI from documenting a 422: bad input here is the spec's 400.
_ANY_4XX = {"description": "Any other client error (405…)", "model": list[Error]}
router = APIRouter(tags=["open311"], responses={**_documented(400, 404), "4XX": _ANY_4XX})

FormatPath = Annotated[Format, Path(description="json or xml")]
Jurisdiction = Annotated[
    str | None,
    Query(max_length=20, description="KATO code of a region or district; none: the country."),
]


def error_response(request: Request, status: int, detail: str, details: dict[str, Any]) -> Response:
    """The spec's error document for a failure anywhere under /open311/ (422 becomes 400)."""
    fmt = Format.xml if request.url.path.endswith(".xml") else Format.json
    status = 400 if status == 422 else status
    described = [
        f"{str(e['field']).removeprefix('query.').removeprefix('path.')}: {e['message']}"
        for e in details.get("errors") or ()
        if isinstance(e, dict)
    ]
    return Response(errors(fmt, status, described or [detail]), status, None, media_type(fmt))


def _answer(fmt: Format, root: str, item: str, records: Any, status: int = 200) -> Response:
    return Response(render(fmt, root, item, records), status, None, media_type(fmt))


@router.get(
    "/discovery.{format}", responses=_ok(Discovery, many=False), summary="Service discovery"
)
def discovery(format: FormatPath, settings: SettingsDep) -> Response:
    url = settings.public_url.rstrip("/") + PREFIX
    endpoint = Endpoint(
        specification="http://wiki.open311.org/GeoReport_v2",
        url=url,
        changeset=CHANGESET,
        type="production",
        formats=["text/xml", "application/json"],
    )
    found = Discovery(
        changeset=CHANGESET,
        contact=settings.mail_from,
        key_service=f"Ask the operator of {settings.public_url} for an API key "
        "(`arna apikeys create NAME`)",
        endpoints=[endpoint],
    )
    return _answer(format, "discovery", "", found.model_dump())


@router.get("/services.{format}", responses=_ok(Service), summary="Services (appeal categories)")
def services(format: FormatPath, jurisdiction_id: Jurisdiction = None) -> Response:
    form.jurisdiction(jurisdiction_id)
    lang = current()
    return _answer(
        format, "services", "service", [service_fields(c, lang) for c in offered().values()]
    )


@router.get(
    "/services/{service_code}.{format}",
    responses=_ok(ServiceDefinition, many=False),
    summary="A service's definition (its attributes)",
)
def service_definition(
    service_code: str, format: FormatPath, jurisdiction_id: Jurisdiction = None
) -> Response:
    form.jurisdiction(jurisdiction_id)
    form.service_code(service_code)
    found = ServiceDefinition.model_validate(
        {"service_code": service_code, "attributes": [asdict(a) for a in attributes(current())]}
    )
    return _answer(format, "service_definition", "", found.model_dump())


_FORM_FIELDS = {name: {"type": "string"} for name in sorted(form.FIELDS)}
_FORM_FIELDS |= {f"attribute[{name}]": {"type": "string"} for name in sorted(form.ATTRIBUTES)}


@router.post(
    "/requests.{format}",
    status_code=201,
    responses={
        **_ok(RequestCreated, status=201),
        **_documented(403, 409, 413, 503),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                FORM: {
                    "schema": {
                        "type": "object",
                        "properties": _FORM_FIELDS,
                        "required": ["api_key", "service_code", "description"],
                    }
                }
            },
        }
    },
    summary="File a service request (an appeal)",
)
async def create_request(
    format: FormatPath,
    request: Request,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            max_length=200,
            pattern=r"^[\x21-\x7e]+$",
            description="Retries with the same key (and the same form) get the same request; "
            "without it, the same form sent again within 24 hours does.",
        ),
    ] = None,
) -> Response:
    """Form-encoded as the spec says; `attribute[kind]`, `attribute[iin]` and
    `attribute[language]` as `GET services/{service_code}` defines them."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM:
        raise ValidationFailed(f"send the request as {FORM} (the GeoReport v2 form)")
    sent = form.parse_form(await request.body())
    key = sent.fields.get("api_key")
    if not key:
        raise ValidationFailed("api_key: required to file a service request")
    key_id = await run_in_threadpool(_key_id, request.app.state.db, key)
    if key_id is None:
        raise Forbidden("invalid api_key: unknown or revoked")
    place = form.jurisdiction(sent.fields.get("jurisdiction_id"))
    form.service_code(sent.fields.get("service_code"))
    data = form.appeal_of(sent, place)
    # Replays are known per API key: by the client's Idempotency-Key, or by the form itself.
    replay = digest(idempotency_key) if idempotency_key else "form:" + sent.digest()
    outcome = await request.app.state.intake.submit(
        receive(data, f"open311:{key_id}:{replay}", now_utc())
    )
    if isinstance(outcome, ArnaError):
        raise _in_our_words(outcome)
    created: AppealCreated = outcome[0]
    replayed: bool = outcome[1]
    lang = current()
    body = bodies()[created.body.id].name(lang)
    notice = service_notice(created.number, body, created.due_date, lang)
    record = RequestCreated(service_request_id=created.number, service_notice=notice)
    response = _answer(format, "service_requests", "request", [record.model_dump()], 201)
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def _in_our_words(error: ArnaError) -> ArnaError:
    """The intake names the appeals API's fields; a GeoReport client knows its own."""
    if isinstance(error, ValidationFailed) and error.details.get("field") in ("kato", "category"):
        return ValidationFailed(
            "address_string: no place Arna knows was found in it; give lat and long, "
            "address_id (a KATO code) or jurisdiction_id"
        )
    return error


def _key_id(db: Database, key: str) -> int | None:
    with db.read() as session:
        return api_key_id(session, key)


@router.get(
    "/tokens/{token}.{format}",
    responses=_ok(TokenFound),
    summary="The request of a token (Arna issues none: POST answers with the id)",
)
def resolve_token(token: str, format: FormatPath, jurisdiction_id: Jurisdiction = None) -> Response:
    """Arna files a request while the client waits and answers with its `service_request_id`;
    it never hands out a token, so no token is known here."""
    form.jurisdiction(jurisdiction_id)
    raise NotFound(
        f"no token {token!r}: Arna issues no tokens; POST requests answers with the "
        "service_request_id at once"
    )


DateQuery = Annotated[
    str | None, Query(max_length=40, description="W3C date-time, e.g. 2026-12-01T00:00:00+05:00")
]


@router.get("/requests.{format}", responses=_ok(ServiceRequest), summary="Service requests")
def list_requests(
    format: FormatPath,
    session: ReadSessionDep,
    jurisdiction_id: Jurisdiction = None,
    service_request_id: Annotated[
        str | None, Query(max_length=30_000, description="Comma-separated; overrides the rest.")
    ] = None,
    service_code: Annotated[str | None, Query(max_length=2_000)] = None,
    start_date: DateQuery = None,
    end_date: DateQuery = None,
    status: Annotated[str | None, Query(max_length=20, description="open, closed")] = None,
) -> Response:
    """Public requests of the services, newest first: at most 1,000, over at most 90 days (by
    default the last 90)."""
    place = form.jurisdiction(jurisdiction_id)
    now = now_utc()
    if ids := form.listed(service_request_id, "service_request_id"):
        filters = queries.Filters(ids, set(), now, now, set())  # the others are ignored
    else:
        start, end = form.window(
            form.instant(start_date, "start_date"),
            form.instant(end_date, "end_date", end=True),
            now,
        )
        codes = form.service_codes(service_code)
        filters = queries.Filters([], codes, start, end, form.statuses(status))
    found = queries.requests(session, place, filters, current())
    return _answer(format, "service_requests", "request", found)


@router.get(
    "/requests/{service_request_id}.{format}",
    responses=_ok(ServiceRequest),
    summary="One service request",
)
def get_request(
    service_request_id: str,
    format: FormatPath,
    session: ReadSessionDep,
    jurisdiction_id: Jurisdiction = None,
) -> Response:
    place = form.jurisdiction(jurisdiction_id)
    found = queries.request(session, place, service_request_id, current())
    return _answer(format, "service_requests", "request", [found])


@router.get(
    "/servicerequestupdates.{format}",
    responses=_ok(RequestUpdate),
    summary="Updates of the requests: answers, forwarding, escalations (extension)",
)
def request_updates(
    format: FormatPath,
    session: ReadSessionDep,
    jurisdiction_id: Jurisdiction = None,
    start_date: DateQuery = None,
    end_date: DateQuery = None,
) -> Response:
    """The public history of the requests, oldest first: at most 1,000 updates over at most
    90 days (by default the last 90)."""
    place = form.jurisdiction(jurisdiction_id)
    start, end = form.window(
        form.instant(start_date, "start_date"),
        form.instant(end_date, "end_date", end=True),
        now_utc(),
    )
    found = queries.updates(session, place, start, end, current())
    return _answer(format, "service_request_updates", "request_update", found)
