"""The consultations on the officials' workbench: the consultations the signed-in official
manages (administrators every one, officials and supervisors their body's), each with the
participants' statements waiting for moderation (their text, language and time, never who wrote
them) to accept or reject; a form to open a consultation with its first statements; and closing
an open one, after a confirmation (closing cannot be undone).

The forms go through the same actions as the API, validated by its schemas, as the petitions'
workbench does (`accounts.deps.act_on_form`): a refusal comes back as the page with the reason in
the official's language (nothing written), a success as a redirect back (303).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError

from arna.accounts.deps import Posted, PostedDep, act_on_form, signed_in_official, to_login
from arna.accounts.queries import Signed
from arna.bodies import queries as bodies
from arna.core import i18n
from arna.core.db import Database
from arna.core.deps import DatabaseDep, SettingsDep
from arna.core.errors import ArnaError, Forbidden, InvalidTransition, NotFound, ValidationFailed
from arna.opinion import policy, queries
from arna.opinion.actions import consultations, groups
from arna.opinion.pages.views import BADGES, PRIVATE, counts, status_name, templates
from arna.opinion.schemas import ConsultationCreate
from arna.web.forms import FormError, form_errors

router = APIRouter(include_in_schema=False)
_ = i18n.gettext_
PAGE = "/official/consultations"
DONE = (policy.ACCEPTED, policy.REJECTED, "opened", policy.CLOSED)
NEW = "new"  # the key of the form that opens a consultation, in the page's errors
STATEMENT = r"[0-9]{1,9}"
FIELDS = ("title", "question", "language", "body_id", "statements")


@dataclass(frozen=True)
class Draft:
    """What was typed into the form that opens a consultation: kept when it is refused."""

    title: str = ""
    question: str = ""
    language: str = ""
    body_id: str = ""
    statements: str = ""


@dataclass
class Shown:
    """What a refusal brings back to the page: messages by consultation and form, the draft,
    the closing to confirm."""

    errors: dict[str, dict[str, str]] = field(default_factory=dict)
    draft: Draft = Draft()
    closing: str = ""


def _page(
    request: Request, db: Database, me: Signed, shown: Shown | None = None, status: int = 200
) -> Response:
    shown = shown or Shown()
    lang = i18n.current()
    with db.read() as session:
        found = [
            (c, waiting)
            for c, waiting in queries.awaiting(session, me.actor)
            if consultations.may_manage(me.actor, None, c.body_id)
        ]
        ids = {c.body_id for c, _waiting in found if c.body_id}
        names = bodies.names(session, ids | {me.actor.body_id or ""} - {""}, lang)
    items: list[dict[str, Any]] = [
        {
            "c": c,
            "waiting": waiting,
            "open": c.status == policy.OPEN,
            "badge_class": BADGES.get(c.status, BADGES[policy.CLOSED]),
            "status_name": status_name(c.status),
            "counts": counts(c),
            "body": names.get(c.body_id, "") if c.body_id else _("No body: administrators run it"),
        }
        for c, waiting in found
    ]
    numbers = {c.number for c, _waiting in found}
    stray = [
        m
        for key, forms in shown.errors.items()
        if key not in numbers | {NEW}
        for m in forms.values()
    ]
    asked = shown.closing or request.query_params.get("close", "")
    done = request.query_params.get("done", "")
    context = {
        "me": me,
        "items": items,
        "errors": shown.errors,
        "stray": stray,
        "draft": shown.draft,
        "closing": asked if any(i["open"] and i["c"].number == asked for i in items) else "",
        "done": done if done in DONE else "",
        "is_admin": me.actor.kind == "admin",
        "may_open": consultations.may_manage(me.actor, None, me.actor.body_id),
        "own_body": names.get(me.actor.body_id or "", ""),
        "language_names": {"kk": _("Kazakh"), "ru": _("Russian"), "en": _("English")},
        "min_length": policy.STATEMENT_MIN,
        "max_length": policy.STATEMENT_MAX,
    }
    return templates.TemplateResponse(
        request, "official_consultations.html", context, status_code=status, headers=PRIVATE
    )


@router.get(PAGE, response_model=None)
def awaiting_page(request: Request, db: DatabaseDep) -> Response:
    me = signed_in_official(request, db)
    if me is None:
        return to_login()
    return _page(request, db, me)


def _act(
    posted: Posted,
    form: str,
    action: Callable[[Signed], None],
    done: str,
    shown: Shown | None = None,
) -> Response:
    """The form `form` of the consultation `posted.number` (or of a new one) acts; a refusal
    shows the page with its reason beside that form."""
    key = posted.number or NEW
    shown = shown or Shown()

    def again(me: Signed, message: str, status: int) -> Response:
        shown.errors.setdefault(key, {})[form] = message
        return _page(posted.request, posted.db, me, shown, status)

    def refused(me: Signed, exc: ArnaError) -> Response:
        if isinstance(exc, NotFound | Forbidden):
            if key == NEW:
                return again(me, _("You may open consultations only for your own body."), 403)
            return again(me, _("This consultation is not yours to act on."), 403)
        if isinstance(exc, InvalidTransition):
            if form == "closing":
                return again(
                    me, _("This consultation is closed already: nothing was changed."), 409
                )
            message = _("This statement has been moderated already: nothing was changed.")
            return again(me, message, 409)
        if exc.details.get("field") == "statement":
            return again(me, _("This statement is not in this consultation."), 404)
        if exc.details.get("field") == "body_id":
            shown.errors.setdefault(key, {})["body_id"] = _("No body has this id.")
            return again(me, _("The consultation needs correcting; see the messages below."), 422)
        if exc.details.get("field") == "statements":
            shown.errors.setdefault(key, {})["statements"] = _statements_error()
            return again(me, _("The consultation needs correcting; see the messages below."), 422)
        reason = _("This cannot be done now: {reason}").format(reason=exc.message)
        return again(me, reason, exc.status)

    return act_on_form(posted, action, again, refused, done)


def _statements_error() -> str:
    return _(
        "One statement a line, at most 200, each %(min)s to %(max)s characters: one thought, "
        "said briefly."
    ) % {
        "min": i18n.fmt_number(policy.STATEMENT_MIN),
        "max": i18n.fmt_number(policy.STATEMENT_MAX),
    }


def _messages() -> dict[str, str]:
    return {
        "title": _("Write the title: 3 to 200 characters."),
        "question": _("Write the question: 3 to 2,000 characters."),
        "language": _("Choose Kazakh, Russian or English, or let Arna detect it."),
        "body_id": _("No body has this id."),
        "statements": _statements_error(),
    }


@router.post(PAGE, response_model=None)
def open_consultation(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
    title: Annotated[str, Form(max_length=2_000)] = "",
    question: Annotated[str, Form(max_length=20_000)] = "",
    language: Annotated[str, Form(max_length=20)] = "",
    body_id: Annotated[str, Form(max_length=600)] = "",
    statements: Annotated[str, Form(max_length=200_000)] = "",
) -> Response:
    """A new consultation with its first statements (one a line), open for votes at once."""
    shown = Shown(draft=Draft(title, question, language, body_id, statements))

    def run(me: Signed) -> None:
        lines = [line.strip() for line in statements.splitlines() if line.strip()]
        try:
            data = ConsultationCreate.model_validate(
                {
                    "title": title,
                    "question": question,
                    "language": language or None,
                    "body_id": (body_id.strip() or None) if me.actor.kind == "admin" else None,
                    "statements": lines,
                }
            )
        except ValidationError as exc:
            wrong = form_errors(exc, {f: f for f in FIELDS}, _messages(), "title")
            shown.errors.setdefault(NEW, {}).update(wrong)
            raise FormError(
                _("The consultation needs correcting; see the messages below.")
            ) from None
        consultations.create_consultation(db, me.actor, data)

    posted = Posted(request, db, settings, "", csrf)
    return _act(posted, "form", run, f"{PAGE}?done=opened#consultations", shown)


@router.post(PAGE + "/{number}/statements/{statement}/moderation", response_model=None)
def moderate(
    posted: PostedDep, statement: str, decision: Annotated[str, Form(max_length=20)] = ""
) -> Response:
    """Accept or reject a statement waiting for moderation."""

    def run(me: Signed) -> None:
        if decision not in (policy.ACCEPTED, policy.REJECTED):
            raise FormError(_("Choose to accept or to reject the statement."))
        if not re.fullmatch(STATEMENT, statement):
            raise ValidationFailed(f"no statement {statement}", field="statement")
        consultations.moderate_statement(
            posted.db, me.actor, posted.number, int(statement), decision, pending_only=True
        )

    where = f"{PAGE}?done={quote(decision)}#consultation-{quote(posted.number)}"
    return _act(posted, "moderation", run, where)


@router.post(PAGE + "/{number}/closing", response_model=None)
def close(posted: PostedDep, confirm: Annotated[str, Form(max_length=10)] = "") -> Response:
    """Close an open consultation, once confirmed: no more votes or statements; its opinion
    groups are computed one last time (as the API's closing does)."""
    shown = Shown(closing=posted.number)

    def run(me: Signed) -> None:
        if confirm != "yes":
            raise FormError(_("Confirm the closing with the button below: it cannot be undone."))
        consultations.close_consultation(posted.db, me.actor, posted.number)
        groups.compute_groups(posted.db, posted.number)

    where = f"{PAGE}?done=closed#consultation-{quote(posted.number)}"
    return _act(posted, "closing", run, where, shown)
