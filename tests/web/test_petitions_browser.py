"""A petition's whole way through the pages, in Debian's Chromium against a real server on SQLite,
once in each language: draft → co-signers → moderation → open → threshold → answer due →
answered.

An author starts it with the form and opens the draft with the code (the button, then the link
whose fragment petitions.js moves into the form); sends it out; 48 co-signers are written as the
queue writes them, the 49th and 50th sign through the page's two steps (the second crosses into
moderation). The administrator logs in and publishes it on the workbench; signatures up to one
short of the threshold are written, and the last signs through the page: the answer is due. The
official of the city's akimat logs in and answers it on the workbench. At each stop the badge and
the sentence are in the page's language (the catalog's words, translated in kk and ru), the
chart and the map are drawn from the local files, and no page scrolls sideways at 390 px.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest

from arna.accounts.actions import create_user
from arna.app import create_app
from arna.core.actors import system
from arna.core.db import Database
from arna.core.i18n import translate
from arna.core.settings import Settings
from arna.maintenance.upgrade import upgrade
from arna.petitions import labels
from arna.petitions.actions.lifecycle import person_key
from arna.petitions.actions.signing import Signing, sign_batch
from arna.petitions.confirmation import Pending
from tests.petitions.conftest import ALMATY, CITY, ROOMY, iins
from tests.petitions.sweep import PETITION_TEXTS
from tests.web.browser import browser, serving, shot, skip_without_browser

skip_without_browser()

__all__ = ["browser"]  # fixtures used by name

PASSWORD = "password-123"
ADMIN, OFFICIAL = "admin@example.kz", "semey@example.kz"
ABAI = "100000000"
LANGS = ("kk", "ru", "en")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Database, Settings]]:
    folder = tmp_path_factory.mktemp("petitions")
    db = Database(f"sqlite:///{folder / 'arna.db'}")
    upgrade(db)
    settings = Settings(database_url=db.url, **ROOMY)
    for role, body, email in (("admin", None, ADMIN), ("official", CITY, OFFICIAL)):
        create_user(
            db, email=email, password=PASSWORD, role=role, body_id=body,  # type: ignore[arg-type]
            actor=system("test"),
        )  # fmt: skip
    with serving(create_app(settings, db=db)) as base:
        yield base, db, settings
    db.dispose()


def _bulk(db: Database, settings: Settings, number: str, how_many: int, start: int) -> None:
    """Signatures as the group-commit queue writes them."""
    far = datetime.now(UTC) + timedelta(hours=1)
    batch = [
        Signing(Pending(number, person_key(settings, iin), "Асқар Б.", ALMATY, far), "net")
        for iin in iins(how_many, start)
    ]
    for i in range(0, len(batch), 500):
        for outcome in sign_batch(db, batch[i : i + 500]):
            assert not isinstance(outcome, Exception), outcome


def _words(message: str, lang: str) -> str:
    """A catalog message as the page shows it in `lang` (translated in kk and ru)."""
    shown = translate(message, lang)
    assert lang == "en" or shown != message, f"{message!r} is not translated in {lang}"
    return shown


def _plain(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def _badge(page: Any) -> str:
    return _plain(page.locator("#status .badge").inner_text())


def _submit(page: Any, selector: str) -> Any:
    with page.expect_navigation(wait_until="load") as nav:
        page.locator(selector).click()
    return nav.value


def _sign(page: Any, base: str, number: str, iin: str, lang: str) -> None:
    """Both steps of the sign form, from the petition's page to its page again."""
    page.goto(f"{base}/petitions/{number}?lang={lang}")
    page.fill("#sign-iin", f"{iin[:6]} {iin[6:]}")  # written with a space: the same person
    page.fill("#sign-first", "Айгерім")
    page.fill("#sign-last", "сапарова")
    page.select_option("#sign-region", ABAI)
    _submit(page, "form.sign-form button[type=submit]")
    assert iin not in page.content()  # the confirmation holds the IIN's digest only
    shown = _plain(page.locator("#shown-as").inner_text())
    assert "Айгерім С." in shown, shown
    _no_sideways_scroll(page)
    response = _submit(page, "#confirm")
    assert response.status == 200 and urlsplit(page.url).query.startswith("signed=yes")
    assert page.locator("#sign-done").is_visible()


def _log_in(context: Any, base: str, email: str, lang: str) -> Any:
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{base}/official/login?lang={lang}")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    _submit(page, "main form button[type=submit]")
    assert urlsplit(page.url).path == "/official/"
    page.locator("nav.workbench a[href='/official/petitions']").click()
    page.wait_for_url(re.compile(r"/official/petitions"))
    return page


