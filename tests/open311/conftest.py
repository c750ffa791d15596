"""One Arna per test on each backend, with an API key, and what tells whether anything was
written: the rows of appeals, their audit events, idempotency keys and e-mails."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from arna.accounts.actions import create_api_key
from arna.app import create_app
from arna.appeals.models import Appeal, IdempotencyKey, OutboxMessage
from arna.core.actors import system
from arna.core.audit import AuditEvent
from arna.core.db import Database
from arna.core.settings import Settings
from tests.conftest import DatabaseFactory

ROOT = "/open311/v2"
KURCHATOV = {"lat": "50.748", "long": "78.5671"}  # a point in Kurchatov, Abai Region
# A pothole reported as the spec's example request is, with Kazakhstan's values.
POTHOLE: dict[str, str] = {
    "service_code": "roads_local",
    **KURCHATOV,
    "address_string": "Курчатов, Абай көшесі 12",
    "email": "aigerim@example.kz",
    "device_id": "tt222111",
    "account_id": "123456",
    "first_name": "Айгерім",
    "last_name": "Сапарова",
    "phone": "+7 701 555 12 34",
    "description": "Жолда үлкен шұңқыр бар, көліктер бұзылады.",
    "media_url": "https://example.kz/pothole.jpg",
    "attribute[iin]": "900101300126",
}


@dataclass
class GeoEnv:
    db: Database
    settings: Settings
    client: TestClient
    key: str

    def post(self, fmt: str = "json", **fields: str) -> Any:
        return self.client.post(f"{ROOT}/requests.{fmt}", data={"api_key": self.key, **fields})

    def written(self) -> tuple[int, ...]:
        with self.db.read() as session:
            return tuple(
                session.scalar(select(func.count()).select_from(table)) or 0
                for table in (Appeal, AuditEvent, IdempotencyKey, OutboxMessage)
            )


@pytest.fixture
def geo(databases: DatabaseFactory) -> Iterator[GeoEnv]:
    db = databases.ready()
    settings = Settings(database_url=db.url)
    _, key = create_api_key(db, name="test client", actor=system("test"))
    with TestClient(create_app(settings, db=db), headers={"Accept-Language": "en"}) as client:
        yield GeoEnv(db, settings, client, key)
