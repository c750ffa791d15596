"""A participant's way through a consultation, in Debian's Chromium against a real server on
SQLite, once in each language, at 390 px and with JavaScript off (the pages need none).

Two camps of 12 vote through the API first. The participant finds the consultation in the list,
votes on every statement with the page's buttons as the camp that agrees does, is told they
have voted on everything, and opens the groups: the map is drawn (SVG from the server) with
their mark circled, "you are here", and their group named in words, the group's profile says
it is theirs. Every text checked is the catalog's, in the page's language; no page scrolls
sideways, and nothing is asked of another host.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.browser import skip_without_browser

skip_without_browser()

from arna.accounts.actions import create_token, create_user  # noqa: E402
from arna.app import create_app  # noqa: E402
from arna.core.actors import system  # noqa: E402
from arna.core.db import Database  # noqa: E402
from arna.core.i18n import translate  # noqa: E402
from arna.core.settings import Settings  # noqa: E402
from arna.maintenance.upgrade import upgrade  # noqa: E402
from tests.opinion.making import STATEMENTS  # noqa: E402
from tests.web.browser import browser, serving, shot  # noqa: E402

__all__ = ["browser"]  # fixtures used by name

LANGS = ("kk", "ru", "en")
TITLES = {
    "kk": "Алматыдағы қоғамдық көлік",
    "ru": "Общественный транспорт Алматы",
    "en": "Public transport in Almaty",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The served application and an administrator's API token."""
    folder = tmp_path_factory.mktemp("opinion")
    db = Database(f"sqlite:///{folder / 'arna.db'}")
    upgrade(db)
    email = "admin@example.kz"
    create_user(
        db, email=email, password="password-123", role="admin", body_id=None,
        actor=system("test"),
    )  # fmt: skip
    token = create_token(db, email=email, actor=system("test"))
    with serving(create_app(Settings(database_url=db.url), db=db)) as base:
        yield base, token
    db.dispose()


def _two_camps(api: Any, base: str, token: str, title: str) -> str:
    """A consultation and two camps of 12 through the API (as tests/opinion/making.py has
    them vote): statement 4 everyone agrees with, the others split them."""
    made = api.post(
        f"{base}/api/v1/consultations",
        headers={"Authorization": f"Bearer {token}"},
        data={"title": title, "question": "Қаладағы көлікті қалай жақсартамыз?",
              "statements": STATEMENTS},
    )  # fmt: skip
    assert made.status == 201, made.text()
    number = str(made.json()["number"])
    for i in range(12):
        for sign in (1, -1):
            joined = api.post(f"{base}/api/v1/consultations/{number}/participants").json()
            for s in range(len(STATEMENTS)):
                value = 1 if s == 4 else sign if (s + i) % 5 else -sign
                vote = {"token": joined["token"], "statement": s, "vote": "agree"}
                if value < 0:
                    vote["vote"] = "disagree"
                done = api.post(f"{base}/api/v1/consultations/{number}/votes", data=vote)
                assert done.ok, done.text()
    return number


def _words(message: str, lang: str, **values: str) -> str:
    """A catalog message as the page shows it in `lang` (translated in kk and ru)."""
    shown = translate(message, lang)
    assert lang == "en" or shown != message, f"{message!r} is not translated in {lang}"
    return shown % values if values else shown


