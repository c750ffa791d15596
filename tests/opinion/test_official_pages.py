"""Consultations on the officials' workbench, through HTTP against a real database: the statements
waiting for moderation (never who wrote them), accepted (then voted on in public) or rejected
(never shown), a consultation opened with its first statements and closed after a confirmation;
another body's official and anonymous visitors cannot, and every refusal is a 4xx page that
says why."""

from __future__ import annotations

import html
import re

from arna.opinion import policy
from tests.appeals.conftest import Env
from tests.opinion.making import STATEMENTS, join, open_consultation

ADMIN = "admin@example.kz"
ALMATY = "akimat-750000000"
SHYMKENT = "akimat-790000000"
PAGE = "/official/consultations"
PROPOSALS = ("Түнде трамвай жүрсін", "Нужны автобусы до аэропорта каждые 15 минут")


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no hidden {name}"
    return html.unescape(found.group(1))


def _login(env: Env, email: str) -> str:
    """Signs in on the workbench; the CSRF token of the consultations' page."""
    env.client.cookies.clear()
    page = env.client.get("/official/login")
    done = env.client.post(
        "/official/login",
        data={"email": email, "password": "password-123", "csrf": _hidden(page.text, "csrf")},
        follow_redirects=False,
    )
    assert done.status_code == 303
    return _hidden(env.client.get(f"{PAGE}?lang=en").text, "csrf")


def _consultation(env: Env, admin: str) -> tuple[str, list[str]]:
    """Almaty's consultation with two participants' statements waiting (8 and 9); their tokens."""
    number = open_consultation(env, admin, body_id=ALMATY)
    tokens = []
    for text in PROPOSALS:
        token = join(env, number)
        tokens.append(token)
        added = env.client.post(
            f"/api/v1/consultations/{number}/statements", json={"text": text, "token": token}
        )
        assert added.status_code == 201 and added.json()["status"] == policy.PENDING
    return number, tokens


def _statuses(env: Env, number: str, admin: str) -> dict[str, str]:
    return {
        s["text"]: s["status"]
        for status in ("accepted", "pending", "rejected")
        for s in env.client.get(
            f"/api/v1/consultations/{number}/statements",
            params={"status": status},
            headers=env.auth(admin),
        ).json()
    }


def _vote_through(env: Env, number: str) -> list[str]:
    """A new visitor votes "agree" on every statement the public page offers; what it showed."""
    env.client.cookies.clear()
    seen = []
    page = env.client.get(f"/consultations/{number}?lang=en").text
    while 'id="vote-form"' in page:
        found = re.search(r'<blockquote class="statement" id="statement" lang="\w+">([^<]*)<', page)
        assert found
        seen.append(html.unescape(found.group(1)))
        form = {"csrf": _hidden(page, "csrf"), "statement": _hidden(page, "statement")}
        done = env.client.post(f"/consultations/{number}/vote", data={**form, "vote": "agree"})
        assert done.status_code == 200, done.text
        page = done.text
    return seen


