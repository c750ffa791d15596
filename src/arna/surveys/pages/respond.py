"""The respondent's form: the survey's XLSForm questions as a plain POST form that works without
JavaScript (select_one as radio buttons, select_multiple as checkboxes, numbers, dates and
texts as inputs; the required ones marked; labels in the page's language, else another), and a
thank-you page once the response is stored through `actions.responses.submit_response`.

The answers are checked against the form first (`arna.surveys.responses`): every problem is
listed at the top and shown beside its question, in the page's language, and the form keeps what
was typed. A form not from this browser is refused (403), a closed survey too (409). The form
carries its own random key, so that sending it twice stores one response.
"""

from __future__ import annotations

import re
import secrets
import uuid
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from arna.core import i18n
from arna.core.deps import DatabaseDep
from arna.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from arna.surveys import policy, queries
from arna.surveys.actions import responses
from arna.surveys.forms import Form, Question
from arna.surveys.intake import Incoming, respondent_of
from arna.surveys.pages.views import (
    find,
    form_ok,
    form_token,
    missing,
    refused,
    templates,
    with_form_token,
)
from arna.surveys.responses import Problem, response_problems

router = APIRouter(include_in_schema=False)
_ = i18n.gettext_

INPUTS = {
    "select_one": "radio", "select_multiple": "checkbox", "integer": "number",
    "decimal": "number", "range": "number", "text": "text", "date": "date", "time": "time",
}  # fmt: skip
KEY = re.compile(r"[0-9a-f]{32}")
MAX_TEXT = 2_000
Values = dict[str, Any]  # question key -> the text typed, or the list of choices ticked


def _questions(form: Form) -> list[Question]:
    """The questions the web form asks: outside repeats, of a kind a browser can answer."""
    return [
        q for q in form.questions if q.repeat is None and (q.type in INPUTS or q.type == "note")
    ]


def _fields(form: Form, values: Values, errors: dict[str, str]) -> list[dict[str, Any]]:
    lang = i18n.current()
    found = []
    for i, q in enumerate(_questions(form)):
        value = values.get(q.key, [] if q.type == "select_multiple" else "")
        found.append(
            {
                "id": f"q{i}",
                "key": q.key,
                "type": q.type,
                "input": INPUTS.get(q.type, ""),
                "label": q.label(lang),
                "hint": q.hints.get(lang) or q.hints.get("default") or "",
                "required": q.required and not q.conditional,
                "choices": [(c.name, c.label(lang)) for c in q.choices],
                "value": value,
                "step": "1" if q.type == "integer" else "any",
                "error": errors.get(q.key, ""),
            }
        )
    return found


def _message(question: Question | None, problem: Problem) -> str:
    kind = question.type if question else ""
    if problem.code == "required":
        return _("Answer this question: it is required.")
    if problem.code in ("choice", "duplicate") or kind in ("select_one", "select_multiple"):
        return _("Choose among the answers given.")
    if problem.code == "range" and question is not None:
        return _("Enter a number from %(start)s to %(end)s.") % {
            "start": question.parameters.get("start", "0"),
            "end": question.parameters.get("end", "10"),
        }
    if kind == "integer":
        return _("Enter a whole number.")
    if kind in ("decimal", "range"):
        return _("Enter a number.")
    if kind in ("date", "time"):
        return _("Enter a date in the form the field shows.")
    return _("This answer does not fit the question.")


def _answers(form: Form, posted: FormData) -> tuple[Values, dict[str, Any]]:
    """(what was typed, the answers to store) of the questions the form asks."""
    values: Values = {}
    answers: dict[str, Any] = {}
    for q in _questions(form):
        if q.type == "note":
            continue
        if q.type == "select_multiple":
            picked = [str(v) for v in posted.getlist(q.key)][:100]
            values[q.key] = picked
            if picked:
                answers[q.key] = picked
            continue
        text = str(posted.get(q.key) or "").strip()[: MAX_TEXT * 2]
        values[q.key] = text
        if text:
            answers[q.key] = text
    return values, answers


