"""The officials' workbench through HTTP: login, CSRF, scope (throttling: tests/accounts/)."""

from __future__ import annotations

import re

from tests.appeals.conftest import ROAD_IN_KURCHATOV, Env


def _login(env: Env, email: str, password: str = "password-123") -> int:
    csrf = _csrf(env.client.get("/official/login").text)  # the form's token, as a browser does
    r = env.client.post(
        "/official/login",
        data={"email": email, "password": password, "csrf": csrf},
        follow_redirects=False,
    )
    return r.status_code


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_pages_need_a_login_and_wrong_passwords_do_not_lock_the_account(env: Env) -> None:
    env.token("official", "akimat-101800000", "o@akimat.kz")
    assert env.client.get("/official/", follow_redirects=False).status_code == 303
    assert _login(env, "nobody@akimat.kz") == 401
    for _ in range(5):
        assert _login(env, "o@akimat.kz", "wrong-password") == 401
    assert _login(env, "o@akimat.kz") == 303  # no lockout: failures are throttled per address


def test_an_official_answers_only_with_the_form_token_and_only_their_body(env: Env) -> None:
    env.token("official", "akimat-101800000", "o@akimat.kz")
    env.token("official", "akimat-790000000", "other@akimat.kz")
    number = env.client.post("/api/v1/appeals", json=ROAD_IN_KURCHATOV).json()["number"]

    assert _login(env, "other@akimat.kz") == 303
    assert env.client.get(f"/official/appeals/{number}").status_code == 404
    assert number not in env.client.get("/official/").text

    assert _login(env, "o@akimat.kz") == 303
    inbox = env.client.get("/official/?lang=en")
    assert number in inbox.text
    page = env.client.get(f"/official/appeals/{number}")
    forged = env.client.post(
        f"/official/appeals/{number}/answer",
        data={"csrf": "forged", "outcome": "resolved", "text": "Done"},
    )
    assert forged.status_code == 403
    assert env.client.get(f"/api/v1/appeals/{number}").json()["status"] == "registered"

    empty = env.client.post(
        f"/official/appeals/{number}/answer",
        data={"csrf": _csrf(page.text), "outcome": "resolved", "text": "  "},
    )
    assert empty.status_code == 422
    assert "Write the answer to the applicant." in empty.text

    done = env.client.post(
        f"/official/appeals/{number}/answer",
        data={"csrf": _csrf(page.text), "outcome": "resolved", "text": "Жол жөнделді."},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert env.client.get(f"/api/v1/appeals/{number}").json()["status"] == "answered"


def test_the_services_refusals_are_shown_in_the_officials_language(env: Env) -> None:
    env.token("official", "akimat-101800000", "o@akimat.kz")
    number = env.client.post("/api/v1/appeals", json=ROAD_IN_KURCHATOV).json()["number"]
    assert _login(env, "o@akimat.kz") == 303
    page = env.client.get(f"/official/appeals/{number}?lang=ru")
    too_far = env.client.post(
        f"/official/appeals/{number}/extend",
        data={"csrf": _csrf(page.text), "until": "2031-01-01", "reason": "нужна экспертиза"},
    )
    assert too_far.status_code == 422
    assert "Новая дата — не позднее двух месяцев с регистрации." in too_far.text
    no_body = env.client.post(
        f"/official/appeals/{number}/answer",
        data={"csrf": _csrf(page.text), "outcome": "not_competent", "text": "Не наше"},
    )
    assert "Выберите компетентный орган" in no_body.text


def test_the_forms_say_what_the_apis_schemas_reject_and_change_nothing(env: Env) -> None:
    env.token("official", "akimat-101800000", "o@akimat.kz")
    number = env.client.post("/api/v1/appeals", json=ROAD_IN_KURCHATOV).json()["number"]
    assert _login(env, "o@akimat.kz") == 303
    csrf = _csrf(env.client.get(f"/official/appeals/{number}").text)
    cases = [
        ("answer", {"outcome": "thanks", "text": "Жол жөнделді."}, "Choose the outcome"),
        ("answer", {"outcome": "resolved", "text": "ж" * 10_001}, "at most 10,000 characters"),
        (
            "answer",
            {"outcome": "duplicate", "text": "Қайталау", "duplicate_of": "123"},
            "Give the number of the original appeal",
        ),
        ("forward", {"body_id": "akimat-790000000", "reason": " x "}, "Say why the appeal goes"),
        ("extend", {"until": "next week", "reason": "нужна экспертиза"}, "as a calendar date"),
        ("extend", {"until": "2026-12-30", "reason": ""}, "Say why the answer needs more time"),
    ]
    for form, values, message in cases:
        page = env.client.post(
            f"/official/appeals/{number}/{form}?lang=en", data={"csrf": csrf, **values}
        )
        assert page.status_code == 422, (form, values)
        assert message in page.text, (form, values)
    appeal = env.client.get(f"/api/v1/appeals/{number}").json()
    assert appeal["status"] == "registered"
    assert [e["type"] for e in appeal["events"]] == ["appeal.submitted"]
    # the "original appeal" field is read only for a duplicate, as before
    answered = env.client.post(
        f"/official/appeals/{number}/answer",
        data={"csrf": csrf, "outcome": "resolved", "text": "Жөнделді.", "duplicate_of": "A-1"},
        follow_redirects=False,
    )
    assert answered.status_code == 303