def test_an_official_accepts_and_rejects_statements_of_their_body(env: Env) -> None:
    admin = env.token("admin", None, ADMIN)
    number, tokens = _consultation(env, admin)
    env.token("official", ALMATY, "almaty@example.kz")
    csrf = _login(env, "almaty@example.kz")
    page = env.client.get(f"{PAGE}?lang=en")
    assert page.status_code == 200 and "no-store" in page.headers["cache-control"]
    assert f'href="{PAGE}" aria-current="page"' in page.text  # the workbench's navigation
    text = _text(page.text)
    assert "Statements waiting for moderation: 2" in text
    assert all(p in text for p in PROPOSALS) and "Statement 8" in text and "Russian" in text
    assert '<blockquote class="statement-text" id="text-' in page.text and 'lang="ru"' in page.text
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', page.text)
    assert not any(token in page.text for token in tokens)  # never who wrote them
    assert STATEMENTS[0] not in text  # accepted ones are not waiting

    moderation = f"{PAGE}/{number}/statements/8/moderation?lang=en"
    forged = env.client.post(moderation, data={"csrf": "forged", "decision": "accepted"})
    assert forged.status_code == 403 and "The form expired" in _text(forged.text)
    undecided = env.client.post(moderation, data={"csrf": csrf, "decision": "maybe"})
    assert undecided.status_code == 422 and "Choose to accept or to reject" in undecided.text
    assert _statuses(env, number, admin)[PROPOSALS[0]] == policy.PENDING

    accepted = env.client.post(
        moderation, data={"csrf": csrf, "decision": "accepted"}, follow_redirects=False
    )
    assert accepted.status_code == 303
    assert accepted.headers["location"] == f"{PAGE}?done=accepted#consultation-{number}"
    shown = env.client.get(accepted.headers["location"])
    assert "Accepted: participants now vote on the statement." in shown.text
    assert "Statements waiting for moderation: 1" in _text(shown.text)
    rejected = env.client.post(
        f"{PAGE}/{number}/statements/9/moderation",
        data={"csrf": csrf, "decision": "rejected"},
        follow_redirects=False,
    )
    assert rejected.status_code == 303 and "done=rejected" in rejected.headers["location"]

    again = env.client.post(moderation, data={"csrf": csrf, "decision": "rejected"})
    assert again.status_code == 409
    assert "This statement has been moderated already: nothing was changed." in again.text
    for wrong in ("99", "abc", "9" * 40):
        missing = env.client.post(
            f"{PAGE}/{number}/statements/{wrong}/moderation?lang=en",
            data={"csrf": csrf, "decision": "accepted"},
        )
        assert missing.status_code == 404, missing.text
        assert "This statement is not in this consultation." in missing.text
    unknown = env.client.post(
        f"{PAGE}/C-1999-999999/statements/0/moderation?lang=en",
        data={"csrf": csrf, "decision": "accepted"},
    )
    assert unknown.status_code == 403 and "not yours to act on" in unknown.text
    assert _statuses(env, number, admin) == {
        **dict.fromkeys(STATEMENTS, policy.ACCEPTED),
        PROPOSALS[0]: policy.ACCEPTED,
        PROPOSALS[1]: policy.REJECTED,
    }

    seen = _vote_through(env, number)  # the public voting page
    assert sorted(seen) == sorted([*STATEMENTS, PROPOSALS[0]]) and PROPOSALS[1] not in seen


def test_an_official_opens_a_consultation_and_closes_it_after_confirming(env: Env) -> None:
    env.token("official", ALMATY, "almaty@example.kz")
    csrf = _login(env, "almaty@example.kz")
    page = env.client.get(f"{PAGE}?lang=en")
    assert "No consultation of yours is open" in page.text and 'name="body_id"' not in page.text
    empty = env.client.post(PAGE, data={"csrf": csrf, "title": "", "statements": "ok\nab"})
    assert empty.status_code == 422
    assert "Write the title: 3 to 200 characters." in empty.text
    assert "Write the question" in empty.text and 'aria-invalid="true"' in empty.text
    short = env.client.post(
        PAGE,
        data={"csrf": csrf, "title": "Аулалар", "question": "Ауланы қалай абаттаймыз?",
              "statements": "Ойын алаңы керек\nab"},
    )  # fmt: skip
    assert short.status_code == 422 and "3 to 400 characters" in short.text
    assert "Ойын алаңы керек" in short.text  # what was typed is kept
    made = env.client.post(
        PAGE,
        data={"csrf": csrf, "title": "Аулалар", "question": "Ауланы қалай абаттаймыз?",
              "body_id": SHYMKENT, "statements": "Ойын алаңы керек\n\n  Көгал көбейсін  \n"},
        follow_redirects=False,
    )  # fmt: skip
    assert made.status_code == 303 and "done=opened" in made.headers["location"]
    listed = env.client.get("/api/v1/consultations").json()["items"]
    assert len(listed) == 1 and listed[0]["body_id"] == ALMATY  # an official's own body only
    assert listed[0]["statements"] == 2 and listed[0]["language"] == "kk"
    number = listed[0]["number"]
    page = env.client.get(made.headers["location"])
    assert number in page.text and "The consultation is open" in page.text

    asked = env.client.get(f"{PAGE}?close={number}&lang=en")
    assert asked.status_code == 200 and "Close this consultation?" in asked.text
    assert "cannot be opened again" in asked.text and 'name="confirm" value="yes"' in asked.text
    assert env.client.get(f"/api/v1/consultations/{number}").json()["status"] == policy.OPEN
    closing = f"{PAGE}/{number}/closing?lang=en"
    unconfirmed = env.client.post(closing, data={"csrf": csrf})
    assert unconfirmed.status_code == 422 and "Confirm the closing" in unconfirmed.text
    assert "Close this consultation?" in unconfirmed.text
    assert env.client.get(f"/api/v1/consultations/{number}").json()["status"] == policy.OPEN
    closed = env.client.post(closing, data={"csrf": csrf, "confirm": "yes"}, follow_redirects=False)
    assert closed.status_code == 303 and "done=closed" in closed.headers["location"]
    assert env.client.get(f"/api/v1/consultations/{number}").json()["status"] == policy.CLOSED
    assert "takes no more votes" in env.client.get(f"/consultations/{number}?lang=en").text
    twice = env.client.post(closing, data={"csrf": csrf, "confirm": "yes"})
    assert twice.status_code == 409 and "closed already" in twice.text


