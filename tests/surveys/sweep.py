"""The surveys' rows of the page sweep (tests/web/test_page_sweep.py): the ways a visitor opens the
pages that take a form first. Each returns the response of the document it lands on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page

Open = Callable[[Page, str, str], Any]


def _url(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def respond_errors(number: str) -> Open:
    """The respondent's form sent empty: the required questions named at the top and by each
    question (422)."""

    def run(page: Page, base: str, lang: str) -> Any:
        page.goto(base + _url(f"/surveys/{number}/respond", lang), wait_until="load")
        with page.expect_navigation(wait_until="load") as nav:
            page.locator("#send").click()
        return nav.value

    return run