def _problems(form: Form, answers: dict[str, Any]) -> dict[str, str]:
    """question key -> what is wrong, in the page's language."""
    errors: dict[str, str] = {}
    for p in response_problems(form, answers):
        key = p.key.split("[")[0].split("/")[0] if p.key not in answers else p.key
        try:
            question = form.question(p.key)
        except KeyError:
            question = None
        errors.setdefault(key, _message(question, p))
    for key, value in answers.items():
        if isinstance(value, str) and len(value) > MAX_TEXT:
            errors.setdefault(
                key, _("At most %(n)s characters.") % {"n": i18n.fmt_number(MAX_TEXT)}
            )
    _respondent, wrong = respondent_of(answers)
    for line in wrong:
        variable = line.split(":")[0]
        where = "age" if variable == policy.AGE_GROUP and "age" in answers else variable
        if where == "age":
            errors.setdefault(where, _("Enter an age from 16 to 120."))
        else:
            errors.setdefault(where, _("Choose among the answers given."))
    return errors


def _render(
    request: Request,
    db: DatabaseDep,
    number: str,
    *,
    values: Values | None = None,
    errors: dict[str, str] | None = None,
    error: str = "",
    key: str = "",
    status: int = 200,
) -> Response:
    lang = i18n.current()
    with db.read() as session:
        survey = queries.get_survey(session, number)
        s = queries.survey_out(survey)
        form = queries.form_of_survey(survey)
    errors = errors or {}
    fields = _fields(form, values or {}, errors)
    is_open = s.status == policy.OPEN
    token = form_token(request) or secrets.token_urlsafe(32)
    context = {
        "s": s,
        "title": s.title,
        "lang_of_form": lang,
        "open": is_open,
        "fields": fields,
        "listed": [(f["id"], f["label"], f["error"]) for f in fields if f["error"]],
        "error": error,
        "csrf": token,
        "key": key if KEY.fullmatch(key) else uuid.uuid4().hex,
        "max_text": MAX_TEXT,
    }
    if not is_open and status == 200:
        status = 409
    response = templates.TemplateResponse(
        request, "survey_respond.html", context, status_code=status
    )
    return with_form_token(request, response, token)


@router.get("/surveys/{number}/respond", response_class=HTMLResponse)
def respond_page(request: Request, number: str, db: DatabaseDep) -> Response:
    with db.read() as session:
        if find(session, number) is None:
            return missing(request, number)
    return _render(request, db, number)


@router.post("/surveys/{number}/respond", response_class=HTMLResponse)
async def respond(request: Request, number: str, db: DatabaseDep) -> Response:
    with db.read() as session:
        survey = find(session, number)
        if survey is None:
            return missing(request, number)
        form = queries.form_of_survey(survey)
        is_open = survey.status == policy.OPEN
    posted = await request.form(max_files=0, max_fields=2_000)
    values, answers = _answers(form, posted)
    key = str(posted.get("key") or "")
    if not is_open:
        return _render(request, db, number, values=values, key=key, status=409)
    if not form_ok(request, str(posted.get("csrf") or "")):
        return _render(request, db, number, values=values, key=key, error=refused(), status=403)
    errors = _problems(form, answers)
    if errors:
        message = _("Some answers need correcting; see the messages next to the questions.")
        return _render(request, db, number, values=values, errors=errors, error=message,
                       key=key, status=422)  # fmt: skip
    respondent, _wrong = respondent_of(answers)
    incoming = Incoming(key if KEY.fullmatch(key) else uuid.uuid4().hex, answers, respondent, None)
    try:
        responses.submit_response(db, number, incoming)
    except InvalidTransition:
        return _render(request, db, number, values=values, key=key, status=409)
    except Conflict:
        message = _(
            "This form was sent already with other answers. Open the survey again to answer anew."
        )
        return _render(request, db, number, values=values, error=message, status=409)
    except ValidationFailed:
        message = _("Some answers need correcting; see the messages next to the questions.")
        return _render(request, db, number, values=values, error=message, key=key, status=422)
    except NotFound:
        return missing(request, number)
    return RedirectResponse(f"/surveys/{quote(number)}/thanks", status_code=303)


@router.get("/surveys/{number}/thanks", response_class=HTMLResponse)
def thanks(request: Request, number: str, db: DatabaseDep) -> Response:
    with db.read() as session:
        survey = find(session, number)
        if survey is None:
            return missing(request, number)
        s = queries.survey_out(survey)
    return templates.TemplateResponse(request, "survey_thanks.html", {"s": s})
