"""The confirmation step of signing: the signer's checked details come back sealed (encrypted
and authenticated with the installation's key) and are signed only when sent back before they
expire. Nothing is stored until then, and the IIN is not in it: only its keyed digest."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from arna.core import sealing
from arna.core.errors import ValidationFailed
from arna.core.settings import Settings

LIFETIME = timedelta(minutes=30)
_PURPOSE = "petition-signing/v1"


@dataclass(frozen=True)
class Pending:
    """A signature shown to its signer, waiting for their confirmation."""

    number: str
    person: str  # keyed digest of the IIN
    name: str  # first name and initial
    region_kato: str
    expires_at: datetime


def seal_pending(settings: Settings, pending: Pending) -> str:
    body = {
        "for": _PURPOSE,
        "n": pending.number,
        "p": pending.person,
        "m": pending.name,
        "r": pending.region_kato,
        "e": int(pending.expires_at.timestamp()),
    }
    return sealing.seal(settings, json.dumps(body, ensure_ascii=False, separators=(",", ":")))


def open_pending(settings: Settings, token: str, number: str, now: datetime) -> Pending:
    """The pending signature a confirmation stands for, or a 422 saying why it cannot be."""
    try:
        body = json.loads(sealing.unseal(settings, token.strip()))
    except (sealing.SecretUnavailable, ValueError, UnicodeError):
        body = None
    if not isinstance(body, dict) or body.get("for") != _PURPOSE:
        raise ValidationFailed(
            "this confirmation is not one Arna gave: sign again", field="confirmation"
        )
    if body["n"] != number:
        raise ValidationFailed(
            f"this confirmation is for petition {body['n']}, not {number}", field="confirmation"
        )
    expires = datetime.fromtimestamp(body["e"], UTC)
    if expires < now:
        raise ValidationFailed(
            "this confirmation has expired (30 minutes): sign again", field="confirmation"
        )
    return Pending(body["n"], body["p"], body["m"], body["r"], expires)


def expiry(now: datetime) -> datetime:
    return (now + LIFETIME).replace(microsecond=0)
