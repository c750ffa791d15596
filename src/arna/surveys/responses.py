"""One response checked against its form (`arna.surveys.forms`): types, choices, required.

A response is a mapping of question keys to answers, as plain values or as ODK submits them
(text): `12` or `"12"` for an integer, `["roads", "water"]` or `"roads water"` for a
select_multiple. A repeat's key maps to a list of entries, each such a mapping of the repeat's
questions. Missing, None, "" and [] are no answer.

What is checked: every key is a question (or repeat) of the form; each answer has its question's
type (integer, decimal, range within its start and end, date, time, datetime, text) and is one
of its choices (select_one) or several distinct ones (select_multiple, rank); a required
question has an answer. Skip logic and constraints are XPath, not evaluated here: a question
asked or required only under a condition (`Question.conditional`) may go unanswered, and
answers to notes, calculations and metadata (start, end, deviceid, …) are taken as they come.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from arna.surveys.forms import Form, Question

_INTEGER = re.compile(r"^[+-]?\d+$")
_TEXT_TYPES = {"text", "barcode", "geopoint", "geotrace", "geoshape", "image", "audio", "video"}
_TEXT_TYPES |= {"file", "background-audio", "xml-external", "csv-external"}
_SELECTS = {"select_one", "select_multiple", "rank"}


@dataclass(frozen=True)
class Problem:
    key: str  # where: `age`, `members[2]/name` (entries counted from 1)
    code: str  # unknown, required, type, choice, duplicate, range, repeat
    message: str


class ResponseError(ValueError):
    """A response that does not fit its form; `problems` lists every misfit."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.key}: {p.message}" for p in self.problems))


def response_problems(form: Form, answers: Mapping[str, Any]) -> list[Problem]:
    """Everything in `answers` that does not fit `form` (an empty list when it fits)."""
    return _check(form, answers, None, "")


def check_response(form: Form, answers: Mapping[str, Any]) -> None:
    """Raise `ResponseError` unless `answers` fit `form`."""
    problems = response_problems(form, answers)
    if problems:
        raise ResponseError(problems)


def _check(form: Form, answers: Mapping[str, Any], repeat: str | None, at: str) -> list[Problem]:
    questions = {q.key: q for q in form.questions if q.repeat == repeat}
    repeats = {r.name: r for r in form.repeats if r.parent == repeat}
    problems = [
        Problem(f"{at}{key}", "unknown", "the form has no such question")
        for key in answers
        if key not in questions and key not in repeats
    ]
    for key, question in questions.items():
        value = answers.get(key)
        if _empty(value):
            if question.required and not question.conditional:
                problems.append(Problem(f"{at}{key}", "required", "an answer is required"))
            continue
        problem = _answer_problem(question, value)
        if problem:
            problems.append(Problem(f"{at}{key}", *problem))
    for name in repeats:
        entries = answers.get(name)
        if _empty(entries):
            continue
        if not isinstance(entries, Sequence) or isinstance(entries, str | bytes):
            problems.append(Problem(f"{at}{name}", "repeat", "a repeat's answer is a list"))
            continue
        for i, entry in enumerate(entries, start=1):
            where = f"{at}{name}[{i}]"
            if isinstance(entry, Mapping):
                problems.extend(_check(form, entry, name, f"{where}/"))
            else:
                problems.append(Problem(where, "repeat", "an entry is a mapping of answers"))
    return problems


def _answer_problem(question: Question, value: Any) -> tuple[str, str] | None:
    """(code, message) when `value` does not fit `question`."""
    kind = question.type
    if kind == "integer":
        return None if _integer(value) is not None else ("type", "not a whole number")
    if kind == "decimal":
        return None if _number(value) is not None else ("type", "not a number")
    if kind == "range":
        return _range_problem(question, value)
    if kind in _SELECTS:
        return _select_problem(question, value)
    if kind in {"date", "time", "datetime", "dateTime"}:
        return None if _moment(kind, value) else ("type", f"not a {kind} (ISO 8601)")
    if kind in _TEXT_TYPES:
        return None if isinstance(value, str) else ("type", "not a text")
    if kind == "acknowledge":
        return None if value in (True, "OK", "ok") else ("type", "acknowledged with OK")
    return None  # notes, calculations, metadata


def _select_problem(question: Question, value: Any) -> tuple[str, str] | None:
    if question.type == "select_one":
        if isinstance(value, bool) or not isinstance(value, str | int):
            return ("type", "one choice's name")
        picked = [str(value)]
    else:
        if isinstance(value, str):
            picked = value.split()
        elif isinstance(value, Sequence) and all(isinstance(v, str | int) for v in value):
            picked = [str(v) for v in value]
        else:
            return ("type", "a list of choices' names")
        if len(set(picked)) != len(picked):
            return ("duplicate", "a choice picked twice")
    if question.external_choices:
        return None
    names = {c.name for c in question.choices}
    unknown = [p for p in picked if p not in names]
    if unknown:
        listed = ", ".join(sorted(names))
        return ("choice", f"{', '.join(unknown)} not among the choices ({listed})")
    return None


def _range_problem(question: Question, value: Any) -> tuple[str, str] | None:
    number = _number(value)
    if number is None:
        return ("type", "not a number")
    start = _number(question.parameters.get("start", "0"))
    end = _number(question.parameters.get("end", "10"))
    if start is not None and end is not None and not min(start, end) <= number <= max(start, end):
        return ("range", f"outside {start:g}–{end:g}")
    return None


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.match(value.strip()):
        return int(value)
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _moment(kind: str, value: Any) -> bool:
    if kind == "date":
        if isinstance(value, date) and not isinstance(value, datetime):
            return True
        parse: Any = date.fromisoformat
    elif kind == "time":
        if isinstance(value, time):
            return True
        parse = time.fromisoformat
    else:
        if isinstance(value, datetime):
            return True
        parse = datetime.fromisoformat
    if not isinstance(value, str):
        return False
    try:
        parse(value.strip())
    except ValueError:
        return False
    return True


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple) and len(value) == 0)
