"""The consultations' rows of the page sweep (tests/web/test_page_sweep.py): the ways a visitor
opens the pages that take a form first. Each returns the response of the document it lands on."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

from playwright.sync_api import Page

Open = Callable[[Page, str, str], Any]
# A statement of one's own in each language (numbered: the same words twice are refused).
STATEMENTS = {
    "kk": "Аялдамаларда кесте жазылған тақта болсын",
    "ru": "На остановках нужно табло с расписанием",
    "en": "Every stop should show the timetable",
}
_added = count(1)


def _url(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def _submit(page: Page, button: str) -> Any:
    with page.expect_navigation(wait_until="load") as nav:
        page.locator(button).first.click()
    return nav.value


def vote(number: str) -> Open:
    """The page after voting "agree" through its form (once every statement has the visitor's
    vote, the page that says so)."""

    def run(page: Page, base: str, lang: str) -> Any:
        shown = page.goto(base + _url(f"/consultations/{number}", lang), wait_until="load")
        if not page.locator("#vote-form button[value=agree]").count():
            return shown
        return _submit(page, "#vote-form button[value=agree]")

    return run


def statement_errors(number: str) -> Open:
    """The page after an empty statement was sent: the error beside the field (422)."""

    def run(page: Page, base: str, lang: str) -> Any:
        page.goto(base + _url(f"/consultations/{number}", lang), wait_until="load")
        return _submit(page, "#add-statement")

    return run


def statement_sent(number: str) -> Open:
    """The page after a statement was sent for moderation."""

    def run(page: Page, base: str, lang: str) -> Any:
        page.goto(base + _url(f"/consultations/{number}", lang), wait_until="load")
        page.fill("#text", f"{STATEMENTS[lang]} ({next(_added)})")
        return _submit(page, "#add-statement")

    return run


def open_with_errors(page: Page, base: str, lang: str) -> Any:
    """The workbench's consultations after the form to open one was sent empty (422)."""
    page.goto(base + _url("/official/consultations", lang), wait_until="load")
    return _submit(page, "#open-consultation")
