"""Consultations' pages through HTTP against a real database: the list, voting one statement at a
time through the form (the participant's cookie, the vote stored, the next statement), a
statement of one's own (pending), the refusals (a 4xx page that says why), and the groups page
(the map as SVG, each group's profile, the consensus) after two camps voted."""

from __future__ import annotations

import html
import re

from arna.opinion import policy
from tests.appeals.conftest import Env
from tests.opinion.making import STATEMENTS, join, open_consultation, two_camps

ADMIN = "admin@example.kz"


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no hidden {name}"
    return html.unescape(found.group(1))


def _statement(page: str) -> str:
    found = re.search(r'<blockquote class="statement" id="statement" lang="(\w+)">([^<]*)<', page)
    assert found, "no statement to vote on"
    return html.unescape(found.group(2))


def _vote(env: Env, number: str, vote: str, **extra: str) -> tuple[int, str, str]:
    """Opens the page and votes through its form: (status, the page voted on's statement, the
    page landed on)."""
    page = env.client.get(f"/consultations/{number}?lang=en").text
    shown = _statement(page)
    form = {"csrf": _hidden(page, "csrf"), "statement": _hidden(page, "statement"), "vote": vote}
    done = env.client.post(f"/consultations/{number}/vote", data={**form, **extra})
    return done.status_code, shown, done.text


def _cookie(env: Env, number: str) -> str | None:
    return env.client.cookies.get(f"arna_opinion_{number}", path=f"/consultations/{number}")


def _votes(env: Env, number: str) -> int:
    return int(env.client.get(f"/api/v1/consultations/{number}").json()["votes"])


def test_the_list_shows_open_consultations_first_with_their_counts(env: Env) -> None:
    admin = env.token("admin", None, ADMIN)
    first = open_consultation(env, admin, title="Алматыдағы қоғамдық көлік")
    closed = open_consultation(env, admin, title="Аулалардағы тұрақ")
    token = join(env, first)
    env.client.post(
        f"/api/v1/consultations/{first}/votes",
        json={"token": token, "statement": 0, "vote": "agree"},
    )
    closing = env.client.post(f"/api/v1/consultations/{closed}/closing", headers=env.auth(admin))
    assert closing.is_success
    page = env.client.get("/consultations?lang=en")
    assert page.status_code == 200
    text = _text(page.text)
    assert text.index("Open consultations") < text.index("Алматыдағы") < text.index("Closed co")
    assert text.index("Closed consultations") < text.index("Аулалардағы")
    assert "Open for votes" in text and "Closed" in text
    assert "Statements 8 Participants 1 Votes 1 Opinion groups not computed yet" in text
    assert f'href="/consultations/{first}"' in page.text and 'lang="kk"' in page.text
    assert 'href="/consultations"' in page.text  # the main navigation
    ru = _text(env.client.get("/consultations?lang=ru").text)
    assert "Открытые консультации" in ru
    kk = env.client.get("/consultations?page=x&closed_page=99999999&lang=kk")
    assert kk.status_code == 200


def test_voting_through_the_form_one_statement_at_a_time(env: Env) -> None:
    admin = env.token("admin", None, ADMIN)
    number = open_consultation(env, admin)
    page = env.client.get(f"/consultations/{number}?lang=en")
    assert page.status_code == 200 and "no-store" in page.headers["cache-control"]
    assert "You voted on 0 of 8 statements" in _text(page.text)
    assert _statement(page.text) in STATEMENTS and _cookie(env, number) is None

    status, first, landed = _vote(env, number, "agree")
    assert status == 200 and "Your vote is saved." in landed
    token = _cookie(env, number)
    assert token, "the participant's cookie"
    cookie = next(
        c for c in env.client.cookies.jar if c.name == f"arna_opinion_{number}"
    )  # scoped to this consultation, kept from scripts
    assert cookie.path == f"/consultations/{number}" and cookie.has_nonstandard_attr("HttpOnly")
    assert "You voted on 1 of 8 statements" in _text(landed)
    assert _statement(landed) != first
    assert _votes(env, number) == 1
    mine = env.client.get(
        f"/api/v1/consultations/{number}/next", headers={"X-Participant-Token": token}
    ).json()
    assert mine["text"] == _statement(landed)  # the page's next is the participant's next

    for vote in ("disagree", "pass", "agree", "agree", "disagree", "pass", "agree"):
        status, _, landed = _vote(env, number, vote)
        assert status == 200
    assert _cookie(env, number) == token  # the same participant all along
    assert _votes(env, number) == 8
    text = _text(landed)
    assert "You voted on 8 of 8 statements" in text
    assert "You have voted on every statement." in text
    assert f'href="/consultations/{number}/groups"' in landed and 'name="vote"' not in landed
    counted = env.client.get(f"/api/v1/consultations/{number}").json()
    assert counted["participants"] == 1


def test_a_statement_of_ones_own_waits_for_moderation(env: Env) -> None:
    admin = env.token("admin", None, ADMIN)
    number = open_consultation(env, admin)
    page = env.client.get(f"/consultations/{number}?lang=ru").text
    said = "Автобусы должны ходить и ночью"
    done = env.client.post(
        f"/consultations/{number}/statements", data={"csrf": _hidden(page, "csrf"), "text": said}
    )
    assert done.status_code == 200 and "ждёт модерации" in done.text
    assert _cookie(env, number), "adding a statement joins"
    pending = env.client.get(
        f"/api/v1/consultations/{number}/statements",
        params={"status": "pending"},
        headers=env.auth(admin),
    ).json()
    assert [(s["text"], s["status"]) for s in pending] == [(said, policy.PENDING)]
    assert said not in env.client.get(f"/consultations/{number}").text  # not before moderation

    again = env.client.post(
        f"/consultations/{number}/statements",
        data={"csrf": _hidden(page, "csrf"), "text": said.upper() + "!"},
    )
    assert again.status_code == 422
    assert "This statement is in the consultation already." in again.text or "уже" in again.text


