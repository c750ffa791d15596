"""Every answer carries the security headers: pages, the API, static files, errors of every
kind (issue 12, defect 7); HSTS only over HTTPS."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from arna.app import create_app
from arna.core.db import Database
from arna.core.settings import Settings

EXPECTED = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


@pytest.fixture
def app(shared_db: Database) -> FastAPI:
    app = create_app(Settings(database_url=shared_db.url, max_request_bytes=4096), db=shared_db)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("an error nobody handles")

    return app


# The tracking pages hold an access code: they tell the browser to send no referrer at all.
NO_REFERRER = "/track"


def _assert_headers(response: object, https: bool = False) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    path = response.request.url.path  # type: ignore[attr-defined]
    for name, value in EXPECTED.items():
        if name == "referrer-policy" and path.startswith(NO_REFERRER):
            value = "no-referrer"
        assert headers.get(name) == value, (response, name)
    assert ("strict-transport-security" in headers) == https, response
    if https:
        assert headers["strict-transport-security"] == "max-age=31536000"


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/?lang=en", 200),
        ("GET", "/appeals/new", 200),
        ("GET", "/official/login", 200),
        ("GET", "/official/", 303),
        ("GET", "/track", 200),
        ("GET", "/api/v1/health", 200),
        ("GET", "/api/v1/regions", 200),
        ("GET", "/api/v1/openapi.json", 200),
        ("GET", "/static/arna.css", 200),
        ("GET", "/no-such-page", 404),
        ("GET", "/api/v1/no-such-thing", 404),
        ("GET", "/appeals/A-2026-999999", 404),
        ("GET", "/api/v1/clock/add?date=2026-02-30&days=1", 422),
        ("DELETE", "/api/v1/health", 405),
        ("POST", "/api/v1/appeals", 413),
        ("POST", "/appeals/new", 413),
        ("GET", "/boom", 500),
    ],
)
def test_every_answer_carries_the_security_headers(
    app: FastAPI, method: str, url: str, status: int
) -> None:
    body = b"x" * 5000 if status == 413 else None
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as client:
        response = client.request(method, url, content=body)
        assert response.status_code == status
        _assert_headers(response)
    with TestClient(
        app, base_url="https://testserver", raise_server_exceptions=False, follow_redirects=False
    ) as client:
        _assert_headers(client.request(method, url, content=body), https=True)


def test_no_page_has_inline_script_or_style(app: FastAPI) -> None:
    """What the policy would refuse: script bodies, style elements and attributes, handlers."""
    with TestClient(app) as client:
        for url in ("/?lang=en", "/appeals/new", "/official/login", "/track", "/appeals"):
            html = client.get(url).text
            assert "<style" not in html and " style=" not in html, url
            assert not re.search(r"<[^>]*\son[a-z]+\s*=", html), url
            for chunk in html.split("<script")[1:]:
                assert chunk.split(">", 1)[1].startswith("</script>"), url
