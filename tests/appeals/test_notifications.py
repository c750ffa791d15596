"""Notifications through a real SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from sqlalchemy import select

from arna.appeals import queries
from arna.appeals.actions.submit import submit_appeal
from arna.appeals.actions.sweep import sweep
from arna.appeals.models import OutboxMessage
from arna.appeals.schemas import AppealCreate
from arna.core.settings import Settings
from tests.appeals.conftest import ROAD_IN_KURCHATOV, Inbox, free_port
from tests.conftest import DatabaseFactory


def _submit(db: Any, settings: Settings, language: str, now: datetime) -> tuple[str, str]:
    data = AppealCreate.model_validate({**ROAD_IN_KURCHATOV, "language": language})
    created, _ = submit_appeal(db, settings, data, now=now)
    return created.number, created.access_code


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("kk", "Өтінішіңіз тіркелді"),
        ("ru", "Ваше обращение зарегистрировано"),
        ("en", "Your appeal is registered"),
    ],
)
def test_applicant_gets_mail_in_their_language(
    databases: DatabaseFactory, smtp: tuple[Inbox, int], language: str, subject: str
) -> None:
    inbox, port = smtp
    db = databases.ready()
    settings = Settings(database_url=db.url, smtp_host="127.0.0.1", smtp_port=port)
    now = datetime.now(UTC)
    number, code = _submit(db, settings, language, now)
    report = sweep(db, settings, now)
    assert report.sent == 1
    mail = inbox.messages[0]
    assert mail["To"] == "aigerim@example.kz"
    assert subject in str(mail["Subject"]) and number in str(mail["Subject"])
    assert isinstance(mail, EmailMessage)
    body = mail.get_content()
    assert code in body and number in body
    # The due date reads as a date in the applicant's language, not as 2026-12-21.
    assert re.search(r"\d{4}-\d{2}-\d{2}", body) is None
    assert sweep(db, settings, now).sent == 0  # delivered once


def test_failed_delivery_is_retried_with_backoff_and_never_blocks(
    databases: DatabaseFactory, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    db = databases.ready()
    dead = Settings(database_url=db.url, smtp_host="127.0.0.1", smtp_port=free_port())
    now = datetime.now(UTC)
    number, _ = _submit(db, dead, "kk", now)
    first = sweep(db, dead, now)
    assert first.retried == 1 and first.sent == 0
    with db.read() as session:
        message = session.scalars(select(OutboxMessage)).one()
        assert message.attempts == 1 and message.status == "pending"
        assert message.next_attempt_at > now and "Connection" in (message.last_error or "")
    assert sweep(db, dead, now).retried == 0  # not due yet: backing off
    with db.read() as session:  # the appeal itself went on as normal
        assert queries.require_appeal(session, number).status == "registered"
    alive = Settings(database_url=db.url, smtp_host="127.0.0.1", smtp_port=port)
    later = sweep(db, alive, now + timedelta(minutes=5))
    assert later.sent == 1
    assert number in str(inbox.messages[0]["Subject"])


def test_without_smtp_mail_waits_in_the_outbox(databases: DatabaseFactory) -> None:
    db = databases.ready()
    settings = Settings(database_url=db.url)
    now = datetime.now(UTC)
    _submit(db, settings, "ru", now)
    assert sweep(db, settings, now).waiting == 1
