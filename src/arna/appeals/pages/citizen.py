"""The citizen's pages of an appeal: file it and see the confirmation (tracking it and
answering back: `track.py`).

Plain forms that work without JavaScript; with it, htmx suggests a category as you type.
Errors are shown next to their field in the page's language, and nothing is written unless the
whole form is valid.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from arna.appeals.actions.submit import submit_appeal
from arna.appeals.labels import kind_names
from arna.appeals.placement import MIN_CATEGORY_SCORE
from arna.appeals.schemas import AppealCreate
from arna.bodies.competence import categories
from arna.core import i18n
from arna.core.collation import sort_key
from arna.core.deps import DatabaseDep, SettingsDep
from arna.core.errors import ArnaError
from arna.geo.reference import units
from arna.text.analysis import gist_many
from arna.web.forms import form_errors
from arna.web.templating import NO_STORE, make_templates

router = APIRouter(include_in_schema=False)
templates = make_templates("arna.appeals")
_ = i18n.gettext_
YES_NO = {"yes": True, "no": False}


def _places() -> dict[str, Any]:
    lang = i18n.current()
    table = units()
    regions = sorted(
        (u for u in table.values() if u.level == 1 and u.valid_to is None),
        key=lambda u: sort_key(getattr(u, f"name_{lang}"), lang),
    )
    districts: dict[str, list[Any]] = {}
    for u in table.values():
        if u.level == 2 and u.valid_to is None and u.parent_kato:
            districts.setdefault(u.parent_kato, []).append(u)
    for items in districts.values():
        items.sort(key=lambda u: sort_key(getattr(u, f"name_{lang}"), lang))
    return {"regions": regions, "districts": districts}


def _form_context(values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    lang = i18n.current()
    cats = sorted(categories().values(), key=lambda c: sort_key(c.name(lang), lang))
    return {
        "values": values,
        "errors": errors,
        "kinds": kind_names(),
        "categories": cats,
        "name_of": lambda unit: getattr(unit, f"name_{lang}"),
        **_places(),
    }


_FIELD_OF = {
    "text": "text",
    "kind": "kind",
    "category": "category",
    "kato": "place",
    "applicant.name": "name",
    "applicant.email": "email",
    "applicant.phone": "phone",
    "applicant.iin": "iin",
}


def _messages() -> dict[str, str]:
    return {
        "text": _("Describe the problem in 1 to 10,000 characters."),
        "kind": _("Choose what kind of appeal this is."),
        "category": _("Choose a topic from the list."),
        "place": _(
            "Say where the problem is: choose a region or a district, or name the place in the "
            "text."
        ),
        "name": _("Give your name (up to 200 characters)."),
        "email": _("Check the e-mail address, e.g. aigerim@example.kz."),
        "phone": _("Give a Kazakhstan phone number: +7 and 10 digits, e.g. +7 701 234 56 78."),
        "iin": _("An IIN has 12 digits and a valid check digit; check it or leave it empty."),
    }


def _appeal_from(values: dict[str, str]) -> tuple[AppealCreate | None, dict[str, str]]:
    payload: dict[str, Any] = {
        "text": values["text"],
        "kind": values["kind"] or None,
        "category": values["category"] or None,
        "kato": values["district"] or values["region"] or None,
        "language": i18n.current(),
        "public": YES_NO.get(values["public"]),
        "applicant": {
            "name": values["name"],
            **{k: values[k] for k in ("email", "phone", "iin") if values[k].strip()},
        },
    }
    try:
        return AppealCreate.model_validate(payload), {}
    except ValidationError as exc:
        return None, form_errors(exc, _FIELD_OF, _messages(), "text")


FIELDS = (
    "text",
    "kind",
    "category",
    "region",
    "district",
    "name",
    "email",
    "phone",
    "iin",
    "public",
)


@router.get("/appeals/new", response_class=HTMLResponse)
def new_appeal(request: Request) -> HTMLResponse:
    values = dict.fromkeys(FIELDS, "")
    values["kind"] = "complaint"
    return templates.TemplateResponse(request, "appeal_new.html", _form_context(values, {}))


@router.post("/appeals/new", response_class=HTMLResponse)
def file_appeal(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    text: Annotated[str, Form(max_length=20_000)] = "",
    kind: Annotated[str, Form(max_length=20)] = "",
    category: Annotated[str, Form(max_length=40)] = "",
    region: Annotated[str, Form(max_length=9)] = "",
    district: Annotated[str, Form(max_length=9)] = "",
    name: Annotated[str, Form(max_length=400)] = "",
    email: Annotated[str, Form(max_length=400)] = "",
    phone: Annotated[str, Form(max_length=100)] = "",
    iin: Annotated[str, Form(max_length=100)] = "",
    public: Annotated[str, Form(max_length=10)] = "",
) -> HTMLResponse:
    values = {
        "text": text, "kind": kind, "category": category, "region": region,
        "district": district, "name": name, "email": email, "phone": phone, "iin": iin,
        "public": public,
    }  # fmt: skip
    data, errors = _appeal_from(values)
    if data is not None:
        try:
            created, _replayed = submit_appeal(db, settings, data)
        except ArnaError as exc:
            field = _FIELD_OF.get(str(exc.details.get("field", "")), "text")
            errors = {field: _messages()[field]}
        else:
            # The code stays out of addresses: in the link's fragment, never sent to a server.
            fragment = urlencode({"number": created.number, "code": created.access_code})
            context = {
                "appeal": created,
                "body": created.body,
                "kinds": kind_names(),
                "track_path": f"/track#{fragment}",
                "track_link": f"{str(request.base_url).rstrip('/')}/track#{fragment}",
            }
            return templates.TemplateResponse(
                request,
                "appeal_created.html",
                context,
                status_code=201,
                headers={**NO_STORE, "Referrer-Policy": "no-referrer"},
            )
    return templates.TemplateResponse(
        request, "appeal_new.html", _form_context(values, errors), status_code=422
    )


@router.post("/appeals/suggest", response_class=HTMLResponse)
def suggest(request: Request, text: Annotated[str, Form(max_length=20_000)] = "") -> HTMLResponse:
    """A fragment naming the likely topics of the text so far (htmx, as the citizen types)."""
    # the topics only: a third of a full analysis, read again at every pause in typing
    found = (
        gist_many([text], language=[False], place=[False])[0] if len(text.strip()) >= 10 else None
    )
    names = categories()
    lang = i18n.current()
    top = [
        (names[c].name(lang), score)
        for c, score in (found.category_top3 if found else ())
        if c in names and score >= MIN_CATEGORY_SCORE
    ]
    return templates.TemplateResponse(request, "_suggestion.html", {"top": top})
