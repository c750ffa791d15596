"""The officials' workbench: the inbox of a body, acting on an appeal, the supervisor's overview.

Every action goes through the same actions as the API, so the audit log and the notifications
are the same whichever door an official uses; the forms are validated by the API's schemas.
Logging in and out is the accounts slice's (`arna.accounts.pages`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from arna.accounts.deps import signed_in_official, to_login
from arna.accounts.queries import Signed, csrf_ok
from arna.appeals import queries
from arna.appeals.actions import lifecycle
from arna.appeals.labels import event_names, outcome_choices
from arna.appeals.models import Appeal
from arna.appeals.schemas import AnswerIn, ExtendIn, ForwardIn
from arna.bodies.competence import categories, route
from arna.bodies.reference import bodies, parent_chain
from arna.core import i18n
from arna.core.clock import WorkingCalendar, load_calendar, now_utc, to_local_date
from arna.core.deps import DatabaseDep, SettingsDep
from arna.core.errors import ArnaError, InvalidTransition, NotFound
from arna.web.forms import rejected
from arna.web.templating import NO_STORE, make_templates

router = APIRouter(include_in_schema=False)
templates = make_templates("arna.appeals")
_ = i18n.gettext_
M = TypeVar("M", bound=BaseModel)


class FormError(ArnaError):
    """A form value to correct; its message is already in the page's language."""

    status = 422


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


@router.get("/official/", response_model=None)
def inbox(request: Request, db: DatabaseDep, settings: SettingsDep) -> Response:
    me = signed_in_official(request, db)
    if me is None:
        return to_login()
    today = to_local_date(now_utc())
    calendar = load_calendar(settings.calendar_file)
    with db.read() as session:
        rows = [_row(a, today, calendar) for a in queries.open_appeals(session, me.actor)]
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
    me = signed_in_official(request, db)
    if me is None:
        return to_login()
    now = now_utc()
    today = to_local_date(now)
    calendar = load_calendar(settings.calendar_file)
    with db.read() as session:
        rows = [
            _row(a, today, calendar)
            for a in queries.open_appeals(session, me.actor, under=True)
            if queries.is_overdue(a, now) or a.escalation_depth > 0
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
        appeal, view = queries.get_appeal_for(session, me.actor, number)
        if view != "full":
            raise NotFound(number)
        data = queries.full_view(session, appeal, now_utc())
        kato = appeal.kato
    return templates.TemplateResponse(
        request,
        "official_appeal.html",
        {
            "me": me,
            "appeal": data,
            "errors": errors or {},
            "done": done,
            "outcomes": outcome_choices(),
            "choices": _forward_choices(kato, data.body.id),
            "events": event_names(),
            "latest_extension": lifecycle.latest_extension(data.registered_at),
        },
        status_code=status,
        headers=NO_STORE,
    )


def _missing(request: Request, me: Signed) -> Response:
    return templates.TemplateResponse(request, "official_missing.html", {"me": me}, status_code=404)


@router.get("/official/appeals/{number}", response_model=None)
def appeal_page(
    request: Request, db: DatabaseDep, number: str, done: str | None = None
) -> Response:
    me = signed_in_official(request, db)
    if me is None:
        return to_login()
    notices = {
        "answered": _("The answer is recorded and the applicant is told."),
        "forwarded": _("The appeal is forwarded."),
        "extended": _("The deadline is extended and the applicant is told."),
    }
    try:
        return _appeal_page(request, db, me, number, done=notices.get(done or ""))
    except NotFound:
        return _missing(request, me)


def _act(
    request: Request,
    db: DatabaseDep,
    number: str,
    csrf: str,
    field: str,
    action: Callable[[Signed], None],
    done: str,
) -> Response:
    me = signed_in_official(request, db)
    if me is None:
        return to_login()
    if not csrf_ok(me.csrf, csrf):
        return _appeal_page(
            request, db, me, number,
            {field: _("The form expired. Reload the page and try again.")}, status=403,
        )  # fmt: skip
    try:
        action(me)
    except NotFound:
        return _missing(request, me)
    except FormError as exc:
        return _appeal_page(request, db, me, number, {field: exc.message}, status=exc.status)
    except ArnaError as exc:
        return _appeal_page(request, db, me, number, {field: _error_text(exc)}, status=exc.status)
    return RedirectResponse(f"/official/appeals/{number}?done={done}", status_code=303)


def _error_text(exc: ArnaError) -> str:
    """The action's reason in the page's language (the API keeps the English one)."""
    message = exc.message
    if message == "the appeal is with that body already":
        return _("The appeal is with that body already.")
    if message.startswith("not_competent needs body_id"):
        return _("Choose the competent body the appeal goes to.")
    if message.startswith("duplicate needs duplicate_of"):
        return _duplicate_message()
    if message == "the term of this appeal was extended once already":
        return _("The deadline of this appeal was extended once already.")
    if message.startswith("until must be after the current due date"):
        return _("The new date must be after the current deadline.")
    if message.startswith("an extension ends at most 2 months after registration"):
        return _("The new date can be at most two months after registration.")
    if isinstance(exc, InvalidTransition):
        return _("This cannot be done in the appeal's present state")
    return _("This cannot be done now: {reason}").format(reason=message)


def _duplicate_message() -> str:
    return _("Give the number of the original appeal (another appeal, e.g. A-2026-000123).")


def _validated(schema: type[M], values: dict[str, Any], message: Callable[[str, str], str]) -> M:
    """The form's values as the API's schema takes them, or the first problem as a FormError
    (`message(field, kind)` says it in the page's language)."""
    try:
        return schema.model_validate(values)
    except ValidationError as exc:
        raise FormError(message(*rejected(exc)[0])) from None


def _answer_problem(field: str, kind: str) -> str:
    if field == "outcome":
        return _("Choose the outcome of the answer.")
    if field == "duplicate_of":
        return _duplicate_message()
    if kind == "string_too_long":
        return _("The answer can be at most 10,000 characters.")
    return _("Write the answer to the applicant.")


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
        form = {
            "outcome": outcome,
            "text": text,
            "body_id": body_id or None,
            # the form always shows the field; only a duplicate reads it
            "duplicate_of": (duplicate_of.strip() or None) if outcome == "duplicate" else None,
        }
        given = _validated(AnswerIn, form, _answer_problem)
        lifecycle.answer_appeal(
            db, settings, me.actor, number, outcome=given.outcome, text=given.text,
            body_id=given.body_id, duplicate_of=given.duplicate_of,
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
        given = _validated(
            ForwardIn,
            {"body_id": body_id, "reason": reason},
            lambda field, kind: _("Say why the appeal goes to that body."),
        )
        lifecycle.forward_appeal(
            db, settings, me.actor, number, body_id=given.body_id, reason=given.reason
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
        given = _validated(
            ExtendIn,
            {"until": until, "reason": reason},
            lambda field, kind: (
                _("Give the new date as a calendar date.")
                if field == "until"
                else _("Say why the answer needs more time.")
            ),
        )
        lifecycle.extend_appeal(
            db, settings, me.actor, number, until=given.until, reason=given.reason
        )

    return _act(request, db, number, csrf, "extend", run, "extended")
