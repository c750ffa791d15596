"""The Content-Security-Policy breaks no page (issue 12, defect 7): Debian's Chromium walks the
main pages with JavaScript on (the appeal form's live suggestion, the maps, the workbench) and
reports every violation the policy causes, from the console and from `securitypolicyviolation`
events.
"""

from __future__ import annotations

from typing import Any

from tests.web.browser import skip_without_browser

skip_without_browser()

from playwright.sync_api import Browser, Page  # noqa: E402

from arna.core.db import Database  # noqa: E402
from arna.core.settings import Settings  # noqa: E402
from tests.web.browser import TEXTS, browser, official_token, server  # noqa: E402
from tests.web.test_public_pages import seed  # noqa: E402

__all__ = ["browser", "server"]  # fixtures used by name

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def _violations(page: Page, console: list[str]) -> list[str]:
    found = [m for m in console if "Content Security Policy" in m or "Refused to" in m]
    return found + list(page.evaluate("window.__csp || []"))


def test_the_main_pages_cause_no_csp_violation(
    server: tuple[str, Database], browser: Browser
) -> None:
    base, db = server
    numbers = seed(db, Settings(database_url=db.url))
    context = browser.new_context()
    context.add_init_script(WATCH)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    seen: dict[str, list[str]] = {}

    def visit(url: str, then: Any = None) -> None:
        console.clear()
        page.goto(f"{base}{url}")
        if then is not None:
            then()
        page.wait_for_load_state("networkidle")
        seen[url] = _violations(page, console)

    visit("/?lang=en", lambda: page.wait_for_selector(".map[data-ready=true]"))
    visit("/regions/790000000", lambda: page.wait_for_selector(".map[data-ready=true]"))
    page.locator(".map path.leaflet-interactive").first.click(force=True)
    page.locator(".leaflet-popup-content").wait_for()
    seen["/regions/790000000 (popup)"] = _violations(page, console)
    visit("/bodies/akimat-790000000")
    visit("/appeals")
    visit(f"/appeals/{numbers['overdue']}")
    visit("/no-such-page")

    def file_appeal() -> None:
        page.fill("#text", TEXTS["en"])
        page.locator("#suggestion strong").first.wait_for(timeout=15_000)  # htmx swapped it in

    visit("/appeals/new?lang=en", file_appeal)
    page.fill("#name", "Aigerim")
    page.fill("#email", "aigerim@example.kz")
    page.locator("form button[type=submit]").click()
    number = page.locator("#number").inner_text()
    code = page.locator("#access-code").inner_text()
    seen["/appeals/new (created)"] = _violations(page, console)

    def track() -> None:
        page.fill("#number", number)
        page.fill("#code", code)
        page.locator("form.inline button").click()

    visit("/track", track)

    body = context.request.get(f"{base}/api/v1/appeals/{number}", headers={"X-Access-Code": code})
    official_token(db, body.json()["body"]["id"], "csp-official@example.kz")

    def log_in() -> None:
        page.fill("#email", "csp-official@example.kz")
        page.fill("#password", "password-123")
        page.locator("form button[type=submit]").click()
        page.wait_for_url(f"{base}/official/")

    visit("/official/login", log_in)
    visit(f"/official/appeals/{number}")
    visit("/official/overview")
    context.close()
    assert {url: found for url, found in seen.items() if found} == {}
    assert len(seen) == 13
