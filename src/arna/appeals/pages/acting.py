"""What the forms of the appeal page send: accept, answer, forward, extend, correct the topic or
place. Each goes through the same action as the API, so the audit log and the notifications are
the same whichever door an official uses; the forms are validated by the API's schemas, and a
refusal comes back as the page with the reason in the official's language (nothing written).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError

from arna.accounts.deps import Posted, PostedDep, act_on_form
from arna.accounts.queries import Signed
from arna.appeals.actions import lifecycle, triage
from arna.appeals.pages.appeal_desk import missing, render
from arna.appeals.schemas import AnswerIn, ExtendIn, ForwardIn, ReclassifyIn
from arna.core import i18n
from arna.core.errors import ArnaError, InvalidTransition, NotFound
from arna.web.forms import FormError, rejected

router = APIRouter(include_in_schema=False)
_ = i18n.gettext_
M = TypeVar("M", bound=BaseModel)


def _act(posted: Posted, field: str, action: Callable[[Signed], None], done: str) -> Response:
    """The form `field` of the appeal page acts; a refusal shows the page with its reason."""

    def again(me: Signed, message: str, status: int) -> Response:
        errors = {field: message}
        return render(
            posted.request, posted.db, posted.settings, me, posted.number, errors, status=status
        )

    def refused(me: Signed, exc: ArnaError) -> Response:
        if isinstance(exc, NotFound):
            return missing(posted.request, me)
        return again(me, _error_text(exc), exc.status)

    url = f"/official/appeals/{posted.number}?done={done}"
    return act_on_form(posted, action, again, refused, url)


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
    if message == "the topic and the place are already these":
        return _("Choose a different topic or place: these are the appeal's already.")
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


@router.post("/official/appeals/{number}/accept", response_model=None)
def accept(posted: PostedDep) -> Response:
    def run(me: Signed) -> None:
        lifecycle.accept_appeal(posted.db, posted.settings, me.actor, posted.number)

    return _act(posted, "accept", run, "accepted")


@router.post("/official/appeals/{number}/answer", response_model=None)
def answer(
    posted: PostedDep,
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
            posted.db, posted.settings, me.actor, posted.number,
            outcome=given.outcome, text=given.text,
            body_id=given.body_id, duplicate_of=given.duplicate_of,
        )  # fmt: skip

    return _act(posted, "answer", run, "answered")


@router.post("/official/appeals/{number}/forward", response_model=None)
def forward(
    posted: PostedDep,
    body_id: Annotated[str, Form(max_length=60)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    def run(me: Signed) -> None:
        if not body_id.strip():
            raise FormError(_("Choose the body the appeal goes to."))
        given = _validated(
            ForwardIn,
            {"body_id": body_id, "reason": reason},
            lambda field, kind: _("Say why the appeal goes to that body."),
        )
        lifecycle.forward_appeal(
            posted.db, posted.settings, me.actor, posted.number,
            body_id=given.body_id, reason=given.reason,
        )  # fmt: skip

    return _act(posted, "forward", run, "forwarded")


@router.post("/official/appeals/{number}/extend", response_model=None)
def extend(
    posted: PostedDep,
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
            posted.db, posted.settings, me.actor, posted.number,
            until=given.until, reason=given.reason,
        )  # fmt: skip

    return _act(posted, "extend", run, "extended")


@router.post("/official/appeals/{number}/reclassify", response_model=None)
def reclassify(
    posted: PostedDep,
    category: Annotated[str, Form(max_length=40)] = "",
    kato: Annotated[str, Form(max_length=9)] = "",
) -> Response:
    """Correct the topic and/or the place; an empty choice leaves that one as it is."""

    def run(me: Signed) -> None:
        given = _validated(
            ReclassifyIn,
            {"category": category or None, "kato": kato or None},
            lambda field, kind: (
                _("Choose a place from the list.")
                if field == "kato"
                else _("Choose a topic from the list.")
            ),
        )
        try:
            triage.reclassify_appeal(
                posted.db, posted.settings, me.actor, posted.number,
                category=given.category, kato=given.kato,
            )  # fmt: skip
        except ArnaError as exc:
            if exc.details.get("field") == "kato":
                raise FormError(_("Choose a place from the list.")) from None
            if str(exc.message).startswith("unknown category"):
                raise FormError(_("Choose a topic from the list.")) from None
            raise

    return _act(posted, "reclassify", run, "reclassified")
