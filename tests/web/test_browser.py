"""A citizen in a real browser (Debian's Chromium through Playwright), with JavaScript on and off.

Files an appeal in Kazakh, Russian and English; the official of the routed body answers
(through the API: the officials' pages come later); the citizen disputes the answer on the
track page and the appeal climbs to the body above. Hostile input is shown as text everywhere.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import pytest

from tests.web.browser import skip_without_browser

skip_without_browser()

from playwright.sync_api import Browser  # noqa: E402

from tests.web.browser import (  # noqa: E402
    HOSTILE,
    TEXTS,
    browser,
    official_token,
    server,
    shot,
)

__all__ = ["browser", "server"]  # fixtures used by name


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
    assert page.locator("#text-error").is_visible()
    assert page.locator("#name-error").is_visible()
    shot(page, f"appeal-form-errors-{tag}")

    page.fill("#text", TEXTS[lang] + " " + HOSTILE)
    if javascript:  # the suggestion comes as you type
        page.locator("#suggestion strong").first.wait_for(timeout=5000)
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

    api = context.request  # the browser's own HTTP client, for the official's side
    mine = {"X-Access-Code": code}
    body_id = api.get(f"{base}/api/v1/appeals/{number}", headers=mine).json()["body"]["id"]
    token = official_token(db, body_id, f"official-{tag}@example.kz")
    answered = api.post(
        f"{base}/api/v1/appeals/{number}/answer",
        data={"outcome": "explained", "text": "Жол көктемде жөнделеді. " + HOSTILE},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answered.status == 200, answered.text()

    page.goto(f"{base}/track")
    page.fill("#number", number)
    page.fill("#code", code)
    page.locator("form.inline button").click()
    assert HOSTILE in page.locator("#answer").inner_text()  # shown as text, not markup
    shot(page, f"track-answered-{tag}")
    page.locator("input[name=resolved][value=no]").check()
    page.select_option("#rating", "2")
    page.locator("form[action='/track/feedback'] button").click()
    assert page.locator("[role=status]").is_visible()
    shot(page, f"track-disputed-{tag}")

    after = api.get(f"{base}/api/v1/appeals/{number}", headers=mine).json()
    assert after["escalation_depth"] == 1
    assert after["body"]["id"] != body_id

    # Nothing the citizen or the official typed ran as code or became an element.
    assert dialogs == []
    if javascript:
        assert page.evaluate("window.pwned === undefined")
    assert page.locator("img[src=x]").count() == 0
    context.close()
