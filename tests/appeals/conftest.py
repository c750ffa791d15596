from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
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


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()
