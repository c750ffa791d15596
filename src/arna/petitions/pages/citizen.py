"""The author's pages: start a petition, see its number and code once, and the manage page where
the author, with the code, reads the draft and sends it out for co-signers.

The code never goes into an address: it comes in a form's body (and from there in the hidden
field of the next form), or in the fragment of the manage link (`…/manage#code=…`), which
browsers never send to a server; `petitions.js` moves it into the form and posts it. Every
answer with the code is `no-store` and `no-referrer`.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from arna.core import i18n
from arna.core.deps import DatabaseDep, SettingsDep
from arna.core.errors import ArnaError, InvalidTransition, NotFound
from arna.core.settings import Settings
from arna.petitions import policy, queries, rules
from arna.petitions.actions import lifecycle
from arna.petitions.addressees import addressee
from arna.petitions.pages.views import (
    PRIVATE,
    addressee_groups,
    petition_context,
    signatures_text,
    templates,
    today,
)
from arna.petitions.schemas import PetitionCreate
from arna.web.forms import form_errors

router = APIRouter(include_in_schema=False)
_ = i18n.gettext_
Code = Annotated[str, Form(max_length=40)]

FIELDS = ("title", "text", "addressee_id", "iin", "first_name", "last_name")
_FIELD_OF = {
    "title": "title",
    "text": "text",
    "addressee_id": "addressee_id",
    "author_iin": "iin",
    "author_first_name": "first_name",
    "author_last_name": "last_name",
}


def _messages() -> dict[str, str]:
    return {
        "title": _("Give a title of 10 to 200 characters, in plain text."),
        "text": _("Write what you ask and why: 50 to 6,000 characters of plain text."),
        "addressee_id": _("Choose the body the petition is addressed to."),
        "iin": _(
            "An IIN has 12 digits, the first six your date of birth, and a valid check digit."
        ),
        "first_name": _("Give your first name (up to 60 characters)."),
        "last_name": _("Give your last name (up to 60 characters)."),
    }


def _form(
    request: Request, values: dict[str, str], errors: dict[str, str], status: int
) -> Response:
    context = {
        "values": values,
        "errors": errors,
        "groups": addressee_groups(today()),
        "cosigners": rules.term("cosigners"),
        "cosigning_days": rules.term("cosigning"),
    }
    return templates.TemplateResponse(
        request, "petition_new.html", context, status_code=status, headers=PRIVATE
    )


@router.get("/petitions/new", response_class=HTMLResponse)
def new_petition(request: Request) -> Response:
    return _form(request, dict.fromkeys(FIELDS, ""), {}, 200)


@router.post("/petitions/new", response_class=HTMLResponse)
def file_petition(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    title: Annotated[str, Form(max_length=1_000)] = "",
    text: Annotated[str, Form(max_length=20_000)] = "",
    addressee_id: Annotated[str, Form(max_length=80)] = "",
    iin: Annotated[str, Form(max_length=100)] = "",
    first_name: Annotated[str, Form(max_length=200)] = "",
    last_name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    values = {
        "title": title, "text": text, "addressee_id": addressee_id, "iin": iin,
        "first_name": first_name, "last_name": last_name,
    }  # fmt: skip
    payload = {
        "title": title,
        "text": text,
        "addressee_id": addressee_id,
        "author_iin": iin,
        "author_first_name": first_name,
        "author_last_name": last_name,
    }
    errors: dict[str, str] = {}
    data = None
    try:
        data = PetitionCreate.model_validate(payload)
    except ValidationError as exc:
        errors = form_errors(exc, _FIELD_OF, _messages(), "text")
    if addressee(addressee_id, today()) is None:  # the action's check, said beside the field
        errors["addressee_id"] = _messages()["addressee_id"]
    if data is None or errors:
        ordered = {field: errors[field] for field in FIELDS if field in errors}
        return _form(request, values, ordered, 422)
    try:
        created = lifecycle.create_petition(db, settings, data)
    except ArnaError as exc:
        field = _FIELD_OF.get(str(exc.details.get("field", "")), "addressee_id")
        return _form(request, values, {field: _messages()[field]}, 422)
    manage = f"/petitions/{quote(created.number)}/manage#code={quote(created.code)}"
    context = {
        "created": created,
        "threshold_text": signatures_text(created.threshold),
        "manage_path": manage,
        "manage_link": f"{str(request.base_url).rstrip('/')}{manage}",
    }
    return templates.TemplateResponse(
        request, "petition_created.html", context, status_code=201, headers=PRIVATE
    )


# --- the author's manage page ----------------------------------------------------------------


def _manage(
    request: Request,
    db: DatabaseDep,
    settings: Settings,
    number: str,
    code: str,
    *,
    status: int = 200,
    done: str = "",
    error: str = "",
) -> Response:
    """The manage page: the code form, and with the right code the petition as its author sees
    it (a draft included) with what they can do next."""
    context: dict[str, Any] = {"number": number, "code": "", "error": error, "done": done}
    code = code.strip()
    if code:
        with db.read() as session:
            try:
                petition = queries.petition_for(session, number, code)
                if not queries.code_matches(petition, code):
                    raise NotFound("not the author")
            except NotFound:
                context["error"] = _("This number and code do not match: check the code.")
                status = 404 if status == 200 else status
            else:
                context.update(petition_context(session, settings, petition, recent=0))
                context["code"] = code
                link = f"/petitions/{quote(number)}"
                context["share_path"] = link
                context["share_link"] = f"{str(request.base_url).rstrip('/')}{link}"
    return templates.TemplateResponse(
        request, "petition_manage.html", context, status_code=status, headers=PRIVATE
    )


@router.get("/petitions/{number}/manage", response_class=HTMLResponse)
def manage_page(request: Request, number: str, db: DatabaseDep, settings: SettingsDep) -> Response:
    """The code form (a manage link's fragment fills it in, with JavaScript)."""
    return _manage(request, db, settings, number, "")


@router.post("/petitions/{number}/manage", response_class=HTMLResponse)
def manage_with_code(
    request: Request, number: str, db: DatabaseDep, settings: SettingsDep, code: Code = ""
) -> Response:
    if not code.strip():
        return _manage(request, db, settings, number, "", status=422, error=_("Enter the code."))
    return _manage(request, db, settings, number, code)


@router.post("/petitions/{number}/manage/send", response_class=HTMLResponse)
def send_out(
    request: Request, number: str, db: DatabaseDep, settings: SettingsDep, code: Code = ""
) -> Response:
    """The author sends the draft out for co-signers: from now on anyone with the link signs."""
    try:
        lifecycle.send_for_cosigning(db, settings, number, code.strip())
    except InvalidTransition as exc:
        already = exc.details.get("status") != policy.DRAFT
        message = _("It was sent out already.") if already else _("This cannot be done now.")
        return _manage(request, db, settings, number, code, status=409, error=message)
    except ArnaError:
        return _manage(request, db, settings, number, code, status=404)
    return _manage(request, db, settings, number, code, done="sent")
