"""A site served over a seeded database, on SQLite or PostgreSQL, for the oversight tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from arna.app import create_app
from arna.core.db import Database
from arna.core.settings import Settings
from tests.conftest import _factory


@dataclass
class Site:
    db: Database
    client: TestClient

    def get(self, url: str, lang: str = "en") -> Any:
        sep = "&" if "?" in url else "?"
        return self.client.get(f"{url}{sep}lang={lang}")


def serve(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    seed: Callable[[Database, Settings], None],
) -> Iterator[Site]:
    """The site of a module-scoped fixture parametrised by backend, seeded once."""
    factory = _factory(str(request.param), tmp_path_factory.mktemp("site"))
    db = factory.ready()
    settings = Settings(database_url=db.url)
    seed(db, settings)
    with TestClient(create_app(settings, db=db)) as client:
        yield Site(db, client)
    factory.close()