def _plain(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def _click(page: Any, selector: str) -> Any:
    with page.expect_navigation(wait_until="load") as nav:
        page.locator(selector).first.click()
    return nav.value


@pytest.mark.parametrize("lang", LANGS)
def test_a_participant_votes_and_finds_their_group_on_the_map(
    site: tuple[str, str], browser: Any, lang: str
) -> None:
    base, token = site
    context = browser.new_context(viewport={"width": 390, "height": 900}, java_script_enabled=False)
    number = _two_camps(context.request, base, token, TITLES[lang])
    page = context.new_page()
    foreign: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(base) else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # from the list (the main navigation leads there) to the consultation
    page.goto(f"{base}/?lang={lang}")
    _click(page, "header nav a[href='/consultations']")
    assert _plain(page.locator("h1").inner_text()) == _words("Consultations", lang)
    _no_sideways_scroll(page)
    _click(page, f"#open a[href='/consultations/{number}']")
    assert _plain(page.locator("h1").inner_text()) == TITLES[lang]
    assert _plain(page.locator("#status .badge").inner_text()) == _words("Open for votes", lang)
    _no_sideways_scroll(page)

    # every statement, one at a time, with the "agree" button
    agree = _words("Agree", lang)
    assert _plain(page.locator("#vote-form button[value=agree]").inner_text()) == agree
    seen = []
    for _ in STATEMENTS:
        seen.append(_plain(page.locator("#statement").inner_text()))
        assert page.locator("#statement").get_attribute("lang") == "kk"
        response = _click(page, "#vote-form button[value=agree]")
        assert response.status == 200 and page.locator("#voted").is_visible()
        _no_sideways_scroll(page)
    assert sorted(seen) == sorted(STATEMENTS)  # each once
    progress = _words("You voted on %(n)s of %(total)s statements", lang, n="8", total="8")
    assert _plain(page.locator("#progress-text").inner_text()) == progress
    assert page.locator("#all-voted").is_visible() and not page.locator("#vote-form").count()
    cookie = next(c for c in context.cookies() if c["name"] == f"arna_opinion_{number}")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert cookie["path"] == f"/consultations/{number}"
    shot(page, f"opinion-voted-{lang}")

    # the groups: the map, "you are here", the group in words
    _click(page, "#all-voted + .actions a")
    heading = _words("Opinion groups of consultation %(number)s", lang, number=number)
    assert _plain(page.locator("h1").inner_text()) == heading
    drawn = page.locator("svg#map")
    assert drawn.is_visible() and drawn.get_attribute("role") == "img"
    assert page.locator("svg#map .cloud").count() == 2
    box = drawn.bounding_box()
    assert box is not None and 300 < box["width"] <= 390 and box["height"] > 200
    assert page.locator("svg#map #you").count() == 1
    here = _plain(page.locator("svg#map text.you-label").text_content() or "")
    assert here == _words("You are here", lang)
    mine = _plain(page.locator("#my-group").inner_text())
    label = next(g for g in "AB" if _words("You are in group %(group)s.", lang, group=g) in mine)
    profile = page.locator(f"#group-{label}")
    assert _words("(your group)", lang) in _plain(profile.inner_text())
    description = _plain(page.locator("svg#map desc").text_content() or "")
    assert _words("You are in group %(group)s.", lang, group=label) in description
    legend = _plain(page.locator("#legend").inner_text())
    assert re.search(r"1[23]", legend), legend  # the groups' sizes in words too
    consensus = _plain(page.locator("#consensus").inner_text())
    assert STATEMENTS[4] in consensus  # what both camps share
    _no_sideways_scroll(page)
    shot(page, f"opinion-groups-{lang}")

    assert foreign == [], f"requests to other hosts: {foreign}"
    assert errors == [], errors
    context.close()


def test_an_official_accepts_a_statement_on_the_workbench(
    site: tuple[str, str], browser: Any
) -> None:
    """In Russian, at 390 px: the administrator signs in, finds the participant's statement
    waiting (its text in its own language, nothing about who wrote it) and accepts it."""
    base, token = site
    lang = "ru"
    context = browser.new_context(viewport={"width": 390, "height": 900})
    api = context.request
    made = api.post(
        f"{base}/api/v1/consultations",
        headers={"Authorization": f"Bearer {token}"},
        data={"title": TITLES[lang], "question": "Как улучшить транспорт?",
              "statements": STATEMENTS[:3]},
    )  # fmt: skip
    number = str(made.json()["number"])
    joined = api.post(f"{base}/api/v1/consultations/{number}/participants").json()
    proposal = "Автобусы должны ходить и ночью"
    sent = api.post(
        f"{base}/api/v1/consultations/{number}/statements",
        data={"text": proposal, "token": joined["token"]},
    )
    assert sent.ok, sent.text()
    page = context.new_page()
    page.goto(f"{base}/official/login?lang={lang}")
    page.fill("#email", "admin@example.kz")
    page.fill("#password", "password-123")
    _click(page, "main form button[type=submit]")
    _click(page, "nav.workbench a[href='/official/consultations']")
    assert _plain(page.locator("h1").inner_text()) == _words("Consultations to moderate", lang)
    item = page.locator(f"#statement-{number}-3")
    assert _plain(item.locator("blockquote").inner_text()) == proposal
    assert item.locator("blockquote").get_attribute("lang") == "ru"
    assert joined["token"] not in page.content()
    _no_sideways_scroll(page)
    accept = item.locator("button[value=accepted]")
    assert _plain(accept.inner_text()) == _words("Accept", lang)
    with page.expect_navigation(wait_until="load"):
        accept.click()
    notice = _words("Accepted: participants now vote on the statement.", lang)
    assert _plain(page.locator("#done").inner_text()) == notice
    assert not page.locator(f"#statement-{number}-3").count()
    accepted = api.get(f"{base}/api/v1/consultations/{number}/statements").json()
    assert proposal in [s["text"] for s in accepted]
    shot(page, f"opinion-moderated-{lang}")
    context.close()
