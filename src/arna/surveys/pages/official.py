"""The surveys on the officials' workbench: load a questionnaire from an XLSForm file, and on each
survey the signed-in official manages (administrators: every survey; officials: those they
loaded) import a CSV of responses (idempotent: rows already there are skipped; all or nothing:
the bad lines are named and nothing is stored), weigh the responses to the population, and close
the survey. The forms go through the same actions as the API; a refusal comes back as the page
with the reason in the official's language (nothing written), a success as a redirect (303).

An upload larger than the server's request limit (`ARNA_MAX_REQUEST_BYTES`) is refused before it
is read, with a 413 page (`web.limits`); the form says the limit.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from arna.accounts.deps import Posted, PostedDep, act_on_form, signed_in_official, to_login
from arna.accounts.queries import Signed
from arna.core import i18n
from arna.core.deps import DatabaseDep, SettingsDep
from arna.core.errors import ArnaError, Forbidden, InvalidTransition, NotFound, ValidationFailed
from arna.core.settings import Settings
from arna.surveys import policy, queries
from arna.surveys.actions import responses, surveys, weighing
from arna.surveys.actions.surveys import TooLarge
from arna.surveys.forms import FILE_TYPES
from arna.surveys.pages.views import (
    PRIVATE,
    badge_class,
    decimal,
    kilobytes,
    status_name,
    templates,
)
from arna.web.forms import FormError

router = APIRouter(include_in_schema=False)
_ = i18n.gettext_
DONE = ("created", "imported", "weighed", "closed")
NEW = "new"  # the errors' key of the form that loads a questionnaire
SHOWN_ROWS = 20  # bad lines of an import named on the page


def _limit(settings: Settings, own: int) -> int:
    return min(own, settings.max_request_bytes)


def _page(
    request: Request,
    db: DatabaseDep,
    settings: Settings,
    me: Signed,
    errors: dict[str, dict[str, Any]] | None = None,
    status: int = 200,
) -> Response:
    with db.read() as session:
        listed = queries.list_surveys(session, None, 1, 100).items
        items = []
        for s in listed:
            survey = queries.get_survey(session, s.number)
            if not surveys.may_manage(me.actor, survey):
                continue
            report = queries.weights_report(session, survey)
            items.append(
                {
                    "s": s,
                    "badge_class": badge_class(s.status),
                    "status_name": status_name(s.status),
                    "open": s.status == policy.OPEN,
                    "report": report,
                    "deff": decimal(report.deff),
                    "effective_n": decimal(report.effective_n, 0),
                }
            )
    query = request.query_params
    done = query.get("done", "")
    counts = {
        k: i18n.fmt_number(int(v))
        for k in ("added", "already")
        if (v := query.get(k, "")).isdigit() and len(v) < 9
    }
    context = {
        "me": me,
        "items": items,
        "errors": errors or {},
        "done": done if done in DONE else "",
        "counts": counts,
        "done_number": query.get("number", "")[:20],
        "form_limit": kilobytes(_limit(settings, policy.MAX_FORM_BYTES)),
        "csv_limit": kilobytes(_limit(settings, policy.MAX_CSV_BYTES)),
        "file_types": ", ".join(FILE_TYPES),
    }
    return templates.TemplateResponse(
        request, "official_surveys.html", context, status_code=status, headers=PRIVATE
    )


@router.get("/official/surveys", response_model=None)
def surveys_page(request: Request, db: DatabaseDep, settings: SettingsDep) -> Response:
    me = signed_in_official(request, db)
    if me is None:
        return to_login()
    return _page(request, db, settings, me)


def _act(posted: Posted, field: str, action: Any, done: str) -> Response:
    """The form `field` of a survey's card acts; a refusal shows the page with its reason."""
    where = posted.number or NEW

    def again(me: Signed, message: str, status: int, rows: list[str] | None = None) -> Response:
        errors = {where: {field: message, "rows": rows or []}}
        return _page(posted.request, posted.db, posted.settings, me, errors, status)

    def refused(me: Signed, exc: ArnaError) -> Response:
        if isinstance(exc, NotFound | Forbidden):
            return again(me, _("This survey is not yours to manage."), 403)
        if isinstance(exc, InvalidTransition):
            return again(me, _("This survey is closed: it takes no more responses."), 409)
        if isinstance(exc, TooLarge):
            return again(me, _("The file is too large."), 413)
        if isinstance(exc, ValidationFailed) and exc.details.get("rows"):
            rows = [
                _("Line %(line)s: %(problems)s")
                % {"line": i18n.fmt_number(int(r["line"])), "problems": "; ".join(r["problems"])}
                for r in exc.details["rows"][:SHOWN_ROWS]
            ]
            message = _(
                "Nothing was imported: %(n)s lines are wrong. Correct them and upload the file "
                "again."
            ) % {"n": i18n.fmt_number(len(exc.details["rows"]))}
            return again(me, message, 422, rows)
        reason = _("This cannot be done: %(reason)s") % {"reason": exc.message}
        return again(me, reason, exc.status)

    anchor = f"#survey-{quote(posted.number)}" if posted.number else ""
    return act_on_form(posted, action, again, refused, f"/official/surveys?{done}{anchor}")


