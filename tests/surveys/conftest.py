"""Surveys' test setting: the app on a fresh database (the appeals' `Env`), with the surveys'
router included here until `arna/app.py` includes it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from arna.app import API_PREFIX, create_app
from arna.core.settings import Settings
from arna.surveys.api import router
from tests.appeals.conftest import Env
from tests.conftest import DatabaseFactory


@pytest.fixture
def env(databases: DatabaseFactory) -> Iterator[Env]:
    db = databases.ready()
    settings = Settings(database_url=db.url)
    app = create_app(settings, db=db)
    if not any(getattr(r, "path", "").startswith(f"{API_PREFIX}/surveys") for r in app.routes):
        app.include_router(router, prefix=API_PREFIX)
    with TestClient(app) as client:
        yield Env(db, settings, client)
