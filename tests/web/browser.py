"""Shared pieces of the browser tests: a real server on a loopback port, Debian's Chromium.

A test module calls `skip_without_browser()` first, then imports the fixtures it uses.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import uvicorn

from arna.accounts.actions import create_token, create_user
from arna.app import create_app
from arna.core.actors import system
from arna.core.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
REQUIRED = os.environ.get("ARNA_TEST_REQUIRE_BROWSER") == "1"


def skip_without_browser() -> None:
    """Skip the calling test module (or fail in CI) when Chromium is not installed."""
    if CHROMIUM.exists():
        return
    if REQUIRED:
        pytest.fail("ARNA_TEST_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing")
    pytest.skip(
        "browser tests skipped: /usr/bin/chromium is not installed", allow_module_level=True
    )


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


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """`app` served by uvicorn on a free loopback port in a thread, until the block ends;
    yields its base URL once it answers its health check."""
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{base}/api/v1/health", timeout=1).close()
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    try:
        yield base
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    from arna.core.db import Database
    from arna.maintenance.upgrade import upgrade

    folder = tmp_path_factory.mktemp("browser")
    db = Database(f"sqlite:///{folder / 'arna.db'}")
    upgrade(db)
    app = create_app(Settings(database_url=db.url), db=db)
    with serving(app) as base:
        yield base, db
    db.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


def shot(page: Page, name: str) -> None:
    """A full-page screenshot into test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def official_token(db: object, body_id: str, email: str, role: str = "official") -> str:
    """An account of the body (official or supervisor) and its API token."""
    create_user(
        db, email=email, password="password-123", role=role,  # type: ignore[arg-type]
        body_id=body_id, actor=system("test"),
    )  # fmt: skip
    return create_token(db, email=email, actor=system("test"))  # type: ignore[arg-type]
