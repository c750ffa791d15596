"""A survey from questionnaire to weighted figures through the pages, in Debian's Chromium against a
real server on SQLite, once in each language at 390 px.

An analyst (an official) signs in, opens the surveys of the workbench from its navigation,
uploads the demo's XLSForm (the trust block, kk/ru/en labels), uploads a Kobo CSV of 1,500
responses, weighs them, and reads the public page: weighted, n, effective n and design effect,
each answer's share with its 95 % interval in a table and drawn on the server, the method beside
the figures, the trust index month by month. A respondent with JavaScript off then answers the
web form: a required question left out is named at the top and by the question, the answers
typed are kept, and once corrected the thank-you page comes. Every text checked is the
catalog's, in the page's language; no page scrolls sideways, and nothing is asked of another host.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.web.browser import skip_without_browser

skip_without_browser()

from arna.accounts.actions import create_user  # noqa: E402
from arna.app import create_app  # noqa: E402
from arna.core.actors import system  # noqa: E402
from arna.core.db import Database  # noqa: E402
from arna.core.i18n import translate  # noqa: E402
from arna.core.settings import Settings  # noqa: E402
from arna.maintenance.upgrade import upgrade  # noqa: E402
from arna.surveys import demo  # noqa: E402
from tests.surveys.making import csv_of, generated  # noqa: E402
from tests.web.browser import browser, serving, shot  # noqa: E402

__all__ = ["browser"]  # fixtures used by name

LANGS = ("kk", "ru", "en")
PASSWORD = "password-123"
TITLES = {"kk": "Институттарға сенім", "ru": "Доверие институтам", "en": "Trust in institutions"}
POLICE = {"kk": "Полиция: сенім", "ru": "Полиция: доверие", "en": "Trust: The police"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("surveys")
    db = Database(f"sqlite:///{folder / 'arna.db'}")
    upgrade(db)
    for lang in LANGS:
        create_user(
            db, email=f"analyst.{lang}@akimat.kz", password=PASSWORD, role="official",
            body_id="akimat-790000000", actor=system("test"),
        )  # fmt: skip
    with serving(create_app(Settings(database_url=db.url), db=db)) as base:
        yield base
    db.dispose()


def _words(message: str, lang: str, **values: str) -> str:
    """A catalog message as the page shows it in `lang` (translated in kk and ru)."""
    shown = translate(message, lang)
    assert lang == "en" or shown != message, f"{message!r} is not translated in {lang}"
    return shown % values if values else shown.replace("%%", "%")


def _plain(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def _submit(page: Any, selector: str) -> Any:
    with page.expect_navigation(wait_until="load") as nav:
        page.locator(selector).first.click()
    return nav.value


def _analyst(context: Any, base: str, lang: str) -> tuple[Any, str]:
    """Signs in, loads the questionnaire, imports the responses and weighs: (page, number)."""
    page = context.new_page()
    page.goto(f"{base}/official/login?lang={lang}")
    page.fill("input[name=email]", f"analyst.{lang}@akimat.kz")
    page.fill("input[name=password]", PASSWORD)
    _submit(page, "main form button[type=submit]")
    assert urlsplit(page.url).path == "/official/"
    _submit(page, "nav.workbench a[href='/official/surveys']")
    heading = _words("Surveys: questionnaires and responses", lang)
    assert _plain(page.locator("h1").inner_text()) == heading
    _no_sideways_scroll(page)

    form = {
        "name": "trust.xlsx",
        "mimeType": "application/octet-stream",
        "buffer": demo.form_xlsx(),
    }
    page.set_input_files("#form-file", form)
    page.fill("#form-title", TITLES[lang])
    _submit(page, "#create")
    number = re.search(r"S-\d{4}-\d{6}", page.locator("#done").inner_text())
    assert number, page.locator("#done").inner_text()
    card = page.locator(f"#survey-{number.group(0)}")
    assert _plain(card.locator("h3").inner_text()) == TITLES[lang]

    rows = csv_of(generated(1500, seed=LANGS.index(lang) + 1))
    card.locator("input[type=file]").set_input_files(
        {"name": "kobo.csv", "mimeType": "text/csv", "buffer": rows}
    )
    _submit(page, f"#survey-{number.group(0)} .import-form button[type=submit]")
    done = _words(
        "Imported: %(added)s new responses, %(already)s already there. Weigh the survey again "
        "to count them.", lang, added="1 500" if lang != "en" else "1,500", already="0",
    )  # fmt: skip
    assert _plain(page.locator("#done").inner_text()) == _plain(done)
    _submit(page, f"#survey-{number.group(0)} .weigh-form button[type=submit]")
    weighed = _words("Weighted: the public figures now use the new weights.", lang)
    assert _plain(page.locator("#done").inner_text()) == weighed
    _no_sideways_scroll(page)
    shot(page, f"surveys-workbench-{lang}")
    return page, number.group(0)


@pytest.mark.parametrize("lang", LANGS)
def test_an_analyst_weighs_a_survey_and_a_respondent_answers_it(
    site: str, browser: Any, lang: str
) -> None:
    base = site
    context = browser.new_context(viewport={"width": 390, "height": 900})
    foreign: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(base) else None)
    context.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page, number = _analyst(context, base, lang)

    # the public page: weighted figures with their intervals, drawn on the server
    page.goto(f"{base}/surveys/{number}?lang={lang}")
    assert _plain(page.locator("h1").inner_text()) == TITLES[lang]
    weighted = _plain(page.locator("#weighting").inner_text())
    said = re.escape(_words("Weighted on %(date)s", lang, date="DATE")).replace("DATE", ".+")
    assert re.fullmatch(said, weighted), weighted
    assert not page.locator("#unweighted").count()
    assert float(_plain(page.locator("#deff").inner_text()).replace(",", ".")) > 1
    police = page.locator("section.question", has=page.locator(f"h3:text-is('{POLICE[lang]}')"))
    chart = police.locator("svg.survey-chart")
    assert chart.is_visible() and chart.get_attribute("role") == "img"
    assert chart.locator("rect.bar").count() == 5 and chart.locator("line.whisker").count() == 15
    box = chart.bounding_box()
    assert box is not None and 300 < box["width"] <= 390
    table = police.locator("table.shares")
    assert table.locator("tbody tr").count() == 5
    first = [_plain(t) for t in table.locator("tbody tr").first.locator("td").all_inner_texts()]
    share, moe, interval = first
    assert re.fullmatch(r"\d+[.,]\d ?%", share) and re.fullmatch(r"\d+[.,]\d", moe), first
    assert len(re.findall(r"\d+[.,]\d ?%", interval)) == 2, interval
    method = _plain(police.locator(".method-note").inner_text())
    assert "1.96·√(deff·p(1−p)/n)" in method and "docs/methodology.md#surveys" in method
    assert page.locator("#trust svg.survey-trend").count() == 7
    assert page.locator("#trust-table tbody tr").count() == 7
    assert _words("Trust in institutions", lang) == _plain(
        page.locator("#trust-title").inner_text()
    )
    _no_sideways_scroll(page)
    shot(page, f"surveys-results-{lang}")

    # a respondent, without JavaScript, answers the web form
    visitor = browser.new_context(viewport={"width": 390, "height": 900}, java_script_enabled=False)
    visitor.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(base) else None)
    form = visitor.new_page()
    form.goto(f"{base}/surveys/{number}?lang={lang}")
    _submit(form, "#respond-link")
    heading = _words("Answer the survey: %(title)s", lang, title=TITLES[lang])
    assert _plain(form.locator("h1").inner_text()) == heading
    form.locator("input[name=region][value='750000000']").check()
    form.locator("input[name=sex][value=female]").check()
    form.fill("input[name=age]", "41")
    form.locator("input[name=issues][value=roads]").check()
    for question in demo.BLOCK:
        form.locator(f"input[name={question}][value='3']").check()
    _no_sideways_scroll(form)
    refused = _submit(form, "#send")  # the settlement left out: it is required
    assert refused.status == 422
    summary = _plain(form.locator("#errors").inner_text())
    assert _words("Answer this question: it is required.", lang) in summary
    assert form.locator("#errors").get_attribute("role") == "alert"
    assert form.locator("input[name=age]").input_value() == "41"
    assert form.locator("input[name=sex][value=female]").is_checked()
    form.locator("input[name=settlement][value=rural]").check()
    done = _submit(form, "#send")
    assert done.status == 200 and urlsplit(form.url).path == f"/surveys/{number}/thanks"
    assert _plain(form.locator("h1").inner_text()) == _words("Thank you for answering", lang)
    _no_sideways_scroll(form)
    page.goto(f"{base}/surveys/{number}?lang={lang}")
    assert _plain(page.locator("#responses").inner_text()) in ("1 501", "1,501")
    assert page.locator("#stale").is_visible()  # the new response waits for the next weighting

    assert foreign == [], f"requests to other hosts: {foreign}"
    assert errors == [], errors
    visitor.close()
    context.close()
