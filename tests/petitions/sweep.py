"""The petitions' rows of the page sweep (tests/web/test_page_sweep.py): the ways a visitor opens
the pages that take a form first. Each returns the response of the document it lands on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page

from tests.petitions.conftest import iins

Open = Callable[[Page, str, str], Any]
# A petition's title and text in each language, as an author would write them.
PETITION_TEXTS = {
    "kk": (
        "Мектеп жанына жаяу жүргіншілер өткелін салу",
        "Семейдегі №12 мектептің жанындағы көшеде өткел жоқ, балалар жолды қауіпті жерден "
        "кесіп өтеді. Мектеп алдына реттелетін жаяу жүргіншілер өткелін салуды сұраймыз.",
    ),
    "ru": (
        "Построить пешеходный переход у школы №12",
        "На улице у школы №12 в Семее нет перехода, дети перебегают дорогу в опасном месте. "
        "Просим построить у школы регулируемый пешеходный переход.",
    ),
    "en": (
        "Build a pedestrian crossing by School No. 12",
        "There is no crossing on the street by School No. 12 in Semey, and children cross the "
        "road where it is dangerous. We ask for a signal-controlled crossing by the school.",
    ),
}
_signers = iter(iins(200, start=60_000))


def _url(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def _submit(page: Page, form: str) -> Any:
    with page.expect_navigation(wait_until="load") as nav:
        page.locator(f"{form} button[type=submit]").last.click()
    return nav.value


def new_with_errors(page: Page, base: str, lang: str) -> Any:
    page.goto(base + _url("/petitions/new", lang), wait_until="load")
    return _submit(page, "main form")


def file_by_form(page: Page, base: str, lang: str) -> Any:
    """The page with the number and the author's code, after the form is filled in."""
    title, text = PETITION_TEXTS[lang]
    page.goto(base + _url("/petitions/new", lang), wait_until="load")
    page.fill("#title", title)
    page.fill("#text", text)
    page.select_option("#addressee_id", "akimat-101000000")
    page.fill("#iin", iins(1, start=50_000)[0])
    page.fill("#first_name", "Сәуле")
    page.fill("#last_name", "Нұрланқызы")
    return _submit(page, "main form")


def sign_step(number: str) -> Open:
    """The confirmation page after the sign form of the petition's page."""

    def run(page: Page, base: str, lang: str) -> Any:
        page.goto(base + _url(f"/petitions/{number}", lang), wait_until="load")
        page.fill("#sign-iin", next(_signers))
        page.fill("#sign-first", "Айгерім")
        page.fill("#sign-last", "Сапарова")
        page.select_option("#sign-region", "750000000")
        return _submit(page, "form.sign-form")

    return run


def signed(number: str) -> Open:
    """The petition's page after both steps, saying the signature is counted."""
    first = sign_step(number)

    def run(page: Page, base: str, lang: str) -> Any:
        first(page, base, lang)
        return _submit(page, "main form")

    return run


def manage(number: str, code: str) -> Open:
    """The author's manage page opened with the code."""

    def run(page: Page, base: str, lang: str) -> Any:
        page.goto(base + _url(f"/petitions/{number}/manage", lang), wait_until="load")
        page.fill("#code", code)
        return _submit(page, "#manage-form")

    return run
