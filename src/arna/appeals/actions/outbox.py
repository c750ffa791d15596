"""Delivering the outbox: e-mails written in the same transaction as the change they report,
sent over SMTP after commit, retried with back-off. A failed e-mail never blocks an appeal.

A secret in an e-mail (the access code) is stored sealed beside it and revealed only into the
message handed to the SMTP server; once the e-mail is sent or given up, the sealed copy is
erased, so the database keeps no way to open the appeal."""

from __future__ import annotations

import json
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from sqlalchemy import select, update

from arna.appeals import notices
from arna.appeals.models import OutboxMessage
from arna.appeals.queries import pending_messages
from arna.core import sealing
from arna.core.db import Database
from arna.core.settings import Settings

MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=10)  # a claimed message is retried if its sender died mid-way


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes, at most 6 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    waiting: int = 0  # no SMTP server configured


def deliver(db: Database, settings: Settings, now: datetime, batch: int = 100) -> DeliveryReport:
    """Send due outbox messages: claim a batch (short transaction), send, record each result."""
    report = DeliveryReport()
    if not settings.smtp_host:
        with db.read() as session:
            report.waiting = pending_messages(session)
        return report
    while True:
        claimed = _claim(db, now, batch)
        if not claimed:
            return report
        with _Mailer(settings) as mailer:
            report = _deliver_claimed(db, settings, now, claimed, mailer, report)
        if len(claimed) < batch:
            return report


def _deliver_claimed(
    db: Database,
    settings: Settings,
    now: datetime,
    claimed: list[OutboxMessage],
    mailer: _Mailer,
    report: DeliveryReport,
) -> DeliveryReport:
    """Send each claimed message and record its result at once (a crash between the two sends
    that one message again, never the others)."""
    for message in claimed:
        error = _send(settings, message, mailer)
        with db.write() as session:
            if error is None:
                values = {"status": "sent", "sent_at": now, "last_error": None, "sealed": None}
                report.sent += 1
            elif message.attempts >= MAX_ATTEMPTS or error.startswith(_UNSEALABLE):
                values = {"status": "failed", "last_error": error, "sealed": None}
                report.failed += 1
            else:
                values = {
                    "next_attempt_at": now + backoff(message.attempts),
                    "last_error": error,
                }
                report.retried += 1
            session.execute(
                update(OutboxMessage).where(OutboxMessage.id == message.id).values(**values)
            )
    return report


def _claim(db: Database, now: datetime, batch: int) -> list[OutboxMessage]:
    with db.write() as session:
        rows = list(
            session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
                .order_by(OutboxMessage.id)
                .limit(batch)
                .with_for_update(skip_locked=True)
            )
        )
        for row in rows:
            row.attempts += 1
            row.next_attempt_at = now + LEASE
        session.flush()
        session.expunge_all()
        return rows


_UNSEALABLE = "sealed secret"


class _Mailer:
    """One SMTP connection for a batch of messages, opened on first use and opened again after
    an error (a connection per message cost the server a handshake, and TLS, each time)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> _Mailer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, email: EmailMessage) -> str | None:
        """None when the server took the message, else what went wrong."""
        try:
            if self.smtp is None:
                self.smtp = self._open()
            self.smtp.send_message(email)
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            return f"{type(exc).__name__}: {exc}"
        return None

    def _open(self) -> smtplib.SMTP:
        settings = self.settings
        smtp = smtplib.SMTP(settings.smtp_host or "", settings.smtp_port, timeout=15)
        try:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self.smtp is None:
            return
        smtp, self.smtp = self.smtp, None
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def _send(settings: Settings, message: OutboxMessage, mailer: _Mailer) -> str | None:
    try:
        secrets = json.loads(sealing.unseal(settings, message.sealed)) if message.sealed else {}
    except sealing.SecretUnavailable:
        return f"{_UNSEALABLE} cannot be opened with this installation's ARNA_SECRET_KEY"
    email = EmailMessage()
    email["From"] = settings.mail_from
    email["To"] = message.recipient
    email["Subject"] = notices.reveal(message.subject, secrets)
    email["Message-ID"] = make_msgid(idstring=f"arna-outbox-{message.id}")
    email.set_content(notices.reveal(message.body, secrets))
    return mailer.send(email)
