"""The true state of an appeal, end to end in Debian's Chromium against a real server on SQLite.

A citizen files an appeal through the form and opens it with the tracking link from the
confirmation (number and code in the fragment, moved into the form by track.js). Time moves on
(`now_utc` of the running server is moved, as the calendar would): the department lets the term
pass, and the worker's real sweep escalates it to the committee; the committee does too, and the
sweep sends it to the ministry. The ministry answers, the citizen says "not solved" through the
two-step form (why, where it goes, confirm) and the appeal goes to the Government, which lets
its term pass as well. At every stop the public page, the tracking page and the list must say
the same true state in kk, ru and en: the badge, the body, the levels climbed and the working
days overdue; and no page may scroll sideways on a 390 px phone.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from arna.accounts.actions import create_token, create_user
from arna.appeals.actions.sweep import sweep
from arna.core import clock as core_clock
from arna.core.actors import system
from arna.core.clock import KZ_TZ, load_calendar
from arna.core.db import Database
from arna.core.settings import Settings
from tests.web.browser import browser, server, shot, skip_without_browser

skip_without_browser()

__all__ = ["browser", "server"]  # fixtures used by name

CALENDAR = load_calendar()
START = datetime(2026, 11, 2, 10, 0, tzinfo=KZ_TZ)  # a Monday
TEXT = "Семейдегі базарда ет санитариялық тексерусіз сатылады, иісі жаман. Тексеру керек."
WHY = "Базарда бәрі бұрынғыдай, ешкім тексерген жоқ. Телефоным +7 701 234 56 78"
# The chain of the sanitary control of Abai Region, up to the top.
DEPARTMENT, COMMITTEE, MINISTRY, GOVERNMENT = (
    "health_sanitary-100000000",
    "health_sanitary",
    "health",
    "government",
)
NAMES = {
    "en": {
        DEPARTMENT: "Sanitary and Epidemiological Control Department of Abai Region",
        COMMITTEE: "Committee for Sanitary and Epidemiological Control of the Ministry of Health",
        MINISTRY: "Ministry of Health",
        GOVERNMENT: "Government of the Republic of Kazakhstan",
    },
    "ru": {GOVERNMENT: "Правительство Республики Казахстан", MINISTRY: "Министерство"},
    "kk": {GOVERNMENT: "Үкіметі", MINISTRY: "министрлігі"},
}


@dataclass
class Clock:
    """The server's `now_utc`, moved by the test."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now.astimezone(UTC)

    def set(self, day: date, hour: int = 10) -> datetime:
        self.now = datetime.combine(day, time(hour), KZ_TZ)
        return self.now


@pytest.fixture(scope="module")
def clock(server: tuple[str, Database]) -> Iterator[Clock]:
    """Every module of the running app that reads the time through `now_utc` reads this."""
    original = core_clock.now_utc
    moved = Clock(START)
    patched = [
        module
        for name, module in list(sys.modules.items())
        if name.startswith("arna") and getattr(module, "now_utc", None) is original
    ]
    for module in patched:
        module.now_utc = moved  # type: ignore[attr-defined]
    yield moved
    for module in patched:
        module.now_utc = original  # type: ignore[attr-defined]


