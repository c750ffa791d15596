from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from arna.accounts.actions import create_token, create_user
from arna.app import create_app
from arna.appeals.models import Appeal
from arna.core.actors import system
from arna.core.db import Database
from arna.core.settings import Settings
from tests.conftest import DatabaseFactory

# A district road in Kurchatov (a city of oblast significance in Abai Region).
ROAD_IN_KURCHATOV = {
    "text": "Курчатов қаласында жолда үлкен шұңқыр бар, көліктер бұзылады.",
    "kind": "complaint",
    "kato": "101800000",
    "applicant": {"name": "Айгерім Сапарова", "email": "aigerim@example.kz"},
}


@dataclass
class Env:
    db: Database
    settings: Settings
    client: TestClient

    def token(self, role: str, body: str | None, email: str) -> str:
        create_user(
            self.db,
            email=email,
            password="password-123",
            role=role,
            body_id=body,
            actor=system("test"),
        )
        return create_token(self.db, email=email, actor=system("test"))

    def auth(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def count(self) -> int:
        with self.db.read() as session:
            return session.scalar(select(func.count()).select_from(Appeal)) or 0


@pytest.fixture
def env(databases: DatabaseFactory) -> Iterator[Env]:
    db = databases.ready()
    settings = Settings(database_url=db.url)
    with TestClient(create_app(settings, db=db)) as client:
        yield Env(db, settings, client)
