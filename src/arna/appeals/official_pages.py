"""The officials' workbench: login, the inbox of a body, acting on an appeal, the supervisor's
overview.

Sessions are server-side (core.sessions): an HttpOnly cookie, and a CSRF token that every form
sends back. Every action goes through the same service functions as the API, so the audit log
and the notifications are the same whichever door an official uses.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from arna.appeals import service
from arna.appeals.access import get_appeal_for, in_scope
from arna.appeals.models import Appeal
from arna.appeals.pages import event_names
from arna.appeals.policy import OPEN
from arna.appeals.views import full_view, is_overdue
from arna.bodies.competence import categories, route
from arna.bodies.reference import bodies, parent_chain
from arna.core.clock import WorkingCalendar, load_calendar, now_utc, to_local_date
from arna.core.errors import ArnaError, InvalidTransition, NotFound
from arna.core.sessions import Locked, Signed, csrf_ok, log_in, log_out, signed_in
from arna.web import i18n
from arna.web.deps import DatabaseDep, SettingsDep
from arna.web.templating import make_templates

router = APIRouter(include_in_schema=False)
templates = make_templates("arna.appeals")
_ = i18n.gettext_
COOKIE = "arna_session"
NO_STORE = {"Cache-Control": "no-store"}
OUTCOMES = ("resolved", "explained", "refused", "not_competent", "duplicate")


class FormError(ArnaError):
    """A form value to correct; its message is already in the page's language."""

    status = 422


def _outcome_names() -> dict[str, str]:
    return {
        "resolved": _("Resolved"),
        "explained": _("Explained"),
        "refused": _("Refused, with the reason"),
        "not_competent": _("Not ours: forward to the competent body"),
        "duplicate": _("Duplicate of an earlier appeal"),
    }


def _me(request: Request, db: DatabaseDep) -> Signed | None:
    return signed_in(db, request.cookies.get(COOKIE))


def _to_login() -> RedirectResponse:
    return RedirectResponse("/official/login", status_code=303)


@router.get("/official/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "official_login.html", {"email": "", "error": None}, headers=NO_STORE
    )


@router.post("/official/login", response_model=None)
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
    me = _me(request, db)
    if me is not None and csrf_ok(me.csrf, csrf):
        log_out(db, request.cookies.get(COOKIE))
    response = _to_login()
    response.delete_cookie(COOKIE, path="/")
    return response


def _row(appeal: Appeal, today: date, calendar: WorkingCalendar) -> dict[str, Any]:
    lang = i18n.current()
    cat = categories().get(appeal.category_id or "")
    return {
        "number": appeal.number,
        "category": cat.name(lang) if cat else _("Needs triage"),
        "body": bodies()[appeal.body_id].name(lang),
        "status": appeal.status,
        "due_date": appeal.due_date,
        "days_left": calendar.working_days_between(today, appeal.due_date),
        "depth": appeal.escalation_depth,
        "public": appeal.public,
    }


def _scoped(me: Signed) -> Any:
    query = select(Appeal).where(Appeal.status.in_(OPEN))
    if me.actor.kind == "admin":
        return query
    scope = [b for b in bodies() if in_scope(me.actor.body_id, b)]
    if me.actor.kind == "official":
        scope = [me.actor.body_id or ""]
    return query.where(Appeal.body_id.in_(scope))


@router.get("/official/", response_model=None)
def inbox(request: Request, db: DatabaseDep, settings: SettingsDep) -> Response:
    me = _me(request, db)
    if me is None:
        return _to_login()
    today = to_local_date(now_utc())
    with db.read() as session:
        appeals = list(session.scalars(_scoped(me).order_by(Appeal.due_date, Appeal.id)))
        calendar = load_calendar(settings.calendar_file)
        rows = [_row(a, today, calendar) for a in appeals]
    body = bodies().get(me.actor.body_id or "")
    return templates.TemplateResponse(
        request,
        "official_inbox.html",
        {"me": me, "rows": rows, "body": body.name(i18n.current()) if body else ""},
        headers=NO_STORE,
    )


@router.get("/official/overview", response_model=None)
def overview(request: Request, db: DatabaseDep, settings: SettingsDep) -> Response:
    """The supervisor's view: everything overdue or escalated under their body."""
    me = _me(request, db)
    if me is None:
        return _to_login()
    now = now_utc()
    today = to_local_date(now)
    with db.read() as session:
        scope = [b for b in bodies() if in_scope(me.actor.body_id, b)]
        query = select(Appeal).where(Appeal.status.in_(OPEN))
        if me.actor.kind != "admin":
            query = query.where(Appeal.body_id.in_(scope))
        candidates = session.scalars(query.order_by(Appeal.due_date, Appeal.id))
        calendar = load_calendar(settings.calendar_file)
        rows = [
            _row(a, today, calendar)
            for a in candidates
            if is_overdue(a, now) or a.escalation_depth > 0
        ]
    return templates.TemplateResponse(
        request, "official_overview.html", {"me": me, "rows": rows}, headers=NO_STORE
    )


def _forward_choices(kato: str | None, current: str) -> list[tuple[str, str]]:
    """Bodies an appeal here could belong to: the competent body of every topic at this place
    and the bodies above the current one."""
    lang = i18n.current()
    ids: list[str] = []
    for category in categories():
        try:
            found = route(category, kato or "100000000").body.id
        except ArnaError:
            continue
        if found not in ids:
            ids.append(found)
    ids += [b.id for b in parent_chain(current) if b.id not in ids]
    table = bodies()
    return sorted(
        ((i, table[i].name(lang)) for i in ids if i in table and i != current),
        key=lambda p: p[1],
    )