def _plain(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


WIDER = """Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
  .map(e => e.tagName + '.' + e.className + '#' + e.id)"""


def _no_sideways_scroll(page: Any) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, (page.url, page.evaluate(WIDER))


def _public(page: Any, base: str, number: str, lang: str) -> tuple[str, str]:
    page.goto(f"{base}/appeals/{number}?lang={lang}")
    _no_sideways_scroll(page)
    return _plain(page.locator(".situation .badge").inner_text()), _plain(
        page.locator("#situation").inner_text()
    )


def _tracked(page: Any, base: str, number: str, code: str, lang: str) -> tuple[str, str]:
    """The tracking page as the tracking link opens it: the code never in a request URL."""
    page.goto(f"{base}/track?lang={lang}#number={number}&code={code}")
    page.wait_for_selector("#appeal-title")
    assert "#" not in page.url and code not in page.url  # track.js wiped the fragment
    _no_sideways_scroll(page)
    return _plain(page.locator(".situation .badge").inner_text()), _plain(
        page.locator("#situation").inner_text()
    )


def _listed(page: Any, base: str, number: str, lang: str, query: str = "") -> tuple[str, str]:
    page.goto(f"{base}/appeals?lang={lang}{query}")
    _no_sideways_scroll(page)
    row = page.locator("table.appeals tbody tr", has=page.locator(f"a[href='/appeals/{number}']"))
    assert row.count() == 1
    return _plain(row.locator(".badge").inner_text()), _plain(row.inner_text())


def _everywhere(
    page: Any, base: str, number: str, code: str, lang: str, query: str = ""
) -> list[tuple[str, str]]:
    """(badge, words) of the public page, the tracking page and the list's row."""
    return [
        _public(page, base, number, lang),
        _tracked(page, base, number, code, lang),
        _listed(page, base, number, lang, query),
    ]


def _after(day: date, working_days: int) -> date:
    return CALENDAR.add_working_days(day, working_days)


def _due(db: Database, number: str) -> date:
    from arna.appeals.queries import require_appeal

    with db.read() as session:
        return require_appeal(session, number).due_date


def test_an_appeal_escalated_twice_and_disputed_shows_its_true_state(
    server: tuple[str, Database], browser: Any, clock: Clock
) -> None:
    base, db = server
    settings = Settings(database_url=db.url)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))

    # Filed through the form, on 2 November.
    page.goto(f"{base}/appeals/new?lang=en")
    page.fill("#text", TEXT)
    page.select_option("#category", "sanitary")
    page.select_option("#region", "100000000")
    page.fill("#name", "Айгерім Сапарова")
    page.check("input[name=public][value=yes]")
    page.locator("form button[type=submit]").click()
    page.wait_for_selector("#access-code")
    number = page.locator("#number").inner_text().strip()
    code = page.locator("#access-code").inner_text().strip()
    assert page.locator("button.copy").first.is_visible()  # shown by track.js
    assert page.locator("#visibility").inner_text().startswith("Your appeal is public")
    shot(page, "true-state-confirmation")
    page.locator("button.copy[data-copy=access-code]").click()
    assert page.evaluate("navigator.clipboard.readText()") == code
    page.emulate_media(media="print")  # printed: the number and code, without the site's frame
    assert page.locator("header").is_hidden() and page.locator("button.print").is_hidden()
    assert page.locator("#access-code").is_visible()
    page.emulate_media(media="screen")
    page.locator("#track-link").click()  # the prefilled link: track.js posts the form
    page.wait_for_selector("#appeal-title")
    assert page.locator("#appeal-title").inner_text() == number
    assert page.locator(".situation .badge").inner_text() == "Being handled"
    first_due = _due(db, number)

    # Three working days past the department's term, before the worker's sweep: overdue.
    clock.set(_after(first_due, 3))
    for badge, words in _everywhere(page, base, number, code, "en"):
        assert badge == "Overdue by 3 working days"
        assert NAMES["en"][DEPARTMENT] in words
    report = sweep(db, settings, clock.now)
    assert report.escalated == 1
    public_badge, words = _public(page, base, number, "ru")
    assert public_badge == "Передано в вышестоящий орган"
    assert "поднято выше на 1 уровень" in words

    # The committee lets its term pass too: the sweep sends it to the ministry.
    clock.set(_after(_due(db, number), 1))
    assert sweep(db, settings, clock.now).escalated == 1
    for badge, words in _everywhere(page, base, number, code, "en", "&escalated=yes"):
        assert badge == "Escalated to the body above", words
        assert "Ministry of Health" in words
    _public_badge, words = _public(page, base, number, "en")
    assert "escalated 2 levels" in words

    # The ministry answers.
    clock.set(_after(clock.now.date(), 2))
    create_user(
        db, email="m@health.gov.kz", password="password-123", role="official",
        body_id=MINISTRY, actor=system("test"),
    )  # fmt: skip
    token = create_token(db, email="m@health.gov.kz", actor=system("test"))
    answer = page.request.post(
        f"{base}/api/v1/appeals/{number}/answer",
        data={"outcome": "explained", "text": "Базар тексерілді, бұзушылық табылмады."},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status == 200
    badge, words = _tracked(page, base, number, code, "kk")
    assert badge == "Жауап берілді: өтініш берушінің бағасы күтілуде"

    # The citizen disputes it: "no", then why, where it goes, confirm.
    page.check("input[name=resolved][value=no]")
    page.select_option("#rating", "2")
    page.locator("#feedback-form button[type=submit]").click()
    page.wait_for_selector("#dispute-form")
    nxt = _plain(page.locator("#next").inner_text())
    assert "Үкіметі" in nxt and "15 жұмыс күні" in nxt
    _no_sideways_scroll(page)
    shot(page, "true-state-dispute-step")
    page.fill("#reason", WHY)
    page.locator("#dispute-form button[type=submit]").click()
    page.wait_for_selector("#verdict")
    assert "Үкіметі" in page.locator("#verdict").inner_text()
    assert page.locator(".situation .badge").inner_text() == "Дау айтылды: жоғары жіберілді"
    reason = page.locator(".timeline .step-disputed .step-reason").inner_text()
    assert "[phone]" in reason and "234 56 78" not in page.content()

    # The Government lets its term pass: four working days overdue, then stalled at the top.
    clock.set(_after(_due(db, number), 4))
    expected = {
        "en": ("Overdue by 4 working days", "escalated 3 levels", "overdue by 4 working days"),
        "ru": (
            "Просрочено на 4 рабочих дня",
            "поднято выше на 3 уровня",
            "просрочено на 4 рабочих дня",
        ),
        "kk": (
            "Мерзімі 4 жұмыс күнге өтті",
            "3 деңгей жоғары жіберілді",
            "мерзімі 4 жұмыс күнге өтті",
        ),
    }
    for lang, (badge_text, levels, late) in expected.items():
        public, tracked, listed = _everywhere(page, base, number, code, lang, "&overdue=yes")
        for badge, words in (public, tracked):
            assert badge == badge_text and levels in words and late in words, (lang, words)
            assert NAMES[lang][GOVERNMENT] in words
        assert listed[0] == badge_text and NAMES[lang][GOVERNMENT] in listed[1]
        assert re.search(r"\b3\b", listed[1])  # the levels climbed, in its own column
    report = sweep(db, settings, clock.now)
    assert (report.escalated, report.stalled) == (0, 1)
    stalled = {
        "en": "Overdue at the top by 4 working days",
        "ru": "Просрочено на высшем уровне на 4 рабочих дня",
        "kk": "Ең жоғары деңгейде мерзімі 4 жұмыс күнге өтті",
    }
    for lang, badge_text in stalled.items():
        for badge, words in _everywhere(page, base, number, code, lang, "&overdue=yes"):
            assert badge == badge_text, (lang, words)
    shot(page, "true-state-list")

    # The history is told in words; the hashes wait behind "Verify this history".
    page.goto(f"{base}/appeals/{number}?lang=en")
    kinds = page.locator(".timeline li").evaluate_all("els => els.map(e => e.className)")
    assert kinds == [
        "step step-submitted",
        "step step-escalated",
        "step step-escalated",
        "step step-answered",
        "step step-disputed",
        "step step-escalated",
        "step step-stalled",
    ]
    assert not re.search(r"[0-9a-f]{64}", page.locator("main").inner_text())
    shot(page, "true-state-public")
    page.locator("a", has_text="Verify this history").click()
    page.wait_for_selector("ol.chain")
    assert page.locator("ol.chain li").count() == 7
    assert re.search(r"[0-9a-f]{64}", page.locator("ol.chain").inner_text())
    _no_sideways_scroll(page)

    assert errors == []
    assert all(code not in url for url in requested)  # the code never went into an address
    context.close()
