"""The petitions on the officials' workbench: what awaits the signed-in official. The platform's
administrators moderate (publish, or reject with a public reason code); the officials of the
body that owes an answer give it. Administrators also see the sources that sent a sudden
share of a petition's signatures (`surges.py`) and may set them aside with a public reason.
The forms go through the same actions as the API, validated by its schemas; a refusal comes
back as the page with the reason in the official's language (nothing written), a success as a
redirect back (303).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError

from arna.accounts.deps import Posted, PostedDep, act_on_form, signed_in_official, to_login
from arna.accounts.queries import Signed
from arna.core import i18n
from arna.core.clock import now_utc
from arna.core.deps import DatabaseDep, SettingsDep
from arna.core.errors import ArnaError, Forbidden, InvalidTransition, NotFound
from arna.core.settings import Settings
from arna.petitions import labels, policy, queries, rules
from arna.petitions.actions import lifecycle, signing
from arna.petitions.pages.views import PRIVATE, body_name, is_overdue, templates, today
from arna.petitions.schemas import InvalidationIn, ModerationIn, PetitionAnswerIn
from arna.web.forms import FormError

router = APIRouter(include_in_schema=False)
_ = i18n.gettext_
DONE = ("published", "rejected", "answered", "invalidated")


def _page(
    request: Request,
    db: DatabaseDep,
    settings: Settings,
    me: Signed,
    errors: dict[str, dict[str, str]] | None = None,
    status: int = 200,
) -> Response:
    lang = i18n.current()
    day = today()
    with db.read() as session:
        found = [queries.view(p, lang) for p in queries.awaiting(session, me.actor)]
        surging = (
            [(queries.view(p, lang), s) for p, s in queries.surging(session, now_utc())]
            if me.actor.kind == "admin"
            else []
        )
    items: list[dict[str, Any]] = [
        {
            "p": p,
            "badge_class": labels.badge_class(p.status, is_overdue(p, day)),
            "status_name": labels.status_name(p.status, is_overdue(p, day)),
            "owes": body_name(p.body_id or p.addressee_id),
            "moderate": p.status == policy.MODERATION and me.actor.kind == "admin",
            "answer": p.status == policy.RESPONSE_DUE,
        }
        for p in found
    ]
    done = request.query_params.get("done", "")
    context = {
        "me": me,
        "items": items,
        "errors": errors or {},
        "done": done if done in DONE else "",
        "reasons": labels.reason_choices(list(rules.reason_codes())),
        "is_admin": me.actor.kind == "admin",
        "surging": surging,
    }
    return templates.TemplateResponse(
        request, "official_petitions.html", context, status_code=status, headers=PRIVATE
    )


@router.get("/official/petitions", response_model=None)
def awaiting_page(request: Request, db: DatabaseDep, settings: SettingsDep) -> Response:
    me = signed_in_official(request, db)
    if me is None:
        return to_login()
    return _page(request, db, settings, me)


def _act(posted: Posted, field: str, action: Callable[[Signed], None], done: str) -> Response:
    """The form `field` of the petition's card acts; a refusal shows the page with its reason."""

    def again(me: Signed, message: str, status: int) -> Response:
        errors = {posted.number: {field: message}}
        return _page(posted.request, posted.db, posted.settings, me, errors, status)

    def refused(me: Signed, exc: ArnaError) -> Response:
        if isinstance(exc, NotFound | Forbidden):
            return again(me, _("This petition is not yours to act on."), 403)
        if isinstance(exc, InvalidTransition):
            return again(me, _("This petition has moved on meanwhile: nothing was changed."), 409)
        reason = _("This cannot be done now: {reason}").format(reason=exc.message)
        return again(me, reason, exc.status)

    url = f"/official/petitions?done={done}#petition-{quote(posted.number)}"
    return act_on_form(posted, action, again, refused, url)


@router.post("/official/petitions/{number}/moderation", response_model=None)
def moderate(
    posted: PostedDep,
    decision: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str, Form(max_length=4_000)] = "",
) -> Response:
    def run(me: Signed) -> None:
        try:
            data = ModerationIn.model_validate(
                {"decision": decision, "reason": reason or None, "note": note.strip() or None}
            )
        except ValidationError as exc:
            fields = {str(e["loc"][0]) if e["loc"] else "" for e in exc.errors()}
            if "decision" in fields:
                raise FormError(_("Choose to publish or to reject.")) from None
            if "note" in fields:
                raise FormError(_("The note can be at most 2,000 characters.")) from None
            raise FormError(_("A rejection names its reason: choose one.")) from None
        if data.reason and data.reason not in rules.reason_codes():
            raise FormError(_("A rejection names its reason: choose one."))
        if data.decision == "approve" and data.reason:
            raise FormError(_("A published petition has no reason for rejection: leave it empty."))
        lifecycle.moderate_petition(
            posted.db, posted.settings, me.actor, posted.number,
            approve=data.decision == "approve", reason=data.reason, note=data.note,
        )  # fmt: skip

    done = "published" if decision == "approve" else "rejected"
    return _act(posted, "moderation", run, done)


@router.post("/official/petitions/{number}/answer", response_model=None)
def answer(posted: PostedDep, text: Annotated[str, Form(max_length=40_000)] = "") -> Response:
    def run(me: Signed) -> None:
        try:
            data = PetitionAnswerIn.model_validate({"text": text})
        except ValidationError:
            raise FormError(_("Write the answer: 20 to 20,000 characters.")) from None
        lifecycle.answer_petition(posted.db, posted.settings, me.actor, posted.number, data.text)

    return _act(posted, "answer", run, "answered")


@router.post("/official/petitions/{number}/invalidations", response_model=None)
def invalidate(
    posted: PostedDep,
    source: Annotated[str, Form(max_length=64)] = "",
    reason: Annotated[str, Form(max_length=1_000)] = "",
) -> Response:
    """An administrator sets aside the signatures of one surging source, with a public reason."""

    def run(me: Signed) -> None:
        try:
            data = InvalidationIn.model_validate({"source": source, "reason": reason})
        except ValidationError:
            raise FormError(_("Say why, in 10 to 500 characters: it is shown in public.")) from None
        signing.invalidate_signatures(
            posted.db, me.actor, posted.number, reason=data.reason, source=data.source
        )

    return _act(posted, "invalidation", run, "invalidated")
