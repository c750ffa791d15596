"""The applicant's tracking page: their appeal's true state, its history, and their verdict on
the answer.

The access code never goes into an address: it comes in a form's body (and from there in
hidden fields of the next forms), or in the fragment of a tracking link (`/track#number=…&code=…`),
which browsers never send to a server; `track.js` moves it into the form and posts it. A link
with the number alone (`/track?number=A-…`) can be bookmarked. Every answer with the appeal is
`no-store` and `no-referrer`.

"Not solved" takes two steps, both plain POST forms: the first asks why, says to which body the
appeal will go and what happens next; the second (`step=confirm`) sends it above.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from arna.appeals import queries
from arna.appeals.actions.lifecycle import give_feedback
from arna.appeals.labels import kind_names, result_names
from arna.appeals.pages.tables import story
from arna.appeals.policy import TERM_WORKING_DAYS
from arna.appeals.schemas import AppealFull, FeedbackIn
from arna.bodies import queries as bodies
from arna.core import i18n
from arna.core.actors import ANONYMOUS
from arna.core.clock import load_calendar, now_utc
from arna.core.deps import DatabaseDep, SettingsDep
from arna.core.errors import ArnaError, NotFound
from arna.core.settings import Settings
from arna.web.templating import NO_STORE, make_templates

router = APIRouter(include_in_schema=False)
templates = make_templates("arna.appeals")
_ = i18n.gettext_
YES_NO = {"yes": True, "no": False}
STARS = ("1", "2", "3", "4", "5")
REASON_MIN, REASON_MAX = 3, 1000
# The tracking page holds personal data and, in its forms, the access code.
PRIVATE = {**NO_STORE, "Referrer-Policy": "no-referrer"}


def _confirmation(
    db: DatabaseDep, settings: Settings, appeal: AppealFull, rating: int
) -> dict[str, Any]:
    """What the second step of "not solved" tells: where the appeal goes, and by when the body
    there must answer (a new term, counted from today)."""
    above = queries.body_above(appeal.body.id)
    with db.read() as session:
        names = bodies.names(session, {appeal.body.id, above or ""}, i18n.current())
    calendar = load_calendar(settings.calendar_file)
    return {
        "rating": rating,
        "target": names.get(above, above) if above else None,
        "due": calendar.add_working_days(now_utc(), TERM_WORKING_DAYS),
        "days": TERM_WORKING_DAYS,
        "reason_max": REASON_MAX,
    }


def _track_page(
    request: Request, db: DatabaseDep, settings: Settings, number: str, code: str,
    status: int = 200, message: str | None = None, *, confirm: int | None = None,
    reason: str = "", reason_error: str | None = None, verdict: str | None = None,
) -> HTMLResponse:  # fmt: skip
    """The tracking page; with `confirm` (the rating given), the second step of "not solved"."""
    context: dict[str, Any] = {"number": number, "code": code, "appeal": None, "error": None}
    number, code = number.strip(), code.strip()
    if number and code:
        try:
            with db.read() as session:
                found, view = queries.get_appeal_for(session, ANONYMOUS, number, code)
                if view != "full":
                    raise NotFound("not the applicant")
                appeal = queries.full_view(session, found, now_utc())
                context.update(story(session, appeal, load_calendar(settings.calendar_file)))
            context["appeal"] = appeal
        except NotFound:
            context["error"] = _(
                "No appeal with this number and access code. Check both and try again."
            )
            status = 404
    appeal = context["appeal"]
    can_dispute = appeal is not None and appeal.status == "answered"
    context.update(
        message=message,
        kinds=kind_names(),
        outcome=result_names().get(appeal.outcome or "", appeal.outcome) if appeal else None,
        confirm=_confirmation(db, settings, appeal, confirm) if confirm and can_dispute else None,
        reason=reason,
        reason_error=reason_error,
        verdict=verdict,
    )
    return templates.TemplateResponse(
        request, "track.html", context, status_code=status, headers=PRIVATE
    )


@router.get("/track", response_class=HTMLResponse)
def track_form(
    request: Request, db: DatabaseDep, settings: SettingsDep, number: str = ""
) -> HTMLResponse:
    """The form; `?number=` fills the number in (the code is never taken from the address)."""
    return _track_page(request, db, settings, number[:40], "")


@router.post("/track", response_class=HTMLResponse)
def track(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    number: Annotated[str, Form(max_length=200)] = "",
    code: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    return _track_page(request, db, settings, number, code)


@router.post("/track/feedback", response_class=HTMLResponse)
def feedback(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    number: Annotated[str, Form(max_length=200)] = "",
    code: Annotated[str, Form(max_length=200)] = "",
    resolved: Annotated[str, Form(max_length=5)] = "",
    rating: Annotated[str, Form(max_length=2)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
    step: Annotated[str, Form(max_length=10)] = "",
) -> HTMLResponse:
    # The form's own words, and nothing looser: "1" or "on" must not close an appeal.
    answered = {
        "resolved": YES_NO.get(resolved),
        "rating": int(rating) if rating in STARS else None,
    }
    try:
        given = FeedbackIn.model_validate(answered, strict=True)
    except ValidationError:
        message = _("Say whether the answer solved your problem and rate it from 1 to 5.")
        return _track_page(request, db, settings, number, code, 422, message)
    why = reason.strip()
    if not given.resolved:
        if step != "confirm":
            return _track_page(request, db, settings, number, code, confirm=given.rating)
        if not REASON_MIN <= len(why) <= REASON_MAX:
            problem = _("Say in 3 to 1,000 characters why the answer did not solve the problem.")
            return _track_page(
                request, db, settings, number, code, 422,
                confirm=given.rating, reason=reason[:REASON_MAX * 2], reason_error=problem,
            )  # fmt: skip
    try:
        give_feedback(
            db, settings, number.strip(), code.strip(),
            resolved=given.resolved, rating=given.rating, reason=None if given.resolved else why,
        )  # fmt: skip
    except NotFound:
        return _track_page(request, db, settings, number, code)
    except ArnaError:
        message = _("Feedback can be given once, after the answer.")
        return _track_page(request, db, settings, number, code, 409, message)
    # The page says where the appeal went, from its state after the change.
    verdict = "solved" if given.resolved else "disputed"
    return _track_page(request, db, settings, number, code, verdict=verdict)
