"""A citizen in a real browser (Debian's Chromium through Playwright), with JavaScript on and off.

Files an appeal in Kazakh, Russian and English; the official of the routed body answers
(through the API: the officials' pages come later); the citizen disputes the answer on the
track page and the appeal climbs to the body above. Hostile input is shown as text everywhere.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from arna.core.auth import create_token, create_user, system
from arna.core.settings import Settings
from arna.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
REQUIRED = os.environ.get("ARNA_TEST_REQUIRE_BROWSER") == "1"

if not CHROMIUM.exists():
    if REQUIRED:
        pytest.fail("ARNA_TEST_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing")
    pytest.skip(
        "browser tests skipped: /usr/bin/chromium is not installed", allow_module_level=True
    )

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

HOSTILE = '<script>window.pwned=1</script>"><img src=x onerror="window.pwned=1">'
TEXTS = {
    "kk": "Шымкентте Тұран ауданында жолда үлкен шұңқыр бар, көліктер бұзылып жатыр.",
    "ru": "В Шымкенте на улице Туран огромная яма на дороге, машины ломаются.",
    "en": "In Shymkent there is a huge pothole on Turan street, cars are getting damaged.",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    from arna.core.db import Database
    from arna.maintenance import upgrade

    folder = tmp_path_factory.mktemp("browser")
    db = Database(f"sqlite:///{folder / 'arna.db'}")
    upgrade(db)
    port = _free_port()
    app = create_app(Settings(database_url=db.url), db=db)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/api/v1/health", timeout=1).close()
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    yield base, db
    srv.should_exit = True
    thread.join(timeout=10)
    db.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _official_token(db: object, body_id: str, email: str) -> str:
    with db.write() as session:  # type: ignore[attr-defined]
        create_user(
            session, email=email, password="password-123", role="official",
            body_id=body_id, actor=system("test"),
        )  # fmt: skip
        return create_token(session, email=email, actor=system("test"))


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
    _shot(page, f"appeal-form-{tag}")
    # Submitting empty shows the errors next to their fields, in the page's language.
    page.get_by_role("button", name=page.locator("form button[type=submit]").inner_text()).click()
    assert page.locator("#text-error").is_visible()
    assert page.locator("#name-error").is_visible()
    _shot(page, f"appeal-form-errors-{tag}")

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
    _shot(page, f"appeal-created-{tag}")

    api = context.request  # the browser's own HTTP client, for the official's side
    mine = {"X-Access-Code": code}
    body_id = api.get(f"{base}/api/v1/appeals/{number}", headers=mine).json()["body"]["id"]
    token = _official_token(db, body_id, f"official-{tag}@example.kz")
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
    _shot(page, f"track-answered-{tag}")
    page.locator("input[name=resolved][value=no]").check()
    page.select_option("#rating", "2")
    page.locator("form[action='/track/feedback'] button").click()
    assert page.locator("[role=status]").is_visible()
    _shot(page, f"track-disputed-{tag}")

    after = api.get(f"{base}/api/v1/appeals/{number}", headers=mine).json()
    assert after["escalation_depth"] == 1
    assert after["body"]["id"] != body_id

    # Nothing the citizen or the official typed ran as code or became an element.
    assert dialogs == []
    if javascript:
        assert page.evaluate("window.pwned === undefined")
    assert page.locator("img[src=x]").count() == 0
    context.close()
