"""The e-mails an appeal's changes send: their texts (English here, Kazakh and Russian in the
catalogs), rendered into outbox rows in the recipient's language.

Fields of the texts: number, body_name, due_date, status, outcome, reason, url, access_code.
"""

from __future__ import annotations

from datetime import datetime

from arna.core.i18n import LANGUAGES, N_, translate

# event -> (subject, body)
TEXTS: dict[str, tuple[str, str]] = {
    "submitted": (
        N_("Your appeal is registered: {number}"),
        N_(
            "Your appeal is registered as {number} and sent to {body_name}.\n"
            "Answer due by {due_date}.\nAccess code: {access_code}\nTrack it: {url}"
        ),
    ),
    "forwarded": (
        N_("Appeal {number} was forwarded"),
        N_(
            "Appeal {number} was forwarded to {body_name}: {reason}\n"
            "New due date: {due_date}.\n{url}"
        ),
    ),
    "extended": (
        N_("Appeal {number}: deadline extended"),
        N_("The deadline of appeal {number} was extended to {due_date}: {reason}\n{url}"),
    ),
    "answered": (
        N_("Appeal {number} was answered"),
        N_(
            "{body_name} answered your appeal {number} ({outcome}).\n"
            "Is the problem solved? Rate the answer: {url}"
        ),
    ),
    "escalated": (
        N_("Appeal {number} was escalated"),
        N_(
            "Appeal {number} was escalated to {body_name}: {reason}\n"
            "New due date: {due_date}.\n{url}"
        ),
    ),
    "assigned": (
        N_("New appeal {number}"),
        N_("Appeal {number} was assigned to your body. Due by {due_date}.\n{url}"),
    ),
    "reminder": (
        N_("Reminder: appeal {number} is due {due_date}"),
        N_("The answer to appeal {number} is due by {due_date}.\n{url}"),
    ),
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
    lang = language if language in LANGUAGES else "kk"
    subject, body = TEXTS[event]
    return {
        "created_at": now,
        "appeal_id": appeal_id,
        "event": event,
        "recipient": recipient,
        "language": lang,
        "subject": translate(subject, lang).format(**fields),
        "body": translate(body, lang).format(**fields),
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
    }
