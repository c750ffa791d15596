"""The whole flow in a real browser (Debian's Chromium through Playwright), JavaScript on and off.

A citizen files an appeal in Kazakh, Russian and English; the official of the routed body logs
in and answers; the citizen disputes the answer on the track page and the appeal climbs to the
body above, whose supervisor sees it. Hostile input is shown as text everywhere.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import pytest

from tests.web.browser import skip_without_browser

skip_without_browser()

from playwright.sync_api import Browser, Page, expect  # noqa: E402

from tests.web.browser import (  # noqa: E402
    HOSTILE,
    TEXTS,
    browser,
    official_token,
    server,
    shot,
)

__all__ = ["browser", "server"]  # fixtures used by name


def _log_in(page: Page, base: str, lang: str, email: str) -> None:
    page.goto(f"{base}/official/login?lang={lang}")
    page.fill("#email", email)
    page.fill("#password", "password-123")
    page.locator("form button[type=submit]").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_citizen_files_tracks_and_disputes(
    server: tuple[str, object], browser: Browser, lang: str, javascript: bool
) -> None:
    base, db = server
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tag = f"{lang}-{'js' if javascript else 'nojs'}"

    page.goto(f"{base}/appeals/new?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    shot(page, f"appeal-form-{tag}")
    # Submitting empty shows the errors next to their fields, in the page's language.
    page.get_by_role("button", name=page.locator("form button[type=submit]").inner_text()).click()
    expect(page.locator("#text-error")).to_be_visible()
    expect(page.locator("#name-error")).to_be_visible()
    shot(page, f"appeal-form-errors-{tag}")

    page.fill("#text", TEXTS[lang] + " " + HOSTILE)
    if javascript:  # the suggestion comes as you type (slowly on a CI machine under load)
        page.locator("#suggestion strong").first.wait_for(timeout=15_000)
    page.fill("#name", "Айгерім " + HOSTILE)
    page.fill("#email", "aigerim@example.kz")
    page.locator("form button[type=submit]").click()
    number = page.locator("#number").inner_text()
    code = page.locator("#access-code").inner_text()
    assert number.startswith("A-")
    assert (
        "Шымкент" in page.locator("#body").inner_text()
        or "Shymkent" in page.locator("#body").inner_text()
    )
    shot(page, f"appeal-created-{tag}")

    api = context.request  # the browser's own HTTP client, to check what the API says
    mine = {"X-Access-Code": code}
    body_id = api.get(f"{base}/api/v1/appeals/{number}", headers=mine).json()["body"]["id"]

    # The official of the routed body logs in, finds it in the inbox and answers.
    official = browser.new_context(java_script_enabled=javascript)
    desk = official.new_page()
    desk.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    official_token(db, body_id, f"official-{tag}@example.kz")
    _log_in(desk, base, lang, f"official-{tag}@example.kz")
    assert desk.url.endswith("/official/")
    shot(desk, f"official-inbox-{tag}")
    desk.get_by_role("link", name=number).click()
    assert HOSTILE in desk.locator("#appeal-text").inner_text()
    desk.select_option("#outcome", "explained")
    desk.fill("#answer-text", "Жол көктемде жөнделеді. " + HOSTILE)
    desk.locator("form[action$='/answer'] button").click()
    expect(desk.locator("[role=status]")).to_be_visible()
    shot(desk, f"official-answered-{tag}")

    page.goto(f"{base}/track")
    page.fill("#number", number)
    page.fill("#code", code)
    page.locator("form.inline button").click()
    assert HOSTILE in page.locator("#answer").inner_text()  # shown as text, not markup
    shot(page, f"track-answered-{tag}")
    page.locator("input[name=resolved][value=no]").check()
    page.select_option("#rating", "2")
    page.locator("form[action='/track/feedback'] button").click()
    # "Not solved" asks why and says where the appeal goes before anything happens.
    page.fill("#reason", "Шұңқыр әлі де бар, ешкім келген жоқ.")
    shot(page, f"track-dispute-confirm-{tag}")
    page.locator("#dispute-form button[type=submit]").click()
    expect(page.locator("[role=status]")).to_be_visible()
    shot(page, f"track-disputed-{tag}")

    after = api.get(f"{base}/api/v1/appeals/{number}", headers=mine).json()
    assert after["escalation_depth"] == 1
    assert after["body"]["id"] != body_id

    # The supervisor of the body above sees the escalation in the overview.
    official_token(db, after["body"]["id"], f"supervisor-{tag}@example.kz", role="supervisor")
    desk.locator("nav.workbench form.logout button").click()
    _log_in(desk, base, lang, f"supervisor-{tag}@example.kz")
    desk.goto(f"{base}/official/overview")
    expect(desk.get_by_role("link", name=number)).to_be_visible()
    shot(desk, f"supervisor-overview-{tag}")
    official.close()

    # Nothing the citizen or the official typed ran as code or became an element.
    assert dialogs == []
    if javascript:
        assert page.evaluate("window.pwned === undefined")
    assert page.locator("img[src=x]").count() == 0
    context.close()


def test_keyboard_alone_files_an_appeal(server: tuple[str, object], browser: Browser) -> None:
    base, _ = server
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/appeals/new?lang=kk")
    reached: list[str] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id || document.activeElement.tagName")
        reached.append(focused)
        if focused == "text":
            page.keyboard.type(TEXTS["kk"])
        elif focused == "name":
            page.keyboard.type("Айгерім")
        elif focused == "BUTTON":
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none"  # focus is visible
            page.keyboard.press("Enter")
            break
    fields = ["text", "kind", "category", "region", "district", "name", "email", "phone", "iin"]
    assert [f for f in reached if f in fields] == fields
    assert page.locator("#number").inner_text().startswith("A-")
    context.close()


def test_officials_reasons_are_text_on_the_public_page(
    server: tuple[str, object], browser: Browser
) -> None:
    base, db = server
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/appeals/new?lang=ru")
    page.fill("#text", TEXTS["ru"])
    page.fill("#name", "Иван")
    page.locator("form button[type=submit]").click()
    number = page.locator("#number").inner_text()
    code = page.locator("#access-code").inner_text()
    body_id = context.request.get(
        f"{base}/api/v1/appeals/{number}", headers={"X-Access-Code": code}
    ).json()["body"]["id"]
    official_token(db, body_id, "reasons@example.kz")
    _log_in(page, base, "ru", "reasons@example.kz")
    page.goto(f"{base}/official/appeals/{number}")
    page.fill("#until", page.locator("#until").get_attribute("max") or "")
    page.fill("#extend-reason", "Нужна экспертиза " + HOSTILE)
    page.locator("form[action$='/extend'] button").click()
    expect(page.locator("[role=status]")).to_be_visible()
    page.select_option("#forward-body", index=1)  # nothing is chosen for the official
    page.fill("#forward-reason", "Не наша дорога " + HOSTILE)
    page.locator("form[action$='/forward'] button").click()
    expect(page.locator("[role=status]")).to_be_visible()
    page.goto(f"{base}/appeals/{number}?lang=ru")
    shot(page, "public-appeal-with-reasons")
    assert HOSTILE in page.locator("main").inner_text()
    assert page.locator("img[src=x]").count() == 0
    assert page.evaluate("window.pwned === undefined")
    assert dialogs == []
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_hostile_input_in_every_field_is_only_text(
    server: tuple[str, object], browser: Browser, javascript: bool
) -> None:
    base, _ = server
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/appeals/new?lang=en")
    for field in ("#text", "#name", "#email", "#phone", "#iin"):
        page.fill(field, HOSTILE)
    page.locator("form button[type=submit]").click()
    # Rejected (the e-mail, phone and IIN are not valid) and every value comes back as typed.
    expect(page.locator("#email-error")).to_be_visible()
    for field in ("#text", "#name", "#email", "#phone", "#iin"):
        assert page.locator(field).input_value() == HOSTILE
    page.goto(f"{base}/track")
    page.fill("#number", HOSTILE)
    page.fill("#code", HOSTILE)
    page.locator("form.inline button").click()
    assert page.locator("#number").input_value() == HOSTILE
    page.goto(f"{base}/appeals?category={HOSTILE}&region={HOSTILE}")
    page.goto(f"{base}/official/login")
    page.fill("#email", HOSTILE)
    page.fill("#password", HOSTILE)
    page.locator("form button[type=submit]").click()
    assert page.locator("#email").input_value() == HOSTILE
    assert page.locator("img[src=x]").count() == 0
    if javascript:
        assert page.evaluate("window.pwned === undefined")
    assert dialogs == []
    context.close()
