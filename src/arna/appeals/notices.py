"""The e-mails an appeal's changes send: their texts (English here, Kazakh and Russian in the
catalogs), rendered into outbox rows in the recipient's language.

Fields of the texts: number, body_name, due_date, status, outcome, reason, url, access_code.

A secret field (the access code) is never rendered into the stored e-mail: the row holds a
placeholder and the secret goes to the caller to be sealed; the sender reveals it into the text
it sends, and the sealed copy is erased once the e-mail is sent or given up.
"""

from __future__ import annotations

from datetime import datetime

from arna.core.i18n import LANGUAGES, N_, fmt_date, translate

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


SECRET_FIELDS = ("access_code",)


def placeholder(field: str) -> str:
    return f"\u27e6{field}\u27e7"  # ⟦access_code⟧: no text of ours contains these brackets


def reveal(text: str, secrets: dict[str, str]) -> str:
    """The text to send: each secret's placeholder replaced by the secret."""
    for field, value in secrets.items():
        text = text.replace(placeholder(field), value)
    return text


def message(
    *,
    event: str,
    recipient: str,
    language: str,
    fields: dict[str, str],
    appeal_id: int | None,
    now: datetime,
) -> tuple[dict[str, object], dict[str, str]]:
    """An outbox row, rendered in the recipient's language (Kazakh when it has none), and the
    secrets its text holds only as placeholders."""
    lang = language if language in LANGUAGES else "kk"
    subject, body = TEXTS[event]
    secrets = {name: fields[name] for name in SECRET_FIELDS if fields.get(name)}
    fields = {**fields, **{name: placeholder(name) for name in secrets}}
    if fields.get("due_date"):
        fields["due_date"] = fmt_date(fields["due_date"], lang)
    row: dict[str, object] = {
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
    return row, secrets
