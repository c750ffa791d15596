"""Notifications: rows in the outbox, written in the same transaction as the change they report,
sent by the worker over SMTP after commit, retried with back-off. A failed e-mail never blocks
an appeal."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from arna.appeals.models import OutboxMessage
from arna.core.db import Database
from arna.core.settings import Settings

MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=10)  # a claimed message is retried if its sender died mid-way

# event -> language -> (subject, body). Fields: number, body_name, due_date, status, outcome,
# reason, url, access_code.
TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "submitted": {
        "kk": (
            "Өтінішіңіз тіркелді: {number}",
            "Өтінішіңіз {number} нөмірімен тіркелді және «{body_name}» органына жіберілді.\n"
            "Жауап беру мерзімі: {due_date}.\nҚол жеткізу коды: {access_code}\n"
            "Бақылау: {url}",
        ),
        "ru": (
            "Ваше обращение зарегистрировано: {number}",
            "Ваше обращение зарегистрировано под номером {number} и направлено в "
            "«{body_name}».\nСрок ответа: {due_date}.\nКод доступа: {access_code}\n"
            "Отслеживание: {url}",
        ),
        "en": (
            "Your appeal is registered: {number}",
            "Your appeal is registered as {number} and sent to {body_name}.\n"
            "Answer due by {due_date}.\nAccess code: {access_code}\nTrack it: {url}",
        ),
    },
    "forwarded": {
        "kk": (
            "{number} өтініші басқа органға жіберілді",
            "{number} өтініші «{body_name}» органына жіберілді: {reason}\n"
            "Жаңа мерзім: {due_date}.\n{url}",
        ),
        "ru": (
            "Обращение {number} перенаправлено",
            "Обращение {number} перенаправлено в «{body_name}»: {reason}\n"
            "Новый срок: {due_date}.\n{url}",
        ),
        "en": (
            "Appeal {number} was forwarded",
            "Appeal {number} was forwarded to {body_name}: {reason}\n"
            "New due date: {due_date}.\n{url}",
        ),
    },
    "extended": {
        "kk": (
            "{number} өтінішінің мерзімі ұзартылды",
            "{number} өтінішін қарау мерзімі {due_date} дейін ұзартылды: {reason}\n{url}",
        ),
        "ru": (
            "Срок по обращению {number} продлён",
            "Срок рассмотрения обращения {number} продлён до {due_date}: {reason}\n{url}",
        ),
        "en": (
            "Appeal {number}: deadline extended",
            "The deadline of appeal {number} was extended to {due_date}: {reason}\n{url}",
        ),
    },
    "answered": {
        "kk": (
            "{number} өтінішіне жауап берілді",
            "«{body_name}» {number} өтінішіңізге жауап берді ({outcome}).\n"
            "Мәселе шешілді ме? Жауапты осы жерде бағалаңыз: {url}",
        ),
        "ru": (
            "Получен ответ на обращение {number}",
            "«{body_name}» ответил на ваше обращение {number} ({outcome}).\n"
            "Проблема решена? Оцените ответ: {url}",
        ),
        "en": (
            "Appeal {number} was answered",
            "{body_name} answered your appeal {number} ({outcome}).\n"
            "Is the problem solved? Rate the answer: {url}",
        ),
    },
    "escalated": {
        "kk": (
            "{number} өтініші жоғары органға берілді",
            "{number} өтініші «{body_name}» органына жоғары тұрған орган ретінде берілді: "
            "{reason}\nЖаңа мерзім: {due_date}.\n{url}",
        ),
        "ru": (
            "Обращение {number} передано вышестоящему органу",
            "Обращение {number} передано вышестоящему органу «{body_name}»: {reason}\n"
            "Новый срок: {due_date}.\n{url}",
        ),
        "en": (
            "Appeal {number} was escalated",
            "Appeal {number} was escalated to {body_name}: {reason}\n"
            "New due date: {due_date}.\n{url}",
        ),
    },
    "assigned": {
        "kk": (
            "Жаңа өтініш {number}",
            "Органыңызға {number} өтініші келді. Мерзімі: {due_date}.\n{url}",
        ),
        "ru": (
            "Новое обращение {number}",
            "В ваш орган поступило обращение {number}. Срок: {due_date}.\n{url}",
        ),
        "en": (
            "New appeal {number}",
            "Appeal {number} was assigned to your body. Due by {due_date}.\n{url}",
        ),
    },
    "reminder": {
        "kk": (
            "Еске салу: {number} мерзімі {due_date}",
            "{number} өтінішіне жауап беру мерзімі {due_date} аяқталады.\n{url}",
        ),
        "ru": (
            "Напоминание: срок по {number} — {due_date}",
            "Срок ответа на обращение {number} истекает {due_date}.\n{url}",
        ),
        "en": (
            "Reminder: appeal {number} is due {due_date}",
            "The answer to appeal {number} is due by {due_date}.\n{url}",
        ),
    },
}


def message(
    *,
    event: str,
    recipient: str,
    language: str,
    fields: dict[str, str],
    appeal_id: int | None,
    now: datetime,
) -> dict[str, object]:
    """An outbox row, rendered in the recipient's language (Kazakh when it has none)."""
    lang = language if language in TEMPLATES[event] else "kk"
    subject, body = TEMPLATES[event][lang]
    return {
        "created_at": now,
        "appeal_id": appeal_id,
        "event": event,
        "recipient": recipient,
        "language": lang,
        "subject": subject.format(**fields),
        "body": body.format(**fields),
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
    }


def queue(session: Session, **kwargs: Any) -> None:
    """Add one notification to the outbox inside the caller's transaction."""
    session.add(OutboxMessage(**message(**kwargs)))


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
            report.waiting = len(
                session.scalars(
                    select(OutboxMessage.id).where(OutboxMessage.status == "pending")
                ).all()
            )
        return report
    while True:
        claimed = _claim(db, now, batch)
        if not claimed:
            return report
        for message in claimed:
            error = _send(settings, message)
            with db.write() as session:
                if error is None:
                    values = {"status": "sent", "sent_at": now, "last_error": None}
                    report.sent += 1
                elif message.attempts >= MAX_ATTEMPTS:
                    values = {"status": "failed", "last_error": error}
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
        if len(claimed) < batch:
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


def _send(settings: Settings, message: OutboxMessage) -> str | None:
    email = EmailMessage()
    email["From"] = settings.mail_from
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(idstring=f"arna-outbox-{message.id}")
    email.set_content(message.body)
    try:
        with smtplib.SMTP(settings.smtp_host or "", settings.smtp_port, timeout=15) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password or "")
            smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None
