"""Responses checked against their form: types, choices, required answers, repeats."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from arna.surveys.forms import Form, read_form
from arna.surveys.responses import ResponseError, check_response, response_problems
from tests.surveys.xlsforms import xlsx

GOOD: dict[str, Any] = {
    "place": "urban",
    "age": 34,
    "issues": ["roads", "water"],
    "employed": "yes",
    "income": 250000.5,
    "comment": "Жолды жөндеңіздер",
    "visited": "2026-05-13",
}


@pytest.fixture(scope="module")
def form() -> Form:
    return read_form(xlsx(), file_type=".xlsx")


def problems(form: Form, answers: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p.key, p.code) for p in response_problems(form, answers)]


def test_a_good_response(form: Form) -> None:
    assert problems(form, GOOD) == []
    check_response(form, GOOD)
    # as ODK submits it: text everywhere, a select_multiple as names split by spaces
    submitted = {**GOOD, "age": "34", "issues": "roads heating", "income": "250000.5"}
    assert problems(form, submitted) == []
    assert problems(form, {**GOOD, "visited": date(2026, 5, 13)}) == []


def test_required_answers(form: Form) -> None:
    # age, place and issues are required; employed is too, but only when its group is asked
    assert problems(form, {"comment": "hello"}) == [
        ("place", "required"),
        ("age", "required"),
        ("issues", "required"),
    ]
    assert problems(form, {**GOOD, "age": None, "issues": [], "place": ""}) == [
        ("place", "required"),
        ("age", "required"),
        ("issues", "required"),
    ]
    assert problems(form, {k: v for k, v in GOOD.items() if k != "employed"}) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"age": 34.5}, [("age", "type")]),
        ({"age": "thirty"}, [("age", "type")]),
        ({"age": True}, [("age", "type")]),
        ({"income": "a lot"}, [("income", "type")]),
        ({"income": float("inf")}, [("income", "type")]),
        ({"place": "suburb"}, [("place", "choice")]),
        ({"place": ["urban"]}, [("place", "type")]),
        ({"issues": ["roads", "crime"]}, [("issues", "choice")]),
        ({"issues": "roads roads"}, [("issues", "duplicate")]),
        ({"issues": [1, None]}, [("issues", "type")]),
        ({"comment": 12}, [("comment", "type")]),
        ({"visited": "13.05.2026"}, [("visited", "type")]),
        ({"favourite": "blue"}, [("favourite", "unknown")]),
        ({"work": "yes"}, [("work", "unknown")]),  # a group is no question
        ({"age": "x", "place": "y"}, [("place", "choice"), ("age", "type")]),
    ],
)
def test_answers_that_do_not_fit(
    form: Form, change: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert problems(form, {**GOOD, **change}) == expected


def test_check_response_lists_every_problem(form: Form) -> None:
    with pytest.raises(ResponseError) as caught:
        check_response(form, {**GOOD, "age": "old", "place": "moon"})
    error = caught.value
    assert isinstance(error, ValueError)
    assert [p.key for p in error.problems] == ["place", "age"]
    assert "place: moon not among the choices (rural, urban)" in str(error)
    assert "age: not a whole number" in str(error)


def test_repeats_ranges_and_external_choices() -> None:
    survey = [
        ["type", "name", "label", "required", "parameters"],
        ["integer", "size", "People", "yes", ""],
        ["begin_repeat", "member", "Member", "", ""],
        ["text", "name", "Name", "yes", ""],
        ["select_one sex", "sex", "Sex", "", ""],
        ["end_repeat", "", "", "", ""],
        ["range", "score", "Score", "", "start=1;end=5"],
        ["select_one_from_file villages.csv", "village", "Village", "", ""],
        ["rank sex", "order", "Order", "", ""],
        ["time", "when", "When", "", ""],
    ]
    choices = [["list_name", "name", "label"], ["sex", "f", "Female"], ["sex", "m", "Male"]]
    form = read_form(xlsx(survey, choices, None), file_type=".xlsx")
    good = {
        "size": 2,
        "member": [{"name": "Айгүл", "sex": "f"}, {"name": "Ерлан", "sex": "m"}],
        "score": "4",
        "village": "any name: the list is in a file",
        "order": "m f",
        "when": "09:30",
    }
    assert problems(form, good) == []
    bad = {
        **good,
        "member": [{"name": "Айгүл", "sex": "x"}, {"sex": "m", "job": "?"}, "Ерлан"],
        "score": 6,
        "order": ["f", "f"],
        "when": "half past nine",
    }
    assert problems(form, bad) == [
        ("score", "range"),
        ("order", "duplicate"),
        ("when", "type"),
        ("member[1]/sex", "choice"),
        ("member[2]/job", "unknown"),
        ("member[2]/name", "required"),
        ("member[3]", "repeat"),
    ]
    assert problems(form, {**good, "member": {"name": "A"}}) == [("member", "repeat")]
    assert problems(form, {**good, "name": "outside its repeat"}) == [("name", "unknown")]