async def _read(file: UploadFile | None, most: int) -> tuple[bytes, str]:
    if file is None or not file.filename:
        raise FormError(_("Choose the file to upload."))
    data = await file.read(most + 1)
    return data, PurePath(file.filename).suffix.lower()


@router.post("/official/surveys", response_model=None)
async def create(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
    title: Annotated[str, Form(max_length=400)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Load a questionnaire from an XLSForm file."""
    data, suffix = (b"", "")
    if file is not None and file.filename:
        data, suffix = await _read(file, policy.MAX_FORM_BYTES)
    posted = Posted(request, db, settings, "", csrf)
    made: list[str] = []

    def run(me: Signed) -> None:
        if not data and not suffix:
            raise FormError(_("Choose the file to upload."))
        if suffix not in FILE_TYPES:
            raise FormError(
                _("An XLSForm is a file ending in %(types)s.") % {"types": ", ".join(FILE_TYPES)}
            )
        if len(title.strip()) > 200:
            raise FormError(_("A title is at most 200 characters."))
        try:
            made.append(surveys.create_survey(db, me.actor, data, suffix, title.strip() or None))
        except ValidationFailed as exc:
            raise FormError(
                _("The form cannot be read: %(reason)s") % {"reason": exc.message}
            ) from None

    response = _act(posted, "create", run, "done=created")
    if made and response.status_code == 303:
        response.headers["location"] = "/official/surveys?" + urlencode(
            {"done": "created", "number": made[0]}
        )
    return response


@router.post("/official/surveys/{number}/responses", response_model=None)
async def import_csv(
    posted: PostedDep, file: Annotated[UploadFile | None, File()] = None
) -> Response:
    """Import a CSV of responses (KoboToolbox or ODK Central's export)."""
    data = b""
    if file is not None and file.filename:
        data, _suffix = await _read(file, policy.MAX_CSV_BYTES)
    done: list[responses.Imported] = []

    def run(me: Signed) -> None:
        if not data:
            raise FormError(_("Choose the file to upload."))
        try:
            done.append(responses.import_responses(posted.db, me.actor, posted.number, data))
        except ValidationFailed as exc:
            if exc.details.get("rows"):
                raise
            raise FormError(
                _("The file cannot be read: %(reason)s") % {"reason": exc.message}
            ) from None

    response = _act(posted, "import", run, "done=imported")
    if done and response.status_code == 303:
        counts = {"done": "imported", "added": done[0].added, "already": done[0].already_there}
        response.headers["location"] = (
            f"/official/surveys?{urlencode(counts)}#survey-{quote(posted.number)}"
        )
    return response


@router.post("/official/surveys/{number}/weighting", response_model=None)
def weigh(posted: PostedDep) -> Response:
    def run(me: Signed) -> None:
        weighing.weigh_survey(posted.db, me.actor, posted.number)

    return _act(posted, "weigh", run, "done=weighed")


@router.post("/official/surveys/{number}/closing", response_model=None)
def close(posted: PostedDep, confirm: Annotated[str, Form(max_length=10)] = "") -> Response:
    def run(me: Signed) -> None:
        if confirm != "yes":
            raise FormError(_("Tick the box to confirm: a closed survey takes no more responses."))
        surveys.close_survey(posted.db, me.actor, posted.number)

    return _act(posted, "close", run, "done=closed")
