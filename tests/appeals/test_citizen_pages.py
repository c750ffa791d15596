"""The citizen's pages through HTTP: the confirmation (code shown once, a tracking link that
keeps the code out of addresses, public or private), the tracking page (true state, human
history, no hashes, no caching or referrers), and the verdict on the answer: "solved" in one
step, "not solved" in two (why, where it goes, confirm), validated by the API's schema and
nothing written unless it is valid."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest

from tests.appeals.conftest import ROAD_IN_KURCHATOV, Env


def _answered(env: Env, data: dict[str, Any] = ROAD_IN_KURCHATOV) -> tuple[str, str]:
    token = env.token("official", "akimat-101800000", "o@akimat.kz")
    created = env.client.post("/api/v1/appeals", json=data).json()
    answer = {"outcome": "resolved", "text": "Жол жөнделді."}
    r = env.client.post(
        f"/api/v1/appeals/{created['number']}/answer", json=answer, headers=env.auth(token)
    )
    assert r.status_code == 200
    return created["number"], created["access_code"]


def _appeal(env: Env, number: str, code: str) -> dict[str, Any]:
    r = env.client.get(f"/api/v1/appeals/{number}", headers={"X-Access-Code": code})
    return dict(r.json())


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _private_headers(page: Any) -> None:
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize(
    ("resolved", "rating"),
    [
        ("", "4"),
        ("maybe", "4"),
        ("1", "4"),  # the schema alone would read these as yes and no
        ("on", "4"),
        ("0", "4"),
        ("yes", ""),
        ("yes", "6"),
        ("no", "0"),
        ("yes", "03"),
        ("yes", "+4"),
    ],
)
def test_feedback_that_the_schema_rejects_is_a_422_and_changes_nothing(
    env: Env, resolved: str, rating: str
) -> None:
    number, code = _answered(env)
    form = {"number": number, "code": code, "resolved": resolved, "rating": rating}
    page = env.client.post("/track/feedback?lang=en", data=form)
    assert page.status_code == 422
    assert "rate it from 1 to 5" in page.text
    appeal = _appeal(env, number, code)
    assert appeal["status"] == "answered" and appeal["feedback_rating"] is None


def test_solved_is_one_step(env: Env) -> None:
    number, code = _answered(env)
    form = {"number": number, "code": code, "resolved": "yes", "rating": "5"}
    page = env.client.post("/track/feedback?lang=en", data=form)
    assert page.status_code == 200
    _private_headers(page)
    assert "recorded that the problem is solved" in page.text
    assert 'data-stage="solved">Closed: solved<' in page.text
    appeal = _appeal(env, number, code)
    assert appeal["status"] == "closed" and appeal["feedback_rating"] == 5
    again = env.client.post("/track/feedback?lang=en", data={**form, "resolved": "no"})
    assert again.status_code == 200 and "dispute-form" not in again.text  # nothing to confirm
    assert _appeal(env, number, code)["escalation_depth"] == 0


def test_not_solved_asks_why_shows_where_it_goes_then_confirms(env: Env) -> None:
    number, code = _answered(env)
    form = {"number": number, "code": code, "resolved": "no", "rating": "2"}

    # Step 1: nothing is written; the page asks why and says where the appeal would go.
    ask = env.client.post("/track/feedback?lang=en", data=form)
    assert ask.status_code == 200
    _private_headers(ask)
    assert _appeal(env, number, code)["escalation_depth"] == 0
    assert 'id="dispute-form"' in ask.text and 'name="reason"' in ask.text
    assert 'name="step" value="confirm"' in ask.text
    assert f'name="code" value="{code}"' in ask.text  # carried in the form's body…
    assert not re.search(rf'(href|action)="[^"]*{re.escape(code)}', ask.text)  # …not in a URL
    nxt = _text(ask.text.split('id="next"')[1].split("</ul>")[0])
    assert "goes to Akimat of Abai Region, the body above Akimat of Kurchatov city" in nxt
    assert "new term of 15 working days" in nxt
    assert "Confirm: send it to Akimat of Abai Region" in ask.text

    # Step 2 without a reason (or with only blanks, or too long): asked again, nothing written.
    for reason in ("", "  ", "x" * 1001):
        bad = env.client.post(
            "/track/feedback?lang=en", data={**form, "step": "confirm", "reason": reason}
        )
        assert bad.status_code == 422
        assert "3 to 1,000 characters" in bad.text and 'id="dispute-form"' in bad.text
    assert _appeal(env, number, code)["status"] == "answered"

    # Step 2 with a reason: sent above, the reason kept without the phone number in it.
    why = "Шұңқыр әлі орнында, хабарласыңыз +7 701 234 56 78"
    done = env.client.post(
        "/track/feedback?lang=en", data={**form, "step": "confirm", "reason": why}
    )
    assert done.status_code == 200
    _private_headers(done)
    assert "has gone up to Akimat of Abai Region" in _text(done.text)
    assert 'data-stage="disputed">Disputed: sent above<' in done.text
    appeal = _appeal(env, number, code)
    assert appeal["escalation_depth"] == 1 and appeal["feedback_rating"] == 2
    assert appeal["body"]["id"] == "akimat-100000000"
    disputed = [e for e in appeal["events"] if e["type"] == "appeal.disputed"]
    assert disputed[0]["reason"] == "Шұңқыр әлі орнында, хабарласыңыз [phone]"
    public = env.client.get(f"/appeals/{number}?lang=en")
    assert "Шұңқыр әлі орнында, хабарласыңыз [phone]" in public.text
    assert "234 56 78" not in public.text and "234 56 78" not in done.text
    assert 'data-stage="disputed"' in public.text
    again = env.client.post(
        "/track/feedback?lang=en", data={**form, "step": "confirm", "reason": why}
    )
    assert again.status_code == 409


def test_not_solved_at_the_top_says_there_is_nowhere_to_go(env: Env) -> None:
    token = env.token("official", "government", "g@gov.kz")
    created = env.client.post("/api/v1/appeals", json=ROAD_IN_KURCHATOV).json()
    number, code = created["number"], created["access_code"]
    env.client.post(  # the Government takes it over and answers
        f"/api/v1/appeals/{number}/forward",
        json={"body_id": "government", "reason": "Республикалық маңызы бар мәселе"},
        headers=env.auth(env.token("official", "akimat-101800000", "k@akimat.kz")),
    )
    r = env.client.post(
        f"/api/v1/appeals/{number}/answer",
        json={"outcome": "refused", "text": "Қаржы жоқ."},
        headers=env.auth(token),
    )
    assert r.status_code == 200
    form = {"number": number, "code": code, "resolved": "no", "rating": "1"}
    ask = env.client.post("/track/feedback?lang=ru", data=form)
    assert "Выше органа «Правительство Республики Казахстан» никого нет" in _text(ask.text)
    done = env.client.post(
        "/track/feedback?lang=ru", data={**form, "step": "confirm", "reason": "Ничего не сделано"}
    )
    assert done.status_code == 200
    assert 'data-stage="not_solved">Закрыто: не решено<' in done.text
    assert "Мы записали, что проблема не решена" in done.text


def test_tracking_shows_the_true_state_and_no_hashes(env: Env) -> None:
    number, code = _answered(env)
    page = env.client.post("/track?lang=kk", data={"number": number, "code": code})
    assert page.status_code == 200
    _private_headers(page)
    assert 'data-stage="answered">Жауап берілді: өтініш берушінің бағасы күтілуде<' in page.text
    assert 'id="feedback-form"' in page.text
    events = _appeal(env, number, code)["events"]
    assert events and all(e["hash"][:12] not in page.text for e in events)
    assert f'href="/appeals/{number}/verify"' in page.text  # the appeal is public
    # A bookmark holds the number, never the code.
    prefilled = env.client.get(f"/track?lang=en&number={number}")
    assert f'value="{number}"' in prefilled.text
    assert 'id="code" name="code" value=""' in prefilled.text
    _private_headers(prefilled)
    wrong = env.client.post("/track?lang=en", data={"number": number, "code": "WRONG-CODE"})
    assert wrong.status_code == 404 and "No appeal with this number" in wrong.text


def test_a_private_appeals_history_is_verified_with_the_code_in_the_body(env: Env) -> None:
    created = env.client.post("/api/v1/appeals", json={**ROAD_IN_KURCHATOV, "public": False})
    number, code = created.json()["number"], created.json()["access_code"]
    assert env.client.get(f"/appeals/{number}/verify").status_code == 404
    track = env.client.post("/track?lang=en", data={"number": number, "code": code})
    assert f'action="/appeals/{number}/verify"' in track.text
    page = env.client.post(f"/appeals/{number}/verify?lang=en", data={"code": code})
    assert page.status_code == 200
    _private_headers(page)
    events = _appeal(env, number, code)["events"]
    assert all(f"<code>{e['hash']}</code>" in page.text for e in events)
    assert "arna audit verify" in page.text
    wrong = env.client.post(f"/appeals/{number}/verify?lang=en", data={"code": "WRONG"})
    assert wrong.status_code == 404


FORM = {
    "text": "Курчатов қаласында жолда үлкен шұңқыр бар, көліктер бұзылады.",
    "kind": "complaint",
    "category": "roads_local",
    "region": "100000000",
    "district": "101800000",
    "name": "Айгерім Сапарова",
    "email": "",
    "phone": "",
    "iin": "",
}


@pytest.mark.parametrize("public", ["yes", "no"])
def test_the_confirmation_offers_copy_print_and_a_link_with_the_code_in_the_fragment(
    env: Env, public: str
) -> None:
    page = env.client.post("/appeals/new?lang=en", data={**FORM, "public": public})
    assert page.status_code == 201
    _private_headers(page)
    number = _text(page.text.split('id="number">')[1].split("</output>")[0])
    code = _text(page.text.split('id="access-code">')[1].split("</output>")[0])
    link = f"/track#number={number}&amp;code={code}"
    assert f'href="{link}"' in page.text  # the code only after #, which no browser sends
    assert not re.search(rf'href="[^"#]*{re.escape(code)}', page.text)
    assert 'data-copy="access-code"' in page.text and 'class="print"' in page.text
    assert '<script src="/static/track.js" defer></script>' in page.text
    visibility = _text(page.text.split('id="visibility">')[1].split("</p>")[0])
    if public == "yes":
        assert visibility.startswith("Your appeal is public")
        assert f'href="/appeals/{number}"' in page.text
    else:
        assert visibility.startswith("Your appeal is private")
        assert f'href="/appeals/{number}"' not in page.text
    assert env.client.get("/static/track.js").status_code == 200