def test_bad_input_brings_the_page_back_with_the_reason(env: Env) -> None:
    admin = env.token("admin", None, ADMIN)
    number = open_consultation(env, admin)
    page = env.client.get(f"/consultations/{number}?lang=en").text
    csrf = _hidden(page, "csrf")
    vote = f"/consultations/{number}/vote"
    cases = [
        ({"csrf": csrf, "statement": "99", "vote": "agree"}, 422, "not open for votes"),
        ({"csrf": csrf, "statement": "-1", "vote": "agree"}, 422, "not open for votes"),
        ({"csrf": csrf, "statement": "9" * 40, "vote": "agree"}, 422, "not open for votes"),
        ({"csrf": csrf, "statement": "0", "vote": "maybe"}, 422, "Choose agree, disagree or pass"),
        ({"csrf": "forged", "statement": "0", "vote": "agree"}, 403, "The form expired"),
        ({"statement": "0", "vote": "agree"}, 403, "The form expired"),
    ]
    for form, status, reason in cases:
        answer = env.client.post(vote, data=form)
        assert answer.status_code == status, (form, answer.text)
        assert reason in _text(answer.text) and 'role="alert"' in answer.text, form
        assert 'name="vote"' in answer.text  # the form is there to try again
    assert _votes(env, number) == 0

    statements = f"/consultations/{number}/statements"
    for text in ("no", "x" * (policy.STATEMENT_MAX + 1), "x" * 50_000):
        answer = env.client.post(statements, data={"csrf": csrf, "text": text})
        assert answer.status_code == 422
        assert "A statement is 3 to 400 characters" in _text(answer.text)
        assert 'aria-invalid="true"' in answer.text
    hostile = "<script>alert(1)</script> бәрі жақсы"
    answer = env.client.post(statements, data={"csrf": "forged", "text": hostile})
    assert answer.status_code == 403 and "<script>alert(1)" not in answer.text

    missing = env.client.get("/consultations/C-1999-999999?lang=en")
    assert missing.status_code == 404 and "Consultation not found" in missing.text
    assert env.client.get("/consultations/<b>").status_code == 404
    assert env.client.post("/consultations/C-1999-999999/vote", data={}).status_code == 404
    assert env.client.get("/consultations/C-1999-999999/groups").status_code == 404

    closing = env.client.post(f"/api/v1/consultations/{number}/closing", headers=env.auth(admin))
    assert closing.is_success
    closed = env.client.get(f"/consultations/{number}?lang=en")
    assert closed.status_code == 200 and 'name="vote"' not in closed.text
    assert 'name="text"' not in closed.text
    assert f'href="/consultations/{number}/groups"' in closed.text
    late = env.client.post(vote, data={"csrf": csrf, "statement": "0", "vote": "agree"})
    assert late.status_code == 409 and "closed" in _text(late.text)
    late = env.client.post(statements, data={"csrf": csrf, "text": "Жаңа ой айтайын"})
    assert late.status_code == 409
    assert _votes(env, number) == 0


def test_the_groups_page_after_two_camps_voted(env: Env) -> None:
    admin = env.token("admin", None, ADMIN)
    number = open_consultation(env, admin)
    early = env.client.get(f"/consultations/{number}/groups?lang=en")
    assert early.status_code == 200 and "No votes yet" in early.text and "<svg" not in early.text
    two_camps(env, number)
    # the visitor votes as the "yes" camp does (all agree, but on statement 4 too)
    for _ in STATEMENTS:
        assert _vote(env, number, "agree")[0] == 200
    page = env.client.get(f"/consultations/{number}/groups?lang=en")
    assert page.status_code == 200, page.text
    body = page.text
    assert re.search(r'<svg viewBox="0 0 \d+ \d+" role="img" aria-labelledby="map-title', body)
    drawn = body[body.index("<svg viewBox") : body.index("</svg>")]
    assert drawn.count('class="cloud g') == 2
    marks = re.findall(r'class="dot g\d" data-n="(\d+)"', drawn)
    assert sum(map(int, marks)) == 25  # stacked where participants voted alike
    text = _text(body)
    assert "25 participants on the map in 2 groups" in text
    assert re.search(r"Group A: 1[23] participants", text) and "Group B" in text
    assert 'id="you"' in body and "You are here" in text
    mine = re.search(r"You are in group ([AB])\.", text)
    assert mine, "the visitor's group"
    # the visitor is with the camp that agrees: its profile says so
    profile = body[body.index(f'id="group-{mine.group(1)}"') :]
    profile = profile[: profile.index("</article>")]
    assert "(your group)" in profile and "agree" in _text(profile)
    assert "Жеке көлікке салық көбейсін" in profile or "Автобустар" in profile
    assert 'lang="kk"' in profile
    consensus = body[body.index('id="consensus"') :]
    assert STATEMENTS[4] in consensus[: consensus.index("</ul>")]
    assert re.search(r"\d+% of everyone who voted on it agree \(\d+ of \d+\)", text)
    aware = body[body.index('id="group-aware"') :]
    assert STATEMENTS[4] in aware[: aware.index("</li>")]
    assert re.search(r"Groups computed \d", text)  # computed on the first view
    kk = env.client.get(f"/consultations/{number}/groups?lang=kk")
    assert kk.status_code == 200 and "Сіз осындасыз" in kk.text
