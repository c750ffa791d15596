"""No access code, password or token is stored readable: not in the appeals, not in the outbox
e-mails (sent or waiting), not in the responses kept for idempotent retries, not anywhere in the
database file."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from arna.accounts.actions import create_token, create_user
from arna.app import create_app
from arna.appeals import demo
from arna.appeals.actions.sweep import sweep
from arna.appeals.models import IdempotencyKey, OutboxMessage
from arna.core.actors import system
from arna.core.db import Database
from arna.core.settings import Settings
from arna.models import Base
from tests.appeals.conftest import ROAD_IN_KURCHATOV, Inbox
from tests.conftest import DatabaseFactory


def _everything_stored(db: Database) -> str:
    """Every value of every row of every table, as text."""
    parts: list[str] = []
    with db.read() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)):
                parts.extend(str(value) for value in row)
    return "\n".join(parts)


def _database_files(url: str) -> bytes:
    path = Path(url.removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*") if p.is_file())


def _spy_codes(monkeypatch: pytest.MonkeyPatch, codes: list[str]) -> None:
    real: Callable[..., Any] = demo.submit_appeal

    def submit(*args: Any, **kwargs: Any) -> Any:
        created, replay = real(*args, **kwargs)
        codes.append(created.access_code)
        return created, replay

    monkeypatch.setattr(demo, "submit_appeal", submit)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_demo_season_and_a_test_run_leave_no_secret_readable(
    databases: DatabaseFactory,
    smtp: tuple[Inbox, int],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    inbox, port = smtp
    db = databases.ready()
    settings = Settings(database_url=db.url, data_dir=tmp_path / "var")
    codes: list[str] = []
    _spy_codes(monkeypatch, codes)
    monkeypatch.setattr(demo, "DAYS", 12)
    demo.seed(db, 7, date(2026, 11, 27), settings=settings)
    assert len(codes) > 20

    password = "a-password-nobody-may-read"
    create_user(
        db, email="reader@example.kz", password=password, role="admin", body_id=None,
        actor=system("test"),
    )  # fmt: skip
    token = create_token(db, email="reader@example.kz", actor=system("test"))
    with TestClient(create_app(settings, db=db)) as client:
        key = {"Idempotency-Key": "secrets-at-rest-1"}
        first = client.post("/api/v1/appeals", json=ROAD_IN_KURCHATOV, headers=key)
        again = client.post("/api/v1/appeals", json=ROAD_IN_KURCHATOV, headers=key)
        assert first.status_code == 201 and again.is_success, again.text
        assert again.json() == first.json()  # the retry gets the same code back
        code = first.json()["access_code"]
        codes.append(code)
        number = first.json()["number"]
        assert client.get(f"/api/v1/appeals/{number}", headers={"X-Access-Code": code}).is_success
        listed = client.get("/api/v1/appeals", headers={"Authorization": f"Bearer {token}"})
        assert listed.is_success
        form = client.get("/official/login").text
        login_csrf = re.search(r'name="csrf" value="([^"]+)"', form)
        assert login_csrf
        signed = client.post(
            "/official/login",
            data={"email": "reader@example.kz", "password": password, "csrf": login_csrf[1]},
            follow_redirects=False,
        )
        assert signed.status_code == 303, signed.text
        session_cookie = client.cookies["arna_session"]
        page = client.get("/official/").text
        session_csrf = re.search(r'name="csrf" value="([^"]+)"', page)

    secrets = [*codes, password, token, session_cookie]
    if session_csrf:
        secrets.append(session_csrf[1])
    with db.read() as session:
        waiting = session.scalar(select(OutboxMessage).where(OutboxMessage.event == "submitted"))
        assert waiting is not None and waiting.sealed  # the code waits sealed
        stored_key = session.get(IdempotencyKey, "secrets-at-rest-1")
        assert stored_key is not None and stored_key.sealed_code
    stored = _everything_stored(db)
    assert [s for s in secrets if s in stored] == []
    raw = _database_files(db.url)
    assert [s for s in secrets if s.encode() in raw] == []

    # Sent: the applicant got the code; the database kept no way to open the appeal.
    mailing = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})
    report = sweep(db, mailing, datetime.now(UTC))
    assert report.sent > 0
    sent_codes = [
        c
        for m in inbox.messages
        if isinstance(m, EmailMessage)
        for c in codes
        if c in m.get_content()
    ]
    assert code in sent_codes and len(sent_codes) >= len(inbox.messages) // 3
    with db.read() as session:
        leftover = session.execute(
            text("SELECT count(*) FROM outbox WHERE status = 'sent' AND sealed IS NOT NULL")
        ).scalar_one()
        assert leftover == 0
    db.dispose()  # checkpoints the write-ahead log into the file
    assert [s for s in secrets if s.encode() in _database_files(db.url)] == []
