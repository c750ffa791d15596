"""The interactive API documentation works offline (issue 13, item 11): /api/v1/docs is Swagger
UI served from the package and started by a script file, under the site's CSP. Over HTTP every
asset it names is here; in Chromium it renders every operation of /api/v1/openapi.json without
a request to another host, a console error or a CSP violation.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from arna.app import create_app
from arna.core.db import Database
from arna.core.settings import Settings
from arna.web.headers import CSP
from tests.web.browser import browser, server, shot, skip_without_browser

__all__ = ["browser", "server"]  # fixtures used by name

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    from arna.maintenance.upgrade import upgrade

    db = Database(f"sqlite:///{tmp_path_factory.mktemp('docs') / 'arna.db'}")
    upgrade(db)
    return TestClient(create_app(Settings(database_url=db.url), db=db))


def test_the_docs_page_and_its_assets_are_served_from_the_package(client: TestClient) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == CSP  # the site's policy, unrelaxed
    assert "unsafe" not in CSP
    html = page.text
    assert "<script>" not in html and " style=" not in html  # no inline script or style
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/swagger-ui/swagger-ui-bundle.js" in assets
    assert "/static/swagger-ui/arna-docs.js" in assets
    assert 'data-url="/api/v1/openapi.json"' in html
    for url in assets:
        assert url.startswith("/"), url  # nothing from another host
        assert client.get(url).status_code == 200, url
    bundle = client.get("/static/swagger-ui/swagger-ui-bundle.js")
    assert len(bundle.content) > 500_000 and "sourceMappingURL" not in bundle.text[-500:]
    starter = client.get("/static/swagger-ui/arna-docs.js").text
    assert "validatorUrl: null" in starter  # no badge fetched from a validator elsewhere


def test_the_footer_links_the_docs(client: TestClient) -> None:
    for lang, text in (("en", "API documentation"), ("ru", "Документация API")):
        page = client.get(f"/?lang={lang}").text
        assert f'<a href="/api/v1/docs">{text}</a>' in page


@pytest.fixture(scope="module")
def chromium(request: pytest.FixtureRequest) -> Any:
    """The shared browser fixture, or a skip (a failure in CI) when Chromium is missing."""
    skip_without_browser()
    return request.getfixturevalue("browser")


@pytest.mark.parametrize("width", [390, 1280])
def test_swagger_ui_renders_every_operation_offline(
    server: tuple[str, Database], chromium: Any, client: TestClient, width: int
) -> None:
    base, _db = server
    spec = client.get("/api/v1/openapi.json").json()
    verbs = {"get", "post", "put", "patch", "delete"}
    operations = sum(1 for methods in spec["paths"].values() for m in methods if m in verbs)
    assert operations > 10
    context = chromium.new_context(viewport={"width": width, "height": 900})
    context.add_init_script(WATCH)
    page = context.new_page()
    requests: list[str] = []
    console: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: console.append(f"error: {e}"))
    page.goto(f"{base}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    page.wait_for_load_state("networkidle")
    assert page.locator(".opblock").count() == operations
    assert page.locator(".info .title").inner_text().startswith("Arna")
    # An operation opens with its parameters and responses.
    health = page.locator(".opblock", has_text="/api/v1/health").first
    health.locator(".opblock-summary").click()
    health.locator(".responses-wrapper").wait_for(timeout=5000)
    assert "200" in health.locator(".responses-wrapper").inner_text()
    assert [u for u in requests if not u.startswith(base + "/")] == []
    assert [m for m in console if m.startswith("error")] == []
    assert page.evaluate("window.__csp") == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"api-docs-{width}")
    context.close()