def test_administrators_open_a_consultation_of_any_body_or_of_none(env: Env) -> None:
    env.token("admin", None, ADMIN)
    csrf = _login(env, ADMIN)
    form = {"csrf": csrf, "title": "Public transport", "question": "How do we improve it?"}
    wrong = env.client.post(f"{PAGE}?lang=en", data={**form, "body_id": "no-such-body"})
    assert wrong.status_code == 422 and "No body has this id." in wrong.text
    for body in (SHYMKENT, ""):
        done = env.client.post(PAGE, data={**form, "body_id": body}, follow_redirects=False)
        assert done.status_code == 303
    listed = env.client.get("/api/v1/consultations").json()["items"]
    assert sorted(c["body_id"] or "" for c in listed) == ["", SHYMKENT]
    page = _text(env.client.get(f"{PAGE}?lang=en").text)
    assert "No body: administrators run it" in page


def test_another_bodys_official_and_anonymous_visitors_cannot(env: Env) -> None:
    admin = env.token("admin", None, ADMIN)
    number, _tokens = _consultation(env, admin)
    moderation = f"{PAGE}/{number}/statements/8/moderation"
    env.client.cookies.clear()
    anonymous = env.client.get(PAGE, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/official/login"
    posted = env.client.post(moderation, data={"decision": "accepted"}, follow_redirects=False)
    assert posted.status_code == 303 and posted.headers["location"] == "/official/login"

    env.token("official", SHYMKENT, "shymkent@example.kz")
    csrf = _login(env, "shymkent@example.kz")
    page = env.client.get(f"{PAGE}?lang=en")
    assert number not in page.text and PROPOSALS[0] not in page.text
    refused = env.client.post(f"{moderation}?lang=en", data={"csrf": csrf, "decision": "accepted"})
    assert refused.status_code == 403
    assert "This consultation is not yours to act on." in refused.text
    closing = env.client.post(
        f"{PAGE}/{number}/closing?lang=en", data={"csrf": csrf, "confirm": "yes"}
    )
    assert closing.status_code == 403 and "not yours" in closing.text
    asked = env.client.get(f"{PAGE}?close={number}&lang=en")
    assert asked.status_code == 200 and "Close this consultation?" not in asked.text
    assert _statuses(env, number, admin)[PROPOSALS[0]] == policy.PENDING
    assert env.client.get(f"/api/v1/consultations/{number}").json()["status"] == policy.OPEN
    kk = env.client.get(f"{PAGE}?lang=kk")
    assert kk.status_code == 200 and "Consultations to moderate" not in kk.text