def _appeal_page(
    request: Request,
    db: DatabaseDep,
    me: Signed,
    number: str,
    errors: dict[str, str] | None = None,
    done: str | None = None,
    status: int = 200,
) -> Response:
    with db.read() as session:
        appeal, view = get_appeal_for(session, me.actor, number)
        if view != "full":
            raise NotFound(number)
        data = full_view(session, appeal, now_utc())
        kato = appeal.kato
    return templates.TemplateResponse(
        request,
        "official_appeal.html",
        {
            "me": me,
            "appeal": data,
            "errors": errors or {},
            "done": done,
            "outcomes": _outcome_names(),
            "choices": _forward_choices(kato, data.body.id),
            "events": event_names(),
            "latest_extension": service.add_months(to_local_date(data.registered_at), 2),
        },
        status_code=status,
        headers=NO_STORE,
    )


@router.get("/official/appeals/{number}", response_model=None)
def appeal_page(
    request: Request, db: DatabaseDep, number: str, done: str | None = None
) -> Response:
    me = _me(request, db)
    if me is None:
        return _to_login()
    notices = {
        "answered": _("The answer is recorded and the applicant is told."),
        "forwarded": _("The appeal is forwarded."),
        "extended": _("The deadline is extended and the applicant is told."),
    }
    try:
        return _appeal_page(request, db, me, number, done=notices.get(done or ""))
    except NotFound:
        return templates.TemplateResponse(
            request, "official_missing.html", {"me": me}, status_code=404
        )


def _act(
    request: Request, db: DatabaseDep, number: str, csrf: str, field: str, action: Any, done: str
) -> Response:
    me = _me(request, db)
    if me is None:
        return _to_login()
    if not csrf_ok(me.csrf, csrf):
        return _appeal_page(
            request, db, me, number,
            {field: _("The form expired. Reload the page and try again.")}, status=403,
        )  # fmt: skip
    try:
        action(me)
    except NotFound:
        return templates.TemplateResponse(
            request, "official_missing.html", {"me": me}, status_code=404
        )
    except FormError as exc:
        return _appeal_page(request, db, me, number, {field: exc.message}, status=exc.status)
    except ArnaError as exc:
        return _appeal_page(request, db, me, number, {field: _error_text(exc)}, status=exc.status)
    return RedirectResponse(f"/official/appeals/{number}?done={done}", status_code=303)


def _error_text(exc: ArnaError) -> str:
    """The service's reason in the page's language (the API keeps the English one)."""
    message = exc.message
    if message == "the appeal is with that body already":
        return _("The appeal is with that body already.")
    if message.startswith("not_competent needs body_id"):
        return _("Choose the competent body the appeal goes to.")
    if message.startswith("duplicate needs duplicate_of"):
        return _("Give the number of the original appeal (another appeal, e.g. A-2026-000123).")
    if message == "the term of this appeal was extended once already":
        return _("The deadline of this appeal was extended once already.")
    if message.startswith("until must be after the current due date"):
        return _("The new date must be after the current deadline.")
    if message.startswith("an extension ends at most 2 months after registration"):
        return _("The new date can be at most two months after registration.")
    if isinstance(exc, InvalidTransition):
        return _("This cannot be done in the appeal's present state")
    return _("This cannot be done now: {reason}").format(reason=message)


@router.post("/official/appeals/{number}/answer", response_model=None)
def answer(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    number: str,
    csrf: Annotated[str, Form(max_length=100)] = "",
    outcome: Annotated[str, Form(max_length=20)] = "",
    text: Annotated[str, Form(max_length=20_000)] = "",
    body_id: Annotated[str, Form(max_length=60)] = "",
    duplicate_of: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    def run(me: Signed) -> None:
        if outcome not in OUTCOMES:
            raise FormError(_("Choose the outcome of the answer."))
        if not text.strip():
            raise FormError(_("Write the answer to the applicant."))
        service.answer_appeal(
            db, settings, me.actor, number, outcome=outcome, text=text.strip(),
            body_id=body_id or None, duplicate_of=duplicate_of.strip() or None,
        )  # fmt: skip

    return _act(request, db, number, csrf, "answer", run, "answered")


@router.post("/official/appeals/{number}/forward", response_model=None)
def forward(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    number: str,
    csrf: Annotated[str, Form(max_length=100)] = "",
    body_id: Annotated[str, Form(max_length=60)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    def run(me: Signed) -> None:
        if len(reason.strip()) < 3:
            raise FormError(_("Say why the appeal goes to that body."))
        service.forward_appeal(
            db, settings, me.actor, number, body_id=body_id, reason=reason.strip()
        )

    return _act(request, db, number, csrf, "forward", run, "forwarded")


@router.post("/official/appeals/{number}/extend", response_model=None)
def extend(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    number: str,
    csrf: Annotated[str, Form(max_length=100)] = "",
    until: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    def run(me: Signed) -> None:
        try:
            day = date.fromisoformat(until)
        except ValueError as exc:
            raise FormError(_("Give the new date as a calendar date.")) from exc
        if len(reason.strip()) < 3:
            raise FormError(_("Say why the answer needs more time."))
        service.extend_appeal(db, settings, me.actor, number, until=day, reason=reason.strip())

    return _act(request, db, number, csrf, "extend", run, "extended")