@pytest.mark.parametrize("lang", LANGS)
def test_a_petition_from_draft_to_answer_through_the_pages(
    site: tuple[str, Database, Settings], browser: Any, lang: str
) -> None:
    base, db, settings = site
    offset = LANGS.index(lang) * 10_000
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(base) else None)

    # the author starts it from the list
    page.goto(f"{base}/petitions?lang={lang}")
    _submit(page, "#start")
    title, text = PETITION_TEXTS[lang]
    page.fill("#title", title)
    page.fill("#text", text)
    page.select_option("#addressee_id", CITY)
    page.fill("#iin", iins(1, offset + 9_000)[0])
    page.fill("#first_name", "Сәуле")
    page.fill("#last_name", "Нұрланқызы")
    created = _submit(page, "main form button[type=submit]")
    assert created.status == 201
    number = page.locator("#number").inner_text().strip()
    code = page.locator("#author-code").inner_text().strip()
    assert number.startswith("P-") and re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code)
    _no_sideways_scroll(page)
    assert page.goto(f"{base}/petitions/{number}?lang={lang}").status == 404  # a draft

    # the manage link: the code in the fragment, moved into the form by petitions.js
    page.goto(f"{base}/petitions/{number}/manage?lang={lang}#code={code}")
    page.wait_for_selector("#send-form")
    assert code not in page.url
    assert _badge(page) == _words(labels.STATUSES["draft"], lang)
    _submit(page, "#send")
    assert _badge(page) == _words(labels.STATUSES["cosigning"], lang)
    assert page.locator("#share-link").inner_text().endswith(f"/petitions/{number}")
    _no_sideways_scroll(page)

    # co-signers: 48 as the queue writes them, two through the page
    _bulk(db, settings, number, 48, start=offset)
    _sign(page, base, number, iins(1, offset + 8_000)[0], lang)
    assert _badge(page) == _words(labels.STATUSES["cosigning"], lang)
    _sign(page, base, number, iins(1, offset + 8_100)[0], lang)
    assert _badge(page) == _words(labels.STATUSES["moderation"], lang)
    shot(page, f"petition-moderation-{lang}")

    # the administrator publishes it
    admin = browser.new_context()
    desk = _log_in(admin, base, ADMIN, lang)
    item = desk.locator(f"#petition-{number}")
    item.locator("input[name=decision][value=approve]").check()
    _submit(desk, f"#petition-{number} form button[type=submit]")
    assert "done=published" in desk.url and desk.locator("#done").is_visible()
    admin.close()
    page.goto(f"{base}/petitions/{number}?lang={lang}")
    assert _badge(page) == _words(labels.STATUSES["open"], lang)
    assert page.locator("#closes time").get_attribute("datetime")

    # signatures up to one short of the threshold; the last one through the page
    _bulk(db, settings, number, 2_449, start=offset + 100)
    _sign(page, base, number, iins(1, offset + 8_200)[0], lang)
    assert _badge(page) == _words(labels.STATUSES["response_due"], lang)
    assert page.locator("#progress").get_attribute("value") == "2500"
    assert page.locator("#response-due").is_visible() and page.locator("#owes").is_visible()
    page.wait_for_selector("#chart-signatures-over-time .chart-view svg")
    page.wait_for_selector(".map.leaflet-container path.leaflet-interactive")
    figures = page.locator("#regions tbody tr")
    assert figures.count() == 2  # Almaty's 2,497 signers and Abai's 3 (no figure)
    _no_sideways_scroll(page)
    shot(page, f"petition-response-due-{lang}")

    # the city's akimat answers it on the workbench
    official = browser.new_context()
    desk = _log_in(official, base, OFFICIAL, lang)
    answer = "Өткел 2027 жылдың көктемінде салынады: жоба қаржыландырылды."
    desk.fill(f"#answer-{number}", answer)
    _submit(desk, f"#petition-{number} form button[type=submit]")
    assert "done=answered" in desk.url
    official.close()
    page.goto(f"{base}/petitions/{number}?lang={lang}")
    assert _badge(page) == _words(labels.STATUSES["answered"], lang)
    assert _plain(page.locator("#answer").inner_text()) == answer
    assert page.locator("#not-signable").is_visible()  # an answered petition is signed no more
    _no_sideways_scroll(page)
    assert foreign == []
    context.close()
